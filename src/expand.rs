//! `expand`: full distribution of products and integer powers of sums.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use crate::error::{Error, Result};
use crate::expr::{Expr, Func, Node};
use crate::limits::Limits;
use crate::number::Q;

/// Multiplies everything out: products of sums, positive integer powers of
/// sums (multinomially), inside calls and exponents too. Negative and
/// fractional powers of sums stay as factors, with their base expanded:
/// `(x + 1)^-1` is not a polynomial.
///
/// ```
/// let e = kobai::read("((2*w1)-5)^2").unwrap();
/// let x = kobai::expand(&e, &kobai::Limits::default()).unwrap();
/// assert_eq!(x.to_string(), "4*w1^2 - 20*w1 + 25");
/// ```
///
/// Work that would produce more than `limits.max_terms` terms, a power
/// above `limits.max_exponent`, or a coefficient above
/// `limits.max_number_bits` (refused before the work when a coefficient of
/// the result is certain to be that large), stops with [`Error::Limit`]:
///
/// ```
/// let e = kobai::read("(a+b+c+d+e1)^200").unwrap();
/// assert!(kobai::expand(&e, &kobai::Limits::default()).is_err());
/// ```
pub fn expand(e: &Expr, limits: &Limits) -> Result<Expr> {
    // Polynomials go to the packed polynomial kernel; the tree expander is
    // for everything else (calls, negative and fractional powers).
    // A `Poly` stores one exponent per variable in every term, so a sum of
    // many variables is cheaper in the tree expander.
    if e.is_polynomial() && !matches!(e.node(), Node::Num(_) | Node::Sym(_)) {
        let gens: Vec<Expr> = e.symbols().into_iter().map(Expr::sym).collect();
        if gens.len() <= POLY_MAX_VARIABLES {
            return Ok(crate::poly::Poly::from_expr(e, &gens, limits)?.to_expr());
        }
    }
    Ok(expand_terms(e, limits)?.into_expr())
}

/// Polynomials in more variables than this are expanded as trees.
const POLY_MAX_VARIABLES: usize = 64;

/// An expanded sum under construction: monic term to coefficient, the
/// constant under the key `1`.
#[derive(Clone)]
struct Terms {
    map: HashMap<Expr, Q>,
}

impl Terms {
    fn single(coeff: Q, term: Expr) -> Terms {
        let mut map = HashMap::new();
        if !coeff.is_zero() {
            map.insert(term, coeff);
        }
        Terms { map }
    }

    fn constant(q: Q) -> Terms {
        Terms::single(q, Expr::one())
    }

    fn add_scaled(&mut self, other: Terms, scale: &Q) {
        // Zeros are removed where they arise: sweeping the whole map after
        // every addition made a sum of n terms take n² steps.
        for (t, c) in other.map {
            let c = c.mul(scale);
            match self.map.entry(t) {
                Entry::Occupied(mut slot) => {
                    let sum = slot.get().add(&c);
                    if sum.is_zero() {
                        slot.remove();
                    } else {
                        *slot.get_mut() = sum;
                    }
                }
                Entry::Vacant(slot) => {
                    if !c.is_zero() {
                        slot.insert(c);
                    }
                }
            }
        }
    }

    fn mul(&self, other: &Terms, limits: &Limits) -> Result<Terms> {
        check_product_size(self, other, limits)?;
        let largest = |t: &Terms| t.map.values().map(Q::bits).max().unwrap_or(0);
        crate::poly::product_work(
            (self.map.len(), largest(self)),
            (other.map.len(), largest(other)),
            crate::poly::TREE_PAIR_WORDS,
            limits,
        )?;
        let mut map: HashMap<Expr, Q> = HashMap::with_capacity(self.map.len().max(other.map.len()));
        for (ta, ca) in &self.map {
            for (tb, cb) in &other.map {
                let (k, t) = if ta.is_one() {
                    (Q::one(), tb.clone())
                } else if tb.is_one() {
                    (Q::one(), ta.clone())
                } else {
                    Expr::mul(ta, tb).split_coeff()
                };
                let c = ca.mul(cb).mul(&k);
                let slot = map.entry(t).or_default();
                *slot = slot.add(&c);
                if map.len() > limits.max_terms {
                    return Err(too_many_terms(limits, map.len()));
                }
            }
        }
        map.retain(|_, c| !c.is_zero());
        Terms { map }.distribute_merged(limits)?.checked_size(limits)
    }

