//! Exact real roots of a univariate polynomial over [`Q`].
//!
//! [`real_roots`] finds every real root with its multiplicity, and says
//! exactly what each one is:
//!
//! 1. Yun's square-free decomposition splits the polynomial into pairwise
//!    coprime square-free factors, one per multiplicity.
//! 2. Each factor's real roots are isolated by Descartes' rule of signs with
//!    bisection (the Vincent–Collins–Akritas method) on its primitive integer
//!    form: disjoint open intervals with dyadic endpoints, one root in each.
//! 3. Rational roots are read off the intervals: if `p/q` is a root of an
//!    integer polynomial with leading coefficient `a`, then `q | a`, so
//!    `a·p/q` is an integer. Refining an interval until `a` times its width
//!    is below 1 leaves at most one candidate, which is checked exactly. No
//!    divisors are enumerated, so large coefficients cost nothing extra.
//! 4. What remains of degree 2 is solved by radicals, `a ± b·√c` with `c` a
//!    square-free integer. Of higher degree, quadratic factors over `Q` are
//!    split off: by Gauss's lemma, for a factor `c·x² + d·x + e` with real
//!    roots `r, s`, the numbers `a·(r + s)` and `a·r·s` are integers, so
//!    refining the two intervals until they pin those integers down proposes
//!    the factor, and exact division confirms it. Every quadratic factor with
//!    real roots is found this way.
//! 5. Every other root stays an isolating interval with rational endpoints,
//!    refinable by exact bisection to any number of digits.
//!
//! Floating point decides nothing: it appears only in [`RootValue::approx`].

use std::cmp::Ordering;
use std::collections::HashSet;
use std::fmt;

use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};

use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::limits::Limits;
use crate::number::Q;
use crate::poly::UPoly;

/// A real root and how many times it is a root.
///
/// ```
/// use kobai::{real_roots, Limits, RootValue, UPoly, Q};
/// // (x - 1)^3 (x + 2)
/// let p = UPoly::from_i64(&[-1, 1]).pow(3).mul(&UPoly::from_i64(&[2, 1]));
/// let roots = real_roots(&p, &Limits::default())?;
/// assert_eq!(roots[0].value, RootValue::Rational(Q::from(-2)));
/// assert_eq!((roots[1].to_string(), roots[1].multiplicity), ("1 (multiplicity 3)".to_string(), 3));
/// # Ok::<(), kobai::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct RealRoot {
    /// The root itself.
    pub value: RootValue,
    /// Its multiplicity (at least 1).
    pub multiplicity: u32,
}

/// An exact real algebraic number, as [`real_roots`] reports it.
///
/// ```
/// use kobai::{real_roots, Limits, RootValue, UPoly};
/// let roots = real_roots(&UPoly::from_i64(&[-1, -2, 1]), &Limits::default())?; // x^2 - 2x - 1
/// assert!(matches!(roots[0].value, RootValue::Quadratic(_)));
/// assert_eq!(roots[0].value.to_string(), "1 - sqrt(2)");
/// assert_eq!(roots[1].value.unicode(), "1 + √2");
/// # Ok::<(), kobai::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum RootValue {
    /// A rational number.
    Rational(Q),
    /// `a ± b·√c`, a root of a quadratic irreducible over `Q`.
    Quadratic(QuadraticRoot),
    /// The only root of a polynomial in an open interval.
    Interval(IntervalRoot),
}

/// The number `a + sign·b·√c` with `b > 0`, `c` a square-free integer
/// greater than 1 and `sign` ±1: a root of its irreducible quadratic
/// ([`QuadraticRoot::poly`]).
///
/// ```
/// use kobai::{real_roots, Limits, RootValue, UPoly, Q};
/// let roots = real_roots(&UPoly::from_i64(&[4, -12, 4]), &Limits::default())?; // 4x^2 - 12x + 4
/// let RootValue::Quadratic(r) = &roots[1].value else { panic!() };
/// assert_eq!((r.a(), r.b(), r.c(), r.sign()), (Q::new(3, 2), Q::new(1, 2), Q::from(5), 1));
/// assert_eq!(r.to_string(), "(3 + sqrt(5))/2");
/// assert_eq!(r.poly().to_string(), "x^2 - 3*x + 1");
/// # Ok::<(), kobai::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct QuadraticRoot {
    a: Q,
    b: Q,
    /// A square-free integer greater than 1.
    c: BigInt,
    /// True for `a + b·√c`, false for `a - b·√c`.
    plus: bool,
    /// The primitive integer quadratic of which this is a root.
    poly: UPoly,
}

/// The only root of a square-free polynomial in the open interval
/// `(lo, hi)`; the polynomial does not vanish at either end and has opposite
/// signs there. The interval holds no other root of the polynomial given to
/// [`real_roots`], which does not vanish at either end either.
///
/// ```
/// use kobai::{real_roots, Limits, RootValue, UPoly};
/// let roots = real_roots(&UPoly::from_i64(&[-1, -1, 0, 0, 0, 1]), &Limits::default())?; // x^5 - x - 1
/// let RootValue::Interval(r) = &roots[0].value else { panic!() };
/// assert_eq!(r.to_decimal_truncated(16), "1.167303978261418");
/// let (lo, hi) = r.refine(16);
/// assert!(lo < hi && r.poly().sign_at(&lo) == -r.poly().sign_at(&hi));
/// # Ok::<(), kobai::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct IntervalRoot {
    /// Primitive integer coefficients, square-free, exactly one root in the interval.
    poly: UPoly,
    lo: Q,
    hi: Q,
}

/// Finds every real root of `p`, sorted ascending, with multiplicities.
///
/// The zero polynomial, which vanishes everywhere, is an error; a nonzero
/// constant has no roots. A degree above `limits.max_exponent` or a
/// coefficient above `limits.max_number_bits` is refused.
///
/// ```
/// use kobai::{real_roots, Limits, UPoly};
/// let lim = Limits::default();
/// let show = |p: &UPoly| -> Vec<String> { real_roots(p, &lim).unwrap().iter().map(|r| r.to_string()).collect() };
/// assert_eq!(show(&UPoly::from_i64(&[-20, 8])), ["5/2"]);
/// assert_eq!(show(&UPoly::from_i64(&[-8, 0, 1])), ["-2*sqrt(2)", "2*sqrt(2)"]);
/// assert_eq!(show(&UPoly::from_i64(&[1, 0, 0, 0, 1])), Vec::<String>::new());
/// assert!(real_roots(&UPoly::zero(), &lim).is_err());
/// ```
pub fn real_roots(p: &UPoly, limits: &Limits) -> Result<Vec<RealRoot>> {
    let Some(degree) = p.degree() else {
        return Err(Error::Usage { message: "the polynomial is zero, so every number is a root".to_string() });
    };
    if degree as u64 > limits.max_exponent {
        return Err(Error::Limit {
            what: "degree of a polynomial to solve",
            limit: limits.max_exponent,
            reached: format!("degree {degree}"),
            flag: "--max-exponent",
        });
    }
    if let Some(bits) = p.coeffs().iter().map(Q::bits).max() {
        check_bits(bits, limits)?;
    }
    let factors = p.square_free_decomposition();
    let mut roots = Vec::new();
    for (factor, multiplicity) in &factors {
        for value in square_free_roots(factor.integer_coeffs(), limits)? {
            roots.push(RealRoot { value, multiplicity: *multiplicity });
        }
    }
    // Each factor's intervals isolate the roots of what remained of it after
    // the rational and quadratic factors were divided out; narrow them until
    // they isolate among all the roots of p, away from them at the ends.
    if roots.iter().any(|r| matches!(r.value, RootValue::Interval(_))) {
        let square_free = factors.iter().fold(UPoly::constant(Q::one()), |acc, (f, _)| acc.mul(f));
        for root in &mut roots {
            if let RootValue::Interval(interval) = &mut root.value {
                interval.isolate_among(&square_free);
            }
        }
    }
    roots.sort_by(|a, b| a.value.cmp_value(&b.value));
    Ok(roots)
}

