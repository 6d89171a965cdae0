//! Lowering: `Ast` to canonical `Expr`. Subtraction, division, unary minus,
//! brackets, `sqrt`, `log` and `e` exist only in the `Ast`; here they become
//! sums, products, powers and calls.

use super::ast::{Ast, AstKind};
use super::span::Span;
use crate::error::{Error, Result};
use crate::expr::{Expr, Func};
use crate::limits::Limits;
use crate::number::Q;

/// Lowers a parsed expression to its canonical form.
///
/// ```
/// let ast = kobai::parse("((2*w1)-5)^2").unwrap();
/// assert_eq!(kobai::lower(&ast).unwrap().to_string(), "(2*w1 - 5)^2");
/// assert!(kobai::lower(&kobai::parse("x/(1-1)").unwrap()).is_err());
/// ```
pub fn lower(ast: &Ast) -> Result<Expr> {
    match &ast.kind {
        AstKind::Number { value, .. } => Ok(Expr::num(value.clone())),
        // `e` is Euler's number, as in `e^x`; it lowers to exp(1).
        AstKind::Name(n) if n == "e" => Ok(Expr::call(Func::Exp, &Expr::one())),
        AstKind::Name(n) => Ok(Expr::symbol(n)),
        AstKind::Neg(a) => Ok(Expr::neg(&lower(a)?)),
        AstKind::Plus(a) | AstKind::Group(_, a) => lower(a),
        AstKind::Add(..) | AstKind::Sub(..) => lower_sum(ast),
        AstKind::Mul(..) | AstKind::Div(..) => lower_product(ast),
        AstKind::Pow(b, x) => {
            let base = lower(b)?;
            let exp = lower(x)?;
            checked_pow(&base, &exp, Some(ast.span))
        }
        AstKind::Call { name, args, name_span } => lower_call(name, *name_span, args, ast.span),
    }
}

/// Parses and lowers `text` with the default limits.
///
/// ```
/// assert_eq!(kobai::read("2*x*3").unwrap().to_string(), "6*x");
/// ```
pub fn read(text: &str) -> Result<Expr> {
    read_with(text, &Limits::default())
}

/// Parses and lowers `text` with the given limits.
///
/// ```
/// let limits = kobai::Limits::default().with_max_depth(3);
/// assert!(kobai::read_with("((((x))))", &limits).is_err());
/// ```
pub fn read_with(text: &str, limits: &Limits) -> Result<Expr> {
    // Long sums of monomials, as pasted data, skip the syntax tree.
    if let Some(e) = super::parse::read_flat_sum(text, limits) {
        return Ok(e);
    }
    let e = lower(&super::parse::parse_with(text, limits)?)?;
    check_number_bits(&e, limits)?;
    Ok(e)
}

/// [`read_with`] on the right side of an equation, with `before` in front
/// of it on the line (for column numbers in messages).
fn read_piece(before: &str, text: &str, limits: &Limits) -> Result<Expr> {
    if let Some(e) = super::parse::read_flat_sum(text, limits) {
        return Ok(e);
    }
    let e = lower(&super::parse::parse_piece(before, text, limits)?)?;
    check_number_bits(&e, limits)?;
    Ok(e)
}

/// Refuses an expression holding a number of more than
/// `limits.max_number_bits` bits. Lowering folds numeric powers (`888^-8888`
/// is a fraction of 87,000 bits) without knowing the limits, and every later
/// step multiplies such numbers: they are refused where they enter.
pub(crate) fn check_number_bits(e: &Expr, limits: &Limits) -> Result<()> {
    let bits = e.largest_number_bits();
    if bits > limits.max_number_bits {
        return Err(Error::Limit {
            what: "size of a number",
            limit: limits.max_number_bits,
            reached: if bits == u64::MAX {
                "a number of more than 2^64 bits".to_string()
            } else {
                format!("a number of {bits} bits")
            },
            flag: "--max-number-bits",
        });
    }
    // A power of a number too large to compute is kept as a power, and such
    // powers have no single canonical form beside other numbers
    // (7911^-15872/7911 against 7911^-15873): they are refused.
    let unevaluated = e.largest_unevaluated_power_bits();
    if unevaluated > crate::expr::FOLD_POWER_BITS {
        return Err(Error::Unsupported {
            reason: format!(
                "a power of a number of about {unevaluated} bits: kobai computes powers of numbers exactly up \
                 to {} bits",
                crate::expr::FOLD_POWER_BITS
            ),
        });
    }
    Ok(())
}

/// `base^exp`, refusing the undefined numeric cases `0^0` and `0^-k`.
pub(crate) fn checked_pow(base: &Expr, exp: &Expr, span: Option<Span>) -> Result<Expr> {
    if base.is_zero()
        && let Some(q) = exp.as_num()
    {
        if q.is_zero() {
            return Err(Error::Undefined { span, what: "0^0".into() });
        }
        if q.is_negative() {
            return Err(Error::DivisionByZero { span });
        }
    }
    // kobai works over the reals: an even root of a negative number is not a
    // number, and merging two of them (sqrt(-1)·sqrt(-1) = -1) would invent one.
    if let (Some(b), Some(q)) = (base.as_num(), exp.as_num())
        && b.is_negative()
        && !q.is_integer()
        && !q.denom().bit(0)
    {
        let shown = crate::print::text(&Expr::pow(base, exp));
        return Err(Error::Undefined { span, what: format!("{shown} (not a real number)") });
    }
    Ok(Expr::pow(base, exp))
}

