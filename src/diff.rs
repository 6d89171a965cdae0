//! Differentiation: partial derivatives, higher orders, gradients, Hessians.

use crate::error::Result;
use crate::expr::{Expr, Func, Node};
use crate::limits::Limits;
use crate::number::Q;
use crate::simplify::tidy;
use crate::symbol::Symbol;

/// The partial derivative `∂e/∂x`, in canonical form.
///
/// It is built by the sum, constant-factor, product, power and chain rules;
/// the constructors simplify as it goes. For a polynomial the result is
/// expanded, so it prints in the canonical order (see [`derivative`]).
///
/// ```
/// use kobai::{diff, read, Symbol};
/// let d = diff(&read("x^3*exp(2*x)").unwrap(), Symbol::new("x"));
/// assert_eq!(d, read("3*x^2*exp(2*x) + 2*x^3*exp(2*x)").unwrap());
/// ```
pub fn diff(e: &Expr, x: Symbol) -> Expr {
    if !e.contains(x) {
        return Expr::zero();
    }
    match e.node() {
        Node::Num(_) => Expr::zero(),
        Node::Sym(s) => {
            if *s == x {
                Expr::one()
            } else {
                Expr::zero()
            }
        }
        Node::Sum { terms, .. } => {
            // The terms of each term's derivative go into one sum, without
            // building a sum per term.
            let mut out = Vec::with_capacity(terms.len() * 2);
            for (t, c) in terms {
                match t.node() {
                    Node::Product { coeff, factors } if t.contains(x) => {
                        product_rule(&coeff.mul(c), factors, x, &mut out);
                    }
                    _ => out.push((diff(t, x), c.clone())),
                }
            }
            Expr::weighted_sum(Q::zero(), out)
        }
        Node::Product { coeff, factors } => {
            let mut terms = Vec::new();
            product_rule(coeff, factors, x, &mut terms);
            Expr::weighted_sum(Q::zero(), terms)
        }
        Node::Pow(b, p) => diff_power(b, p, x),
        Node::Call(f, a) => Expr::mul(&outer_derivative(*f, a), &diff(a, x)),
    }
}

/// The product rule for `coeff · Π b^p`: one term per factor that depends
/// on `x`, appended to `terms` as `(term, coefficient)`.
fn product_rule(coeff: &Q, factors: &[(Expr, Expr)], x: Symbol, terms: &mut Vec<(Expr, Q)>) {
    for (i, (b, p)) in factors.iter().enumerate() {
        if !b.contains(x) && !p.contains(x) {
            continue;
        }
        // A numeric power of a base with a numeric derivative (such as
        // (x + 3)^5): the term is the product itself with one exponent
        // lowered, built without re-normalizing the other factors.
        if let Some(k) = p.as_num()
            && let Some(db) = diff(b, x).as_num()
            && !db.is_zero()
            && let Some((c, monic)) = Expr::product_with_exponent(coeff.mul(k).mul(db), factors, i, &k.sub(&Q::one()))
        {
            terms.push((monic, c));
            continue;
        }
        // d(b^p) = p·b^(p-1)·b' as pieces of the term when p does not depend
        // on x; otherwise the general rule.
        let pieces = if p.contains(x) {
            vec![diff_power(b, p, x)]
        } else {
            vec![p.clone(), Expr::pow(b, &Expr::sub(p, &Expr::one())), diff(b, x)]
        };
        terms.push((Expr::product_rule_term(coeff, &pieces, factors, i), Q::one()));
    }
}

/// `d/dx b^p` by the power rule, the exponential rule, or both.
fn diff_power(b: &Expr, p: &Expr, x: Symbol) -> Expr {
    let db = diff(b, x);
    if !p.contains(x) {
        // p·b^(p-1)·b'
        let lowered = Expr::sub(p, &Expr::one());
        return Expr::product([p.clone(), Expr::pow(b, &lowered), db]);
    }
    let dp = diff(p, x);
    // A constant non-positive base: 0^p is 0 wherever it is differentiable,
    // and for b < 0 the real logarithm is taken of |b| (the formal rule).
    if let Some(q) = b.as_num() {
        if q.is_zero() {
            return Expr::zero();
        }
        if q.is_negative() {
            return Expr::product([Expr::pow(b, p), Expr::call(Func::Ln, &Expr::num(q.abs())), dp]);
        }
    }
    let ln_b = Expr::call(Func::Ln, b);
    if !b.contains(x) {
        // b^p·ln(b)·p'
        return Expr::product([Expr::pow(b, p), ln_b, dp]);
    }
    // b^p·(p'·ln(b) + p·b'/b)
    let inner = Expr::add(&Expr::mul(&dp, &ln_b), &Expr::product([p.clone(), db, Expr::pow(b, &Expr::int(-1))]));
    Expr::mul(&Expr::pow(b, p), &inner)
}

