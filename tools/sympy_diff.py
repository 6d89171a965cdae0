#!/usr/bin/env python3
"""Differential testing of kobai against SymPy.

Generates random expressions from a seed -- polynomials, rational
functions, exp/ln/sin/cos/tanh/sigmoid and nested chains of them -- asks the
kobai binary (through `--format json`) and SymPy for the same thing, and
compares the answers mathematically:

* `expand` and `diff --wrt` (orders 1 and 2): kobai's `result` text is read
  into SymPy. Polynomial and rational results with rational coefficients
  are compared exactly (the numerator of `together(a - b)` expands to 0); a
  polynomial input must also come back fully expanded. Results with exp/ln/trigonometric functions are
  compared at random rational points with 50-digit arithmetic (mpmath).
* `solve` on one polynomial in one variable: the set of distinct real roots
  and their multiplicities, exactly (each exact value kobai gives makes the
  polynomial vanish exactly, and is the SymPy root at that place; each
  isolating interval kobai gives contains exactly one root, the right one).
* `solve` on linear systems: the status (one point, a family, none), the
  values, and for a family that it satisfies the equations identically and
  has as many free variables as the rank says.
* `minimize` on polynomials in one variable (all stationary points, their
  classification from the first non-vanishing derivative, and whether the
  loss is unbounded below) and on quadratics in two or three variables (the
  point or family, and the classification from the exact Hessian).

Usage:
    python3 tools/sympy_diff.py --cases 10000 --seed 1 --kobai target/release/kobai

Exit status 0 when there is no mismatch, 1 otherwise; each mismatch is
printed with the command to reproduce it.

SymPy quirks this script works around (none of them is a kobai bug):

* SymPy has no `sigmoid`; it is defined here as 1/(1 + exp(-z)). kobai's
  `ln` is SymPy's `log`, and kobai's `e` is SymPy's `E`.
* SymPy's parser reads `^` as XOR unless told otherwise: kobai's text is read
  with the `convert_xor` transformation. It also distributes a number over a
  sum as soon as the two meet (`2*(x + 1)` becomes `2*x + 2`), so "is the
  result expanded" is checked as `expand(r) == r` on SymPy's reading.
* `simplify(a - b) == 0` can take minutes or give up on expressions with
  exp/ln/trigonometric functions; those are compared numerically at random
  rational points instead, where both sides are real and finite. Points
  where the input is not real (SymPy's `log` of a negative number is
  complex) or is singular are skipped.
* `cancel(together(a - b))` sometimes returns an unevaluated sum such as
  `-14641/625 + 14641/625`, which is not `== 0`; zero is tested on the
  expanded numerator instead. `cancel` also treats exp(-15/4) and exp(-15/2)
  as unrelated, so results with such constants are compared numerically.
* SymPy's `eigenvals` solves cubics by radicals and leaves parts like
  `0.e-55*I`; the signs of a Hessian's eigenvalues are counted exactly from
  its characteristic polynomial (Descartes' rule, exact for real roots).
* `Poly.real_roots()` gives `CRootOf` objects for roots without radicals.
  kobai's isolating intervals are checked with `count_roots` (Sturm
  sequences, exact): evaluating the root to 50 digits is not enough for
  intervals kobai refines to widths of 1e-46 around -4999999999.99999...
* SymPy itself can take minutes (diff of exp(exp(exp(y^3))) twice, say):
  each case has a time limit for SymPy's part (--sympy-timeout, 20 s), and
  such cases are counted as `sympy-timeout`, not as mismatches; kobai's own
  calls have a separate 30 s limit that does count.
* SymPy's `linsolve` parametrizes a family by the variables it chooses;
  kobai may choose others. Families are compared by substituting kobai's
  parametrization into the equations, not by comparing parametrizations.
"""

import argparse
import fractions
import json
import random
import signal
import subprocess
import sys
import time

try:
    import mpmath
    import sympy
    from sympy.parsing.sympy_parser import convert_xor, parse_expr, standard_transformations
except ImportError:  # pragma: no cover - told to the user
    sys.exit("sympy_diff.py needs SymPy: python3 -m pip install sympy==1.14.0")

mpmath.mp.dps = 50

NAMES = ["x", "y", "w"]
SYMBOLS = {n: sympy.Symbol(n, real=True) for n in NAMES + ["b", "t"]}


