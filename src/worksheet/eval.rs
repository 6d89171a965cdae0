//! Evaluating worksheet terms against the bound names.

use std::collections::HashSet;

use super::syntax::{Term, TermKind, is_known_function};
use super::{SheetCommand, SheetError, SheetValue, Worksheet};
use crate::check::{CheckOptions, ClaimReport, check_claim, check_derivative, check_equal, check_solution};
use crate::diff::{derivative, gradient, hessian};
use crate::error::Error;
use crate::expand::expand;
use crate::expr::Expr;
use crate::limits::Limits;
use crate::simplify::simplify;
use crate::solve::stationary::{SolveOptions, solve_equations, stationary_points};
use crate::steps::{Steps, diff_steps, expand_steps, minimize_steps, simplify_steps, solve_steps};
use crate::subs::{Evaluation, eval, subs};
use crate::symbol::Symbol;
use crate::syntax::ast::{Ast, AstKind};
use crate::syntax::lower::lower;
use crate::syntax::parse::parse_with;
use crate::syntax::span::Span;

/// The highest order `diff` takes, as on the command line.
const MAX_ORDER: i64 = 1000;

/// The first letter of the names that stand for calls and indexing while a
/// formula is read; no one types it by chance.
const PLACEHOLDER: char = 'ƶ';

/// An engine error about `span`; the error's own span wins when it has one.
fn at(span: Span) -> impl Fn(Error) -> SheetError {
    move |error| SheetError { span: error.span().unwrap_or(span), error }
}

fn usage(span: Span, message: String) -> SheetError {
    SheetError { span, error: Error::Usage { message } }
}

/// Refuses names that cannot be bound: commands, functions, `e`, `clear`.
pub(super) fn check_bindable(name: &str, span: Span) -> Result<(), SheetError> {
    let why = if let Some(c) = SheetCommand::from_name(name) {
        format!("`{name}` is a command ({}); choose another name", c.usage())
    } else if is_known_function(name) {
        format!("`{name}` is a function; choose another name")
    } else if name == "e" {
        "`e` is Euler's number (`e^x` is `exp(x)`), so it cannot be bound; call it `err` or `e1`".to_string()
    } else if name == "clear" {
        "`clear` unbinds names (`clear x1`); choose another name".to_string()
    } else if name.starts_with(PLACEHOLDER) {
        format!("names starting with `{PLACEHOLDER}` are kept for kobai's own use")
    } else {
        return Ok(());
    };
    Err(usage(span, why))
}

/// A name of exactly `len` bytes for the `k`-th call or index in a formula:
/// `ƶ3`, `ƶ3_xx`. The formula parser reads it as one short name, so a bracket
/// after it multiplies, as after the value it stands for.
fn placeholder(k: usize, len: usize) -> Option<String> {
    let mut name = format!("{PLACEHOLDER}{k}");
    if name.len() > len {
        return None;
    }
    if name.len() < len {
        name.push('_');
        name.push_str(&"x".repeat(len - name.len()));
    }
    Some(name)
}

/// Every name in the tree with its span, without recursion.
fn names(ast: &Ast) -> Vec<(&str, Span)> {
    let mut out = Vec::new();
    let mut pending = vec![ast];
    while let Some(node) = pending.pop() {
        match &node.kind {
            AstKind::Name(n) => out.push((n.as_str(), node.span)),
            AstKind::Number { .. } => {}
            AstKind::Neg(a) | AstKind::Plus(a) | AstKind::Group(_, a) => pending.push(a),
            AstKind::Add(a, b)
            | AstKind::Sub(a, b)
            | AstKind::Mul(a, b, _)
            | AstKind::Div(a, b)
            | AstKind::Pow(a, b) => {
                pending.push(b);
                pending.push(a);
            }
            AstKind::Call { args, .. } => pending.extend(args.iter().rev()),
        }
    }
    out.sort_by_key(|(_, span)| span.start);
    out
}

/// The items of a list argument, or the argument itself: `grad(e, [w0, w1])`
/// and `grad(e, w0, w1)` mean the same.
fn items(term: &Term) -> Vec<&Term> {
    match &term.kind {
        TermKind::List(items) => items.iter().collect(),
        _ => vec![term],
    }
}

