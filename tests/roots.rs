//! Exact real roots, checked against independent oracles: products of known
//! linear factors, Sturm sequences written here from scratch, and exact
//! arithmetic on the reported values.

use std::cmp::Ordering;

use kobai::{Expr, Limits, Poly, Q, RealRoot, RootValue, UPoly, read, real_roots};
use proptest::prelude::*;

fn lim() -> Limits {
    Limits::default()
}

fn ints(c: &[i64]) -> UPoly {
    UPoly::from_i64(c)
}

fn roots_text(p: &UPoly) -> Vec<String> {
    real_roots(p, &lim()).unwrap().iter().map(|r| r.to_string()).collect()
}

// ---------------------------------------------------------------------------
// The oracle: Sturm sequences over Q, independent of the library's
// Descartes-based isolation.

fn sturm_sequence(p: &UPoly) -> Vec<UPoly> {
    let mut seq = vec![p.clone(), p.derivative()];
    loop {
        let n = seq.len();
        let (a, b) = (&seq[n - 2], &seq[n - 1]);
        if b.is_zero() {
            seq.pop();
            return seq;
        }
        let (_, r) = a.div_rem(b).unwrap();
        if r.is_zero() {
            return seq;
        }
        seq.push(r.neg());
    }
}

fn variations_at(seq: &[UPoly], x: &Q) -> usize {
    let signs: Vec<i32> = seq.iter().map(|s| s.eval(x).signum()).filter(|&s| s != 0).collect();
    signs.windows(2).filter(|w| w[0] != w[1]).count()
}

/// Distinct real roots of `p` in `(a, b]`, for `a` not a root.
fn sturm_count(p: &UPoly, a: &Q, b: &Q) -> usize {
    let seq = sturm_sequence(p);
    variations_at(&seq, a) - variations_at(&seq, b)
}

/// `1 + max |c_i / c_n|`: every root is strictly inside.
fn cauchy_bound(p: &UPoly) -> Q {
    let lead = p.leading().abs();
    let n = p.degree().unwrap();
    let max = p.coeffs()[..n].iter().map(|c| c.abs().div(&lead).unwrap()).max().unwrap_or_else(Q::zero);
    max.add(&Q::one())
}

fn linear(num: i64, den: i64) -> UPoly {
    // den·x - num, root num/den
    ints(&[-num, den])
}

/// Checks every reported root exactly against `p`.
fn check_roots(p: &UPoly, roots: &[RealRoot]) {
    let mut total_multiplicity = 0;
    for r in roots {
        let m = r.multiplicity;
        assert!(m >= 1);
        total_multiplicity += m;
        let factor = match &r.value {
            RootValue::Rational(q) => UPoly::linear(q.neg(), Q::one()),
            RootValue::Quadratic(q) => {
                let mp = q.poly();
                assert_eq!(mp.degree(), Some(2));
                // a ± b√c are the roots of mp: their sum is 2a and their product a² - b²c.
                let (m0, m1, m2) = (mp.coeff(0), mp.coeff(1), mp.coeff(2));
                assert_eq!(m1.neg().div(&m2).unwrap(), q.a().mul(&Q::from(2)));
                assert_eq!(m0.div(&m2).unwrap(), q.a().mul(&q.a()).sub(&q.b().mul(&q.b()).mul(&q.c())));
                assert!(q.b() > Q::zero() && q.c() > Q::one() && q.c().is_integer());
                assert!(q.c().exact_root(2).is_none());
                mp.clone()
            }
            RootValue::Interval(i) => {
                let ip = i.poly();
                assert!(ip.degree().unwrap() >= 3, "interval roots are of degree 3 or more");
                assert!(i.lo() < i.hi());
                assert_eq!(ip.sign_at(i.lo()) * ip.sign_at(i.hi()), -1, "a sign change");
                assert_eq!(sturm_count(ip, i.lo(), i.hi()), 1, "exactly one root of its polynomial");
                assert_eq!(sturm_count(p, i.lo(), i.hi()), 1, "exactly one root of p");
                ip.clone()
            }
        };
        assert_eq!(r.sign_of(p), 0);
        // The multiplicity is exact: factor^m divides p, factor^(m+1) does not.
        assert!(p.exact_div(&factor.pow(m)).is_some(), "{factor}^{m} divides {p}");
        assert!(p.exact_div(&factor.pow(m + 1)).is_none(), "{factor}^{} does not divide {p}", m + 1);
    }
    assert!(total_multiplicity as usize <= p.degree().unwrap());
    for w in roots.windows(2) {
        assert_eq!(w[0].value.cmp_value(&w[1].value), Ordering::Less, "sorted and distinct");
        assert!(w[0].approx() <= w[1].approx());
    }
}

// ---------------------------------------------------------------------------
// Named cases.

