//! Differentiation: partial derivatives, higher orders, gradients, Hessians.

use std::hash::{Hash, Hasher};

use crate::error::{Error, Result};
use crate::expr::{Expr, ExprPairMemo, Func, FxBuild, FxHasher, Node, PairMemo};
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
        Node::Sum { terms, .. } => diff_sum(terms, x),
        Node::Product { coeff, factors } => {
            let mut terms = Vec::new();
            product_rule(coeff, factors, x, &mut terms);
            Expr::weighted_sum(Q::zero(), terms)
        }
        Node::Pow(b, p) => diff_power(b, p, x),
        Node::Call(f, a) => Expr::mul(&outer_derivative(*f, a), &diff(a, x)),
    }
}

/// The derivative of the sum `Σ c·t` (its constant drops out).
///
/// The terms of each term's derivative go into one sum, without building a
/// sum per term. The derivative of a factor is computed once per distinct
/// factor and merged into the other factors of each product directly (see
/// [`Expr::merged_product_term`]); the terms are kept in one run per base
/// differentiated, which are each mostly in order already, and the sum is
/// made by one sort and merge ([`Expr::collected_sum`]).
fn diff_sum(terms: &[(Expr, Q)], x: Symbol) -> Expr {
    let mut sink = TermSink::default();
    let mut memo = FactorMemo::default();
    for (t, c) in terms {
        // (Whether a term depends on `x` is found factor by factor.)
        match t.node() {
            Node::Product { coeff, factors } => {
                // The terms of a sum are monic: no product of big numbers by 1.
                let scaled;
                let coeff = if coeff.is_one() {
                    c
                } else {
                    scaled = coeff.mul(c);
                    &scaled
                };
                // Products with the same bases, in a sum, are mostly in the
                // order of their exponents, and so are the derivatives by the
                // same factor: each such family gets its own run.
                let mut shape = FxHasher::default();
                for (b, _) in factors {
                    b.hash(&mut shape);
                }
                for (i, (b, p)) in factors.iter().enumerate() {
                    if !b.contains(x) && !p.contains(x) {
                        continue;
                    }
                    let mut run = FxHasher(shape.0);
                    run.write_usize(i);
                    let run = Some(run.finish());
                    match factor_term(coeff, factors, i, x, &mut memo) {
                        Some((c, term)) => sink.push_term(run, term, c),
                        None => {
                            let mut out = Vec::new();
                            product_rule_factor(coeff, factors, i, x, &mut out);
                            for (d, c) in out {
                                sink.push(run, &d, &c);
                            }
                        }
                    }
                }
            }
            _ => sink.push(None, &diff(t, x), c),
        }
    }
    sink.finish()
}

/// The derivative of a factor `b^p` of a product, as the product rule
/// builds its terms.
enum FactorDerivative {
    /// `p·b'·b^(p-1)` with `p` and `b'` numbers: the factor with its
    /// exponent lowered to the second number, times the first.
    Lowered(Q, Q),
    /// The coefficient and factors of a canonical product, to merge into the
    /// other factors of the product.
    Split(Q, Vec<(Expr, Expr)>),
    /// A number or a sum: the general rule.
    General,
}

/// Per-call memos for [`diff_sum`]: factor derivatives and exponent sums.
#[derive(Default)]
struct FactorMemo {
    derivatives: PairMemo<FactorDerivative>,
    sums: ExprPairMemo,
}

/// The product-rule term of factor `at` of `coeff · Π factors`, built from
/// the memoized derivative of the factor: as the coefficient and the monic
/// term. `None` for the general rule.
fn factor_term(coeff: &Q, factors: &[(Expr, Expr)], at: usize, x: Symbol, memo: &mut FactorMemo) -> Option<(Q, Expr)> {
    let (b, p) = factors.get(at)?;
    let derivative = memo.derivatives.get_or_insert_with(b, p, || factor_derivative(b, p, x));
    match &*derivative {
        FactorDerivative::Lowered(kdb, lowered) => Expr::product_with_exponent(coeff.mul(kdb), factors, at, lowered),
        FactorDerivative::Split(dcoeff, dfactors) => {
            let (c, term) = Expr::merged_product_term(coeff.mul(dcoeff), dfactors, factors, at, &mut memo.sums)?;
            debug_assert_eq!(
                Expr::product([Expr::num(c.clone()), term.clone()]),
                Expr::product_rule_term(coeff, &factor_derivative_pieces(b, p, x), factors, at),
                "merged product-rule term"
            );
            Some((c, term))
        }
        FactorDerivative::General => None,
    }
}

/// The derivative of the factor `b^p`, for [`factor_term`].
fn factor_derivative(b: &Expr, p: &Expr, x: Symbol) -> FactorDerivative {
    if let Some(k) = p.as_num()
        && let Some(db) = diff(b, x).as_num()
    {
        if db.is_zero() {
            return FactorDerivative::General;
        }
        return FactorDerivative::Lowered(k.mul(db), k.sub(&Q::one()));
    }
    match split_product(&Expr::product(factor_derivative_pieces(b, p, x))) {
        Some((c, f)) => FactorDerivative::Split(c, f),
        None => FactorDerivative::General,
    }
}

