//! Hints: which common slip a wrong result is, when the difference between
//! the expected and the written expression matches one exactly.
//!
//! Each hint is a statement checked by exact polynomial arithmetic: "the
//! written side is the expected one with its cross term halved" is given only
//! when `written − expected` is exactly minus half the cross term. When no
//! class matches, there is no hint.

use crate::diff::diff;
use crate::error::Result;
use crate::expand::expand;
use crate::expr::{Expr, Node};
use crate::limits::Limits;
use crate::number::Q;
use crate::poly::Poly;
use crate::simplify::tidy;
use crate::subs::subs;
use crate::symbol::Symbol;

use super::Context;
use super::normal::Forms;

/// A common slip that the written result matches exactly.
///
/// ```
/// use kobai::{check_equal, read, CheckOptions, Hint};
/// let r = check_equal(&read("(3*w - 7)^2")?, &read("9*w^2 - 42*w + 40")?, &CheckOptions::default())?;
/// let hint = r.hint.unwrap();
/// assert_eq!(hint.kind(), "coefficient_slip");
/// assert_eq!(hint.describe(&|e| e.to_string()), "arithmetic slip in the constant term: it should be 49, written as 40");
/// # Ok::<(), kobai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Hint {
    /// A square dropped from one term: `4*w^2` written as `4*w`.
    DroppedSquare {
        /// The term as it should be.
        expected: Expr,
        /// The term as written.
        written: Expr,
    },
    /// A square added to one term: `4*w` written as `4*w^2`.
    ExtraSquare {
        /// The term as it should be.
        expected: Expr,
        /// The term as written.
        written: Expr,
    },
    /// The cross term `2·p·q` of a binomial square `(p + q)^2` is missing
    /// (`written` is `None`) or halved (`written` is half of `cross`).
    CrossTerm {
        /// The square, with any factor it is multiplied by.
        square: Expr,
        /// The factor multiplying the square (1 when none).
        outside: Expr,
        /// The binomial's first item.
        p: Expr,
        /// The binomial's second item, with its sign.
        q: Expr,
        /// The cross term, expanded.
        cross: Expr,
        /// What was written for it, when it was halved.
        written: Option<Expr>,
    },
    /// Some terms have the wrong sign.
    SignError {
        /// The terms as they should be.
        expected: Expr,
        /// The terms as written.
        written: Expr,
    },
    /// The whole result has the wrong sign.
    WholeSign,
    /// A derivative missing the chain rule's inner derivative.
    MissingChainFactor {
        /// The inner function.
        inner: Expr,
        /// Its derivative, the missing factor.
        factor: Expr,
    },
    /// The written result is `factor` times the expected one.
    ConstantFactor {
        /// Written divided by expected.
        factor: Q,
        /// For a derivative: the exponent `n` whose power-rule factor is
        /// missing, when `factor` is `1/n`.
        power: Option<i64>,
    },
    /// One coefficient is wrong.
    CoefficientSlip {
        /// The monomial (1 for the constant term).
        monomial: Expr,
        /// The term as it should be.
        expected: Expr,
        /// The term as written.
        written: Expr,
    },
    /// Some terms are missing.
    DroppedTerm {
        /// The missing terms.
        terms: Expr,
        /// How many.
        count: usize,
    },
    /// Some terms should not be there.
    ExtraTerm {
        /// The extra terms.
        terms: Expr,
        /// How many.
        count: usize,
    },
}