fn check_bits(bits: u64, limits: &Limits) -> Result<()> {
    if bits > limits.max_number_bits {
        return Err(Error::Limit {
            what: "size of a number",
            limit: limits.max_number_bits,
            reached: format!("a number of {bits} bits while isolating roots"),
            flag: "--max-number-bits",
        });
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Integer polynomials (coefficients from the constant up) and their signs.

type ZPoly = Vec<BigInt>;

fn upoly(z: &[BigInt]) -> UPoly {
    UPoly::new(z.iter().cloned().map(Q::from).collect())
}

fn zdegree(p: &[BigInt]) -> usize {
    p.len().saturating_sub(1)
}

/// The sign of `p(x)`, from `Σ c_i n^i d^(deg-i)` for `x = n/d` (`d > 0`).
fn zsign(p: &[BigInt], x: &Q) -> i32 {
    let (n, d) = (x.numer(), x.denom());
    let mut coeffs = p.iter().rev();
    let Some(top) = coeffs.next() else {
        return 0;
    };
    let mut acc = top.clone();
    let mut dpow = BigInt::one();
    for c in coeffs {
        dpow *= &d;
        acc = acc * &n + c * &dpow;
    }
    bigint_sign(&acc)
}

fn bigint_sign(x: &BigInt) -> i32 {
    if x.is_zero() {
        0
    } else if x.is_negative() {
        -1
    } else {
        1
    }
}

/// Sign variations, zeros skipped.
fn variations(p: &[BigInt]) -> usize {
    let mut count = 0;
    let mut last = 0;
    for c in p {
        let s = bigint_sign(c);
        if s != 0 {
            if last != 0 && s != last {
                count += 1;
            }
            last = s;
        }
    }
    count
}

/// `p(x + 1)` in place.
fn taylor_shift_one(a: &mut [BigInt]) {
    let n = a.len();
    for i in 0..n {
        for j in (i..n.saturating_sub(1)).rev() {
            if let Some([lo, hi, ..]) = a.get_mut(j..) {
                *lo += &*hi;
            }
        }
    }
}

/// Descartes' bound on the number of roots of `p` in `(0, 1)`: the sign
/// variations of `(x + 1)^n p(1/(x + 1))`. It is exact when it is 0 or 1.
fn descartes_unit(p: &[BigInt]) -> usize {
    let mut r: ZPoly = p.iter().rev().cloned().collect();
    taylor_shift_one(&mut r);
    variations(&r)
}

/// Descartes' bound for the open interval `(lo, hi)`.
///
/// With `lo = u/w` and `hi = v/w`, the polynomial `w^n p((u + (v - u)x)/w)`
/// maps the interval onto `(0, 1)`; it is built with integer operations
/// only (scaling, a Taylor shift by `u`, scaling again).
fn descartes_interval(p: &[BigInt], lo: &Q, hi: &Q) -> usize {
    let w = lo.denom().lcm(&hi.denom());
    let u = lo.numer() * (&w / lo.denom());
    let v = hi.numer() * (&w / hi.denom());
    // Coefficient i of w^n p(y/w) is c_i w^(n-i).
    let mut a: ZPoly = p.to_vec();
    let mut wpow = BigInt::one();
    for c in a.iter_mut().rev() {
        *c *= &wpow;
        wpow *= &w;
    }
    taylor_shift(&mut a, &u);
    let d = v - u;
    let mut dpow = BigInt::one();
    for c in a.iter_mut() {
        *c *= &dpow;
        dpow *= &d;
    }
    descartes_unit(&a)
}

/// `p(x + t)` in place.
fn taylor_shift(a: &mut [BigInt], t: &BigInt) {
    if t.is_zero() {
        return;
    }
    let n = a.len();
    for i in 0..n {
        for j in (i..n.saturating_sub(1)).rev() {
            if let Some([lo, hi, ..]) = a.get_mut(j..) {
                *lo += &*hi * t;
            }
        }
    }
}

/// `2^n p(x/2)`.
fn halve_var(p: &[BigInt]) -> ZPoly {
    let n = zdegree(p);
    p.iter().enumerate().map(|(i, c)| c << (n - i)).collect()
}

fn remove_content(p: &mut [BigInt]) {
    let g = p.iter().fold(BigInt::zero(), |g, c| g.gcd(c));
    if !g.is_zero() && !g.is_one() {
        for c in p.iter_mut() {
            *c = &*c / &g;
        }
    }
}

fn max_bits(p: &[BigInt]) -> u64 {
    p.iter().map(BigInt::bits).max().unwrap_or(0)
}

/// `m · 2^e`.
fn dyadic(m: &BigInt, e: i64) -> Q {
    if e >= 0 {
        Q::from(m << e.unsigned_abs())
    } else {
        Q::from_big(BigRational::new(m.clone(), BigInt::one() << e.unsigned_abs()))
    }
}

fn midpoint(lo: &Q, hi: &Q) -> Q {
    lo.add(hi).mul(&Q::new(1, 2))
}

/// `⌈q⌉`.
fn ceil(q: &Q) -> BigInt {
    let (n, d) = (q.numer(), q.denom());
    -((-n).div_floor(&d))
}

/// `p / (q·x - n)` for a rational root `n/q` of `p`.
fn deflate(p: &[BigInt], root: &Q) -> ZPoly {
    let divisor = UPoly::linear(Q::from(-root.numer()), Q::from(root.denom()));
    match upoly(p).exact_div(&divisor) {
        Some(q) => q.integer_coeffs(),
        None => p.to_vec(),
    }
}

// ---------------------------------------------------------------------------
// Isolation.

struct Isolation {
    /// Open intervals, each holding exactly one root; no endpoint is a root.
    intervals: Vec<(Q, Q)>,
    /// Roots that fell on a bisection point.
    exact: Vec<Q>,
}

/// Isolates the real roots of a square-free integer polynomial with
/// `p(0) ≠ 0` and positive degree.
fn isolate(p: &[BigInt], limits: &Limits) -> Result<Isolation> {
    let mut out = isolate_positive(p, limits)?;
    let mirrored: ZPoly = p.iter().enumerate().map(|(i, c)| if i % 2 == 1 { -c } else { c.clone() }).collect();
    let negative = isolate_positive(&mirrored, limits)?;
    out.intervals.extend(negative.intervals.into_iter().map(|(lo, hi)| (hi.neg(), lo.neg())));
    out.exact.extend(negative.exact.into_iter().map(|r| r.neg()));
    Ok(out)
}

/// The smallest `b` with every root of `p` below `2^b` in absolute value
/// (Cauchy: `|z| < 1 + max|a_i| / |a_n|`).
fn root_bound_log2(p: &[BigInt]) -> u64 {
    let lead = p.last().map(BigInt::abs).unwrap_or_else(BigInt::one);
    let rest = p.iter().take(zdegree(p)).map(BigInt::abs).max().unwrap_or_else(BigInt::zero);
    let target = &lead + &rest;
    let mut b = rest.bits().saturating_sub(lead.bits());
    while (&lead << b) < target {
        b += 1;
    }
    b
}

fn isolate_positive(p: &[BigInt], limits: &Limits) -> Result<Isolation> {
    let mut out = Isolation { intervals: Vec::new(), exact: Vec::new() };
    let b = root_bound_log2(p);
    // q(x) = p(2^b x) has its positive roots in (0, 1).
    let mut q: ZPoly = p.iter().enumerate().map(|(i, c)| c << (b * i as u64)).collect();
    remove_content(&mut q);
    let b = i64::try_from(b).unwrap_or(i64::MAX);
    // (q, c, k): q(x) describes p on (c/2^k, (c+1)/2^k)·2^b mapped onto (0, 1).
    let mut stack: Vec<(ZPoly, BigInt, i64)> = vec![(q, BigInt::zero(), 0)];
    while let Some((q, c, k)) = stack.pop() {
        check_bits(max_bits(&q), limits)?;
        match descartes_unit(&q) {
            0 => {}
            1 => out.intervals.push((dyadic(&c, b - k), dyadic(&(&c + 1), b - k))),
            _ => {
                let mut left = halve_var(&q);
                let mut right = left.clone();
                taylor_shift_one(&mut right);
                if right.first().is_some_and(BigInt::is_zero) {
                    out.exact.push(dyadic(&(2 * &c + 1), b - k - 1));
                    right.remove(0);
                }
                remove_content(&mut left);
                remove_content(&mut right);
                stack.push((right, 2 * &c + 1, k + 1));
                stack.push((left, 2 * &c, k + 1));
            }
        }
    }
    Ok(out)
}

/// One exact bisection step of an isolating interval of `p` (which has
/// sign `sign_lo` at `lo`): the half holding the root, or the root itself
/// when it is the midpoint.
fn bisect(p: &[BigInt], lo: &mut Q, hi: &mut Q, sign_lo: i32) -> Option<Q> {
    let mid = midpoint(lo, hi);
    let s = zsign(p, &mid);
    if s == 0 {
        return Some(mid);
    }
    if s == sign_lo {
        *lo = mid;
    } else {
        *hi = mid;
    }
    None
}

// ---------------------------------------------------------------------------
// Classifying the roots of one square-free factor.

fn square_free_roots(mut f: ZPoly, limits: &Limits) -> Result<Vec<RootValue>> {
    let mut out = Vec::new();
    if f.first().is_some_and(BigInt::is_zero) {
        out.push(RootValue::Rational(Q::zero()));
        f.remove(0);
    }
    match f.len() {
        0 | 1 => {}
        2 => out.extend(linear_root(&f)),
        3 => out.extend(solve_quadratic(&f)),
        _ => out.extend(higher_degree_roots(f, limits)?),
    }
    Ok(out)
}

fn linear_root(f: &[BigInt]) -> Option<RootValue> {
    match f {
        [c0, c1] => Q::from(-c0).div(&Q::from(c1.clone())).map(RootValue::Rational),
        _ => None,
    }
}

fn higher_degree_roots(f: ZPoly, limits: &Limits) -> Result<Vec<RootValue>> {
    let iso = isolate(&f, limits)?;
    let mut rationals = iso.exact;
    let mut g = f;
    for r in &rationals {
        g = deflate(&g, r);
    }
    let mut pending = Vec::new();
    let mut found = Vec::new();
    for (lo, hi) in iso.intervals {
        match rational_in_interval(&g, lo, hi) {
            Located::Rational(r) => found.push(r),
            Located::Irrational(lo, hi) => pending.push((lo, hi)),
        }
    }
    for r in &found {
        g = deflate(&g, r);
    }
    rationals.extend(found);
    let mut out: Vec<RootValue> = rationals.into_iter().map(RootValue::Rational).collect();
    match g.len() {
        0 | 1 => {}
        2 => out.extend(linear_root(&g)),
        3 => out.extend(solve_quadratic(&g)),
        _ => {
            let (quadratics, rest, intervals) = split_quadratics(g, pending);
            for q in &quadratics {
                out.extend(solve_quadratic(q));
            }
            match rest.len() {
                0 | 1 => {}
                2 => out.extend(linear_root(&rest)),
                3 => out.extend(solve_quadratic(&rest)),
                _ => {
                    let poly = upoly(&rest);
                    for (lo, hi) in intervals {
                        out.push(RootValue::Interval(IntervalRoot { poly: poly.clone(), lo, hi }));
                    }
                }
            }
        }
    }
    Ok(out)
}

/// What [`rational_in_interval`] found.
enum Located {
    /// The root is this rational.
    Rational(Q),
    /// The root is irrational; here is its interval, refined.
    Irrational(Q, Q),
}

/// Whether the root in `(lo, hi)` is rational. A rational root `n/q` of `g`
/// has `q | lead(g)`, so `lead·n/q` is the only integer in `lead·(lo, hi)`
/// once that is narrower than 1.
fn rational_in_interval(g: &[BigInt], mut lo: Q, mut hi: Q) -> Located {
    let lead = Q::from(g.last().map(BigInt::abs).unwrap_or_else(BigInt::one));
    let sign_lo = zsign(g, &lo);
    while hi.sub(&lo).mul(&lead) >= Q::one() {
        if let Some(root) = bisect(g, &mut lo, &mut hi, sign_lo) {
            return Located::Rational(root);
        }
    }
    let candidate = Q::from(ceil(&lo.mul(&lead)));
    if candidate <= hi.mul(&lead)
        && let Some(r) = candidate.div(&lead)
        && zsign(g, &r) == 0
    {
        return Located::Rational(r);
    }
    Located::Irrational(lo, hi)
}

/// Splits off the quadratic factors of `g` (square-free, no rational roots,
/// degree ≥ 4 to be worth it) that have real roots. Returns the quadratics,
/// the remaining factor and the intervals of its roots.
fn split_quadratics(mut g: ZPoly, mut intervals: Vec<(Q, Q)>) -> (Vec<ZPoly>, ZPoly, Vec<(Q, Q)>) {
    let mut quadratics = Vec::new();
    let mut claimed = vec![false; intervals.len()];
    // A pair that does not give a factor of g gives none of a factor of g.
    let mut failed: HashSet<(usize, usize)> = HashSet::new();
    // A cubic with a quadratic factor has a rational root, which is gone.
    'search: while g.len() > 4 {
        let open: Vec<usize> = (0..intervals.len()).filter(|&i| !claimed.get(i).copied().unwrap_or(true)).collect();
        for (n, &i) in open.iter().enumerate() {
            for &j in open.iter().skip(n + 1) {
                if failed.contains(&(i, j)) {
                    continue;
                }
                let (Some(a), Some(b)) = (intervals.get(i).cloned(), intervals.get(j).cloned()) else {
                    continue;
                };
                let (a, b, candidate) = quadratic_candidate(&g, a, b);
                if let Some(slot) = intervals.get_mut(i) {
                    *slot = a;
                }
                if let Some(slot) = intervals.get_mut(j) {
                    *slot = b;
                }
                let quotient = candidate.as_ref().and_then(|q| upoly(&g).exact_div(&upoly(q)));
                match (candidate, quotient) {
                    (Some(q), Some(rest)) => {
                        for (k, (lo, hi)) in intervals.iter().enumerate() {
                            if zsign(&q, lo) * zsign(&q, hi) < 0
                                && let Some(c) = claimed.get_mut(k)
                            {
                                *c = true;
                            }
                        }
                        g = rest.integer_coeffs();
                        quadratics.push(q);
                        continue 'search;
                    }
                    _ => {
                        failed.insert((i, j));
                    }
                }
            }
        }
        break;
    }
    let rest = intervals
        .into_iter()
        .zip(claimed)
        .filter_map(|(interval, taken)| if taken { None } else { Some(interval) })
        .collect();
    (quadratics, g, rest)
}

/// Refines two isolating intervals of `g` until `lead·(r + s)` and
/// `lead·r·s` are pinned to at most one integer each, and proposes the
/// quadratic `lead·x² - m_s·x + m_p` when both integers exist.
fn quadratic_candidate(g: &[BigInt], a: (Q, Q), b: (Q, Q)) -> ((Q, Q), (Q, Q), Option<ZPoly>) {
    let lead = Q::from(g.last().map(BigInt::abs).unwrap_or_else(BigInt::one));
    let (mut alo, mut ahi) = a;
    let (mut blo, mut bhi) = b;
    let (sa, sb) = (zsign(g, &alo), zsign(g, &blo));
    loop {
        let (sum_lo, sum_hi) = (alo.add(&blo), ahi.add(&bhi));
        let corners = [alo.mul(&blo), alo.mul(&bhi), ahi.mul(&blo), ahi.mul(&bhi)];
        let prod_lo = corners.iter().min().cloned().unwrap_or_default();
        let prod_hi = corners.iter().max().cloned().unwrap_or_default();
        let narrow = |lo: &Q, hi: &Q| hi.sub(lo).mul(&lead) < Q::one();
        if narrow(&sum_lo, &sum_hi) && narrow(&prod_lo, &prod_hi) {
            let candidate = integer_in(&sum_lo.mul(&lead), &sum_hi.mul(&lead))
                .zip(integer_in(&prod_lo.mul(&lead), &prod_hi.mul(&lead)))
                .map(|(ms, mp)| {
                    let mut q = vec![mp, -ms, lead.numer()];
                    remove_content(&mut q);
                    q
                });
            return ((alo, ahi), (blo, bhi), candidate);
        }
        // Rational roots are gone, so no midpoint is a root.
        if bisect(g, &mut alo, &mut ahi, sa).is_some() || bisect(g, &mut blo, &mut bhi, sb).is_some() {
            return ((alo, ahi), (blo, bhi), None);
        }
    }
}

/// The integer in `[lo, hi]` when there is one (the interval is narrower
/// than 1, so there is at most one).
fn integer_in(lo: &Q, hi: &Q) -> Option<BigInt> {
    let m = ceil(lo);
    if Q::from(m.clone()) <= *hi { Some(m) } else { None }
}

/// The real roots of `c2·x² + c1·x + c0` (`c2 > 0`), rational or radical.
fn solve_quadratic(f: &[BigInt]) -> Vec<RootValue> {
    let [c0, c1, c2] = f else {
        return Vec::new();
    };
    let disc: BigInt = c1 * c1 - 4 * c2 * c0;
    let two_a = Q::from(2 * c2);
    let Some(a) = Q::from(-c1).div(&two_a) else {
        return Vec::new();
    };
    if disc.is_negative() {
        return Vec::new();
    }
    if disc.is_zero() {
        return vec![RootValue::Rational(a)];
    }
    let (square, radicand) = split_square(&disc);
    let Some(b) = Q::from(square).div(&two_a.abs()) else {
        return Vec::new();
    };
    if radicand.is_one() {
        return vec![RootValue::Rational(a.sub(&b)), RootValue::Rational(a.add(&b))];
    }
    let poly = upoly(f);
    [false, true]
        .into_iter()
        .map(|plus| {
            RootValue::Quadratic(QuadraticRoot {
                a: a.clone(),
                b: b.clone(),
                c: radicand.clone(),
                plus,
                poly: poly.clone(),
            })
        })
        .collect()
}

/// The largest trial divisor used to split a square off a radicand.
const TRIAL_DIVISION_LIMIT: u64 = 1 << 16;

/// `d = s²·r` with `r` square-free, for `d > 0`. Primes are removed by trial
/// division while `p³ ≤ d'` (the cofactor) and `p ≤ 2^16`. When the first
/// condition ends the search, the cofactor has at most two prime factors, so
/// `r` is exactly square-free. Only a cofactor above 2^48 with a repeated
/// prime factor above 2^16 could stay unsplit (the value is exact either
/// way).
fn split_square(d: &BigInt) -> (BigInt, BigInt) {
    let mut s = BigInt::one();
    let mut r = BigInt::one();
    let mut m = d.abs();
    let mut p: u64 = 2;
    while p <= TRIAL_DIVISION_LIMIT {
        let pb = BigInt::from(p);
        if &pb * &pb * &pb > m {
            break;
        }
        let mut e = 0u32;
        while (&m % &pb).is_zero() {
            m /= &pb;
            e += 1;
        }
        if e > 0 {
            s *= num_traits::pow(pb.clone(), (e / 2) as usize);
            if e % 2 == 1 {
                r *= &pb;
            }
        }
        p = if p == 2 { 3 } else { p + 2 };
    }
    let t = m.sqrt();
    if &t * &t == m {
        s *= t;
    } else {
        r *= m;
    }
    (s, r)
}

// ---------------------------------------------------------------------------
// Enclosures: shrinking rational intervals around a root, for comparison,
// decimals and approximations.

/// Exact bisection of an isolating interval of an integer polynomial. When
/// both ends are dyadic, as they are for every interval made here, they are
/// kept as `a/2^k` and `b/2^k`, so a step is integer arithmetic without any
/// gcd; other ends fall back to rational arithmetic.
enum Refiner {
    Dyadic {
        poly: ZPoly,
        a: BigInt,
        b: BigInt,
        k: u64,
        sign_lo: i32,
    },
    General {
        poly: ZPoly,
        lo: Q,
        hi: Q,
        sign_lo: i32,
    },
    /// The root turned out to be a midpoint (not reached for irrational roots).
    Exact(Q),
}

/// `lo = a/2^k`, `hi = b/2^k` when both denominators are powers of two.
fn common_dyadic(lo: &Q, hi: &Q) -> Option<(BigInt, BigInt, u64)> {
    let power_of_two = |d: &BigInt| d.trailing_zeros().filter(|&t| t + 1 == d.bits());
    let (e1, e2) = (power_of_two(&lo.denom())?, power_of_two(&hi.denom())?);
    let k = e1.max(e2);
    Some((lo.numer() << (k - e1), hi.numer() << (k - e2), k))
}

/// `m / 2^k` as a `Q`, reduced without a gcd.
fn dyadic_q(m: &BigInt, k: u64) -> Q {
    if m.is_zero() {
        return Q::zero();
    }
    let t = m.trailing_zeros().unwrap_or(0).min(k);
    Q::from_big(BigRational::new_raw(m >> t, BigInt::one() << (k - t)))
}

/// The sign of `p(m / 2^k)`.
fn zsign_dyadic(p: &[BigInt], m: &BigInt, k: u64) -> i32 {
    let mut coeffs = p.iter().rev();
    let Some(top) = coeffs.next() else {
        return 0;
    };
    let mut acc = top.clone();
    let mut shift = 0u64;
    for c in coeffs {
        shift += k;
        acc = acc * m + (c << shift);
    }
    bigint_sign(&acc)
}

impl Refiner {
    fn new(poly: ZPoly, lo: &Q, hi: &Q) -> Refiner {
        let sign_lo = zsign(&poly, lo);
        match common_dyadic(lo, hi) {
            Some((a, b, k)) => Refiner::Dyadic { poly, a, b, k, sign_lo },
            None => Refiner::General { poly, lo: lo.clone(), hi: hi.clone(), sign_lo },
        }
    }

    fn bounds(&self) -> (Q, Q) {
        match self {
            Refiner::Dyadic { a, b, k, .. } => (dyadic_q(a, *k), dyadic_q(b, *k)),
            Refiner::General { lo, hi, .. } => (lo.clone(), hi.clone()),
            Refiner::Exact(q) => (q.clone(), q.clone()),
        }
    }

    fn is_exact(&self) -> bool {
        matches!(self, Refiner::Exact(_))
    }

    /// One bisection step.
    fn step(&mut self) {
        match self {
            Refiner::Dyadic { poly, a, b, k, sign_lo } => {
                let mid = &*a + &*b;
                let s = zsign_dyadic(poly, &mid, *k + 1);
                if s == 0 {
                    *self = Refiner::Exact(dyadic_q(&mid, *k + 1));
                    return;
                }
                if s == *sign_lo {
                    *a = mid;
                    *b = &*b << 1u32;
                } else {
                    *b = mid;
                    *a = &*a << 1u32;
                }
                *k += 1;
            }
            Refiner::General { poly, lo, hi, sign_lo } => {
                if let Some(root) = bisect(poly, lo, hi, *sign_lo) {
                    *self = Refiner::Exact(root);
                }
            }
            Refiner::Exact(_) => {}
        }
    }

    /// `hi - lo ≤ min(|lo|, |hi|)·tol` with both ends of one strict sign.
    fn relatively_narrow(&self, tol: &Q) -> bool {
        match self {
            Refiner::Dyadic { a, b, .. } => {
                a.signum() == b.signum() && !a.is_zero() && (b - a) * tol.denom() <= a.abs().min(b.abs()) * tol.numer()
            }
            Refiner::General { lo, hi, .. } => {
                lo.signum() == hi.signum() && !lo.is_zero() && hi.sub(lo) <= lo.abs().min(hi.abs()).mul(tol)
            }
            Refiner::Exact(_) => true,
        }
    }

    /// `hi - lo ≤ w`.
    fn width_at_most(&self, w: &Q) -> bool {
        match self {
            Refiner::Dyadic { a, b, k, .. } => (b - a) * w.denom() <= w.numer() << *k,
            Refiner::General { lo, hi, .. } => hi.sub(lo) <= *w,
            Refiner::Exact(_) => true,
        }
    }
}

enum Enclosure {
    /// A rational value, exactly.
    Exact(Q),
    /// `a ± b·√c` bounded through `⌊√(c·4^k)⌋ / 2^k`; the bounds are strict.
    Quadratic { root: QuadraticRoot, k: u64, lo: Q, hi: Q },
    /// An open isolating interval.
    Interval(Refiner),
}

impl Enclosure {
    fn new(v: &RootValue) -> Enclosure {
        match v {
            RootValue::Rational(q) => Enclosure::Exact(q.clone()),
            RootValue::Quadratic(r) => {
                let (lo, hi) = r.bounds(8);
                Enclosure::Quadratic { root: r.clone(), k: 8, lo, hi }
            }
            RootValue::Interval(r) => Enclosure::Interval(Refiner::new(r.poly.integer_coeffs(), &r.lo, &r.hi)),
        }
    }

    fn bounds(&self) -> (Q, Q) {
        match self {
            Enclosure::Exact(q) => (q.clone(), q.clone()),
            Enclosure::Quadratic { lo, hi, .. } => (lo.clone(), hi.clone()),
            Enclosure::Interval(r) => r.bounds(),
        }
    }

    fn is_exact(&self) -> bool {
        match self {
            Enclosure::Exact(_) => true,
            Enclosure::Quadratic { .. } => false,
            Enclosure::Interval(r) => r.is_exact(),
        }
    }

    /// See [`Refiner::relatively_narrow`].
    fn relatively_narrow(&self, tol: &Q) -> bool {
        match self {
            Enclosure::Exact(_) => true,
            Enclosure::Quadratic { lo, hi, .. } => {
                lo.signum() == hi.signum() && !lo.is_zero() && hi.sub(lo) <= lo.abs().min(hi.abs()).mul(tol)
            }
            Enclosure::Interval(r) => r.relatively_narrow(tol),
        }
    }

    /// Makes the enclosure narrower (a no-op for exact values).
    fn tighten(&mut self) {
        match self {
            Enclosure::Exact(_) => {}
            Enclosure::Quadratic { root, k, lo, hi } => {
                *k += 32;
                let (l, h) = root.bounds(*k);
                *lo = l;
                *hi = h;
            }
            Enclosure::Interval(r) => r.step(),
        }
    }
}

/// How a decimal is cut to its digits.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rounding {
    /// To the nearest, halves away from zero.
    Nearest,
    /// Toward zero.
    Truncate,
}

