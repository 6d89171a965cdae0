//! Interval arithmetic over exact rationals, for deciding with certainty that
//! two numbers differ.
//!
//! An [`Interval`] `[lo, hi]` has rational endpoints. Every operation returns
//! an interval that contains the exact result: endpoints are rounded
//! outwards to a multiple of `2^-bits` when their denominators grow, and the
//! transcendental functions add a rigorous bound on the truncation error of
//! their series (Taylor series for `exp`, `sin`, `cos`; the `atanh` series for
//! `ln`; Machin's formula for π). So when the intervals of two values do not
//! overlap, the values differ — no floating point is involved anywhere.
//!
//! Evaluation can fail in two ways: the value is certainly undefined (a
//! logarithm of a number that is certainly negative, a division by an exact
//! zero), or it cannot be decided at this precision (an interval that
//! straddles zero is divided by). Callers skip such points.

use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

use crate::expr::{Expr, Func, Node};
use crate::number::Q;
use crate::symbol::Symbol;

/// A closed interval with rational endpoints, `lo <= hi`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Interval {
    lo: BigRational,
    hi: BigRational,
}

/// Why an enclosure could not be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The value is certainly not a real number (`ln` of a negative, `1/0`).
    Undefined,
    /// The precision in use cannot decide (an interval straddles a
    /// singularity, or a number is too large to bound).
    Unknown,
}

/// An interval containing the exact value, or why there is none.
pub(crate) type Enclosure = Result<Interval, Failure>;

/// Arguments of `exp` larger than this in absolute value are not evaluated
/// (the result would have thousands of digits).
const MAX_EXP_ARGUMENT: i64 = 4096;

/// Roots of a higher degree than this are not evaluated.
const MAX_ROOT: u32 = 64;

/// Exponents of integer powers larger than this are not evaluated.
const MAX_POWER: u64 = 100_000;
/// The largest integer part an integer power may reach, in bits.
const MAX_POWER_BITS: u64 = 65_536;

fn rat(n: i64) -> BigRational {
    BigRational::from_integer(BigInt::from(n))
}

fn two_pow(k: u64) -> BigInt {
    BigInt::one() << k
}

impl Interval {
    /// The interval `[q, q]`.
    pub(crate) fn point(q: BigRational) -> Interval {
        Interval { lo: q.clone(), hi: q }
    }

    /// The interval `[q, q]` for a kobai rational.
    pub(crate) fn from_q(q: &Q) -> Interval {
        Interval::point(q.to_big())
    }

    fn new(lo: BigRational, hi: BigRational) -> Interval {
        if lo <= hi { Interval { lo, hi } } else { Interval { lo: hi, hi: lo } }
    }

    /// True when every number in `self` is smaller than every number in
    /// `other`, or larger: the exact values certainly differ.
    pub(crate) fn disjoint(&self, other: &Interval) -> bool {
        self.hi < other.lo || other.hi < self.lo
    }

    /// True when zero is certainly not in the interval.
    pub(crate) fn excludes_zero(&self) -> bool {
        self.lo.is_positive() || self.hi.is_negative()
    }

    /// True for the single point zero.
    pub(crate) fn is_exact_zero(&self) -> bool {
        self.lo.is_zero() && self.hi.is_zero()
    }

    /// The midpoint, for showing an approximate value.
    pub(crate) fn midpoint(&self) -> BigRational {
        (&self.lo + &self.hi) / rat(2)
    }

    /// True when the width is at most `2^-bits` times the larger of 1 and
    /// the magnitude.
    pub(crate) fn narrow(&self, bits: u64) -> bool {
        let scale = self.magnitude().max(rat(1));
        (&self.hi - &self.lo) * BigRational::from_integer(two_pow(bits)) <= scale
    }

    /// True when the width is at most 2^-bits, whatever the magnitude.
    pub(crate) fn narrow_absolutely(&self, bits: u64) -> bool {
        (&self.hi - &self.lo) * BigRational::from_integer(two_pow(bits)) <= rat(1)
    }

    fn radius(&self) -> BigRational {
        (&self.hi - &self.lo) / rat(2)
    }

    fn magnitude(&self) -> BigRational {
        self.lo.abs().max(self.hi.abs())
    }
}

/// Interval operations at one precision, with π and ln 2 computed once.
pub(crate) struct Arith {
    bits: u64,
    pi: Interval,
    ln2: Interval,
}

