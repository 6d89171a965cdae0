//! Helpers shared by the fuzz targets: small limits, the exact points the
//! oracles evaluate at, and an independent exact evaluator of the `Ast`.
//!
//! Each target includes this file with `#[path = "common.rs"] mod common;`,
//! so not every target uses every helper.
#![allow(dead_code)]

use kobai::{Ast, AstKind, Expr, Limits, Q, Symbol, subs};

/// Limits small enough that one input is done in milliseconds: a fuzzer
/// that spends seconds per input finds nothing.
pub fn small_limits() -> Limits {
    Limits::default().with_max_depth(64).with_max_exponent(64).with_max_terms(2_000).with_max_number_bits(4_096)
}

/// Generous limits for reading back printed text: printing may add brackets
/// (and so depth) that the original input did not have.
pub fn reading_limits() -> Limits {
    Limits::default().with_max_depth(100_000).with_max_number_bits(u64::MAX)
}

/// The input as text, or `None` when it is not UTF-8 (the CLI rejects that
/// before the library sees it).
pub fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// Rationals the oracles substitute for the variables: not 0 or ±1 (where
/// many expressions are singular or degenerate), small enough that powers
/// stay cheap.
const POINTS: [(i64, i64); 8] = [(2, 3), (-3, 7), (5, 4), (-7, 5), (11, 13), (3, 1), (-2, 1), (1, 2)];

/// The value each variable gets at point number `k`.
pub fn point(symbols: &[Symbol], k: usize) -> Vec<(Symbol, Expr)> {
    symbols
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (n, d) = POINTS[(i + 3 * k) % POINTS.len()];
            (*s, Expr::num(Q::new(n, d)))
        })
        .collect()
}

/// The exact value of `e` at `at`, when substituting gives a rational.
pub fn value(e: &Expr, at: &[(Symbol, Expr)]) -> Option<Q> {
    subs(e, at).ok().and_then(|v| v.as_num().cloned())
}

/// Asserts that `a` and `b` have equal exact values wherever both are
/// rational, at a few points for the variables of either.
#[track_caller]
pub fn assert_same_values(what: &str, input: &str, a: &Expr, b: &Expr) {
    let mut symbols = a.symbols();
    symbols.extend(b.symbols());
    symbols.sort();
    symbols.dedup();
    for k in 0..3 {
        let at = point(&symbols, k);
        if let (Some(x), Some(y)) = (value(a, &at), value(b, &at)) {
            assert_eq!(x, y, "{what}: {input:?}: {a} and {b} differ at {at:?}");
        }
    }
}

/// What evaluating the `Ast` exactly gave.
pub enum Exact {
    /// A rational value.
    Value(Q),
    /// Undefined there (a division by zero, `0^0`, `ln(0)`).
    Undefined,
    /// Not a rational, or too costly to compute: no opinion.
    Unknown,
}

/// The largest number, in bits, the `Ast` evaluator computes.
const EVAL_BITS: u64 = 20_000;

/// Evaluates the `Ast` as written, with exact rationals, without lowering
/// it: an oracle for what lowering (and the constructors' simplifications)
/// may do. Names not in `at` and `e` make the value unknown.
pub fn eval_ast(ast: &Ast, at: &[(Symbol, Expr)], depth: usize) -> Exact {
    use Exact::{Undefined, Unknown, Value};
    if depth > 200 {
        return Unknown;
    }
    let ev = |a: &Ast| eval_ast(a, at, depth + 1);
    let both = |a: &Ast, b: &Ast, f: &dyn Fn(Q, Q) -> Exact| match (ev(a), ev(b)) {
        (Value(x), Value(y)) => f(x, y),
        (Undefined, _) | (_, Undefined) => Undefined,
        _ => Unknown,
    };
    match &ast.kind {
        AstKind::Number { value, .. } => Value(value.clone()),
        AstKind::Name(n) => {
            at.iter().find(|(s, _)| s.name() == n).and_then(|(_, v)| v.as_num().cloned()).map_or(Unknown, Value)
        }
        AstKind::Neg(a) => match ev(a) {
            Value(q) => Value(q.neg()),
            other => other,
        },
        AstKind::Plus(a) | AstKind::Group(_, a) => ev(a),
        AstKind::Add(a, b) => both(a, b, &|x, y| Value(x.add(&y))),
        AstKind::Sub(a, b) => both(a, b, &|x, y| Value(x.sub(&y))),
        AstKind::Mul(a, b, _) => both(a, b, &|x, y| Value(x.mul(&y))),
        AstKind::Div(a, b) => both(a, b, &|x, y| x.div(&y).map_or(Undefined, Value)),
        AstKind::Pow(a, b) => both(a, b, &power),
        AstKind::Call { name, args, .. } => {
            let vals: Vec<Exact> = args.iter().map(ev).collect();
            if vals.iter().any(|v| matches!(v, Undefined)) {
                return Undefined;
            }
            let qs: Vec<Q> = vals
                .into_iter()
                .filter_map(|v| match v {
                    Value(q) => Some(q),
                    _ => None,
                })
                .collect();
            if qs.len() != args.len() {
                return Unknown;
            }
            call(name, &qs)
        }
    }
}

