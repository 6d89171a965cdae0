//! Claims as a learner writes them: `A = B`, `d/dx E = B` (also `∂/∂x`,
//! `d^2/dx^2`, `d²/dx²`), `diff(E, x) = B`, `diff(E, x, 2) = B`, and
//! `solve(EQUATION, x) = v` (several values separated by commas, optionally
//! in braces).
//!
//! The operators are not part of the expression grammar: they are recognized
//! here, on the text, and the pieces between them are read with
//! [`read_with`]. Errors in a piece have their spans moved so that they point
//! into the whole claim.

use num_traits::ToPrimitive;

use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::limits::Limits;
use crate::solve::stationary::{Coordinate, Solutions, SolveOptions, solve_equations};
use crate::subs::subs;
use crate::symbol::Symbol;
use crate::syntax::ast::{Ast, AstKind};
use crate::syntax::lower::lower;
use crate::syntax::parse::parse_with;
use crate::syntax::span::Span;

use super::interval::Arith;
use super::{
    CheckOptions, Context, EqualityReport, SAMPLE_BITS, SideValue, Written, compare, derivative_within, is_zero,
    side_value,
};

/// The report on one claim.
///
/// ```
/// use kobai::{check_claim, CheckOptions, ClaimReport};
/// let o = CheckOptions::default();
/// assert!(check_claim("d/dx (x^3 - 4*x) = 3*x^2 - 4", &o)?.holds());
/// assert!(check_claim("solve(6*a - 4 = 0, a) = 2/3", &o)?.holds());
/// assert!(!check_claim("(a + b)^2 = a^2 + b^2", &o)?.holds());
/// # Ok::<(), kobai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum ClaimReport {
    /// `A = B`.
    Equality(EqualityReport),
    /// `d^n/dx^n E = B`: the report compares the derivative with `B`.
    Derivative {
        /// `E`.
        function: Expr,
        /// `x`.
        var: Symbol,
        /// `n`.
        order: u32,
        /// The derivative (its `left`) against the claimed one.
        report: EqualityReport,
    },
    /// `solve(EQUATION, x) = v`.
    Solution(SolutionReport),
}

impl ClaimReport {
    /// True when the claim holds (proven, or agreeing at every sample).
    ///
    /// ```
    /// let o = kobai::CheckOptions::default();
    /// assert!(!kobai::check_claim("diff(x^2, x) = x", &o)?.holds());
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn holds(&self) -> bool {
        match self {
            ClaimReport::Equality(r) | ClaimReport::Derivative { report: r, .. } => r.holds(),
            ClaimReport::Solution(s) => s.holds(),
        }
    }
}

/// One claimed value of `solve(...)`, checked.
///
/// ```
/// use kobai::{check_claim, CheckOptions, ClaimReport};
/// let ClaimReport::Solution(s) = check_claim("solve(6*a - 4 = 0, a) = 1/2", &CheckOptions::default())? else { panic!() };
/// assert_eq!(s.values[0].satisfies, Some(false));
/// assert_eq!(s.values[0].residual.as_ref().unwrap().exact.to_string(), "-1");
/// # Ok::<(), kobai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ValueCheck {
    /// The value claimed.
    pub value: Expr,
    /// `lhs − rhs` of the equation at the value; `None` where the equation
    /// is not defined.
    pub residual: Option<SideValue>,
    /// Whether the value satisfies the equation (`None`: undecided).
    pub satisfies: Option<bool>,
}

/// The report on `solve(EQUATION, x) = values`.
///
/// ```
/// use kobai::{check_solution, read, CheckOptions, Symbol};
/// let r = check_solution(&read("x^2 - 4")?, Symbol::new("x"), &[read("2")?], &CheckOptions::default())?;
/// assert!(!r.holds());
/// assert_eq!(r.missing.len(), 1);
/// # Ok::<(), kobai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SolutionReport {
    /// The equation, as `lhs − rhs = 0`.
    pub equation: Expr,
    /// The variable solved for.
    pub var: Symbol,
    /// Each claimed value, checked.
    pub values: Vec<ValueCheck>,
    /// Every real solution, when kobai could solve the equation (`None`
    /// when it could not, so completeness was not checked).
    pub solutions: Option<Vec<Coordinate>>,
    /// True when every value of the variable solves the equation.
    pub every_value: bool,
    /// Solutions that are not among the claimed values.
    pub missing: Vec<Coordinate>,
}