impl Hint {
    /// A stable name for the class of slip, as in the JSON output.
    ///
    /// ```
    /// assert_eq!(kobai::Hint::WholeSign.kind(), "whole_sign");
    /// ```
    pub fn kind(&self) -> &'static str {
        match self {
            Hint::DroppedSquare { .. } => "dropped_square",
            Hint::ExtraSquare { .. } => "extra_square",
            Hint::CrossTerm { written: None, .. } => "cross_term_missing",
            Hint::CrossTerm { written: Some(_), .. } => "cross_term_halved",
            Hint::SignError { .. } => "sign_error",
            Hint::WholeSign => "whole_sign",
            Hint::MissingChainFactor { .. } => "missing_chain_factor",
            Hint::ConstantFactor { .. } => "constant_factor",
            Hint::CoefficientSlip { .. } => "coefficient_slip",
            Hint::DroppedTerm { .. } => "dropped_term",
            Hint::ExtraTerm { .. } => "extra_term",
        }
    }

    /// The hint in words, with expressions printed by `show`.
    ///
    /// ```
    /// use kobai::{Expr, Hint};
    /// let h = Hint::MissingChainFactor { inner: kobai::read("3*w - 7")?, factor: Expr::int(3) };
    /// assert_eq!(h.describe(&kobai::unicode), "chain rule: the inside 3w − 7 has derivative 3, and that factor is missing");
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn describe(&self, show: &dyn Fn(&Expr) -> String) -> String {
        match self {
            Hint::DroppedSquare { expected, written } => {
                format!("{} was written as {}: the square was dropped", show(expected), show(written))
            }
            Hint::ExtraSquare { expected, written } => {
                format!("{} was written as {}: that square should not be there", show(expected), show(written))
            }
            Hint::CrossTerm { square, outside, p, q, cross, written } => {
                let factor = |e: &Expr| {
                    let s = show(e);
                    let atomic = e.as_sym().is_some() || e.as_num().is_some_and(|n| n.is_integer() && !n.is_negative());
                    if atomic { s } else { format!("({s})") }
                };
                let mut formula = String::new();
                if !outside.is_one() {
                    formula.push_str(&factor(outside));
                    formula.push('·');
                }
                formula.push_str(&format!("2·{}·{}", factor(p), factor(q)));
                let head = format!("the cross term of {} is {formula} = {}", show(square), show(cross));
                match written {
                    Some(w) => format!("{head}, written as {}", show(w)),
                    None => format!("{head}, and it is missing"),
                }
            }
            Hint::SignError { expected, written } => {
                format!("sign error: {} was written as {}", show(expected), show(written))
            }
            Hint::WholeSign => "the whole result has the wrong sign".to_string(),
            Hint::MissingChainFactor { inner, factor } => format!(
                "chain rule: the inside {} has derivative {}, and that factor is missing",
                show(inner),
                show(factor)
            ),
            Hint::ConstantFactor { factor, power: Some(n) } => format!(
                "the result is off by a factor of {}: the factor {n} that the power rule brings down is missing",
                show(&Expr::num(factor.clone()))
            ),
            Hint::ConstantFactor { factor, power: None } => {
                format!("the result is off by a constant factor of {}", show(&Expr::num(factor.clone())))
            }
            Hint::CoefficientSlip { monomial, expected, written } => {
                let which = if monomial.is_one() {
                    "the constant term".to_string()
                } else {
                    format!("the {} term", show(monomial))
                };
                format!("arithmetic slip in {which}: it should be {}, written as {}", show(expected), show(written))
            }
            Hint::DroppedTerm { terms, count } => {
                if *count == 1 {
                    format!("the term {} is missing", show(terms))
                } else {
                    format!("the terms {} are missing", show(terms))
                }
            }
            Hint::ExtraTerm { terms, count } => {
                if *count == 1 {
                    format!("the term {} should not be there", show(terms))
                } else {
                    format!("the terms {} should not be there", show(terms))
                }
            }
        }
    }
}

/// How much unexpanded structure an expression has: powers of sums and
/// products with a sum factor. The side with more is read as the expected
/// one, the other as what was written after working it out.
fn structure(e: &Expr) -> usize {
    match e.node() {
        Node::Num(_) | Node::Sym(_) => 0,
        Node::Sum { terms, .. } => terms.iter().map(|(t, _)| structure(t)).sum(),
        Node::Product { factors, .. } => {
            let sums = factors.iter().filter(|(b, _)| matches!(b.node(), Node::Sum { .. })).count();
            sums + factors.iter().map(|(b, _)| structure(b)).sum::<usize>()
        }
        Node::Pow(b, x) => {
            let squared = matches!(b.node(), Node::Sum { .. }) && x.as_num().is_some_and(|q| q.is_integer());
            usize::from(squared) + structure(b)
        }
        Node::Call(_, a) => structure(a),
    }
}

/// A binomial square found among the terms of the expected expression.
struct Square {
    whole: Expr,
    outside: Expr,
    p: Expr,
    q: Expr,
    cross: Expr,
}