impl Arith {
    /// Arithmetic rounding to `bits` bits after the binary point.
    pub(crate) fn new(bits: u64) -> Arith {
        let mut a = Arith { bits, pi: Interval::point(rat(3)), ln2: Interval::point(rat(0)) };
        a.pi = a.machin_pi();
        a.ln2 = a.scale(&a.atanh_series(&BigRational::new(BigInt::from(1), BigInt::from(3))), &rat(2));
        a
    }

    fn down(&self, x: BigRational) -> BigRational {
        if x.denom().bits() <= self.bits {
            return x;
        }
        let scale = two_pow(self.bits);
        BigRational::new((x.numer() * &scale).div_floor(x.denom()), scale)
    }

    fn up(&self, x: BigRational) -> BigRational {
        if x.denom().bits() <= self.bits {
            return x;
        }
        let scale = two_pow(self.bits);
        let n = -((-(x.numer() * &scale)).div_floor(x.denom()));
        BigRational::new(n, scale)
    }

    fn rounded(&self, lo: BigRational, hi: BigRational) -> Interval {
        Interval::new(self.down(lo), self.up(hi))
    }

    pub(crate) fn add(&self, a: &Interval, b: &Interval) -> Interval {
        self.rounded(&a.lo + &b.lo, &a.hi + &b.hi)
    }

    pub(crate) fn sub(&self, a: &Interval, b: &Interval) -> Interval {
        self.rounded(&a.lo - &b.hi, &a.hi - &b.lo)
    }

    fn neg(&self, a: &Interval) -> Interval {
        Interval::new(-a.hi.clone(), -a.lo.clone())
    }

    fn scale(&self, a: &Interval, q: &BigRational) -> Interval {
        let x = &a.lo * q;
        let y = &a.hi * q;
        if q.is_negative() { self.rounded(y, x) } else { self.rounded(x, y) }
    }

    pub(crate) fn mul(&self, a: &Interval, b: &Interval) -> Interval {
        let products = [&a.lo * &b.lo, &a.lo * &b.hi, &a.hi * &b.lo, &a.hi * &b.hi];
        let lo = products.iter().min().cloned().unwrap_or_default();
        let hi = products.iter().max().cloned().unwrap_or_default();
        self.rounded(lo, hi)
    }

    fn recip(&self, a: &Interval) -> Enclosure {
        if a.is_exact_zero() {
            return Err(Failure::Undefined);
        }
        if !a.excludes_zero() {
            return Err(Failure::Unknown);
        }
        Ok(self.rounded(a.hi.recip(), a.lo.recip()))
    }

    fn div(&self, a: &Interval, b: &Interval) -> Enclosure {
        Ok(self.mul(a, &self.recip(b)?))
    }

    /// `x^k` for `x >= 0`, rounded down or up at every step.
    fn pow_nonneg(&self, x: &BigRational, k: u64, round_up: bool) -> BigRational {
        let round = |v: BigRational| if round_up { self.up(v) } else { self.down(v) };
        let mut result = BigRational::one();
        let mut base = x.clone();
        let mut e = k;
        while e > 0 {
            if e & 1 == 1 {
                result = round(&result * &base);
            }
            e >>= 1;
            if e > 0 {
                base = round(&base * &base);
            }
        }
        result
    }

    fn powi(&self, a: &Interval, k: i64) -> Enclosure {
        let n = k.unsigned_abs();
        if n > MAX_POWER {
            return Err(Failure::Unknown);
        }
        // Only fractions are rounded, so a large base keeps every bit of its
        // power: 188^81781 would be 620,000 bits, each squaring reduced by
        // a gcd.
        let whole_bits = a.magnitude().to_integer().bits();
        if whole_bits > 1 && n.saturating_mul(whole_bits) > MAX_POWER_BITS {
            return Err(Failure::Unknown);
        }
        let even = n.is_multiple_of(2);
        let positive = if a.lo.is_negative() && a.hi.is_positive() {
            if even {
                Interval::new(BigRational::zero(), self.pow_nonneg(&a.magnitude(), n, true))
            } else {
                // Odd powers are increasing: the endpoints map to the endpoints.
                let lo = -self.pow_nonneg(&a.lo.abs(), n, true);
                let hi = self.pow_nonneg(&a.hi, n, true);
                Interval::new(lo, hi)
            }
        } else if a.hi.is_positive() || a.hi.is_zero() && !a.lo.is_negative() {
            Interval::new(self.pow_nonneg(&a.lo, n, false), self.pow_nonneg(&a.hi, n, true))
        } else {
            // a <= 0 throughout.
            let small = self.pow_nonneg(&a.hi.abs(), n, !even);
            let large = self.pow_nonneg(&a.lo.abs(), n, even);
            if even { Interval::new(small, large) } else { Interval::new(-large, -small) }
        };
        if k < 0 { self.recip(&positive) } else { Ok(positive) }
    }

