//! Polynomials over [`Q`]: the sparse multivariate [`Poly`] and the dense
//! univariate [`UPoly`].
//!
//! A `Poly` is a polynomial in an ordered list of *generators*: usually
//! variables, but any atom that is not itself polynomial (`exp(w*x)`,
//! `sqrt(t)`) may serve. Its terms are kept with nonzero coefficients in
//! descending graded lexicographic order, the order in which kobai prints a
//! sum, so two equal polynomials have equal representations.
//!
//! The exponent vectors of all terms are packed into one flat `Vec<u32>`
//! (term `i` owns `exps[i*n .. (i+1)*n]` for `n` generators), which keeps a
//! polynomial with many terms in two allocations.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};

use crate::error::{Error, Result};
use crate::expr::{Expr, Func, Node};
use crate::limits::Limits;
use crate::number::Q;

mod kernel;

/// A sparse polynomial with rational coefficients in an ordered list of
/// generators.
///
/// ```
/// use kobai::{read, Expr, Limits, Poly, Q};
/// let gens = [Expr::symbol("w1")];
/// let p = Poly::from_expr(&read("(2*w1 - 5)^2")?, &gens, &Limits::default())?;
/// assert_eq!(p.to_string(), "4*w1^2 - 20*w1 + 25");
/// assert_eq!(p.derivative(0).to_string(), "8*w1 - 20");
/// assert_eq!(p.eval(&[Q::new(5, 2)])?, Q::zero());
/// # Ok::<(), kobai::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Poly {
    gens: Vec<Expr>,
    /// The exponents of term `i` are `exps[i*n .. (i+1)*n]`, `n = gens.len()`.
    exps: Vec<u32>,
    /// One nonzero coefficient per term, terms in [`monomial_order`].
    coeffs: Vec<Q>,
}

/// The order of terms in a [`Poly`]: higher total degree first, then
/// lexicographically larger exponent vectors first (`x^2`, `x*y`, `y^2`, `x`,
/// `y`, `1` for generators `[x, y]`).
fn monomial_order(a: &[u32], b: &[u32]) -> Ordering {
    let da: u64 = a.iter().map(|&e| u64::from(e)).sum();
    let db: u64 = b.iter().map(|&e| u64::from(e)).sum();
    db.cmp(&da).then_with(|| b.cmp(a))
}

fn exponent_limit(limits: &Limits, reached: u64) -> Error {
    Error::Limit {
        what: "exponent of a polynomial",
        limit: limits.max_exponent.min(u64::from(u32::MAX)),
        reached: format!("a power of {reached}"),
        flag: "--max-exponent",
    }
}

fn terms_limit(limits: &Limits, reached: String) -> Error {
    Error::Limit { what: "number of terms", limit: limits.max_terms as u64, reached, flag: "--max-terms" }
}

pub(crate) fn number_limit(limits: &Limits, bits: u64) -> Error {
    Error::Limit {
        what: "size of a number",
        limit: limits.max_number_bits,
        reached: format!("a coefficient of {bits} bits"),
        flag: "--max-number-bits",
    }
}

/// The same, for a size known before the work: `bits` is a certain lower
/// bound on the size of a coefficient of the result.
pub(crate) fn number_limit_ahead(limits: &Limits, bits: u64) -> Error {
    Error::Limit {
        what: "size of a number",
        limit: limits.max_number_bits,
        reached: format!("a coefficient of at least {bits} bits"),
        flag: "--max-number-bits",
    }
}

/// How much work one product of terms costs besides multiplying the
/// coefficients, measured in products of machine words: for a `Poly`,
/// hashing the exponent vector and adding to its slot, about fifty; for the
/// tree expander's terms, which multiplies canonical expressions, about five
/// thousand.
pub(crate) const POLY_PAIR_WORDS: u64 = 50;
pub(crate) const TREE_PAIR_WORDS: u64 = 5_000;

/// Products of machine words that count as producing one term, so that
/// `limits.max_terms` bounds the work of a multiplication too: with the
/// default of a million terms, about a second.
const WORDS_PER_TERM: u64 = 1_000;

/// Refuses a product of two sums (`(terms, largest coefficient in bits)`
/// each, and the overhead of one pair of terms) whose work exceeds what producing `limits.max_terms` terms may cost,
/// before any of it is done. Every pair of terms is a product to form before
/// like terms are collected, so the number of terms of the result does not
/// bound the work: `(x+y+1)^1000` has half a million terms but takes ~10^10
/// products, and `(x+1)^10000` has ten thousand terms with coefficients of
/// up to ten thousand bits.
pub(crate) fn product_work(a: (usize, u64), b: (usize, u64), pair_words: u64, limits: &Limits) -> Result<()> {
    let words = |bits: u64| bits / 64 + 1;
    let pairs = (a.0 as u64).saturating_mul(b.0 as u64);
    let per_pair = words(a.1).saturating_mul(words(b.1)).saturating_add(pair_words);
    let work = pairs.saturating_mul(per_pair) / WORDS_PER_TERM;
    if work > limits.max_terms as u64 {
        return Err(terms_limit(
            limits,
            format!(
                "multiplying a {}-term by a {}-term sum forms {pairs} products of terms, with numbers of up to {} bits: as much work as producing {} terms",
                a.0,
                b.0,
                a.1.max(b.1),
                work
            ),
        ));
    }
    Ok(())
}

/// Refuses `p^k` by the multinomial theorem (`compositions` products of
/// powers of `p`'s terms) when multiplying its coefficients, of up to
/// `widest` bits in `p` and so up to about `k·widest` in the result, would
/// cost more than producing `limits.max_terms` terms (in the units of
/// `product_work`). For when no coefficient of the result is certainly too
/// large (that is refused earlier) but the work is.
pub(crate) fn power_work(compositions: u64, k: u64, widest: u64, limits: &Limits) -> Result<()> {
    let half = k.saturating_mul(widest) / 128 + 1;
    let work = compositions.saturating_mul(half.saturating_mul(half)) / WORDS_PER_TERM;
    if work > limits.max_terms as u64 {
        return Err(terms_limit(
            limits,
            format!(
                "a power {k} of a sum with numbers of up to {widest} bits forms {compositions} products of numbers of up to {} bits: as much work as producing {work} terms",
                k.saturating_mul(widest)
            ),
        ));
    }
    Ok(())
}

/// `a + b` for exponents, refusing results above the limits.
fn add_exponent(a: u32, b: u32, limits: &Limits) -> Result<u32> {
    let sum = u64::from(a) + u64::from(b);
    if sum > limits.max_exponent {
        return Err(exponent_limit(limits, sum));
    }
    u32::try_from(sum).map_err(|_| exponent_limit(limits, sum))
}

impl Poly {
    /// The zero polynomial in `gens`.
    ///
    /// ```
    /// assert!(kobai::Poly::zero(&[kobai::Expr::symbol("x")]).is_zero());
    /// ```
    pub fn zero(gens: &[Expr]) -> Poly {
        Poly { gens: gens.to_vec(), exps: Vec::new(), coeffs: Vec::new() }
    }

    /// The constant polynomial `q` in `gens`.
    ///
    /// ```
    /// let p = kobai::Poly::constant(&[], kobai::Q::new(1, 2));
    /// assert_eq!(p.to_string(), "1/2");
    /// ```
    pub fn constant(gens: &[Expr], q: Q) -> Poly {
        if q.is_zero() {
            return Poly::zero(gens);
        }
        Poly { gens: gens.to_vec(), exps: vec![0; gens.len()], coeffs: vec![q] }
    }

    /// The generator `gens[index]` as a polynomial, or `None` when there is
    /// no such generator.
    ///
    /// ```
    /// use kobai::{Expr, Poly};
    /// let gens = [Expr::symbol("x"), Expr::symbol("y")];
    /// assert_eq!(Poly::generator(&gens, 1).unwrap().to_string(), "y");
    /// assert!(Poly::generator(&gens, 2).is_none());
    /// ```
    pub fn generator(gens: &[Expr], index: usize) -> Option<Poly> {
        if index >= gens.len() {
            return None;
        }
        let mut exps = vec![0; gens.len()];
        if let Some(e) = exps.get_mut(index) {
            *e = 1;
        }
        Some(Poly { gens: gens.to_vec(), exps, coeffs: vec![Q::one()] })
    }

    /// Builds a polynomial from `(exponents, coefficient)` pairs in any order;
    /// equal exponent vectors are added and zero coefficients dropped.
    /// `None` when an exponent vector does not have one entry per generator.
    ///
    /// ```
    /// use kobai::{Expr, Poly, Q};
    /// let gens = [Expr::symbol("x"), Expr::symbol("y")];
    /// let p = Poly::from_terms(&gens, [(vec![0, 1], Q::from(3)), (vec![2, 0], Q::one())]).unwrap();
    /// assert_eq!(p.to_string(), "x^2 + 3*y");
    /// ```
    pub fn from_terms<I: IntoIterator<Item = (Vec<u32>, Q)>>(gens: &[Expr], terms: I) -> Option<Poly> {
        let mut map: HashMap<Vec<u32>, Q> = HashMap::new();
        for (e, c) in terms {
            if e.len() != gens.len() {
                return None;
            }
            let slot = map.entry(e).or_default();
            *slot = slot.add(&c);
        }
        Some(Poly::from_map(gens.to_vec(), map))
    }

    fn from_map(gens: Vec<Expr>, map: HashMap<Vec<u32>, Q>) -> Poly {
        let mut terms: Vec<(Vec<u32>, Q)> = map.into_iter().filter(|(_, c)| !c.is_zero()).collect();
        terms.sort_by(|a, b| monomial_order(&a.0, &b.0));
        Poly::from_sorted(gens, terms)
    }

    /// From terms already sorted by [`monomial_order`], distinct and nonzero.
    fn from_sorted(gens: Vec<Expr>, terms: Vec<(Vec<u32>, Q)>) -> Poly {
        let mut exps = Vec::with_capacity(terms.len() * gens.len());
        let mut coeffs = Vec::with_capacity(terms.len());
        for (e, c) in terms {
            exps.extend_from_slice(&e);
            coeffs.push(c);
        }
        Poly { gens, exps, coeffs }
    }

