//! Shared test helpers: an oracle that is independent of kobai's `Expr`.
//!
//! The oracle evaluates the `Ast` straight from the parser, so a property
//! that compares it with kobai checks lowering, canonicalization and every
//! transformation at once. It uses `Q` only as a number type (its add, mul,
//! div and pow are number primitives); it never calls kobai's constructors,
//! `expand`, `diff` or `subs`.
//!
//! One generic evaluator serves every purpose: it runs over any [`Scalar`],
//! which is exact rationals (`Q`), floating point (`f64`), or dual numbers
//! over either (`Dual<Q>`, `Dual<f64>`, and duals of duals for second
//! derivatives). Evaluation returns `None` wherever the value is not defined
//! or not representable in the scalar (a division by zero, `0^0`, `ln` of a
//! non-positive number, an irrational value in `Q`), and the floating-point
//! scalars also return `None` near singularities, so that callers can skip
//! that point rather than compare garbage.

#![allow(dead_code)]

use std::collections::BTreeMap;

use kobai::{Ast, AstKind, Expr, Func, Limits, Node, Q, Symbol};
use proptest::prelude::*;

/// The variables random formulas are written in.
pub const VARS: [&str; 3] = ["x", "y", "z"];

/// A point: a value for every variable.
pub type Point = BTreeMap<&'static str, Q>;

/// The functions the surface syntax can call, `sqrt` included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    Exp,
    Ln,
    Sin,
    Cos,
    Tan,
    Tanh,
    Sigmoid,
    Sqrt,
    Abs,
    Sign,
}

impl Function {
    fn from_name(name: &str) -> Option<Function> {
        Some(match name {
            "exp" => Function::Exp,
            "ln" | "log" => Function::Ln,
            "sin" => Function::Sin,
            "cos" => Function::Cos,
            "tan" => Function::Tan,
            "tanh" => Function::Tanh,
            "sigmoid" => Function::Sigmoid,
            "sqrt" => Function::Sqrt,
            "abs" => Function::Abs,
            "sign" => Function::Sign,
            _ => return None,
        })
    }
}

/// The arithmetic the oracle needs from a number type.
pub trait Scalar: Clone + std::fmt::Debug {
    /// The constant `q`.
    fn constant(q: &Q) -> Self;
    fn add(&self, other: &Self) -> Self;
    fn sub(&self, other: &Self) -> Self;
    fn mul(&self, other: &Self) -> Self;
    /// `1/self`, or `None` at (or, in floating point, near) zero.
    fn recip(&self) -> Option<Self>;
    /// The value as an integer when it is one exactly and every derivative
    /// part is zero: then `b^self` follows the integer power rule.
    fn constant_integer(&self) -> Option<i64>;
    /// True when the value (not the derivative parts) is zero.
    fn value_is_zero(&self) -> bool;
    /// True when every component is zero.
    fn is_exactly_zero(&self) -> bool;
    /// `self^n` for an integer `n`; `None` for `0^0` and `0^-k`.
    fn powi(&self, n: i64) -> Option<Self>;
    /// `f(self)`, or `None` where it is undefined or not representable.
    fn apply(&self, f: Function) -> Option<Self>;

    fn neg(&self) -> Self {
        Self::constant(&Q::zero()).sub(self)
    }

    fn div(&self, other: &Self) -> Option<Self> {
        Some(self.mul(&other.recip()?))
    }

    fn scale(&self, q: &Q) -> Self {
        self.mul(&Self::constant(q))
    }
}

/// The largest number of bits an exact power in the oracle may have.
const ORACLE_POWER_BITS: u64 = 20_000;

impl Scalar for Q {
    fn constant(q: &Q) -> Q {
        q.clone()
    }
    fn add(&self, other: &Q) -> Q {
        Q::add(self, other)
    }
    fn sub(&self, other: &Q) -> Q {
        Q::sub(self, other)
    }
    fn mul(&self, other: &Q) -> Q {
        Q::mul(self, other)
    }
    fn recip(&self) -> Option<Q> {
        Q::recip(self)
    }
    fn constant_integer(&self) -> Option<i64> {
        if self.is_integer() { self.to_i64() } else { None }
    }
    fn value_is_zero(&self) -> bool {
        self.is_zero()
    }
    fn is_exactly_zero(&self) -> bool {
        self.is_zero()
    }
    fn powi(&self, n: i64) -> Option<Q> {
        if self.is_zero() && n <= 0 {
            return None;
        }
        if self.pow_would_exceed(n, ORACLE_POWER_BITS) {
            return None;
        }
        Q::pow(self, n)
    }
    fn apply(&self, f: Function) -> Option<Q> {
        match f {
            Function::Abs => Some(self.abs()),
            Function::Sign => Some(Q::from(i64::from(self.signum()))),
            Function::Sqrt => self.exact_root(2),
            // Everything else is irrational at almost every rational point.
            _ => None,
        }
    }
}

