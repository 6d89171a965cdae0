//! Step-by-step explanations that follow the user's own form.
//!
//! A derivation is a list of [`Step`]s: each the whole expression after one
//! rule was applied, and the rule in plain words. Derivatives are worked on a
//! tree built from the [`Ast`], so the first lines look like what the user
//! typed; an unevaluated `d/dx (…)` is a node of that tree until a rule
//! replaces it. Every step is checked by the engine to equal the one before,
//! and the last one to equal the plain result: a false step is an error, not
//! an explanation. The check is exact (equal canonical or expanded forms,
//! rational functions cross-multiplied) where it can be, and otherwise a
//! comparison at several rational points.

use crate::diff::diff;
use crate::error::{Error, Result};
use crate::expand::expand;
use crate::expr::{Expr, Func};
use crate::limits::Limits;
use crate::number::Q;
use crate::simplify::{simplify, tidy};
use crate::symbol::Symbol;
use crate::syntax::ast::{Ast, AstKind};
use crate::syntax::lower::lower;

/// One line of an explanation.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The expression (or statement) after the rule, as plain text.
    pub text: String,
    /// The same in unicode.
    pub unicode: String,
    /// The same in LaTeX.
    pub latex: String,
    /// The rule that was applied, in plain words; empty for the first line.
    pub rule: String,
    /// For a chain of equalities, the value of this line (derivatives worked
    /// out), so that callers can check consecutive lines themselves.
    pub value: Option<Expr>,
}

/// An explanation: its steps, and whether they form a chain of equalities
/// (`= …` on each line after the first) or a list of statements.
#[derive(Debug, Clone, PartialEq)]
pub struct Steps {
    /// The steps, the starting point first.
    pub steps: Vec<Step>,
    /// True when each step equals the one before.
    pub chain: bool,
}

/// A tree for explanations: the user's syntax, plus unevaluated derivatives
/// and already canonical pieces.
#[derive(Debug, Clone)]
enum T {
    Num(Q, String),
    Name(String),
    Neg(Box<T>),
    Add(Box<T>, Box<T>),
    Sub(Box<T>, Box<T>),
    Mul(Box<T>, Box<T>),
    Div(Box<T>, Box<T>),
    Pow(Box<T>, Box<T>),
    Group(Box<T>),
    Call(String, Vec<T>),
    /// `d/dx (inner)`, not yet worked out.
    D(Box<T>, Symbol),
    /// A canonical expression (after simplification).
    E(Expr),
}

fn from_ast(a: &Ast) -> T {
    match &a.kind {
        AstKind::Number { value, text } => T::Num(value.clone(), text.clone()),
        AstKind::Name(n) => T::Name(n.clone()),
        AstKind::Neg(x) => T::Neg(Box::new(from_ast(x))),
        AstKind::Plus(x) => from_ast(x),
        AstKind::Add(x, y) => T::Add(Box::new(from_ast(x)), Box::new(from_ast(y))),
        AstKind::Sub(x, y) => T::Sub(Box::new(from_ast(x)), Box::new(from_ast(y))),
        AstKind::Mul(x, y, _) => T::Mul(Box::new(from_ast(x)), Box::new(from_ast(y))),
        AstKind::Div(x, y) => T::Div(Box::new(from_ast(x)), Box::new(from_ast(y))),
        AstKind::Pow(x, y) => T::Pow(Box::new(from_ast(x)), Box::new(from_ast(y))),
        AstKind::Group(_, x) => T::Group(Box::new(from_ast(x))),
        AstKind::Call { name, args, .. } => T::Call(name.clone(), args.iter().map(from_ast).collect()),
    }
}

fn b(t: T) -> Box<T> {
    Box::new(t)
}

fn num(n: i64) -> T {
    T::Num(Q::from(n), n.to_string())
}

fn call(name: &str, arg: &T) -> T {
    T::Call(name.to_string(), vec![arg.clone()])
}

/// A piece placed as a factor: the printer adds the brackets precedence
/// needs, so nothing is wrapped here; the name keeps the rules readable.
fn grouped(t: &T) -> T {
    t.clone()
}

impl T {
    /// The canonical value, with derivatives worked out by the engine.
    fn value(&self) -> Result<Expr> {
        Ok(match self {
            T::Num(q, _) => Expr::num(q.clone()),
            T::Name(n) if n == "e" => Expr::call(Func::Exp, &Expr::one()),
            T::Name(n) => Expr::symbol(n),
            T::Call(name, args) => {
                let values: Vec<Expr> = args.iter().map(T::value).collect::<Result<_>>()?;
                match (name.as_str(), values.as_slice()) {
                    ("sqrt", [v]) => crate::syntax::lower::checked_pow(v, &Expr::num(Q::new(1, 2)), None)?,
                    ("ln" | "log", [v]) => Expr::call(Func::Ln, v),
                    ("log", [v, base]) => Expr::div(&Expr::call(Func::Ln, v), &Expr::call(Func::Ln, base)),
                    (_, [v]) => match Func::from_name(name) {
                        Some(f) => Expr::call(f, v),
                        None => return Err(Error::Usage { message: format!("unknown function `{name}`") }),
                    },
                    _ => return Err(Error::Usage { message: format!("`{name}` with {} arguments", values.len()) }),
                }
            }
            T::Neg(a) => Expr::neg(&a.value()?),
            T::Add(a, c) => Expr::add(&a.value()?, &c.value()?),
            T::Sub(a, c) => Expr::sub(&a.value()?, &c.value()?),
            T::Mul(a, c) => Expr::mul(&a.value()?, &c.value()?),
            T::Div(a, c) => {
                let d = c.value()?;
                if d.is_zero() {
                    return Err(Error::DivisionByZero { span: None });
                }
                Expr::div(&a.value()?, &d)
            }
            T::Pow(a, c) => crate::syntax::lower::checked_pow(&a.value()?, &c.value()?, None)?,
            T::Group(a) => a.value()?,
            T::D(a, x) => diff(&a.value()?, *x),
            T::E(e) => e.clone(),
        })
    }

    fn contains(&self, x: Symbol) -> bool {
        match self {
            T::Num(..) => false,
            T::Name(n) => n == x.name(),
            T::Neg(a) | T::Group(a) => a.contains(x),
            T::Add(a, c) | T::Sub(a, c) | T::Mul(a, c) | T::Div(a, c) | T::Pow(a, c) => a.contains(x) || c.contains(x),
            T::Call(_, args) => args.iter().any(|a| a.contains(x)),
            T::D(a, _) => a.contains(x),
            T::E(e) => e.contains(x),
        }
    }