/// `⌊log10 x⌋` for `x > 0`.
fn floor_log10(x: &Q) -> i64 {
    let ln = x.numer().to_string().len() as i64;
    let ld = x.denom().to_string().len() as i64;
    let e = ln - ld;
    if *x >= pow10(e) { e } else { e - 1 }
}

fn pow10(e: i64) -> Q {
    let p = Q::from(num_traits::pow(BigInt::from(10), e.unsigned_abs() as usize));
    if e >= 0 { p } else { p.recip().unwrap_or_default() }
}

/// `x·10^s` cut to an integer, for `x > 0`.
fn scaled_digits(x: &Q, s: i64, rounding: Rounding) -> BigInt {
    let v = x.mul(&pow10(s));
    let v = match rounding {
        Rounding::Nearest => v.add(&Q::new(1, 2)),
        Rounding::Truncate => v,
    };
    v.numer().div_floor(&v.denom())
}

/// The decimal with `digits` significant digits that every number in
/// `[lo, hi]` gives, if they all give the same one.
fn decimal_if_determined(lo: &Q, hi: &Q, digits: usize, rounding: Rounding) -> Option<(bool, BigInt, i64)> {
    let negative = hi.is_negative();
    if lo.signum() != hi.signum() || lo.is_zero() {
        return None;
    }
    let (small, large) = if negative { (hi.abs(), lo.abs()) } else { (lo.clone(), hi.clone()) };
    let e = floor_log10(&small);
    if floor_log10(&large) != e {
        return None;
    }
    let mut s = i64::try_from(digits).unwrap_or(i64::MAX).saturating_sub(1).saturating_sub(e);
    let m = scaled_digits(&small, s, rounding);
    if scaled_digits(&large, s, rounding) != m {
        return None;
    }
    let mut m = m;
    // 9.996 to three digits is 10.0, not 10.00.
    if m == num_traits::pow(BigInt::from(10), digits) {
        m /= 10;
        s -= 1;
    }
    Some((negative, m, s))
}