impl SolutionReport {
    /// True when every claimed value is a solution and no solution is missing.
    ///
    /// ```
    /// use kobai::{check_solution, read, CheckOptions, Symbol};
    /// let r = check_solution(&read("6*a - 4")?, Symbol::new("a"), &[read("2/3")?], &CheckOptions::default())?;
    /// assert!(r.holds());
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn holds(&self) -> bool {
        self.values.iter().all(|v| v.satisfies == Some(true)) && self.missing.is_empty() && !self.every_value
    }
}

/// Checks a claim written as text; see the module documentation of
/// [`check_claim`]'s forms. Errors point into `text`.
///
/// ```
/// use kobai::{check_claim, CheckOptions};
/// let o = CheckOptions::default();
/// assert!(check_claim("∂/∂w (w^2 + 3w) = 2w + 3", &o)?.holds());
/// assert!(check_claim("d^2/dx^2 x^4 = 12x^2", &o)?.holds());
/// let err = check_claim("d/dx (x^2 = 2x", &o).unwrap_err();
/// assert!(err.span().is_some());
/// # Ok::<(), kobai::Error>(())
/// ```
pub fn check_claim(text: &str, options: &CheckOptions) -> Result<ClaimReport> {
    let claim = parse_claim(text, &options.limits, None)?;
    run_claim(&claim, options)
}

/// A claim read from text, before checking.
pub(crate) enum Claim {
    Equal { left: Expr, right: Expr, written: Written },
    Derivative { function: Expr, var: Symbol, order: u32, claimed: Expr, written: Written },
    Solve { equation: Expr, var: Symbol, values: Vec<Expr> },
}

pub(crate) fn run_claim(claim: &Claim, options: &CheckOptions) -> Result<ClaimReport> {
    Ok(match claim {
        Claim::Equal { left, right, written } => {
            ClaimReport::Equality(compare(left, right, Context::Equality, written, options)?)
        }
        Claim::Derivative { function, var, order, claimed, written } => ClaimReport::Derivative {
            function: function.clone(),
            var: *var,
            order: *order,
            report: derivative_within(function, *var, *order, claimed, written, options)?,
        },
        Claim::Solve { equation, var, values } => {
            ClaimReport::Solution(check_solution(equation, *var, values, options)?)
        }
    })
}

/// Checks that `values` are exactly the real solutions of `equation = 0`
/// for `var`.
///
/// ```
/// use kobai::{check_solution, read, CheckOptions, Symbol};
/// let o = CheckOptions::default();
/// let r = check_solution(&read("x^2 - 2")?, Symbol::new("x"), &[read("sqrt(2)")?, read("-sqrt(2)")?], &o)?;
/// assert!(r.holds());
/// # Ok::<(), kobai::Error>(())
/// ```
pub fn check_solution(equation: &Expr, var: Symbol, values: &[Expr], options: &CheckOptions) -> Result<SolutionReport> {
    let limits = &options.limits;
    let mut checks = Vec::with_capacity(values.len());
    for v in values {
        let (residual, satisfies) = match subs(equation, &[(var, v.clone())]) {
            Ok(r) => {
                let r = crate::simplify::tidy(&r, limits)?;
                let z = is_zero(&r, limits)?;
                (Some(side_value(&r)), z)
            }
            Err(Error::DivisionByZero { .. } | Error::Undefined { .. }) => (None, Some(false)),
            Err(other) => return Err(other),
        };
        checks.push(ValueCheck { value: v.clone(), residual, satisfies });
    }
    let solve_options = SolveOptions::default().with_limits(*limits);
    let (solutions, every_value) = match solve_equations(std::slice::from_ref(equation), &[var], &solve_options) {
        Ok(Solutions::Finite(points)) => {
            (Some(points.into_iter().filter_map(|p| p.values.into_iter().next().map(|(_, c)| c)).collect()), false)
        }
        Ok(Solutions::Family { .. }) => (None, true),
        Err(Error::Limit { .. } | Error::Unsupported { .. } | Error::Usage { .. }) => (None, false),
        Err(other) => return Err(other),
    };
    let arith = Arith::new(SAMPLE_BITS);
    let approx = |e: &Expr| -> Option<f64> {
        match e.as_num() {
            Some(q) => Some(q.to_f64()),
            None => arith.enclose(e).ok().and_then(|i| i.midpoint().to_f64()),
        }
    };
    let claimed: Vec<f64> =
        checks.iter().filter(|c| c.satisfies == Some(true)).filter_map(|c| approx(&c.value)).collect();
    let missing = solutions
        .iter()
        .flatten()
        .filter(|s: &&Coordinate| {
            let Some(a) = s.approx() else { return false };
            !claimed.iter().any(|c| (c - a).abs() <= 1e-9 * a.abs().max(1.0))
        })
        .cloned()
        .collect();
    Ok(SolutionReport { equation: equation.clone(), var, values: checks, solutions, every_value, missing })
}

fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_name_continue(c: char) -> bool {
    c.is_alphabetic() || c.is_ascii_digit() || c == '_'
}

/// The byte offsets and widths of the `=` signs outside brackets.
pub(crate) fn equals_signs(text: &str) -> Vec<(usize, usize)> {
    let mut depth = 0i64;
    let mut out = Vec::new();
    for (i, ch) in text.char_indices() {
        match ch {
            '(' | '[' | '{' | '（' | '［' | '｛' => depth += 1,
            ')' | ']' | '}' | '）' | '］' | '｝' => depth -= 1,
            '=' | '＝' if depth == 0 => out.push((i, ch.len_utf8())),
            _ => {}
        }
    }
    out
}

fn parse_error(at: usize, width: usize, expected: &str, message: String) -> Error {
    Error::Parse { span: Span::new(at, at + width), expected: expected.to_string(), message }
}

/// Reads `text[start..end]` as an expression, with error spans in `text`,
/// noting in `written` where the text as written is undefined.
pub(crate) fn read_piece(text: &str, start: usize, end: usize, limits: &Limits, written: &mut Written) -> Result<Expr> {
    let piece = text.get(start..end).unwrap_or("");
    if piece.trim().is_empty() {
        return Err(parse_error(start, end - start, "an expression", "an expression is missing here".into()));
    }
    // The piece is read behind blanks as wide as the text before it, so that
    // spans and the columns in messages are those of the whole text.
    let prefix = text.get(..start).unwrap_or("");
    let blanks: Option<String> = prefix
        .chars()
        .map(|c| match c.len_utf8() {
            1 => Some(' '),
            2 => Some('\u{a0}'),
            3 => Some('\u{2002}'),
            _ => None,
        })
        .collect();
    let (ast, shift) = match blanks {
        Some(b) => (parse_with(&(b + piece), limits)?, 0),
        None => (parse_with(piece, limits).map_err(|e| e.shifted(start))?, start),
    };
    note_domain(&ast, written);
    lower(&ast).map_err(|e| e.shifted(shift))
}

/// True when the subtree mentions a variable (`e` is Euler's number).
fn has_variable(ast: &Ast) -> bool {
    match &ast.kind {
        AstKind::Number { .. } => false,
        AstKind::Name(n) => n != "e",
        AstKind::Neg(a) | AstKind::Plus(a) | AstKind::Group(_, a) => has_variable(a),
        AstKind::Add(a, b) | AstKind::Sub(a, b) | AstKind::Mul(a, b, _) | AstKind::Div(a, b) | AstKind::Pow(a, b) => {
            has_variable(a) || has_variable(b)
        }
        AstKind::Call { args, .. } => args.iter().any(has_variable),
    }
}