/// How close to a singularity a floating-point evaluation may go.
const NEAR_SINGULAR: f64 = 1e-4;

impl Scalar for f64 {
    fn constant(q: &Q) -> f64 {
        q.to_f64()
    }
    fn add(&self, other: &f64) -> f64 {
        self + other
    }
    fn sub(&self, other: &f64) -> f64 {
        self - other
    }
    fn mul(&self, other: &f64) -> f64 {
        self * other
    }
    fn recip(&self) -> Option<f64> {
        if self.abs() < NEAR_SINGULAR { None } else { finite(1.0 / self) }
    }
    fn constant_integer(&self) -> Option<i64> {
        if self.fract() == 0.0 && self.abs() < 1e6 { Some(*self as i64) } else { None }
    }
    fn value_is_zero(&self) -> bool {
        *self == 0.0
    }
    fn is_exactly_zero(&self) -> bool {
        *self == 0.0
    }
    fn powi(&self, n: i64) -> Option<f64> {
        if n < 0 {
            return Scalar::powi(&self.recip()?, -n);
        }
        if n == 0 && self.abs() < NEAR_SINGULAR {
            return None;
        }
        finite(f64::powi(*self, i32::try_from(n).ok()?))
    }
    fn apply(&self, f: Function) -> Option<f64> {
        let x = *self;
        // The periodic functions of a large argument amplify its rounding
        // error beyond any tolerance: no value to compare there.
        if matches!(f, Function::Sin | Function::Cos | Function::Tan) && x.abs() > 1e3 {
            return None;
        }
        let y = match f {
            Function::Exp => x.exp(),
            Function::Ln if x > NEAR_SINGULAR => x.ln(),
            Function::Ln => return None,
            Function::Sin => x.sin(),
            Function::Cos => x.cos(),
            Function::Tan if x.cos().abs() > 1e-2 => x.tan(),
            Function::Tan => return None,
            Function::Tanh => x.tanh(),
            Function::Sigmoid => 1.0 / (1.0 + (-x).exp()),
            Function::Sqrt if x > NEAR_SINGULAR => x.sqrt(),
            Function::Sqrt => return None,
            Function::Abs => x.abs(),
            Function::Sign if x.abs() > NEAR_SINGULAR => x.signum(),
            Function::Sign => return None,
        };
        finite(y)
    }
}

fn finite(x: f64) -> Option<f64> {
    if x.is_finite() && x.abs() < 1e12 { Some(x) } else { None }
}

/// A dual number `value + derivative·ε` with `ε² = 0`: forward-mode
/// differentiation. `Dual<Dual<T>>` carries second derivatives.
#[derive(Debug, Clone, PartialEq)]
pub struct Dual<T> {
    pub value: T,
    pub derivative: T,
}

impl<T: Scalar> Dual<T> {
    pub fn new(value: T, derivative: T) -> Dual<T> {
        Dual { value, derivative }
    }

    /// The variable itself at `value`: derivative one.
    pub fn variable(value: T) -> Dual<T> {
        Dual { value, derivative: T::constant(&Q::one()) }
    }

    /// A quantity that does not depend on the variable.
    pub fn fixed(value: T) -> Dual<T> {
        Dual { value, derivative: T::constant(&Q::zero()) }
    }

    /// The chain rule: `f(u)` has derivative `f'(u)·u'`.
    fn chain(&self, value: T, outer: T) -> Dual<T> {
        Dual { value, derivative: outer.mul(&self.derivative) }
    }
}