/// `±m·10^-s` as text.
fn format_decimal(negative: bool, m: &BigInt, s: i64) -> String {
    let digits = m.to_string();
    let sign = if negative { "-" } else { "" };
    if s <= 0 {
        return format!("{sign}{digits}{}", "0".repeat(s.unsigned_abs() as usize));
    }
    let s = s as usize;
    let padded = format!("{digits:0>width$}", width = s + 1);
    let (int, frac) = padded.split_at(padded.len() - s);
    format!("{sign}{int}.{frac}")
}

fn decimal(v: &RootValue, digits: usize, rounding: Rounding) -> String {
    let digits = digits.max(1);
    if let RootValue::Rational(q) = v {
        if q.is_zero() {
            return "0".to_string();
        }
        let Some((negative, m, s)) = decimal_if_determined(q, q, digits, rounding) else {
            return q.to_string();
        };
        // An exact decimal loses its trailing zeros; a rounded one keeps them.
        let exact = Q::from(m.clone()).mul(&pow10(-s)) == q.abs();
        let text = format_decimal(negative, &m, s);
        if exact && text.contains('.') {
            return text.trim_end_matches('0').trim_end_matches('.').to_string();
        }
        return text;
    }
    let mut enc = Enclosure::new(v);
    // Checking the digits costs more than a bisection, so check only once
    // the enclosure is narrow enough to have a chance, then every few steps.
    let tolerance = pow10(-i64::try_from(digits).unwrap_or(i64::MAX));
    let mut steps = 0u32;
    loop {
        let narrow = enc.relatively_narrow(&tolerance);
        if enc.is_exact() || (narrow && steps.is_multiple_of(4)) {
            let (lo, hi) = enc.bounds();
            if let Some((negative, m, s)) = decimal_if_determined(&lo, &hi, digits, rounding) {
                return format_decimal(negative, &m, s);
            }
            if enc.is_exact() {
                // Only a root that is exactly 0 gets here.
                return "0".to_string();
            }
        }
        if narrow {
            steps += 1;
        }
        enc.tighten();
    }
}

