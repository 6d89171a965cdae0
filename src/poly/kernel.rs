//! Fast paths for [`Poly`] products and powers, used whenever they apply;
//! `Poly::mul` and `Poly::pow` keep the general algorithms for the rest.
//!
//! Exponent vectors are packed into one `u64` in mixed radix, each
//! generator's digit wide enough for its largest exponent in the result, so
//! that adding two packed vectors adds the exponents and comparing them
//! compares lexicographically. Coefficients are scaled to integers (by the
//! common denominator of each factor) and products accumulate in `i128`,
//! when a bound computed beforehand shows that no sum can overflow.
//!
//! The product accumulates either densely, one chunk of the result at a
//! time (the result's exponents split into "top" generators, which select a
//! chunk, and "low" ones, which index a small array that stays in the cache:
//! the method of FLINT's `mul_array`), or, for sparse factors, in a hash
//! table keyed by packed exponents.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::{Poly, number_limit, power_work, product_work, terms_limit};
use crate::error::Result;
use crate::expr::FxHasher;
use crate::limits::Limits;
use crate::number::Q;

/// The largest low-chunk array, in entries of 16 bytes: it should stay in
/// the first-level cache.
const CHUNK: u64 = 4096;

/// The work of one product of terms besides multiplying the coefficients,
/// in the units of `product_work`: a multiply-add into the chunk.
const DENSE_PAIR_WORDS: u64 = 2;

/// Products of at least this many pairs of terms run on every core.
const PARALLEL_WORK: u64 = 1 << 22;

/// The same for an update of the hash table.
const HASHED_PAIR_WORDS: u64 = 8;

type FxBuild = BuildHasherDefault<FxHasher>;

/// Mixed-radix packing of exponent vectors: generator `i` has digit weight
/// `stride[i]`, the last generator weight 1.
struct Packing {
    radix: Vec<u64>,
    stride: Vec<u64>,
}

impl Packing {
    /// A packing for exponents up to `bounds[i]`, if the box fits in `u64`.
    fn new(bounds: &[u64]) -> Option<Packing> {
        let mut stride = vec![1u64; bounds.len()];
        let mut volume = 1u64;
        for (s, &b) in stride.iter_mut().zip(bounds).rev() {
            *s = volume;
            volume = volume.checked_mul(b.checked_add(1)?)?;
        }
        Some(Packing { radix: bounds.iter().map(|b| b + 1).collect(), stride })
    }

    fn pack(&self, e: &[u32]) -> u64 {
        e.iter().zip(&self.stride).map(|(&k, &s)| u64::from(k) * s).sum()
    }

    /// Appends the exponents of `index` to `out` and returns their sum.
    fn unpack(&self, index: u64, out: &mut Vec<u32>) -> u64 {
        let mut degree = 0;
        for (&s, &r) in self.stride.iter().zip(&self.radix) {
            let k = (index / s) % r;
            degree += k;
            out.push(k as u32);
        }
        degree
    }
}

/// The coefficients of `p` times their common denominator, as `i64`, with
/// that denominator and the largest absolute value; `None` when they do not
/// fit.
fn integer_coefficients(p: &Poly) -> Option<(Vec<i64>, i64, u64)> {
    let mut lcm: i64 = 1;
    for c in &p.coeffs {
        let (_, d) = c.small_parts()?;
        if lcm % d != 0 {
            lcm = lcm.checked_mul(d / num_integer::gcd(lcm, d))?;
        }
    }
    let mut ints = Vec::with_capacity(p.coeffs.len());
    let mut largest = 0u64;
    for c in &p.coeffs {
        let (n, d) = c.small_parts()?;
        let v = n.checked_mul(lcm / d)?;
        largest = largest.max(v.unsigned_abs());
        ints.push(v);
    }
    Some((ints, lcm, largest))
}

/// The largest exponent of each generator.
fn degrees(p: &Poly) -> Vec<u64> {
    let n = p.gens.len();
    let mut d = vec![0u64; n];
    for e in p.exps.chunks_exact(n.max(1)) {
        for (slot, &k) in d.iter_mut().zip(e) {
            *slot = (*slot).max(u64::from(k));
        }
    }
    d
}