impl<T: Scalar> Scalar for Dual<T> {
    fn constant(q: &Q) -> Dual<T> {
        Dual::fixed(T::constant(q))
    }
    fn add(&self, o: &Dual<T>) -> Dual<T> {
        Dual::new(self.value.add(&o.value), self.derivative.add(&o.derivative))
    }
    fn sub(&self, o: &Dual<T>) -> Dual<T> {
        Dual::new(self.value.sub(&o.value), self.derivative.sub(&o.derivative))
    }
    fn mul(&self, o: &Dual<T>) -> Dual<T> {
        // The product rule.
        Dual::new(self.value.mul(&o.value), self.derivative.mul(&o.value).add(&self.value.mul(&o.derivative)))
    }
    fn recip(&self) -> Option<Dual<T>> {
        // (1/u)' = -u'/u².
        let r = self.value.recip()?;
        let outer = r.mul(&r).neg();
        Some(self.chain(r, outer))
    }
    fn constant_integer(&self) -> Option<i64> {
        if self.derivative.is_exactly_zero() { self.value.constant_integer() } else { None }
    }
    fn value_is_zero(&self) -> bool {
        self.value.value_is_zero()
    }
    fn is_exactly_zero(&self) -> bool {
        self.value.is_exactly_zero() && self.derivative.is_exactly_zero()
    }
    fn powi(&self, n: i64) -> Option<Dual<T>> {
        // (uⁿ)' = n·uⁿ⁻¹·u'.
        match n {
            0 => {
                let one = self.value.powi(0)?;
                Some(Dual::fixed(one))
            }
            1 => Some(self.clone()),
            _ => {
                let lower = self.value.powi(n - 1)?;
                let value = lower.mul(&self.value);
                if n < 0 {
                    // u^n = 1/u^|n| is undefined at zero even where u^(n-1) is.
                    self.value.recip()?;
                }
                let outer = lower.scale(&Q::from(n));
                Some(self.chain(value, outer))
            }
        }
    }
    fn apply(&self, f: Function) -> Option<Dual<T>> {
        let u = &self.value;
        let one = T::constant(&Q::one());
        Some(match f {
            Function::Exp => {
                let e = u.apply(Function::Exp)?;
                self.chain(e.clone(), e)
            }
            Function::Ln => self.chain(u.apply(Function::Ln)?, u.recip()?),
            Function::Sin => self.chain(u.apply(Function::Sin)?, u.apply(Function::Cos)?),
            Function::Cos => self.chain(u.apply(Function::Cos)?, u.apply(Function::Sin)?.neg()),
            Function::Tan => {
                let t = u.apply(Function::Tan)?;
                let outer = one.add(&t.mul(&t));
                self.chain(t, outer)
            }
            Function::Tanh => {
                let t = u.apply(Function::Tanh)?;
                let outer = one.sub(&t.mul(&t));
                self.chain(t, outer)
            }
            Function::Sigmoid => {
                let s = u.apply(Function::Sigmoid)?;
                let outer = s.mul(&one.sub(&s));
                self.chain(s, outer)
            }
            Function::Sqrt => {
                let s = u.apply(Function::Sqrt)?;
                let outer = s.scale(&Q::from(2)).recip()?;
                self.chain(s, outer)
            }
            Function::Abs => self.chain(u.apply(Function::Abs)?, u.apply(Function::Sign)?),
            Function::Sign => self.chain(u.apply(Function::Sign)?, T::constant(&Q::zero())),
        })
    }
}

/// `b^x`: the integer power rule when the exponent is a constant integer,
/// otherwise `exp(x·ln b)` (defined for `b > 0` only).
fn power<T: Scalar>(b: &T, x: &T) -> Option<T> {
    if let Some(n) = x.constant_integer() {
        return b.powi(n);
    }
    x.mul(&b.apply(Function::Ln)?).apply(Function::Exp)
}

