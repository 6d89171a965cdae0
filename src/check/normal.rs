//! Rational normal forms: both sides of a claim as quotients of polynomials
//! in common generators, for exact proofs of equality.
//!
//! The generators are the variables and the atoms that are not polynomial:
//! calls (`sin(x)`, `ln(x + 1)`), roots (`sqrt(x)` for `x^(3/2)`), and one
//! exponential per monomial argument (`exp(x)`, so that `exp(2*x - 1)` is
//! `exp(x)^2 · exp(1)^-1`). Before conversion, functions with a definition
//! in terms of others are rewritten (`tan = sin/cos`, `sigmoid(u) = 1/(1 +
//! exp(-u))`, `tanh(u) = (exp(2u) - 1)/(exp(2u) + 1)`, `sqrt(u^2) = abs(u)`).
//! After cross-multiplying, polynomial relations between generators are used
//! to reduce the result: `cos(u)^2 = 1 - sin(u)^2`, `sqrt(b)^2 = b`,
//! `abs(u)^2 = u^2`.
//!
//! Every step is an identity of real functions wherever both sides are
//! defined, so a zero result proves the claim there. A non-zero result
//! refutes it only when every generator is a variable (a non-zero
//! polynomial in independent variables is not the zero function); otherwise
//! the generators may be related in ways the rules do not know
//! (`sin(2x) = 2 sin(x) cos(x)`), and the caller samples.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::Result;
use crate::expand::expand;
use crate::expr::{Expr, Func, Node};
use crate::limits::Limits;
use crate::number::Q;
use crate::poly::Poly;

use super::Identity;

/// A quotient `num / Π base^exponent`, the bases distinct, non-constant and
/// monic (leading coefficient 1).
#[derive(Clone, Debug)]
pub(crate) struct Fraction {
    pub(crate) num: Poly,
    pub(crate) den: Vec<(Poly, u32)>,
}

/// A relation `gens[index]^power = replacement` used to reduce polynomials.
struct Rule {
    index: usize,
    power: u32,
    replacement: Poly,
    identity: Identity,
}

/// The generators and relations for one comparison.
pub(crate) struct Forms {
    gens: Vec<Expr>,
    rules: Vec<Rule>,
    /// For an exponential of a monomial `t`: the denominator `L` of the
    /// generator `exp(t/L)`, so that every `exp(c·t)` is an integer power.
    exp_scales: BTreeMap<Expr, Q>,
    limits: Limits,
    /// Identities used so far: rewritings of the inputs and reductions.
    used: BTreeSet<Identity>,
}

/// The outcome of comparing two sides through their normal forms.
pub(crate) struct Comparison {
    /// The cross-multiplied, reduced numerator of `left - right`.
    pub(crate) numerator: Poly,
    /// The denominator bases of both sides (left's, then right's new ones).
    pub(crate) denominators: Vec<Poly>,
    /// The two sides as fractions.
    pub(crate) left: Fraction,
    pub(crate) right: Fraction,
    /// True when every generator is a variable and no relation was used, so
    /// that a non-zero numerator is a certain difference.
    pub(crate) exact: bool,
    /// The identities the comparison relied on.
    pub(crate) used: Vec<Identity>,
}

impl Forms {
    /// Generators and relations for comparing the given expressions.
    pub(crate) fn new(sides: &[&Expr], limits: &Limits) -> Result<Forms> {
        let mut forms = Forms {
            gens: Vec::new(),
            rules: Vec::new(),
            exp_scales: BTreeMap::new(),
            limits: *limits,
            used: BTreeSet::new(),
        };
        let mut prepared = Vec::with_capacity(sides.len());
        for side in sides {
            prepared.push(forms.prepare(side)?);
        }
        for p in &prepared {
            forms.collect(p);
        }
        forms.add_rules()?;
        Ok(forms)
    }

    /// True when every generator is a variable.
    pub(crate) fn only_variables(&self) -> bool {
        self.gens.iter().all(|g| g.as_sym().is_some())
    }

    /// Rewrites functions defined in terms of others, then expands, so that
    /// the atoms of equal expressions are equal.
    fn prepare(&mut self, e: &Expr) -> Result<Expr> {
        let rewritten = self.rewrite(e);
        expand(&rewritten, &self.limits)
    }

