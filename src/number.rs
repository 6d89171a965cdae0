//! `Q`: exact rational numbers with a fast path for small values.
//!
//! Values that fit live in `Ratio<i64>` and every operation on them is
//! checked; on overflow the operation is redone in `BigRational` and the
//! result is demoted again when it fits. A `Q` never becomes a float: the
//! only way to a float is the explicit [`Q::to_f64`].

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use num_bigint::{BigInt, Sign};
use num_integer::Integer;
use num_rational::{BigRational, Ratio};
use num_traits::{One, Signed, ToPrimitive, Zero};

/// An exact rational number.
///
/// ```
/// use kobai::Q;
/// let a = Q::parse_decimal("2.5").unwrap();
/// assert_eq!(a, Q::new(5, 2));
/// assert_eq!(a.add(&Q::from(1)).to_string(), "7/2");
/// ```
#[derive(Clone)]
pub struct Q(Repr);

#[derive(Clone)]
enum Repr {
    /// Always in lowest terms with a positive denominator (`Ratio` keeps that).
    Small(Ratio<i64>),
    /// Only used when the value does not fit in `Ratio<i64>`.
    Big(BigRational),
}

/// Why a decimal literal could not be read as an exact rational.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecimalError {
    /// The text is not a decimal number at all.
    Malformed,
    /// The exponent of scientific notation is larger than the limit allows.
    ExponentTooLarge {
        /// The exponent that was written.
        exponent: String,
        /// The largest absolute exponent accepted.
        limit: u32,
    },
}

/// The largest power of ten accepted in scientific notation (`1e10000`).
pub const MAX_DECIMAL_EXPONENT: u32 = 10_000;

impl Q {
    /// The rational `numer/denom`.
    ///
    /// ```
    /// assert_eq!(kobai::Q::new(20, 8).to_string(), "5/2");
    /// ```
    ///
    /// A zero denominator is not a number; callers must not pass one. It is
    /// mapped to zero rather than panicking, and is a bug in the caller.
    pub fn new(numer: i64, denom: i64) -> Q {
        if denom == 0 {
            debug_assert!(false, "Q::new with zero denominator");
            return Q::zero();
        }
        if numer == i64::MIN || denom == i64::MIN {
            return Q::from_big(BigRational::new(BigInt::from(numer), BigInt::from(denom)));
        }
        Q(Repr::Small(Ratio::new(numer, denom)))
    }

    /// Zero.
    ///
    /// ```
    /// assert!(kobai::Q::zero().is_zero());
    /// ```
    pub fn zero() -> Q {
        Q(Repr::Small(Ratio::from_integer(0)))
    }

    /// One.
    ///
    /// ```
    /// assert!(kobai::Q::one().is_one());
    /// ```
    pub fn one() -> Q {
        Q(Repr::Small(Ratio::from_integer(1)))
    }

    /// Builds a `Q` from a big rational, demoting it when it fits.
    ///
    /// ```
    /// use num_rational::BigRational;
    /// let q = kobai::Q::from_big(BigRational::from_integer(7.into()));
    /// assert_eq!(q, kobai::Q::from(7));
    /// ```
    pub fn from_big(r: BigRational) -> Q {
        match (r.numer().to_i64(), r.denom().to_i64()) {
            (Some(n), Some(d)) if n != i64::MIN && d != i64::MIN => Q(Repr::Small(Ratio::new_raw(n, d))),
            _ => Q(Repr::Big(r)),
        }
    }

    /// The value as a big rational.
    ///
    /// ```
    /// assert_eq!(kobai::Q::new(1, 3).to_big().to_string(), "1/3");
    /// ```
    pub fn to_big(&self) -> BigRational {
        match &self.0 {
            Repr::Small(r) => BigRational::new_raw(BigInt::from(*r.numer()), BigInt::from(*r.denom())),
            Repr::Big(r) => r.clone(),
        }
    }