fn squares(e: &Expr, limits: &Limits) -> Result<Vec<Square>> {
    let terms: Vec<(Expr, Q)> = match e.node() {
        Node::Sum { terms, .. } => terms.clone(),
        Node::Num(_) | Node::Sym(_) | Node::Product { .. } | Node::Pow(..) | Node::Call(..) => {
            let (c, t) = e.split_coeff();
            vec![(t, c)]
        }
    };
    let mut out = Vec::new();
    for (t, c) in terms {
        let (coeff, factors) = match t.node() {
            Node::Product { coeff, factors } => (coeff.mul(&c), factors.clone()),
            Node::Pow(b, x) => (c.clone(), vec![(b.clone(), x.clone())]),
            Node::Num(_) | Node::Sym(_) | Node::Sum { .. } | Node::Call(..) => continue,
        };
        for (i, (b, x)) in factors.iter().enumerate() {
            if x.as_num() != Some(&Q::from(2)) {
                continue;
            }
            let Node::Sum { constant, terms: items } = b.node() else { continue };
            let order = crate::print::sum_order(constant, items);
            let [first, second] = order.as_slice() else { continue };
            let item = |k: &Option<usize>| match k {
                Some(k) => items.get(*k).map(|(t, c)| Expr::scale(t, c)),
                None => Some(Expr::num(constant.clone())),
            };
            let (Some(p), Some(q)) = (item(first), item(second)) else { continue };
            let mut rest = vec![Expr::num(coeff.clone())];
            rest.extend(factors.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, (b, x))| Expr::pow(b, x)));
            let outside = Expr::product(rest);
            let cross = expand(&Expr::product([Expr::int(2), outside.clone(), p.clone(), q.clone()]), limits)?;
            out.push(Square { whole: Expr::scale(&t, &c), outside, p, q, cross });
        }
    }
    Ok(out)
}

/// The inner functions of `f` that depend on `x`: arguments of calls and
/// bases of powers, other than `x` itself.
fn inner_functions(f: &Expr, x: Symbol, out: &mut Vec<Expr>) {
    let push = |e: &Expr, out: &mut Vec<Expr>| {
        if e.contains(x) && e.as_sym() != Some(x) && !out.contains(e) {
            out.push(e.clone());
        }
    };
    match f.node() {
        Node::Num(_) | Node::Sym(_) => {}
        Node::Sum { terms, .. } => terms.iter().for_each(|(t, _)| inner_functions(t, x, out)),
        Node::Product { factors, .. } => {
            for (b, p) in factors {
                if !p.is_one() {
                    push(b, out);
                }
                inner_functions(b, x, out);
                inner_functions(p, x, out);
            }
        }
        Node::Pow(b, p) => {
            push(b, out);
            inner_functions(b, x, out);
            inner_functions(p, x, out);
        }
        Node::Call(_, a) => {
            push(a, out);
            inner_functions(a, x, out);
        }
    }
}

/// The integer exponents `n >= 2` of powers of expressions that depend on `x`.
fn power_exponents(f: &Expr, x: Symbol, out: &mut Vec<i64>) {
    let note = |b: &Expr, p: &Expr, out: &mut Vec<i64>| {
        if let Some(n) = p.as_num().and_then(Q::to_i64)
            && n >= 2
            && b.contains(x)
            && !out.contains(&n)
        {
            out.push(n);
        }
    };
    match f.node() {
        Node::Num(_) | Node::Sym(_) => {}
        Node::Sum { terms, .. } => terms.iter().for_each(|(t, _)| power_exponents(t, x, out)),
        Node::Product { factors, .. } => {
            for (b, p) in factors {
                note(b, p, out);
                power_exponents(b, x, out);
            }
        }
        Node::Pow(b, p) => {
            note(b, p, out);
            power_exponents(b, x, out);
        }
        Node::Call(_, a) => power_exponents(a, x, out),
    }
}

/// The derivative of `f` by `x` as someone gets it who forgets the chain
/// rule's inner derivative wherever the inner function is `inner`.
fn forgetting_chain(f: &Expr, x: Symbol, inner: &Expr) -> Result<Expr> {
    if !f.contains(x) {
        return Ok(Expr::zero());
    }
    Ok(match f.node() {
        Node::Num(_) => Expr::zero(),
        Node::Sym(s) => {
            if *s == x {
                Expr::one()
            } else {
                Expr::zero()
            }
        }
        Node::Sum { terms, .. } => {
            let mut items = Vec::with_capacity(terms.len());
            for (t, c) in terms {
                items.push((forgetting_chain(t, x, inner)?, c.clone()));
            }
            Expr::weighted_sum(Q::zero(), items)
        }
        Node::Product { coeff, factors } => {
            let mut items = Vec::new();
            for (i, (b, p)) in factors.iter().enumerate() {
                if !b.contains(x) && !p.contains(x) {
                    continue;
                }
                let mut parts = vec![Expr::num(coeff.clone()), forgetting_power(b, p, x, inner)?];
                parts.extend(factors.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, (b, p))| Expr::pow(b, p)));
                items.push(Expr::product(parts));
            }
            Expr::sum(items)
        }
        Node::Pow(b, p) => forgetting_power(b, p, x, inner)?,
        Node::Call(func, a) => {
            // The outer derivative f'(a), from kobai's rules at a fresh variable.
            let fresh = Symbol::new("kobai·inner");
            let outer = diff(&Expr::call(*func, &Expr::sym(fresh)), fresh);
            let outer = subs(&outer, &[(fresh, a.clone())])?;
            let inside = if a == inner { Expr::one() } else { forgetting_chain(a, x, inner)? };
            Expr::mul(&outer, &inside)
        }
    })
}