    /// The real `q`-th root: `x^(1/q)`, with odd roots of negative numbers
    /// negative (as kobai folds `(-8)^(1/3)` to `-2`).
    fn root(&self, a: &Interval, q: u32) -> Enclosure {
        // The bound is computed on integers of `bits·q` bits.
        if q > MAX_ROOT {
            return Err(Failure::Unknown);
        }
        if a.lo.is_negative() {
            if !q.is_multiple_of(2) && (a.hi.is_negative() || a.hi.is_zero()) {
                let flipped = self.root(&self.neg(a), q)?;
                return Ok(self.neg(&flipped));
            }
            if a.hi.is_negative() {
                return Err(Failure::Undefined);
            }
            return Err(Failure::Unknown);
        }
        Ok(Interval::new(self.root_bound(&a.lo, q, false), self.root_bound(&a.hi, q, true)))
    }

    /// A lower or upper bound of `x^(1/q)` for `x >= 0`, on the grid `2^-bits`.
    fn root_bound(&self, x: &BigRational, q: u32, round_up: bool) -> BigRational {
        let scale = two_pow(self.bits * u64::from(q));
        let scaled = x * BigRational::from_integer(scale);
        let whole = if round_up { scaled.ceil().to_integer() } else { scaled.floor().to_integer() };
        let r = whole.nth_root(q);
        let exact = num_traits::pow(r.clone(), q as usize) == whole;
        let r = if round_up && !exact { r + BigInt::one() } else { r };
        BigRational::new(r, two_pow(self.bits))
    }

    /// The sum of a power series whose terms are computed by `next` from
    /// the previous term and its index, until the truncation bound
    /// `tail(term magnitude, index)` is below the precision; the bound is
    /// added to the result. The terms are computed 32 bits finer than the
    /// result, so that they can fall below its precision.
    fn series(
        &self,
        first: Interval,
        next: impl Fn(&Arith, &Interval, u64) -> Interval,
        tail: impl Fn(&BigRational, u64) -> BigRational,
    ) -> Interval {
        let fine = Arith { bits: self.bits + 32, pi: self.pi.clone(), ln2: self.ln2.clone() };
        let epsilon = BigRational::new(BigInt::one(), two_pow(self.bits + 8));
        let mut sum = first.clone();
        let mut term = first;
        let mut n = 0u64;
        loop {
            n += 1;
            term = next(&fine, &term, n);
            sum = fine.add(&sum, &term);
            let bound = tail(&term.magnitude(), n);
            if bound < epsilon || n > 100_000 {
                let slack = fine.up(bound);
                return self.rounded(&sum.lo - &slack, &sum.hi + &slack);
            }
        }
    }

    /// `Σ t^(2j+1)/(2j+1)`, for `|t| <= 1/3` (ln 2 and ln near 1).
    fn atanh_series(&self, t: &BigRational) -> Interval {
        let t2 = Interval::point(t * t);
        let odd_power = std::cell::RefCell::new(Interval::point(t.clone()));
        self.series(
            Interval::point(t.clone()),
            |a, _, j| {
                let mut p = odd_power.borrow_mut();
                *p = a.mul(&p, &t2);
                a.scale(&p, &BigRational::new(BigInt::one(), BigInt::from(2 * j + 1)))
            },
            // The tail after t^(2j+1)/(2j+1) is at most |t|^(2j+3)/(1 - t^2) <= 2·|t|²·term.
            |m, _| m * rat(2) * (t * t),
        )
    }

    /// `Σ (-1)^j t^(2j+1)/(2j+1)` = atan(t), for `|t| <= 1/5`.
    fn atan_series(&self, t: &BigRational) -> Interval {
        let t2 = Interval::point(-(t * t));
        let odd_power = std::cell::RefCell::new(Interval::point(t.clone()));
        self.series(
            Interval::point(t.clone()),
            |a, _, j| {
                let mut p = odd_power.borrow_mut();
                *p = a.mul(&p, &t2);
                a.scale(&p, &BigRational::new(BigInt::one(), BigInt::from(2 * j + 1)))
            },
            // An alternating series with decreasing terms: the tail is below the next term.
            |m, _| m * (t * t),
        )
    }