/// Notes divisions by variables, negative and fractional powers, roots,
/// logarithms and tangents, as written.
fn note_domain(ast: &Ast, written: &mut Written) {
    let denominator = |b: &Ast, written: &mut Written| {
        if let Ok(d) = lower(b)
            && !d.symbols().is_empty()
            && !written.denominators.contains(&d)
        {
            written.denominators.push(d);
        }
    };
    match &ast.kind {
        AstKind::Number { .. } | AstKind::Name(_) => {}
        AstKind::Neg(a) | AstKind::Plus(a) | AstKind::Group(_, a) => note_domain(a, written),
        AstKind::Add(a, b) | AstKind::Sub(a, b) | AstKind::Mul(a, b, _) => {
            note_domain(a, written);
            note_domain(b, written);
        }
        AstKind::Div(a, b) => {
            note_domain(a, written);
            note_domain(b, written);
            if has_variable(b) {
                denominator(b, written);
            }
        }
        AstKind::Pow(b, x) => {
            note_domain(b, written);
            note_domain(x, written);
            if has_variable(b) {
                match lower(x).ok().as_ref().and_then(Expr::as_num) {
                    Some(q) if q.is_integer() && !q.is_negative() => {}
                    Some(q) if q.is_integer() => denominator(b, written),
                    Some(_) | None => written.restricted = true,
                }
            }
        }
        AstKind::Call { name, args, .. } => {
            args.iter().for_each(|a| note_domain(a, written));
            if args.iter().any(has_variable) && matches!(name.as_str(), "sqrt" | "ln" | "log" | "tan") {
                written.restricted = true;
            }
        }
    }
}

/// Splits `text` at its one top-level `=`: the offsets of both sides.
fn split_once_equals(text: &str, start: usize, end: usize, what: &str) -> Result<(usize, usize)> {
    let piece = text.get(start..end).unwrap_or("");
    match equals_signs(piece).as_slice() {
        [(at, width)] => Ok((start + at, start + at + width)),
        [] => {
            // An `=` inside an unclosed bracket: the parser says where the bracket is.
            if piece.contains(['=', '＝']) {
                read_piece(text, start, end, &Limits::default(), &mut Written::default())?;
            }
            Err(parse_error(end, 0, "`=`", format!("{what} needs `=` and the value claimed for it")))
        }
        [_, (second, width), ..] => Err(parse_error(
            start + second,
            *width,
            "one `=`",
            "a claim has one `=`; write a chain of steps as a derivation file (`check --file`)".into(),
        )),
    }
}

/// A derivative operator at the start of a claim: `d/dx`, `∂/∂x`,
/// `d^2/dx^2`, `d²/dx²`, `dL/dw`.
pub(crate) struct Operator {
    /// The variable.
    pub(crate) var: Symbol,
    /// The order.
    pub(crate) order: u32,
    /// `L` in `dL/dw`.
    pub(crate) of: Option<String>,
    /// Where the operator ends (byte offset into the text).
    pub(crate) end: usize,
}

/// An order written after `d`: `^2` or `²`; `None` when there is none.
fn read_order(text: &str, at: usize) -> Result<(Option<u32>, usize)> {
    let rest = text.get(at..).unwrap_or("");
    if let Some(after) = rest.strip_prefix('^') {
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        let end = at + 1 + digits.len();
        let n = digits.parse::<u32>().map_err(|_| {
            parse_error(at + 1, 0, "the order of the derivative", "expected the order after `^`".into())
        })?;
        return Ok((Some(n), end));
    }
    const SUPERSCRIPTS: &str = "⁰¹²³⁴⁵⁶⁷⁸⁹";
    let mut n: Option<u32> = None;
    let mut end = at;
    for c in rest.chars() {
        let Some(d) = SUPERSCRIPTS.chars().position(|s| s == c) else { break };
        let d = u32::try_from(d).unwrap_or(0);
        n = Some(n.unwrap_or(0).saturating_mul(10).saturating_add(d));
        end += c.len_utf8();
    }
    Ok((n, end))
}

fn skip_spaces(text: &str, at: usize) -> usize {
    let rest = text.get(at..).unwrap_or("");
    at + (rest.len() - rest.trim_start().len())
}