fn forgetting_power(b: &Expr, p: &Expr, x: Symbol, inner: &Expr) -> Result<Expr> {
    if p.contains(x) {
        return Ok(diff(&Expr::pow(b, p), x));
    }
    let inside = if b == inner { Expr::one() } else { forgetting_chain(b, x, inner)? };
    Ok(Expr::product([p.clone(), Expr::pow(b, &Expr::sub(p, &Expr::one())), inside]))
}

/// The single term `c·monomial` as an expression.
fn term(gens: &[Expr], exps: &[u32], c: &Q) -> Expr {
    Poly::from_terms(gens, [(exps.to_vec(), c.clone())]).map_or_else(Expr::zero, |p| p.to_expr())
}

/// The polynomial of `e` in the generators, when it has no denominator.
fn polynomial(forms: &mut Forms, e: &Expr) -> Result<Option<Poly>> {
    match forms.fraction(e)? {
        Some(f) if f.den.is_empty() => Ok(Some(forms.reduce(&f.num)?)),
        Some(_) | None => Ok(None),
    }
}

/// The hint for `left = right` failing, if the difference matches a slip.
pub(crate) fn find(left: &Expr, right: &Expr, ctx: Context<'_>, limits: &Limits) -> Result<Option<Hint>> {
    let (expected, written) = match ctx {
        Context::Equality if structure(right) > structure(left) => (right, left),
        Context::Equality | Context::Derivative { .. } => (left, right),
    };
    let mut chain_candidates = Vec::new();
    let mut exponents = Vec::new();
    if let Context::Derivative { function, var, order } = ctx {
        power_exponents(function, var, &mut exponents);
        if order == 1 {
            let mut inners = Vec::new();
            inner_functions(function, var, &mut inners);
            for inner in inners {
                let factor = tidy(&diff(&inner, var), limits)?;
                if factor.is_one() {
                    continue;
                }
                chain_candidates.push((forgetting_chain(function, var, &inner)?, inner, factor));
            }
        }
    }
    let square_list = match ctx {
        Context::Equality => squares(expected, limits)?,
        Context::Derivative { .. } => Vec::new(),
    };
    let mut sides: Vec<&Expr> = vec![expected, written];
    sides.extend(chain_candidates.iter().map(|(c, _, _)| c));
    sides.extend(square_list.iter().map(|s| &s.cross));
    let mut forms = Forms::new(&sides, limits)?;
    let (Some(e), Some(w)) = (polynomial(&mut forms, expected)?, polynomial(&mut forms, written)?) else {
        return Ok(None);
    };
    let d = w.sub(&e);
    if d.is_zero() {
        return Ok(None);
    }
    for (candidate, inner, factor) in &chain_candidates {
        if polynomial(&mut forms, candidate)?.is_some_and(|c| c == w) {
            return Ok(Some(Hint::MissingChainFactor { inner: inner.clone(), factor: factor.clone() }));
        }
    }
    if !e.is_zero() && w == e.neg() {
        return Ok(Some(Hint::WholeSign));
    }
    let derivative = matches!(ctx, Context::Derivative { .. });
    if derivative && let Some(hint) = constant_factor(&e, &w, &exponents) {
        return Ok(Some(hint));
    }
    for s in &square_list {
        let Some(c) = polynomial(&mut forms, &s.cross)? else { continue };
        let written = if d == c.neg() {
            None
        } else if d == c.scale(&Q::new(-1, 2)) {
            Some(c.scale(&Q::new(1, 2)).to_expr())
        } else {
            continue;
        };
        return Ok(Some(Hint::CrossTerm {
            square: s.whole.clone(),
            outside: s.outside.clone(),
            p: s.p.clone(),
            q: s.q.clone(),
            cross: s.cross.clone(),
            written,
        }));
    }
    if let Some(hint) = square_slip(&e, &d) {
        return Ok(Some(hint));
    }
    if let Some(hint) = term_slip(&e, &w, &d) {
        return Ok(Some(hint));
    }
    Ok(if derivative { None } else { constant_factor(&e, &w, &[]) })
}