    /// Converts an expression into a polynomial in `gens`, multiplying
    /// everything out.
    ///
    /// A generator may be a variable, a call (`exp(w*x)`) or a non-integer
    /// power (`sqrt(t)`); powers of generators are recognized in the forms
    /// the canonical constructors give them (`exp(w*x)^2` is `exp(2*w*x)`,
    /// `sqrt(t)^2` is `t`). Any other variable is an error that names it, and
    /// so is any part that is not polynomial in the generators.
    ///
    /// ```
    /// use kobai::{read, Expr, Limits, Poly};
    /// let lim = Limits::default();
    /// let w1 = [Expr::symbol("w1")];
    /// let p = Poly::from_expr(&read("(w1 + 1)^3")?, &w1, &lim)?;
    /// assert_eq!(p.to_string(), "w1^3 + 3*w1^2 + 3*w1 + 1");
    ///
    /// let err = Poly::from_expr(&read("(w1*x1 - 5)^2")?, &w1, &lim).unwrap_err();
    /// assert_eq!(err.to_string(), "`x1` is not one of the variables (w1); give it a value with --at");
    /// assert!(Poly::from_expr(&read("1/w1")?, &w1, &lim).is_err());
    ///
    /// let e = [Expr::symbol("w"), read("exp(x)")?];
    /// let q = Poly::from_expr(&read("(w + exp(x))^2")?, &e, &lim)?;
    /// assert_eq!(q.num_terms(), 3);
    /// assert_eq!(q.degree_in(1), 2);
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn from_expr(e: &Expr, gens: &[Expr], limits: &Limits) -> Result<Poly> {
        for (i, g) in gens.iter().enumerate() {
            let usable = match g.node() {
                Node::Sym(_) | Node::Call(..) => true,
                Node::Pow(_, x) => x.as_num().is_some_and(|q| !q.is_integer()),
                Node::Num(_) | Node::Sum { .. } | Node::Product { .. } => false,
            };
            if !usable {
                return Err(Error::Usage {
                    message: format!(
                        "`{g}` cannot be a variable of a polynomial (use a name, a function call or a root)"
                    ),
                });
            }
            if gens.iter().take(i).any(|h| h == g) {
                return Err(Error::Usage { message: format!("`{g}` is listed twice among the variables") });
            }
        }
        let converter = Converter { gens, limits };
        converter.convert(e, 0)
    }

    /// The expression of this polynomial: terms in kobai's printing order,
    /// equal to what [`crate::expand`] makes of the input.
    ///
    /// ```
    /// use kobai::{expand, read, Expr, Limits, Poly};
    /// let lim = Limits::default();
    /// let e = read("(x - 2*y)^2 + 1")?;
    /// let gens = [Expr::symbol("x"), Expr::symbol("y")];
    /// let p = Poly::from_expr(&e, &gens, &lim)?;
    /// assert_eq!(p.to_expr(), expand(&e, &lim)?);
    /// assert_eq!(Poly::from_expr(&p.to_expr(), &gens, &lim)?, p);
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn to_expr(&self) -> Expr {
        // Generators that are variables in name order: the monomial order is
        // then the order of a canonical sum, and each monomial a canonical
        // product, so the sum is built as it stands.
        let plain = self.gens.iter().all(|g| matches!(g.node(), Node::Sym(_)))
            && self.gens.windows(2).all(|w| matches!(w, [a, b] if a < b));
        if plain {
            let top = (0..self.gens.len()).map(|i| self.degree_in(i)).max().unwrap_or(0);
            let powers: Vec<Expr> = (0..=i64::from(top)).map(Expr::int).collect();
            let mut constant = Q::zero();
            let mut terms = Vec::with_capacity(self.coeffs.len());
            for (e, c) in self.terms() {
                let factors: Vec<(Expr, Expr)> = self
                    .gens
                    .iter()
                    .zip(e)
                    .filter(|(_, k)| **k > 0)
                    .map(|(g, k)| {
                        (g.clone(), powers.get(*k as usize).cloned().unwrap_or_else(|| Expr::int(i64::from(*k))))
                    })
                    .collect();
                if factors.is_empty() {
                    constant = c.clone();
                } else {
                    terms.push((Expr::sorted_monomial(factors), c.clone()));
                }
            }
            return Expr::sorted_sum(constant, terms);
        }
        let mut constant = Q::zero();
        let mut terms = Vec::with_capacity(self.coeffs.len());
        for (e, c) in self.terms() {
            if e.iter().all(|&k| k == 0) {
                constant = c.clone();
            } else {
                terms.push((self.monomial_expr(e), c.clone()));
            }
        }
        Expr::weighted_sum(constant, terms)
    }

    fn monomial_expr(&self, e: &[u32]) -> Expr {
        Expr::product(
            self.gens.iter().zip(e).filter(|(_, k)| **k > 0).map(|(g, k)| Expr::pow(g, &Expr::int(i64::from(*k)))),
        )
    }

    /// The generators, in order.
    ///
    /// ```
    /// let gens = [kobai::Expr::symbol("x")];
    /// assert_eq!(kobai::Poly::zero(&gens).generators(), &gens);
    /// ```
    pub fn generators(&self) -> &[Expr] {
        &self.gens
    }

    fn monomial(&self, i: usize) -> &[u32] {
        let n = self.gens.len();
        self.exps.get(i * n..(i + 1) * n).unwrap_or(&[])
    }