    /// Refuses a result with a coefficient above `limits.max_number_bits`.
    fn checked_size(self, limits: &Limits) -> Result<Terms> {
        if let Some(bits) = self.map.values().map(Q::bits).max()
            && bits > limits.max_number_bits
        {
            return Err(crate::poly::number_limit(limits, bits));
        }
        Ok(self)
    }

    /// Expands the terms in which multiplying merged powers of a sum into a
    /// positive integer power of it (`(x + 1)^(1/2)·(x + 1)^(1/2)` is
    /// `x + 1`, `((x + 1)^(1/5))^5` too): the products of terms are formed
    /// by `Expr::mul` and `Expr::pow`, which do not distribute.
    fn distribute_merged(mut self, limits: &Limits) -> Result<Terms> {
        if !self.map.keys().any(has_sum_to_natural_power) {
            return Ok(self);
        }
        let merged: Vec<Expr> = self.map.keys().filter(|t| has_sum_to_natural_power(t)).cloned().collect();
        for t in merged {
            if let Some(c) = self.map.remove(&t) {
                self.add_scaled(expand_terms(&t, limits)?, &c);
                if self.map.len() > limits.max_terms {
                    return Err(too_many_terms(limits, self.map.len()));
                }
            }
        }
        Ok(self)
    }

    fn pow(&self, k: u64, limits: &Limits) -> Result<Terms> {
        if k > limits.max_exponent {
            return Err(Error::Limit {
                what: "exponent to expand",
                limit: limits.max_exponent,
                reached: format!("a power of {k}"),
                flag: "--max-exponent",
            });
        }
        // A sum of n terms to the k-th power has up to C(n+k-1, k) terms:
        // refuse before computing rather than after.
        let n = self.map.len() as u64;
        let estimate = binomial_estimate(n + k - 1, k);
        if estimate > limits.max_terms as u64 {
            return Err(Error::Limit {
                what: "number of terms",
                limit: limits.max_terms as u64,
                reached: format!(
                    "expanding a {n}-term sum to the power {k} gives up to {} terms",
                    show_count(estimate)
                ),
                flag: "--max-terms",
            });
        }
        check_power_size(self, k, limits)?;
        if n >= 2 && k >= 2 {
            let widest = self.map.values().map(Q::bits).max().unwrap_or(0);
            crate::poly::power_work(estimate, k, widest, limits)?;
        }
        if n >= 2
            && k >= 2
            && let Some(power) = self.pow_multinomial(k)
        {
            return power.distribute_merged(limits)?.checked_size(limits);
        }
        let mut result = Terms::constant(Q::one());
        let mut base = self.clone();
        let mut e = k;
        while e > 0 {
            if e & 1 == 1 {
                result = result.mul(&base, limits)?;
            }
            e >>= 1;
            if e > 0 {
                base = base.mul(&base, limits)?;
            }
        }
        Ok(result)
    }