    fn rewrite(&mut self, e: &Expr) -> Expr {
        match e.node() {
            Node::Num(_) | Node::Sym(_) => e.clone(),
            Node::Sum { constant, terms } => {
                Expr::weighted_sum(constant.clone(), terms.iter().map(|(t, c)| (self.rewrite(t), c.clone())))
            }
            Node::Product { coeff, factors } => {
                let mut items = vec![Expr::num(coeff.clone())];
                for (b, x) in factors {
                    items.push(self.rewrite_power(b, x));
                }
                Expr::product(items)
            }
            Node::Pow(b, x) => self.rewrite_power(b, x),
            Node::Call(f, a) => {
                let a = self.rewrite(a);
                let one = Expr::one();
                match f {
                    Func::Tan => {
                        self.used.insert(Identity::TanQuotient);
                        Expr::div(&Expr::call(Func::Sin, &a), &Expr::call(Func::Cos, &a))
                    }
                    Func::Sigmoid => {
                        self.used.insert(Identity::SigmoidExp);
                        let e = Expr::call(Func::Exp, &Expr::neg(&a));
                        Expr::pow(&Expr::add(&one, &e), &Expr::int(-1))
                    }
                    Func::Tanh => {
                        self.used.insert(Identity::TanhExp);
                        let e = Expr::call(Func::Exp, &Expr::scale(&a, &Q::from(2)));
                        Expr::div(&Expr::sub(&e, &one), &Expr::add(&e, &one))
                    }
                    Func::Exp | Func::Ln | Func::Sin | Func::Cos | Func::Abs | Func::Sign => Expr::call(*f, &a),
                }
            }
        }
    }

    /// `b^x` rewritten; `(u^(2k))^(1/2)` becomes `abs(u)^k`.
    fn rewrite_power(&mut self, b: &Expr, x: &Expr) -> Expr {
        let base = self.rewrite(b);
        let exponent = self.rewrite(x);
        if exponent.as_num() == Some(&Q::new(1, 2))
            && let Node::Pow(u, k) = base.node()
            && let Some(k) = k.as_num().and_then(Q::to_i64).filter(|k| k % 2 == 0 && *k > 0)
        {
            self.used.insert(Identity::SqrtOfSquare);
            return Expr::pow(&Expr::call(Func::Abs, u), &Expr::int(k / 2));
        }
        Expr::pow(&base, &exponent)
    }

    fn add_gen(&mut self, g: Expr) {
        if !self.gens.contains(&g) {
            self.gens.push(g);
        }
    }

    /// Finds the generators of a prepared expression.
    fn collect(&mut self, e: &Expr) {
        match e.node() {
            Node::Num(_) => {}
            Node::Sym(_) => self.add_gen(e.clone()),
            Node::Sum { terms, .. } => terms.iter().for_each(|(t, _)| self.collect(t)),
            Node::Product { factors, .. } => factors.iter().for_each(|(b, x)| self.collect_power(b, x)),
            Node::Pow(b, x) => self.collect_power(b, x),
            Node::Call(Func::Exp, a) => {
                for (t, c) in exp_terms(a) {
                    let slot = self.exp_scales.entry(t).or_insert_with(Q::one);
                    let lcm = num_integer::Integer::lcm(&slot.numer(), &c.denom());
                    *slot = Q::from(lcm);
                }
            }
            Node::Call(f, a) => {
                self.add_gen(e.clone());
                if *f == Func::Cos {
                    self.add_gen(Expr::call(Func::Sin, a));
                }
                if *f == Func::Abs {
                    self.collect(a);
                }
            }
        }
    }

    fn collect_power(&mut self, b: &Expr, x: &Expr) {
        match x.as_num() {
            Some(q) if q.is_integer() => self.collect(b),
            Some(q) => match root_generator(b, q) {
                Some(root) => {
                    self.add_gen(root);
                    self.collect(b);
                }
                None => self.add_gen(Expr::pow(b, x)),
            },
            None => self.add_gen(Expr::pow(b, x)),
        }
    }