    /// The terms as `(exponents, coefficient)`, in descending graded
    /// lexicographic order, coefficients nonzero.
    ///
    /// ```
    /// use kobai::{read, Expr, Limits, Poly, Q};
    /// let p = Poly::from_expr(&read("3*x^2 - 1")?, &[Expr::symbol("x")], &Limits::default())?;
    /// let terms: Vec<_> = p.terms().collect();
    /// assert_eq!(terms, [(&[2u32][..], &Q::from(3)), (&[0u32][..], &Q::from(-1))]);
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn terms(&self) -> impl Iterator<Item = (&[u32], &Q)> + '_ {
        self.coeffs.iter().enumerate().map(|(i, c)| (self.monomial(i), c))
    }

    /// The number of (nonzero) terms.
    ///
    /// ```
    /// use kobai::{read, Expr, Limits, Poly};
    /// let p = Poly::from_expr(&read("(x + 1)^2")?, &[Expr::symbol("x")], &Limits::default())?;
    /// assert_eq!(p.num_terms(), 3);
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn num_terms(&self) -> usize {
        self.coeffs.len()
    }

    /// True for the zero polynomial.
    ///
    /// ```
    /// use kobai::{read, Expr, Limits, Poly};
    /// let p = Poly::from_expr(&read("(x + 1)^2 - x^2 - 2*x - 1")?, &[Expr::symbol("x")], &Limits::default())?;
    /// assert!(p.is_zero());
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn is_zero(&self) -> bool {
        self.coeffs.is_empty()
    }

    /// The coefficient of the monomial with exponents `e` (zero when absent
    /// or when `e` has the wrong length).
    ///
    /// ```
    /// use kobai::{read, Expr, Limits, Poly, Q};
    /// let gens = [Expr::symbol("x"), Expr::symbol("y")];
    /// let p = Poly::from_expr(&read("(x + y)^2")?, &gens, &Limits::default())?;
    /// assert_eq!(p.coefficient(&[1, 1]), Q::from(2));
    /// assert_eq!(p.coefficient(&[3, 0]), Q::zero());
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn coefficient(&self, e: &[u32]) -> Q {
        if e.len() != self.gens.len() {
            return Q::zero();
        }
        let mut lo = 0;
        let mut hi = self.coeffs.len();
        while lo < hi {
            let mid = (lo + hi) / 2;
            match monomial_order(self.monomial(mid), e) {
                Ordering::Less => lo = mid + 1,
                Ordering::Greater => hi = mid,
                Ordering::Equal => return self.coeffs.get(mid).cloned().unwrap_or_default(),
            }
        }
        Q::zero()
    }

    /// The constant term.
    ///
    /// ```
    /// use kobai::{read, Expr, Limits, Poly, Q};
    /// let p = Poly::from_expr(&read("(x - 3)^2")?, &[Expr::symbol("x")], &Limits::default())?;
    /// assert_eq!(p.constant_term(), Q::from(9));
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn constant_term(&self) -> Q {
        self.coefficient(&vec![0; self.gens.len()])
    }

    /// The total degree (0 for constants and for the zero polynomial).
    ///
    /// ```
    /// use kobai::{read, Expr, Limits, Poly};
    /// let gens = [Expr::symbol("x"), Expr::symbol("y")];
    /// let p = Poly::from_expr(&read("x^2*y + y^2 + 1")?, &gens, &Limits::default())?;
    /// assert_eq!(p.total_degree(), 3);
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn total_degree(&self) -> u64 {
        // Terms are sorted by descending total degree.
        self.terms().next().map_or(0, |(e, _)| e.iter().map(|&k| u64::from(k)).sum())
    }

    /// The degree in generator `var` (0 when it does not occur).
    ///
    /// ```
    /// use kobai::{read, Expr, Limits, Poly};
    /// let gens = [Expr::symbol("x"), Expr::symbol("y")];
    /// let p = Poly::from_expr(&read("x^2*y + y^3")?, &gens, &Limits::default())?;
    /// assert_eq!((p.degree_in(0), p.degree_in(1)), (2, 3));
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn degree_in(&self, var: usize) -> u32 {
        self.terms().filter_map(|(e, _)| e.get(var).copied()).max().unwrap_or(0)
    }

    /// The indices of the generators that occur in some term.
    ///
    /// ```
    /// use kobai::{read, Expr, Limits, Poly};
    /// let gens = [Expr::symbol("x"), Expr::symbol("y"), Expr::symbol("z")];
    /// let p = Poly::from_expr(&read("x*z + 1")?, &gens, &Limits::default())?;
    /// assert_eq!(p.occurring_generators(), [0, 2]);
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn occurring_generators(&self) -> Vec<usize> {
        (0..self.gens.len()).filter(|&i| self.terms().any(|(e, _)| e.get(i).is_some_and(|&k| k > 0))).collect()
    }

    /// The same polynomial in another list of generators, which must contain
    /// every generator that occurs; `None` otherwise.
    ///
    /// ```
    /// use kobai::{read, Expr, Limits, Poly};
    /// let (x, y) = (Expr::symbol("x"), Expr::symbol("y"));
    /// let p = Poly::from_expr(&read("x + 1")?, &[x.clone(), y.clone()], &Limits::default())?;
    /// assert_eq!(p.with_generators(&[y.clone(), x.clone()]).unwrap().to_string(), "x + 1");
    /// assert!(p.with_generators(&[y]).is_none());
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn with_generators(&self, gens: &[Expr]) -> Option<Poly> {
        if gens == self.gens.as_slice() {
            return Some(self.clone());
        }
        let mut target = Vec::with_capacity(self.gens.len());
        for (i, g) in self.gens.iter().enumerate() {
            let occurs = self.terms().any(|(e, _)| e.get(i).is_some_and(|&k| k > 0));
            target.push(match gens.iter().position(|h| h == g) {
                Some(j) => Some(j),
                None if occurs => return None,
                None => None,
            });
        }
        let terms = self.terms().map(|(e, c)| {
            let mut ne = vec![0; gens.len()];
            for (k, t) in e.iter().zip(&target) {
                if let Some(slot) = t.and_then(|j| ne.get_mut(j)) {
                    *slot = *k;
                }
            }
            (ne, c.clone())
        });
        Poly::from_terms(gens, terms)
    }

    /// Brings two polynomials to common generators: `self`'s, followed by the
    /// other's that are new.
    fn unify<'a>(&'a self, other: &'a Poly) -> (Cow<'a, Poly>, Cow<'a, Poly>) {
        if self.gens == other.gens {
            return (Cow::Borrowed(self), Cow::Borrowed(other));
        }
        let mut gens = self.gens.clone();
        for g in &other.gens {
            if !gens.contains(g) {
                gens.push(g.clone());
            }
        }
        // Every generator of either is in `gens`, so both conversions succeed.
        let a = self.with_generators(&gens).unwrap_or_else(|| Poly::zero(&gens));
        let b = other.with_generators(&gens).unwrap_or_else(|| Poly::zero(&gens));
        (Cow::Owned(a), Cow::Owned(b))
    }

    /// The sum. Polynomials in different generators are first brought to
    /// common ones (`self`'s, then the other's new ones).
    ///
    /// ```
    /// use kobai::{read, Expr, Limits, Poly};
    /// let gens = [Expr::symbol("x")];
    /// let lim = Limits::default();
    /// let a = Poly::from_expr(&read("x^2 + x")?, &gens, &lim)?;
    /// let b = Poly::from_expr(&read("1 - x")?, &gens, &lim)?;
    /// assert_eq!(a.add(&b).to_string(), "x^2 + 1");
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn add(&self, other: &Poly) -> Poly {
        let (a, b) = self.unify(other);
        let mut out = Vec::with_capacity(a.num_terms() + b.num_terms());
        let mut ia = a.terms().peekable();
        let mut ib = b.terms().peekable();
        loop {
            let next = match (ia.peek(), ib.peek()) {
                (None, None) => break,
                (Some(_), None) => ia.next().map(|(e, c)| (e.to_vec(), c.clone())),
                (None, Some(_)) => ib.next().map(|(e, c)| (e.to_vec(), c.clone())),
                (Some((ea, _)), Some((eb, _))) => match monomial_order(ea, eb) {
                    Ordering::Less => ia.next().map(|(e, c)| (e.to_vec(), c.clone())),
                    Ordering::Greater => ib.next().map(|(e, c)| (e.to_vec(), c.clone())),
                    Ordering::Equal => match (ia.next(), ib.next()) {
                        (Some((e, ca)), Some((_, cb))) => Some((e.to_vec(), ca.add(cb))),
                        _ => None,
                    },
                },
            };
            if let Some((e, c)) = next
                && !c.is_zero()
            {
                out.push((e, c));
            }
        }
        Poly::from_sorted(a.gens.clone(), out)
    }

    /// The difference `self - other`.
    ///
    /// ```
    /// use kobai::{read, Expr, Limits, Poly};
    /// let p = Poly::from_expr(&read("x^2 + x")?, &[Expr::symbol("x")], &Limits::default())?;
    /// assert!(p.sub(&p).is_zero());
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn sub(&self, other: &Poly) -> Poly {
        self.add(&other.neg())
    }

    /// The negation.
    ///
    /// ```
    /// use kobai::{read, Expr, Limits, Poly};
    /// let p = Poly::from_expr(&read("x - 1")?, &[Expr::symbol("x")], &Limits::default())?;
    /// assert_eq!(p.neg().to_expr(), read("1 - x")?);
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn neg(&self) -> Poly {
        Poly { gens: self.gens.clone(), exps: self.exps.clone(), coeffs: self.coeffs.iter().map(Q::neg).collect() }
    }

    /// `q · self`.
    ///
    /// ```
    /// use kobai::{read, Expr, Limits, Poly, Q};
    /// let p = Poly::from_expr(&read("x - 1")?, &[Expr::symbol("x")], &Limits::default())?;
    /// assert_eq!(p.scale(&Q::new(1, 2)).to_string(), "x/2 - 1/2");
    /// assert!(p.scale(&Q::zero()).is_zero());
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn scale(&self, q: &Q) -> Poly {
        if q.is_zero() {
            return Poly::zero(&self.gens);
        }
        Poly {
            gens: self.gens.clone(),
            exps: self.exps.clone(),
            coeffs: self.coeffs.iter().map(|c| c.mul(q)).collect(),
        }
    }

    /// The product, refusing work beyond what producing `limits.max_terms`
    /// terms may cost (see `product_work`), results with more terms than
    /// that, exponents above `limits.max_exponent` or coefficients above
    /// `limits.max_number_bits`.
    ///
    /// ```
    /// use kobai::{read, Expr, Limits, Poly};
    /// let lim = Limits::default();
    /// let gens = [Expr::symbol("x")];
    /// let a = Poly::from_expr(&read("x + 1")?, &gens, &lim)?;
    /// let b = Poly::from_expr(&read("x - 1")?, &gens, &lim)?;
    /// assert_eq!(a.mul(&b, &lim)?.to_string(), "x^2 - 1");
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn mul(&self, other: &Poly, limits: &Limits) -> Result<Poly> {
        let (a, b) = self.unify(other);
        if a.is_zero() || b.is_zero() {
            return Ok(Poly::zero(&a.gens));
        }
        if let Some(product) = kernel::mul(&a, &b, limits) {
            return product;
        }
        a.check_product_size(&b, limits)?;
        product_work(
            (a.num_terms(), a.coeffs.iter().map(Q::bits).max().unwrap_or(0)),
            (b.num_terms(), b.coeffs.iter().map(Q::bits).max().unwrap_or(0)),
            POLY_PAIR_WORDS,
            limits,
        )?;
        let mut map: HashMap<Vec<u32>, Q> = HashMap::with_capacity(a.num_terms().max(b.num_terms()));
        for (ea, ca) in a.terms() {
            for (eb, cb) in b.terms() {
                let mut e = Vec::with_capacity(ea.len());
                for (x, y) in ea.iter().zip(eb) {
                    e.push(add_exponent(*x, *y, limits)?);
                }
                let c = ca.mul(cb);
                let slot = map.entry(e).or_default();
                *slot = slot.add(&c);
                if map.len() > limits.max_terms {
                    return Err(terms_limit(limits, format!("more than {} terms", map.len())));
                }
            }
        }
        if let Some(bits) = map.values().map(Q::bits).max()
            && bits > limits.max_number_bits
        {
            return Err(number_limit(limits, bits));
        }
        Ok(Poly::from_map(a.gens.clone(), map))
    }

    /// `self^k`, by repeated squaring, with the limits of [`Poly::mul`]; a
    /// result estimated to exceed `limits.max_terms` is refused before any
    /// work is done.
    ///
    /// ```
    /// use kobai::{read, Expr, Limits, Poly};
    /// let lim = Limits::default();
    /// let p = Poly::from_expr(&read("x + 1")?, &[Expr::symbol("x")], &lim)?;
    /// assert_eq!(p.pow(3, &lim)?.to_string(), "x^3 + 3*x^2 + 3*x + 1");
    /// assert!(p.pow(100_000, &lim).is_err());
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn pow(&self, k: u64, limits: &Limits) -> Result<Poly> {
        if k == 0 {
            return Ok(Poly::constant(&self.gens, Q::one()));
        }
        if self.is_zero() || k == 1 {
            return Ok(self.clone());
        }
        let top = (0..self.gens.len()).map(|i| u64::from(self.degree_in(i))).max().unwrap_or(0).saturating_mul(k);
        if k > limits.max_exponent || top > limits.max_exponent {
            return Err(exponent_limit(limits, k.max(top)));
        }
        // The result has at most C(n+k-1, k) terms for n terms, and at most
        // Π (k·deg_i + 1) for the degrees in each generator.
        let n = self.num_terms() as u64;
        let by_terms = binomial_estimate(n + k - 1, k);
        let by_degrees = (0..self.gens.len())
            .map(|i| u64::from(self.degree_in(i)).saturating_mul(k).saturating_add(1))
            .fold(1u64, u64::saturating_mul);
        let estimate = by_terms.min(by_degrees);
        if estimate > limits.max_terms as u64 {
            return Err(terms_limit(
                limits,
                format!("a {n}-term polynomial to the power {k} has up to {estimate} terms"),
            ));
        }
        self.check_power_size(k, limits)?;
        if let Some(power) = kernel::pow_multinomial(self, k, limits) {
            return power;
        }
        let mut result = Poly::constant(&self.gens, Q::one());
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

    /// The indices of terms that come first in some monomial order, or last:
    /// the graded lexicographic order of the terms, and the lexicographic
    /// orders with one generator first (then all in their order). The first
    /// term of a product in a monomial order is the product of the first
    /// terms of the factors, and its coefficient the product of theirs,
    /// whatever cancels elsewhere; the same for the last terms.
    fn extreme_terms(&self) -> Vec<(usize, usize)> {
        let n = self.gens.len();
        let count = self.num_terms();
        let mut out = Vec::with_capacity(2 * n + 2);
        if count == 0 {
            return out;
        }
        out.push((0, count - 1));
        for i in 0..n {
            let key = |t: usize| {
                let e = self.monomial(t);
                (e.get(i).copied().unwrap_or(0), e)
            };
            let (mut first, mut last) = (0, 0);
            for t in 1..count {
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

    /// Refuses `self^k` before any work when a coefficient of the result
    /// certainly exceeds `limits.max_number_bits`: for a term that comes
    /// first or last in a monomial order (see `extreme_terms`), the
    /// coefficient of its `k`-th power in `self^k` is exactly its own
    /// coefficient to the `k`-th power, and the numerator and denominator of
    /// `c^k` have at least `k·(b - 1) + 1` bits each for `b`-bit ones.
    fn check_power_size(&self, k: u64, limits: &Limits) -> Result<()> {
        let lower = |bits: u64| bits.saturating_sub(2).saturating_mul(k).saturating_add(2);
        let widest = self.coeffs.iter().map(Q::bits).max().unwrap_or(0);
        if lower(widest) <= limits.max_number_bits {
            return Ok(());
        }
        let coeff_bits = |t: usize| self.coeffs.get(t).map(Q::bits).unwrap_or(0);
        let certain =
            self.extreme_terms().into_iter().map(|(f, l)| coeff_bits(f).max(coeff_bits(l))).max().unwrap_or(0);
        let bound = lower(certain);
        if bound > limits.max_number_bits {
            return Err(number_limit_ahead(limits, bound));
        }
        Ok(())
    }

    /// Refuses `self·other` (in the same generators) before any work when a
    /// coefficient of the result certainly exceeds `limits.max_number_bits`:
    /// the products of the coefficients of the first terms in a monomial
    /// order (and of the last ones) are coefficients of the result.
    fn check_product_size(&self, other: &Poly, limits: &Limits) -> Result<()> {
        let widest = |p: &Poly| p.coeffs.iter().map(Q::bits).max().unwrap_or(0);
        // A product of rationals has at most the bits of both.
        if widest(self).saturating_add(widest(other)) <= limits.max_number_bits {
            return Ok(());
        }
        let product_bits = |i: usize, j: usize| match (self.coeffs.get(i), other.coeffs.get(j)) {
            (Some(x), Some(y)) => x.mul(y).bits(),
            _ => 0,
        };
        let ours = self.extreme_terms();
        let theirs = other.extreme_terms();
        for (&(fa, la), &(fb, lb)) in ours.iter().zip(&theirs) {
            let bits = product_bits(fa, fb).max(product_bits(la, lb));
            if bits > limits.max_number_bits {
                return Err(number_limit_ahead(limits, bits));
            }
        }
        Ok(())
    }

    /// The partial derivative with respect to generator `var` (zero when
    /// there is no such generator).
    ///
    /// ```
    /// use kobai::{read, Expr, Limits, Poly};
    /// let gens = [Expr::symbol("x"), Expr::symbol("y")];
    /// let p = Poly::from_expr(&read("x^3*y + x*y^2")?, &gens, &Limits::default())?;
    /// assert_eq!(p.derivative(0).to_string(), "3*x^2*y + y^2");
    /// assert_eq!(p.derivative(1).to_string(), "x^3 + 2*x*y");
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn derivative(&self, var: usize) -> Poly {
        let mut out = Vec::with_capacity(self.num_terms());
        for (e, c) in self.terms() {
            let k = e.get(var).copied().unwrap_or(0);
            if k == 0 {
                continue;
            }
            let mut ne = e.to_vec();
            if let Some(slot) = ne.get_mut(var) {
                *slot = k - 1;
            }
            out.push((ne, c.mul(&Q::from(i64::from(k)))));
        }
        // Lowering one exponent can reorder terms, so sort again.
        out.sort_by(|a, b| monomial_order(&a.0, &b.0));
        Poly::from_sorted(self.gens.clone(), out)
    }

    /// The value at a point: one value per generator, in order.
    ///
    /// ```
    /// use kobai::{read, Expr, Limits, Poly, Q};
    /// let gens = [Expr::symbol("x"), Expr::symbol("y")];
    /// let p = Poly::from_expr(&read("x^2*y - y/2")?, &gens, &Limits::default())?;
    /// assert_eq!(p.eval(&[Q::from(3), Q::from(2)])?, Q::from(17));
    /// assert!(p.eval(&[Q::from(3)]).is_err());
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn eval(&self, point: &[Q]) -> Result<Q> {
        if point.len() != self.gens.len() {
            return Err(Error::Usage {
                message: format!(
                    "a value is needed for each of the {} variables ({}), but {} were given",
                    self.gens.len(),
                    list_gens(&self.gens),
                    point.len()
                ),
            });
        }
        let mut powers: HashMap<(usize, u32), Q> = HashMap::new();
        let mut acc = Q::zero();
        for (e, c) in self.terms() {
            let mut t = c.clone();
            for (i, (&k, v)) in e.iter().zip(point).enumerate() {
                if k == 0 {
                    continue;
                }
                let p = powers.entry((i, k)).or_insert_with(|| v.pow(i64::from(k)).unwrap_or_default());
                t = t.mul(p);
            }
            acc = acc.add(&t);
        }
        Ok(acc)
    }

    /// Substitutes rational values for some generators, keeping the list of
    /// generators (the substituted ones no longer occur). Indices out of range
    /// are ignored.
    ///
    /// ```
    /// use kobai::{read, Expr, Limits, Poly, Q};
    /// let gens = [Expr::symbol("x"), Expr::symbol("y")];
    /// let p = Poly::from_expr(&read("x^2*y + x + y")?, &gens, &Limits::default())?;
    /// assert_eq!(p.substitute(&[(0, Q::from(2))]).to_string(), "5*y + 2");
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn substitute(&self, values: &[(usize, Q)]) -> Poly {
        let mut map: HashMap<Vec<u32>, Q> = HashMap::with_capacity(self.num_terms());
        for (e, c) in self.terms() {
            let mut ne = e.to_vec();
            let mut t = c.clone();
            for (i, v) in values {
                if let Some(slot) = ne.get_mut(*i)
                    && *slot > 0
                {
                    t = t.mul(&v.pow(i64::from(*slot)).unwrap_or_default());
                    *slot = 0;
                }
            }
            let slot = map.entry(ne).or_default();
            *slot = slot.add(&t);
        }
        Poly::from_map(self.gens.clone(), map)
    }

    /// Substitutes a polynomial for generator `var` (composition), with the
    /// limits of [`Poly::mul`].
    ///
    /// ```
    /// use kobai::{read, Expr, Limits, Poly};
    /// let lim = Limits::default();
    /// let gens = [Expr::symbol("x"), Expr::symbol("y")];
    /// let p = Poly::from_expr(&read("x^2 + y")?, &gens, &lim)?;
    /// let x_is = Poly::from_expr(&read("1 - y")?, &gens, &lim)?;
    /// assert_eq!(p.substitute_poly(0, &x_is, &lim)?.to_string(), "y^2 - y + 1");
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn substitute_poly(&self, var: usize, value: &Poly, limits: &Limits) -> Result<Poly> {
        let coeffs = self.coefficients_in(var);
        let mut acc = Poly::zero(&self.gens);
        for c in coeffs.iter().rev() {
            acc = acc.mul(value, limits)?.add(c);
        }
        Ok(acc)
    }

    /// The coefficients of the powers of generator `var`: entry `k` is the
    /// coefficient of `var^k`, a polynomial in the same generators in which
    /// `var` does not occur. Empty for the zero polynomial.
    ///
    /// ```
    /// use kobai::{read, Expr, Limits, Poly};
    /// let gens = [Expr::symbol("x"), Expr::symbol("y")];
    /// let p = Poly::from_expr(&read("x^2*y + 3*x + y - 1")?, &gens, &Limits::default())?;
    /// let c: Vec<String> = p.coefficients_in(0).iter().map(|q| q.to_string()).collect();
    /// assert_eq!(c, ["y - 1", "3", "y"]);
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn coefficients_in(&self, var: usize) -> Vec<Poly> {
        if self.is_zero() {
            return Vec::new();
        }
        let degree = self.degree_in(var) as usize;
        let mut parts: Vec<Vec<(Vec<u32>, Q)>> = vec![Vec::new(); degree + 1];
        for (e, c) in self.terms() {
            let k = e.get(var).copied().unwrap_or(0) as usize;
            let mut ne = e.to_vec();
            if let Some(slot) = ne.get_mut(var) {
                *slot = 0;
            }
            if let Some(part) = parts.get_mut(k) {
                part.push((ne, c.clone()));
            }
        }
        parts
            .into_iter()
            .map(|mut terms| {
                // Zeroing one exponent keeps distinctness but can reorder.
                terms.sort_by(|a, b| monomial_order(&a.0, &b.0));
                Poly::from_sorted(self.gens.clone(), terms)
            })
            .collect()
    }

    /// For a polynomial of total degree at most 1, the coefficient of each
    /// generator and the constant; `None` otherwise.
    ///
    /// ```
    /// use kobai::{read, Expr, Limits, Poly, Q};
    /// let gens = [Expr::symbol("w0"), Expr::symbol("w1")];
    /// let lim = Limits::default();
    /// let p = Poly::from_expr(&read("2*w0 - w1/2 + 3")?, &gens, &lim)?;
    /// assert_eq!(p.linear_coefficients(), Some((vec![Q::from(2), Q::new(-1, 2)], Q::from(3))));
    /// assert_eq!(Poly::from_expr(&read("w0*w1")?, &gens, &lim)?.linear_coefficients(), None);
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn linear_coefficients(&self) -> Option<(Vec<Q>, Q)> {
        if self.total_degree() > 1 {
            return None;
        }
        let mut linear = vec![Q::zero(); self.gens.len()];
        let mut constant = Q::zero();
        for (e, c) in self.terms() {
            match e.iter().position(|&k| k > 0) {
                Some(i) => {
                    if let Some(slot) = linear.get_mut(i) {
                        *slot = c.clone();
                    }
                }
                None => constant = c.clone(),
            }
        }
        Some((linear, constant))
    }

    /// The polynomial as a univariate one in generator `var`, when no other
    /// generator occurs.
    ///
    /// ```
    /// use kobai::{read, Expr, Limits, Poly};
    /// let gens = [Expr::symbol("x"), Expr::symbol("y")];
    /// let p = Poly::from_expr(&read("y^2 - 2")?, &gens, &Limits::default())?;
    /// assert_eq!(p.as_univariate_in(1).unwrap().to_string(), "x^2 - 2");
    /// assert!(p.as_univariate_in(0).is_none());
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn as_univariate_in(&self, var: usize) -> Option<UPoly> {
        if var >= self.gens.len() && !self.gens.is_empty() {
            return None;
        }
        let mut coeffs = vec![Q::zero(); self.degree_in(var) as usize + 1];
        for (e, c) in self.terms() {
            let mut k = 0;
            for (i, &x) in e.iter().enumerate() {
                if i == var {
                    k = x as usize;
                } else if x > 0 {
                    return None;
                }
            }
            if let Some(slot) = coeffs.get_mut(k) {
                *slot = c.clone();
            }
        }
        Some(UPoly::new(coeffs))
    }

    /// The polynomial as a univariate one, when at most one generator occurs
    /// (a constant gives a constant `UPoly`). See
    /// [`Poly::occurring_generators`] for which one it is.
    ///
    /// ```
    /// use kobai::{read, Expr, Limits, Poly};
    /// let gens = [Expr::symbol("x"), Expr::symbol("y")];
    /// let lim = Limits::default();
    /// let p = Poly::from_expr(&read("y^2 - 2")?, &gens, &lim)?;
    /// assert_eq!(p.as_univariate().unwrap().to_string(), "x^2 - 2");
    /// assert!(Poly::from_expr(&read("x*y")?, &gens, &lim)?.as_univariate().is_none());
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn as_univariate(&self) -> Option<UPoly> {
        match self.occurring_generators().as_slice() {
            [] => Some(UPoly::constant(self.constant_term())),
            [var] => self.as_univariate_in(*var),
            _ => None,
        }
    }

    /// The univariate polynomial `p` as a polynomial in `gens`, in generator
    /// `var`; `None` when there is no such generator.
    ///
    /// ```
    /// use kobai::{Expr, Poly, UPoly};
    /// let gens = [Expr::symbol("t")];
    /// let p = Poly::from_univariate(&gens, 0, &UPoly::from_i64(&[-2, 0, 1])).unwrap();
    /// assert_eq!(p.to_string(), "t^2 - 2");
    /// ```
    pub fn from_univariate(gens: &[Expr], var: usize, p: &UPoly) -> Option<Poly> {
        if var >= gens.len() {
            return None;
        }
        let terms = p.coeffs().iter().enumerate().filter(|(_, c)| !c.is_zero()).map(|(k, c)| {
            let mut e = vec![0; gens.len()];
            if let Some(slot) = e.get_mut(var) {
                *slot = u32::try_from(k).unwrap_or(u32::MAX);
            }
            (e, c.clone())
        });
        Poly::from_terms(gens, terms)
    }
}

fn list_gens(gens: &[Expr]) -> String {
    if gens.is_empty() {
        return "none".to_string();
    }
    gens.iter().map(|g| g.to_string()).collect::<Vec<_>>().join(", ")
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

/// `Expr` → `Poly` in fixed generators.
struct Converter<'a> {
    gens: &'a [Expr],
    limits: &'a Limits,
}

impl Converter<'_> {
    fn gen_index(&self, e: &Expr) -> Option<usize> {
        self.gens.iter().position(|g| g == e)
    }

    fn power_of_gen(&self, index: usize, k: u64) -> Result<Poly> {
        if k > self.limits.max_exponent || k > u64::from(u32::MAX) {
            return Err(exponent_limit(self.limits, k));
        }
        let mut exps = vec![0; self.gens.len()];
        if let Some(slot) = exps.get_mut(index) {
            *slot = u32::try_from(k).unwrap_or(u32::MAX);
        }
        Ok(Poly { gens: self.gens.to_vec(), exps, coeffs: vec![Q::one()] })
    }

    fn convert(&self, e: &Expr, depth: usize) -> Result<Poly> {
        if depth > self.limits.max_depth {
            return Err(Error::Limit {
                what: "nesting depth",
                limit: self.limits.max_depth as u64,
                reached: format!("more than {} levels", self.limits.max_depth),
                flag: "--max-depth",
            });
        }
        if let Some(i) = self.gen_index(e) {
            return self.power_of_gen(i, 1);
        }
        match e.node() {
            Node::Num(q) => Ok(Poly::constant(self.gens, q.clone())),
            Node::Sym(_) => match self.root_gen_power(e, &Q::one()) {
                Some((i, k)) => self.power_of_gen(i, k),
                None => Err(self.not_polynomial(e)),
            },
            Node::Sum { constant, terms } => {
                // One map for all terms: adding them pairwise would be quadratic.
                let mut map: HashMap<Vec<u32>, Q> = HashMap::new();
                if !constant.is_zero() {
                    map.insert(vec![0; self.gens.len()], constant.clone());
                }
                for (t, c) in terms {
                    if let Some(e) = self.monomial(t) {
                        // The common case, a monomial in the generators.
                        let slot = map.entry(e).or_default();
                        *slot = slot.add(c);
                    } else {
                        for (e, x) in self.convert(t, depth + 1)?.terms() {
                            let slot = map.entry(e.to_vec()).or_default();
                            *slot = slot.add(&x.mul(c));
                        }
                    }
                    if map.len() > self.limits.max_terms {
                        return Err(terms_limit(self.limits, format!("more than {} terms", map.len())));
                    }
                    // Every term stores one exponent per generator.
                    let table = map.len().saturating_mul(self.gens.len());
                    if table > self.limits.max_terms.saturating_mul(16) {
                        return Err(terms_limit(
                            self.limits,
                            format!(
                                "a polynomial of {} terms in {} variables needs {table} exponents",
                                map.len(),
                                self.gens.len()
                            ),
                        ));
                    }
                }
                Ok(Poly::from_map(self.gens.to_vec(), map))
            }
            Node::Product { coeff, factors } => {
                let mut acc = Poly::constant(self.gens, coeff.clone());
                for (b, x) in factors {
                    acc = acc.mul(&self.convert_power(b, x, depth + 1)?, self.limits)?;
                }
                Ok(acc)
            }
            Node::Pow(b, x) => self.convert_power(b, x, depth),
            Node::Call(Func::Exp, arg) => match self.exp_gen_product(arg) {
                Some(powers) => {
                    let mut acc = Poly::constant(self.gens, Q::one());
                    for (i, k) in powers {
                        acc = acc.mul(&self.power_of_gen(i, k)?, self.limits)?;
                    }
                    Ok(acc)
                }
                None => Err(self.not_polynomial(e)),
            },
            Node::Call(..) => Err(self.not_polynomial(e)),
        }
    }

    /// The exponents of `t` when it is a product of natural powers of
    /// generators (within the limits), which `convert` would turn into one
    /// term with coefficient 1.
    fn monomial(&self, t: &Expr) -> Option<Vec<u32>> {
        let mut e = vec![0u32; self.gens.len()];
        let mut add = |base: &Expr, x: &Expr| -> Option<()> {
            let i = self.gen_index(base)?;
            let k = x.as_num().filter(|q| q.is_integer() && !q.is_negative())?.to_i64()?;
            let slot = e.get_mut(i)?;
            let total = u64::from(*slot) + k.unsigned_abs();
            if total > self.limits.max_exponent {
                return None;
            }
            *slot = u32::try_from(total).ok()?;
            Some(())
        };
        if self.gen_index(t).is_some() {
            add(t, &Expr::one())?;
            return Some(e);
        }
        match t.node() {
            Node::Pow(b, x) => add(b, x)?,
            Node::Product { coeff, factors } if coeff.is_one() => {
                for (b, x) in factors {
                    add(b, x)?;
                }
            }
            _ => return None,
        }
        Some(e)
    }

    fn convert_power(&self, b: &Expr, x: &Expr, depth: usize) -> Result<Poly> {
        let whole = Expr::pow(b, x);
        if let Some(i) = self.gen_index(&whole) {
            return self.power_of_gen(i, 1);
        }
        let Some(q) = x.as_num() else {
            return Err(self.not_polynomial(&whole));
        };
        if q.is_integer() && !q.is_negative() {
            let Some(k) = q.to_i64().map(i64::unsigned_abs) else {
                // Too large for 64 bits: name the exponent as written
                // rather than a saturated 18446744073709551615.
                let mut err = exponent_limit(self.limits, u64::MAX);
                if let Error::Limit { reached, .. } = &mut err {
                    *reached = if q.bits() <= 128 {
                        format!("a power of {q}")
                    } else {
                        format!("an exponent of {} bits", q.bits())
                    };
                }
                return Err(err);
            };
            if k > self.limits.max_exponent {
                return Err(exponent_limit(self.limits, k));
            }
            return self.convert(b, depth + 1)?.pow(k, self.limits);
        }
        match self.root_gen_power(b, q) {
            Some((i, k)) => self.power_of_gen(i, k),
            None => Err(self.not_polynomial(&whole)),
        }
    }

    /// `base^q` as `g^k` for a generator `g = base^r` and a natural `k = q/r`.
    fn root_gen_power(&self, base: &Expr, q: &Q) -> Option<(usize, u64)> {
        self.gens.iter().enumerate().find_map(|(i, g)| match g.node() {
            Node::Pow(gb, gx) if gb == base => {
                let k = q.div(gx.as_num()?)?;
                let k = k.to_i64().filter(|&k| k > 0)?;
                Some((i, k.unsigned_abs()))
            }
            _ => None,
        })
    }

    /// `exp(arg)` as a product of powers of `exp` generators: either
    /// `arg = k·a` for one generator `exp(a)`, or `arg` a sum whose terms are
    /// each a natural multiple of the argument of an `exp` generator.
    fn exp_gen_product(&self, arg: &Expr) -> Option<Vec<(usize, u64)>> {
        let exp_gens: Vec<(usize, &Expr)> = self
            .gens
            .iter()
            .enumerate()
            .filter_map(|(i, g)| match g.node() {
                Node::Call(Func::Exp, a) => Some((i, a)),
                _ => None,
            })
            .collect();
        if exp_gens.is_empty() {
            return None;
        }
        let natural_ratio = |x: &Q, y: &Q| x.div(y).and_then(|k| k.to_i64()).filter(|&k| k > 0);
        // One generator: arg = k·a.
        let (c, t) = arg.split_coeff();
        for (i, a) in &exp_gens {
            let (ca, ta) = a.split_coeff();
            if ta == t
                && let Some(k) = natural_ratio(&c, &ca)
            {
                return Some(vec![(*i, k.unsigned_abs())]);
            }
            // Sum arguments: compare the leading coefficients, then everything.
            if let (Node::Sum { terms: ta, .. }, Node::Sum { terms: tb, .. }) = (a.node(), arg.node())
                && let (Some((_, x)), Some((_, y))) = (ta.first(), tb.first())
                && let Some(k) = natural_ratio(y, x)
                && Expr::scale(a, &Q::from(k)) == *arg
            {
                return Some(vec![(*i, k.unsigned_abs())]);
            }
        }
        // A sum of multiples of single-term generator arguments.
        let Node::Sum { constant, terms } = arg.node() else {
            return None;
        };
        if !constant.is_zero() {
            return None;
        }
        let mut out = Vec::with_capacity(terms.len());
        for (t, c) in terms {
            let found = exp_gens.iter().find_map(|(i, a)| {
                let (ca, ta) = a.split_coeff();
                if ta == *t { natural_ratio(c, &ca).map(|k| (*i, k.unsigned_abs())) } else { None }
            })?;
            out.push(found);
        }
        Some(out)
    }

    /// The error for a part that is not polynomial in the generators: it
    /// names a variable that is not a generator when there is one.
    fn not_polynomial(&self, part: &Expr) -> Error {
        let inside_gens: Vec<_> = self.gens.iter().flat_map(|g| g.symbols()).collect();
        if let Some(s) = part.symbols().into_iter().find(|s| !inside_gens.contains(s)) {
            return Error::Usage {
                message: format!(
                    "`{s}` is not one of the variables ({}); give it a value with --at",
                    list_gens(self.gens)
                ),
            };
        }
        if part.symbols().is_empty() {
            return Error::Usage {
                message: format!("`{part}` is not a rational number, so it cannot be a coefficient of a polynomial"),
            };
        }
        Error::Usage { message: format!("`{part}` is not a polynomial in the variables ({})", list_gens(self.gens)) }
    }
}

impl fmt::Display for Poly {
    /// The text form of [`Poly::to_expr`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_expr())
    }
}

/// A dense univariate polynomial over [`Q`]: coefficients from the constant
/// up, without trailing zeros (the zero polynomial has none).
///
/// ```
/// use kobai::{UPoly, Q};
/// let p = UPoly::from_i64(&[-1, 0, 1]); // x^2 - 1
/// let (q, r) = p.div_rem(&UPoly::from_i64(&[-1, 1])).unwrap();
/// assert_eq!((q.to_string(), r.is_zero()), ("x + 1".to_string(), true));
/// assert_eq!(p.eval(&Q::from(3)), Q::from(8));
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Debug, Default)]
pub struct UPoly {
    coeffs: Vec<Q>,
}