// ---------------------------------------------------------------------------
// The public types.

impl RootValue {
    /// Compares two roots exactly (by shrinking enclosures until they are
    /// apart; for distinct algebraic numbers this always ends). Unlike `==`,
    /// which compares representations, this compares values; it is meant for
    /// roots of one polynomial, which are distinct unless identical.
    ///
    /// ```
    /// use std::cmp::Ordering;
    /// use kobai::{real_roots, Limits, UPoly};
    /// let r = real_roots(&UPoly::from_i64(&[-2, 0, 1]), &Limits::default())?; // ±√2
    /// assert_eq!(r[0].value.cmp_value(&r[1].value), Ordering::Less);
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn cmp_value(&self, other: &RootValue) -> Ordering {
        if let (RootValue::Rational(a), RootValue::Rational(b)) = (self, other) {
            return a.cmp(b);
        }
        if self == other {
            return Ordering::Equal;
        }
        let mut ea = Enclosure::new(self);
        let mut eb = Enclosure::new(other);
        // Enclosures of irrational values are open, so touching bounds
        // already separate the values.
        for _ in 0..100_000 {
            let ((alo, ahi), (blo, bhi)) = (ea.bounds(), eb.bounds());
            if ea.is_exact() && eb.is_exact() {
                return alo.cmp(&blo);
            }
            if ahi <= blo {
                return Ordering::Less;
            }
            if bhi <= alo {
                return Ordering::Greater;
            }
            if ahi.sub(&alo) >= bhi.sub(&blo) {
                ea.tighten();
            } else {
                eb.tighten();
            }
        }
        let ((alo, ahi), (blo, bhi)) = (ea.bounds(), eb.bounds());
        midpoint(&alo, &ahi).cmp(&midpoint(&blo, &bhi))
    }

    /// The sign of `q` at this root, exactly: 0 when `q` vanishes there.
    ///
    /// ```
    /// use kobai::{real_roots, Limits, UPoly};
    /// let lim = Limits::default();
    /// let p = UPoly::from_i64(&[-1, -1, 0, 0, 0, 1]); // x^5 - x - 1, root ≈ 1.1673
    /// let root = &real_roots(&p, &lim)?[0].value;
    /// assert_eq!(root.sign_of(&UPoly::from_i64(&[-7, 6])), 1); // 6x - 7 at 1.1673...
    /// assert_eq!(root.sign_of(&UPoly::from_i64(&[-6, 5])), -1); // 5x - 6
    /// assert_eq!(root.sign_of(&p.mul(&UPoly::from_i64(&[3, 1]))), 0);
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn sign_of(&self, q: &UPoly) -> i32 {
        match self {
            RootValue::Rational(r) => q.sign_at(r),
            RootValue::Quadratic(r) => r.sign_of(q),
            RootValue::Interval(r) => r.sign_of(q),
        }
    }

    /// The value as an expression (`1 + sqrt(2)`), for rational and radical
    /// roots; `None` for an interval root.
    ///
    /// ```
    /// use kobai::{read, real_roots, Limits, UPoly};
    /// let r = real_roots(&UPoly::from_i64(&[4, -12, 4]), &Limits::default())?;
    /// assert_eq!(r[1].value.to_expr(), Some(read("(3 + sqrt(5))/2")?));
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn to_expr(&self) -> Option<Expr> {
        match self {
            RootValue::Rational(q) => Some(Expr::num(q.clone())),
            RootValue::Quadratic(r) => Some(r.to_expr()),
            RootValue::Interval(_) => None,
        }
    }

    /// The nearest `f64`, for display only (computed from an exact enclosure
    /// 2^-60 narrow relative to the value).
    ///
    /// ```
    /// use kobai::{real_roots, Limits, UPoly};
    /// let r = real_roots(&UPoly::from_i64(&[-2, 0, 1]), &Limits::default())?;
    /// assert_eq!(r[1].value.approx(), 2f64.sqrt());
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn approx(&self) -> f64 {
        let tolerance = Q::from_big(BigRational::new(BigInt::one(), BigInt::one() << 60u32));
        self.midpoint_within(&tolerance).to_f64()
    }

    /// The value when it is rational.
    ///
    /// ```
    /// use kobai::{real_roots, Limits, UPoly, Q};
    /// let r = real_roots(&UPoly::from_i64(&[-20, 8]), &Limits::default())?;
    /// assert_eq!(r[0].value.rational(), Some(Q::new(5, 2)));
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn rational(&self) -> Option<Q> {
        match self {
            RootValue::Rational(q) => Some(q.clone()),
            RootValue::Quadratic(_) | RootValue::Interval(_) => None,
        }
    }

    /// A rational within a relative distance `10^-digits` of the value (the
    /// value itself when it is rational): the midpoint of an exact enclosure
    /// that narrow.
    ///
    /// ```
    /// use kobai::{real_roots, Limits, UPoly, Q};
    /// let r = real_roots(&UPoly::from_i64(&[-2, 0, 1]), &Limits::default())?;
    /// let m = r[1].value.midpoint(20);
    /// let err = m.mul(&m).sub(&Q::from(2)).abs();
    /// assert!(err < Q::new(1, 10_i64.pow(18)));
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn midpoint(&self, digits: usize) -> Q {
        self.midpoint_within(&pow10(-i64::try_from(digits).unwrap_or(i64::MAX)))
    }

    fn midpoint_within(&self, tolerance: &Q) -> Q {
        let mut enc = Enclosure::new(self);
        while !enc.relatively_narrow(tolerance) {
            enc.tighten();
        }
        let (lo, hi) = enc.bounds();
        midpoint(&lo, &hi)
    }

    /// The value with `digits` significant digits, correctly rounded (halves
    /// away from zero; an irrational value has no halves). Every digit is
    /// certified by an exact enclosure. An exact rational decimal drops its
    /// trailing zeros.
    ///
    /// ```
    /// use kobai::{real_roots, Limits, UPoly};
    /// let r = real_roots(&UPoly::from_i64(&[-2, 0, 1]), &Limits::default())?;
    /// assert_eq!(r[1].value.to_decimal(17), "1.4142135623730950");
    /// assert_eq!(r[0].value.to_decimal(3), "-1.41");
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn to_decimal(&self, digits: usize) -> String {
        decimal(self, digits, Rounding::Nearest)
    }

    /// The value with `digits` significant digits, truncated toward zero
    /// (every printed digit is a digit of the exact value).
    ///
    /// ```
    /// use kobai::{real_roots, Limits, UPoly};
    /// let r = real_roots(&UPoly::from_i64(&[-2, 0, 1]), &Limits::default())?;
    /// assert_eq!(r[1].value.to_decimal_truncated(4), "1.414");
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn to_decimal_truncated(&self, digits: usize) -> String {
        decimal(self, digits, Rounding::Truncate)
    }

    /// The text with unicode symbols: `1 + √2`, `(3 − √5)/2`.
    ///
    /// ```
    /// use kobai::{real_roots, Limits, UPoly};
    /// let r = real_roots(&UPoly::from_i64(&[4, -12, 4]), &Limits::default())?;
    /// assert_eq!(r[0].value.unicode(), "(3 − √5)/2");
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn unicode(&self) -> String {
        match self {
            RootValue::Rational(q) => crate::print::unicode(&Expr::num(q.clone())),
            RootValue::Quadratic(r) => r.render(true),
            RootValue::Interval(r) => r.render(true),
        }
    }
}

impl fmt::Display for RootValue {
    /// The text form: `5/2`, `1 - sqrt(2)`, or for an interval root
    /// `root of x^5 - x - 1 in (1, 2)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RootValue::Rational(q) => write!(f, "{q}"),
            RootValue::Quadratic(r) => f.write_str(&r.render(false)),
            RootValue::Interval(r) => f.write_str(&r.render(false)),
        }
    }
}

impl RealRoot {
    /// The sign of `q` at this root; see [`RootValue::sign_of`].
    ///
    /// ```
    /// use kobai::{real_roots, Limits, UPoly};
    /// let r = real_roots(&UPoly::from_i64(&[-2, 0, 1]), &Limits::default())?;
    /// assert_eq!(r[0].sign_of(&UPoly::from_i64(&[0, 1])), -1); // x at -√2
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn sign_of(&self, q: &UPoly) -> i32 {
        self.value.sign_of(q)
    }