    /// The exponential generators, then the relations between generators.
    fn add_rules(&mut self) -> Result<()> {
        let scales: Vec<(Expr, Q)> = self.exp_scales.iter().map(|(t, l)| (t.clone(), l.clone())).collect();
        for (t, l) in &scales {
            self.add_gen(exp_generator(t, l));
        }
        for index in 0..self.gens.len() {
            let Some(g) = self.gens.get(index).cloned() else { continue };
            let relation = match g.node() {
                Node::Call(Func::Cos, a) => {
                    let sin = Expr::call(Func::Sin, a);
                    Some((2, Expr::sub(&Expr::one(), &Expr::pow(&sin, &Expr::int(2))), Identity::Pythagorean))
                }
                Node::Call(Func::Abs, a) => Some((2, Expr::pow(a, &Expr::int(2)), Identity::AbsSquare)),
                Node::Pow(b, x) => match x.as_num().and_then(|q| q.recip()).and_then(|k| k.to_i64()) {
                    Some(k) if k > 1 => Some((u32::try_from(k).unwrap_or(u32::MAX), b.clone(), Identity::RootPower)),
                    _ => None,
                },
                Node::Num(_) | Node::Sym(_) | Node::Sum { .. } | Node::Product { .. } | Node::Call(..) => None,
            };
            let Some((power, value, identity)) = relation else { continue };
            // A relation is usable when its right side is a polynomial in the generators.
            let prepared = expand(&value, &self.limits)?;
            if let Some(f) = self.convert(&prepared)?
                && f.den.is_empty()
            {
                self.rules.push(Rule { index, power, replacement: f.num, identity });
            }
        }
        Ok(())
    }

    fn index(&self, g: &Expr) -> Option<usize> {
        self.gens.iter().position(|h| h == g)
    }

    fn gen_power(&self, g: &Expr, k: i64) -> Option<Fraction> {
        let i = self.index(g)?;
        let p = Poly::generator(&self.gens, i)?;
        if k >= 0 {
            return Some(Fraction { num: p.pow(k.unsigned_abs(), &self.limits).ok()?, den: Vec::new() });
        }
        Some(Fraction {
            num: Poly::constant(&self.gens, Q::one()),
            den: vec![(p, u32::try_from(k.unsigned_abs()).ok()?)],
        })
    }

    /// The normal form of an expression built by [`Forms::new`]'s preparation,
    /// or `None` when it has a part the generators do not cover (or that
    /// divides by zero).
    pub(crate) fn fraction(&self, e: &Expr) -> Result<Option<Fraction>> {
        let prepared = {
            let mut scratch = Forms {
                gens: Vec::new(),
                rules: Vec::new(),
                exp_scales: BTreeMap::new(),
                limits: self.limits,
                used: BTreeSet::new(),
            };
            scratch.prepare(e)?
        };
        self.convert(&prepared)
    }

    fn convert(&self, e: &Expr) -> Result<Option<Fraction>> {
        let gens = &self.gens;
        Ok(match e.node() {
            Node::Num(q) => Some(Fraction::constant(gens, q.clone())),
            Node::Sym(_) => self.gen_power(e, 1),
            Node::Sum { constant, terms } => {
                let mut acc = Fraction::constant(gens, constant.clone());
                for (t, c) in terms {
                    let Some(f) = self.convert(t)? else { return Ok(None) };
                    acc = acc.add(&f.scale(c), &self.limits)?;
                }
                Some(acc)
            }
            Node::Product { coeff, factors } => {
                let mut acc = Fraction::constant(gens, coeff.clone());
                for (b, x) in factors {
                    let Some(f) = self.convert_power(b, x)? else { return Ok(None) };
                    acc = acc.mul(&f, &self.limits)?;
                }
                Some(acc)
            }
            Node::Pow(b, x) => self.convert_power(b, x)?,
            Node::Call(Func::Exp, a) => {
                let mut acc = Fraction::constant(gens, Q::one());
                for (t, c) in exp_terms(a) {
                    let Some(l) = self.exp_scales.get(&t) else { return Ok(None) };
                    let Some(k) = c.mul(l).to_i64() else { return Ok(None) };
                    let Some(f) = self.gen_power(&exp_generator(&t, l), k) else { return Ok(None) };
                    acc = acc.mul(&f, &self.limits)?;
                }
                Some(acc)
            }
            Node::Call(..) => self.gen_power(e, 1),
        })
    }