impl UPoly {
    /// The polynomial with coefficients `coeffs` (constant first); trailing
    /// zeros are dropped.
    ///
    /// ```
    /// use kobai::{UPoly, Q};
    /// let p = UPoly::new(vec![Q::one(), Q::new(1, 2), Q::zero()]);
    /// assert_eq!(p.degree(), Some(1));
    /// ```
    pub fn new(mut coeffs: Vec<Q>) -> UPoly {
        while coeffs.last().is_some_and(Q::is_zero) {
            coeffs.pop();
        }
        UPoly { coeffs }
    }

    /// The polynomial with integer coefficients `coeffs` (constant first).
    ///
    /// ```
    /// assert_eq!(kobai::UPoly::from_i64(&[-2, 0, 1]).to_string(), "x^2 - 2");
    /// ```
    pub fn from_i64(coeffs: &[i64]) -> UPoly {
        UPoly::new(coeffs.iter().map(|&c| Q::from(c)).collect())
    }

    /// The zero polynomial.
    ///
    /// ```
    /// assert!(kobai::UPoly::zero().is_zero());
    /// ```
    pub fn zero() -> UPoly {
        UPoly { coeffs: Vec::new() }
    }

    /// The constant `q`.
    ///
    /// ```
    /// assert_eq!(kobai::UPoly::constant(kobai::Q::from(3)).degree(), Some(0));
    /// ```
    pub fn constant(q: Q) -> UPoly {
        UPoly::new(vec![q])
    }

