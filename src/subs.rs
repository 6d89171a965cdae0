//! Substitution and evaluation.

use std::collections::HashMap;

use crate::error::{Error, Result};
use crate::expr::{Expr, FOLD_POWER_BITS, Func, Node};
use crate::limits::Limits;
use crate::number::Q;
use crate::symbol::Symbol;
use crate::syntax::lower::{checked_pow, read_with};

/// Variable bindings such as `x1=2, target=5`, applied simultaneously.
pub type Bindings = Vec<(Symbol, Expr)>;

/// Reads bindings written `name=value, name=value` (values are expressions;
/// commas inside brackets belong to the value).
///
/// ```
/// let b = kobai::parse_bindings("x1=2, target=5/2", &kobai::Limits::default()).unwrap();
/// assert_eq!(b[1].0.name(), "target");
/// assert_eq!(b[1].1.to_string(), "5/2");
/// assert!(kobai::parse_bindings("x1", &kobai::Limits::default()).is_err());
/// ```
pub fn parse_bindings(text: &str, limits: &Limits) -> Result<Bindings> {
    let mut out = Vec::new();
    let mut depth = 0i64;
    let mut start = 0;
    let mut pieces = Vec::new();
    for (i, ch) in text.char_indices() {
        match ch {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                pieces.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    pieces.push(&text[start..]);
    for piece in pieces {
        let piece = piece.trim();
        if piece.is_empty() {
            continue;
        }
        let Some((name, value)) = piece.split_once('=') else {
            return Err(Error::Usage { message: format!("expected `name=value` in `{piece}`") });
        };
        let name = name.trim();
        let valid_name = name.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_alphanumeric() || c == '_');
        if !valid_name {
            return Err(Error::Usage { message: format!("`{name}` is not a variable name (in `{piece}`)") });
        }
        let value = read_with(value, limits).map_err(|e| Error::Usage {
            message: format!("the value of `{name}` in `{piece}` is not a formula: {e}"),
        })?;
        out.push((Symbol::new(name), value));
    }
    Ok(out)
}

/// Replaces variables by expressions, all at once, and re-simplifies.
/// Substituting can reveal undefined values (`1/x` at `x=0`), which are errors.
///
/// ```
/// use kobai::{read, subs, Symbol};
/// let e = read("(w1*x1 - target)^2").unwrap();
/// let at = vec![(Symbol::new("x1"), read("2").unwrap()), (Symbol::new("target"), read("5").unwrap())];
/// assert_eq!(subs(&e, &at).unwrap().to_string(), "(2*w1 - 5)^2");
/// assert!(subs(&read("1/x").unwrap(), &[(Symbol::new("x"), read("0").unwrap())]).is_err());
/// ```
pub fn subs(e: &Expr, bindings: &[(Symbol, Expr)]) -> Result<Expr> {
    let map: HashMap<Symbol, &Expr> = bindings.iter().map(|(s, v)| (*s, v)).collect();
    subs_map(e, &map)
}

fn subs_map(e: &Expr, map: &HashMap<Symbol, &Expr>) -> Result<Expr> {
    match e.node() {
        Node::Num(_) => Ok(e.clone()),
        Node::Sym(s) => Ok(map.get(s).map_or_else(|| e.clone(), |v| (*v).clone())),
        Node::Sum { constant, terms } => {
            let mut items = Vec::with_capacity(terms.len());
            for (t, c) in terms {
                items.push((subs_map(t, map)?, c.clone()));
            }
            Ok(Expr::weighted_sum(constant.clone(), items))
        }
        Node::Product { coeff, factors } => {
            let mut items = Vec::with_capacity(factors.len() + 1);
            items.push(Expr::num(coeff.clone()));
            for (b, x) in factors {
                items.push(checked_pow(&subs_map(b, map)?, &subs_map(x, map)?, None)?);
            }
            Ok(Expr::product(items))
        }
        Node::Pow(b, x) => checked_pow(&subs_map(b, map)?, &subs_map(x, map)?, None),
        Node::Call(f, a) => {
            let a = subs_map(a, map)?;
            if *f == Func::Ln
                && let Some(q) = a.as_num()
                && (q.is_zero() || q.is_negative())
            {
                return Err(Error::Undefined { span: None, what: format!("ln({q})") });
            }
            Ok(Expr::call(*f, &a))
        }
    }
}

/// The result of evaluating: the exact simplified value, and a decimal
/// approximation when the value is a number that is not rational.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The exact result: a rational, or the simplified expression.
    pub exact: Expr,
    /// `Some` when `exact` has no variables but is not a rational
    /// (`exp(1)`, `sqrt(2)`): its value in floating point, approximate.
    pub approx: Option<f64>,
}