fn constant_factor(e: &Poly, w: &Poly, exponents: &[i64]) -> Option<Hint> {
    let (_, le) = e.terms().next()?;
    let (_, lw) = w.terms().next()?;
    let k = lw.div(le)?;
    // Any two numbers differ by a factor: that is no slip of its own.
    if e.occurring_generators().is_empty() || k.is_zero() || k.abs().is_one() || *w != e.scale(&k) {
        return None;
    }
    let power = exponents.iter().copied().find(|n| k == Q::new(1, *n));
    Some(Hint::ConstantFactor { factor: k, power })
}

/// A square dropped from, or added to, one term.
fn square_slip(e: &Poly, d: &Poly) -> Option<Hint> {
    let gens = e.generators();
    let terms: Vec<(&[u32], &Q)> = d.terms().collect();
    let [(a, ca), (b, cb)] = terms.as_slice() else { return None };
    if **ca != cb.neg() {
        return None;
    }
    let differing: Vec<usize> = (0..a.len()).filter(|&i| a.get(i) != b.get(i)).collect();
    let [i] = differing.as_slice() else { return None };
    let (hi, lo) = match (a.get(*i), b.get(*i)) {
        (Some(2), Some(1)) => (*a, *b),
        (Some(1), Some(2)) => (*b, *a),
        _ => return None,
    };
    let (e_hi, e_lo) = (e.coefficient(hi), e.coefficient(lo));
    let (d_hi, d_lo) = (d.coefficient(hi), d.coefficient(lo));
    if !e_hi.is_zero() && d_hi == e_hi.neg() && d_lo == e_hi {
        return Some(Hint::DroppedSquare { expected: term(gens, hi, &e_hi), written: term(gens, lo, &e_hi) });
    }
    if !e_lo.is_zero() && d_lo == e_lo.neg() && d_hi == e_lo {
        return Some(Hint::ExtraSquare { expected: term(gens, lo, &e_lo), written: term(gens, hi, &e_lo) });
    }
    None
}

/// The most terms a hint about wrong, missing or extra terms names.
const MAX_TERMS_NAMED: usize = 3;

/// Terms with the wrong sign, missing terms, one wrong coefficient, or
/// extra terms.
fn term_slip(e: &Poly, w: &Poly, d: &Poly) -> Option<Hint> {
    let gens = e.generators();
    let terms: Vec<(&[u32], &Q)> = d.terms().collect();
    // A hint names the terms; more than a few are no longer one slip.
    let proper = terms.len() < e.num_terms() && terms.len() <= MAX_TERMS_NAMED;
    let sum_of = |f: &dyn Fn(&[u32]) -> Q| -> Expr {
        Poly::from_terms(gens, terms.iter().map(|(m, _)| (m.to_vec(), f(m)))).map_or_else(Expr::zero, |p| p.to_expr())
    };
    if proper && terms.iter().all(|(m, c)| !e.coefficient(m).is_zero() && **c == e.coefficient(m).mul(&Q::from(-2))) {
        return Some(Hint::SignError {
            expected: sum_of(&|m| e.coefficient(m)),
            written: sum_of(&|m| w.coefficient(m)),
        });
    }
    if proper && terms.iter().all(|(m, c)| !e.coefficient(m).is_zero() && **c == e.coefficient(m).neg()) {
        return Some(Hint::DroppedTerm { terms: sum_of(&|m| e.coefficient(m)), count: terms.len() });
    }
    if let [(m, _)] = terms.as_slice()
        && !e.coefficient(m).is_zero()
        && !w.coefficient(m).is_zero()
    {
        return Some(Hint::CoefficientSlip {
            monomial: term(gens, m, &Q::one()),
            expected: term(gens, m, &e.coefficient(m)),
            written: term(gens, m, &w.coefficient(m)),
        });
    }
    if terms.len() <= MAX_TERMS_NAMED && terms.iter().all(|(m, _)| e.coefficient(m).is_zero()) {
        return Some(Hint::ExtraTerm { terms: sum_of(&|m| w.coefficient(m)), count: terms.len() });
    }
    None
}