fn read_name(text: &str, at: usize) -> (Option<&str>, usize) {
    let rest = text.get(at..).unwrap_or("");
    let mut chars = rest.char_indices();
    match chars.next() {
        Some((_, c)) if is_name_start(c) => {}
        _ => return (None, at),
    }
    let len = rest.char_indices().find(|(_, c)| !is_name_continue(*c)).map_or(rest.len(), |(i, _)| i);
    (rest.get(..len), at + len)
}

/// Recognizes a derivative operator at `start`; `None` when the text there
/// is not one (then it is read as an expression).
pub(crate) fn derivative_operator(text: &str, start: usize) -> Result<Option<Operator>> {
    let at = skip_spaces(text, start);
    let rest = text.get(at..).unwrap_or("");
    let Some(d) = rest.chars().next().filter(|c| *c == 'd' || *c == '∂') else { return Ok(None) };
    let (top, after_order) = read_order(text, at + d.len_utf8())?;
    let (of, after_name) = read_name(text, after_order);
    let after_name = skip_spaces(text, after_name);
    let Some(slash) = text.get(after_name..).and_then(|r| r.chars().next()).filter(|c| *c == '/' || *c == '／') else {
        return Ok(None);
    };
    let below = skip_spaces(text, after_name + slash.len_utf8());
    let Some(d2) = text.get(below..).and_then(|r| r.chars().next()).filter(|c| *c == 'd' || *c == '∂') else {
        return Ok(None);
    };
    let (var, after_var) = read_name(text, below + d2.len_utf8());
    let Some(var) = var else { return Ok(None) };
    let (bottom, end) = read_order(text, after_var)?;
    let order = match (top, bottom) {
        (Some(a), Some(b)) if a != b => {
            return Err(parse_error(
                after_var,
                end - after_var,
                "the same order above and below",
                format!("the order is {a} above the line and {b} below it"),
            ));
        }
        (Some(a), _) | (None, Some(a)) => a,
        (None, None) => 1,
    };
    if order == 0 {
        return Err(parse_error(at, end - at, "an order of at least 1", "a derivative of order 0".into()));
    }
    Ok(Some(Operator { var: Symbol::new(var), order, of: of.map(str::to_string), end }))
}

/// The byte ranges of a call's arguments, and the offset after its `)`.
type Arguments = (Vec<(usize, usize)>, usize);

/// The arguments of a call `name(...)` at `start`. `None` when the text
/// does not start with the call.
fn call_arguments(text: &str, start: usize, name: &str) -> Result<Option<Arguments>> {
    let at = skip_spaces(text, start);
    let Some(after) = text.get(at..).and_then(|r| r.strip_prefix(name)) else { return Ok(None) };
    let open = skip_spaces(text, text.len() - after.len());
    if !text.get(open..).is_some_and(|r| r.starts_with('(')) {
        return Ok(None);
    }
    let mut depth = 0i64;
    let mut args = Vec::new();
    let mut piece = open + 1;
    for (i, ch) in text.get(open..).unwrap_or("").char_indices() {
        let i = open + i;
        match ch {
            '(' | '[' | '{' | '（' | '［' | '｛' => depth += 1,
            ')' | ']' | '}' | '）' | '］' | '｝' => {
                depth -= 1;
                if depth == 0 {
                    args.push((piece, i));
                    return Ok(Some((args, i + ch.len_utf8())));
                }
            }
            ',' | '，' if depth == 1 => {
                args.push((piece, i));
                piece = i + ch.len_utf8();
            }
            _ => {}
        }
    }
    Err(parse_error(text.len(), 0, "`)`", format!("`{name}(` is not closed")))
}

fn variable_argument(text: &str, (start, end): (usize, usize)) -> Result<Symbol> {
    let piece = text.get(start..end).unwrap_or("");
    let name = piece.trim();
    let offset = start + (piece.len() - piece.trim_start().len());
    let valid = name.chars().next().is_some_and(is_name_start) && name.chars().all(is_name_continue);
    if !valid {
        return Err(parse_error(offset, name.len(), "a variable name", format!("`{name}` is not a variable name")));
    }
    Ok(Symbol::new(name))
}