/// The product `a·b` of polynomials in the same generators, or `None` when
/// the fast path does not apply (then nothing has been checked or refused).
pub(super) fn mul(a: &Poly, b: &Poly, limits: &Limits) -> Option<Result<Poly>> {
    let n = a.gens.len();
    if n == 0 || a.is_zero() || b.is_zero() {
        return None;
    }
    let bounds: Vec<u64> = degrees(a).iter().zip(degrees(b)).map(|(x, y)| x + y).collect();
    if bounds.iter().any(|&d| d > limits.max_exponent || d > u64::from(u32::MAX)) {
        return None;
    }
    let packing = Packing::new(&bounds)?;
    let (ca, la, ma) = integer_coefficients(a)?;
    let (cb, lb, mb) = integer_coefficients(b)?;
    // Each result term is a sum of at most min(na, nb) products.
    let pairs = a.coeffs.len().min(b.coeffs.len()) as u128;
    if u128::from(ma).checked_mul(u128::from(mb))?.checked_mul(pairs)? > i128::MAX as u128 {
        return None;
    }
    let bits = |m: u64| u64::from(64 - m.leading_zeros());
    let counts = ((a.coeffs.len(), bits(ma)), (b.coeffs.len(), bits(mb)));
    if let Err(e) = product_work(counts.0, counts.1, DENSE_PAIR_WORDS, limits) {
        return Some(Err(e));
    }
    let ia: Vec<u64> = a.exps.chunks_exact(n).map(|e| packing.pack(e)).collect();
    let ib: Vec<u64> = b.exps.chunks_exact(n).map(|e| packing.pack(e)).collect();
    let products = match dense_chunks(&packing, (&ia, &ca), (&ib, &cb), limits) {
        Some(done) => done,
        None => product_work(counts.0, counts.1, HASHED_PAIR_WORDS, limits)
            .and_then(|()| hashed((&ia, &ca), (&ib, &cb), limits)),
    };
    let products = match products {
        Ok(p) => p,
        Err(e) => return Some(Err(e)),
    };
    assemble(a, &packing, products, i128::from(la) * i128::from(lb), limits)
}