    fn convert_power(&self, b: &Expr, x: &Expr) -> Result<Option<Fraction>> {
        match x.as_num() {
            Some(q) if q.is_integer() => {
                let Some(k) = q.to_i64() else { return Ok(None) };
                let Some(base) = self.convert(b)? else { return Ok(None) };
                if k >= 0 {
                    return Ok(Some(base.pow(k.unsigned_abs(), &self.limits)?));
                }
                let Some(inverse) = base.inverse(&self.limits)? else { return Ok(None) };
                Ok(Some(inverse.pow(k.unsigned_abs(), &self.limits)?))
            }
            Some(q) => match root_generator(b, q) {
                Some(root) => Ok(q.numer().try_into().ok().and_then(|p: i64| self.gen_power(&root, p))),
                None => Ok(self.gen_power(&Expr::pow(b, x), 1)),
            },
            None => Ok(self.gen_power(&Expr::pow(b, x), 1)),
        }
    }

    /// Applies the relations until none applies, recording those used.
    pub(crate) fn reduce(&mut self, p: &Poly) -> Result<Poly> {
        let mut current = p.clone();
        if self.rules.is_empty() {
            return Ok(current);
        }
        // Each pass lowers the degree in some generator; the bound only
        // guards against relations that feed each other.
        for _ in 0..64 {
            let mut changed = false;
            let mut next = Poly::zero(&self.gens);
            for (e, c) in current.terms() {
                let rule = self.rules.iter().find(|r| e.get(r.index).is_some_and(|&k| k >= r.power));
                let mut exps = e.to_vec();
                let term = match rule {
                    Some(r) => {
                        changed = true;
                        self.used.insert(r.identity);
                        if let Some(slot) = exps.get_mut(r.index) {
                            *slot -= r.power;
                        }
                        let Some(rest) = Poly::from_terms(&self.gens, [(exps, c.clone())]) else { continue };
                        rest.mul(&r.replacement, &self.limits)?
                    }
                    None => Poly::from_terms(&self.gens, [(exps, c.clone())]).unwrap_or_else(|| Poly::zero(&self.gens)),
                };
                next = next.add(&term);
            }
            current = next;
            if !changed {
                break;
            }
        }
        Ok(current)
    }

    /// Compares two expressions: cross-multiplies their normal forms and
    /// reduces `left·den(right) − right·den(left)`. `None` when an expression
    /// is not covered by the generators.
    pub(crate) fn compare(&mut self, left: &Expr, right: &Expr) -> Result<Option<Comparison>> {
        let (Some(l), Some(r)) = (self.fraction(left)?, self.fraction(right)?) else { return Ok(None) };
        let dl = l.denominator(&self.limits)?;
        let dr = r.denominator(&self.limits)?;
        let cross = l.num.mul(&dr, &self.limits)?.sub(&r.num.mul(&dl, &self.limits)?);
        let numerator = self.reduce(&cross)?;
        let mut denominators: Vec<Poly> = l.den.iter().map(|(b, _)| b.clone()).collect();
        for (b, _) in &r.den {
            if !denominators.contains(b) {
                denominators.push(b.clone());
            }
        }
        let exact = self.only_variables() && self.used.is_empty();
        Ok(Some(Comparison {
            numerator,
            denominators,
            left: l,
            right: r,
            exact,
            used: self.used.iter().copied().collect(),
        }))
    }
}

/// The root generator `b^(1/q)` for `b^(p/q)`, when it is a power node.
fn root_generator(b: &Expr, q: &Q) -> Option<Expr> {
    let d = i64::try_from(q.denom()).ok()?;
    let root = Expr::pow(b, &Expr::num(Q::new(1, d)));
    matches!(root.node(), Node::Pow(..)).then_some(root)
}

/// The exponential generator `exp(t/L)` (`t = 1` for constants).
fn exp_generator(t: &Expr, l: &Q) -> Expr {
    let arg = match l.recip() {
        Some(r) => Expr::scale(t, &r),
        None => t.clone(),
    };
    Expr::call(Func::Exp, &arg)
}