/// Expects `=` after a call and returns the offset of what follows it.
fn equals_after(text: &str, at: usize, what: &str) -> Result<usize> {
    let at = skip_spaces(text, at);
    match text.get(at..).and_then(|r| r.chars().next()) {
        Some(c @ ('=' | '＝')) => Ok(at + c.len_utf8()),
        Some(c) => Err(parse_error(at, c.len_utf8(), "`=`", format!("expected `=` after `{what}(...)`"))),
        None => Err(parse_error(at, 0, "`=`", format!("`{what}(...)` needs `=` and the value claimed for it"))),
    }
}

/// Reads a claim. `with` substitutes definitions and given values (for
/// derivation files) before checking.
pub(crate) fn parse_claim(text: &str, limits: &Limits, with: Option<&[(Symbol, Expr)]>) -> Result<Claim> {
    // Values given for the variable a claim differentiates or solves by
    // do not apply to it.
    let bindings = |except: Option<Symbol>| -> Vec<(Symbol, Expr)> {
        with.unwrap_or(&[]).iter().filter(|(s, _)| Some(*s) != except).cloned().collect()
    };
    let bind = |e: Expr, except: Option<Symbol>| -> Result<Expr> {
        let b = bindings(except);
        if b.is_empty() { Ok(e) } else { subs(&e, &b) }
    };
    let bind_written = |w: Written, except: Option<Symbol>| w.bind(&bindings(except));
    let mut written = Written::default();
    let end = text.len();
    if let Some(op) = derivative_operator(text, 0)? {
        let except = Some(op.var);
        let (eq, rhs) = split_once_equals(text, op.end, end, "a derivative claim")?;
        if let Some(name) = &op.of {
            return Err(Error::Usage {
                message: format!(
                    "`d{name}/d{}` names what to differentiate; in a single claim write the expression: `d/d{} (…) = …`",
                    op.var, op.var
                ),
            });
        }
        let function = bind(read_piece(text, op.end, eq, limits, &mut written)?, except)?;
        let claimed = bind(read_piece(text, rhs, end, limits, &mut written)?, except)?;
        let written = bind_written(written, except);
        return Ok(Claim::Derivative { function, var: op.var, order: op.order, claimed, written });
    }
    if let Some((args, after)) = call_arguments(text, 0, "diff")? {
        let rhs = equals_after(text, after, "diff")?;
        let (function, var, order) = match args.as_slice() {
            [f, v] => (*f, variable_argument(text, *v)?, 1),
            [f, v, (s, e)] => {
                let n = text.get(*s..*e).unwrap_or("").trim();
                let order = n.parse::<u32>().ok().filter(|n| *n >= 1).ok_or_else(|| {
                    parse_error(*s, e - s, "an order (1, 2, …)", format!("`{n}` is not the order of a derivative"))
                })?;
                (*f, variable_argument(text, *v)?, order)
            }
            _ => {
                return Err(parse_error(
                    0,
                    after,
                    "`diff(expression, variable)`",
                    "`diff` takes an expression, a variable and optionally an order".into(),
                ));
            }
        };
        let except = Some(var);
        let function = bind(read_piece(text, function.0, function.1, limits, &mut written)?, except)?;
        let claimed = bind(read_piece(text, rhs, end, limits, &mut written)?, except)?;
        let written = bind_written(written, except);
        return Ok(Claim::Derivative { function, var, order, claimed, written });
    }
    if let Some((args, after)) = call_arguments(text, 0, "solve")? {
        let rhs = equals_after(text, after, "solve")?;
        let [(es, ee), v] = args.as_slice() else {
            return Err(parse_error(
                0,
                after,
                "`solve(equation, variable)`",
                "`solve` takes an equation and one variable".into(),
            ));
        };
        let var = variable_argument(text, *v)?;
        let except = Some(var);
        let equation = match equals_signs(text.get(*es..*ee).unwrap_or("")).as_slice() {
            [] => read_piece(text, *es, *ee, limits, &mut written)?,
            [(at, width)] => {
                let l = read_piece(text, *es, es + at, limits, &mut written)?;
                let r = read_piece(text, es + at + width, *ee, limits, &mut written)?;
                Expr::sub(&l, &r)
            }
            [_, (second, width), ..] => {
                return Err(parse_error(es + second, *width, "one `=`", "an equation has one `=`".into()));
            }
        };
        let equation = bind(equation, except)?;
        let values = solve_values(text, rhs, end, var, limits)?
            .into_iter()
            .map(|v| bind(v, None))
            .collect::<Result<Vec<_>>>()?;
        return Ok(Claim::Solve { equation, var, values });
    }
    let (eq, rhs) = split_once_equals(text, 0, end, "a claim")?;
    let left = bind(read_piece(text, 0, eq, limits, &mut written)?, None)?;
    let right = bind(read_piece(text, rhs, end, limits, &mut written)?, None)?;
    Ok(Claim::Equal { left, right, written: bind_written(written, None) })
}