#[test]
fn square_roots() {
    assert_eq!(roots_text(&ints(&[-2, 0, 1])), ["-sqrt(2)", "sqrt(2)"]);
    assert_eq!(roots_text(&ints(&[-8, 0, 1])), ["-2*sqrt(2)", "2*sqrt(2)"]);
    assert_eq!(roots_text(&ints(&[-1, -2, 1])), ["1 - sqrt(2)", "1 + sqrt(2)"]);
    assert_eq!(roots_text(&ints(&[4, -12, 4])), ["(3 - sqrt(5))/2", "(3 + sqrt(5))/2"]);
    let r = real_roots(&ints(&[4, -12, 4]), &lim()).unwrap();
    let RootValue::Quadratic(q) = &r[1].value else { panic!() };
    assert_eq!((q.a(), q.b(), q.c(), q.sign()), (Q::new(3, 2), Q::new(1, 2), Q::from(5), 1));
    assert_eq!(r[1].to_expr().unwrap(), read("(3 + sqrt(5))/2").unwrap());
    assert_eq!(r[0].unicode(), "(3 − √5)/2");
    let r = real_roots(&ints(&[-1, -2, 1]), &lim()).unwrap();
    assert_eq!(r[1].to_expr().unwrap(), read("1 + sqrt(2)").unwrap());
    assert_eq!(r[1].unicode(), "1 + √2");
}

#[test]
fn products_of_quadratics() {
    // (x^2 - 2)(x^2 - 3)
    let p = ints(&[-2, 0, 1]).mul(&ints(&[-3, 0, 1]));
    let r = real_roots(&p, &lim()).unwrap();
    assert_eq!(roots_text(&p), ["-sqrt(3)", "-sqrt(2)", "sqrt(2)", "sqrt(3)"]);
    assert!(r.iter().all(|r| matches!(r.value, RootValue::Quadratic(_))));
    check_roots(&p, &r);
    // No real roots at all.
    assert!(roots_text(&ints(&[1, 0, 0, 0, 1])).is_empty());
}

#[test]
fn multiplicities() {
    // (x - 1)^3 (x + 2)
    let p = linear(1, 1).pow(3).mul(&linear(-2, 1));
    let r = real_roots(&p, &lim()).unwrap();
    let got: Vec<(Option<Q>, u32)> = r.iter().map(|r| (r.rational(), r.multiplicity)).collect();
    assert_eq!(got, [(Some(Q::from(-2)), 1), (Some(Q::one()), 3)]);
    check_roots(&p, &r);
}

#[test]
fn quintic_to_sixteen_digits() {
    // Checked by hand against SymPy: nroots(x**5 - x - 1, n=30) = 1.16730397826141868425604589985
    let p = ints(&[-1, -1, 0, 0, 0, 1]);
    let r = real_roots(&p, &lim()).unwrap();
    assert_eq!(r.len(), 1);
    let RootValue::Interval(i) = &r[0].value else { panic!("{:?}", r[0]) };
    assert_eq!(i.to_decimal_truncated(16), "1.167303978261418");
    assert_eq!(i.to_decimal(17), "1.1673039782614187");
    let (lo, hi) = i.refine(16);
    assert!(lo.to_decimal_string(30).starts_with("1.167303978261418"));
    assert!(hi.to_decimal_string(30).starts_with("1.167303978261418"));
    check_roots(&p, &r);
}

#[test]
fn from_a_loss_through_poly() {
    // The example: x^3/3 - x^2 - x has stationary points 1 ± √2.
    let x = [Expr::symbol("x")];
    let loss = Poly::from_expr(&read("x^3/3 - x^2 - x").unwrap(), &x, &lim()).unwrap();
    let gradient = loss.derivative(0).as_univariate().unwrap();
    let r = real_roots(&gradient, &lim()).unwrap();
    assert_eq!(r.iter().map(|r| r.to_string()).collect::<Vec<_>>(), ["1 - sqrt(2)", "1 + sqrt(2)"]);
    let second = loss.derivative(0).derivative(0).as_univariate().unwrap();
    assert_eq!((r[0].sign_of(&second), r[1].sign_of(&second)), (-1, 1)); // maximum, minimum
}

#[test]
fn large_coefficients_and_close_roots() {
    // Rational roots with large denominators, and two irrational roots 10^-12 apart.
    let p = linear(123_456_789, 987_654_321).mul(&linear(-1, 3)).mul(&ints(&[-2, 0, 0, 1]));
    let r = real_roots(&p, &lim()).unwrap();
    assert_eq!(r[0].rational(), Some(Q::new(-1, 3)));
    assert_eq!(r[1].rational(), Some(Q::new(123_456_789, 987_654_321)));
    check_roots(&p, &r);
    // (x^2 - 2)·(x^2 - 2 - 10^-24 ...): nearby radicals stay apart.
    let close = UPoly::new(vec![Q::new(-2_000_000_000_001, 1_000_000_000_000), Q::zero(), Q::one()]);
    let p = ints(&[-2, 0, 1]).mul(&close).mul(&ints(&[-1, -1, 0, 0, 0, 1]));
    let r = real_roots(&p, &lim()).unwrap();
    assert_eq!(r.len(), 5);
    check_roots(&p, &r);
}

// ---------------------------------------------------------------------------
// Properties.