    fn has_derivative(&self) -> bool {
        match self {
            T::Num(..) | T::Name(_) | T::E(_) => false,
            T::D(..) => true,
            T::Neg(a) | T::Group(a) => a.has_derivative(),
            T::Add(a, c) | T::Sub(a, c) | T::Mul(a, c) | T::Div(a, c) | T::Pow(a, c) => {
                a.has_derivative() || c.has_derivative()
            }
            T::Call(_, args) => args.iter().any(T::has_derivative),
        }
    }

    fn strip_groups(&self) -> &T {
        match self {
            T::Group(a) => a.strip_groups(),
            other => other,
        }
    }
}

/// Replaces bound names by their values (shown as canonical pieces).
fn substitute_t(t: &T, bindings: &[(Symbol, Expr)]) -> T {
    let recur = |a: &T| b(substitute_t(a, bindings));
    match t {
        T::Name(n) => match bindings.iter().find(|(s, _)| s.name() == n) {
            Some((_, v)) => T::E(v.clone()),
            None => t.clone(),
        },
        T::Num(..) => t.clone(),
        T::E(e) => T::E(crate::subs::subs(e, bindings).unwrap_or_else(|_| e.clone())),
        T::Neg(a) => T::Neg(recur(a)),
        T::Group(a) => T::Group(recur(a)),
        T::Add(a, c) => T::Add(recur(a), recur(c)),
        T::Sub(a, c) => T::Sub(recur(a), recur(c)),
        T::Mul(a, c) => T::Mul(recur(a), recur(c)),
        T::Div(a, c) => T::Div(recur(a), recur(c)),
        T::Pow(a, c) => T::Pow(recur(a), recur(c)),
        T::Call(n, args) => T::Call(n.clone(), args.iter().map(|a| substitute_t(a, bindings)).collect()),
        T::D(a, x) => T::D(recur(a), *x),
    }
}

fn bindings_text(bindings: &[(Symbol, Expr)]) -> String {
    let parts: Vec<String> = bindings.iter().map(|(s, v)| format!("{s} = {}", crate::print::text(v))).collect();
    parts.join(", ")
}

/// The first step, and a second one substituting `bindings` when given.
fn start_with(ast: &Ast, bindings: &[(Symbol, Expr)], steps: &mut Vec<Step>) -> T {
    let start = from_ast(ast);
    steps.push(step_of(&start, String::new()));
    if bindings.is_empty() {
        return start;
    }
    let substituted = substitute_t(&start, bindings);
    steps.push(step_of(&substituted, format!("substitute {}", bindings_text(bindings))));
    substituted
}

/// What one application of a rule to `d/dx inner` gives, and its name.
fn derivative_rule(inner: &T, x: Symbol) -> (T, String) {
    let d = |t: &T| T::D(b(t.strip_groups().clone()), x);
    let inner = inner.strip_groups();
    if !inner.contains(x) {
        return (num(0), format!("d/d{x} {} = 0 (a constant)", render(inner, Style::Text).0));
    }
    match inner {
        T::Name(_) => (num(1), format!("d/d{x} {x} = 1")),
        T::Neg(a) => (T::Neg(b(d(a))), "constant factor −1".into()),
        T::Add(a, c) => (T::Add(b(d(a)), b(d(c))), "sum rule".into()),
        T::Sub(a, c) => (T::Sub(b(d(a)), b(d(c))), "difference rule".into()),
        T::Mul(a, c) if !a.contains(x) => {
            (T::Mul(b(grouped(a)), b(d(c))), format!("constant factor {}", render(a, Style::Text).0))
        }
        T::Mul(a, c) if !c.contains(x) => {
            (T::Mul(b(d(a)), b(grouped(c))), format!("constant factor {}", render(c, Style::Text).0))
        }
        T::Mul(a, c) => (
            T::Add(b(T::Mul(b(d(a)), b(grouped(c)))), b(T::Mul(b(grouped(a)), b(d(c))))),
            "product rule: (u·v)′ = u′·v + u·v′".into(),
        ),
        T::Div(a, c) if !c.contains(x) => {
            (T::Div(b(d(a)), b(grouped(c))), format!("constant factor 1/{}", render(&grouped(c), Style::Text).0))
        }
        T::Div(a, c) => (
            T::Div(
                b(T::Group(b(T::Sub(b(T::Mul(b(d(a)), b(grouped(c)))), b(T::Mul(b(grouped(a)), b(d(c)))))))),
                b(T::Pow(b(grouped(c)), b(num(2)))),
            ),
            "quotient rule: (u/v)′ = (u′·v − u·v′)/v²".into(),
        ),
        T::Pow(base, e) if !e.contains(x) => {
            let lowered = match e.strip_groups() {
                T::Num(q, _) => {
                    let q1 = q.sub(&Q::one());
                    T::Num(q1.clone(), q1.to_string())
                }
                _ => T::Sub(b(grouped(e)), b(num(1))),
            };
            let outer = match &lowered {
                T::Num(q, _) if q.is_one() => T::Mul(b(grouped(e)), b(grouped(base))),
                // n·u⁰ = n
                T::Num(q, _) if q.is_zero() => grouped(e),
                T::Num(q, _) if q.is_negative() => {
                    T::Mul(b(grouped(e)), b(T::Pow(b(grouped(base)), b(T::Group(b(lowered.clone()))))))
                }
                _ => T::Mul(b(grouped(e)), b(T::Pow(b(grouped(base)), b(lowered.clone())))),
            };
            if matches!(base.strip_groups(), T::Name(n) if n == x.name()) {
                (outer, "power rule: (xⁿ)′ = n·xⁿ⁻¹".into())
            } else {
                (T::Mul(b(outer), b(d(base))), "chain rule with the power rule: (uⁿ)′ = n·uⁿ⁻¹·u′".into())
            }
        }
        T::Pow(base, e) if !base.contains(x) => {
            // A constant base that is zero or negative follows the engine's
            // rule: 0^u has derivative 0, and for a < 0 the logarithm is of |a|.
            let constant = base.value().ok().and_then(|v| v.as_num().cloned());
            if let Some(q) = constant.as_ref().filter(|q| q.is_zero()) {
                return (num(0), format!("{q}^u is 0 wherever it is differentiable"));
            }
            if let Some(q) = constant.filter(Q::is_negative) {
                let power = T::Pow(b(grouped(base)), b(grouped(e)));
                let ln = call("ln", &T::E(Expr::num(q.abs())));
                return (
                    T::Mul(b(T::Mul(b(power), b(ln))), b(d(e))),
                    "exponential rule with ln|a|: (aᵘ)′ = aᵘ·ln|a|·u′".into(),
                );
            }
            let euler = matches!(base.strip_groups(), T::Name(n) if n == "e");
            let power = T::Pow(b(grouped(base)), b(grouped(e)));
            if euler {
                (T::Mul(b(power), b(d(e))), "exponential rule: (eᵘ)′ = eᵘ·u′".into())
            } else {
                (
                    T::Mul(b(T::Mul(b(power), b(call("ln", base)))), b(d(e))),
                    "exponential rule: (aᵘ)′ = aᵘ·ln(a)·u′".into(),
                )
            }
        }
        T::Pow(base, e) => (
            T::Mul(
                b(T::Pow(b(grouped(base)), b(grouped(e)))),
                b(T::Group(b(T::Add(
                    b(T::Mul(b(d(e)), b(call("ln", base)))),
                    b(T::Div(b(T::Mul(b(grouped(e)), b(d(base)))), b(grouped(base)))),
                )))),
            ),
            "power rule with a variable exponent: (uᵛ)′ = uᵛ·(v′·ln u + v·u′/u)".into(),
        ),
        T::Call(name, args) => call_rule(name, args, x),
        T::D(a, y) => {
            // A derivative of a derivative: work out the inner one first.
            let (t, rule) = derivative_rule(a, *y);
            (T::D(b(t), x), rule)
        }
        T::E(e) => (T::E(diff(e, x)), "differentiate".into()),
        T::Num(..) | T::Group(_) => (num(0), "constant".into()),
    }
}

