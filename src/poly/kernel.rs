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

use super::{Poly, number_limit, product_work, terms_limit};
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
        let n = bounds.len();
        let mut stride = vec![1u64; n];
        let mut volume = 1u64;
        for i in (0..n).rev() {
            stride[i] = volume;
            volume = volume.checked_mul(bounds[i].checked_add(1)?)?;
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
    Some(assemble(a, &packing, products, i128::from(la) * i128::from(lb), limits))
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
    let n = packing.radix.len();
    let mut low_volume = 1u64;
    let mut first_low = n;
    while first_low > 0 && low_volume * packing.radix[first_low - 1] <= CHUNK {
        first_low -= 1;
        low_volume *= packing.radix[first_low];
    }
    if first_low == n {
        if packing.radix[n - 1] > 1 << 16 {
            return None;
        }
        low_volume = packing.radix[n - 1];
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
    let mut pairs: Vec<(u64, u32, u32)> = Vec::with_capacity(group_pairs as usize);
    for (x, g) in ga.iter().enumerate() {
        for (y, h) in gb.iter().enumerate() {
            pairs.push((g.0 + h.0, x as u32, y as u32));
        }
    }
    pairs.sort_unstable_by_key(|p| std::cmp::Reverse(p.0));
    let mut chunks = 0u64;
    let mut last = None;
    for p in &pairs {
        if last != Some(p.0) {
            chunks += 1;
            last = Some(p.0);
        }
    }
    if chunks.saturating_mul(low_volume) > work.saturating_mul(2) {
        return None;
    }
    let a_low: Vec<u32> = ta.iter().map(|t| t.1).collect();
    let a_coef: Vec<i64> = ta.iter().map(|t| t.2).collect();
    let b_low: Vec<u32> = tb.iter().map(|t| t.1).collect();
    let b_coef: Vec<i64> = tb.iter().map(|t| t.2).collect();
    // The runs of pairs of groups with the same top: one chunk each.
    let mut runs: Vec<(usize, usize)> = Vec::with_capacity(chunks as usize);
    let mut start = 0;
    while start < pairs.len() {
        let mut end = start;
        while end < pairs.len() && pairs[end].0 == pairs[start].0 {
            end += 1;
        }
        runs.push((start, end));
        start = end;
    }
    // Chunks in descending order of top; each yields its terms in descending
    // packed order, so the concatenation is in descending packed order.
    let chunk_terms = |runs: &[(usize, usize)]| -> Vec<(u64, i128)> {
        let mut acc = vec![0i128; low_volume as usize];
        let mut out: Vec<(u64, i128)> = Vec::new();
        for &(start, end) in runs {
            let top = pairs[start].0;
            for &(_, x, y) in &pairs[start..end] {
                let (_, a0, a1) = ga[x as usize];
                let (_, b0, b1) = gb[y as usize];
                let (bl, bc) = (&b_low[b0..b1], &b_coef[b0..b1]);
                for (&la, &ca) in a_low[a0..a1].iter().zip(&a_coef[a0..a1]) {
                    let row = &mut acc[la as usize..];
                    let ca = i128::from(ca);
                    for (&lb, &cb) in bl.iter().zip(bc) {
                        row[lb as usize] += ca * i128::from(cb);
                    }
                }
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
) -> Result<Poly> {
    let n = like.gens.len();
    let mut exps: Vec<u32> = Vec::with_capacity(products.len() * n);
    let mut degree: Vec<u64> = Vec::with_capacity(products.len());
    for &(index, _) in &products {
        degree.push(packing.unpack(index, &mut exps));
    }
    // A counting sort by descending degree keeps the packed order within each degree.
    let top = degree.iter().copied().max().unwrap_or(0) as usize;
    let mut start = vec![0usize; top + 2];
    for &d in &degree {
        start[top - d as usize + 1] += 1;
    }
    for i in 1..start.len() {
        start[i] += start[i - 1];
    }
    let mut order = vec![0usize; products.len()];
    for (k, &d) in degree.iter().enumerate() {
        let slot = &mut start[top - d as usize];
        order[*slot] = k;
        *slot += 1;
    }
    let mut sorted_exps = Vec::with_capacity(exps.len());
    let mut coeffs = Vec::with_capacity(products.len());
    let mut widest = 0;
    for &k in &order {
        sorted_exps.extend_from_slice(&exps[k * n..(k + 1) * n]);
        let q = Q::from_i128_ratio(products[k].1, denominator);
        widest = widest.max(q.bits());
        coeffs.push(q);
    }
    if widest > limits.max_number_bits {
        return Err(number_limit(limits, widest));
    }
    Ok(Poly { gens: like.gens.clone(), exps: sorted_exps, coeffs })
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
    };
    Some(finish_power(p, &packing, leaves, limits))
}

/// The terms of `p^k` (with `coeffs` standing for `p`'s coefficients) as
/// `(degree, packed exponents, coefficient)`, one per way of distributing `k`.
fn expand_multinomial<C: Coefficient>(
    p: &Poly,
    packing: &Packing,
    coeffs: &[C],
    k: u64,
    compositions: u64,
) -> Vec<(u64, u64, Q)> {
    let n = p.gens.len();
    let m = coeffs.len();
    let packed: Vec<u64> = p.exps.chunks_exact(n).map(|e| packing.pack(e)).collect();
    let term_degree: Vec<u64> = p.exps.chunks_exact(n).map(|e| e.iter().map(|&x| u64::from(x)).sum()).collect();
    // Depth-first over the exponent of each term; at depth `d` the state
    // holds what the terms before `d` contribute, and for term `d` its
    // current exponent with the binomial and the power that go with it.
    let mut leaves: Vec<(u64, u64, Q)> = Vec::with_capacity(compositions as usize);
    let mut last_powers = vec![C::one()];
    for r in 0..k as usize {
        last_powers.push(last_powers[r].times(&coeffs[m - 1]));
    }
    let mut remaining = vec![0u64; m];
    let mut chosen = vec![0u64; m];
    let mut coeff = vec![C::one(); m];
    let mut binom = vec![C::one(); m];
    let mut power = vec![C::one(); m];
    let mut index = vec![0u64; m];
    let mut degree = vec![0u64; m];
    remaining[0] = k;
    let mut d = 0usize;
    loop {
        if d == m - 1 {
            // The last term takes what remains.
            let r = remaining[d];
            let c = coeff[d].times(&last_powers[r as usize]);
            leaves.push((degree[d] + r * term_degree[d], index[d] + r * packed[d], c.into_q()));
            // Back to the deepest term that can take one more.
            loop {
                if d == 0 {
                    return leaves;
                }
                d -= 1;
                if chosen[d] < remaining[d] {
                    break;
                }
            }
            let j = chosen[d];
            binom[d] = binom[d].times_ratio(remaining[d] - j, j + 1);
            power[d] = power[d].times(&coeffs[d]);
            chosen[d] = j + 1;
        }
        // Descend with term d taking chosen[d].
        let j = chosen[d];
        remaining[d + 1] = remaining[d] - j;
        coeff[d + 1] = coeff[d].times(&binom[d]).times(&power[d]);
        index[d + 1] = index[d] + j * packed[d];
        degree[d + 1] = degree[d] + j * term_degree[d];
        d += 1;
        chosen[d] = 0;
        binom[d] = C::one();
        power[d] = C::one();
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