/// Evaluates `ast` over any scalar, reading variables from `env`.
///
/// This follows the `Ast` exactly as written; `e` is Euler's number, as in
/// kobai, and `log(x, b)` is `ln(x)/ln(b)`.
pub fn eval_ast<T: Scalar>(ast: &Ast, env: &dyn Fn(&str) -> Option<T>) -> Option<T> {
    let go = |a: &Ast| eval_ast(a, env);
    match &ast.kind {
        AstKind::Number { value, .. } => Some(T::constant(value)),
        AstKind::Name(n) if n == "e" => T::constant(&Q::one()).apply(Function::Exp),
        AstKind::Name(n) => env(n),
        AstKind::Neg(a) => Some(go(a)?.neg()),
        AstKind::Plus(a) | AstKind::Group(_, a) => go(a),
        AstKind::Add(a, b) => Some(go(a)?.add(&go(b)?)),
        AstKind::Sub(a, b) => Some(go(a)?.sub(&go(b)?)),
        AstKind::Mul(a, b, _) => Some(go(a)?.mul(&go(b)?)),
        AstKind::Div(a, b) => go(a)?.div(&go(b)?),
        // A power with a variable exponent is `exp(x·ln b)`, defined for
        // `b > 0` only, even at points where the exponent happens to be an
        // integer: that is the function kobai differentiates.
        AstKind::Pow(b, x) if has_names(x) => go(x)?.mul(&go(b)?.apply(Function::Ln)?).apply(Function::Exp),
        AstKind::Pow(b, x) => power(&go(b)?, &go(x)?),
        AstKind::Call { name, args, .. } => match (name.as_str(), args.as_slice()) {
            ("log", [x, b]) => go(x)?.apply(Function::Ln)?.div(&go(b)?.apply(Function::Ln)?),
            (f, [x]) => go(x)?.apply(Function::from_name(f)?),
            _ => None,
        },
    }
}

/// True when a name (a variable, or `e`) occurs in `ast`.
fn has_names(ast: &Ast) -> bool {
    match &ast.kind {
        AstKind::Number { .. } => false,
        AstKind::Name(_) => true,
        AstKind::Neg(a) | AstKind::Plus(a) | AstKind::Group(_, a) => has_names(a),
        AstKind::Add(a, b) | AstKind::Sub(a, b) | AstKind::Mul(a, b, _) | AstKind::Div(a, b) | AstKind::Pow(a, b) => {
            has_names(a) || has_names(b)
        }
        AstKind::Call { args, .. } => args.iter().any(has_names),
    }
}

/// Parses `text`, failing the test with the error if it does not parse.
#[track_caller]
pub fn parse(text: &str) -> Ast {
    match kobai::parse(text) {
        Ok(ast) => ast,
        Err(e) => panic!("{text:?} does not parse: {e} ({e:?})"),
    }
}

/// The exact value of `ast` at `point`.
pub fn exact_at(ast: &Ast, point: &Point) -> Option<Q> {
    eval_ast(ast, &|n| point.get(n).cloned())
}

/// The exact partial derivative `∂ast/∂var` at `point`, by dual numbers.
pub fn exact_derivative(ast: &Ast, point: &Point, var: &str) -> Option<Q> {
    let env = |n: &str| {
        let v = point.get(n)?.clone();
        Some(if n == var { Dual::variable(v) } else { Dual::fixed(v) })
    };
    eval_ast(ast, &env).map(|d| d.derivative)
}

/// The exact second partial derivative `∂²ast/∂v1∂v2` at `point`, by duals
/// of duals: `v1` is seeded in the inner and `v2` in the outer dual.
pub fn exact_second_derivative(ast: &Ast, point: &Point, v1: &str, v2: &str) -> Option<Q> {
    eval_ast(ast, &|n| Some(hyper_dual(point.get(n)?.clone(), n == v1, n == v2))).map(|d| d.derivative.derivative)
}

fn hyper_dual<T: Scalar>(v: T, inner: bool, outer: bool) -> Dual<Dual<T>> {
    let zero = T::constant(&Q::zero());
    let one = T::constant(&Q::one());
    let inner_seed = if inner { one.clone() } else { zero.clone() };
    let outer_seed = if outer { one } else { zero.clone() };
    Dual::new(Dual::new(v, inner_seed.clone()), Dual::new(outer_seed, zero))
}

/// The floating-point value of `ast` at `point`.
pub fn float_at(ast: &Ast, point: &Point) -> Option<f64> {
    eval_ast(ast, &|n| point.get(n).map(Q::to_f64))
}

/// `∂ast/∂var` at `point` in floating point, by dual numbers.
pub fn float_derivative(ast: &Ast, point: &Point, var: &str) -> Option<f64> {
    let env = |n: &str| {
        let v = point.get(n)?.to_f64();
        Some(if n == var { Dual::variable(v) } else { Dual::fixed(v) })
    };
    eval_ast(ast, &env).map(|d| d.derivative)
}