/// The product accumulated densely by chunks, or `None` when the factors are
/// too sparse for it. The result comes in descending packed order.
fn dense_chunks(
    packing: &Packing,
    (ia, ca): (&[u64], &[i64]),
    (ib, cb): (&[u64], &[i64]),
    limits: &Limits,
) -> Option<Result<Vec<(u64, i128)>>> {
    // The low generators: the longest suffix whose box fits a chunk (at
    // least the last generator, if its box is not too large).
    let mut low_volume = 1u64;
    let mut low_count = 0;
    for &r in packing.radix.iter().rev() {
        if low_volume * r > CHUNK {
            break;
        }
        low_count += 1;
        low_volume *= r;
    }
    if low_count == 0 {
        let &last = packing.radix.last()?;
        if last > 1 << 16 {
            return None;
        }
        low_volume = last;
    }
    let split = |terms: &[u64], coeffs: &[i64]| {
        let mut v: Vec<(u64, u32, i64)> =
            terms.iter().zip(coeffs).map(|(&i, &c)| (i / low_volume, (i % low_volume) as u32, c)).collect();
        v.sort_unstable_by_key(|t| (t.0, t.1));
        // Groups of equal top: (top, start, end).
        let mut groups: Vec<(u64, usize, usize)> = Vec::new();
        for (k, t) in v.iter().enumerate() {
            match groups.last_mut() {
                Some(g) if g.0 == t.0 => g.2 = k + 1,
                _ => groups.push((t.0, k, k + 1)),
            }
        }
        (v, groups)
    };
    let (ta, ga) = split(ia, ca);
    let (tb, gb) = split(ib, cb);
    let work = (ia.len() as u64) * (ib.len() as u64);
    let group_pairs = (ga.len() as u64) * (gb.len() as u64);
    // Worth it when groups are large (few pairs of groups for the pairs of
    // terms) and the chunks not mostly empty.
    if group_pairs > work / 4 || group_pairs > 1 << 24 {
        return None;
    }
    let a_low: Vec<u32> = ta.iter().map(|t| t.1).collect();
    let a_coef: Vec<i64> = ta.iter().map(|t| t.2).collect();
    let b_low: Vec<u32> = tb.iter().map(|t| t.1).collect();
    let b_coef: Vec<i64> = tb.iter().map(|t| t.2).collect();
    // Each group as its top with its slices of low parts and coefficients.
    fn slices<'a>(groups: &[(u64, usize, usize)], low: &'a [u32], coef: &'a [i64]) -> Option<Vec<Group<'a>>> {
        groups.iter().map(|&(top, s, e)| Some((top, low.get(s..e)?, coef.get(s..e)?))).collect()
    }
    let ga = slices(&ga, &a_low, &a_coef)?;
    let gb = slices(&gb, &b_low, &b_coef)?;
    let mut pairs: Vec<(u64, &Group<'_>, &Group<'_>)> = Vec::with_capacity(group_pairs as usize);
    for g in &ga {
        for h in &gb {
            pairs.push((g.0 + h.0, g, h));
        }
    }
    pairs.sort_unstable_by_key(|p| std::cmp::Reverse(p.0));
    // The runs of pairs of groups with the same top: one chunk each.
    let runs: Vec<&[(u64, &Group<'_>, &Group<'_>)]> = pairs.chunk_by(|p, q| p.0 == q.0).collect();
    if (runs.len() as u64).saturating_mul(low_volume) > work.saturating_mul(2) {
        return None;
    }
    // Chunks in descending order of top; each yields its terms in descending
    // packed order, so the concatenation is in descending packed order.
    let chunk_terms = |runs: &[&[(u64, &Group<'_>, &Group<'_>)]]| -> Vec<(u64, i128)> {
        let mut acc = vec![0i128; low_volume as usize];
        let mut out: Vec<(u64, i128)> = Vec::new();
        for run in runs {
            let Some(&(top, ..)) = run.first() else { continue };
            for &(_, &(_, al, ac), &(_, bl, bc)) in *run {
                accumulate(&mut acc, (al, ac), (bl, bc));
            }
            for (l, slot) in acc.iter_mut().enumerate().rev() {
                if *slot != 0 {
                    out.push((top * low_volume + l as u64, *slot));
                    *slot = 0;
                }
            }
        }
        out
    };
    let threads = rayon::current_num_threads();
    let out = if work >= PARALLEL_WORK && threads > 1 && runs.len() >= 2 * threads {
        // Large products use every core, in contiguous ranges of chunks
        // (several per thread, as chunks differ in size).
        use rayon::prelude::*;
        let per_task = runs.len().div_ceil(threads * 8);
        let parts: Vec<Vec<(u64, i128)>> = runs.par_chunks(per_task).map(chunk_terms).collect();
        parts.concat()
    } else {
        chunk_terms(&runs)
    };
    if out.len() > limits.max_terms {
        return Some(Err(terms_limit(limits, format!("more than {} terms", out.len()))));
    }
    Some(Ok(out))
}

/// A group of a factor's terms with the same top: the top, and the low parts
/// and coefficients of its terms.
type Group<'a> = (u64, &'a [u32], &'a [i64]);

/// Adds the product of two groups of terms into the chunk `acc`, at the sums
/// of their low parts.
///
/// The one place in the kernel that indexes without checking, as it is the
/// innermost loop of the product. Safe because `acc` has `low_volume`
/// entries and every low part of the first factor plus every low part of the
/// second is below `low_volume`: the low parts are the low mixed-radix digits
/// of exponent vectors, each digit at most the factor's degree in that
/// generator, and the packing's radix for a generator exceeds the sum of the
/// two factors' degrees in it, so the digit-wise sum never carries and is the
/// low part of a packed exponent of the product.
#[allow(clippy::indexing_slicing)]
#[inline]
fn accumulate(acc: &mut [i128], (a_low, a_coef): (&[u32], &[i64]), (b_low, b_coef): (&[u32], &[i64])) {
    for (&la, &ca) in a_low.iter().zip(a_coef) {
        let row = &mut acc[la as usize..];
        let ca = i128::from(ca);
        for (&lb, &cb) in b_low.iter().zip(b_coef) {
            row[lb as usize] += ca * i128::from(cb);
        }
    }
}