/// Substitutes and evaluates as far as exactness allows.
///
/// ```
/// use kobai::{eval, parse_bindings, read, Limits};
/// let l = Limits::default();
/// let r = eval(&read("4*w1^2 - 20*w1 + 25").unwrap(), &parse_bindings("w1=5/2", &l).unwrap(), &l).unwrap();
/// assert!(r.exact.is_zero());
/// let r = eval(&read("sqrt(2)").unwrap(), &[], &l).unwrap();
/// assert!((r.approx.unwrap() - 1.4142135623730951).abs() < 1e-15);
/// ```
pub fn eval(e: &Expr, bindings: &[(Symbol, Expr)], limits: &Limits) -> Result<Evaluation> {
    let exact = fold_large_powers(&subs(e, bindings)?, limits)?;
    if exact.as_num().is_some() || !exact.symbols().is_empty() {
        return Ok(Evaluation { exact, approx: None });
    }
    let approx = approximate(&exact, limits)?;
    Ok(Evaluation { exact, approx: Some(approx) })
}

/// Computes the integer powers of numbers that the constructors leave
/// unevaluated because they are large (`2^100000`), up to
/// `limits.max_number_bits`; beyond it, a limit error.
fn fold_large_powers(e: &Expr, limits: &Limits) -> Result<Expr> {
    let power = |b: &Expr, x: &Expr| -> Result<Expr> {
        let (b, x) = (fold_large_powers(b, limits)?, fold_large_powers(x, limits)?);
        if let (Some(bq), Some(k)) = (b.as_num(), x.as_num().filter(|q| q.is_integer())) {
            let too_large = || Error::Limit {
                what: "size of a number",
                limit: limits.max_number_bits,
                reached: format!("{}^{k} has more bits than that", short_number(bq)),
                flag: "--max-number-bits",
            };
            let k = k.to_i64().ok_or_else(too_large)?;
            if bq.pow_would_exceed(k, limits.max_number_bits) {
                return Err(too_large());
            }
            return match bq.pow(k) {
                Some(q) => Ok(Expr::num(q)),
                None => Err(Error::DivisionByZero { span: None }),
            };
        }
        Ok(Expr::pow(&b, &x))
    };
    match e.node() {
        Node::Num(_) | Node::Sym(_) => Ok(e.clone()),
        Node::Sum { constant, terms } => {
            let mut items = Vec::with_capacity(terms.len());
            for (t, c) in terms {
                items.push((fold_large_powers(t, limits)?, c.clone()));
            }
            Ok(Expr::weighted_sum(constant.clone(), items))
        }
        Node::Product { coeff, factors } => {
            let mut items = vec![Expr::num(coeff.clone())];
            for (b, x) in factors {
                items.push(power(b, x)?);
            }
            Ok(Expr::product(items))
        }
        Node::Pow(b, x) => power(b, x),
        Node::Call(f, a) => Ok(Expr::call(*f, &fold_large_powers(a, limits)?)),
    }
}