/// `∂²ast/∂v1∂v2` at `point` in floating point, by duals of duals.
pub fn float_second_derivative(ast: &Ast, point: &Point, v1: &str, v2: &str) -> Option<f64> {
    eval_ast(ast, &|n| Some(hyper_dual(point.get(n)?.to_f64(), n == v1, n == v2))).map(|d| d.derivative.derivative)
}

// ---------------------------------------------------------------------------
// The side under test: kobai's `Expr` evaluated at a point.

/// The point as kobai bindings.
pub fn bindings(point: &Point) -> Vec<(Symbol, Expr)> {
    point.iter().map(|(n, q)| (Symbol::new(n), Expr::num(q.clone()))).collect()
}

/// The exact value of a function-free `Expr` at `point`, by `kobai::subs`.
/// `Ok(None)` when the substituted result is not a number.
pub fn kobai_exact_at(e: &Expr, point: &Point) -> kobai::Result<Option<Q>> {
    Ok(kobai::subs(e, &bindings(point))?.as_num().cloned())
}

/// The floating-point value of an `Expr` at `point`, by walking its nodes
/// (`None` for values that are not finite or not real).
pub fn kobai_float_at(e: &Expr, point: &Point) -> Option<f64> {
    let y = match e.node() {
        Node::Num(q) => q.to_f64(),
        Node::Sym(s) => point.get(s.name())?.to_f64(),
        Node::Sum { constant, terms } => {
            let mut acc = constant.to_f64();
            for (t, c) in terms {
                acc += c.to_f64() * kobai_float_at(t, point)?;
            }
            acc
        }
        Node::Product { coeff, factors } => {
            let mut acc = coeff.to_f64();
            for (b, x) in factors {
                acc *= kobai_float_power(b, x, point)?;
            }
            acc
        }
        Node::Pow(b, x) => kobai_float_power(b, x, point)?,
        Node::Call(f, a) => {
            let v = kobai_float_at(a, point)?;
            match f {
                Func::Exp => v.exp(),
                Func::Ln if v > 0.0 => v.ln(),
                Func::Ln => return None,
                Func::Sin => v.sin(),
                Func::Cos => v.cos(),
                Func::Tan => v.tan(),
                Func::Tanh => v.tanh(),
                Func::Sigmoid => 1.0 / (1.0 + (-v).exp()),
                Func::Abs => v.abs(),
                Func::Sign if v == 0.0 => 0.0,
                Func::Sign => v.signum(),
            }
        }
    };
    if y.is_finite() { Some(y) } else { None }
}

fn kobai_float_power(b: &Expr, x: &Expr, point: &Point) -> Option<f64> {
    let base = kobai_float_at(b, point)?;
    let y = match x.as_num().filter(|q| q.is_integer()).and_then(Q::to_i64) {
        Some(n) => base.powi(i32::try_from(n).ok()?),
        None => base.powf(kobai_float_at(x, point)?),
    };
    if y.is_finite() { Some(y) } else { None }
}

/// Checks the canonical-form invariants on every node of `e`.
pub fn is_canonical_deep(e: &Expr) -> bool {
    e.is_canonical()
        && match e.node() {
            Node::Num(_) | Node::Sym(_) => true,
            Node::Sum { terms, .. } => terms.iter().all(|(t, _)| is_canonical_deep(t)),
            Node::Product { factors, .. } => factors.iter().all(|(b, x)| is_canonical_deep(b) && is_canonical_deep(x)),
            Node::Pow(b, x) => is_canonical_deep(b) && is_canonical_deep(x),
            Node::Call(_, a) => is_canonical_deep(a),
        }
}

/// True when no sum is left inside a product or a natural power: the shape
/// of a fully expanded polynomial.
pub fn is_fully_expanded(e: &Expr) -> bool {
    fn no_sum(e: &Expr) -> bool {
        match e.node() {
            Node::Num(_) | Node::Sym(_) => true,
            Node::Sum { .. } => false,
            Node::Product { factors, .. } => factors.iter().all(|(b, x)| no_sum(b) && no_sum(x)),
            Node::Pow(b, x) => no_sum(b) && no_sum(x),
            Node::Call(..) => true,
        }
    }
    match e.node() {
        Node::Sum { terms, .. } => terms.iter().all(|(t, _)| no_sum(t)),
        _ => no_sum(e),
    }
}

/// The default limits.
pub fn limits() -> Limits {
    Limits::default()
}

