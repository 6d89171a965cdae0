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
        Q(Repr::Small(reduced(numer, denom)))
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

    /// Numerator and denominator when they fit in `i64` (the fast path's
    /// representation), without allocating.
    pub(crate) fn small_parts(&self) -> Option<(i64, i64)> {
        match &self.0 {
            Repr::Small(r) => Some((*r.numer(), *r.denom())),
            Repr::Big(_) => None,
        }
    }

    /// The integer `n`, small when it fits.
    pub(crate) fn from_i128(n: i128) -> Q {
        match i64::try_from(n) {
            Ok(small) if small != i64::MIN => Q(Repr::Small(Ratio::from_integer(small))),
            _ => Q(Repr::Big(BigRational::from_integer(BigInt::from(n)))),
        }
    }

    /// `n / d` in lowest terms for `d > 0`, computed in machine words.
    pub(crate) fn from_i128_ratio(n: i128, d: i128) -> Q {
        if d == 1 {
            return Q::from_i128(n);
        }
        let g = n.unsigned_abs().gcd(&d.unsigned_abs());
        let (n, d) = if g > 1 { (n / g as i128, d / g as i128) } else { (n, d) };
        match (i64::try_from(n), i64::try_from(d)) {
            (Ok(a), Ok(b)) if a != i64::MIN && b != i64::MIN => Q(Repr::Small(Ratio::new_raw(a, b))),
            _ => Q(Repr::Big(BigRational::new_raw(BigInt::from(n), BigInt::from(d)))),
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
        if let Some(q) = small_decimal(text) {
            return Ok(q);
        }
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
        } else if numer.is_zero() {
            BigRational::zero()
        } else {
            // Only 2s and 5s cancel against a power of ten. Removing them
            // directly avoids num-rational's binary gcd, which is quadratic
            // in the digits (a 0. followed by a million digits took minutes).
            let k = exp10.unsigned_abs();
            let twos = numer.trailing_zeros().unwrap_or(0).min(k);
            let mut numer = numer >> twos;
            let fives = remove_fives(&mut numer, k);
            let pow = |base: u32, e: u64| num_traits::pow(BigInt::from(base), e as usize);
            BigRational::new_raw(numer, pow(2, k - twos) * pow(5, k - fives))
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
        Q::from_big(big_add(&self.to_big(), &other.to_big()))
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
        Q::from_big(big_mul(&self.to_big(), &other.to_big()))
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
        if exp > 2 && (self.small_parts().is_none() || self.bits().saturating_mul(exp) > 60) {
            // (n/d)^e = n^e/d^e is in lowest terms when n/d is: no gcd at
            // every squaring, which for big numbers cost more than the
            // multiplications.
            let r = self.to_big();
            let e = usize::try_from(exp).ok()?;
            let n = num_traits::pow(r.numer().clone(), e);
            let d = num_traits::pow(r.denom().clone(), e);
            return Some(Q::from_big(BigRational::new_raw(n, d)));
        }
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

/// A decimal without exponent and with at most 18 digits (`-12.25`, `.5`,
/// `7.`), read in machine words; anything else is `None` and left to the
/// general reader, which also words the errors.
fn small_decimal(text: &str) -> Option<Q> {
    let bytes = text.as_bytes();
    let (negative, body) = match bytes.first() {
        Some(b'-') => (true, bytes.get(1..)?),
        Some(b'+') => (false, bytes.get(1..)?),
        _ => (false, bytes),
    };
    let (mut value, mut digits, mut places, mut point) = (0i64, 0u32, 0u32, false);
    for &b in body {
        match b {
            b'0'..=b'9' => {
                // Count before multiplying: the 19th digit would overflow.
                digits += 1;
                if digits > 18 {
                    return None;
                }
                value = value * 10 + i64::from(b - b'0');
                places += u32::from(point);
            }
            b'.' if !point => point = true,
            _ => return None,
        }
    }
    if digits == 0 {
        return None;
    }
    Some(Q::new(if negative { -value } else { value }, 10i64.pow(places)))
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

/// Divides `n` by 5 as often as it goes, at most `max` times, and says how
/// often. Trial divisions by 5, 25, 625, ... take a logarithmic number of
/// steps where one division by 5 at a time would take `max`.
fn remove_fives(n: &mut BigInt, max: u64) -> u64 {
    let mut removed = 0;
    let mut chunk = 1u64;
    while removed < max {
        let c = chunk.min(max - removed);
        let (q, r) = n.div_rem(&num_traits::pow(BigInt::from(5), c as usize));
        if r.is_zero() {
            *n = q;
            removed += c;
            chunk = chunk.saturating_mul(2);
        } else if c == 1 {
            break;
        } else {
            chunk = 1;
        }
    }
    removed
}

/// `a + b` in lowest terms. `num-rational` reduces every result with
/// num-bigint's binary gcd, which takes time quadratic in the bits even when
/// one operand is 1: adding two 10,000-bit integers cost milliseconds, and
/// `expand "(x+1)^1000"` ten seconds. Integers skip the reduction, and
/// fractions reduce with [`gcd`] by Knuth's method (only the gcd of the
/// denominators can divide the new numerator).
fn big_add(a: &BigRational, b: &BigRational) -> BigRational {
    if a.denom().is_one() && b.denom().is_one() {
        return BigRational::from_integer(a.numer() + b.numer());
    }
    let g = gcd(a.denom(), b.denom());
    let (da, db) = (a.denom() / &g, b.denom() / &g);
    let numer = a.numer() * &db + b.numer() * &da;
    if numer.is_zero() {
        return BigRational::zero();
    }
    let h = gcd(&numer, &g);
    BigRational::new_raw(numer / &h, a.denom() / &h * db)
}

/// `a · b` in lowest terms, by cross-cancelling first (see [`big_add`]).
fn big_mul(a: &BigRational, b: &BigRational) -> BigRational {
    if a.numer().is_zero() || b.numer().is_zero() {
        return BigRational::zero();
    }
    if a.denom().is_one() && b.denom().is_one() {
        return BigRational::from_integer(a.numer() * b.numer());
    }
    let g1 = gcd(a.numer(), b.denom());
    let g2 = gcd(b.numer(), a.denom());
    BigRational::new_raw((a.numer() / &g1) * (b.numer() / &g2), (a.denom() / &g2) * (b.denom() / &g1))
}

/// The greatest common divisor (non-negative) by Lehmer's form of Euclid's
/// algorithm (Knuth, TAOCP 4.5.2, Algorithm L), with a shortcut for 1 and a
/// machine-word finish. Linear in the bits when one operand is small, where
/// the binary gcd is quadratic; and for two large operands it does about 30
/// quotient steps per pass over the numbers, where plain Euclid does one
/// (expanding a power of a 40-digit-long sum took 7 s with it).
fn gcd(a: &BigInt, b: &BigInt) -> BigInt {
    if a.magnitude().is_one() || b.magnitude().is_one() {
        return BigInt::one();
    }
    let (mut a, mut b) = (a.magnitude().clone(), b.magnitude().clone());
    if a < b {
        std::mem::swap(&mut a, &mut b);
    }
    while !b.is_zero() {
        if let (Some(x), Some(y)) = (a.to_u64(), b.to_u64()) {
            return BigInt::from(x.gcd(&y));
        }
        let (la, lb) = (a.bits(), b.bits());
        let (cofactors, steps) =
            if la > 64 && la - lb < 32 { lehmer_steps(&a, &b, la - 62) } else { ([1, 0, 0, 1], 0) };
        if steps == 0 || cofactors[1] == 0 {
            let r = &a % &b;
            a = b;
            b = r;
            continue;
        }
        // [a, b] ← [[A, B], [C, D]]·[a, b]: a unimodular step, so the gcd
        // stays; the quotients agreed, so these are Euclid's remainders.
        let [ca, cb, cc, cd] = cofactors;
        let (sa, sb) = (BigInt::from(a), BigInt::from(b));
        let next_a = &sa * ca + &sb * cb;
        let next_b = &sa * cc + &sb * cd;
        a = next_a.into_parts().1;
        b = next_b.into_parts().1;
        if a < b {
            std::mem::swap(&mut a, &mut b);
        }
    }
    BigInt::from(a)
}

/// The cofactors of Lehmer's inner loop on the leading 62 bits of `a ≥ b`
/// (both shifted right by `shift`), and how many quotient steps they make.
fn lehmer_steps(a: &num_bigint::BigUint, b: &num_bigint::BigUint, shift: u64) -> ([i128; 4], u32) {
    let (Some(x), Some(y)) = ((a >> shift).to_u64(), (b >> shift).to_u64()) else {
        return ([1, 0, 0, 1], 0);
    };
    let (mut x, mut y) = (i128::from(x), i128::from(y));
    let (mut ca, mut cb, mut cc, mut cd) = (1i128, 0i128, 0i128, 1i128);
    let mut steps = 0;
    while y + cc != 0 && y + cd != 0 {
        let q = (x + ca) / (y + cc);
        if q != (x + cb) / (y + cd) {
            break;
        }
        (ca, cc) = (cc, ca - q * cc);
        (cb, cd) = (cd, cb - q * cd);
        (x, y) = (y, x - q * y);
        steps += 1;
    }
    ([ca, cb, cc, cd], steps)
}

fn checked_add(a: &Ratio<i64>, b: &Ratio<i64>) -> Option<Ratio<i64>> {
    if *a.denom() == 1 && *b.denom() == 1 {
        let n = a.numer().checked_add(*b.numer())?;
        return (n != i64::MIN).then(|| Ratio::new_raw(n, 1));
    }
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
    if *a.denom() == 1 && *b.denom() == 1 {
        let n = a.numer().checked_mul(*b.numer())?;
        return (n != i64::MIN).then(|| Ratio::new_raw(n, 1));
    }
    let g1 = a.numer().gcd(b.denom());
    let g2 = b.numer().gcd(a.denom());
    let (g1, g2) = (if g1 == 0 { 1 } else { g1 }, if g2 == 0 { 1 } else { g2 });
    let n = (a.numer() / g1).checked_mul(b.numer() / g2)?;
    let d = (a.denom() / g2).checked_mul(b.denom() / g1)?;
    ratio_checked(n, d)
}

/// `n/d` in lowest terms with a positive denominator, for `d != 0` and
/// neither `i64::MIN`: what `Ratio::new` gives, by a binary gcd that skips
/// the divisions when it is 1 (the common case for sums and products).
fn reduced(mut n: i64, mut d: i64) -> Ratio<i64> {
    if d < 0 {
        n = -n;
        d = -d;
    }
    if d == 1 || n == 0 {
        return Ratio::new_raw(if n == 0 { 0 } else { n }, if n == 0 { 1 } else { d });
    }
    let (mut a, mut b) = (n.unsigned_abs(), d.unsigned_abs());
    let shift = (a | b).trailing_zeros();
    a >>= a.trailing_zeros();
    loop {
        b >>= b.trailing_zeros();
        if a > b {
            std::mem::swap(&mut a, &mut b);
        }
        b -= a;
        if b == 0 {
            break;
        }
    }
    let g = (a << shift) as i64;
    if g == 1 { Ratio::new_raw(n, d) } else { Ratio::new_raw(n / g, d / g) }
}

fn ratio_checked(n: i64, d: i64) -> Option<Ratio<i64>> {
    if n == i64::MIN || d == i64::MIN || d == 0 {
        return None;
    }
    Some(reduced(n, d))
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
            // Denominators are positive: compare the cross products exactly.
            (Repr::Small(a), Repr::Small(b)) => {
                if a.denom() == b.denom() {
                    a.numer().cmp(b.numer())
                } else {
                    (i128::from(*a.numer()) * i128::from(*b.denom()))
                        .cmp(&(i128::from(*b.numer()) * i128::from(*a.denom())))
                }
            }
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
        // Factors 2 and 5 cancel against the power of ten, in lowest terms.
        assert_eq!(Q::parse_decimal("0.0009765625").unwrap(), Q::new(1, 1024));
        assert_eq!(Q::parse_decimal("-2.50").unwrap(), Q::new(-5, 2));
        assert_eq!(Q::parse_decimal("0.00").unwrap(), Q::zero());
        assert_eq!(Q::parse_decimal("12.5e-3").unwrap(), Q::new(1, 80));
        let digits = format!("0.{}", "3".repeat(300));
        let third = BigRational::new(BigInt::from(10).pow(300) / 3, BigInt::from(10).pow(300));
        assert_eq!(Q::parse_decimal(&digits).unwrap(), Q::from_big(third));
    }

    #[test]
    fn big_arithmetic_agrees_with_num_rational() {
        let values: Vec<BigRational> = [(1, 1), (-3, 7), (6, 4), (0, 1), (5, 12), (-1, 1)]
            .iter()
            .flat_map(|&(n, d)| {
                let big = BigInt::from(10).pow(30) + BigInt::from(7);
                [
                    BigRational::new(BigInt::from(n), BigInt::from(d)),
                    BigRational::new(BigInt::from(n) * &big, BigInt::from(d)),
                    BigRational::new(BigInt::from(n), BigInt::from(d) * &big),
                ]
            })
            .collect();
        for a in &values {
            for b in &values {
                assert_eq!(big_add(a, b), a + b, "{a} + {b}");
                assert_eq!(big_mul(a, b), a * b, "{a} * {b}");
            }
        }
        assert_eq!(gcd(&BigInt::from(-12), &BigInt::from(18)), BigInt::from(6));
        assert_eq!(gcd(&BigInt::from(0), &BigInt::from(-5)), BigInt::from(5));
        // Lehmer's steps against num-integer's gcd, on numbers of many sizes
        // with large common factors.
        let mut state = 0x006b_6f62_6169_u64;
        let mut next = |words: usize| {
            let mut n = BigInt::zero();
            for _ in 0..words {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                n = (n << 64) + BigInt::from(state >> 1);
            }
            n
        };
        for (wa, wb, wc) in [(1, 1, 1), (3, 2, 1), (5, 5, 2), (12, 11, 4), (40, 40, 9), (2, 30, 1), (60, 59, 0)] {
            for _ in 0..4 {
                let common = next(wc) + 1;
                let (x, y) = (next(wa) * &common, next(wb) * &common);
                assert_eq!(gcd(&x, &y), Integer::gcd(&x, &y), "{x} {y}");
                assert_eq!(gcd(&y, &-&x), Integer::gcd(&x, &y), "{y} {x}");
            }
        }
        let fib = |n: usize| (0..n).fold((BigInt::zero(), BigInt::one()), |(a, b), _| (b.clone(), a + b)).0;
        assert_eq!(gcd(&fib(3000), &fib(3001)), BigInt::one());
    }

    #[test]
    fn decimal_strings() {
        assert_eq!(Q::new(5, 2).to_decimal_string(16), "2.5");
        assert_eq!(Q::new(-1, 8).terminating_decimal().as_deref(), Some("-0.125"));
        assert_eq!(Q::new(2, 3).to_decimal_string(4), "0.6667");
        assert_eq!(Q::from(i64::MAX).add(&Q::one()).to_f64(), 9223372036854775808.0);
    }
}