    /// π = 16·atan(1/5) − 4·atan(1/239).
    fn machin_pi(&self) -> Interval {
        let a = self.atan_series(&BigRational::new(BigInt::from(1), BigInt::from(5)));
        let b = self.atan_series(&BigRational::new(BigInt::from(1), BigInt::from(239)));
        self.sub(&self.scale(&a, &rat(16)), &self.scale(&b, &rat(4)))
    }

    /// An enclosure of `exp(q)` for a rational `q`.
    fn exp_point(&self, q: &BigRational) -> Enclosure {
        if q.abs() > rat(MAX_EXP_ARGUMENT) {
            return Err(Failure::Unknown);
        }
        // exp(q) = exp(q / 2^k)^(2^k) with |q / 2^k| <= 1/2.
        let half = BigRational::new(BigInt::one(), BigInt::from(2));
        let mut r = q.clone();
        let mut k = 0u32;
        while r.abs() > half {
            r /= rat(2);
            k += 1;
        }
        let wide = Arith { bits: self.bits + 8 + u64::from(k), pi: self.pi.clone(), ln2: self.ln2.clone() };
        let rp = Interval::point(r.clone());
        let mut s = wide.series(
            Interval::point(BigRational::one()),
            |a, term, n| a.scale(&a.mul(term, &rp), &BigRational::new(BigInt::one(), BigInt::from(n))),
            // For |r| <= 1/2 the tail after r^n/n! is at most 2·|r|^(n+1)/(n+1)! <= |r|·term.
            |m, _| m * r.abs(),
        );
        for _ in 0..k {
            s = wide.mul(&s, &s);
        }
        Ok(self.rounded(s.lo, s.hi))
    }

    /// An enclosure of `ln(q)` for a rational `q > 0`.
    fn ln_point(&self, q: &BigRational) -> Enclosure {
        if !q.is_positive() {
            return Err(Failure::Undefined);
        }
        // q = m·2^k with m in [2/3, 4/3]; ln m = 2·atanh((m − 1)/(m + 1)).
        let mut k = i64::try_from(q.numer().bits()).unwrap_or(0) - i64::try_from(q.denom().bits()).unwrap_or(0);
        let shift = |k: i64| {
            let p = BigRational::from_integer(two_pow(k.unsigned_abs()));
            if k >= 0 { q / p } else { q * p }
        };
        let mut m = shift(k);
        let four_thirds = BigRational::new(BigInt::from(4), BigInt::from(3));
        let two_thirds = BigRational::new(BigInt::from(2), BigInt::from(3));
        while m > four_thirds {
            k += 1;
            m = shift(k);
        }
        while m < two_thirds {
            k -= 1;
            m = shift(k);
        }
        let t = (&m - rat(1)) / (&m + rat(1));
        let ln_m = self.scale(&self.atanh_series(&t), &rat(2));
        Ok(self.add(&ln_m, &self.scale(&self.ln2, &rat(k))))
    }

    fn exp(&self, a: &Interval) -> Enclosure {
        Ok(Interval::new(self.exp_point(&a.lo)?.lo, self.exp_point(&a.hi)?.hi))
    }

    fn ln(&self, a: &Interval) -> Enclosure {
        if !a.hi.is_positive() {
            return Err(Failure::Undefined);
        }
        if !a.lo.is_positive() {
            return Err(Failure::Unknown);
        }
        Ok(Interval::new(self.ln_point(&a.lo)?.lo, self.ln_point(&a.hi)?.hi))
    }

    /// `sin` (or `cos` when `cosine`) of an interval: the value at the
    /// midpoint, after reducing it by a multiple of 2π, widened by the
    /// radius (both functions are 1-Lipschitz).
    fn trig(&self, a: &Interval, cosine: bool) -> Enclosure {
        let m = a.midpoint();
        if m.abs() > BigRational::from_integer(two_pow(40)) {
            return Err(Failure::Unknown);
        }
        let two_pi = self.scale(&self.pi, &rat(2));
        let turns = (&m / two_pi.midpoint()).round();
        let reduced = self.sub(&Interval::point(m), &self.scale(&two_pi, &turns));
        let c = reduced.midpoint();
        let c2 = Interval::point(-(&c * &c));
        let first = if cosine { Interval::point(BigRational::one()) } else { Interval::point(c.clone()) };
        let offset = if cosine { 0 } else { 1 };
        let s = self.series(
            first,
            |a, term, j| {
                let d = BigInt::from((2 * j - 1 + offset) * (2 * j + offset));
                a.scale(&a.mul(term, &c2), &BigRational::new(BigInt::one(), d))
            },
            // The Taylor remainder is below the first omitted term, |c|^2·term/((2j+1)(2j+2)).
            |m, _| m * (&c * &c),
        );
        let slack = &a.radius() + &reduced.radius();
        let lo = (&s.lo - &slack).max(rat(-1));
        let hi = (&s.hi + &slack).min(rat(1));
        Ok(self.rounded(lo, hi))
    }