/// The argument of an exponential as monic terms with coefficients; the
/// constant part has the term `1`.
fn exp_terms(a: &Expr) -> Vec<(Expr, Q)> {
    match a.node() {
        Node::Num(q) => {
            if q.is_zero() {
                Vec::new()
            } else {
                vec![(Expr::one(), q.clone())]
            }
        }
        Node::Sum { constant, terms } => {
            let mut out: Vec<(Expr, Q)> = terms.iter().map(|(t, c)| (t.clone(), c.clone())).collect();
            if !constant.is_zero() {
                out.push((Expr::one(), constant.clone()));
            }
            out
        }
        Node::Sym(_) | Node::Product { .. } | Node::Pow(..) | Node::Call(..) => {
            let (c, t) = a.split_coeff();
            vec![(t, c)]
        }
    }
}

impl Fraction {
    fn constant(gens: &[Expr], q: Q) -> Fraction {
        Fraction { num: Poly::constant(gens, q), den: Vec::new() }
    }

    fn scale(&self, q: &Q) -> Fraction {
        Fraction { num: self.num.scale(q), den: self.den.clone() }
    }

    /// The denominator multiplied out.
    pub(crate) fn denominator(&self, limits: &Limits) -> Result<Poly> {
        let mut acc = Poly::constant(self.num.generators(), Q::one());
        for (b, k) in &self.den {
            acc = acc.mul(&b.pow(u64::from(*k), limits)?, limits)?;
        }
        Ok(acc)
    }

    /// `Π base^k` over the bases in `den` that `other` lacks, with the
    /// missing multiplicity.
    fn missing(&self, merged: &[(Poly, u32)], limits: &Limits) -> Result<Poly> {
        let mut acc = Poly::constant(self.num.generators(), Q::one());
        for (b, k) in merged {
            let have = self.den.iter().find(|(c, _)| c == b).map_or(0, |(_, j)| *j);
            if *k > have {
                acc = acc.mul(&b.pow(u64::from(*k - have), limits)?, limits)?;
            }
        }
        Ok(acc)
    }

    fn add(&self, other: &Fraction, limits: &Limits) -> Result<Fraction> {
        if other.num.is_zero() {
            return Ok(self.clone());
        }
        let mut merged = self.den.clone();
        for (b, k) in &other.den {
            match merged.iter_mut().find(|(c, _)| c == b) {
                Some(slot) => slot.1 = slot.1.max(*k),
                None => merged.push((b.clone(), *k)),
            }
        }
        let a = self.num.mul(&self.missing(&merged, limits)?, limits)?;
        let b = other.num.mul(&other.missing(&merged, limits)?, limits)?;
        Ok(Fraction { num: a.add(&b), den: merged })
    }

    fn mul(&self, other: &Fraction, limits: &Limits) -> Result<Fraction> {
        let mut den = self.den.clone();
        for (b, k) in &other.den {
            match den.iter_mut().find(|(c, _)| c == b) {
                Some(slot) => slot.1 += *k,
                None => den.push((b.clone(), *k)),
            }
        }
        Ok(Fraction { num: self.num.mul(&other.num, limits)?, den })
    }

    fn pow(&self, k: u64, limits: &Limits) -> Result<Fraction> {
        let k32 = u32::try_from(k).unwrap_or(u32::MAX);
        Ok(Fraction {
            num: self.num.pow(k, limits)?,
            den: self.den.iter().map(|(b, j)| (b.clone(), j.saturating_mul(k32))).collect(),
        })
    }

    /// `1 / self`, or `None` for a zero numerator.
    fn inverse(&self, limits: &Limits) -> Result<Option<Fraction>> {
        let Some((_, lead)) = self.num.terms().next() else { return Ok(None) };
        let lead = lead.clone();
        let Some(inv_lead) = lead.recip() else { return Ok(None) };
        let num = self.denominator(limits)?.scale(&inv_lead);
        if self.num.occurring_generators().is_empty() {
            return Ok(Some(Fraction { num, den: Vec::new() }));
        }
        // num / (lead · monic): the base is monic, the constant moves up.
        let monic = self.num.scale(&inv_lead);
        Ok(Some(Fraction { num, den: vec![(monic, 1)] }))
    }
}