/// The product accumulated in a hash table, in descending packed order.
fn hashed((ia, ca): (&[u64], &[i64]), (ib, cb): (&[u64], &[i64]), limits: &Limits) -> Result<Vec<(u64, i128)>> {
    let mut map: HashMap<u64, i128, FxBuild> =
        HashMap::with_capacity_and_hasher(ia.len().max(ib.len()), FxBuild::default());
    for (&x, &c) in ia.iter().zip(ca) {
        let c = i128::from(c);
        for (&y, &d) in ib.iter().zip(cb) {
            *map.entry(x + y).or_insert(0) += c * i128::from(d);
        }
        if map.len() > limits.max_terms {
            return Err(terms_limit(limits, format!("more than {} terms", map.len())));
        }
    }
    let mut out: Vec<(u64, i128)> = map.into_iter().filter(|(_, c)| *c != 0).collect();
    out.sort_unstable_by_key(|p| std::cmp::Reverse(p.0));
    Ok(out)
}

/// The polynomial in `like`'s generators with the terms `products` (packed,
/// in descending packed order, nonzero) divided by `denominator`: sorted
/// into the monomial order (descending total degree, then descending
/// lexicographically, which the packed order already is within a degree).
fn assemble(
    like: &Poly,
    packing: &Packing,
    products: Vec<(u64, i128)>,
    denominator: i128,
    limits: &Limits,
) -> Option<Result<Poly>> {
    let n = like.gens.len();
    let mut exps: Vec<u32> = Vec::with_capacity(products.len() * n);
    let mut degree: Vec<u64> = Vec::with_capacity(products.len());
    for &(index, _) in &products {
        degree.push(packing.unpack(index, &mut exps));
    }
    // A counting sort by descending degree keeps the packed order within each degree.
    // `start[top - d]` counts the terms of degree `d`, then becomes the
    // position of the first of them in the result.
    let top = degree.iter().copied().max().unwrap_or(0) as usize;
    let mut start = vec![0usize; top + 1];
    for &d in &degree {
        *start.get_mut(top.checked_sub(d as usize)?)? += 1;
    }
    let mut before = 0;
    for slot in &mut start {
        let count = *slot;
        *slot = before;
        before += count;
    }
    let mut order = vec![0usize; products.len()];
    for (k, &d) in degree.iter().enumerate() {
        let slot = start.get_mut(top.checked_sub(d as usize)?)?;
        *order.get_mut(*slot)? = k;
        *slot += 1;
    }
    let mut sorted_exps = Vec::with_capacity(exps.len());
    let mut coeffs = Vec::with_capacity(products.len());
    let mut widest = 0;
    for &k in &order {
        sorted_exps.extend_from_slice(exps.get(k * n..(k + 1) * n)?);
        let q = Q::from_i128_ratio(products.get(k)?.1, denominator);
        widest = widest.max(q.bits());
        coeffs.push(q);
    }
    if widest > limits.max_number_bits {
        return Some(Err(number_limit(limits, widest)));
    }
    Some(Ok(Poly { gens: like.gens.clone(), exps: sorted_exps, coeffs }))
}

/// `C(n, k)` when it fits in `u64`.
fn binomial(n: u64, k: u64) -> Option<u64> {
    let k = k.min(n.saturating_sub(k));
    let mut acc: u128 = 1;
    for i in 0..k {
        acc = acc * u128::from(n - i) / u128::from(i + 1);
        if acc > u128::from(u64::MAX) {
            return None;
        }
    }
    Some(acc as u64)
}