    /// Reads an exact decimal: `12`, `2.5`, `.5`, `1e-3`, `6.02E23`.
    ///
    /// ```
    /// use kobai::Q;
    /// assert_eq!(Q::parse_decimal("0.1").unwrap(), Q::new(1, 10));
    /// assert_eq!(Q::parse_decimal("1e-3").unwrap(), Q::new(1, 1000));
    /// assert!(Q::parse_decimal("1e").is_err());
    /// ```
    pub fn parse_decimal(text: &str) -> Result<Q, DecimalError> {
        let (negative, body) = match text.as_bytes().first() {
            Some(b'-') => (true, &text[1..]),
            Some(b'+') => (false, &text[1..]),
            _ => (false, text),
        };
        let (mantissa, exponent) = match body.find(['e', 'E']) {
            Some(at) => (&body[..at], Some(&body[at + 1..])),
            None => (body, None),
        };
        let (int_part, frac_part) = match mantissa.find('.') {
            Some(at) => (&mantissa[..at], &mantissa[at + 1..]),
            None => (mantissa, ""),
        };
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (int_part.is_empty() && frac_part.is_empty()) || !all_digits(int_part) || !all_digits(frac_part) {
            return Err(DecimalError::Malformed);
        }
        let mut exp10: i64 = -(frac_part.len() as i64);
        if let Some(e) = exponent {
            let (eneg, edigits) = match e.as_bytes().first() {
                Some(b'-') => (true, &e[1..]),
                Some(b'+') => (false, &e[1..]),
                _ => (false, e),
            };
            if edigits.is_empty() || !all_digits(edigits) {
                return Err(DecimalError::Malformed);
            }
            let too_large = || DecimalError::ExponentTooLarge { exponent: e.to_string(), limit: MAX_DECIMAL_EXPONENT };
            let trimmed = edigits.trim_start_matches('0');
            if trimmed.len() > 6 {
                return Err(too_large());
            }
            let value: i64 = trimmed.parse().unwrap_or(0);
            if value > i64::from(MAX_DECIMAL_EXPONENT) {
                return Err(too_large());
            }
            exp10 += if eneg { -value } else { value };
        }
        let digits = format!("{int_part}{frac_part}");
        let numer: BigInt =
            if digits.is_empty() { BigInt::zero() } else { digits.parse().map_err(|_| DecimalError::Malformed)? };
        let numer = if negative { -numer } else { numer };
        let ten_pow = |k: i64| num_traits::pow(BigInt::from(10), k.unsigned_abs() as usize);
        let value = if exp10 >= 0 {
            BigRational::from_integer(numer * ten_pow(exp10))
        } else {
            BigRational::new(numer, ten_pow(exp10))
        };
        Ok(Q::from_big(value))
    }

    /// True for 0.
    ///
    /// ```
    /// assert!(!kobai::Q::one().is_zero());
    /// ```
    pub fn is_zero(&self) -> bool {
        match &self.0 {
            Repr::Small(r) => r.is_zero(),
            Repr::Big(r) => r.is_zero(),
        }
    }

    /// True for 1.
    ///
    /// ```
    /// assert!(kobai::Q::new(2, 2).is_one());
    /// ```
    pub fn is_one(&self) -> bool {
        match &self.0 {
            Repr::Small(r) => r.is_one(),
            Repr::Big(r) => r.is_one(),
        }
    }

    /// True for values below zero.
    ///
    /// ```
    /// assert!(kobai::Q::new(-1, 2).is_negative());
    /// ```
    pub fn is_negative(&self) -> bool {
        match &self.0 {
            Repr::Small(r) => r.is_negative(),
            Repr::Big(r) => r.is_negative(),
        }
    }

    /// True when the denominator is 1.
    ///
    /// ```
    /// assert!(kobai::Q::new(4, 2).is_integer());
    /// ```
    pub fn is_integer(&self) -> bool {
        match &self.0 {
            Repr::Small(r) => r.is_integer(),
            Repr::Big(r) => r.is_integer(),
        }
    }