fn call_rule(name: &str, args: &[T], x: Symbol) -> (T, String) {
    let Some(a) = args.first() else { return (num(0), "constant".into()) };
    let a_plain = a.strip_groups();
    let (outer, rule): (T, &str) = match (name, args.len()) {
        ("exp", 1) => (call("exp", a_plain), "(exp u)′ = exp(u)·u′"),
        ("ln" | "log", 1) => (T::Div(b(num(1)), b(grouped(a_plain))), "(ln u)′ = u′/u"),
        ("log", _) => {
            let base = args.get(1).cloned().unwrap_or_else(|| num(1));
            (T::Div(b(num(1)), b(T::Mul(b(grouped(a_plain)), b(call("ln", &base))))), "(log_b u)′ = u′/(u·ln b)")
        }
        ("sqrt", _) => (T::Div(b(num(1)), b(T::Mul(b(num(2)), b(call("sqrt", a_plain))))), "(√u)′ = u′/(2√u)"),
        ("sin", _) => (call("cos", a_plain), "(sin u)′ = cos(u)·u′"),
        ("cos", _) => (T::Neg(b(call("sin", a_plain))), "(cos u)′ = −sin(u)·u′"),
        ("tan", _) => (T::Add(b(num(1)), b(T::Pow(b(call("tan", a_plain)), b(num(2))))), "(tan u)′ = (1 + tan²u)·u′"),
        ("tanh", _) => {
            (T::Sub(b(num(1)), b(T::Pow(b(call("tanh", a_plain)), b(num(2))))), "(tanh u)′ = (1 − tanh²u)·u′")
        }
        ("sigmoid", _) => (
            T::Mul(b(call("sigmoid", a_plain)), b(T::Group(b(T::Sub(b(num(1)), b(call("sigmoid", a_plain))))))),
            "(σ(u))′ = σ(u)·(1 − σ(u))·u′",
        ),
        ("abs", _) => (call("sign", a_plain), "(|u|)′ = sign(u)·u′"),
        _ => (num(0), "sign is constant where it is differentiable"),
    };
    if matches!(a_plain, T::Name(n) if n == x.name()) {
        let rule =
            format!("derivative of {name}: {}", rule.replace("·u′", "").replace("u′", "1").replace('u', x.name()));
        return (outer, rule);
    }
    (T::Mul(b(grouped(&outer)), b(T::D(b(a_plain.clone()), x))), format!("chain rule: {rule}"))
}

/// Replaces the first unevaluated derivative (in reading order) by one rule.
fn step_first_derivative(t: &T) -> Option<(T, String)> {
    match t {
        T::D(inner, x) => Some(derivative_rule(inner, *x)),
        T::Num(..) | T::Name(_) | T::E(_) => None,
        T::Neg(a) => step_first_derivative(a).map(|(n, r)| (T::Neg(b(n)), r)),
        T::Group(a) => step_first_derivative(a).map(|(n, r)| (T::Group(b(n)), r)),
        T::Add(a, c) | T::Sub(a, c) | T::Mul(a, c) | T::Div(a, c) | T::Pow(a, c) => {
            let rebuild = |l: T, r: T| match t {
                T::Add(..) => T::Add(b(l), b(r)),
                T::Sub(..) => T::Sub(b(l), b(r)),
                T::Mul(..) => T::Mul(b(l), b(r)),
                T::Div(..) => T::Div(b(l), b(r)),
                _ => T::Pow(b(l), b(r)),
            };
            if let Some((n, r)) = step_first_derivative(a) {
                return Some((rebuild(n, (**c).clone()), r));
            }
            step_first_derivative(c).map(|(n, r)| (rebuild((**a).clone(), n), r))
        }
        T::Call(name, args) => {
            for (i, a) in args.iter().enumerate() {
                if let Some((n, r)) = step_first_derivative(a) {
                    let mut new_args = args.clone();
                    if let Some(slot) = new_args.get_mut(i) {
                        *slot = n;
                    }
                    return Some((T::Call(name.clone(), new_args), r));
                }
            }
            None
        }
    }
}