/// The values after `solve(...) =`: `2/3`, `-2, 2`, `{-2, 2}`, `x = 2`.
fn solve_values(text: &str, start: usize, end: usize, var: Symbol, limits: &Limits) -> Result<Vec<Expr>> {
    let mut start = skip_spaces(text, start);
    let mut end = end;
    let inner = text.get(start..end).unwrap_or("").trim_end();
    if (inner.starts_with('{') && inner.ends_with('}')) || (inner.starts_with('[') && inner.ends_with(']')) {
        start += 1;
        end = start + inner.len() - 2;
    }
    let mut pieces = Vec::new();
    let mut depth = 0i64;
    let mut piece = start;
    for (i, ch) in text.get(start..end).unwrap_or("").char_indices() {
        match ch {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ',' | '，' if depth == 0 => {
                pieces.push((piece, start + i));
                piece = start + i + ch.len_utf8();
            }
            _ => {}
        }
    }
    pieces.push((piece, end));
    let mut values = Vec::with_capacity(pieces.len());
    for (s, e) in pieces {
        // `x = 2` names the variable again.
        let s = match equals_signs(text.get(s..e).unwrap_or("")).as_slice() {
            [(at, width)] if text.get(s..s + at).is_some_and(|n| n.trim() == var.name()) => s + at + width,
            _ => s,
        };
        values.push(read_piece(text, s, e, limits, &mut Written::default())?);
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(text: &str) -> Option<(String, u32, Option<String>, usize)> {
        derivative_operator(text, 0).unwrap().map(|o| (o.var.name().to_string(), o.order, o.of, o.end))
    }

    #[test]
    fn derivative_operators() {
        assert_eq!(op("d/dx (x^2)"), Some(("x".into(), 1, None, 4)));
        assert_eq!(op("∂/∂w x"), Some(("w".into(), 1, None, "∂/∂w".len())));
        assert_eq!(op("d^2/dx^2 x"), Some(("x".into(), 2, None, 8)));
        assert_eq!(op("d²/dx² x"), Some(("x".into(), 2, None, "d²/dx²".len())));
        assert_eq!(op("dL/dw = 3"), Some(("w".into(), 1, Some("L".into()), 5)));
        assert_eq!(op("d/2 = x"), None);
        assert_eq!(op("diff(x, x) = 1"), None);
        assert_eq!(op("x = 1"), None);
        assert!(derivative_operator("d^2/dx^3 x", 0).is_err());
    }

    #[test]
    fn errors_point_into_the_claim() {
        let l = Limits::default();
        let span = |t: &str| parse_claim(t, &l, None).err().and_then(|e| e.span()).map(|s| s.start);
        assert_eq!(span("d/dx (x^2 = 2*x"), Some(10));
        assert_eq!(span("x^2 = 2*"), Some(8));
        assert_eq!(span("diff(x^2, x) = 2*)"), Some(17));
        assert_eq!(span("solve(6*a - = 0, a) = 1"), Some(12));
        assert_eq!(span("x = 1 = 2"), Some(6));
        assert_eq!(span("x^2"), Some(3));
    }
}