    /// The value as `i64`, if it is an integer that fits.
    ///
    /// ```
    /// assert_eq!(kobai::Q::from(-3).to_i64(), Some(-3));
    /// assert_eq!(kobai::Q::new(1, 2).to_i64(), None);
    /// ```
    pub fn to_i64(&self) -> Option<i64> {
        match &self.0 {
            Repr::Small(r) if r.is_integer() => Some(*r.numer()),
            Repr::Small(_) => None,
            Repr::Big(r) if r.is_integer() => r.numer().to_i64(),
            Repr::Big(_) => None,
        }
    }

    /// The numerator, as a big integer (the sign lives here).
    ///
    /// ```
    /// assert_eq!(kobai::Q::new(-6, 4).numer().to_string(), "-3");
    /// ```
    pub fn numer(&self) -> BigInt {
        match &self.0 {
            Repr::Small(r) => BigInt::from(*r.numer()),
            Repr::Big(r) => r.numer().clone(),
        }
    }

    /// The denominator, always positive.
    ///
    /// ```
    /// assert_eq!(kobai::Q::new(-6, 4).denom().to_string(), "2");
    /// ```
    pub fn denom(&self) -> BigInt {
        match &self.0 {
            Repr::Small(r) => BigInt::from(*r.denom()),
            Repr::Big(r) => r.denom().clone(),
        }
    }

    /// The sum `self + other`.
    ///
    /// ```
    /// use kobai::Q;
    /// assert_eq!(Q::new(1, 2).add(&Q::new(1, 3)), Q::new(5, 6));
    /// ```
    pub fn add(&self, other: &Q) -> Q {
        if let (Repr::Small(a), Repr::Small(b)) = (&self.0, &other.0)
            && let Some(r) = checked_add(a, b)
        {
            return Q(Repr::Small(r));
        }
        Q::from_big(self.to_big() + other.to_big())
    }

    /// The difference `self - other`.
    ///
    /// ```
    /// use kobai::Q;
    /// assert_eq!(Q::new(1, 2).sub(&Q::new(1, 3)), Q::new(1, 6));
    /// ```
    pub fn sub(&self, other: &Q) -> Q {
        self.add(&other.neg())
    }

    /// The product `self * other`.
    ///
    /// ```
    /// use kobai::Q;
    /// assert_eq!(Q::new(2, 3).mul(&Q::new(3, 4)), Q::new(1, 2));
    /// ```
    pub fn mul(&self, other: &Q) -> Q {
        if let (Repr::Small(a), Repr::Small(b)) = (&self.0, &other.0)
            && let Some(r) = checked_mul(a, b)
        {
            return Q(Repr::Small(r));
        }
        Q::from_big(self.to_big() * other.to_big())
    }

    /// The negation `-self`.
    ///
    /// ```
    /// assert_eq!(kobai::Q::from(3).neg(), kobai::Q::from(-3));
    /// ```
    pub fn neg(&self) -> Q {
        match &self.0 {
            Repr::Small(r) if *r.numer() != i64::MIN => Q(Repr::Small(-r)),
            _ => Q::from_big(-self.to_big()),
        }
    }

    /// The absolute value.
    ///
    /// ```
    /// assert_eq!(kobai::Q::new(-1, 2).abs(), kobai::Q::new(1, 2));
    /// ```
    pub fn abs(&self) -> Q {
        if self.is_negative() { self.neg() } else { self.clone() }
    }

    /// The reciprocal `1/self`, or `None` for zero.
    ///
    /// ```
    /// assert_eq!(kobai::Q::new(-2, 3).recip(), Some(kobai::Q::new(-3, 2)));
    /// assert_eq!(kobai::Q::zero().recip(), None);
    /// ```
    pub fn recip(&self) -> Option<Q> {
        if self.is_zero() {
            return None;
        }
        Some(match &self.0 {
            Repr::Small(r) if *r.numer() != i64::MIN => Q(Repr::Small(r.recip())),
            _ => Q::from_big(self.to_big().recip()),
        })
    }