    fn tanh(&self, a: &Interval) -> Enclosure {
        // tanh(x) = 1 − 2/(exp(2x) + 1), increasing in x.
        let at = |x: &BigRational, upper: bool| -> Result<BigRational, Failure> {
            let e = self.exp_point(&(x * rat(2)))?;
            let e = if upper { e.hi } else { e.lo };
            Ok(rat(1) - rat(2) / (e + rat(1)))
        };
        let lo = at(&a.lo, false)?;
        let hi = at(&a.hi, true)?;
        Ok(self.rounded(lo, hi))
    }

    fn sigmoid(&self, a: &Interval) -> Enclosure {
        // sigmoid(x) = 1/(1 + exp(−x)), increasing in x.
        let lo = rat(1) / (self.exp_point(&-a.lo.clone())?.hi + rat(1));
        let hi = rat(1) / (self.exp_point(&-a.hi.clone())?.lo + rat(1));
        Ok(self.rounded(lo, hi))
    }

    fn abs(&self, a: &Interval) -> Interval {
        if !a.lo.is_negative() {
            a.clone()
        } else if !a.hi.is_positive() {
            self.neg(a)
        } else {
            Interval::new(BigRational::zero(), a.magnitude())
        }
    }

    fn sign(&self, a: &Interval) -> Enclosure {
        if a.lo.is_positive() {
            Ok(Interval::point(rat(1)))
        } else if a.hi.is_negative() {
            Ok(Interval::point(rat(-1)))
        } else if a.is_exact_zero() {
            Ok(Interval::point(rat(0)))
        } else {
            Err(Failure::Unknown)
        }
    }

    /// An interval containing the value of a variable-free expression.
    pub(crate) fn enclose(&self, e: &Expr) -> Enclosure {
        self.enclose_at(e, &[])
    }

    /// An interval containing the value of `e` with the variables given
    /// values. The expression is evaluated as it stands, without first
    /// substituting and simplifying, so that `sqrt(x)*sqrt(y)` is undefined
    /// at `x = y = -1` rather than folded to `-1`.
    pub(crate) fn enclose_at(&self, e: &Expr, point: &[(Symbol, Q)]) -> Enclosure {
        match e.node() {
            Node::Num(q) => Ok(Interval::from_q(q)),
            Node::Sym(s) => {
                point.iter().find(|(v, _)| v == s).map(|(_, q)| Interval::from_q(q)).ok_or(Failure::Unknown)
            }
            Node::Sum { constant, terms } => {
                let mut acc = Interval::from_q(constant);
                for (t, c) in terms {
                    acc = self.add(&acc, &self.scale(&self.enclose_at(t, point)?, &c.to_big()));
                }
                Ok(acc)
            }
            Node::Product { coeff, factors } => {
                let mut acc = Interval::from_q(coeff);
                for (b, x) in factors {
                    acc = self.mul(&acc, &self.power(b, x, point)?);
                }
                Ok(acc)
            }
            Node::Pow(b, x) => self.power(b, x, point),
            Node::Call(f, a) => {
                let a = self.enclose_at(a, point)?;
                match f {
                    Func::Exp => self.exp(&a),
                    Func::Ln => self.ln(&a),
                    Func::Sin => self.trig(&a, false),
                    Func::Cos => self.trig(&a, true),
                    Func::Tan => {
                        let s = self.trig(&a, false)?;
                        let c = self.trig(&a, true)?;
                        self.div(&s, &c)
                    }
                    Func::Tanh => self.tanh(&a),
                    Func::Sigmoid => self.sigmoid(&a),
                    Func::Abs => Ok(self.abs(&a)),
                    Func::Sign => self.sign(&a),
                }
            }
        }
    }