fn power(base: Q, exp: Q) -> Exact {
    use Exact::{Undefined, Unknown, Value};
    if base.is_zero() && !exp.is_negative() && !exp.is_zero() {
        return Value(Q::zero());
    }
    if base.is_zero() {
        return Undefined;
    }
    // A rational exponent p/r of a positive base: the exact r-th root, when
    // there is one. Negative bases under fractional exponents have no
    // agreed real value here (principal or real root), so no opinion.
    let denom = exp.denom();
    let Some(r) = num_traits::ToPrimitive::to_u32(&denom) else { return Unknown };
    let base = if r == 1 {
        base
    } else if base.is_negative() || r > 16 {
        return Unknown;
    } else {
        match base.exact_root(r) {
            Some(root) => root,
            None => return Unknown,
        }
    };
    let Some(p) = num_traits::ToPrimitive::to_i64(&exp.numer()) else { return Unknown };
    if base.pow_would_exceed(p, EVAL_BITS) {
        return Unknown;
    }
    base.pow(p).map_or(Undefined, Value)
}

fn call(name: &str, args: &[Q]) -> Exact {
    use Exact::{Undefined, Unknown, Value};
    let [x] = args else {
        return Unknown;
    };
    match name {
        "abs" => Value(x.abs()),
        "sign" => Value(Q::from(i64::from(x.signum()))),
        "sqrt" if x.is_negative() => Undefined,
        "sqrt" => x.exact_root(2).map_or(Unknown, Value),
        "ln" | "log" if x.is_zero() || x.is_negative() => Undefined,
        "ln" | "log" if x.is_one() => Value(Q::zero()),
        "exp" | "cos" if x.is_zero() => Value(Q::one()),
        "sin" | "tan" | "tanh" if x.is_zero() => Value(Q::zero()),
        "sigmoid" if x.is_zero() => Value(Q::new(1, 2)),
        _ => Unknown,
    }
}

/// Asserts that lowering kept the value of what was written, at a few
/// points, wherever both are rational.
#[track_caller]
pub fn assert_lowering_keeps_values(input: &str, ast: &Ast, lowered: &Expr) {
    let symbols = lowered.symbols();
    for k in 0..3 {
        let at = point(&symbols, k);
        if let (Exact::Value(x), Some(y)) = (eval_ast(ast, &at, 0), value(lowered, &at)) {
            assert_eq!(x, y, "lowering {input:?} to {lowered} changed its value at {at:?}");
        }
    }
}

/// Asserts that the plain text form of `e` reads back to `e`.
#[track_caller]
pub fn assert_text_round_trip(what: &str, input: &str, e: &Expr) {
    let printed = kobai::text(e);
    match kobai::read_with(&printed, &reading_limits()) {
        Ok(back) => assert!(back == *e, "{what}: {input:?}: {e:?} prints as {printed:?}, which reads back as {back:?}"),
        Err(err) => panic!("{what}: {input:?}: {e:?} prints as {printed:?}, which does not read back: {err}"),
    }
}