    /// The quotient `self / other`, or `None` when `other` is zero.
    ///
    /// ```
    /// use kobai::Q;
    /// assert_eq!(Q::from(20).div(&Q::from(8)), Some(Q::new(5, 2)));
    /// ```
    pub fn div(&self, other: &Q) -> Option<Q> {
        other.recip().map(|r| self.mul(&r))
    }

    /// The sign: -1, 0 or 1.
    ///
    /// ```
    /// assert_eq!(kobai::Q::new(-7, 2).signum(), -1);
    /// ```
    pub fn signum(&self) -> i32 {
        if self.is_zero() {
            0
        } else if self.is_negative() {
            -1
        } else {
            1
        }
    }

    /// An estimate of the size of the number in bits (numerator plus
    /// denominator), used to refuse computations that would explode.
    ///
    /// ```
    /// assert!(kobai::Q::from(1024).bits() >= 11);
    /// ```
    pub fn bits(&self) -> u64 {
        match &self.0 {
            Repr::Small(r) => {
                u64::from(64 - r.numer().unsigned_abs().leading_zeros())
                    + u64::from(64 - r.denom().unsigned_abs().leading_zeros())
            }
            Repr::Big(r) => r.numer().bits() + r.denom().bits(),
        }
    }

    /// `self^exp` for an integer exponent, or `None` for `0^negative`.
    /// The caller is responsible for bounding the size of the result
    /// (see [`Q::pow_would_exceed`]).
    ///
    /// ```
    /// use kobai::Q;
    /// assert_eq!(Q::new(2, 3).pow(3), Some(Q::new(8, 27)));
    /// assert_eq!(Q::from(2).pow(-2), Some(Q::new(1, 4)));
    /// assert_eq!(Q::zero().pow(-1), None);
    /// ```
    pub fn pow(&self, exp: i64) -> Option<Q> {
        if exp < 0 {
            return self.recip()?.pow_unsigned(exp.unsigned_abs());
        }
        self.pow_unsigned(exp.unsigned_abs())
    }

    fn pow_unsigned(&self, exp: u64) -> Option<Q> {
        let mut result = Q::one();
        let mut base = self.clone();
        let mut e = exp;
        while e > 0 {
            if e & 1 == 1 {
                result = result.mul(&base);
            }
            e >>= 1;
            if e > 0 {
                base = base.mul(&base);
            }
        }
        Some(result)
    }

    /// True when `self^exp` would need more than `max_bits` bits.
    ///
    /// ```
    /// use kobai::Q;
    /// assert!(Q::from(10).pow_would_exceed(1_000_000, 100_000));
    /// assert!(!Q::from(2).pow_would_exceed(10, 100_000));
    /// ```
    pub fn pow_would_exceed(&self, exp: i64, max_bits: u64) -> bool {
        if self.is_zero() || self.abs().is_one() {
            return false;
        }
        let bits = self.bits().saturating_sub(1).max(1);
        bits.saturating_mul(exp.unsigned_abs()) > max_bits
    }

    /// An exact root: `Some(r)` with `r^n == self` when `self` is the
    /// `n`-th power of a rational (and `n` is odd or `self` is not negative).
    ///
    /// ```
    /// use kobai::Q;
    /// assert_eq!(Q::new(9, 4).exact_root(2), Some(Q::new(3, 2)));
    /// assert_eq!(Q::from(2).exact_root(2), None);
    /// assert_eq!(Q::from(-8).exact_root(3), Some(Q::from(-2)));
    /// ```
    pub fn exact_root(&self, n: u32) -> Option<Q> {
        if n == 0 {
            return None;
        }
        if self.is_negative() && n.is_multiple_of(2) {
            return None;
        }
        let root_of = |x: &BigInt| -> Option<BigInt> {
            let r = x.nth_root(n);
            if num_traits::pow(r.clone(), n as usize) == *x { Some(r) } else { None }
        };
        let num = self.numer();
        let den = self.denom();
        let n_abs = root_of(&num.abs())?;
        let d = root_of(&den)?;
        let n_signed = if num.sign() == Sign::Minus { -n_abs } else { n_abs };
        Some(Q::from_big(BigRational::new(n_signed, d)))
    }