    /// `self^k` by the multinomial theorem: one product of powers of the
    /// terms for each way of distributing `k` among them (their number was
    /// checked against the limits), where repeated squaring multiplies
    /// every pair of terms of the partial powers. `None` (never expected)
    /// when the walk finds its state inconsistent; the caller then squares.
    fn pow_multinomial(&self, k: u64) -> Option<Terms> {
        let mut levels: Vec<Level<'_>> = self.map.iter().map(|(term, scale)| Level::new(term, scale)).collect();
        let last = levels.len().checked_sub(1)?;
        let mut map: HashMap<Expr, Q> = HashMap::new();
        // Depth-first over the exponent of each term; the state at depth d is
        // what the terms before d contribute (product, coefficient) and the
        // current exponent of term d with its binomial and coefficient power.
        levels.first_mut()?.remaining = k;
        let mut d = 0usize;
        loop {
            if d == last {
                let level = levels.get_mut(d)?;
                let r = level.remaining;
                let full = if r == 0 {
                    level.product.clone()
                } else {
                    let power = level.term_power(r)?;
                    Expr::mul(&level.product, &power)
                };
                let c = level.coeff.mul(&level.scale.pow(r as i64).unwrap_or_default());
                let (extra, t) = full.split_coeff();
                let slot = map.entry(t).or_default();
                *slot = slot.add(&c.mul(&extra));
                loop {
                    if d == 0 {
                        map.retain(|_, c| !c.is_zero());
                        return Some(Terms { map });
                    }
                    d -= 1;
                    let level = levels.get(d)?;
                    if level.chosen < level.remaining {
                        break;
                    }
                }
                let level = levels.get_mut(d)?;
                let j = level.chosen;
                level.binom = level.binom.mul(&Q::new((level.remaining - j) as i64, (j + 1) as i64));
                level.power = level.power.mul(level.scale);
                level.chosen = j + 1;
            }
            let Some([level, next]) = levels.get_mut(d..d + 2) else { return None };
            let j = level.chosen;
            next.remaining = level.remaining - j;
            next.product = if j == 0 {
                level.product.clone()
            } else {
                let power = level.term_power(j)?;
                Expr::mul(&level.product, &power)
            };
            next.coeff = level.coeff.mul(&level.binom).mul(&level.power);
            next.chosen = 0;
            next.binom = Q::one();
            next.power = Q::one();
            d += 1;
        }
    }

    fn into_expr(self) -> Expr {
        let constant = self.map.get(&Expr::one()).cloned().unwrap_or_default();
        Expr::weighted_sum(constant, self.map.into_iter().filter(|(t, _)| !t.is_one()))
    }
}

/// One term of a sum being raised to a power by the multinomial theorem,
/// with the state of the walk at its depth.
struct Level<'a> {
    /// The monic term.
    term: &'a Expr,
    /// Its coefficient.
    scale: &'a Q,
    /// `term^0, term^1, …`, built as needed.
    powers: Vec<Expr>,
    /// The exponent left for this term and the ones after it.
    remaining: u64,
    /// This term's current exponent.
    chosen: u64,
    /// What the terms before this one contribute.
    product: Expr,
    coeff: Q,
    /// The binomial and the power of `scale` that go with `chosen`.
    binom: Q,
    power: Q,
}

impl<'a> Level<'a> {
    fn new(term: &'a Expr, scale: &'a Q) -> Level<'a> {
        Level {
            term,
            scale,
            powers: vec![Expr::one()],
            remaining: 0,
            chosen: 0,
            product: Expr::one(),
            coeff: Q::one(),
            binom: Q::one(),
            power: Q::one(),
        }
    }

    /// `term^j`.
    fn term_power(&mut self, j: u64) -> Option<Expr> {
        while self.powers.len() as u64 <= j {
            let next = Expr::pow(self.term, &Expr::int(self.powers.len() as i64));
            self.powers.push(next);
        }
        self.powers.get(usize::try_from(j).ok()?).cloned()
    }
}

/// Terms as exponent vectors with their coefficients.
type Rows<'a> = Vec<(Vec<Q>, &'a Q)>;

/// The terms of each of `sums` as exponent vectors over one list of bases
/// (with their coefficients), when every term is `1` or a product of symbols
/// and of calls other than `exp` to rational powers: multiplying such terms
/// adds their vectors and folds nothing into the coefficient (see
/// `ProductBuilder`), as for monomials with rational exponents. `None`
/// otherwise, or when the vectors would take much memory.
fn exponent_vectors<'a>(sums: &[&'a Terms]) -> Option<Vec<Rows<'a>>> {
    type Sparse<'a> = Vec<(Vec<(usize, Q)>, &'a Q)>;
    let atom = |b: &Expr| match b.node() {
        Node::Sym(_) => true,
        Node::Call(f, _) => *f != Func::Exp,
        _ => false,
    };
    let one = Expr::one();
    let mut index: HashMap<Expr, usize> = HashMap::new();
    let mut sparse: Vec<Sparse<'a>> = Vec::with_capacity(sums.len());
    for s in sums {
        let mut rows: Sparse<'a> = Vec::with_capacity(s.map.len());
        for (t, c) in &s.map {
            let factors: Vec<(&Expr, &Expr)> = match t.node() {
                Node::Num(_) if t.is_one() => Vec::new(),
                Node::Sym(_) | Node::Call(..) => vec![(t, &one)],
                Node::Pow(b, x) => vec![(b, x)],
                Node::Product { coeff, factors } if coeff.is_one() => factors.iter().map(|(b, x)| (b, x)).collect(),
                _ => return None,
            };
            let mut row = Vec::with_capacity(factors.len());
            for (b, x) in factors {
                if !atom(b) {
                    return None;
                }
                let q = x.as_num()?.clone();
                let next = index.len();
                let i = *index.entry(b.clone()).or_insert(next);
                row.push((i, q));
            }
            rows.push((row, c));
        }
        sparse.push(rows);
    }
    let n = index.len();
    let total: usize = sparse.iter().map(Vec::len).sum();
    if n.saturating_mul(total) > 1 << 20 {
        return None;
    }
    let dense = sparse
        .into_iter()
        .map(|rows| {
            rows.into_iter()
                .map(|(row, c)| {
                    let mut v = vec![Q::zero(); n];
                    for (i, q) in row {
                        if let Some(slot) = v.get_mut(i) {
                            *slot = q;
                        }
                    }
                    (v, c)
                })
                .collect()
        })
        .collect();
    Some(dense)
}