    /// `q·x^k`.
    ///
    /// ```
    /// use kobai::{UPoly, Q};
    /// assert_eq!(UPoly::monomial(Q::from(2), 3).to_string(), "2*x^3");
    /// ```
    pub fn monomial(q: Q, k: usize) -> UPoly {
        if q.is_zero() {
            return UPoly::zero();
        }
        let mut coeffs = vec![Q::zero(); k + 1];
        if let Some(slot) = coeffs.last_mut() {
            *slot = q;
        }
        UPoly { coeffs }
    }

    /// The linear polynomial `a + b·x`.
    ///
    /// ```
    /// use kobai::{UPoly, Q};
    /// assert_eq!(UPoly::linear(Q::from(-1), Q::from(2)).to_string(), "2*x - 1");
    /// ```
    pub fn linear(a: Q, b: Q) -> UPoly {
        UPoly::new(vec![a, b])
    }

    /// The coefficients, constant first, without trailing zeros.
    ///
    /// ```
    /// use kobai::{UPoly, Q};
    /// assert_eq!(UPoly::from_i64(&[1, 2]).coeffs(), &[Q::from(1), Q::from(2)]);
    /// ```
    pub fn coeffs(&self) -> &[Q] {
        &self.coeffs
    }

    /// The coefficient of `x^k` (zero above the degree).
    ///
    /// ```
    /// assert_eq!(kobai::UPoly::from_i64(&[1, 2]).coeff(5), kobai::Q::zero());
    /// ```
    pub fn coeff(&self, k: usize) -> Q {
        self.coeffs.get(k).cloned().unwrap_or_default()
    }