/// Works out, in the same step, every derivative that is immediate (of a
/// constant or of the variable itself), and names them.
fn settle_basic(t: &T, notes: &mut Vec<String>) -> T {
    let recur = |a: &T, notes: &mut Vec<String>| b(settle_basic(a, notes));
    match t {
        T::D(inner, x) => {
            let plain = inner.strip_groups();
            let immediate = !plain.contains(*x) || matches!(plain, T::Name(n) if n == x.name());
            if immediate {
                let (value, rule) = derivative_rule(plain, *x);
                if !notes.contains(&rule) {
                    notes.push(rule);
                }
                value
            } else {
                t.clone()
            }
        }
        T::Num(..) | T::Name(_) | T::E(_) => t.clone(),
        T::Neg(a) => T::Neg(recur(a, notes)),
        T::Group(a) => T::Group(recur(a, notes)),
        T::Add(a, c) => T::Add(recur(a, notes), recur(c, notes)),
        T::Sub(a, c) => T::Sub(recur(a, notes), recur(c, notes)),
        T::Mul(a, c) => T::Mul(recur(a, notes), recur(c, notes)),
        T::Div(a, c) => T::Div(recur(a, notes), recur(c, notes)),
        T::Pow(a, c) => T::Pow(recur(a, notes), recur(c, notes)),
        T::Call(n, args) => T::Call(n.clone(), args.iter().map(|a| settle_basic(a, notes)).collect()),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Text,
    Unicode,
    Latex,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Prec {
    Sum,
    Product,
    Unary,
    Power,
    Atom,
}

fn wrap(piece: (String, Prec), at_least: Prec, style: Style) -> String {
    if piece.1 < at_least {
        match style {
            Style::Latex => format!("\\left({}\\right)", piece.0),
            Style::Text | Style::Unicode => format!("({})", piece.0),
        }
    } else {
        piece.0
    }
}

fn name_in(n: &str, style: Style) -> String {
    match style {
        Style::Text | Style::Unicode => n.to_string(),
        Style::Latex => crate::print::latex(&Expr::symbol(n)),
    }
}

fn render(t: &T, style: Style) -> (String, Prec) {
    let minus = if style == Style::Unicode { " − " } else { " - " };
    let times = match style {
        Style::Text => "*",
        Style::Unicode => "·",
        Style::Latex => " \\cdot ",
    };
    match t {
        T::Num(q, text) => match style {
            Style::Latex => (crate::print::latex(&Expr::num(q.clone())), Prec::Atom),
            Style::Text | Style::Unicode => (text.clone(), if q.is_negative() { Prec::Unary } else { Prec::Atom }),
        },
        T::Name(n) => (name_in(n, style), Prec::Atom),
        T::Neg(a) => {
            let sign = if style == Style::Unicode { "−" } else { "-" };
            (format!("{sign}{}", wrap(render(a, style), Prec::Unary, style)), Prec::Unary)
        }
        T::Add(a, c) => (
            format!("{} + {}", wrap(render(a, style), Prec::Sum, style), wrap(render(c, style), Prec::Product, style)),
            Prec::Sum,
        ),
        T::Sub(a, c) => (
            format!(
                "{}{minus}{}",
                wrap(render(a, style), Prec::Sum, style),
                wrap(render(c, style), Prec::Product, style)
            ),
            Prec::Sum,
        ),
        T::Mul(a, c) => {
            // A derivative followed by a factor is bracketed: (d/dx u)*v.
            let left_at = if matches!(a.as_ref(), T::D(..)) { Prec::Power } else { Prec::Product };
            // A negated factor is bracketed too: u*(-v), never u*-v.
            let right_at = if matches!(c.as_ref(), T::Neg(_)) { Prec::Power } else { Prec::Unary };
            (
                format!("{}{times}{}", wrap(render(a, style), left_at, style), wrap(render(c, style), right_at, style)),
                Prec::Product,
            )
        }
        T::Div(a, c) => match style {
            Style::Latex => (format!("\\frac{{{}}}{{{}}}", render(a, style).0, render(c, style).0), Prec::Atom),
            Style::Text | Style::Unicode => {
                let left_at = if matches!(a.as_ref(), T::D(..)) { Prec::Power } else { Prec::Product };
                (
                    format!(
                        "{}/{}",
                        wrap(render(a, style), left_at, style),
                        wrap(render(c, style), Prec::Unary, style)
                    ),
                    Prec::Product,
                )
            }
        },
        T::Pow(a, c) => {
            let base = wrap(render(a, style), Prec::Atom, style);
            match style {
                Style::Latex => (format!("{base}^{{{}}}", render(c, style).0), Prec::Power),
                Style::Text | Style::Unicode => {
                    (format!("{base}^{}", wrap(render(c, style), Prec::Power, style)), Prec::Power)
                }
            }
        }
        T::Group(a) => match style {
            Style::Latex => (format!("\\left({}\\right)", render(a, style).0), Prec::Atom),
            Style::Text | Style::Unicode => (format!("({})", render(a, style).0), Prec::Atom),
        },
        T::Call(n, args) => {
            let inner: Vec<String> = args.iter().map(|a| render(a, style).0).collect();
            match style {
                Style::Latex => {
                    let f = match n.as_str() {
                        "exp" | "ln" | "log" | "sin" | "cos" | "tan" | "tanh" => format!("\\{n}"),
                        "sqrt" => return (format!("\\sqrt{{{}}}", inner.join(", ")), Prec::Atom),
                        other => format!("\\operatorname{{{other}}}"),
                    };
                    (format!("{f}\\left({}\\right)", inner.join(", ")), Prec::Atom)
                }
                Style::Text | Style::Unicode => (format!("{n}({})", inner.join(", ")), Prec::Atom),
            }
        }
        T::D(a, x) => {
            // `d/dx x^2` and `d/dw1 ((w1*x1) - target)^2` read without more brackets.
            let inner = wrap(render(a, style), Prec::Power, style);
            match style {
                Style::Latex => (format!("\\frac{{d}}{{d{}}} {inner}", name_in(x.name(), style)), Prec::Unary),
                Style::Text | Style::Unicode => (format!("d/d{x} {inner}"), Prec::Unary),
            }
        }
        T::E(e) => {
            let text = match style {
                Style::Text => crate::print::text(e),
                Style::Unicode => crate::print::unicode(e),
                Style::Latex => crate::print::latex(e),
            };
            use crate::expr::Node;
            let prec = match e.node() {
                Node::Num(q) if q.is_negative() => Prec::Sum,
                Node::Num(q) if q.is_integer() => Prec::Atom,
                Node::Num(_) => Prec::Product,
                Node::Sym(_) | Node::Call(..) => Prec::Atom,
                Node::Pow(_, x) if x.as_num().is_some_and(|q| !q.is_negative()) => Prec::Power,
                Node::Product { coeff, .. } if !coeff.is_negative() => Prec::Product,
                Node::Pow(..) | Node::Product { .. } | Node::Sum { .. } => Prec::Sum,
            };
            (text, prec)
        }
    }
}

fn step_of(t: &T, rule: String) -> Step {
    Step {
        text: render(t, Style::Text).0,
        unicode: render(t, Style::Unicode).0,
        latex: render(t, Style::Latex).0,
        rule,
        value: t.value().ok(),
    }
}

fn expr_step(e: &Expr, rule: &str) -> Step {
    Step {
        text: crate::print::text(e),
        unicode: crate::print::unicode(e),
        latex: crate::print::latex(e),
        rule: rule.into(),
        value: Some(e.clone()),
    }
}

/// Checks that two steps have the same value: equal canonical forms, equal
/// expansions, or a difference that simplifies to zero.
fn same_value(a: &Expr, b: &Expr, limits: &Limits) -> Result<bool> {
    if a == b {
        return Ok(true);
    }
    let difference = Expr::sub(a, b);
    if difference.is_zero() {
        return Ok(true);
    }
    if expand(&difference, limits).is_ok_and(|d| d.is_zero()) || simplify(&difference, limits)?.is_zero() {
        return Ok(true);
    }
    // Rational functions: multiply by every denominator, then expand.
    let mut cleared = difference;
    for _ in 0..3 {
        let denominators = denominators(&cleared);
        if denominators.is_empty() {
            break;
        }
        // Multiply term by term, so that each denominator cancels against its
        // own factor before anything is expanded.
        let common = Expr::product(denominators);
        let multiplied = match cleared.node() {
            crate::expr::Node::Sum { constant, terms } => Expr::weighted_sum(
                Q::zero(),
                terms
                    .iter()
                    .map(|(t, c)| (Expr::mul(t, &common), c.clone()))
                    .chain(std::iter::once((common.clone(), constant.clone()))),
            ),
            _ => Expr::mul(&cleared, &common),
        };
        cleared = match expand(&multiplied, limits) {
            Ok(e) => e,
            Err(_) => return Ok(false),
        };
        if cleared.is_zero() {
            return Ok(true);
        }
    }
    Ok(agrees_at_sample_points(a, b, limits))
}

/// The last resort for checking a step (fractional powers of products, say):
/// both sides agree at several positive rational points, in floating point.
fn agrees_at_sample_points(a: &Expr, b: &Expr, limits: &Limits) -> bool {
    let mut symbols = a.symbols();
    symbols.extend(b.symbols());
    symbols.sort();
    symbols.dedup();
    let samples = [Q::new(3, 7), Q::new(5, 3), Q::new(2, 5), Q::new(11, 4), Q::new(7, 9)];
    let mut compared = 0;
    for shift in 0..samples.len() {
        let bindings: Vec<(Symbol, Expr)> = symbols
            .iter()
            .enumerate()
            .map(|(i, s)| (*s, Expr::num(samples.get((i + shift) % samples.len()).cloned().unwrap_or_else(Q::one))))
            .collect();
        let value = |e: &Expr| {
            crate::subs::eval(e, &bindings, limits).ok().and_then(|r| r.exact.as_num().map(Q::to_f64).or(r.approx))
        };
        if let (Some(x), Some(y)) = (value(a), value(b)) {
            if !x.is_finite() || !y.is_finite() {
                continue;
            }
            if (x - y).abs() > 1e-9 * x.abs().max(y.abs()).max(1.0) {
                return false;
            }
            compared += 1;
        }
    }
    compared >= 2
}

/// `base^k` for every factor `base^-k` (k a positive integer) in the terms
/// of a sum, each base once with its largest `k`.
fn denominators(e: &Expr) -> Vec<Expr> {
    use crate::expr::Node;
    let mut found: Vec<(Expr, Q)> = Vec::new();
    let mut note = |base: &Expr, x: &Expr| {
        if let Some(q) = x.as_num().filter(|q| q.is_integer() && q.is_negative()) {
            let k = q.neg();
            match found.iter_mut().find(|(b, _)| b == base) {
                Some((_, old)) if *old < k => *old = k,
                Some(_) => {}
                None => found.push((base.clone(), k)),
            }
        }
    };
    let mut visit_term = |t: &Expr| match t.node() {
        Node::Product { factors, .. } => factors.iter().for_each(|(b, x)| note(b, x)),
        Node::Pow(b, x) => note(b, x),
        Node::Num(_) | Node::Sym(_) | Node::Sum { .. } | Node::Call(..) => {}
    };
    match e.node() {
        Node::Sum { terms, .. } => terms.iter().for_each(|(t, _)| visit_term(t)),
        _ => visit_term(e),
    }
    found.into_iter().map(|(b, k)| Expr::pow(&b, &Expr::num(k))).collect()
}

fn verify(previous: &Expr, next: &Expr, rule: &str, limits: &Limits) -> Result<()> {
    if same_value(previous, next, limits)? {
        Ok(())
    } else {
        Err(Error::Unsupported {
            reason: format!("internal: the step \"{rule}\" could not be verified; please report it"),
        })
    }
}

/// The most steps an explanation may take before it is cut short.
const MAX_STEPS: usize = 200;

/// How `d/dx` of the input is worked out, rule by rule, starting from the
/// input as written.
///
/// ```
/// use kobai::{diff_steps, parse, Limits, Symbol};
/// let ast = parse("((w1*x1)-target)^2").unwrap();
/// let s = diff_steps(&ast, Symbol::new("w1"), &[], &Limits::default()).unwrap();
/// assert_eq!(s.steps[0].text, "d/dw1 ((w1*x1) - target)^2");
/// assert!(s.steps[1].rule.starts_with("chain rule"));
/// assert_eq!(s.steps.last().unwrap().text, "2*w1*x1^2 - 2*target*x1");
/// ```
///
/// With `bindings` (the CLI's `--at`), the derivative is taken first and then
/// evaluated there, in a last step.
pub fn diff_steps(ast: &Ast, x: Symbol, bindings: &[(Symbol, Expr)], limits: &Limits) -> Result<Steps> {
    let start = from_ast(ast);
    let mut current = T::D(b(start.clone()), x);
    let target = tidy(&diff(&lower(ast)?, x), limits)?;
    let mut steps = vec![step_of(&current, String::new())];
    let mut previous = current.value()?;
    while current.has_derivative() {
        if steps.len() > MAX_STEPS {
            return Err(Error::Limit {
                what: "number of steps",
                limit: MAX_STEPS as u64,
                reached: "a longer explanation".into(),
                flag: "no flag (use diff without --steps)",
            });
        }
        let Some((next, rule)) = step_first_derivative(&current) else { break };
        let mut notes = Vec::new();
        let next = settle_basic(&next, &mut notes);
        let mut rule = rule;
        for n in notes {
            if n != rule {
                rule.push_str("; ");
                rule.push_str(&n);
            }
        }
        let value = next.value()?;
        verify(&previous, &value, &rule, limits)?;
        steps.push(step_of(&next, rule));
        previous = value;
        current = next;
    }
    finish(&mut steps, &previous, &target, limits)?;
    if !bindings.is_empty() {
        let at = tidy(&crate::subs::subs(&target, bindings)?, limits)?;
        steps.push(expr_step(&at, &format!("at {}", bindings_text(bindings))));
    }
    Ok(Steps { steps, chain: true })
}

/// Appends the simplification steps from `value` to `target`.
fn finish(steps: &mut Vec<Step>, value: &Expr, target: &Expr, limits: &Limits) -> Result<()> {
    verify(value, target, "simplify", limits)?;
    let last = steps.last().map(|s| s.text.clone()).unwrap_or_default();
    let canonical = value.clone();
    let canonical_text = crate::print::text(&canonical);
    if canonical_text != last && canonical != *target {
        steps.push(expr_step(&canonical, "simplify: fold numbers, drop 0 and 1, collect like factors"));
    }
    let target_text = crate::print::text(target);
    if steps.last().map(|s| s.text.as_str()) != Some(target_text.as_str()) {
        let rule = if target.is_polynomial() { "expand and collect like terms" } else { "simplify" };
        steps.push(expr_step(target, rule));
    }
    Ok(())
}

/// Finds the first power of a sum with a small natural exponent and writes
/// it out: the binomial square `(p ± q)² = p² ± 2·p·q + q²`, or the
/// multinomial expansion.
fn expand_power_step(t: &T, limits: &Limits) -> Result<Option<(T, String)>> {
    let recur2 = |a: &T, c: &T, build: &dyn Fn(T, T) -> T| -> Result<Option<(T, String)>> {
        if let Some((n, r)) = expand_power_step(a, limits)? {
            return Ok(Some((build(n, c.clone()), r)));
        }
        Ok(expand_power_step(c, limits)?.map(|(n, r)| (build(a.clone(), n), r)))
    };
    match t {
        T::Pow(base, e) => {
            let k = match e.strip_groups() {
                T::Num(q, _) if q.is_integer() && !q.is_negative() => q.to_i64(),
                _ => None,
            };
            let plain = base.strip_groups();
            match (k, plain) {
                (Some(2), T::Add(p, q)) | (Some(2), T::Sub(p, q)) => {
                    let square = |u: &T| T::Pow(b(grouped(u)), b(num(2)));
                    let cross = T::Mul(b(T::Mul(b(num(2)), b(grouped(p)))), b(grouped(q)));
                    let (expanded, rule) = if matches!(plain, T::Add(..)) {
                        (
                            T::Add(b(T::Add(b(square(p)), b(cross))), b(square(q))),
                            "binomial square: (p + q)² = p² + 2·p·q + q²",
                        )
                    } else {
                        (
                            T::Add(b(T::Sub(b(square(p)), b(cross))), b(square(q))),
                            "binomial square: (p − q)² = p² − 2·p·q + q²",
                        )
                    };
                    Ok(Some((expanded, rule.into())))
                }
                (Some(k), T::Add(..) | T::Sub(..)) if k >= 2 => {
                    let value = T::Pow(base.clone(), e.clone()).value()?;
                    Ok(Some((T::E(expand(&value, limits)?), format!("multinomial expansion of the power {k}"))))
                }
                _ => recur2(base, e, &|l, r| T::Pow(b(l), b(r))),
            }
        }
        T::Num(..) | T::Name(_) | T::E(_) | T::D(..) => Ok(None),
        T::Neg(a) => Ok(expand_power_step(a, limits)?.map(|(n, r)| (T::Neg(b(n)), r))),
        T::Group(a) => Ok(expand_power_step(a, limits)?.map(|(n, r)| (T::Group(b(n)), r))),
        T::Add(a, c) => recur2(a, c, &|l, r| T::Add(b(l), b(r))),
        T::Sub(a, c) => recur2(a, c, &|l, r| T::Sub(b(l), b(r))),
        T::Mul(a, c) => recur2(a, c, &|l, r| T::Mul(b(l), b(r))),
        T::Div(a, c) => recur2(a, c, &|l, r| T::Div(b(l), b(r))),
        T::Call(..) => Ok(None),
    }
}

/// Distributes the first product with a sum factor: `a·(p + q) = a·p + a·q`.
fn distribute_step(t: &T) -> Option<(T, String)> {
    let is_sum = |u: &T| matches!(u.strip_groups(), T::Add(..) | T::Sub(..));
    let spread = |s: &T, f: &dyn Fn(&T) -> T| -> T {
        match s.strip_groups() {
            T::Add(p, q) => T::Add(b(f(p)), b(f(q))),
            T::Sub(p, q) => T::Sub(b(f(p)), b(f(q))),
            other => f(other),
        }
    };
    match t {
        T::Mul(a, c) if is_sum(c) => {
            Some((spread(c, &|u| T::Mul(b(grouped(a)), b(grouped(u)))), "distribute: a·(p + q) = a·p + a·q".into()))
        }
        T::Mul(a, c) if is_sum(a) => {
            Some((spread(a, &|u| T::Mul(b(grouped(u)), b(grouped(c)))), "distribute: (p + q)·a = p·a + q·a".into()))
        }
        T::Num(..) | T::Name(_) | T::E(_) | T::D(..) | T::Call(..) => None,
        T::Neg(a) => distribute_step(a).map(|(n, r)| (T::Neg(b(n)), r)),
        T::Group(a) => distribute_step(a).map(|(n, r)| (T::Group(b(n)), r)),
        T::Add(a, c) | T::Sub(a, c) | T::Mul(a, c) | T::Div(a, c) | T::Pow(a, c) => {
            let rebuild = |l: T, r: T| match t {
                T::Add(..) => T::Add(b(l), b(r)),
                T::Sub(..) => T::Sub(b(l), b(r)),
                T::Mul(..) => T::Mul(b(l), b(r)),
                T::Div(..) => T::Div(b(l), b(r)),
                _ => T::Pow(b(l), b(r)),
            };
            if let Some((n, r)) = distribute_step(a) {
                return Some((rebuild(n, (**c).clone()), r));
            }
            distribute_step(c).map(|(n, r)| (rebuild((**a).clone(), n), r))
        }
    }
}

/// Each top-level term of a sum in canonical form, kept apart (no collecting).
fn each_term(t: &T) -> Result<T> {
    Ok(match t {
        T::Add(a, c) => T::Add(b(each_term(a)?), b(T::E(c.value()?))),
        T::Sub(a, c) => T::Sub(b(each_term(a)?), b(T::E(c.value()?))),
        T::Group(a) => each_term(a)?,
        other => T::E(other.value()?),
    })
}

/// How the input is multiplied out: powers of sums written out (binomial
/// square or multinomial), products distributed, each term simplified, like
/// terms collected.
///
/// ```
/// use kobai::{expand_steps, parse, Limits};
/// let s = expand_steps(&parse("((2*w1) - 5)^2").unwrap(), &[], &Limits::default()).unwrap();
/// assert!(s.steps[1].rule.starts_with("binomial square"));
/// assert_eq!(s.steps.last().unwrap().text, "4*w1^2 - 20*w1 + 25");
/// ```
pub fn expand_steps(ast: &Ast, bindings: &[(Symbol, Expr)], limits: &Limits) -> Result<Steps> {
    let mut steps = Vec::new();
    let mut current = start_with(ast, bindings, &mut steps);
    let target = expand(&crate::subs::subs(&lower(ast)?, bindings)?, limits)?;
    let mut previous = current.value()?;
    loop {
        if steps.len() > MAX_STEPS {
            break;
        }
        let next = match expand_power_step(&current, limits)? {
            Some(found) => Some(found),
            None => distribute_step(&current),
        };
        let Some((next, rule)) = next else { break };
        let value = next.value()?;
        verify(&previous, &value, &rule, limits)?;
        steps.push(step_of(&next, rule));
        previous = value;
        current = next;
    }
    let terms = each_term(&current)?;
    let terms_value = terms.value()?;
    verify(&previous, &terms_value, "each term", limits)?;
    let shown = render(&terms, Style::Text).0;
    if steps.last().map(|s| s.text.as_str()) != Some(shown.as_str()) {
        steps.push(step_of(&terms, "simplify each term: powers of products, fold numbers".into()));
    }
    verify(&terms_value, &target, "collect", limits)?;
    let target_text = crate::print::text(&target);
    if steps.last().map(|s| s.text.as_str()) != Some(target_text.as_str()) {
        steps.push(expr_step(&target, "collect like terms"));
    }
    Ok(Steps { steps, chain: true })
}

/// How the input is simplified: folded and collected into canonical form,
/// then expanded when that is shorter.
///
/// ```
/// use kobai::{parse, simplify_steps, Limits};
/// let s = simplify_steps(&parse("2*x*3 + x - x").unwrap(), &[], &Limits::default()).unwrap();
/// assert_eq!(s.steps.last().unwrap().text, "6*x");
/// ```
pub fn simplify_steps(ast: &Ast, bindings: &[(Symbol, Expr)], limits: &Limits) -> Result<Steps> {
    let mut steps = Vec::new();
    start_with(ast, bindings, &mut steps);
    let canonical = crate::subs::subs(&lower(ast)?, bindings)?;
    let target = simplify(&canonical, limits)?;
    let canonical_text = crate::print::text(&canonical);
    if steps.last().map(|s| s.text.as_str()) != Some(canonical_text.as_str()) {
        steps.push(expr_step(&canonical, "collect like terms and fold numbers"));
    }
    if target != canonical {
        verify(&canonical, &target, "expand", limits)?;
        steps.push(expr_step(&target, "expand: the expanded form is shorter"));
    }
    Ok(Steps { steps, chain: true })
}

/// Plain statement steps, for explanations of solving (not a chain of
/// equalities): each line is `(text, rule)`.
///
/// ```
/// let s = kobai::statement_steps(vec![("8*w1 - 20 = 0".into(), "set the gradient to zero".into())]);
/// assert!(!s.chain);
/// ```
pub fn statement_steps(lines: Vec<(String, String)>) -> Steps {
    let steps = lines
        .into_iter()
        .map(|(text, rule)| {
            let unicode = text.replace(" - ", " − ").replace('*', "·");
            let latex = text.replace('*', " \\cdot ");
            Step { text, unicode, latex, rule, value: None }
        })
        .collect();
    Steps { steps, chain: false }
}

impl Steps {
    /// The explanation as text: one step a line, rules in a column.
    ///
    /// ```
    /// use kobai::{diff_steps, parse, Limits, Symbol};
    /// let s = diff_steps(&parse("x^2").unwrap(), Symbol::new("x"), &[], &Limits::default()).unwrap();
    /// assert_eq!(s.render_text(false), "d/dx x^2\n  = 2*x    power rule: (xⁿ)′ = n·xⁿ⁻¹\n");
    /// ```
    pub fn render_text(&self, unicode: bool) -> String {
        let body = |s: &Step| if unicode { s.unicode.clone() } else { s.text.clone() };
        let lines: Vec<String> = self
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| if i == 0 || !self.chain { body(s) } else { format!("  = {}", body(s)) })
            .collect();
        let skip = usize::from(self.chain);
        let width = lines.iter().skip(skip).map(|l| l.chars().count()).max().unwrap_or(0).min(72);
        let mut out = String::new();
        for (line, step) in lines.iter().zip(&self.steps) {
            out.push_str(line);
            if !step.rule.is_empty() {
                let pad = width.saturating_sub(line.chars().count()) + 4;
                out.push_str(&" ".repeat(pad));
                out.push_str(&step.rule);
            }
            out.push('\n');
        }
        out
    }

    /// The explanation as a LaTeX `aligned` environment.
    ///
    /// ```
    /// use kobai::{diff_steps, parse, Limits, Symbol};
    /// let s = diff_steps(&parse("x^2").unwrap(), Symbol::new("x"), &[], &Limits::default()).unwrap();
    /// assert!(s.render_latex().starts_with("\\begin{aligned}"));
    /// ```
    pub fn render_latex(&self) -> String {
        let mut out = String::from("\\begin{aligned}\n");
        for (i, s) in self.steps.iter().enumerate() {
            let rule = if s.rule.is_empty() { String::new() } else { format!(" && \\text{{{}}}", latex_text(&s.rule)) };
            if i == 0 || !self.chain {
                out.push_str(&format!("& {}{rule} \\\\\n", s.latex));
            } else {
                out.push_str(&format!("&= {}{rule} \\\\\n", s.latex));
            }
        }
        out.push_str("\\end{aligned}\n");
        out
    }
}

/// Escapes the characters that `\text{...}` cannot take as they are.
fn latex_text(s: &str) -> String {
    s.replace('\\', "\\textbackslash{}").replace('{', "\\{").replace('}', "\\}").replace('_', "\\_").replace('&', "\\&")
}

/// How `minimize` finds and classifies the stationary points: the gradient,
/// setting it to zero, isolating the variable (or solving the system), and
/// the second-derivative or Hessian test.
///
/// ```
/// use kobai::{minimize_steps, read, SolveOptions, Symbol};
/// let s = minimize_steps(&read("(3*w - 7)^2").unwrap(), &[Symbol::new("w")], &SolveOptions::default()).unwrap();
/// let rules: Vec<&str> = s.steps.iter().map(|s| s.rule.as_str()).collect();
/// assert!(rules.contains(&"set the gradient to zero"));
/// assert!(s.steps.iter().any(|s| s.text == "w = 7/3"));
/// ```
pub fn minimize_steps(loss: &Expr, vars: &[Symbol], options: &crate::SolveOptions) -> Result<Steps> {
    let report = crate::stationary_points(loss, vars, options)?;
    let limits = &options.limits;
    let mut lines: Vec<(String, String)> =
        vec![(format!("loss = {}", crate::print::text(&report.loss)), "the loss".into())];
    for (v, g) in vars.iter().zip(&report.gradient) {
        lines.push((format!("d/d{v} loss = {}", crate::print::text(g)), "differentiate (see diff --steps)".into()));
    }
    lines.extend(zero_steps(&report.gradient, vars, limits)?);
    let gens: Vec<Expr> = vars.iter().map(|v| Expr::sym(*v)).collect();
    let loss_poly = crate::Poly::from_expr(loss, &gens, limits)?;
    if let ([v], false) = (vars, report.points.is_empty()) {
        let second = loss_poly.derivative(0).derivative(0).to_expr();
        lines.push((format!("d²/d{v}² loss = {}", crate::print::text(&second)), "differentiate again".into()));
    }
    for p in &report.points {
        let at: Vec<String> =
            p.point.values.iter().map(|(v, c)| format!("{v} = {}", c.shown(options.digits))).collect();
        let at = at.join(", ");
        if vars.len() > 1 {
            let rows: Vec<String> = (0..vars.len())
                .map(|i| {
                    let row: Vec<String> = (0..vars.len())
                        .map(|j| crate::print::text(&loss_poly.derivative(i).derivative(j).to_expr()))
                        .collect();
                    format!("[{}]", row.join(", "))
                })
                .collect();
            lines.push((format!("Hessian = [{}]", rows.join(", ")), "second partial derivatives".into()));
        }
        let test = if vars.len() == 1 { "second-derivative test" } else { "Hessian test" };
        lines.push((format!("at {at}: {}", p.reason), format!("{test}: {}", p.kind.word())));
        let loss_value = match &p.loss {
            crate::Value::Exact(e) => crate::print::text(e),
            crate::Value::Approx(x) => format!("≈ {x}"),
        };
        lines.push((format!("loss at {at} = {loss_value}"), "substitute".into()));
    }
    if let Some((_, kind, reason)) = &report.family {
        lines.push((reason.clone(), format!("Hessian test: {}", kind.word())));
    }
    Ok(statement_steps(lines))
}

/// The steps from "gradient = 0" (or "equation = 0") to the solutions.
fn zero_steps(equations: &[Expr], vars: &[Symbol], limits: &Limits) -> Result<Vec<(String, String)>> {
    let mut lines = Vec::new();
    let shown: Vec<String> = equations.iter().map(|g| format!("{} = 0", crate::print::text(g))).collect();
    lines.push((
        shown.join(", "),
        if vars.len() == 1 { "set the gradient to zero".into() } else { "set every partial derivative to zero".into() },
    ));
    let gens: Vec<Expr> = vars.iter().map(|v| Expr::sym(*v)).collect();
    let polys: Vec<crate::Poly> =
        equations.iter().map(|e| crate::Poly::from_expr(e, &gens, limits)).collect::<Result<_>>()?;
    match (vars, polys.as_slice()) {
        ([v], [p]) if p.total_degree() == 1 => {
            // a·v + b = 0  →  a·v = −b  →  v = −b/a
            let Some((coeffs, constant)) = p.linear_coefficients() else { return Ok(lines) };
            let a = coeffs.first().cloned().unwrap_or_else(Q::one);
            let minus_b = constant.neg();
            let av = Expr::scale(&Expr::sym(*v), &a);
            if !constant.is_zero() {
                lines.push((
                    format!("{} = {minus_b}", crate::print::text(&av)),
                    "move the constant to the other side".into(),
                ));
            }
            if let Some(value) = minus_b.div(&a) {
                if !a.is_one() {
                    let fraction = if minus_b.is_integer() && a.is_integer() {
                        format!("{minus_b}/{a}")
                    } else {
                        format!("({minus_b})/({a})")
                    };
                    let rule = format!("divide by {a}");
                    if fraction == value.to_string() {
                        lines.push((format!("{v} = {value}"), rule));
                    } else {
                        lines.push((format!("{v} = {fraction}"), rule));
                        lines.push((format!("{v} = {value}"), "reduce the fraction".into()));
                    }
                } else {
                    lines.push((format!("{v} = {value}"), "isolate the variable".into()));
                }
            }
        }
        _ => {
            let rule = if vars.len() == 1 {
                "exact real roots: square-free decomposition, rational roots, radicals, isolating intervals"
            } else if polys.iter().all(|p| p.total_degree() <= 1) {
                "solve the linear system exactly (fraction-free elimination)"
            } else {
                "solve the polynomial system: split factors, eliminate linear variables, solve univariate equations"
            };
            let options = crate::SolveOptions::default().with_limits(*limits);
            let shown = match crate::solve_equations(equations, vars, &options)? {
                crate::Solutions::Finite(points) if points.is_empty() => "no solution".to_string(),
                crate::Solutions::Finite(points) => {
                    let each: Vec<String> = points
                        .iter()
                        .map(|p| {
                            let parts: Vec<String> =
                                p.values.iter().map(|(v, c)| format!("{v} = {}", c.shown(options.digits))).collect();
                            parts.join(", ")
                        })
                        .collect();
                    each.join(";  ")
                }
                crate::Solutions::Family { values, free } => {
                    let parts: Vec<String> = values
                        .iter()
                        .filter(|(v, e)| e.as_sym() != Some(*v))
                        .map(|(v, e)| format!("{v} = {}", crate::print::text(e)))
                        .collect();
                    let names: Vec<&str> = free.iter().map(|s| s.name()).collect();
                    format!("{} ({} free)", parts.join(", "), names.join(", "))
                }
            };
            lines.push((shown, rule.into()));
        }
    }
    Ok(lines)
}

/// How `solve` reaches the solutions of `equations = 0`.
///
/// ```
/// use kobai::{read_equation, solve_steps, Limits, Symbol};
/// let eq = read_equation("8*w1 - 20 = 0", &Limits::default()).unwrap();
/// let s = solve_steps(&[eq], &[Symbol::new("w1")], &Limits::default()).unwrap();
/// assert_eq!(s.steps.last().unwrap().text, "w1 = 5/2");
/// ```
pub fn solve_steps(equations: &[Expr], vars: &[Symbol], limits: &Limits) -> Result<Steps> {
    let mut lines = zero_steps(equations, vars, limits)?;
    if let Some(first) = lines.first_mut() {
        first.1 = "move everything to one side".into();
    }
    Ok(statement_steps(lines))
}

impl Steps {
    /// The explanation as JSON: `{"steps": [{"expr", "rule", "latex", "unicode"}]}`.
    ///
    /// ```
    /// use kobai::{diff_steps, parse, Limits, Symbol};
    /// let s = diff_steps(&parse("x^2").unwrap(), Symbol::new("x"), &[], &Limits::default()).unwrap();
    /// assert_eq!(s.to_json()["steps"][1]["rule"], "power rule: (xⁿ)′ = n·xⁿ⁻¹");
    /// ```
    pub fn to_json(&self) -> serde_json::Value {
        let steps: Vec<serde_json::Value> = self
            .steps
            .iter()
            .map(|s| serde_json::json!({"expr": s.text, "rule": s.rule, "latex": s.latex, "unicode": s.unicode}))
            .collect();
        serde_json::json!({ "steps": steps, "chain": self.chain })
    }
}