    /// The nearest `f64` (for display of approximations only).
    ///
    /// ```
    /// assert_eq!(kobai::Q::new(5, 2).to_f64(), 2.5);
    /// ```
    pub fn to_f64(&self) -> f64 {
        match &self.0 {
            Repr::Small(r) => *r.numer() as f64 / *r.denom() as f64,
            Repr::Big(r) => big_to_f64(r),
        }
    }

    /// The decimal expansion when it terminates (`5/2` → `2.5`), else `None`.
    ///
    /// ```
    /// use kobai::Q;
    /// assert_eq!(Q::new(7, 5).terminating_decimal().as_deref(), Some("1.4"));
    /// assert_eq!(Q::new(1, 3).terminating_decimal(), None);
    /// ```
    pub fn terminating_decimal(&self) -> Option<String> {
        let mut den = self.denom();
        let two = BigInt::from(2);
        let five = BigInt::from(5);
        let (mut twos, mut fives) = (0u32, 0u32);
        while den.is_even() {
            den /= &two;
            twos += 1;
        }
        while (&den % &five).is_zero() {
            den /= &five;
            fives += 1;
        }
        if !den.is_one() {
            return None;
        }
        let places = twos.max(fives);
        if places > 60 {
            return None;
        }
        let scaled = self.numer().abs() * num_traits::pow(BigInt::from(10), places as usize) / self.denom();
        let digits = scaled.to_string();
        let sign = if self.is_negative() { "-" } else { "" };
        if places == 0 {
            return Some(format!("{sign}{digits}"));
        }
        let places = places as usize;
        let padded = format!("{digits:0>width$}", width = places + 1);
        let (int, frac) = padded.split_at(padded.len() - places);
        Some(format!("{sign}{int}.{frac}"))
    }

    /// A decimal approximation with `digits` significant digits, computed
    /// exactly from the rational (no float rounding on the way).
    ///
    /// ```
    /// assert_eq!(kobai::Q::new(1, 3).to_decimal_string(5), "0.33333");
    /// ```
    pub fn to_decimal_string(&self, digits: usize) -> String {
        if let Some(exact) = self.terminating_decimal()
            && exact.len() <= digits + 2
        {
            return exact;
        }
        let digits = digits.max(1);
        let num = self.numer().abs();
        let den = self.denom();
        let int_part = &num / &den;
        let int_digits = if int_part.is_zero() { 0 } else { int_part.to_string().len() };
        let frac_places = digits.saturating_sub(int_digits).max(1);
        let scale = num_traits::pow(BigInt::from(10), frac_places);
        let scaled = (&num * &scale + &den / 2u32) / &den;
        let text = format!("{:0>width$}", scaled.to_string(), width = frac_places + 1);
        let (int, frac) = text.split_at(text.len() - frac_places);
        let frac = frac.trim_end_matches('0');
        let sign = if self.is_negative() { "-" } else { "" };
        if frac.is_empty() { format!("{sign}{int}") } else { format!("{sign}{int}.{frac}") }
    }
}

fn big_to_f64(r: &BigRational) -> f64 {
    // Scale so that the integer quotient carries about 64 significant bits.
    let nb = r.numer().bits() as i64;
    let db = r.denom().bits() as i64;
    let shift = 64 - (nb - db);
    let q = if shift >= 0 {
        (r.numer() << (shift as usize)) / r.denom()
    } else {
        r.numer() / (r.denom() << ((-shift) as usize))
    };
    let f = q.to_f64().unwrap_or(f64::NAN);
    f * 2f64.powi((-shift).clamp(-2000, 2000) as i32)
}

fn checked_add(a: &Ratio<i64>, b: &Ratio<i64>) -> Option<Ratio<i64>> {
    if a.denom() == b.denom() {
        let n = a.numer().checked_add(*b.numer())?;
        return ratio_checked(n, *a.denom());
    }
    let g = a.denom().gcd(b.denom());
    let da = a.denom() / g;
    let db = b.denom() / g;
    let n = a.numer().checked_mul(db)?.checked_add(b.numer().checked_mul(da)?)?;
    let d = a.denom().checked_mul(db)?;
    ratio_checked(n, d)
}