/// Walks the left spine of a chain of `+`/`-` without recursing on it, so a
/// sum of a hundred thousand terms lowers in constant stack.
fn lower_sum(ast: &Ast) -> Result<Expr> {
    let mut parts: Vec<(Q, &Ast)> = Vec::new();
    let mut node = ast;
    loop {
        match &node.kind {
            AstKind::Add(a, b) => {
                parts.push((Q::one(), b));
                node = a;
            }
            AstKind::Sub(a, b) => {
                parts.push((Q::from(-1), b));
                node = a;
            }
            _ => {
                parts.push((Q::one(), node));
                break;
            }
        }
    }
    let mut items = Vec::with_capacity(parts.len());
    for (sign, part) in parts.into_iter().rev() {
        items.push((lower(part)?, sign));
    }
    Ok(Expr::weighted_sum(Q::zero(), items))
}

/// As [`lower_sum`], for chains of `*`, `/` and implicit products.
fn lower_product(ast: &Ast) -> Result<Expr> {
    let mut parts: Vec<(bool, &Ast)> = Vec::new();
    let mut node = ast;
    loop {
        match &node.kind {
            AstKind::Mul(a, b, _) => {
                parts.push((false, b));
                node = a;
            }
            AstKind::Div(a, b) => {
                parts.push((true, b));
                node = a;
            }
            _ => {
                parts.push((false, node));
                break;
            }
        }
    }
    let mut items = Vec::with_capacity(parts.len());
    for (divide, part) in parts.into_iter().rev() {
        let e = lower(part)?;
        if divide {
            if e.is_zero() {
                return Err(Error::DivisionByZero { span: Some(part.span) });
            }
            items.push(Expr::pow(&e, &Expr::int(-1)));
        } else {
            items.push(e);
        }
    }
    Ok(Expr::product(items))
}

fn lower_call(name: &str, name_span: Span, args: &[Ast], span: Span) -> Result<Expr> {
    let arity = |expected: &str| Error::Arity {
        span,
        name: name.to_string(),
        expected: expected.to_string(),
        found: args.len(),
    };
    let lowered: Vec<Expr> = args.iter().map(lower).collect::<Result<_>>()?;
    match (name, lowered.as_slice()) {
        ("sqrt", [x]) => checked_pow(x, &Expr::num(Q::new(1, 2)), Some(span)),
        ("log" | "ln", [x]) => ln(x, args.first().map_or(span, |a| a.span)),
        ("log", [x, b]) => {
            let num = ln(x, args.first().map_or(span, |a| a.span))?;
            let den = ln(b, args.get(1).map_or(span, |a| a.span))?;
            if den.is_zero() {
                return Err(Error::DivisionByZero { span: args.get(1).map(|a| a.span) });
            }
            Ok(Expr::div(&num, &den))
        }
        ("log", _) => Err(arity("1 or 2 arguments")),
        (_, [x]) => match Func::from_name(name) {
            Some(f) => Ok(Expr::call(f, x)),
            None => Err(Error::UnknownFunction { span: name_span, name: name.to_string(), suggestion: None }),
        },
        _ => Err(arity("1 argument")),
    }
}

fn ln(x: &Expr, span: Span) -> Result<Expr> {
    match x.as_num() {
        Some(q) if !q.is_negative() && q.is_zero() => Err(Error::Undefined { span: Some(span), what: "ln(0)".into() }),
        Some(q) if q.is_negative() => {
            Err(Error::Undefined { span: Some(span), what: format!("ln({q}) (a real logarithm of a negative number)") })
        }
        _ => Ok(Expr::call(Func::Ln, x)),
    }
}

/// Reads an equation `lhs = rhs` as the expression `lhs - rhs`; text without
/// `=` is read as `expr = 0`. Error spans point into the whole text.
///
/// ```
/// let l = kobai::Limits::default();
/// assert_eq!(kobai::read_equation("8*w1 - 20 = 0", &l).unwrap().to_string(), "8*w1 - 20");
/// assert_eq!(kobai::read_equation("x^2 = 2", &l).unwrap().to_string(), "x^2 - 2");
/// let err = kobai::read_equation("x = 2*", &l).unwrap_err();
/// assert_eq!(err.span().unwrap().start, 6);
/// assert!(kobai::read_equation("x = 1 = 2", &l).is_err());
/// ```
pub fn read_equation(text: &str, limits: &Limits) -> Result<Expr> {
    let mut depth = 0i64;
    let mut signs = Vec::new();
    for (i, ch) in text.char_indices() {
        match ch {
            '(' | '[' | '{' | '（' | '［' | '｛' => depth += 1,
            ')' | ']' | '}' | '）' | '］' | '｝' => depth -= 1,
            '=' | '＝' if depth == 0 => signs.push((i, ch.len_utf8())),
            _ => {}
        }
    }
    match signs.as_slice() {
        [] => read_with(text, limits),
        [(at, width)] => {
            let rest = at + width;
            let lhs = read_with(&text[..*at], limits)?;
            let rhs = read_piece(&text[..rest], &text[rest..], limits).map_err(|e| e.shifted(rest))?;
            Ok(Expr::sub(&lhs, &rhs))
        }
        [_, (second, width), ..] => Err(Error::Parse {
            span: Span::new(*second, second + width),
            expected: "one `=` at most".into(),
            message: "an equation has one `=`; write several equations as separate arguments".into(),
        }),
    }
}