    /// The degree, or `None` for the zero polynomial.
    ///
    /// ```
    /// use kobai::UPoly;
    /// assert_eq!(UPoly::from_i64(&[0, 0, 5]).degree(), Some(2));
    /// assert_eq!(UPoly::zero().degree(), None);
    /// ```
    pub fn degree(&self) -> Option<usize> {
        self.coeffs.len().checked_sub(1)
    }

    /// The leading coefficient (zero for the zero polynomial).
    ///
    /// ```
    /// assert_eq!(kobai::UPoly::from_i64(&[1, -3]).leading(), kobai::Q::from(-3));
    /// ```
    pub fn leading(&self) -> Q {
        self.coeffs.last().cloned().unwrap_or_default()
    }

    /// True for the zero polynomial.
    ///
    /// ```
    /// assert!(kobai::UPoly::from_i64(&[0, 0]).is_zero());
    /// ```
    pub fn is_zero(&self) -> bool {
        self.coeffs.is_empty()
    }

    /// The sum.
    ///
    /// ```
    /// use kobai::UPoly;
    /// let s = UPoly::from_i64(&[1, 1]).add(&UPoly::from_i64(&[1, -1]));
    /// assert_eq!(s.to_string(), "2");
    /// ```
    pub fn add(&self, other: &UPoly) -> UPoly {
        let n = self.coeffs.len().max(other.coeffs.len());
        UPoly::new((0..n).map(|i| self.coeff(i).add(&other.coeff(i))).collect())
    }

    /// The difference.
    ///
    /// ```
    /// use kobai::UPoly;
    /// let p = UPoly::from_i64(&[1, 1]);
    /// assert!(p.sub(&p).is_zero());
    /// ```
    pub fn sub(&self, other: &UPoly) -> UPoly {
        self.add(&other.neg())
    }

    /// The negation.
    ///
    /// ```
    /// assert_eq!(kobai::UPoly::from_i64(&[1, -1]).neg().to_string(), "x - 1");
    /// ```
    pub fn neg(&self) -> UPoly {
        UPoly { coeffs: self.coeffs.iter().map(Q::neg).collect() }
    }

    /// `q·self`.
    ///
    /// ```
    /// use kobai::{UPoly, Q};
    /// assert_eq!(UPoly::from_i64(&[2, 4]).scale(&Q::new(1, 2)).to_string(), "2*x + 1");
    /// ```
    pub fn scale(&self, q: &Q) -> UPoly {
        if q.is_zero() {
            return UPoly::zero();
        }
        UPoly { coeffs: self.coeffs.iter().map(|c| c.mul(q)).collect() }
    }

    /// The product.
    ///
    /// ```
    /// use kobai::UPoly;
    /// let p = UPoly::from_i64(&[1, 1]).mul(&UPoly::from_i64(&[-1, 1]));
    /// assert_eq!(p.to_string(), "x^2 - 1");
    /// ```
    pub fn mul(&self, other: &UPoly) -> UPoly {
        if self.is_zero() || other.is_zero() {
            return UPoly::zero();
        }
        let mut out = vec![Q::zero(); self.coeffs.len() + other.coeffs.len() - 1];
        for (i, a) in self.coeffs.iter().enumerate() {
            if a.is_zero() {
                continue;
            }
            for (j, b) in other.coeffs.iter().enumerate() {
                if let Some(slot) = out.get_mut(i + j) {
                    *slot = slot.add(&a.mul(b));
                }
            }
        }
        UPoly::new(out)
    }

    /// `self^k`.
    ///
    /// ```
    /// assert_eq!(kobai::UPoly::from_i64(&[1, 1]).pow(2).to_string(), "x^2 + 2*x + 1");
    /// ```
    pub fn pow(&self, k: u32) -> UPoly {
        let mut result = UPoly::constant(Q::one());
        let mut base = self.clone();
        let mut e = k;
        while e > 0 {
            if e & 1 == 1 {
                result = result.mul(&base);
            }
            e >>= 1;
            if e > 0 {
                base = base.mul(&base);
            }
        }
        result
    }

    /// Division with remainder: `(q, r)` with `self = q·d + r` and
    /// `deg r < deg d`; `None` when `d` is zero.
    ///
    /// ```
    /// use kobai::UPoly;
    /// let (q, r) = UPoly::from_i64(&[1, 0, 1]).div_rem(&UPoly::from_i64(&[0, 2])).unwrap();
    /// assert_eq!((q.to_string(), r.to_string()), ("x/2".to_string(), "1".to_string()));
    /// assert!(UPoly::from_i64(&[1]).div_rem(&UPoly::zero()).is_none());
    /// ```
    pub fn div_rem(&self, d: &UPoly) -> Option<(UPoly, UPoly)> {
        let dn = d.degree()?;
        let lead_inv = d.leading().recip()?;
        let mut rem = self.coeffs.clone();
        let Some(n) = self.degree().filter(|&n| n >= dn) else {
            return Some((UPoly::zero(), self.clone()));
        };
        let mut quot = vec![Q::zero(); n - dn + 1];
        for k in (0..=n - dn).rev() {
            let c = rem.get(k + dn).map(|c| c.mul(&lead_inv)).unwrap_or_default();
            if c.is_zero() {
                continue;
            }
            for (j, dj) in d.coeffs.iter().enumerate() {
                if let Some(slot) = rem.get_mut(k + j) {
                    *slot = slot.sub(&c.mul(dj));
                }
            }
            if let Some(slot) = quot.get_mut(k) {
                *slot = c;
            }
        }
        rem.truncate(dn);
        Some((UPoly::new(quot), UPoly::new(rem)))
    }

    /// The quotient when `d` divides `self` exactly, else `None`.
    ///
    /// ```
    /// use kobai::UPoly;
    /// let p = UPoly::from_i64(&[-1, 0, 1]);
    /// assert_eq!(p.exact_div(&UPoly::from_i64(&[1, 1])).unwrap().to_string(), "x - 1");
    /// assert!(p.exact_div(&UPoly::from_i64(&[2, 1])).is_none());
    /// ```
    pub fn exact_div(&self, d: &UPoly) -> Option<UPoly> {
        let (q, r) = self.div_rem(d)?;
        if r.is_zero() { Some(q) } else { None }
    }

    /// The polynomial divided by its leading coefficient (zero stays zero).
    ///
    /// ```
    /// assert_eq!(kobai::UPoly::from_i64(&[1, 2]).monic().to_string(), "x + 1/2");
    /// ```
    pub fn monic(&self) -> UPoly {
        match self.leading().recip() {
            Some(inv) => self.scale(&inv),
            None => UPoly::zero(),
        }
    }