fn checked_mul(a: &Ratio<i64>, b: &Ratio<i64>) -> Option<Ratio<i64>> {
    let g1 = a.numer().gcd(b.denom());
    let g2 = b.numer().gcd(a.denom());
    let (g1, g2) = (if g1 == 0 { 1 } else { g1 }, if g2 == 0 { 1 } else { g2 });
    let n = (a.numer() / g1).checked_mul(b.numer() / g2)?;
    let d = (a.denom() / g2).checked_mul(b.denom() / g1)?;
    ratio_checked(n, d)
}

fn ratio_checked(n: i64, d: i64) -> Option<Ratio<i64>> {
    if n == i64::MIN || d == i64::MIN || d == 0 {
        return None;
    }
    Some(Ratio::new(n, d))
}

impl Default for Q {
    fn default() -> Q {
        Q::zero()
    }
}

impl From<i64> for Q {
    fn from(n: i64) -> Q {
        Q::new(n, 1)
    }
}

impl From<BigInt> for Q {
    fn from(n: BigInt) -> Q {
        Q::from_big(BigRational::from_integer(n))
    }
}

impl PartialEq for Q {
    fn eq(&self, other: &Q) -> bool {
        match (&self.0, &other.0) {
            (Repr::Small(a), Repr::Small(b)) => a == b,
            // Representations are normalized, so a Small never equals a Big.
            (Repr::Big(a), Repr::Big(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for Q {}

impl Hash for Q {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match &self.0 {
            Repr::Small(r) => {
                r.numer().hash(state);
                r.denom().hash(state);
            }
            Repr::Big(r) => {
                r.numer().hash(state);
                r.denom().hash(state);
            }
        }
    }
}

impl PartialOrd for Q {
    fn partial_cmp(&self, other: &Q) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Q {
    fn cmp(&self, other: &Q) -> Ordering {
        match (&self.0, &other.0) {
            (Repr::Small(a), Repr::Small(b)) => a.cmp(b),
            _ => self.to_big().cmp(&other.to_big()),
        }
    }
}

impl fmt::Display for Q {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Small(r) => write!(f, "{r}"),
            Repr::Big(r) => write!(f, "{r}"),
        }
    }
}

impl fmt::Debug for Q {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overflow_promotes_and_demotes() {
        let big = Q::from(i64::MAX);
        let sum = big.add(&Q::one());
        assert_eq!(sum.to_string(), "9223372036854775808");
        assert_eq!(sum.sub(&Q::one()), Q::from(i64::MAX));
        let sq = big.mul(&big);
        assert_eq!(sq.div(&big).unwrap(), big);
    }

    #[test]
    fn decimals_are_exact() {
        assert_eq!(Q::parse_decimal("2.5").unwrap(), Q::new(5, 2));
        assert_eq!(Q::parse_decimal(".5").unwrap(), Q::new(1, 2));
        assert_eq!(Q::parse_decimal("5.").unwrap(), Q::from(5));
        assert_eq!(Q::parse_decimal("1.25e2").unwrap(), Q::from(125));
        assert_eq!(Q::parse_decimal("-1E-2").unwrap(), Q::new(-1, 100));
        assert!(Q::parse_decimal(".").is_err());
        assert!(Q::parse_decimal("1e+").is_err());
        assert!(matches!(Q::parse_decimal("1e999999"), Err(DecimalError::ExponentTooLarge { .. })));
    }

    #[test]
    fn decimal_strings() {
        assert_eq!(Q::new(5, 2).to_decimal_string(16), "2.5");
        assert_eq!(Q::new(-1, 8).terminating_decimal().as_deref(), Some("-0.125"));
        assert_eq!(Q::new(2, 3).to_decimal_string(4), "0.6667");
        assert_eq!(Q::from(i64::MAX).add(&Q::one()).to_f64(), 9223372036854775808.0);
    }
}