fn arb_linear_factors() -> impl Strategy<Value = Vec<(i64, i64, u32)>> {
    prop::collection::vec((-30i64..30, 1i64..12, 1u32..4), 1..6)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 100, failure_persistence: None, ..ProptestConfig::default() })]

    /// Products of random rational linear factors (times an irreducible
    /// factor without real roots): every root is found exactly, with its
    /// multiplicity.
    #[test]
    fn linear_factors_are_found_exactly(factors in arb_linear_factors(), noise in any::<bool>(), scale in 1i64..7) {
        let mut p = UPoly::constant(Q::new(scale, 3));
        let mut expected: Vec<(Q, u32)> = Vec::new();
        for (n, d, m) in &factors {
            p = p.mul(&linear(*n, *d).pow(*m));
            let q = Q::new(*n, *d);
            match expected.iter_mut().find(|(r, _)| *r == q) {
                Some(slot) => slot.1 += m,
                None => expected.push((q, *m)),
            }
        }
        if noise {
            p = p.mul(&ints(&[1, 1, 1]));
        }
        expected.sort();
        let r = real_roots(&p, &lim()).unwrap();
        let got: Vec<(Q, u32)> = r.iter().map(|r| (r.rational().expect("rational"), r.multiplicity)).collect();
        prop_assert_eq!(got, expected);
    }

    /// Random integer polynomials: the distinct real roots reported are as
    /// many as Sturm counts in the Cauchy bound, and each is checked exactly.
    #[test]
    fn roots_match_sturm(coeffs in prop::collection::vec(-20i64..20, 2..9), square in prop::collection::vec(-5i64..5, 0..3)) {
        let mut p = ints(&coeffs);
        if !square.is_empty() {
            // Repeated factors make the square-free decomposition work.
            p = p.mul(&ints(&square).pow(2));
        }
        prop_assume!(p.degree().is_some_and(|d| d > 0));
        let bound = cauchy_bound(&p);
        let r = real_roots(&p, &lim()).unwrap();
        prop_assert_eq!(r.len(), sturm_count(&p, &bound.neg(), &bound));
        check_roots(&p, &r);
    }

    /// Quadratic factors with real irrational roots are always split off
    /// exactly, even inside a polynomial of higher degree.
    #[test]
    fn quadratic_factors_are_split(qs in prop::collection::vec((-6i64..6, -9i64..9, 1i64..4), 1..3), k in 2i64..9) {
        let cubic = ints(&[-k, 0, 0, 1]); // x^3 - k: one irrational real root unless k is a cube
        prop_assume!(k != 8);
        let mut p = cubic.clone();
        let mut radical_factors: Vec<UPoly> = Vec::new();
        for (b, c, a) in &qs {
            let f = ints(&[*c, *b, *a]);
            p = p.mul(&f);
            let disc = b * b - 4 * a * c;
            let irreducible_real = disc > 0 && Q::from(disc).exact_root(2).is_none();
            if irreducible_real && !radical_factors.contains(&f.monic()) {
                radical_factors.push(f.monic());
            }
        }
        let r = real_roots(&p, &lim()).unwrap();
        check_roots(&p, &r);
        let quadratic = r.iter().filter(|r| matches!(r.value, RootValue::Quadratic(_))).count();
        prop_assert_eq!(quadratic, 2 * radical_factors.len());
        let intervals: Vec<_> = r.iter().filter_map(|r| match &r.value { RootValue::Interval(i) => Some(i.clone()), _ => None }).collect();
        prop_assert_eq!(intervals.len(), 1);
        // Factors without real roots (x^2 + 1) may stay in the interval's polynomial.
        let cofactor = intervals[0].poly().exact_div(&cubic);
        prop_assert!(cofactor.is_some_and(|c| real_roots(&c, &lim()).map_or(true, |r| r.is_empty())));
    }

    /// Signs at interval roots agree with exact refinement: for a rational
    /// test point t, sign(x - t) at the root is the side the root is on.
    #[test]
    fn signs_at_roots_are_exact(coeffs in prop::collection::vec(-9i64..9, 4..8), t in (-40i64..40, 1i64..9)) {
        let p = ints(&coeffs);
        prop_assume!(p.degree().is_some_and(|d| d > 0));
        let t = Q::new(t.0, t.1);
        for root in real_roots(&p, &lim()).unwrap() {
            let side = root.sign_of(&UPoly::linear(t.neg(), Q::one()));
            let expected = match root.value.cmp_value(&RootValue::Rational(t.clone())) {
                Ordering::Less => -1,
                Ordering::Equal => 0,
                Ordering::Greater => 1,
            };
            prop_assert_eq!(side, expected);
            if let RootValue::Interval(i) = &root.value {
                let (lo, hi) = i.refine(8);
                let inside = if hi <= t { -1 } else if lo >= t { 1 } else { 0 };
                prop_assert!(inside == 0 || inside == side);
                prop_assert_eq!(sturm_count(&p, &lo, &hi), 1);
            }
        }
    }
}