    /// The monic greatest common divisor (zero only when both are zero).
    ///
    /// ```
    /// use kobai::UPoly;
    /// let a = UPoly::from_i64(&[-1, 0, 1]); // (x - 1)(x + 1)
    /// let b = UPoly::from_i64(&[2, -3, 1]); // (x - 1)(x - 2)
    /// assert_eq!(a.gcd(&b).to_string(), "x - 1");
    /// ```
    pub fn gcd(&self, other: &UPoly) -> UPoly {
        let mut a = self.monic();
        let mut b = other.monic();
        while !b.is_zero() {
            let r = match a.div_rem(&b) {
                Some((_, r)) => r,
                None => break,
            };
            a = b;
            b = r.monic();
        }
        a.monic()
    }

    /// The derivative.
    ///
    /// ```
    /// assert_eq!(kobai::UPoly::from_i64(&[5, 0, 0, 1]).derivative().to_string(), "3*x^2");
    /// ```
    pub fn derivative(&self) -> UPoly {
        UPoly::new(self.coeffs.iter().enumerate().skip(1).map(|(k, c)| c.mul(&Q::from(k as i64))).collect())
    }

    /// The value at `x`, exactly (Horner's scheme).
    ///
    /// ```
    /// use kobai::{UPoly, Q};
    /// assert_eq!(UPoly::from_i64(&[-2, 0, 1]).eval(&Q::new(3, 2)), Q::new(1, 4));
    /// ```
    pub fn eval(&self, x: &Q) -> Q {
        self.coeffs.iter().rev().fold(Q::zero(), |acc, c| acc.mul(x).add(c))
    }

    /// The sign (-1, 0 or 1) of the value at `x`.
    ///
    /// ```
    /// use kobai::{UPoly, Q};
    /// assert_eq!(UPoly::from_i64(&[-2, 0, 1]).sign_at(&Q::new(7, 5)), -1);
    /// ```
    pub fn sign_at(&self, x: &Q) -> i32 {
        self.eval(x).signum()
    }

    /// The composition `self(inner(x))`.
    ///
    /// ```
    /// use kobai::UPoly;
    /// let p = UPoly::from_i64(&[0, 0, 1]).compose(&UPoly::from_i64(&[1, 1]));
    /// assert_eq!(p.to_string(), "x^2 + 2*x + 1");
    /// ```
    pub fn compose(&self, inner: &UPoly) -> UPoly {
        self.coeffs.iter().rev().fold(UPoly::zero(), |acc, c| acc.mul(inner).add(&UPoly::constant(c.clone())))
    }

    /// The shifted polynomial `self(x + a)`.
    ///
    /// ```
    /// use kobai::{UPoly, Q};
    /// assert_eq!(UPoly::from_i64(&[-1, 0, 1]).shift(&Q::one()).to_string(), "x^2 + 2*x");
    /// ```
    pub fn shift(&self, a: &Q) -> UPoly {
        // Taylor shift by repeated synthetic division: O(n²) operations.
        let mut c = self.coeffs.clone();
        let n = c.len();
        for i in 0..n {
            for j in (i..n.saturating_sub(1)).rev() {
                if let Some([lo, hi, ..]) = c.get_mut(j..) {
                    *lo = lo.add(&hi.mul(a));
                }
            }
        }
        UPoly::new(c)
    }

    /// The primitive integer polynomial with the same roots: coefficients
    /// integers without a common factor, leading coefficient positive (zero
    /// stays zero).
    ///
    /// ```
    /// use kobai::{UPoly, Q};
    /// let p = UPoly::new(vec![Q::new(-1, 2), Q::zero(), Q::new(-3, 4)]);
    /// assert_eq!(p.primitive().to_string(), "3*x^2 + 2");
    /// ```
    pub fn primitive(&self) -> UPoly {
        UPoly::new(self.integer_coeffs().into_iter().map(Q::from).collect())
    }

    /// The coefficients of [`UPoly::primitive`] as big integers.
    pub(crate) fn integer_coeffs(&self) -> Vec<BigInt> {
        let mut lcm = BigInt::one();
        for c in &self.coeffs {
            lcm = lcm.lcm(&c.denom());
        }
        let mut ints: Vec<BigInt> = self.coeffs.iter().map(|c| c.numer() * (&lcm / c.denom())).collect();
        let mut content = BigInt::zero();
        for c in &ints {
            content = content.gcd(c);
        }
        if content.is_zero() {
            return Vec::new();
        }
        if ints.last().is_some_and(|c| c.is_negative()) {
            content = -content;
        }
        for c in &mut ints {
            *c = &*c / &content;
        }
        ints
    }

    /// The square-free decomposition (Yun's algorithm): monic, pairwise
    /// coprime, square-free factors `f_i` with multiplicities `i`, such that
    /// `self = lc · Π f_i^i`. Constant factors are omitted; the result is empty
    /// for constants.
    ///
    /// ```
    /// use kobai::UPoly;
    /// // (x - 1)^3 (x + 2)
    /// let p = UPoly::from_i64(&[-1, 1]).pow(3).mul(&UPoly::from_i64(&[2, 1]));
    /// let parts: Vec<(String, u32)> = p.square_free_decomposition().into_iter().map(|(f, m)| (f.to_string(), m)).collect();
    /// assert_eq!(parts, [("x + 2".to_string(), 1), ("x - 1".to_string(), 3)]);
    /// ```
    pub fn square_free_decomposition(&self) -> Vec<(UPoly, u32)> {
        let mut out = Vec::new();
        if self.degree().is_none_or(|d| d == 0) {
            return out;
        }
        let f = self.monic();
        // Most polynomials are square-free, which a gcd modulo a prime
        // proves far faster than the gcd over Q.
        if certainly_square_free(&self.integer_coeffs()) {
            return vec![(f, 1)];
        }
        let df = f.derivative();
        let a0 = f.gcd(&df);
        let (Some(mut b), Some(mut c)) = (f.exact_div(&a0), df.exact_div(&a0)) else {
            return vec![(f, 1)];
        };
        let mut d = c.sub(&b.derivative());
        let mut i = 1u32;
        while b.degree().is_some_and(|n| n > 0) {
            let a = b.gcd(&d);
            let (Some(nb), Some(nc)) = (b.exact_div(&a), d.exact_div(&a)) else {
                break;
            };
            if a.degree().is_some_and(|n| n > 0) {
                out.push((a, i));
            }
            b = nb;
            c = nc;
            d = c.sub(&b.derivative());
            i += 1;
        }
        out
    }

    /// The expression `Σ c_k · var^k`.
    ///
    /// ```
    /// use kobai::{Expr, UPoly};
    /// let e = UPoly::from_i64(&[-1, 0, 1]).to_expr(&Expr::symbol("t"));
    /// assert_eq!(e, kobai::read("t^2 - 1").unwrap());
    /// ```
    pub fn to_expr(&self, var: &Expr) -> Expr {
        let constant = self.coeff(0);
        let terms = self
            .coeffs
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(_, c)| !c.is_zero())
            .map(|(k, c)| (Expr::pow(var, &Expr::int(k as i64)), c.clone()));
        Expr::weighted_sum(constant, terms)
    }
}

/// True when `gcd(f, f')` is constant modulo a prime dividing neither
/// leading coefficient: the degree of the gcd over `Q` is at most its degree
/// modulo such a prime, so `f` is square-free. `false` means "not proved".
fn certainly_square_free(f: &[BigInt]) -> bool {
    let n = f.len().saturating_sub(1);
    if n <= 1 {
        return n == 1;
    }
    for p in [2_147_483_647u64, 2_147_483_629, 2_147_483_587] {
        let big_p = BigInt::from(p);
        let reduce = |c: &BigInt| c.mod_floor(&big_p).to_u64().unwrap_or(0);
        let fp: Vec<u64> = f.iter().map(reduce).collect();
        let dp: Vec<u64> = f.iter().enumerate().skip(1).map(|(i, c)| reduce(&(c * BigInt::from(i)))).collect();
        if fp.last().is_none_or(|&c| c == 0) || dp.last().is_none_or(|&c| c == 0) {
            continue;
        }
        return gcd_degree_mod(fp, dp, p) == 0;
    }
    false
}

/// `x^e mod p`.
fn pow_mod(mut x: u64, mut e: u64, p: u64) -> u64 {
    let mut acc = 1;
    x %= p;
    while e > 0 {
        if e & 1 == 1 {
            acc = acc * x % p;
        }
        x = x * x % p;
        e >>= 1;
    }
    acc
}

/// The degree of `gcd(a, b)` over the integers modulo the prime `p < 2^32`
/// (coefficients from the constant up, already reduced).
fn gcd_degree_mod(mut a: Vec<u64>, mut b: Vec<u64>, p: u64) -> usize {
    let trim = |v: &mut Vec<u64>| {
        while v.last() == Some(&0) {
            v.pop();
        }
    };
    trim(&mut a);
    trim(&mut b);
    while let Some(&lead) = b.last() {
        let inv = pow_mod(lead, p - 2, p);
        while a.len() >= b.len() {
            let Some(&top) = a.last() else { break };
            let c = top * inv % p;
            let shift = a.len() - b.len();
            for (j, bj) in b.iter().enumerate() {
                if let Some(slot) = a.get_mut(shift + j) {
                    *slot = (*slot + p - c * bj % p) % p;
                }
            }
            trim(&mut a);
        }
        std::mem::swap(&mut a, &mut b);
    }
    a.len().saturating_sub(1)
}

impl fmt::Display for UPoly {
    /// The text form in the variable `x`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_expr(&Expr::symbol("x")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expand::expand;
    use crate::syntax::lower::read;
    use proptest::prelude::*;

    fn lim() -> Limits {
        Limits::default()
    }

    fn syms(names: &[&str]) -> Vec<Expr> {
        names.iter().map(|n| Expr::symbol(n)).collect()
    }

    fn poly(text: &str, names: &[&str]) -> Poly {
        Poly::from_expr(&read(text).unwrap(), &syms(names), &lim()).unwrap()
    }

    #[track_caller]
    fn t(input: &str, names: &[&str], expected: &str) {
        let p = poly(input, names);
        assert_eq!(p.to_expr(), read(expected).unwrap(), "{input}");
        assert_eq!(p.to_expr(), expand(&read(input).unwrap(), &lim()).unwrap(), "{input}");
    }

    #[test]
    fn conversion_table() {
        t("((w1*x1)-target)^2", &["target", "w1", "x1"], "w1^2*x1^2 - 2*target*w1*x1 + target^2");
        t("(2*w1 - 5)^2", &["w1"], "4*w1^2 - 20*w1 + 25");
        t("(x + y)^3 - x^3", &["x", "y"], "3*x^2*y + 3*x*y^2 + y^3");
        t("x^3/3 - x^2 - x", &["x"], "x^3/3 - x^2 - x");
        t("(x - 1)*(x + 1) + 1", &["x"], "x^2");
        t("0", &["x"], "0");
        t("7/2", &[], "7/2");
    }