    fn power(&self, b: &Expr, x: &Expr, point: &[(Symbol, Q)]) -> Enclosure {
        let base = self.enclose_at(b, point)?;
        if let Some(q) = x.as_num() {
            if let Some(k) = q.to_i64().filter(|_| q.is_integer()) {
                if k < 0 && base.is_exact_zero() {
                    return Err(Failure::Undefined);
                }
                return self.powi(&base, k);
            }
            let numer = q.numer().to_i64().ok_or(Failure::Unknown)?;
            let denom = q.denom().to_u32().ok_or(Failure::Unknown)?;
            let root = self.root(&base, denom)?;
            if numer < 0 && root.is_exact_zero() {
                return Err(Failure::Undefined);
            }
            return self.powi(&root, numer);
        }
        // A symbolic exponent: b^x = exp(x·ln b), for b > 0.
        let exponent = self.enclose_at(x, point)?;
        if base.is_exact_zero() && exponent.lo.is_positive() {
            return Ok(Interval::point(BigRational::zero()));
        }
        let ln_b = self.ln(&base)?;
        self.exp(&self.mul(&exponent, &ln_b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read;

    fn enclosure(text: &str) -> Interval {
        match Arith::new(128).enclose(&read(text).unwrap()) {
            Ok(i) => i,
            Err(f) => panic!("{text}: {f:?}"),
        }
    }

    fn contains(i: &Interval, value: f64) -> bool {
        let (lo, hi) = (i.lo.to_f64().unwrap(), i.hi.to_f64().unwrap());
        lo <= value + value.abs() * 1e-15 + 1e-300 && value - value.abs() * 1e-15 - 1e-300 <= hi
    }

    #[test]
    fn enclosures_contain_the_values_and_are_narrow() {
        let cases: &[(&str, f64)] = &[
            ("exp(1)", std::f64::consts::E),
            ("exp(-7/3)", (-7.0f64 / 3.0).exp()),
            ("exp(50)", 50f64.exp()),
            ("ln(2)", std::f64::consts::LN_2),
            ("ln(1/1000)", (0.001f64).ln()),
            ("ln(123456789)", 123456789f64.ln()),
            ("sin(1)", 1f64.sin()),
            ("cos(100)", 100f64.cos()),
            ("sin(-31/7)", (-31.0f64 / 7.0).sin()),
            ("tan(1/2)", 0.5f64.tan()),
            ("tanh(3)", 3f64.tanh()),
            ("sigmoid(-2)", 1.0 / (1.0 + 2f64.exp())),
            ("sqrt(2)", std::f64::consts::SQRT_2),
            ("2^(1/3)", 2f64.powf(1.0 / 3.0)),
            ("(-8)^(1/3)*(-3)^(1/3)", 24f64.powf(1.0 / 3.0)),
            ("2^sqrt(2)", 2f64.powf(std::f64::consts::SQRT_2)),
            ("abs(-3/2) + sign(-2)", 0.5),
            ("(1 + sqrt(2))^-3", (1.0 + std::f64::consts::SQRT_2).powi(-3)),
        ];
        for (text, value) in cases {
            let i = enclosure(text);
            assert!(contains(&i, *value), "{text}: {i:?} does not contain {value}");
            let width = (&i.hi - &i.lo).to_f64().unwrap();
            assert!(width < 1e-30 * value.abs().max(1.0), "{text}: width {width}");
        }
    }

    #[test]
    fn pi_and_identities_are_tight() {
        let a = Arith::new(200);
        assert!(contains(&a.pi, std::f64::consts::PI));
        let s = a.enclose(&read("sin(7/5)^2 + cos(7/5)^2").unwrap()).unwrap();
        assert!(s.lo <= rat(1) && rat(1) <= s.hi);
        let eight = a.enclose(&read("exp(3*ln(2))").unwrap()).unwrap();
        assert!(eight.lo <= rat(8) && rat(8) <= eight.hi && eight.excludes_zero());
    }

    fn kobai_q(n: i64, d: i64) -> crate::number::Q {
        crate::number::Q::new(n, d)
    }

    #[test]
    fn undefined_and_unknown_values_are_refused() {
        let a = Arith::new(64);
        assert_eq!(a.enclose(&Expr::call(Func::Ln, &Expr::int(-1))), Err(Failure::Undefined));
        // `read` refuses it; the constructor builds it, and evaluation must refuse it too.
        let root = Expr::pow(&Expr::int(-2), &Expr::num(kobai_q(1, 2)));
        assert_eq!(a.enclose(&root), Err(Failure::Undefined));
        assert_eq!(a.enclose(&read("exp(10000)").unwrap()), Err(Failure::Unknown));
        assert_eq!(a.enclose(&read("x").unwrap()), Err(Failure::Unknown));
    }
}