/// For each of a list of monomial orders on rational exponent vectors (the
/// graded lexicographic one, and the lexicographic ones with one base
/// first), the indices of the first and the last of `rows` in it. The first
/// term of a product in a monomial order is the product of the first terms
/// of the factors, whatever cancels elsewhere; the same for the last.
fn extreme_rows(rows: &[(Vec<Q>, &Q)]) -> Vec<(usize, usize)> {
    let n = rows.first().map_or(0, |r| r.0.len());
    let mut out = Vec::with_capacity(n + 1);
    if rows.is_empty() {
        return out;
    }
    let zero = Q::zero();
    let degrees: Vec<Q> = rows.iter().map(|r| r.0.iter().fold(Q::zero(), |acc, q| acc.add(q))).collect();
    for order in 0..=n {
        // Order 0 weighs by degree, order i + 1 by the exponent of base i.
        let key = |t: usize| {
            let v = rows.get(t).map_or(&[][..], |r| &r.0[..]);
            let weight = if order == 0 { degrees.get(t) } else { v.get(order - 1) };
            (weight.unwrap_or(&zero), v)
        };
        let (mut first, mut last) = (0, 0);
        for t in 1..rows.len() {
            if key(t) > key(first) {
                first = t;
            }
            if key(t) < key(last) {
                last = t;
            }
        }
        out.push((first, last));
    }
    out
}

/// The tree expander's version of `Poly::pow`'s early refusal: `a^k`
/// refused before any work when the `k`-th power of the coefficient of a
/// term that comes first or last in a monomial order (exactly a
/// coefficient of the result) exceeds `limits.max_number_bits`; its
/// numerator and denominator have at least `k·(b - 1) + 1` bits each for
/// `b`-bit ones. Only for terms that multiply as monomials (see
/// `exponent_vectors`); the result's size is checked after the work anyway.
fn check_power_size(a: &Terms, k: u64, limits: &Limits) -> Result<()> {
    let lower = |bits: u64| bits.saturating_sub(2).saturating_mul(k).saturating_add(2);
    let widest = a.map.values().map(Q::bits).max().unwrap_or(0);
    if lower(widest) <= limits.max_number_bits {
        return Ok(());
    }
    let Some(vectors) = exponent_vectors(&[a]) else { return Ok(()) };
    let Some(rows) = vectors.first() else { return Ok(()) };
    let bits = |t: usize| rows.get(t).map_or(0, |r| r.1.bits());
    let certain = extreme_rows(rows).into_iter().map(|(f, l)| bits(f).max(bits(l))).max().unwrap_or(0);
    let bound = lower(certain);
    if bound > limits.max_number_bits {
        return Err(crate::poly::number_limit_ahead(limits, bound));
    }
    Ok(())
}