    /// The value as an expression; see [`RootValue::to_expr`].
    ///
    /// ```
    /// use kobai::{real_roots, Limits, UPoly};
    /// let r = real_roots(&UPoly::from_i64(&[-1, -2, 1]), &Limits::default())?;
    /// assert_eq!(r[1].to_expr(), Some(kobai::read("1 + sqrt(2)")?));
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn to_expr(&self) -> Option<Expr> {
        self.value.to_expr()
    }

    /// The nearest `f64`; see [`RootValue::approx`].
    ///
    /// ```
    /// use kobai::{real_roots, Limits, UPoly};
    /// let r = real_roots(&UPoly::from_i64(&[-20, 8]), &Limits::default())?;
    /// assert_eq!(r[0].approx(), 2.5);
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn approx(&self) -> f64 {
        self.value.approx()
    }

    /// The value when it is rational; see [`RootValue::rational`].
    ///
    /// ```
    /// use kobai::{real_roots, Limits, UPoly, Q};
    /// let r = real_roots(&UPoly::from_i64(&[-2, 0, 1]), &Limits::default())?;
    /// assert_eq!(r[0].rational(), None);
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn rational(&self) -> Option<Q> {
        self.value.rational()
    }

    /// A rational within relative distance `10^-digits`; see
    /// [`RootValue::midpoint`].
    ///
    /// ```
    /// use kobai::{real_roots, Limits, UPoly, Q};
    /// let r = real_roots(&UPoly::from_i64(&[-20, 8]), &Limits::default())?;
    /// assert_eq!(r[0].midpoint(5), Q::new(5, 2));
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn midpoint(&self, digits: usize) -> Q {
        self.value.midpoint(digits)
    }

    /// The unicode text, with the multiplicity when it is above 1.
    ///
    /// ```
    /// use kobai::{real_roots, Limits, UPoly};
    /// let r = real_roots(&UPoly::from_i64(&[-2, 0, 1]).pow(2), &Limits::default())?;
    /// assert_eq!(r[1].unicode(), "√2 (multiplicity 2)");
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn unicode(&self) -> String {
        with_multiplicity(self.value.unicode(), self.multiplicity)
    }
}

fn with_multiplicity(text: String, m: u32) -> String {
    if m > 1 { format!("{text} (multiplicity {m})") } else { text }
}

impl fmt::Display for RealRoot {
    /// The value's text, with the multiplicity when it is above 1.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&with_multiplicity(self.value.to_string(), self.multiplicity))
    }
}

impl QuadraticRoot {
    /// The rational part `a`.
    ///
    /// ```
    /// use kobai::{real_roots, Limits, RootValue, UPoly, Q};
    /// let r = real_roots(&UPoly::from_i64(&[-1, -2, 1]), &Limits::default())?;
    /// let RootValue::Quadratic(q) = &r[0].value else { panic!() };
    /// assert_eq!(q.a(), Q::one());
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn a(&self) -> Q {
        self.a.clone()
    }

    /// The coefficient `b > 0` of the square root.
    ///
    /// ```
    /// use kobai::{real_roots, Limits, RootValue, UPoly, Q};
    /// let r = real_roots(&UPoly::from_i64(&[-8, 0, 1]), &Limits::default())?;
    /// let RootValue::Quadratic(q) = &r[0].value else { panic!() };
    /// assert_eq!(q.b(), Q::from(2));
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn b(&self) -> Q {
        self.b.clone()
    }

    /// The radicand `c`, a square-free integer greater than 1.
    ///
    /// ```
    /// use kobai::{real_roots, Limits, RootValue, UPoly, Q};
    /// let r = real_roots(&UPoly::from_i64(&[-8, 0, 1]), &Limits::default())?;
    /// let RootValue::Quadratic(q) = &r[0].value else { panic!() };
    /// assert_eq!(q.c(), Q::from(2));
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn c(&self) -> Q {
        Q::from(self.c.clone())
    }

    /// The sign before the square root: 1 or -1.
    ///
    /// ```
    /// use kobai::{real_roots, Limits, RootValue, UPoly};
    /// let r = real_roots(&UPoly::from_i64(&[-8, 0, 1]), &Limits::default())?;
    /// let RootValue::Quadratic(q) = &r[0].value else { panic!() };
    /// assert_eq!(q.sign(), -1);
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn sign(&self) -> i32 {
        if self.plus { 1 } else { -1 }
    }

    /// The irreducible quadratic with primitive integer coefficients whose
    /// root this is.
    ///
    /// ```
    /// use kobai::{real_roots, Limits, RootValue, UPoly};
    /// let r = real_roots(&UPoly::from_i64(&[-4, 0, 2]), &Limits::default())?;
    /// let RootValue::Quadratic(q) = &r[0].value else { panic!() };
    /// assert_eq!(q.poly().to_string(), "x^2 - 2");
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn poly(&self) -> &UPoly {
        &self.poly
    }

    /// `p` at this root, exactly, as `(u, v)` meaning `u + v·√c`.
    ///
    /// ```
    /// use kobai::{real_roots, Limits, RootValue, UPoly, Q};
    /// let r = real_roots(&UPoly::from_i64(&[-1, -2, 1]), &Limits::default())?;
    /// let RootValue::Quadratic(q) = &r[1].value else { panic!() }; // 1 + √2
    /// assert_eq!(q.eval(&UPoly::from_i64(&[0, 0, 1])), (Q::from(3), Q::from(2))); // 3 + 2√2
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn eval(&self, p: &UPoly) -> (Q, Q) {
        let c = self.c();
        let (x, y) = (self.a.clone(), if self.plus { self.b.clone() } else { self.b.neg() });
        let mut u = Q::zero();
        let mut v = Q::zero();
        for k in p.coeffs().iter().rev() {
            // (u + v√c)(x + y√c) + k
            let nu = u.mul(&x).add(&c.mul(&v.mul(&y))).add(k);
            let nv = u.mul(&y).add(&v.mul(&x));
            u = nu;
            v = nv;
        }
        (u, v)
    }

    /// `p` at this root, exactly, as an expression (`2*sqrt(2) + 3`).
    ///
    /// ```
    /// use kobai::{read, real_roots, Limits, RootValue, UPoly};
    /// let r = real_roots(&UPoly::from_i64(&[-1, -2, 1]), &Limits::default())?;
    /// let RootValue::Quadratic(q) = &r[1].value else { panic!() };
    /// assert_eq!(q.eval_expr(&UPoly::from_i64(&[0, 0, 1])), read("3 + 2*sqrt(2)")?);
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn eval_expr(&self, p: &UPoly) -> Expr {
        let (u, v) = self.eval(p);
        Expr::weighted_sum(u, [(self.sqrt_c(), v)])
    }

    fn sqrt_c(&self) -> Expr {
        Expr::pow(&Expr::num(self.c()), &Expr::num(Q::new(1, 2)))
    }

    /// The sign of `p` at this root, exactly.
    fn sign_of(&self, p: &UPoly) -> i32 {
        let (u, v) = self.eval(p);
        let (su, sv) = (u.signum(), v.signum());
        if sv == 0 || su == sv {
            return if su == 0 { sv } else { su };
        }
        if su == 0 {
            return sv;
        }
        // Opposite signs: the larger of u² and c·v² wins (they differ, as √c
        // is irrational).
        if u.mul(&u) > self.c().mul(&v.mul(&v)) { su } else { sv }
    }

    /// The value as an expression, `a ± b·sqrt(c)`.
    ///
    /// ```
    /// use kobai::{read, real_roots, Limits, RootValue, UPoly};
    /// let r = real_roots(&UPoly::from_i64(&[-8, 0, 1]), &Limits::default())?;
    /// let RootValue::Quadratic(q) = &r[0].value else { panic!() };
    /// assert_eq!(q.to_expr(), read("-2*sqrt(2)")?);
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn to_expr(&self) -> Expr {
        let b = if self.plus { self.b.clone() } else { self.b.neg() };
        Expr::weighted_sum(self.a.clone(), [(self.sqrt_c(), b)])
    }

    /// Strict rational bounds from `⌊√(c·4^k)⌋ / 2^k < √c`.
    fn bounds(&self, k: u64) -> (Q, Q) {
        let m = (&self.c << (2 * k)).sqrt();
        let e = -i64::try_from(k).unwrap_or(i64::MAX);
        let (s_lo, s_hi) = (dyadic(&m, e), dyadic(&(m + 1), e));
        if self.plus {
            (self.a.add(&self.b.mul(&s_lo)), self.a.add(&self.b.mul(&s_hi)))
        } else {
            (self.a.sub(&self.b.mul(&s_hi)), self.a.sub(&self.b.mul(&s_lo)))
        }
    }

    /// `(A ± B·sqrt(c))/d` over the common denominator of `a` and `b`.
    fn render(&self, unicode: bool) -> String {
        let d = self.a.denom().lcm(&self.b.denom());
        let big_a = self.a.mul(&Q::from(d.clone())).numer();
        let big_b = self.b.mul(&Q::from(d.clone())).numer();
        let minus = if unicode { "−" } else { "-" };
        let radical = if unicode { format!("√{}", self.c) } else { format!("sqrt({})", self.c) };
        let root_part = if big_b.is_one() {
            radical
        } else if unicode {
            format!("{big_b}{radical}")
        } else {
            format!("{big_b}*{radical}")
        };
        let numerator = if big_a.is_zero() {
            if self.plus { root_part } else { format!("{minus}{root_part}") }
        } else {
            let a_text = if big_a.is_negative() { format!("{minus}{}", big_a.abs()) } else { big_a.to_string() };
            let op = if self.plus { "+" } else { minus };
            format!("{a_text} {op} {root_part}")
        };
        if d.is_one() {
            numerator
        } else if big_a.is_zero() {
            format!("{numerator}/{d}")
        } else {
            format!("({numerator})/{d}")
        }
    }
}