/// True when `a` and `b` agree to a relative tolerance of `1e-6` of the
/// largest of `|a|`, `|b|`, `scale` and 1.
pub fn close(a: f64, b: f64, scale: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(scale).max(1.0)
}

// ---------------------------------------------------------------------------
// Random formulas, as text, so that parsing and lowering are exercised too.

/// A formula and a crude upper bound on the number of terms its expansion
/// has, used to keep powers of sums small.
#[derive(Debug, Clone)]
struct Piece {
    text: String,
    terms: u64,
}

impl Piece {
    fn new(text: String, terms: u64) -> Piece {
        Piece { text, terms }
    }
}

/// The largest estimated expansion a generated formula may have.
const MAX_TERMS: u64 = 60;

/// What a random formula may contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grammar {
    /// Sums, products, integer powers `0..=4`: no division, no function.
    Polynomial,
    /// Also division and negative powers.
    Rational,
    /// Also the functions, `e` and non-integer powers.
    Functions,
}

fn leaf(grammar: Grammar) -> BoxedStrategy<Piece> {
    let digit = (0u32..=9).prop_map(|d| Piece::new(d.to_string(), 1));
    let decimal = prop::sample::select(vec!["2.5", "0.1", "1.5", ".5", "0.25", "1e-1", "2.5e1"])
        .prop_map(|d| Piece::new(d.to_string(), 1));
    let var = prop::sample::select(VARS.to_vec()).prop_map(|v| Piece::new(v.to_string(), 1));
    // An implicit product of a coefficient and a variable: `2x`, `3 y`.
    let coeff_var = (1u32..=9, prop::sample::select(VARS.to_vec()), any::<bool>())
        .prop_map(|(c, v, space)| Piece::new(format!("{c}{}{v}", if space { " " } else { "" }), 1));
    let mut options: Vec<(u32, BoxedStrategy<Piece>)> =
        vec![(3, digit.boxed()), (1, decimal.boxed()), (5, var.boxed()), (2, coeff_var.boxed())];
    if grammar == Grammar::Functions {
        options.push((1, Just(Piece::new("e".to_string(), 1)).boxed()));
    }
    prop::strategy::Union::new_weighted(options).boxed()
}

/// Wraps in a bracket of a random kind.
fn bracket(kind: u8, text: &str) -> String {
    match kind % 4 {
        0 | 1 => format!("({text})"),
        2 => format!("[{text}]"),
        _ => format!("{{{text}}}"),
    }
}

/// The largest `k ≤ wanted` for which `terms^k` stays below the bound.
fn affordable_exponent(terms: u64, wanted: i64) -> i64 {
    let mut k = wanted;
    while k > 1 && terms.saturating_pow(u32::try_from(k).unwrap_or(u32::MAX)) > MAX_TERMS {
        k -= 1;
    }
    k
}