/// Evaluates a variable-free expression in floating point, refusing values
/// that are not real or too large.
fn approximate(e: &Expr, limits: &Limits) -> Result<f64> {
    let value = match e.node() {
        Node::Num(q) => q.to_f64(),
        Node::Sym(s) => {
            return Err(Error::Usage { message: format!("`{s}` has no value") });
        }
        Node::Sum { constant, terms } => {
            let mut acc = constant.to_f64();
            for (t, c) in terms {
                acc += c.to_f64() * approximate(t, limits)?;
            }
            acc
        }
        Node::Product { coeff, factors } => {
            let mut acc = coeff.to_f64();
            for (b, x) in factors {
                acc *= power(b, x, limits)?;
            }
            acc
        }
        Node::Pow(b, x) => power(b, x, limits)?,
        Node::Call(f, a) => {
            let v = approximate(a, limits)?;
            match f {
                Func::Exp => v.exp(),
                Func::Ln => {
                    if v <= 0.0 {
                        return Err(Error::Undefined { span: None, what: format!("ln({})", crate::print::text(a)) });
                    }
                    v.ln()
                }
                Func::Sin => v.sin(),
                Func::Cos => v.cos(),
                Func::Tan => v.tan(),
                Func::Tanh => v.tanh(),
                Func::Sigmoid => 1.0 / (1.0 + (-v).exp()),
                Func::Abs => v.abs(),
                Func::Sign => {
                    if v == 0.0 {
                        0.0
                    } else {
                        v.signum()
                    }
                }
            }
        }
    };
    if value.is_finite() {
        Ok(value)
    } else {
        Err(Error::Limit {
            what: "size of a number",
            limit: limits.max_number_bits.min(FOLD_POWER_BITS),
            reached: format!("{} is too large to evaluate", crate::print::text(e)),
            flag: "--max-number-bits",
        })
    }
}

/// A number as written when it is short (in brackets when it is a fraction
/// or negative, as the base of a power), else its size: an error message
/// should not quote a thousand digits.
fn short_number(q: &Q) -> String {
    let bits = q.bits();
    if bits > 128 {
        format!("(a number of {bits} bits)")
    } else if q.is_integer() && !q.is_negative() {
        q.to_string()
    } else {
        format!("({q})")
    }
}

fn power(b: &Expr, x: &Expr, limits: &Limits) -> Result<f64> {
    if let (Some(bq), Some(xq)) = (b.as_num(), x.as_num())
        && xq.is_integer()
    {
        return Err(Error::Limit {
            what: "size of a number",
            limit: FOLD_POWER_BITS,
            reached: format!("{}^{} has more bits than that", short_number(bq), short_number(xq)),
            flag: "--max-number-bits",
        });
    }
    let bv = approximate(b, limits)?;
    // A negative base with a rational exponent of odd denominator has a real
    // value: (-2)^(1/3) = -(2^(1/3)).
    if bv < 0.0
        && let Some(q) = x.as_num()
        && !q.is_integer()
        && q.denom().bit(0)
    {
        let magnitude = (-bv).powf(q.to_f64());
        return Ok(if q.numer().bit(0) { -magnitude } else { magnitude });
    }
    let xv = approximate(x, limits)?;
    if bv < 0.0 && xv.fract() != 0.0 {
        return Err(Error::Undefined {
            span: None,
            what: format!("{} (not a real number)", crate::print::text(&Expr::pow(b, x))),
        });
    }
    Ok(bv.powf(xv))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::number::Q;
    use crate::read;

    #[test]
    fn eval_refuses_what_is_not_real() {
        let l = Limits::default();
        assert!(matches!(read("sqrt(-1)"), Err(Error::Undefined { .. })));
        let root = Expr::pow(&Expr::int(-1), &Expr::num(Q::new(1, 2)));
        assert!(matches!(eval(&root, &[], &l), Err(Error::Undefined { .. })));
        let at = parse_bindings("x=-1", &l).unwrap();
        assert!(matches!(eval(&read("sqrt(x)").unwrap(), &at, &l), Err(Error::Undefined { .. })));
        assert!(matches!(read("10^10^10"), Err(Error::Limit { .. })));
        let huge = Expr::pow(&Expr::int(10), &Expr::pow(&Expr::int(10), &Expr::int(10)));
        assert!(matches!(eval(&huge, &[], &l), Err(Error::Limit { .. })));
        let at = parse_bindings("x=0", &l).unwrap();
        assert!(matches!(eval(&read("ln(x)").unwrap(), &at, &l), Err(Error::Undefined { .. })));
        let q: Q = Q::new(1, 2);
        assert_eq!(eval(&read("x/2").unwrap(), &parse_bindings("x=1", &l).unwrap(), &l).unwrap().exact, Expr::num(q));
    }
}