/// The derivative of `f` evaluated at `a` (the outer factor of the chain rule).
fn outer_derivative(f: Func, a: &Expr) -> Expr {
    let call = |g: Func| Expr::call(g, a);
    let one = Expr::one();
    match f {
        Func::Exp => call(Func::Exp),
        Func::Ln => Expr::pow(a, &Expr::int(-1)),
        Func::Sin => call(Func::Cos),
        Func::Cos => Expr::neg(&call(Func::Sin)),
        // tan' = 1 + tan², tanh' = 1 - tanh²: both stay in the function itself.
        Func::Tan => Expr::add(&one, &Expr::pow(&call(Func::Tan), &Expr::int(2))),
        Func::Tanh => Expr::sub(&one, &Expr::pow(&call(Func::Tanh), &Expr::int(2))),
        // σ' = σ·(1 − σ)
        Func::Sigmoid => {
            let s = call(Func::Sigmoid);
            Expr::mul(&s, &Expr::sub(&one, &s))
        }
        Func::Abs => call(Func::Sign),
        // sign is constant wherever it is differentiable.
        Func::Sign => Expr::zero(),
    }
}

/// The `order`-th partial derivative with respect to `x`, simplified for
/// presentation: polynomial results are expanded, so they print in the
/// canonical term order.
///
/// ```
/// use kobai::{derivative, read, Limits, Symbol};
/// let e = read("((w1*x1)-target)^2").unwrap();
/// let d = derivative(&e, Symbol::new("w1"), 1, &Limits::default()).unwrap();
/// assert_eq!(d.to_string(), "2*w1*x1^2 - 2*target*x1");
/// ```
pub fn derivative(e: &Expr, x: Symbol, order: u32, limits: &Limits) -> Result<Expr> {
    let mut d = e.clone();
    for _ in 0..order {
        d = tidy(&diff(&d, x), limits)?;
        // Each order multiplies the numbers by exponents and coefficients.
        crate::syntax::lower::check_number_bits(&d, limits)?;
    }
    Ok(d)
}

/// The gradient: one partial derivative per variable, in the order given.
///
/// ```
/// use kobai::{gradient, read, Limits, Symbol};
/// let e = read("(w0 + w1*x - t)^2").unwrap();
/// let g = gradient(&e, &[Symbol::new("w0"), Symbol::new("w1")], &Limits::default()).unwrap();
/// assert_eq!(g[0].to_string(), "2*w1*x - 2*t + 2*w0");
/// ```
pub fn gradient(e: &Expr, vars: &[Symbol], limits: &Limits) -> Result<Vec<Expr>> {
    vars.iter().map(|&v| derivative(e, v, 1, limits)).collect()
}

/// The Hessian matrix of second partial derivatives, row `i` column `j`
/// holding `∂²e/∂vᵢ∂vⱼ`.
///
/// ```
/// use kobai::{hessian, read, Limits, Symbol};
/// let e = read("(w0 + w1*x - t)^2").unwrap();
/// let h = hessian(&e, &[Symbol::new("w0"), Symbol::new("w1")], &Limits::default()).unwrap();
/// assert_eq!(h[0][1].to_string(), "2*x");
/// assert_eq!(h[1][1].to_string(), "2*x^2");
/// ```
pub fn hessian(e: &Expr, vars: &[Symbol], limits: &Limits) -> Result<Vec<Vec<Expr>>> {
    let grad = gradient(e, vars, limits)?;
    grad.iter().map(|g| vars.iter().map(|&v| derivative(g, v, 1, limits)).collect()).collect()
}