/// Coefficient arithmetic for the multinomial expansion: exact rationals,
/// or `i128` when a bound shows that nothing overflows.
trait Coefficient: Clone {
    fn one() -> Self;
    fn times(&self, other: &Self) -> Self;
    /// `self · num / den`, exact by construction (binomial coefficients).
    fn times_ratio(&self, num: u64, den: u64) -> Self;
    fn into_q(self) -> Q;
}

impl Coefficient for Q {
    fn one() -> Q {
        Q::one()
    }

    fn times(&self, other: &Q) -> Q {
        self.mul(other)
    }

    fn times_ratio(&self, num: u64, den: u64) -> Q {
        self.mul(&Q::new(num as i64, den as i64))
    }

    fn into_q(self) -> Q {
        self
    }
}

impl Coefficient for i128 {
    fn one() -> i128 {
        1
    }

    fn times(&self, other: &i128) -> i128 {
        self * other
    }

    fn times_ratio(&self, num: u64, den: u64) -> i128 {
        self * i128::from(num) / i128::from(den)
    }

    fn into_q(self) -> Q {
        Q::from_i128(self)
    }
}

/// `p^k` by the multinomial theorem, term by term, when the number of ways
/// to distribute `k` among the terms of `p` is close to the number of terms
/// of the result (so that few products are merged); `None` otherwise.
pub(super) fn pow_multinomial(p: &Poly, k: u64, limits: &Limits) -> Option<Result<Poly>> {
    let n = p.gens.len();
    let m = p.coeffs.len();
    if n == 0 || m < 2 || k < 2 {
        return None;
    }
    let compositions = binomial(m as u64 + k - 1, k)?;
    let bounds: Vec<u64> = degrees(p).iter().map(|d| d.saturating_mul(k)).collect();
    let by_degrees = bounds.iter().fold(1u64, |acc, d| acc.saturating_mul(d + 1));
    if compositions > limits.max_terms as u64 || compositions > by_degrees.saturating_mul(2) {
        return None;
    }
    let packing = Packing::new(&bounds)?;
    let widest = p.coeffs.iter().map(Q::bits).max().unwrap_or(0);
    if let Err(e) = power_work(compositions, k, widest, limits) {
        return Some(Err(e));
    }
    // Integer coefficients whose absolute sum to the k-th power stays below
    // 2^120 bound every partial product (and k < 120, so the binomial steps).
    let integers: Option<Vec<i128>> =
        p.coeffs.iter().map(|c| c.small_parts().filter(|&(_, d)| d == 1).map(|(n, _)| i128::from(n))).collect();
    let small = integers.filter(|ints| {
        let sum: u128 = ints.iter().map(|c| c.unsigned_abs()).sum();
        u32::try_from(k).ok().and_then(|k| sum.checked_pow(k)).is_some_and(|b| b < 1 << 120)
    });
    let leaves = match small {
        Some(ints) => expand_multinomial(p, &packing, &ints, k, compositions),
        None => expand_multinomial(p, &packing, &p.coeffs, k, compositions),
    }?;
    Some(finish_power(p, &packing, leaves, limits))
}

/// One term of the polynomial being raised to a power by the multinomial
/// theorem, with the state of the walk at its depth.
struct Level<'a, C> {
    /// The term's coefficient, packed exponents and total degree.
    term_coeff: &'a C,
    term_packed: u64,
    term_degree: u64,
    /// The exponent left for this term and the ones after it.
    remaining: u64,
    /// This term's current exponent.
    chosen: u64,
    /// What the terms before this one contribute: coefficient, packed
    /// exponents and degree.
    coeff: C,
    index: u64,
    degree: u64,
    /// The binomial and the power of the coefficient that go with `chosen`.
    binom: C,
    power: C,
}