    #[test]
    fn term_order_is_graded_lex() {
        let p = poly("1 + y + x + y^2 + x*y + x^2", &["x", "y"]);
        let exps: Vec<Vec<u32>> = p.terms().map(|(e, _)| e.to_vec()).collect();
        assert_eq!(exps, [vec![2, 0], vec![1, 1], vec![0, 2], vec![1, 0], vec![0, 1], vec![0, 0]]);
    }

    #[test]
    fn errors_name_the_offender() {
        let err = Poly::from_expr(&read("(w1*x1 - 5)^2").unwrap(), &syms(&["w1"]), &lim()).unwrap_err();
        assert_eq!(err.to_string(), "`x1` is not one of the variables (w1); give it a value with --at");
        let err = Poly::from_expr(&read("1/w1 + 1").unwrap(), &syms(&["w1"]), &lim()).unwrap_err();
        assert!(err.to_string().contains("is not a polynomial in the variables (w1)"), "{err}");
        let err = Poly::from_expr(&read("exp(w*x)").unwrap(), &syms(&["w"]), &lim()).unwrap_err();
        assert!(err.to_string().starts_with("`x` is not one of the variables (w)"), "{err}");
        let err = Poly::from_expr(&read("sqrt(2)*w").unwrap(), &syms(&["w"]), &lim()).unwrap_err();
        assert!(err.to_string().contains("not a rational number"), "{err}");
        let err = Poly::from_expr(&read("w").unwrap(), &syms(&["w", "w"]), &lim()).unwrap_err();
        assert!(err.to_string().contains("listed twice"), "{err}");
        let err = Poly::from_expr(&read("w").unwrap(), &[read("w + 1").unwrap()], &lim()).unwrap_err();
        assert!(err.to_string().contains("cannot be a variable"), "{err}");
    }

    #[test]
    fn limits_are_enforced() {
        let small = Limits::default().with_max_exponent(10);
        let e = read("(x + 1)^11").unwrap();
        assert!(matches!(Poly::from_expr(&e, &syms(&["x"]), &small), Err(Error::Limit { .. })));
        let few = Limits::default().with_max_terms(5);
        let e = read("(x + y + 1)^3").unwrap();
        assert!(matches!(Poly::from_expr(&e, &syms(&["x", "y"]), &few), Err(Error::Limit { .. })));
        // A univariate power is estimated by its degree, not by the multinomial count.
        let e = read("(x^3 + x^2 + x + 1)^100").unwrap();
        assert_eq!(Poly::from_expr(&e, &syms(&["x"]), &lim()).unwrap().num_terms(), 301);
    }

    #[test]
    fn composite_generators_round_trip() {
        let gens = vec![read("exp(w*x)").unwrap(), Expr::symbol("w"), read("sqrt(t)").unwrap()];
        for text in ["(exp(w*x) + w)^3", "exp(w*x)^2*sqrt(t)^3 + sqrt(t)^2 - 1", "(exp(w*x) - sqrt(t))^2 * w"] {
            let p = Poly::from_expr(&read(text).unwrap(), &gens, &lim()).unwrap();
            assert_eq!(Poly::from_expr(&p.to_expr(), &gens, &lim()).unwrap(), p, "{text}");
        }
        let two = vec![read("exp(a)").unwrap(), read("exp(b)").unwrap()];
        let p = Poly::from_expr(&read("(exp(a) + exp(b))^2").unwrap(), &two, &lim()).unwrap();
        assert_eq!(p.num_terms(), 3);
        assert_eq!(Poly::from_expr(&p.to_expr(), &two, &lim()).unwrap(), p);
    }

    #[test]
    fn arithmetic_and_queries() {
        let p = poly("x^2*y - 3*x + y^2", &["x", "y"]);
        let q = poly("x - y", &["x", "y"]);
        assert_eq!(p.mul(&q, &lim()).unwrap(), poly("(x^2*y - 3*x + y^2)*(x - y)", &["x", "y"]));
        assert_eq!(q.pow(4, &lim()).unwrap(), poly("(x - y)^4", &["x", "y"]));
        assert_eq!(p.add(&q).sub(&q), p);
        assert_eq!(p.scale(&Q::from(2)), p.add(&p));
        assert_eq!(p.total_degree(), 3);
        assert_eq!(p.degree_in(0), 2);
        assert_eq!(p.derivative(1), poly("x^2 + 2*y", &["x", "y"]));
        assert_eq!(p.substitute(&[(1, Q::from(2))]), poly("2*x^2 - 3*x + 4", &["x", "y"]));
        assert_eq!(p.constant_term(), Q::zero());
        assert_eq!(q.linear_coefficients(), Some((vec![Q::one(), Q::from(-1)], Q::zero())));
        assert_eq!(p.linear_coefficients(), None);
        assert_eq!(p.as_univariate(), None);
        assert_eq!(Poly::zero(&syms(&["x"])).as_univariate(), Some(UPoly::zero()));
        // Different generators are merged.
        let a = poly("x + 1", &["x"]);
        let b = poly("y", &["y"]);
        let s = a.add(&b);
        assert_eq!(s.generators(), syms(&["x", "y"]).as_slice());
        assert_eq!(s, poly("x + y + 1", &["x", "y"]));
    }

    #[test]
    fn univariate_basics() {
        let p = UPoly::from_i64(&[-1, 1]).pow(3).mul(&UPoly::from_i64(&[2, 1]));
        assert_eq!(p.degree(), Some(4));
        let (q, r) = p.div_rem(&UPoly::from_i64(&[1, 0, 1])).unwrap();
        assert_eq!(q.mul(&UPoly::from_i64(&[1, 0, 1])).add(&r), p);
        assert_eq!(p.gcd(&p.derivative()), UPoly::from_i64(&[-1, 1]).pow(2).monic());
        assert_eq!(p.shift(&Q::from(1)), p.compose(&UPoly::from_i64(&[1, 1])));
        assert_eq!(p.sign_at(&Q::new(1, 2)), -1);
        assert_eq!(UPoly::zero().gcd(&UPoly::zero()), UPoly::zero());
        assert_eq!(UPoly::from_i64(&[3]).gcd(&UPoly::zero()), UPoly::from_i64(&[1]));
        let sq = UPoly::from_i64(&[-2, 0, 1]).pow(2).mul(&UPoly::from_i64(&[0, 1]).pow(3));
        let parts = sq.square_free_decomposition();
        assert_eq!(parts, [(UPoly::from_i64(&[-2, 0, 1]), 2), (UPoly::from_i64(&[0, 1]), 3)]);
    }

    #[test]
    fn modular_square_free_test() {
        let big = |c: &[i64]| c.iter().map(|&x| BigInt::from(x)).collect::<Vec<_>>();
        assert!(certainly_square_free(&big(&[-2, 0, 1])));
        assert!(!certainly_square_free(&big(&[1, -2, 1])));
        // The leading coefficient vanishes modulo the first prime: the next one decides.
        assert!(certainly_square_free(&big(&[1, 0, 2_147_483_647])));
        assert_eq!(gcd_degree_mod(vec![6, 5, 1], vec![2, 1], 7), 1);
        let p = UPoly::from_i64(&[-1, 1]).pow(2).mul(&UPoly::from_i64(&[5, 0, 1]));
        assert_eq!(p.square_free_decomposition(), [(UPoly::from_i64(&[5, 0, 1]), 1), (UPoly::from_i64(&[-1, 1]), 2)]);
    }

    fn arb_poly() -> impl Strategy<Value = Vec<(Vec<u32>, i64, i64)>> {
        prop::collection::vec((prop::collection::vec(0u32..4, 3), -20i64..20, 1i64..5), 0..8)
    }

    fn build(terms: &[(Vec<u32>, i64, i64)]) -> Poly {
        Poly::from_terms(&syms(&["x", "y", "z"]), terms.iter().map(|(e, n, d)| (e.clone(), Q::new(*n, *d)))).unwrap()
    }

    proptest! {
        #[test]
        fn round_trip_and_expand(a in arb_poly(), b in arb_poly()) {
            let gens = syms(&["x", "y", "z"]);
            let (p, q) = (build(&a), build(&b));
            prop_assert_eq!(Poly::from_expr(&p.to_expr(), &gens, &lim()).unwrap(), p.clone());
            let e = Expr::mul(&Expr::add(&p.to_expr(), &Expr::int(1)), &q.to_expr());
            let r = Poly::from_expr(&e, &gens, &lim()).unwrap();
            prop_assert_eq!(r.to_expr(), expand(&e, &lim()).unwrap());
            prop_assert_eq!(r.clone(), p.add(&Poly::constant(&gens, Q::one())).mul(&q, &lim()).unwrap());
            // Evaluation is a ring homomorphism.
            let pt = [Q::new(1, 2), Q::from(-3), Q::new(2, 3)];
            prop_assert_eq!(r.eval(&pt).unwrap(), p.eval(&pt).unwrap().add(&Q::one()).mul(&q.eval(&pt).unwrap()));
            // Substituting all generators agrees with evaluation.
            let all: Vec<(usize, Q)> = pt.iter().cloned().enumerate().collect();
            prop_assert_eq!(r.substitute(&all).constant_term(), r.eval(&pt).unwrap());
            // The derivative agrees with a difference of exact values on a linear form.
            let d = p.derivative(0);
            for (e, c) in d.terms() {
                let mut up = e.to_vec();
                up[0] += 1;
                prop_assert_eq!(c.clone(), p.coefficient(&up).mul(&Q::from(i64::from(up[0]))));
            }
            // Coefficients in x recombine to p.
            let x = Poly::generator(&gens, 0).unwrap();
            let mut acc = Poly::zero(&gens);
            for c in p.coefficients_in(0).iter().rev() {
                acc = acc.mul(&x, &lim()).unwrap().add(c);
            }
            prop_assert_eq!(acc, p);
        }

        #[test]
        fn division_identity(a in prop::collection::vec(-9i64..9, 0..7), b in prop::collection::vec(-9i64..9, 1..5)) {
            let (p, d) = (UPoly::from_i64(&a), UPoly::from_i64(&b));
            if let Some((q, r)) = p.div_rem(&d) {
                prop_assert_eq!(q.mul(&d).add(&r), p.clone());
                prop_assert!(r.degree() < d.degree());
                let g = p.gcd(&d);
                if !g.is_zero() {
                    prop_assert!(p.exact_div(&g).is_some());
                    prop_assert!(d.exact_div(&g).is_some());
                }
            }
        }
    }
}