impl fmt::Display for QuadraticRoot {
    /// The text form: `1 + sqrt(2)`, `(3 - sqrt(5))/2`, `-2*sqrt(2)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

impl IntervalRoot {
    /// The square-free polynomial (primitive integer coefficients) whose
    /// only root in the interval this is. It has no rational roots and no
    /// quadratic factor with real roots, but it may still be reducible
    /// (a factor such as `x^2 + 1`, without real roots, can remain).
    ///
    /// ```
    /// use kobai::{real_roots, Limits, RootValue, UPoly};
    /// let r = real_roots(&UPoly::from_i64(&[-1, -1, 0, 0, 0, 1]), &Limits::default())?;
    /// let RootValue::Interval(i) = &r[0].value else { panic!() };
    /// assert_eq!(i.poly().to_string(), "x^5 - x - 1");
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn poly(&self) -> &UPoly {
        &self.poly
    }

    /// The lower end of the open interval.
    ///
    /// ```
    /// use kobai::{real_roots, Limits, RootValue, UPoly};
    /// let r = real_roots(&UPoly::from_i64(&[-1, -1, 0, 0, 0, 1]), &Limits::default())?;
    /// let RootValue::Interval(i) = &r[0].value else { panic!() };
    /// assert!(i.lo() < i.hi());
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn lo(&self) -> &Q {
        &self.lo
    }

    /// The upper end of the open interval.
    ///
    /// ```
    /// use kobai::{real_roots, Limits, RootValue, UPoly, Q};
    /// let r = real_roots(&UPoly::from_i64(&[-1, -1, 0, 0, 0, 1]), &Limits::default())?;
    /// let RootValue::Interval(i) = &r[0].value else { panic!() };
    /// assert!(*i.hi() <= Q::from(2));
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn hi(&self) -> &Q {
        &self.hi
    }

    /// Bisects exactly until the interval proves `digits` significant
    /// digits: `hi - lo ≤ min(|lo|, |hi|)·10^-digits` (so the interval does
    /// not contain 0). Returns the narrowed interval, which still holds the
    /// root strictly inside.
    ///
    /// ```
    /// use kobai::{real_roots, Limits, RootValue, UPoly, Q};
    /// let r = real_roots(&UPoly::from_i64(&[-1, -1, 0, 0, 0, 1]), &Limits::default())?;
    /// let RootValue::Interval(i) = &r[0].value else { panic!() };
    /// let (lo, hi) = i.refine(10);
    /// assert!(hi.sub(&lo) <= lo.mul(&Q::new(1, 10_000_000_000)));
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn refine(&self, digits: usize) -> (Q, Q) {
        let tolerance = pow10(-i64::try_from(digits).unwrap_or(i64::MAX));
        let mut refiner = Refiner::new(self.poly.integer_coeffs(), &self.lo, &self.hi);
        while !refiner.relatively_narrow(&tolerance) {
            refiner.step();
        }
        refiner.bounds()
    }

    /// Bisects exactly until `hi - lo ≤ width` (a width of zero or less is
    /// treated as no requirement).
    ///
    /// ```
    /// use kobai::{real_roots, Limits, RootValue, UPoly, Q};
    /// let r = real_roots(&UPoly::from_i64(&[-1, -1, 0, 0, 0, 1]), &Limits::default())?;
    /// let RootValue::Interval(i) = &r[0].value else { panic!() };
    /// let (lo, hi) = i.refine_to_width(&Q::new(1, 1000));
    /// assert!(hi.sub(&lo) <= Q::new(1, 1000));
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn refine_to_width(&self, width: &Q) -> (Q, Q) {
        let mut refiner = Refiner::new(self.poly.integer_coeffs(), &self.lo, &self.hi);
        if !width.is_negative() && !width.is_zero() {
            while !refiner.width_at_most(width) {
                refiner.step();
            }
        }
        refiner.bounds()
    }

    /// Narrows the interval until it holds no other root of `p`, a
    /// square-free multiple of the interval's polynomial, and `p` vanishes at
    /// neither end. Descartes' bound for `p` on the interval reaches 1 once
    /// the interval is narrow enough around the simple root.
    fn isolate_among(&mut self, p: &UPoly) {
        let poly = self.poly.integer_coeffs();
        let whole = p.integer_coeffs();
        let sign_lo = zsign(&poly, &self.lo);
        while zsign(&whole, &self.lo) == 0
            || zsign(&whole, &self.hi) == 0
            || descartes_interval(&whole, &self.lo, &self.hi) != 1
        {
            if let Some(root) = bisect(&poly, &mut self.lo, &mut self.hi, sign_lo) {
                // Not reached: the root is irrational.
                self.lo = root.clone();
                self.hi = root;
                return;
            }
        }
    }

    /// The root with `digits` significant digits, correctly rounded, every
    /// digit certified by the interval. See [`RootValue::to_decimal`].
    ///
    /// ```
    /// use kobai::{real_roots, Limits, RootValue, UPoly};
    /// let r = real_roots(&UPoly::from_i64(&[-1, -1, 0, 0, 0, 1]), &Limits::default())?;
    /// let RootValue::Interval(i) = &r[0].value else { panic!() };
    /// assert_eq!(i.to_decimal(17), "1.1673039782614187");
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn to_decimal(&self, digits: usize) -> String {
        decimal(&RootValue::Interval(self.clone()), digits, Rounding::Nearest)
    }

    /// The root with `digits` significant digits, truncated toward zero.
    /// See [`RootValue::to_decimal_truncated`].
    ///
    /// ```
    /// use kobai::{real_roots, Limits, RootValue, UPoly};
    /// let r = real_roots(&UPoly::from_i64(&[-1, -1, 0, 0, 0, 1]), &Limits::default())?;
    /// let RootValue::Interval(i) = &r[0].value else { panic!() };
    /// assert_eq!(i.to_decimal_truncated(5), "1.1673");
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn to_decimal_truncated(&self, digits: usize) -> String {
        decimal(&RootValue::Interval(self.clone()), digits, Rounding::Truncate)
    }

    /// The sign of `q` at the root: 0 when `q` shares it (a common factor
    /// with the root's polynomial changes sign in the interval), else the sign
    /// of `q` anywhere in an interval narrowed until Descartes' rule proves
    /// `q` has no root in it.
    fn sign_of(&self, q: &UPoly) -> i32 {
        if q.is_zero() {
            return 0;
        }
        let common = self.poly.gcd(q);
        if common.degree().is_some_and(|d| d > 0) && common.sign_at(&self.lo) * common.sign_at(&self.hi) < 0 {
            return 0;
        }
        let poly = self.poly.integer_coeffs();
        let q_int = q.integer_coeffs();
        let (mut lo, mut hi) = (self.lo.clone(), self.hi.clone());
        let sign_lo = zsign(&poly, &lo);
        loop {
            if descartes_interval(&q_int, &lo, &hi) == 0 {
                return q.sign_at(&midpoint(&lo, &hi));
            }
            if let Some(root) = bisect(&poly, &mut lo, &mut hi, sign_lo) {
                return q.sign_at(&root);
            }
        }
    }

    fn render(&self, unicode: bool) -> String {
        let x = Expr::symbol("x");
        let p = self.poly.to_expr(&x);
        if unicode {
            format!("root of {} in ({}, {})", crate::print::unicode(&p), self.lo, self.hi)
        } else {
            format!("root of {p} in ({}, {})", self.lo, self.hi)
        }
    }
}

impl fmt::Display for IntervalRoot {
    /// `root of x^5 - x - 1 in (1, 2)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::lower::read;

    fn lim() -> Limits {
        Limits::default()
    }

    fn roots(coeffs: &[i64]) -> Vec<RealRoot> {
        real_roots(&UPoly::from_i64(coeffs), &lim()).unwrap()
    }

    fn texts(coeffs: &[i64]) -> Vec<String> {
        roots(coeffs).iter().map(|r| r.to_string()).collect()
    }

    #[test]
    fn radicals() {
        assert_eq!(texts(&[-2, 0, 1]), ["-sqrt(2)", "sqrt(2)"]);
        assert_eq!(texts(&[-8, 0, 1]), ["-2*sqrt(2)", "2*sqrt(2)"]);
        assert_eq!(texts(&[-1, -2, 1]), ["1 - sqrt(2)", "1 + sqrt(2)"]);
        assert_eq!(texts(&[4, -12, 4]), ["(3 - sqrt(5))/2", "(3 + sqrt(5))/2"]);
        assert_eq!(texts(&[-5, 0, 4]), ["-sqrt(5)/2", "sqrt(5)/2"]);
        assert_eq!(texts(&[-11, 6, 9]), ["(-1 - 2*sqrt(3))/3", "(-1 + 2*sqrt(3))/3"]);
        // (x^2 - 2)(x^2 - 3)
        assert_eq!(texts(&[6, 0, -5, 0, 1]), ["-sqrt(3)", "-sqrt(2)", "sqrt(2)", "sqrt(3)"]);
        assert!(texts(&[1, 0, 0, 0, 1]).is_empty());
        assert!(texts(&[1, 0, 1]).is_empty());
        // The text forms read back to the values.
        for coeffs in [[-1, -2, 1], [4, -12, 4], [-11, 6, 9]] {
            for r in roots(&coeffs) {
                assert_eq!(read(&r.to_string()).unwrap(), r.to_expr().unwrap());
            }
        }
    }