/// A canonical expression as the coefficient and factors of a product, when
/// it is a product or a single factor (not a number or a sum).
fn split_product(e: &Expr) -> Option<(Q, Vec<(Expr, Expr)>)> {
    match e.node() {
        Node::Product { coeff, factors } => Some((coeff.clone(), factors.clone())),
        Node::Sym(_) | Node::Call(..) => Some((Q::one(), vec![(e.clone(), Expr::one())])),
        Node::Pow(b, p) => Some((Q::one(), vec![(b.clone(), p.clone())])),
        Node::Num(_) | Node::Sum { .. } => None,
    }
}

/// Collects the terms of a derivative: canonical sum terms with their
/// coefficients, in one run per family of terms (up to [`RUNS`]; the rest
/// share one), and the constant.
#[derive(Default)]
struct TermSink {
    constant: Q,
    index: std::collections::HashMap<u64, usize, FxBuild>,
    runs: Vec<Vec<(Expr, Q)>>,
    others: Vec<(Expr, Q)>,
}

/// The most families [`TermSink`] keeps a run of its own for.
const RUNS: usize = 256;

impl TermSink {
    /// Adds `scale · e` for any canonical `e`, split into sum terms as
    /// [`Expr::weighted_sum`] splits it.
    fn push(&mut self, run: Option<u64>, e: &Expr, scale: &Q) {
        match e.node() {
            Node::Num(q) => self.constant = self.constant.add(&q.mul(scale)),
            Node::Sum { constant, terms } => {
                self.constant = self.constant.add(&constant.mul(scale));
                for (t, c) in terms {
                    self.push_term(run, t.clone(), c.mul(scale));
                }
            }
            Node::Product { coeff, .. } if !coeff.is_one() => {
                let (coeff, monic) = e.split_coeff();
                self.push_term(run, monic, coeff.mul(scale));
            }
            _ => self.push_term(run, e.clone(), scale.clone()),
        }
    }

    /// Adds `c · term` for a canonical sum term.
    fn push_term(&mut self, run: Option<u64>, term: Expr, c: Q) {
        let slot = run.and_then(|key| match self.index.get(&key) {
            Some(&i) => Some(i),
            None if self.runs.len() < RUNS => {
                self.index.insert(key, self.runs.len());
                self.runs.push(Vec::new());
                Some(self.runs.len() - 1)
            }
            None => None,
        });
        match slot.and_then(|i| self.runs.get_mut(i)) {
            Some(terms) => terms.push((term, c)),
            None => self.others.push((term, c)),
        }
    }

    fn finish(self) -> Expr {
        let mut terms = Vec::with_capacity(self.runs.iter().map(Vec::len).sum::<usize>() + self.others.len());
        for run in self.runs {
            terms.extend(run);
        }
        terms.extend(self.others);
        Expr::collected_sum(self.constant, terms)
    }
}

/// The product rule for `coeff · Π b^p`: one term per factor that depends
/// on `x`, appended to `terms` as `(term, coefficient)`.
fn product_rule(coeff: &Q, factors: &[(Expr, Expr)], x: Symbol, terms: &mut Vec<(Expr, Q)>) {
    for (i, (b, p)) in factors.iter().enumerate() {
        if !b.contains(x) && !p.contains(x) {
            continue;
        }
        product_rule_factor(coeff, factors, i, x, terms);
    }
}

/// The product rule's term for factor `i` (which depends on `x`).
fn product_rule_factor(coeff: &Q, factors: &[(Expr, Expr)], i: usize, x: Symbol, terms: &mut Vec<(Expr, Q)>) {
    let Some((b, p)) = factors.get(i) else {
        return;
    };
    // A numeric power of a base with a numeric derivative (such as
    // (x + 3)^5): the term is the product itself with one exponent
    // lowered, built without re-normalizing the other factors.
    if let Some(k) = p.as_num()
        && let Some(db) = diff(b, x).as_num()
        && !db.is_zero()
        && let Some((c, monic)) = Expr::product_with_exponent(coeff.mul(k).mul(db), factors, i, &k.sub(&Q::one()))
    {
        terms.push((monic, c));
        return;
    }
    let pieces = factor_derivative_pieces(b, p, x);
    terms.push((Expr::product_rule_term(coeff, &pieces, factors, i), Q::one()));
}

/// `d(b^p)` as pieces of a product-rule term: `p·b^(p-1)·b'` when `p` does
/// not depend on `x`; otherwise the general rule.
fn factor_derivative_pieces(b: &Expr, p: &Expr, x: Symbol) -> Vec<Expr> {
    if p.contains(x) {
        vec![diff_power(b, p, x)]
    } else {
        vec![p.clone(), Expr::pow(b, &Expr::sub(p, &Expr::one())), diff(b, x)]
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
    // What the later orders differentiate, written out: each order can
    // multiply the size (d^40/dx^40 of sin(sin(sin(x))) has millions of
    // terms), so their total is held to --max-terms.
    let mut written: u64 = 0;
    for k in 0..order {
        if k > 0 {
            written = written.saturating_add(crate::size::measure(&d).nodes);
            if written > limits.max_terms as u64 {
                return Err(Error::Limit {
                    what: "number of terms",
                    limit: limits.max_terms as u64,
                    reached: format!(
                        "the derivatives of orders 1 to {k} have {written} terms, factors and calls when written out"
                    ),
                    flag: "--max-terms",
                });
            }
        }
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