def sigmoid(z):
    return 1 / (1 + sympy.exp(-z))


LOCALS = dict(SYMBOLS)
LOCALS.update(
    {
        "exp": sympy.exp,
        "ln": sympy.log,
        "log": sympy.log,
        "sqrt": sympy.sqrt,
        "sin": sympy.sin,
        "cos": sympy.cos,
        "tan": sympy.tan,
        "tanh": sympy.tanh,
        "sigmoid": sigmoid,
        "abs": sympy.Abs,
        "sign": sympy.sign,
        "e": sympy.E,
    }
)


def from_kobai(text):
    """kobai's plain text form read into SymPy."""
    return parse_expr(text, local_dict=LOCALS, transformations=standard_transformations + (convert_xor,))


# ---------------------------------------------------------------------------
# Random expressions: each generator returns (kobai text, SymPy expression).


class Gen:
    def __init__(self, rng):
        self.rng = rng

    def number(self, allow_fraction=True):
        r = self.rng.random()
        if r < 0.6 or not allow_fraction:
            n = self.rng.choice([1, 1, 2, 2, 3, 4, 5, 7, 10, 12])
            n = -n if self.rng.random() < 0.3 else n
            return str(n), sympy.Integer(n)
        if r < 0.85:
            p, q = self.rng.randint(-9, 9) or 1, self.rng.randint(2, 9)
            return f"{p}/{q}", sympy.Rational(p, q)
        # A decimal: kobai reads it as an exact rational.
        d = self.rng.choice(["0.5", "2.5", "0.25", "1.5", "0.1", "3.75", "1e-2", "2E1"])
        return d, sympy.Rational(fractions.Fraction(d))

    def power_op(self):
        return "**" if self.rng.random() < 0.2 else "^"

    def poly(self, names, budget):
        """A polynomial of total degree at most about `budget`."""
        rng = self.rng
        r = rng.random()
        if budget <= 1 or r < 0.25:
            if rng.random() < 0.35:
                return self.number()
            n = rng.choice(names)
            return n, SYMBOLS[n]
        if r < 0.5:
            k = rng.randint(2, 3)
            parts = [self.poly(names, budget) for _ in range(k)]
            text = parts[0][0]
            value = parts[0][1]
            for t, v in parts[1:]:
                if rng.random() < 0.5:
                    text, value = f"{text} + {t}", value + v
                else:
                    text, value = f"{text} - ({t})", value - v
            return f"({text})", value
        if r < 0.75:
            a = self.poly(names, budget // 2)
            b = self.poly(names, budget // 2)
            if rng.random() < 0.15 and a[0][0].isdigit() and b[0].startswith("("):
                # Implicit multiplication: 2(x + 1).
                return f"{a[0]}{b[0]}", a[1] * b[1]
            return f"({a[0]})*({b[0]})", a[1] * b[1]
        if r < 0.9:
            k = rng.randint(2, max(2, min(5, budget)))
            a = self.poly(names, max(1, budget // k))
            return f"({a[0]}){self.power_op()}{k}", a[1] ** k
        a = self.poly(names, budget)
        return f"-({a[0]})", -a[1]

    def nonzero_poly(self, names, budget):
        for _ in range(20):
            t, v = self.poly(names, budget)
            if sympy.expand(v) != 0:
                return t, v
        return "1", sympy.Integer(1)

    def rational(self, names, budget):
        n = self.poly(names, budget)
        d = self.nonzero_poly(names, max(1, budget // 2))
        if self.rng.random() < 0.5:
            return f"({n[0]})/({d[0]})", n[1] / d[1]
        k = self.rng.randint(1, 3)
        return f"({n[0]})*({d[0]}){self.power_op()}(-{k})", n[1] * d[1] ** (-k)

    FUNCS = ["exp", "ln", "sin", "cos", "tanh", "sigmoid"]

    def transcendental(self, names, depth):
        """A chain or combination of exp, ln, sin, cos, tanh and sigmoid."""
        rng = self.rng
        r = rng.random()
        if depth <= 0 or r < 0.2:
            return self.poly(names, 3)
        if r < 0.6:
            f = rng.choice(self.FUNCS)
            inner = self.transcendental(names, depth - 1)
            if f == "ln":
                # Keep most logarithms real at the sample points.
                # kobai refuses the logarithm of a number that is not
                # positive (SymPy gives a complex value): never write one.
                if rng.random() < 0.7 or (inner[1].is_number and not inner[1].is_positive):
                    return f"ln(1 + ({inner[0]})^2)", sympy.log(1 + inner[1] ** 2)
                return f"ln({inner[0]})", sympy.log(inner[1])
            return f"{f}({inner[0]})", LOCALS[f](inner[1])
        a = self.transcendental(names, depth - 1)
        b = self.transcendental(names, depth - 1)
        if r < 0.75:
            return f"({a[0]}) + ({b[0]})", a[1] + b[1]
        if r < 0.9:
            return f"({a[0]})*({b[0]})", a[1] * b[1]
        if r < 0.95:
            k = rng.randint(2, 3)
            return f"({a[0]})^{k}", a[1] ** k
        return f"({a[0]})/(1 + ({b[0]})^2)", a[1] / (1 + b[1] ** 2)


# ---------------------------------------------------------------------------
# Running kobai.


class KobaiError(Exception):
    pass


LAST_COMMAND = []


def run_kobai(kobai, args, timeout=30):
    LAST_COMMAND[:] = args
    cmd = [kobai] + args + ["--format", "json"]
    # SymPy's time limit does not run while kobai does: kobai has its own.
    sympy_time_left = signal.alarm(0)
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=timeout, env={"NO_COLOR": "1"})
    except subprocess.TimeoutExpired:
        raise KobaiError(f"timed out after {timeout} s")
    finally:
        if sympy_time_left:
            signal.alarm(sympy_time_left)
    out = p.stdout.decode("utf-8", "replace")
    err = p.stderr.decode("utf-8", "replace")
    if p.returncode not in (0, 1):
        raise KobaiError(f"exit code {p.returncode}: {err.strip()[:500]}")
    try:
        return p.returncode, json.loads(out)
    except json.JSONDecodeError:
        raise KobaiError(f"exit code {p.returncode}, output is not JSON: {out[:300]!r} {err[:300]!r}")


def shell_quote(args):
    return " ".join("'" + a.replace("'", "'\\''") + "'" if any(c in a for c in " ()*^$'\"[]{}|&;<>") else a for a in args)


# ---------------------------------------------------------------------------
# Comparing.


class Mismatch(Exception):
    pass


class SympyTimeout(Exception):
    pass


def on_alarm(signum, frame):
    raise SympyTimeout()


def is_polynomial(v, syms):
    return sympy.expand(v).is_polynomial(*syms)


def numeric(v, point):
    """The value of `v` at `point` to 50 digits, or None when it is not a
    real finite number there."""
    try:
        z = sympy.N(v.subs(point), 50)
    except (ZeroDivisionError, ValueError, TypeError, OverflowError):
        return None
    if z.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) or not z.is_number:
        return None
    re, im = z.as_real_imag()
    try:
        re, im = mpmath.mpf(str(re)), mpmath.mpf(str(im))
    except (ValueError, TypeError):
        return None
    if not mpmath.isfinite(re) or abs(im) > mpmath.mpf(10) ** -40 * max(1, abs(re)):
        return None
    return re


def random_point(rng, syms):
    return {s: sympy.Rational(rng.randint(-40, 40), rng.randint(1, 13)) for s in syms}


def compare_numerically(rng, got, want, syms, what):
    """At random rational points where `want` is real and finite, `got` must
    agree to 30 digits. At least two points must be usable."""
    used = 0
    for _ in range(12):
        point = random_point(rng, syms)
        w = numeric(want, point)
        if w is None:
            continue
        g = numeric(got, point)
        if g is None:
            raise Mismatch(f"{what}: kobai's result is not real/finite at {point} where SymPy's is {w}")
        if abs(g - w) > mpmath.mpf(10) ** -30 * max(1, abs(w), abs(g)):
            raise Mismatch(f"{what}: at {point} kobai gives {g} and SymPy {w}")
        used += 1
        if used >= 4:
            return True
    return used >= 1


def rational_is_zero(r):
    """Whether a rational function is zero, exactly: the numerator of
    `together(r)`, expanded, is 0. (`cancel` is not used for this: on some
    inputs SymPy 1.14 returns the unevaluated sum `-14641/625 + 14641/625`
    from it, which does not compare equal to 0.)"""
    numerator, _ = sympy.fraction(sympy.together(r))
    return sympy.expand(numerator) == 0


TRANSCENDENTAL = (sympy.exp, sympy.log, sympy.sin, sympy.cos, sympy.tan, sympy.tanh, sympy.Abs, sympy.sign)


def compare_exprs(rng, got_text, want, syms, what, expect_expanded=False):
    got = from_kobai(got_text)
    # Exact comparison only for rational functions with rational
    # coefficients: `is_rational_function` also says yes for constants such
    # as exp(-4), and `cancel` then treats exp(-15/4) and exp(-15/2) as
    # unrelated generators, so it cannot see that 1/(1 + exp(-15/4))^2 is
    # 1/(exp(-15/2) + 2*exp(-15/4) + 1). Those go to the numeric comparison.
    pure = not got.has(*TRANSCENDENTAL) and not want.has(*TRANSCENDENTAL)
    if pure and want.is_rational_function(*syms) and got.is_rational_function(*syms):
        if not rational_is_zero(got - want):
            raise Mismatch(f"{what}: kobai {got_text!r} differs from SymPy {sympy.cancel(want)}")
        if expect_expanded and is_polynomial(want, syms) and sympy.expand(got) != got:
            raise Mismatch(f"{what}: kobai's result {got_text!r} is not expanded")
        return "exact"
    return "numeric" if compare_numerically(rng, got, want, syms, what) else "skipped"


def real_roots_with_multiplicity(poly):
    roots = poly.real_roots(multiple=True)
    out = []
    for r in roots:
        if out and out[-1][0] == r:
            out[-1][1] += 1
        else:
            out.append([r, 1])
    return out


def check_value_is_root(value_json, root, poly, var, what, index):
    """kobai's value (an exact text, or an interval) names `root` of `poly`,
    the root number `index` (from 0) in increasing order."""
    if isinstance(value_json, str):
        v = from_kobai(value_json)
        if sympy.expand(poly.as_expr().subs(var, v)) != 0 and sympy.simplify(poly.as_expr().subs(var, v)) != 0:
            raise Mismatch(f"{what}: {value_json} is not a root")
        if abs(sympy.N(v - root, 40)) > 1e-30:
            raise Mismatch(f"{what}: {value_json} is not the root {sympy.N(root, 20)}")
        return
    lo, hi = sympy.Rational(value_json["interval"][0]), sympy.Rational(value_json["interval"][1])
    # Exactly, with Sturm sequences: the interval holds one distinct root,
    # and `index` roots lie below it. (Comparing with the root evaluated to
    # 50 digits is not enough: kobai refines intervals of big roots such as
    # -4999999999.99999399... to widths of 1e-46.)
    sqf = sympy.Poly(poly.as_expr(), var).sqf_part()
    inside, below = sqf.count_roots(lo, hi), sqf.count_roots(None, lo) - (1 if sqf.eval(lo) == 0 else 0)
    if inside != 1 or below != index:
        raise Mismatch(
            f"{what}: interval [{lo}, {hi}] holds {inside} roots with {below} below it; "
            f"expected root number {index}, {sympy.N(root, 20)}"
        )


def approx_close(a, b):
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


# ---------------------------------------------------------------------------
# The cases.


def case_expand(rng, gen, kobai):
    kind = rng.choice(["poly", "poly", "rational", "trans"])
    names = rng.sample(NAMES, rng.randint(1, 3))
    syms = [SYMBOLS[n] for n in names]
    if kind == "poly":
        text, value = gen.poly(names, 8)
    elif kind == "rational":
        text, value = gen.rational(names, 4)
    else:
        text, value = gen.transcendental(names, 3)
    args = ["expand", text]
    _, out = run_kobai(kobai, args)
    how = compare_exprs(rng, out["result"], value, syms, "expand", expect_expanded=(kind == "poly"))
    return args, how


def case_diff(rng, gen, kobai):
    kind = rng.choice(["poly", "rational", "trans", "trans"])
    names = rng.sample(NAMES, rng.randint(1, 3))
    syms = [SYMBOLS[n] for n in names]
    if kind == "poly":
        text, value = gen.poly(names, 8)
    elif kind == "rational":
        text, value = gen.rational(names, 4)
    else:
        text, value = gen.transcendental(names, 3)
    free = sorted(str(s) for s in value.free_symbols)
    if not free:
        text, value = f"{names[0]}*({text})", SYMBOLS[names[0]] * value
        free = sorted(str(s) for s in value.free_symbols)
        if not free:
            # The formula is constant; kobai refuses --wrt a variable that
            # does not occur in it (a typo should not silently give 0).
            return None, "skipped"
    var = rng.choice(free)
    order = 2 if rng.random() < 0.2 else 1
    args = ["diff", text, "--wrt", var] + (["--order", "2"] if order == 2 else [])
    _, out = run_kobai(kobai, args)
    want = sympy.diff(value, SYMBOLS[var], order)
    how = compare_exprs(rng, out["result"], want, syms, f"diff --wrt {var}", expect_expanded=(kind == "poly"))
    return args, how


def random_univariate(rng, gen):
    """A polynomial in x of degree 1..8, often with repeated, rational or
    quadratic-irrational roots."""
    x = SYMBOLS["x"]
    r = rng.random()
    if r < 0.5:
        # A product of small factors: (a*x - b)^k, (x^2 - c), (x^2 + x + c).
        factors = []
        for _ in range(rng.randint(1, 4)):
            f = rng.random()
            if f < 0.4:
                a, b = rng.randint(1, 4), rng.randint(-6, 6)
                factors.append((f"({a}*x - ({b}))", a * x - b))
            elif f < 0.5:
                # Close roots: b/a and (b+1)/a with a large a.
                a, b = rng.choice([100, 1000, 997]), rng.randint(-5, 5)
                factors.append((f"(({a}*x - ({b}))*({a}*x - ({b + 1})))", (a * x - b) * (a * x - b - 1)))
            elif f < 0.75:
                c = rng.randint(-7, 7)
                factors.append((f"(x^2 - ({c}))", x**2 - c))
            elif f < 0.85:
                c, d = rng.randint(-4, 4), rng.randint(-6, 6)
                factors.append((f"(x^2 + ({c})*x + ({d}))", x**2 + c * x + d))
            elif f < 0.95:
                c = rng.randint(-5, 5)
                factors.append((f"(x^3 - x - ({c}))", x**3 - x - c))
            else:
                c = rng.randint(-3, 3)
                factors.append((f"(x^5 - 3*x + ({c}))", x**5 - 3 * x + c))
            if rng.random() < 0.2:
                t, v = factors[-1]
                factors[-1] = (f"{t}^2", v**2)
        scale = rng.choice([1, 1, 2, -1, -3])
        text = f"{scale}*" + "*".join(t for t, _ in factors)
        value = scale * sympy.Mul(*[v for _, v in factors])
        return text, value
    # Dense random coefficients.
    deg = rng.randint(1, 9)
    big = rng.random() < 0.2
    coeffs = [rng.randint(-9, 9) * (10**rng.randint(0, 12) if big else 1) for _ in range(deg)]
    coeffs.append(rng.choice([1, 2, -1, 3]))
    value = sum(c * x**i for i, c in enumerate(coeffs))
    text = " + ".join(f"({c})*x^{i}" for i, c in enumerate(coeffs))
    return text, value


def case_solve_univariate(rng, gen, kobai):
    x = SYMBOLS["x"]
    text, value = random_univariate(rng, gen)
    poly = sympy.Poly(sympy.expand(value), x)
    if poly.degree() < 1:
        return None, "skipped"
    args = ["solve", text, "--for", "x"]
    code, out = run_kobai(kobai, args)
    want = real_roots_with_multiplicity(poly)
    points = out.get("points", [])
    if out["status"] == "none":
        if want:
            raise Mismatch(f"solve: kobai finds no root, SymPy {want}")
        if code != 1:
            raise Mismatch(f"solve: no root but exit code {code}")
        return args, "exact"
    if len(points) != len(want):
        raise Mismatch(f"solve: kobai finds {len(points)} roots, SymPy {len(want)}: {[sympy.N(r, 12) for r, _ in want]}")
    # kobai lists roots in increasing order, as real_roots does.
    for index, (p, (root, mult)) in enumerate(zip(points, want)):
        check_value_is_root(p["values"]["x"], root, poly, x, "solve", index)
        if not approx_close(p["approx"]["x"], float(sympy.N(root, 30))):
            raise Mismatch(f"solve: approximation {p['approx']['x']} of {sympy.N(root, 20)}")
        if p.get("multiplicity", 1) != mult:
            raise Mismatch(f"solve: root {sympy.N(root, 12)} has multiplicity {mult}, kobai says {p.get('multiplicity', 1)}")
    return args, "exact"


def case_solve_linear(rng, gen, kobai):
    n = rng.randint(2, 3)
    names = NAMES[:n]
    syms = [SYMBOLS[s] for s in names]
    m = rng.randint(n - 1, n + 1)
    equations = []
    # Sometimes make a row a combination of others, for families and
    # inconsistent systems.
    rows = []
    for i in range(m):
        if rows and rng.random() < 0.3:
            a, b = rng.choice(rows), rng.choice(rows)
            k1, k2 = rng.randint(-2, 2), rng.randint(-2, 2)
            coeffs = [k1 * p + k2 * q for p, q in zip(a[0], b[0])]
            rhs = k1 * a[1] + k2 * b[1] + (rng.choice([0, 0, 1]))
        else:
            coeffs = [rng.randint(-4, 4) for _ in range(n)]
            rhs = rng.randint(-9, 9)
        if all(c == 0 for c in coeffs):
            coeffs[0] = 1
        rows.append((coeffs, rhs))
    # kobai refuses to solve for a variable that occurs in no equation (a
    # typo in --for should not silently give a free variable).
    for j in range(n):
        if all(r[0][j] == 0 for r in rows):
            rows[-1][0][j] = 1
    for coeffs, rhs in rows:
        lhs = " + ".join(f"({c})*{v}" for c, v in zip(coeffs, names))
        equations.append((f"{lhs} = {rhs}", sum(c * s for c, s in zip(coeffs, syms)) - rhs))
    args = ["solve"] + [t for t, _ in equations] + ["--for", ",".join(names)]
    code, out = run_kobai(kobai, args)
    eqs = [v for _, v in equations]
    want = sympy.linsolve(eqs, syms)
    status = out["status"]
    if want == sympy.EmptySet:
        if status != "none" or code != 1:
            raise Mismatch(f"solve system: SymPy finds no solution, kobai {status} (exit {code})")
        return args, "exact"
    (sol,) = list(want)
    free = set().union(*[sympy.sympify(c).free_symbols for c in sol])
    if not free:
        if status != "unique":
            raise Mismatch(f"solve system: SymPy finds one point {sol}, kobai {status}")
        vals = out["points"][0]["values"]
        for s, v in zip(names, sol):
            if sympy.Rational(vals[s]) != v:
                raise Mismatch(f"solve system: {s} = {vals[s]}, SymPy {v}")
        return args, "exact"
    if status != "infinite":
        raise Mismatch(f"solve system: SymPy finds a family {sol}, kobai {status}")
    fam = out["family"]
    if len(fam["free"]) != len(free):
        raise Mismatch(f"solve system: {len(fam['free'])} free variables, SymPy {len(free)}")
    sub = {SYMBOLS[s]: from_kobai(v) for s, v in fam["values"].items()}
    for e in eqs:
        if sympy.expand(e.subs(sub, simultaneous=True)) != 0:
            raise Mismatch(f"solve system: the family {fam['values']} does not satisfy {e} = 0")
    return args, "exact"


def classify_univariate(poly, root, x):
    """Kind of the stationary point `root` of `poly` (a root of poly'), from
    the first non-vanishing derivative: its order is the multiplicity of the
    root in poly', plus one."""
    g = poly.diff(x)
    m = 0
    d = g
    while True:
        m += 1
        d = d.diff(x)
        value = sympy.N(d.as_expr().subs(x, root), 60)
        if abs(value) > 1e-40:
            break
    # The first derivative of p that does not vanish has order m + 1.
    order = m + 1
    if order % 2 == 1:
        return "inflection", m
    return ("minimum" if value > 0 else "maximum"), m


def case_minimize_univariate(rng, gen, kobai):
    x = SYMBOLS["x"]
    text, value = random_univariate(rng, gen)
    poly = sympy.Poly(sympy.expand(value), x)
    if poly.degree() < 1:
        return None, "skipped"
    args = ["minimize", text, "--wrt", "x"]
    code, out = run_kobai(kobai, args)
    g = poly.diff(x)
    want = real_roots_with_multiplicity(g) if g.degree() >= 1 else []
    points = out.get("points", [])
    if len(points) != len(want):
        raise Mismatch(f"minimize: kobai finds {len(points)} stationary points, SymPy {len(want)}")
    kinds = []
    for index, (p, (root, mult)) in enumerate(zip(points, want)):
        check_value_is_root(p["values"]["x"], root, g, x, "minimize", index)
        kind, m = classify_univariate(poly, root, x)
        if m != mult:
            raise Mismatch("minimize: multiplicity bookkeeping")  # SymPy disagreeing with itself
        if p["kind"] != kind:
            raise Mismatch(f"minimize: at {sympy.N(root, 12)} kobai says {p['kind']}, SymPy {kind}")
        if p.get("multiplicity", 1) != mult:
            raise Mismatch(f"minimize: at {sympy.N(root, 12)} multiplicity {p.get('multiplicity', 1)}, SymPy {mult}")
        kinds.append(kind)
    lead = poly.LC()
    unbounded = poly.degree() % 2 == 1 or lead < 0
    if out.get("unbounded_below") != unbounded:
        raise Mismatch(f"minimize: unbounded_below is {out.get('unbounded_below')}, SymPy says {unbounded}")
    if (code == 1) != ("minimum" not in kinds):
        raise Mismatch(f"minimize: exit code {code} with kinds {kinds}")
    return args, "exact"


def sign_changes(coeffs):
    signs = [c > 0 for c in coeffs if c != 0]
    return sum(1 for a, b in zip(signs, signs[1:]) if a != b)


def inertia(matrix):
    """How many eigenvalues of the symmetric `matrix` are positive and how
    many negative, exactly: its characteristic polynomial has only real
    roots, so Descartes' rule of signs counts them. (SymPy's `eigenvals`
    solves the cubic by radicals and leaves imaginary parts like 0.e-55*I
    that cannot be compared with 0.)"""
    lam = sympy.Symbol("lam")
    p = matrix.charpoly(lam)
    return sign_changes(p.all_coeffs()), sign_changes(sympy.Poly(p.as_expr().subs(lam, -lam), lam).all_coeffs())


def case_minimize_quadratic(rng, gen, kobai):
    n = rng.randint(2, 3)
    names = NAMES[:n]
    syms = [SYMBOLS[s] for s in names]
    r = rng.random()
    if r < 0.6:
        # Least squares: a sum of squared residuals of a linear model.
        terms, value = [], 0
        for _ in range(rng.randint(1, 4)):
            coeffs = [rng.randint(-3, 3) for _ in range(n)]
            t = rng.randint(-5, 5)
            lin = " + ".join(f"({c})*{v}" for c, v in zip(coeffs, names))
            terms.append(f"({lin} - ({t}))^2")
            value += (sum(c * s for c, s in zip(coeffs, syms)) - t) ** 2
        text = " + ".join(terms)
    else:
        # A general quadratic: any signature.
        parts, value = [], 0
        for i in range(n):
            for j in range(i, n):
                c = rng.randint(-3, 3)
                parts.append(f"({c})*{names[i]}*{names[j]}")
                value += c * syms[i] * syms[j]
        for i in range(n):
            c = rng.randint(-4, 4)
            parts.append(f"({c})*{names[i]}")
            value += c * syms[i]
        text = " + ".join(parts)
    value = sympy.expand(value)
    if not value.free_symbols >= set(syms) or sympy.Poly(value, *syms).total_degree() < 2:
        return None, "skipped"
    args = ["minimize", text, "--wrt", ",".join(names)]
    code, out = run_kobai(kobai, args)
    grad = [sympy.diff(value, s) for s in syms]
    hess = sympy.hessian(value, syms)
    sol = sympy.linsolve(grad, syms)
    pos, neg = inertia(hess)
    if sol == sympy.EmptySet:
        if out["status"] != "none" or out.get("points"):
            raise Mismatch(f"minimize quadratic: SymPy finds no stationary point, kobai {out['status']}")
        return args, "exact"
    (point,) = list(sol)
    free = set().union(*[sympy.sympify(c).free_symbols for c in point])
    if not free:
        if out["status"] != "unique":
            raise Mismatch(f"minimize quadratic: SymPy finds one point, kobai {out['status']}")
        p = out["points"][0]
        for s, v in zip(names, point):
            if sympy.Rational(p["values"][s]) != v:
                raise Mismatch(f"minimize quadratic: {s} = {p['values'][s]}, SymPy {v}")
        kind = "minimum" if pos == n else "maximum" if neg == n else "saddle"
        if p["kind"] != kind:
            raise Mismatch(f"minimize quadratic: kobai says {p['kind']}, SymPy's Hessian says {kind}")
        if sympy.Rational(from_kobai(p["loss"])) != value.subs(dict(zip(syms, point))):
            raise Mismatch(f"minimize quadratic: loss {p['loss']}")
        return args, "exact"
    if out["status"] != "infinite":
        raise Mismatch(f"minimize quadratic: SymPy finds a family {point}, kobai {out['status']}")
    fam = out["family"]
    sub = {SYMBOLS[s]: from_kobai(v) for s, v in fam["values"].items()}
    for gi in grad:
        if sympy.expand(gi.subs(sub, simultaneous=True)) != 0:
            raise Mismatch(f"minimize quadratic: the family {fam['values']} is not stationary")
    if len(fam["free"]) != len(free):
        raise Mismatch(f"minimize quadratic: {len(fam['free'])} free variables, SymPy {len(free)}")
    # A family of a quadratic: minima when the Hessian is positive
    # semidefinite, maxima when negative semidefinite, else saddle points.
    # kobai calls every family "degenerate" and says which in the reason.
    want = "minimum" if neg == 0 else "maximum" if pos == 0 else "saddle point"
    reason = out.get("reason", "")
    said = out.get("kind")
    if said != "degenerate" or want not in reason:
        raise Mismatch(f"minimize quadratic: a family of each a {want}, kobai says {said}: {reason}")
    return args, "exact"


CASES = [
    (case_expand, 3),
    (case_diff, 3),
    (case_solve_univariate, 2),
    (case_solve_linear, 1),
    (case_minimize_univariate, 2),
    (case_minimize_quadratic, 1),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=300, help="how many random cases (default 300)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the random cases (default 1)")
    ap.add_argument("--kobai", default="target/release/kobai", help="the kobai binary")
    ap.add_argument("--verbose", action="store_true", help="print every case")
    ap.add_argument("--only", type=int, help="run only case number ONLY (to replay a mismatch)")
    ap.add_argument("--sympy-timeout", type=int, default=20, help="seconds SymPy may take per case (default 20)")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    gen = Gen(rng)
    funcs = [f for f, w in CASES for _ in range(w)]
    counts = {}
    mismatches = []
    start = time.time()
    for i in range(args.cases):
        case = rng.choice(funcs)
        name = case.__name__.removeprefix("case_")
        # Each case draws from its own generator, so that one case can be
        # replayed alone from (seed, index).
        if args.only is not None and i != args.only:
            continue
        case_rng = random.Random(f"{args.seed}:{i}")
        gen.rng = case_rng
        LAST_COMMAND.clear()
        signal.signal(signal.SIGALRM, on_alarm)
        signal.alarm(args.sympy_timeout)
        try:
            cmd, how = case(case_rng, gen, args.kobai)
        except SympyTimeout:
            # SymPy, not kobai, ran out of time (kobai's own calls have their
            # own timeout, which counts as a mismatch).
            cmd, how = LAST_COMMAND[:], "sympy-timeout"
            print(f"case {i} ({name}): SymPy took more than {args.sympy_timeout} s; "
                  f"skipped\n  kobai {shell_quote(cmd)}", flush=True)
        except (Mismatch, KobaiError) as e:
            signal.alarm(0)
            mismatches.append((i, name, str(e)))
            print(f"MISMATCH case {i} ({name}): {e}\n  kobai {shell_quote(LAST_COMMAND)}", flush=True)
            continue
        finally:
            signal.alarm(0)
        key = (name, how)
        counts[key] = counts.get(key, 0) + 1
        if args.verbose and cmd:
            print(f"{i} {name} {how}: kobai {shell_quote(cmd)}")
    elapsed = time.time() - start
    total = sum(counts.values())
    print(f"{total + len(mismatches)} cases (seed {args.seed}) in {elapsed:.1f} s: {len(mismatches)} mismatches")
    for (name, how), n in sorted(counts.items()):
        print(f"  {name:22} {how:8} {n}")
    if mismatches:
        print(f"replay one with: python3 tools/sympy_diff.py --seed {args.seed} --cases {args.cases} --only N --verbose")
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()