/// The terms of `p^k` (with `coeffs` standing for `p`'s coefficients) as
/// `(degree, packed exponents, coefficient)`, one per way of distributing
/// `k`; `None` (never expected) when the walk finds its state inconsistent.
fn expand_multinomial<C: Coefficient>(
    p: &Poly,
    packing: &Packing,
    coeffs: &[C],
    k: u64,
    compositions: u64,
) -> Option<Vec<(u64, u64, Q)>> {
    let n = p.gens.len();
    let mut levels: Vec<Level<'_, C>> = coeffs
        .iter()
        .zip(p.exps.chunks_exact(n))
        .map(|(c, e)| Level {
            term_coeff: c,
            term_packed: packing.pack(e),
            term_degree: e.iter().map(|&x| u64::from(x)).sum(),
            remaining: 0,
            chosen: 0,
            coeff: C::one(),
            index: 0,
            degree: 0,
            binom: C::one(),
            power: C::one(),
        })
        .collect();
    if levels.len() != coeffs.len() {
        return None;
    }
    let last = levels.len().checked_sub(1)?;
    // Depth-first over the exponent of each term; at depth `d` the state
    // holds what the terms before `d` contribute, and for term `d` its
    // current exponent with the binomial and the power that go with it.
    let mut leaves: Vec<(u64, u64, Q)> = Vec::with_capacity(compositions as usize);
    let last_coeff = coeffs.last()?;
    let mut last_powers = vec![C::one()];
    let mut acc = C::one();
    for _ in 0..k {
        acc = acc.times(last_coeff);
        last_powers.push(acc.clone());
    }
    levels.first_mut()?.remaining = k;
    let mut d = 0usize;
    loop {
        if d == last {
            // The last term takes what remains.
            let level = levels.get(d)?;
            let r = level.remaining;
            let c = level.coeff.times(last_powers.get(usize::try_from(r).ok()?)?);
            leaves.push((level.degree + r * level.term_degree, level.index + r * level.term_packed, c.into_q()));
            // Back to the deepest term that can take one more.
            loop {
                if d == 0 {
                    return Some(leaves);
                }
                d -= 1;
                let level = levels.get(d)?;
                if level.chosen < level.remaining {
                    break;
                }
            }
            let level = levels.get_mut(d)?;
            let j = level.chosen;
            level.binom = level.binom.times_ratio(level.remaining - j, j + 1);
            level.power = level.power.times(level.term_coeff);
            level.chosen = j + 1;
        }
        // Descend with term d taking its chosen exponent.
        let Some([level, next]) = levels.get_mut(d..d + 2) else { return None };
        let j = level.chosen;
        next.remaining = level.remaining - j;
        next.coeff = level.coeff.times(&level.binom).times(&level.power);
        next.index = level.index + j * level.term_packed;
        next.degree = level.degree + j * level.term_degree;
        next.chosen = 0;
        next.binom = C::one();
        next.power = C::one();
        d += 1;
    }
}

fn finish_power(p: &Poly, packing: &Packing, mut leaves: Vec<(u64, u64, Q)>, limits: &Limits) -> Result<Poly> {
    let n = p.gens.len();
    // Sort small keys, not the coefficients.
    let mut order: Vec<(u64, u64, usize)> = leaves.iter().enumerate().map(|(i, l)| (l.0, l.1, i)).collect();
    order.sort_unstable_by_key(|o| std::cmp::Reverse((o.0, o.1)));
    let mut exps = Vec::with_capacity(leaves.len() * n);
    let mut coeffs: Vec<Q> = Vec::with_capacity(leaves.len());
    let mut last: Option<u64> = None;
    for (_, index, i) in order {
        let c = leaves.get_mut(i).map(|l| std::mem::take(&mut l.2)).unwrap_or_default();
        if last == Some(index) {
            if let Some(slot) = coeffs.last_mut() {
                *slot = slot.add(&c);
            }
            continue;
        }
        if coeffs.last().is_some_and(Q::is_zero) {
            coeffs.pop();
            exps.truncate(exps.len() - n);
        }
        last = Some(index);
        packing.unpack(index, &mut exps);
        coeffs.push(c);
    }
    if coeffs.last().is_some_and(Q::is_zero) {
        coeffs.pop();
        exps.truncate(exps.len() - n);
    }
    let widest = coeffs.iter().map(Q::bits).max().unwrap_or(0);
    if widest > limits.max_number_bits {
        return Err(number_limit(limits, widest));
    }
    Ok(Poly { gens: p.gens.clone(), exps, coeffs })
}