/// The same for `a·b`: the products of the coefficients of the first terms
/// in a monomial order (and of the last ones) are coefficients of the result.
fn check_product_size(a: &Terms, b: &Terms, limits: &Limits) -> Result<()> {
    let widest = |t: &Terms| t.map.values().map(Q::bits).max().unwrap_or(0);
    // A product of rationals has at most the bits of both.
    if widest(a).saturating_add(widest(b)) <= limits.max_number_bits {
        return Ok(());
    }
    let Some(vectors) = exponent_vectors(&[a, b]) else { return Ok(()) };
    let (Some(ra), Some(rb)) = (vectors.first(), vectors.get(1)) else { return Ok(()) };
    let product_bits = |i: usize, j: usize| match (ra.get(i), rb.get(j)) {
        (Some(x), Some(y)) => x.1.mul(y.1).bits(),
        _ => 0,
    };
    for (&(fa, la), &(fb, lb)) in extreme_rows(ra).iter().zip(&extreme_rows(rb)) {
        let bits = product_bits(fa, fb).max(product_bits(la, lb));
        if bits > limits.max_number_bits {
            return Err(crate::poly::number_limit_ahead(limits, bits));
        }
    }
    Ok(())
}

/// True when the monic term `t` is a sum or has a sum as a factor under a
/// positive integer exponent: a term that `expand` must distribute.
fn has_sum_to_natural_power(t: &Expr) -> bool {
    let natural_sum = |b: &Expr, x: &Expr| {
        matches!(b.node(), Node::Sum { .. }) && x.as_num().is_some_and(|q| q.is_integer() && q.signum() > 0)
    };
    match t.node() {
        Node::Sum { .. } => true,
        Node::Pow(b, x) => natural_sum(b, x),
        Node::Product { factors, .. } => factors.iter().any(|(b, x)| natural_sum(b, x)),
        Node::Num(_) | Node::Sym(_) | Node::Call(..) => false,
    }
}

fn too_many_terms(limits: &Limits, reached: usize) -> Error {
    Error::Limit {
        what: "number of terms",
        limit: limits.max_terms as u64,
        reached: format!("more than {reached} terms"),
        flag: "--max-terms",
    }
}

fn show_count(n: u64) -> String {
    if n == u64::MAX { "more than 10^19".to_string() } else { n.to_string() }
}

/// `C(n, k)`, saturating at `u64::MAX`.
fn binomial_estimate(n: u64, k: u64) -> u64 {
    let k = k.min(n.saturating_sub(k));
    let mut acc: u128 = 1;
    for i in 0..k {
        acc = acc * u128::from(n - i) / u128::from(i + 1);
        if acc > u128::from(u64::MAX) {
            return u64::MAX;
        }
    }
    acc as u64
}

fn expand_terms(e: &Expr, limits: &Limits) -> Result<Terms> {
    match e.node() {
        Node::Num(q) => Ok(Terms::constant(q.clone())),
        Node::Sym(_) => Ok(Terms::single(Q::one(), e.clone())),
        Node::Sum { constant, terms } => {
            let mut acc = Terms::constant(constant.clone());
            for (t, c) in terms {
                acc.add_scaled(expand_terms(t, limits)?, c);
                if acc.map.len() > limits.max_terms {
                    return Err(too_many_terms(limits, acc.map.len()));
                }
            }
            Ok(acc)
        }
        Node::Product { coeff, factors } => {
            let mut acc = Terms::constant(coeff.clone());
            for (b, x) in factors {
                acc = acc.mul(&expand_power(b, x, limits)?, limits)?;
            }
            Ok(acc)
        }
        Node::Pow(b, x) => expand_power(b, x, limits),
        Node::Call(f, a) => {
            let inner = expand(a, limits)?;
            let (c, t) = Expr::call(*f, &inner).split_coeff();
            Terms::single(c, t).distribute_merged(limits)
        }
    }
}

fn expand_power(base: &Expr, exp: &Expr, limits: &Limits) -> Result<Terms> {
    let exp = expand(exp, limits)?;
    let natural = exp.as_num().filter(|q| q.is_integer() && !q.is_negative()).and_then(Q::to_i64);
    let inner = expand_terms(base, limits)?;
    match natural {
        Some(k) if inner.map.len() > 1 => inner.pow(k.unsigned_abs(), limits),
        _ => {
            let (c, t) = Expr::pow(&inner.into_expr(), &exp).split_coeff();
            Terms::single(c, t).distribute_merged(limits)
        }
    }
}