/// The text of `e` as it is spliced into a formula: in brackets unless it is
/// a name, a call or a whole number.
fn spliced(e: &Expr) -> String {
    let atomic = e.as_sym().is_some()
        || e.as_num().is_some_and(|q| q.is_integer() && !q.is_negative())
        || matches!(e.node(), crate::expr::Node::Call(..));
    let text = crate::print::text(e);
    if atomic { text } else { format!("({text})") }
}

/// A formula read with its calls and indexing replaced by placeholders.
struct Reading {
    /// The text parsed: the line, blanked before the formula, placeholders in it.
    text: String,
    ast: Ast,
    /// The placeholder for each piece, in order.
    holders: Vec<String>,
}

/// Evaluates the terms of one line.
pub(super) struct Evaluator<'w> {
    sheet: &'w Worksheet,
    line: &'w str,
}

impl<'w> Evaluator<'w> {
    pub(super) fn new(sheet: &'w Worksheet, line: &'w str) -> Evaluator<'w> {
        Evaluator { sheet, line }
    }

    fn limits(&self) -> &Limits {
        &self.sheet.options.limits
    }

    fn solve_options(&self) -> SolveOptions {
        SolveOptions::default().with_limits(self.sheet.options.limits).with_digits(self.sheet.options.digits)
    }

    /// The value a line shows: with steps turned on, a derivative or a
    /// rewriting is explained; a formula shows its simplified value.
    pub(super) fn shown(&self, term: &Term) -> Result<SheetValue, SheetError> {
        if self.sheet.options.steps
            && let TermKind::Call {
                command:
                    SheetCommand::Diff
                    | SheetCommand::Grad
                    | SheetCommand::Expand
                    | SheetCommand::Simplify
                    | SheetCommand::Minimize
                    | SheetCommand::Solve,
                ..
            } = &term.kind
        {
            match self.steps_of(term) {
                Ok(steps) => return Ok(SheetValue::Steps(steps)),
                // A derivation too long to explain still has an answer.
                Err(SheetError { error: Error::Limit { .. }, .. }) => {}
                Err(e) => return Err(e),
            }
        }
        self.displayed(term)
    }

    /// The value, simplified when it is a formula's (a command's result is
    /// shown as the command gave it).
    fn displayed(&self, term: &Term) -> Result<SheetValue, SheetError> {
        let value = self.value(term)?;
        match (&term.kind, value) {
            (TermKind::Call { .. }, value) => Ok(value),
            (_, SheetValue::Expr(e)) => Ok(SheetValue::Expr(simplify(&e, self.limits()).map_err(at(term.span))?)),
            (_, value) => Ok(value),
        }
    }

    /// The value of a term: what a name is bound to.
    pub(super) fn value(&self, term: &Term) -> Result<SheetValue, SheetError> {
        match &term.kind {
            TermKind::Formula(pieces) => Ok(SheetValue::Expr(self.formula(term.span, pieces)?)),
            TermKind::Name(n) => match self.sheet.get(n) {
                Some(v) => Ok(v.clone()),
                None => Ok(SheetValue::Expr(self.formula(term.span, &[])?)),
            },
            TermKind::Text(s) => Ok(SheetValue::Text(s.clone())),
            TermKind::List(items) => {
                Ok(SheetValue::List(items.iter().map(|t| self.value(t)).collect::<Result<_, _>>()?))
            }
            TermKind::Call { command, args } => self.call(*command, args, term.span),
            TermKind::Index { target, index } => self.index(target, index),
            TermKind::Equation { .. } => Err(usage(
                term.span,
                "an equation is an argument of `solve` or `subs` only: `solve(2*w1 - 5 = 0, w1)`".into(),
            )),
        }
    }

    /// The value of `term`, which must be an expression.
    fn expr(&self, term: &Term) -> Result<Expr, SheetError> {
        let value = self.value(term)?;
        match value.as_expr() {
            Some(e) => Ok(e.clone()),
            None => Err(self.not_an_expression(term, &value)),
        }
    }

    fn not_an_expression(&self, term: &Term, value: &SheetValue) -> SheetError {
        let shown = self.line.get(term.span.start..term.span.end).unwrap_or("");
        let hint = match value {
            SheetValue::List(_) | SheetValue::Gradient { .. } | SheetValue::Hessian { .. } => {
                format!(": pick an item with `{shown}[0]`")
            }
            _ => String::new(),
        };
        usage(term.span, format!("`{shown}` is {}, not an expression{hint}", value.kind()))
    }

    /// Reads a formula, with its pieces replaced by placeholders of the same
    /// length, so that every span is a span of the line.
    fn read(&self, span: Span, pieces: &[Term]) -> Result<Reading, SheetError> {
        let mut text = " ".repeat(span.start);
        let mut holders = Vec::with_capacity(pieces.len());
        let mut from = span.start;
        for (k, piece) in pieces.iter().enumerate() {
            text.push_str(self.line.get(from..piece.span.start).unwrap_or(""));
            let Some(name) = placeholder(k, piece.span.len()) else {
                let reason = "more than 99 calls and indexes in one formula; bind some of them to names first".into();
                return Err(SheetError { span: piece.span, error: Error::Unsupported { reason } });
            };
            text.push_str(&name);
            holders.push(name);
            from = piece.span.end;
        }
        text.push_str(self.line.get(from..span.end).unwrap_or(""));
        let ast = parse_with(&text, self.limits()).map_err(at(span))?;
        Ok(Reading { text, ast, holders })
    }

    /// The value that a name in a formula stands for: a piece's, or a bound
    /// name's; `None` for a free variable.
    fn name_value(
        &self,
        name: &str,
        span: Span,
        pieces: &[Term],
        holders: &[String],
    ) -> Result<Option<Expr>, SheetError> {
        if let Some(k) = holders.iter().position(|h| h == name) {
            return match pieces.get(k) {
                Some(piece) => self.expr(piece).map(Some),
                None => Ok(None),
            };
        }
        match self.sheet.get(name) {
            None => Ok(None),
            Some(value) => match value.as_expr() {
                Some(e) => Ok(Some(e.clone())),
                None => {
                    let hint = match value {
                        SheetValue::List(_) | SheetValue::Gradient { .. } | SheetValue::Hessian { .. } => {
                            format!(": pick an item with `{name}[0]`")
                        }
                        _ => String::new(),
                    };
                    Err(usage(span, format!("`{name}` is {}, not an expression{hint}", value.kind())))
                }
            },
        }
    }

    /// A formula's value: read, lowered, with bound names and pieces
    /// substituted.
    fn formula(&self, span: Span, pieces: &[Term]) -> Result<Expr, SheetError> {
        let reading = self.read(span, pieces)?;
        let mut seen = HashSet::new();
        let mut values = Vec::new();
        for (name, name_span) in names(&reading.ast) {
            if !seen.insert(name) {
                continue;
            }
            if let Some(v) = self.name_value(name, name_span, pieces, &reading.holders)? {
                values.push((Symbol::new(name), v));
            }
        }
        let lowered = lower(&reading.ast).map_err(at(span))?;
        subs(&lowered, &values).map_err(at(span))
    }

    /// The input of an explanation: the formula as typed, with bound names
    /// and pieces written out; or the value's text when it is not a formula.
    fn steps_ast(&self, term: &Term) -> Result<Ast, SheetError> {
        let text = match &term.kind {
            TermKind::Formula(pieces) => {
                let reading = self.read(term.span, pieces)?;
                let mut text = String::with_capacity(reading.text.len());
                let mut from = term.span.start;
                for (name, name_span) in names(&reading.ast) {
                    let Some(v) = self.name_value(name, name_span, pieces, &reading.holders)? else { continue };
                    text.push_str(reading.text.get(from..name_span.start).unwrap_or(""));
                    text.push_str(&spliced(&v));
                    from = name_span.end;
                }
                text.push_str(reading.text.get(from..term.span.end).unwrap_or(""));
                text
            }
            TermKind::Name(n) if self.sheet.get(n).is_none() => n.clone(),
            _ => crate::print::text(&self.expr(term)?),
        };
        parse_with(&text, self.limits()).map_err(|error| SheetError { span: term.span, error })
    }

    fn arity(
        &self,
        command: SheetCommand,
        args: &[Term],
        span: Span,
        min: usize,
        max: usize,
    ) -> Result<(), SheetError> {
        if (min..=max).contains(&args.len()) {
            return Ok(());
        }
        let count = |n: usize| if n == 1 { "1 argument".to_string() } else { format!("{n} arguments") };
        let expected = if min == max {
            count(min)
        } else if max == usize::MAX {
            format!("at least {}", count(min))
        } else {
            format!("{min} to {}", count(max))
        };
        let error = Error::Arity { span, name: command.name().to_string(), expected, found: args.len() };
        Err(SheetError { span, error })
    }

    /// The one argument of a command that takes one.
    fn only<'a>(&self, command: SheetCommand, args: &'a [Term], span: Span) -> Result<&'a Term, SheetError> {
        self.arity(command, args, span, 1, 1)?;
        args.first().ok_or_else(|| usage(span, format!("{} takes 1 argument", command.name())))
    }

    /// The first argument and the rest, for commands that take at least one.
    fn first<'a>(
        &self,
        command: SheetCommand,
        args: &'a [Term],
        span: Span,
        min: usize,
    ) -> Result<(&'a Term, &'a [Term]), SheetError> {
        self.arity(command, args, span, min.max(1), usize::MAX)?;
        args.split_first().ok_or_else(|| usage(span, format!("{} needs an argument", command.name())))
    }

    fn call(&self, command: SheetCommand, args: &[Term], span: Span) -> Result<SheetValue, SheetError> {
        let limits = *self.limits();
        match command {
            SheetCommand::Expand => {
                let a = self.only(command, args, span)?;
                Ok(SheetValue::Expr(expand(&self.expr(a)?, &limits).map_err(at(span))?))
            }
            SheetCommand::Simplify => {
                let a = self.only(command, args, span)?;
                Ok(SheetValue::Expr(simplify(&self.expr(a)?, &limits).map_err(at(span))?))
            }
            SheetCommand::Diff => {
                let (e, plan) = self.diff_plan(args, span)?;
                let mut d = e;
                for (v, order) in plan {
                    d = derivative(&d, v, order, &limits).map_err(at(span))?;
                }
                Ok(SheetValue::Expr(d))
            }
            SheetCommand::Grad | SheetCommand::Hessian => {
                let (first, rest) = self.first(command, args, span, 1)?;
                let e = self.expr(first)?;
                let vars = self.variables_in(rest, &e, first.span)?;
                if command == SheetCommand::Grad {
                    let items = gradient(&e, &vars, &limits).map_err(at(span))?;
                    Ok(SheetValue::Gradient { vars, items })
                } else {
                    let rows = hessian(&e, &vars, &limits).map_err(at(span))?;
                    Ok(SheetValue::Hessian { vars, rows })
                }
            }
            SheetCommand::Subs => {
                let (first, rest) = self.first(command, args, span, 2)?;
                let e = self.expr(first)?;
                let bindings = self.bindings(rest, &e)?;
                Ok(SheetValue::Expr(subs(&e, &bindings).map_err(at(span))?))
            }
            SheetCommand::Eval => {
                let (first, rest) = self.first(command, args, span, 1)?;
                let e = self.expr(first)?;
                let bindings = self.bindings(rest, &e)?;
                let r = eval(&e, &bindings, &limits).map_err(at(span))?;
                let exact = simplify(&r.exact, &limits).map_err(at(span))?;
                Ok(SheetValue::Evaluation(Evaluation { exact, approx: r.approx }))
            }
            SheetCommand::Solve => {
                let (equations, vars) = self.solve_plan(args, span)?;
                let solutions = solve_equations(&equations, &vars, &self.solve_options()).map_err(at(span))?;
                Ok(SheetValue::Solutions { vars, solutions })
            }
            SheetCommand::Minimize => {
                let (e, vars) = self.minimize_plan(args, span)?;
                let report = stationary_points(&e, &vars, &self.solve_options()).map_err(at(span))?;
                Ok(SheetValue::Stationary(report))
            }
            SheetCommand::Check => {
                let a = self.only(command, args, span)?;
                Ok(SheetValue::Check(self.check(a)?))
            }
            SheetCommand::Steps => {
                let a = self.only(command, args, span)?;
                Ok(SheetValue::Steps(self.steps_of(a)?))
            }
            SheetCommand::Latex => {
                let a = self.only(command, args, span)?;
                Ok(SheetValue::Latex(Box::new(self.displayed(a)?)))
            }
            SheetCommand::Print => {
                Ok(SheetValue::Printed(args.iter().map(|a| self.displayed(a)).collect::<Result<_, _>>()?))
            }
            SheetCommand::Len => {
                let a = self.only(command, args, span)?;
                let n = match self.value(a)? {
                    SheetValue::List(items) => items.len(),
                    SheetValue::Gradient { items, .. } => items.len(),
                    SheetValue::Hessian { rows, .. } => rows.len(),
                    SheetValue::Text(s) => s.chars().count(),
                    other => {
                        return Err(usage(
                            a.span,
                            format!("`len` counts the items of a list, not of {}", other.kind()),
                        ));
                    }
                };
                Ok(SheetValue::Expr(Expr::int(i64::try_from(n).unwrap_or(i64::MAX))))
            }
            SheetCommand::Sum => {
                let a = self.only(command, args, span)?;
                let items: Vec<Expr> = match self.value(a)? {
                    SheetValue::List(items) => items
                        .iter()
                        .map(|v| v.as_expr().cloned().ok_or_else(|| self.not_an_expression(a, v)))
                        .collect::<Result<_, _>>()?,
                    SheetValue::Gradient { items, .. } => items,
                    other => {
                        return Err(usage(a.span, format!("`sum` adds the items of a list, not of {}", other.kind())));
                    }
                };
                Ok(SheetValue::Expr(Expr::sum(items)))
            }
        }
    }

    /// A variable argument: a name that has no value.
    fn variable(&self, term: &Term) -> Result<Symbol, SheetError> {
        let TermKind::Name(name) = &term.kind else {
            let shown = self.line.get(term.span.start..term.span.end).unwrap_or("");
            return Err(usage(term.span, format!("expected a variable name such as `w1`, found `{shown}`")));
        };
        if name == "e" {
            return Err(usage(term.span, "`e` is Euler's number, not a variable".into()));
        }
        if is_known_function(name) || SheetCommand::from_name(name).is_some() {
            return Err(usage(term.span, format!("`{name}` is a function, not a variable")));
        }
        if let Some(value) = self.sheet.get(name) {
            let shown = match value.as_expr() {
                Some(e) if crate::print::text(e).len() <= 40 => format!(" ({})", crate::print::text(e)),
                _ => String::new(),
            };
            return Err(usage(
                term.span,
                format!("`{name}` has a value{shown} in this worksheet; `clear {name}` to use it as a variable"),
            ));
        }
        Ok(Symbol::new(name))
    }

    /// Variables given one by one or as lists, each once.
    fn variables(&self, terms: &[Term]) -> Result<Vec<(Symbol, Span)>, SheetError> {
        let mut out: Vec<(Symbol, Span)> = Vec::new();
        for term in terms {
            for item in items(term) {
                let v = self.variable(item)?;
                if out.iter().any(|(s, _)| *s == v) {
                    return Err(usage(item.span, format!("`{v}` is listed twice")));
                }
                out.push((v, item.span));
            }
        }
        Ok(out)
    }

    /// The variables named (each must occur in `e`), or all of `e`'s.
    fn variables_in(&self, terms: &[Term], e: &Expr, e_span: Span) -> Result<Vec<Symbol>, SheetError> {
        if terms.is_empty() {
            let all = e.symbols();
            if all.is_empty() {
                return Err(usage(e_span, "the expression has no variables".into()));
            }
            return Ok(all);
        }
        let vars = self.variables(terms)?;
        for (v, span) in &vars {
            self.occurs(*v, *span, std::slice::from_ref(e), "the expression")?;
        }
        Ok(vars.into_iter().map(|(v, _)| v).collect())
    }

    /// An error unless `v` occurs in one of `exprs`: a typo should not
    /// silently give 0.
    fn occurs(&self, v: Symbol, span: Span, exprs: &[Expr], what: &str) -> Result<(), SheetError> {
        if exprs.iter().any(|e| e.contains(v)) {
            return Ok(());
        }
        let mut present: Vec<Symbol> = exprs.iter().flat_map(Expr::symbols).collect();
        present.sort();
        present.dedup();
        let listing = if present.is_empty() {
            "it has no variables".to_string()
        } else {
            format!("its variables: {}", present.iter().map(|s| s.name()).collect::<Vec<_>>().join(", "))
        };
        Err(usage(span, format!("`{v}` does not occur in {what} ({listing})")))
    }

    /// `diff(e, x, 2, y)`: the expression, and each variable with its order.
    fn diff_plan(&self, args: &[Term], span: Span) -> Result<(Expr, Vec<(Symbol, u32)>), SheetError> {
        let (first, rest) = self.first(SheetCommand::Diff, args, span, 1)?;
        let e = self.expr(first)?;
        let mut plan: Vec<(Symbol, u32)> = Vec::new();
        for spec in rest {
            let unbound_name = matches!(&spec.kind, TermKind::Name(n) if self.sheet.get(n).is_none());
            if unbound_name || plan.is_empty() {
                let v = self.variable(spec)?;
                self.occurs(v, spec.span, std::slice::from_ref(&e), "the expression")?;
                plan.push((v, 1));
                continue;
            }
            let order = self.expr(spec)?;
            let n = order.as_num().and_then(|q| if q.is_integer() { q.to_i64() } else { None });
            let Some(n) = n.filter(|n| (1..=MAX_ORDER).contains(n)) else {
                return Err(usage(
                    spec.span,
                    format!("an order is a whole number from 1 to {MAX_ORDER}, as in `diff(e, x, 2)`"),
                ));
            };
            if let Some(last) = plan.last_mut() {
                last.1 = u32::try_from(n).unwrap_or(1);
            }
        }
        if plan.is_empty() {
            match e.symbols().as_slice() {
                [only] => plan.push((*only, 1)),
                _ => return Err(usage(span, "name the variable to differentiate by: `diff(e, w1)`".into())),
            }
        }
        Ok((e, plan))
    }

    /// `x1 = 3` arguments (or lists of them), each naming a variable of `e`.
    fn bindings(&self, terms: &[Term], e: &Expr) -> Result<Vec<(Symbol, Expr)>, SheetError> {
        let mut out: Vec<(Symbol, Expr)> = Vec::new();
        for term in terms {
            for item in items(term) {
                let TermKind::Equation { lhs, rhs } = &item.kind else {
                    let shown = self.line.get(item.span.start..item.span.end).unwrap_or("");
                    return Err(usage(item.span, format!("expected a value such as `x1 = 3`, found `{shown}`")));
                };
                let v = self.variable(lhs)?;
                self.occurs(v, lhs.span, std::slice::from_ref(e), "the expression")?;
                if out.iter().any(|(s, _)| *s == v) {
                    return Err(usage(lhs.span, format!("`{v}` is given a value twice")));
                }
                out.push((v, self.expr(rhs)?));
            }
        }
        Ok(out)
    }

    /// `lhs = rhs` as `lhs - rhs`; an expression alone means `= 0`.
    fn equation(&self, term: &Term) -> Result<Expr, SheetError> {
        match &term.kind {
            TermKind::Equation { lhs, rhs } => Ok(Expr::sub(&self.expr(lhs)?, &self.expr(rhs)?)),
            _ => self.expr(term),
        }
    }

    /// `minimize(e, w0, w1)`: the loss and the variables (all of its own
    /// when none are named).
    fn minimize_plan(&self, args: &[Term], span: Span) -> Result<(Expr, Vec<Symbol>), SheetError> {
        let (first, rest) = self.first(SheetCommand::Minimize, args, span, 1)?;
        let e = self.expr(first)?;
        let vars = self.variables_in(rest, &e, first.span)?;
        Ok((e, vars))
    }

    /// `solve(eq, ..., x, ...)`: the equations (as expressions equal to 0)
    /// and the variables to solve for.
    fn solve_plan(&self, args: &[Term], span: Span) -> Result<(Vec<Expr>, Vec<Symbol>), SheetError> {
        self.first(SheetCommand::Solve, args, span, 1)?;
        let mut equations = Vec::new();
        let mut var_terms = Vec::new();
        let unbound = |t: &Term| matches!(&t.kind, TermKind::Name(n) if self.sheet.get(n).is_none() && n != "e");
        for (k, term) in args.iter().enumerate() {
            // After the first argument, names without a value (or lists of
            // them) are the variables; everything else is an equation.
            let names = items(term);
            if k > 0 && !names.is_empty() && names.iter().all(|t| unbound(t)) {
                var_terms.push(term);
            } else {
                for item in names {
                    equations.push(self.equation(item)?);
                }
            }
        }
        let vars = if var_terms.is_empty() {
            let mut all: Vec<Symbol> = equations.iter().flat_map(Expr::symbols).collect();
            all.sort();
            all.dedup();
            if all.is_empty() {
                return Err(usage(span, "there is no variable to solve for".into()));
            }
            all
        } else {
            let mut vars = Vec::new();
            for term in var_terms {
                for (v, v_span) in self.variables(std::slice::from_ref(term))? {
                    if vars.contains(&v) {
                        return Err(usage(v_span, format!("`{v}` is listed twice")));
                    }
                    self.occurs(v, v_span, &equations, "the equations")?;
                    vars.push(v);
                }
            }
            vars
        };
        Ok((equations, vars))
    }

    /// `check(claim)`: `diff(e, x) = d` and `solve(eq, x) = v` (or `= [v1, v2]`)
    /// check a derivative and the solutions; any other `lhs = rhs` checks an
    /// equality; a string is a claim as `kobai check` reads it.
    fn check(&self, claim: &Term) -> Result<ClaimReport, SheetError> {
        let options = CheckOptions::default().with_limits(*self.limits());
        let (lhs, rhs) = match &claim.kind {
            TermKind::Equation { lhs, rhs } => (lhs, rhs),
            TermKind::Text(text) => {
                // The string's own spans start after its opening quote.
                let inside = claim.span.start + 1;
                return check_claim(text, &options).map_err(|e| at(claim.span)(e.shifted(inside)));
            }
            _ => {
                return Err(usage(
                    claim.span,
                    "`check` takes a claim `lhs = rhs`: check((a + b)^2 = a^2 + 2*a*b + b^2)".into(),
                ));
            }
        };
        match &lhs.kind {
            TermKind::Call { command: SheetCommand::Diff, args } => {
                let (function, plan) = self.diff_plan(args, lhs.span)?;
                let claimed = self.expr(rhs)?;
                if let [(var, order)] = plan.as_slice() {
                    let report =
                        check_derivative(&function, *var, *order, &claimed, &options).map_err(at(claim.span))?;
                    return Ok(ClaimReport::Derivative { function, var: *var, order: *order, report });
                }
                let derivative = self.expr(lhs)?;
                Ok(ClaimReport::Equality(check_equal(&derivative, &claimed, &options).map_err(at(claim.span))?))
            }
            TermKind::Call { command: SheetCommand::Solve, args } => {
                let (equations, vars) = self.solve_plan(args, lhs.span)?;
                let ([equation], [var]) = (equations.as_slice(), vars.as_slice()) else {
                    return Err(usage(lhs.span, "`check` checks the solutions of one equation in one variable".into()));
                };
                let values: Vec<Expr> = items(rhs).into_iter().map(|t| self.expr(t)).collect::<Result<_, _>>()?;
                let report = check_solution(equation, *var, &values, &options).map_err(at(claim.span))?;
                Ok(ClaimReport::Solution(report))
            }
            _ => {
                let (left, right) = (self.expr(lhs)?, self.expr(rhs)?);
                Ok(ClaimReport::Equality(check_equal(&left, &right, &options).map_err(at(claim.span))?))
            }
        }
    }

    /// `target[index]`, counting from 0; negative indexes count from the end.
    fn index(&self, target: &Term, index: &Term) -> Result<SheetValue, SheetError> {
        let value = self.value(target)?;
        let len = match &value {
            SheetValue::List(items) => items.len(),
            SheetValue::Gradient { items, .. } => items.len(),
            SheetValue::Hessian { rows, .. } => rows.len(),
            other => {
                let shown = self.line.get(target.span.start..target.span.end).unwrap_or("");
                let what = match (&target.kind, other) {
                    (TermKind::Name(n), SheetValue::Expr(e)) if e.as_sym().is_some_and(|s| s.name() == n) => {
                        format!("`{shown}` is not bound to a list (to multiply, write `{shown}*[...]`)")
                    }
                    _ => format!("`{shown}` is {}, not a list", other.kind()),
                };
                return Err(usage(target.span, what));
            }
        };
        let i = self.expr(index)?;
        let Some(i) = i.as_num().and_then(|q| if q.is_integer() { q.to_i64() } else { None }) else {
            return Err(usage(index.span, format!("an index is a whole number, not {i}")));
        };
        let position = if i < 0 { i.checked_add(i64::try_from(len).unwrap_or(i64::MAX)) } else { Some(i) };
        let position = position.and_then(|p| usize::try_from(p).ok()).filter(|p| *p < len);
        let Some(k) = position else {
            let range = if len == 0 { "the list is empty".to_string() } else { format!("from 0 to {}", len - 1) };
            return Err(usage(index.span, format!("index {i} is out of range: {range}")));
        };
        let picked = match value {
            SheetValue::List(items) => items.into_iter().nth(k),
            SheetValue::Gradient { items, .. } => items.into_iter().nth(k).map(SheetValue::Expr),
            SheetValue::Hessian { rows, .. } => {
                rows.into_iter().nth(k).map(|row| SheetValue::List(row.into_iter().map(SheetValue::Expr).collect()))
            }
            _ => None,
        };
        picked.ok_or_else(|| usage(index.span, format!("index {i} is out of range")))
    }

    /// The explanation of a command (or of simplifying a formula).
    fn steps_of(&self, term: &Term) -> Result<Vec<Steps>, SheetError> {
        let limits = *self.limits();
        let explain = |r: crate::error::Result<Steps>| r.map_err(at(term.span));
        let TermKind::Call { command, args } = &term.kind else {
            return Ok(vec![explain(simplify_steps(&self.steps_ast(term)?, &[], &limits))?]);
        };
        match command {
            SheetCommand::Diff => {
                let (_, plan) = self.diff_plan(args, term.span)?;
                let first = self.first(SheetCommand::Diff, args, term.span, 1)?.0;
                let mut ast = self.steps_ast(first)?;
                let mut out = Vec::new();
                for (v, order) in plan {
                    for _ in 0..order {
                        let s = explain(diff_steps(&ast, v, &[], &limits))?;
                        let last = s.steps.last().map(|step| step.text.clone()).unwrap_or_default();
                        ast = parse_with(&last, &limits).map_err(at(term.span))?;
                        out.push(s);
                    }
                }
                Ok(out)
            }
            SheetCommand::Grad => {
                let (first, rest) = self.first(SheetCommand::Grad, args, term.span, 1)?;
                let vars = self.variables_in(rest, &self.expr(first)?, first.span)?;
                let ast = self.steps_ast(first)?;
                vars.into_iter().map(|v| explain(diff_steps(&ast, v, &[], &limits))).collect()
            }
            SheetCommand::Expand => {
                let a = self.only(SheetCommand::Expand, args, term.span)?;
                Ok(vec![explain(expand_steps(&self.steps_ast(a)?, &[], &limits))?])
            }
            SheetCommand::Simplify => {
                let a = self.only(SheetCommand::Simplify, args, term.span)?;
                Ok(vec![explain(simplify_steps(&self.steps_ast(a)?, &[], &limits))?])
            }
            SheetCommand::Minimize => {
                let (e, vars) = self.minimize_plan(args, term.span)?;
                Ok(vec![explain(minimize_steps(&e, &vars, &self.solve_options()))?])
            }
            SheetCommand::Solve => {
                let (equations, vars) = self.solve_plan(args, term.span)?;
                Ok(vec![explain(solve_steps(&equations, &vars, &limits))?])
            }
            SheetCommand::Steps => {
                let a = self.only(SheetCommand::Steps, args, term.span)?;
                self.steps_of(a)
            }
            other => Err(SheetError {
                span: term.span,
                error: Error::Unsupported {
                    reason: format!(
                        "`{}` has no steps to show; steps explain diff, grad, expand, simplify, minimize and solve",
                        other.name()
                    ),
                },
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_fill_the_span_exactly() {
        assert_eq!(placeholder(3, 4).as_deref(), Some("ƶ3_"));
        assert_eq!(placeholder(3, 3).as_deref(), Some("ƶ3"));
        assert_eq!(placeholder(3, 7).as_deref(), Some("ƶ3_xxx"));
        assert_eq!(placeholder(12, 3), None);
        for (k, len) in [(0, 4), (7, 12), (42, 9)] {
            let name = placeholder(k, len).unwrap_or_default();
            assert_eq!(name.len(), len);
            let ast = parse_with(&format!("{name}(x + 1)"), &Limits::default()).unwrap();
            assert!(matches!(ast.kind, AstKind::Mul(..)), "{name}: {ast}");
        }
    }
}
