//! Where to look for counterexamples: small integers first, then random
//! rationals from a seeded generator (so reports are reproducible), and an
//! exact search that always finds a non-root of a non-zero polynomial.

use crate::number::Q;
use crate::poly::Poly;

/// The `i`-th small value tried: 0, 1, −1, 2, −2, 3, −3, …
pub(crate) fn small_value(i: usize) -> Q {
    let k = i64::try_from(i.div_ceil(2)).unwrap_or(i64::MAX);
    if i % 2 == 1 { Q::from(k) } else { Q::from(-k) }
}

/// Up to `limit` points of small integers for `n` variables, simplest first:
/// ordered by the total position of their coordinates in [`small_value`]'s
/// sequence.
pub(crate) fn small_points(n: usize, limit: usize) -> Vec<Vec<Q>> {
    let mut out = Vec::new();
    let mut total = 0;
    // Beyond this total the points are no longer "small"; a limit on the
    // total also bounds the work for many variables.
    while out.len() < limit && total <= 12 {
        let mut costs = vec![0usize; n];
        compositions(total, 0, &mut costs, &mut out, limit);
        total += 1;
        if n == 0 {
            break;
        }
    }
    out
}

fn compositions(remaining: usize, at: usize, costs: &mut Vec<usize>, out: &mut Vec<Vec<Q>>, limit: usize) {
    if out.len() >= limit {
        return;
    }
    if at + 1 >= costs.len() {
        if let Some(last) = costs.get_mut(at) {
            *last = remaining;
        } else if remaining > 0 {
            return;
        }
        out.push(costs.iter().map(|&c| small_value(c)).collect());
        return;
    }
    for c in (0..=remaining).rev() {
        if let Some(slot) = costs.get_mut(at) {
            *slot = c;
        }
        compositions(remaining - c, at + 1, costs, out, limit);
    }
}

/// A point where the non-zero polynomial `p` does not vanish, built one
/// generator at a time from the small values: a polynomial of degree `d`
/// in a generator has at most `d` roots there, so `d + 1` values suffice.
pub(crate) fn nonroot(p: &Poly) -> Option<Vec<Q>> {
    if p.is_zero() {
        return None;
    }
    let mut current = p.clone();
    let mut point = Vec::with_capacity(p.generators().len());
    for i in 0..p.generators().len() {
        let tries = current.degree_in(i) as usize + 1;
        let found = (0..tries).map(small_value).find_map(|v| {
            let rest = current.substitute(&[(i, v.clone())]);
            (!rest.is_zero()).then_some((v, rest))
        });
        let (v, rest) = found?;
        point.push(v);
        current = rest;
    }
    Some(point)
}

/// A small deterministic generator (SplitMix64), so that the random points
/// of a check are the same on every run with the same seed.
pub(crate) struct Random(u64);

impl Random {
    pub(crate) fn new(seed: u64) -> Random {
        Random(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }

    /// A rational `p/q` with `2 <= q <= 9` and `|p| <= 30`: moderate values
    /// that are not integers (those were tried already).
    pub(crate) fn rational(&mut self) -> Q {
        let q = i64::try_from(2 + self.below(8)).unwrap_or(2);
        let p = i64::try_from(self.below(61)).unwrap_or(0) - 30;
        Q::new(p, q)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Expr, Limits, read};

    #[test]
    fn small_values_alternate() {
        let v: Vec<String> = (0..5).map(|i| small_value(i).to_string()).collect();
        assert_eq!(v, ["0", "1", "-1", "2", "-2"]);
    }

    #[test]
    fn small_points_start_simple() {
        let p = small_points(2, 4);
        let shown: Vec<String> = p.iter().map(|x| format!("{},{}", x[0], x[1])).collect();
        assert_eq!(shown, ["0,0", "1,0", "0,1", "-1,0"]);
        assert_eq!(small_points(0, 5).len(), 1);
    }

    #[test]
    fn nonroot_avoids_every_root() {
        let gens = [Expr::symbol("x"), Expr::symbol("y")];
        let p = Poly::from_expr(&read("x*(x-1)*(x+1)*y*(y-2)").unwrap(), &gens, &Limits::default()).unwrap();
        let at = nonroot(&p).unwrap();
        assert!(!p.eval(&at).unwrap().is_zero());
    }
}