    #[test]
    fn square_part_of_radicands() {
        let split = |d: i64| {
            let (s, r) = split_square(&BigInt::from(d));
            (s.to_string(), r.to_string())
        };
        assert_eq!(split(8), ("2".into(), "2".into()));
        assert_eq!(split(72), ("6".into(), "2".into()));
        assert_eq!(split(49), ("7".into(), "1".into()));
        // Primes above the trial limit: p^2 and p·q are told apart exactly.
        assert_eq!(split(65537 * 65537 * 3), ("65537".into(), "3".into()));
        assert_eq!(split(65537 * 65539), ("1".into(), (65537i64 * 65539).to_string()));
    }

    #[test]
    fn multiplicities_and_rationals() {
        // (x - 1)^3 (x + 2)
        let p = UPoly::from_i64(&[-1, 1]).pow(3).mul(&UPoly::from_i64(&[2, 1]));
        let r = real_roots(&p, &lim()).unwrap();
        let got: Vec<(String, u32)> = r.iter().map(|r| (r.value.to_string(), r.multiplicity)).collect();
        assert_eq!(got, [("-2".to_string(), 1), ("1".to_string(), 3)]);
        // Rational roots with large denominators found from intervals.
        let p = UPoly::from_i64(&[-1, 1000]).mul(&UPoly::from_i64(&[999, 1001])).mul(&UPoly::from_i64(&[-2, 0, 0, 1]));
        let got: Vec<String> = real_roots(&p, &lim()).unwrap().iter().map(|r| r.to_string()).collect();
        assert_eq!(got[0], "-999/1001");
        assert_eq!(got[1], "1/1000");
        assert!(got[2].starts_with("root of x^3 - 2 in"));
        // A root on a bisection point, and one inside an interval.
        assert_eq!(texts(&[9, -12, -3, 4]), ["-sqrt(3)", "3/4", "sqrt(3)"]);
        assert_eq!(texts(&[-3, 4]), ["3/4"]);
        assert_eq!(texts(&[3, -4, -3, 4]), ["-1", "3/4", "1"]);
    }

    #[test]
    fn quartic_splits_into_quadratics() {
        // (x^2 - x - 1)(x^2 - 5): four radicals found by splitting.
        let p = UPoly::from_i64(&[-1, -1, 1]).mul(&UPoly::from_i64(&[-5, 0, 1]));
        assert_eq!(
            real_roots(&p, &lim()).unwrap().iter().map(|r| r.to_string()).collect::<Vec<_>>(),
            ["-sqrt(5)", "(1 - sqrt(5))/2", "(1 + sqrt(5))/2", "sqrt(5)"]
        );
        // (3x^2 - 7)(x^3 - 2): two radicals, one interval root.
        let p = UPoly::from_i64(&[-7, 0, 3]).mul(&UPoly::from_i64(&[-2, 0, 0, 1]));
        let r = real_roots(&p, &lim()).unwrap();
        assert_eq!(r.len(), 3);
        assert_eq!(r[0].to_string(), "-sqrt(21)/3");
        assert_eq!(r[2].to_string(), "sqrt(21)/3");
        let RootValue::Interval(i) = &r[1].value else { panic!("{:?}", r[1]) };
        assert_eq!(i.poly(), &UPoly::from_i64(&[-2, 0, 0, 1]));
        assert_eq!(i.to_decimal(10), "1.259921050");
    }

    #[test]
    fn quintic_interval() {
        let r = roots(&[-1, -1, 0, 0, 0, 1]);
        assert_eq!(r.len(), 1);
        let RootValue::Interval(i) = &r[0].value else { panic!() };
        assert_eq!(i.to_decimal_truncated(16), "1.167303978261418");
        assert_eq!(i.to_decimal(16), "1.167303978261419");
        assert_eq!(i.to_decimal(17), "1.1673039782614187");
        assert_eq!(r[0].value.to_decimal(30), "1.16730397826141868425604589985");
        let (lo, hi) = i.refine(16);
        assert!(lo.to_decimal_string(20).starts_with("1.16730397826141"));
        assert!(hi.sub(&lo) <= lo.mul(&Q::new(1, 10_000_000_000_000_000)));
        assert!((r[0].approx() - 1.1673039782614187).abs() < 1e-15);
        assert_eq!(r[0].to_expr(), None);
    }

    #[test]
    fn decimals_of_all_kinds() {
        let r = roots(&[-2, 0, 1]);
        assert_eq!(r[0].value.to_decimal(5), "-1.4142");
        assert_eq!(r[0].value.to_decimal_truncated(5), "-1.4142");
        assert_eq!(r[1].value.to_decimal(1), "1");
        let q = RootValue::Rational(Q::new(5, 2));
        assert_eq!(q.to_decimal(16), "2.5");
        assert_eq!(RootValue::Rational(Q::new(1, 3)).to_decimal(4), "0.3333");
        assert_eq!(RootValue::Rational(Q::new(2, 3)).to_decimal(4), "0.6667");
        assert_eq!(RootValue::Rational(Q::new(2, 3)).to_decimal_truncated(4), "0.6666");
        assert_eq!(RootValue::Rational(Q::from(-1234)).to_decimal(2), "-1200");
        assert_eq!(RootValue::Rational(Q::new(9996, 1000)).to_decimal(3), "10.0");
        assert_eq!(RootValue::Rational(Q::zero()).to_decimal(3), "0");
        assert_eq!(RootValue::Rational(Q::new(1, 800)).to_decimal(2), "0.0013");
        // 10^6 + √2: large magnitude, many digits.
        let big = roots(&[999_999_999_998, -2_000_000, 1]); // (x - 10^6)^2 - 2
        assert_eq!(big[1].value.to_decimal(12), "1000001.41421");
    }

    #[test]
    fn signs_at_roots() {
        let sqrt2 = &roots(&[-2, 0, 1])[1].value;
        assert_eq!(sqrt2.sign_of(&UPoly::from_i64(&[-141, 100])), 1);
        assert_eq!(sqrt2.sign_of(&UPoly::from_i64(&[-142, 100])), -1);
        assert_eq!(sqrt2.sign_of(&UPoly::from_i64(&[-2, 0, 1])), 0);
        assert_eq!(sqrt2.sign_of(&UPoly::from_i64(&[3, -1, 0, 1])), 1);
        assert_eq!(sqrt2.sign_of(&UPoly::zero()), 0);
        let quintic = roots(&[-1, -1, 0, 0, 0, 1]);
        let alpha = &quintic[0];
        // The second derivative 20x^3 is positive there; x^2 - 1.3626 changes sign nearby.
        assert_eq!(alpha.sign_of(&UPoly::from_i64(&[0, 0, 0, 20])), 1);
        let near = UPoly::new(vec![Q::new(-13626, 10000), Q::zero(), Q::one()]); // α² ≈ 1.362598
        assert_eq!(alpha.sign_of(&near), -1);
        assert_eq!(alpha.sign_of(&UPoly::from_i64(&[-1, -1, 0, 0, 0, 1]).pow(2)), 0);
        let rational = &roots(&[-3, 4])[0];
        assert_eq!(rational.sign_of(&UPoly::from_i64(&[-1, 1])), -1);
    }

    #[test]
    fn ordering_is_exact() {
        // Roots that agree to many digits: x^2 - 2 and 10^12·x - 1414213562373 (a rational just below √2).
        let mut p = UPoly::from_i64(&[-2, 0, 1]);
        p = p.mul(&UPoly::from_i64(&[-1_414_213_562_373, 1_000_000_000_000]));
        p = p.mul(&UPoly::from_i64(&[-1, -1, 0, 0, 0, 1]));
        let r = real_roots(&p, &lim()).unwrap();
        let shown: Vec<String> = r.iter().map(|r| r.value.to_decimal(6)).collect();
        assert_eq!(shown, ["-1.41421", "1.16730", "1.41421", "1.41421"]);
        assert_eq!(r[2].value, RootValue::Rational(Q::new(1_414_213_562_373, 1_000_000_000_000)));
        assert!(matches!(r[3].value, RootValue::Quadratic(_)));
    }

    #[test]
    fn limits_and_edge_cases() {
        assert!(real_roots(&UPoly::zero(), &lim()).is_err());
        assert!(texts(&[5]).is_empty());
        assert_eq!(texts(&[0, 0, 0, 1]), ["0 (multiplicity 3)"]);
        let small = Limits::default().with_max_exponent(3);
        assert!(matches!(real_roots(&UPoly::from_i64(&[1, 0, 0, 0, 1]), &small), Err(Error::Limit { .. })));
        let r = roots(&[0, 0, -2, 0, 1]);
        assert_eq!(r.iter().map(|r| r.to_string()).collect::<Vec<_>>(), ["-sqrt(2)", "0 (multiplicity 2)", "sqrt(2)"]);
        assert_eq!(r[0].unicode(), "−√2");
    }
}