fn composite(grammar: Grammar, inner: BoxedStrategy<Piece>) -> BoxedStrategy<Piece> {
    let pair = || (inner.clone(), inner.clone());
    let sum = (pair(), prop::sample::select(vec![" + ", "+", " - ", "-", " − "]))
        .prop_map(|((a, b), op)| Piece::new(format!("{}{op}{}", a.text, b.text), a.terms.saturating_add(b.terms)));
    let times = (pair(), prop::sample::select(vec!["*", " * ", "×", "·"]))
        .prop_map(|((a, b), op)| Piece::new(format!("{}{op}{}", a.text, b.text), a.terms.saturating_mul(b.terms)));
    let negate = inner.clone().prop_map(|a| Piece::new(format!("-{}", a.text), a.terms));
    let group = (inner.clone(), any::<u8>()).prop_map(|(a, k)| Piece::new(bracket(k, &a.text), a.terms));
    // Implicit products: `3(x+y)`, `(a)(b)`, `x(y+1)`, `2 (x)`.
    let implicit = (pair(), any::<u8>(), 0u8..4, 1u32..=9).prop_map(|((a, b), k, style, c)| {
        let (text, terms) = match style {
            0 => (format!("{c}{}", bracket(k, &a.text)), a.terms),
            1 => (format!("{}{}", bracket(k, &a.text), bracket(k / 4, &b.text)), a.terms.saturating_mul(b.terms)),
            2 => (format!("x{}", bracket(k, &a.text)), a.terms),
            _ => (format!("{c} {}", bracket(k, &a.text)), a.terms),
        };
        Piece::new(text, terms)
    });
    let lowest = if grammar == Grammar::Polynomial { 0 } else { -3 };
    let power = (inner.clone(), lowest..=4i64, any::<u8>(), 0u8..4).prop_map(|(a, k, b, style)| {
        let k = affordable_exponent(a.terms, k);
        let base = bracket(b, &a.text);
        let text = match (style, k) {
            (0, 2) => format!("{base}²"),
            (0, 3) => format!("{base}³"),
            (0, -1) => format!("{base}⁻¹"),
            (1, _) => format!("{base}**{k}"),
            (2, _) if k < 0 => format!("{base}^({k})"),
            _ => format!("{base}^{k}"),
        };
        let terms = if k > 0 { a.terms.saturating_pow(k.unsigned_abs() as u32) } else { a.terms };
        Piece::new(text, terms)
    });
    let mut options: Vec<(u32, BoxedStrategy<Piece>)> = vec![
        (4, sum.boxed()),
        (4, times.boxed()),
        (1, negate.boxed()),
        (1, group.boxed()),
        (2, implicit.boxed()),
        (2, power.boxed()),
    ];
    if grammar != Grammar::Polynomial {
        let divide = (pair(), prop::sample::select(vec!["/", " / ", "÷"])).prop_map(|((a, b), op)| {
            Piece::new(format!("{}{op}{}", a.text, bracket(0, &b.text)), a.terms.saturating_mul(b.terms))
        });
        let loose_divide =
            pair().prop_map(|(a, b)| Piece::new(format!("{}/{}", a.text, b.text), a.terms.saturating_mul(b.terms)));
        options.push((2, divide.boxed()));
        options.push((1, loose_divide.boxed()));
    }
    if grammar == Grammar::Functions {
        let names = vec!["exp", "ln", "log", "sqrt", "sin", "cos", "tan", "tanh", "sigmoid", "abs"];
        let call =
            (inner.clone(), prop::sample::select(names)).prop_map(|(a, f)| Piece::new(format!("{f}({})", a.text), 1));
        let log_base = (inner.clone(), 2u32..=5).prop_map(|(a, b)| Piece::new(format!("log({}, {b})", a.text), 1));
        let e_power = inner.clone().prop_map(|a| Piece::new(format!("e^({})", a.text), 1));
        // `x^x` and fractional powers; the exponent is never a number that
        // could make a large natural power of a sum.
        let exponents = vec!["x", "y", "x + 1", "y/2", "1/2", "-1/2", "3/2", "-x"];
        let general_power = (inner.clone(), prop::sample::select(exponents))
            .prop_map(|(a, x)| Piece::new(format!("({})^({x})", a.text), a.terms));
        options.push((4, call.boxed()));
        options.push((1, log_base.boxed()));
        options.push((1, e_power.boxed()));
        options.push((1, general_power.boxed()));
    }
    prop::strategy::Union::new_weighted(options).boxed()
}

/// Random formula text in `grammar`, nested at most `depth` levels.
pub fn formula_with(grammar: Grammar, depth: u32) -> BoxedStrategy<String> {
    leaf(grammar).prop_recursive(depth, 24, 2, move |inner| composite(grammar, inner)).prop_map(|p| p.text).boxed()
}

/// Random polynomial text.
pub fn polynomial() -> BoxedStrategy<String> {
    formula_with(Grammar::Polynomial, 4)
}

/// Random rational-function text (the default for exact properties).
pub fn rational() -> BoxedStrategy<String> {
    formula_with(Grammar::Rational, 4)
}

/// Random text that also calls functions.
pub fn with_functions() -> BoxedStrategy<String> {
    formula_with(Grammar::Functions, 4)
}

/// A small rational: numerator in `-6..=6`, denominator in `1..=4`.
pub fn small_q() -> impl Strategy<Value = Q> {
    (-6i64..=6, 1i64..=4).prop_map(|(n, d)| Q::new(n, d))
}

/// A random point for the variables `x`, `y`, `z`.
pub fn point() -> impl Strategy<Value = Point> {
    (small_q(), small_q(), small_q()).prop_map(|(x, y, z)| Point::from([("x", x), ("y", y), ("z", z)]))
}

/// A few random points, so that each parsed formula is checked several times.
pub fn points() -> impl Strategy<Value = Vec<Point>> {
    prop::collection::vec(point(), 3)
}
