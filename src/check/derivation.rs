//! Derivations: a calculation written one step a line, each step checked
//! against the line before it and against the start.
//!
//! The lines a derivation file may contain:
//!
//! ```text
//! # a comment (also after a step)
//! given x = 3, y = 7           values for the lines that follow
//! loss = (w*x - y)^2           a start: a name (or `f(w)`) and an expression
//!      = (3w - 7)^2            a step: equal to the line before
//! d/dw = 18w - 42              a step: the derivative of the line before
//! zero at w = 7/3              the derivative (or gradient) vanishes there
//! minimum at w = 7/3           … and the point is a minimum
//! (a + b)^2 = a^2 + 2ab + b^2  a claim on its own (any form `check` takes)
//! ```
//!
//! A line without `=` starts an unnamed calculation. Names defined by a
//! start, and `given` values, are substituted in the lines after them.

use crate::diff::{derivative, gradient, hessian};
use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::limits::Limits;
use crate::number::Q;
use crate::simplify::tidy;
use crate::solve::linear::{Definiteness, inertia};
use crate::solve::stationary::{Kind, SolveOptions, stationary_points};
use crate::subs::subs;
use crate::symbol::Symbol;
use crate::syntax::span::Span;

use super::claim::{ClaimReport, derivative_operator, equals_signs, parse_claim, read_piece, run_claim};
use super::{CheckOptions, Context, EqualityReport, SideValue, Written, compare, is_zero, side_value};

/// The report on a whole derivation.
///
/// ```
/// use kobai::{check_derivation, CheckOptions};
/// let text = "given x = 3, y = 7\nloss = (w*x - y)^2\n     = (3w - 7)^2\n     = 9w^2 - 42w + 40\nd/dw = 18w - 42\n";
/// let r = check_derivation(text, &CheckOptions::default())?;
/// assert!(!r.holds());
/// assert_eq!(r.first_wrong().map(|s| s.line), Some(4));
/// assert_eq!(r.steps[4].holds(), Some(true));
/// # Ok::<(), kobai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct DerivationReport {
    /// One entry per line that is not blank or a comment.
    pub steps: Vec<StepReport>,
}

impl DerivationReport {
    /// True when every checked step holds.
    ///
    /// ```
    /// let r = kobai::check_derivation("f = (x + 1)^2\n  = x^2 + 2x + 1\n", &kobai::CheckOptions::default())?;
    /// assert!(r.holds());
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn holds(&self) -> bool {
        self.steps.iter().all(StepReport::holds_or_unchecked)
    }

    /// The first step that does not hold.
    ///
    /// ```
    /// let r = kobai::check_derivation("f = (x + 1)^2\n  = x^2 + 1\n", &kobai::CheckOptions::default())?;
    /// assert_eq!(r.first_wrong().unwrap().line, 2);
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn first_wrong(&self) -> Option<&StepReport> {
        self.steps.iter().find(|s| s.holds() == Some(false))
    }
}

/// One line of a derivation, checked.
///
/// ```
/// let r = kobai::check_derivation("f = (x + 1)^2\n  = x^2 + 2x + 1\n", &kobai::CheckOptions::default())?;
/// let step = &r.steps[1];
/// assert_eq!((step.line, step.previous_line, step.start_line), (2, Some(1), Some(1)));
/// assert_eq!(step.text, "  = x^2 + 2x + 1");
/// # Ok::<(), kobai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct StepReport {
    /// The line number, from 1.
    pub line: usize,
    /// The line as written, without its comment.
    pub text: String,
    /// The line the step is compared with (its predecessor).
    pub previous_line: Option<usize>,
    /// The line the calculation started on.
    pub start_line: Option<usize>,
    /// What the line says, and the checks.
    pub step: DerivationStep,
}

impl StepReport {
    /// Whether the step follows from the line before it; `None` for lines
    /// that are not checked (`given`, a start) and for undecided ones.
    ///
    /// ```
    /// let r = kobai::check_derivation("f = x^2\nd/dx = 2x\n", &kobai::CheckOptions::default())?;
    /// assert_eq!((r.steps[0].holds(), r.steps[1].holds()), (None, Some(true)));
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn holds(&self) -> Option<bool> {
        match &self.step {
            DerivationStep::Given { .. } | DerivationStep::Start { .. } => None,
            DerivationStep::Equal { previous, .. } | DerivationStep::Derivative { previous, .. } => decided(previous),
            DerivationStep::Stationary { previous, .. } => previous.holds(),
            DerivationStep::Claim(c) => Some(c.holds()),
        }
    }

    /// Whether the step agrees with the start of the calculation (for a
    /// derivative step, with the derivative of the start); `None` when the
    /// question does not apply or is undecided.
    ///
    /// ```
    /// let text = "f = (x + 1)^2\n  = x^2 + 1\nd/dx = 2x\n";
    /// let r = kobai::check_derivation(text, &kobai::CheckOptions::default())?;
    /// assert_eq!((r.steps[2].holds(), r.steps[2].agrees_with_start()), (Some(true), Some(false)));
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn agrees_with_start(&self) -> Option<bool> {
        match &self.step {
            DerivationStep::Given { .. } | DerivationStep::Start { .. } | DerivationStep::Claim(_) => None,
            DerivationStep::Equal { start, .. } | DerivationStep::Derivative { start, .. } => decided(start),
            DerivationStep::Stationary { start, .. } => start.holds(),
        }
    }

    /// True for a step that holds, or is not a check.
    fn holds_or_unchecked(&self) -> bool {
        match &self.step {
            DerivationStep::Given { .. } | DerivationStep::Start { .. } => true,
            DerivationStep::Equal { previous, .. } | DerivationStep::Derivative { previous, .. } => previous.holds(),
            DerivationStep::Stationary { previous, .. } => previous.holds() == Some(true),
            DerivationStep::Claim(c) => c.holds(),
        }
    }
}

fn decided(r: &EqualityReport) -> Option<bool> {
    match r.verdict {
        super::Verdict::Undecided { .. } => None,
        super::Verdict::Proven { .. } | super::Verdict::Agrees { .. } | super::Verdict::Fails { .. } => Some(r.holds()),
    }
}

/// What one line of a derivation says.
///
/// ```
/// use kobai::{check_derivation, CheckOptions, DerivationStep};
/// let r = check_derivation("given a = 2\nf = a*x^2\nd/dx = 4x\n", &CheckOptions::default())?;
/// assert!(matches!(r.steps[0].step, DerivationStep::Given { .. }));
/// let DerivationStep::Derivative { previous, .. } = &r.steps[2].step else { panic!() };
/// assert_eq!(previous.left.to_string(), "4*x");
/// # Ok::<(), kobai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum DerivationStep {
    /// `given x = 3, y = 7`.
    Given {
        /// The values.
        bindings: Vec<(Symbol, Expr)>,
    },
    /// The start of a calculation.
    Start {
        /// Its name, when it has one.
        name: Option<String>,
        /// The expression, with given values substituted.
        expr: Expr,
    },
    /// `= expr`: equal to the line before.
    Equal {
        /// The expression, with given values substituted.
        expr: Expr,
        /// The line before (left) against this one (right).
        previous: EqualityReport,
        /// What the start says here (left) against this line (right).
        start: EqualityReport,
    },
    /// `d/dw = expr`: the derivative of the line before.
    Derivative {
        /// The variable.
        var: Symbol,
        /// The order as written.
        order: u32,
        /// How many times the line before was differentiated: the order, or
        /// less when the line before is already a derivative (`d^2/dw^2`
        /// after `d/dw` differentiates it once more).
        applied: u32,
        /// The expression, with given values substituted.
        expr: Expr,
        /// The derivative of the line before (left) against this one.
        previous: EqualityReport,
        /// The derivative of the start (left) against this line.
        start: EqualityReport,
    },
    /// `zero at …`, `minimum at …`, `maximum at …`.
    Stationary {
        /// Checked on the lines as written.
        previous: StationaryCheck,
        /// Checked on what the start says.
        start: StationaryCheck,
    },
    /// A claim of its own.
    Claim(ClaimReport),
}

/// A check that a derivative (or gradient) vanishes at a point, and, when
/// claimed, that the point is a minimum or maximum.
///
/// ```
/// use kobai::{check_derivation, CheckOptions, DerivationStep, Kind};
/// let r = check_derivation("f = -(x - 1)^2\nminimum at x = 1\n", &CheckOptions::default())?;
/// let DerivationStep::Stationary { previous, .. } = &r.steps[1].step else { panic!() };
/// assert_eq!(previous.vanishes, Some(true));
/// assert_eq!(previous.kind, Some(Kind::Maximum));
/// assert_eq!(previous.holds(), Some(false));
/// # Ok::<(), kobai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct StationaryCheck {
    /// The point.
    pub point: Vec<(Symbol, Expr)>,
    /// Each expression that must vanish, with its value at the point.
    pub values: Vec<(Expr, SideValue)>,
    /// Whether they all vanish (`None`: undecided).
    pub vanishes: Option<bool>,
    /// The kind claimed, for `minimum at` and `maximum at`.
    pub claimed: Option<Kind>,
    /// The kind found, when decided.
    pub kind: Option<Kind>,
    /// How the kind was decided, in words.
    pub reason: String,
}

impl StationaryCheck {
    /// Whether the claim holds: the values vanish and the kind is the one
    /// claimed (`None`: undecided).
    ///
    /// ```
    /// let r = kobai::check_derivation("f = (x - 1)^2\nminimum at x = 1\n", &kobai::CheckOptions::default())?;
    /// assert_eq!(r.steps[1].holds(), Some(true));
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn holds(&self) -> Option<bool> {
        match (self.vanishes, &self.claimed) {
            (Some(false), _) => Some(false),
            (None, _) => None,
            (Some(true), None) => Some(true),
            (Some(true), Some(claimed)) => self.kind.as_ref().map(|k| k == claimed),
        }
    }
}

/// The calculation in progress.
struct Chain {
    start_line: usize,
    name: Option<String>,
    /// The start, differentiated as the derivative steps say.
    truth: Expr,
    /// What the start's text says about its domain.
    truth_written: Written,
    /// The last expression as written.
    previous: Expr,
    /// What its text says about its domain.
    previous_written: Written,
    previous_line: usize,
    /// The function that derivative steps differentiate, as written and as
    /// the start says (for `minimum at`).
    function: Option<(Expr, Expr)>,
    /// The variable and total order of the derivative steps so far.
    differentiated: Option<(Symbol, u32)>,
}

/// Checks a derivation, line by line. Errors point into `text`; errors
/// without a position say the line number.
///
/// ```
/// use kobai::{check_derivation, CheckOptions};
/// let text = "# least squares for one point\ngiven x = 3, y = 7\nloss = (w*x - y)^2\n     = (3w - 7)^2\n     = 9w^2 - 42w + 49\nd/dw = 18w - 42\nzero at w = 7/3\n";
/// let r = check_derivation(text, &CheckOptions::default())?;
/// assert!(r.holds());
/// assert_eq!(r.steps.len(), 6);
/// let err = check_derivation("f = x^2\n  = 2*(x\n", &CheckOptions::default()).unwrap_err();
/// assert_eq!(err.span().unwrap().start, "f = x^2\n  = 2*(x".len());
/// # Ok::<(), kobai::Error>(())
/// ```
pub fn check_derivation(text: &str, options: &CheckOptions) -> Result<DerivationReport> {
    let mut state = State { options, bindings: Vec::new(), given: Vec::new(), chain: None, steps: Vec::new() };
    let mut base = 0;
    for (index, raw) in text.split_inclusive('\n').enumerate() {
        let line = index + 1;
        let content = raw.split('#').next().unwrap_or("").trim_end();
        if !content.trim().is_empty() {
            state.line(line, content).map_err(|e| locate(e, base, line))?;
        }
        base += raw.len();
    }
    Ok(DerivationReport { steps: state.steps })
}

/// An error on line `line` (starting at byte `base`), located in the text.
fn locate(e: Error, base: usize, line: usize) -> Error {
    match e {
        Error::Usage { message } => Error::Usage { message: format!("line {line}: {message}") },
        Error::Unsupported { reason } => Error::Unsupported { reason: format!("{reason} (line {line})") },
        Error::Limit { what, limit, reached, flag } => {
            Error::Limit { what, limit, reached: format!("{reached}, on line {line}"), flag }
        }
        spanned @ (Error::Parse { .. }
        | Error::UnknownFunction { .. }
        | Error::Arity { .. }
        | Error::DivisionByZero { .. }
        | Error::Undefined { .. }) => match spanned.span() {
            Some(_) => spanned.shifted(base),
            None => Error::Usage { message: format!("line {line}: {spanned}") },
        },
    }
}

fn usage(message: String) -> Error {
    Error::Usage { message }
}

struct State<'a> {
    options: &'a CheckOptions,
    /// Given values and definitions, substituted in every line read.
    bindings: Vec<(Symbol, Expr)>,
    /// The names given values (definitions may be replaced, these not).
    given: Vec<Symbol>,
    chain: Option<Chain>,
    steps: Vec<StepReport>,
}

fn starts_with_word<'t>(text: &'t str, word: &str) -> Option<&'t str> {
    let rest = text.strip_prefix(word)?;
    rest.starts_with(char::is_whitespace).then_some(rest)
}

impl State<'_> {
    fn limits(&self) -> &Limits {
        &self.options.limits
    }

    fn bind(&self, e: Expr) -> Result<Expr> {
        if self.bindings.is_empty() { Ok(e) } else { subs(&e, &self.bindings) }
    }

    fn read(&self, content: &str, start: usize, end: usize) -> Result<(Expr, Written)> {
        let mut written = Written::default();
        let e = read_piece(content, start, end, self.limits(), &mut written)?;
        Ok((self.bind(e)?, written.bind(&self.bindings)))
    }

    fn push(&mut self, line: usize, content: &str, step: DerivationStep) {
        let (previous_line, start_line) = match (&step, &self.chain) {
            (DerivationStep::Given { .. } | DerivationStep::Claim(_), _) => (None, None),
            (_, Some(c)) => (Some(c.previous_line), Some(c.start_line)),
            (_, None) => (None, None),
        };
        self.steps.push(StepReport { line, text: content.trim_end().to_string(), previous_line, start_line, step });
    }

    fn line(&mut self, line: usize, content: &str) -> Result<()> {
        let lead = content.len() - content.trim_start().len();
        let body = content.trim_start();
        if let Some(rest) = starts_with_word(body, "given") {
            let at = content.len() - rest.len();
            let bindings = self.assignments(content, at)?;
            if let Some((s, _)) = bindings.iter().find(|(s, _)| self.bindings.iter().any(|(b, _)| b == s)) {
                return Err(usage(format!("`{s}` has a value already")));
            }
            // From here on the values hold everywhere: in the definitions
            // and in the calculation in progress too.
            for (_, value) in self.bindings.iter_mut() {
                *value = subs(value, &bindings)?;
            }
            if let Some(chain) = self.chain.as_mut() {
                chain.previous = subs(&chain.previous, &bindings)?;
                chain.truth = subs(&chain.truth, &bindings)?;
                chain.previous_written = chain.previous_written.bind(&bindings);
                chain.truth_written = chain.truth_written.bind(&bindings);
                if let Some((written, start)) = chain.function.take() {
                    chain.function = Some((subs(&written, &bindings)?, subs(&start, &bindings)?));
                }
            }
            self.given.extend(bindings.iter().map(|(s, _)| *s));
            self.bindings.extend(bindings.iter().cloned());
            self.push(line, content, DerivationStep::Given { bindings });
            return Ok(());
        }
        for (word, claimed) in
            [("zero at", None), ("minimum at", Some(Kind::Minimum)), ("maximum at", Some(Kind::Maximum))]
        {
            if let Some(rest) = body.strip_prefix(word) {
                let at = content.len() - rest.len();
                return self.stationary(line, content, at, claimed);
            }
        }
        if let Some(c) = body.chars().next().filter(|c| *c == '=' || *c == '＝') {
            return self.equal(line, content, lead + c.len_utf8());
        }
        if let Some(op) = derivative_operator(content, 0)? {
            let rest = content.get(op.end..).unwrap_or("");
            if let Some(after) = rest.trim_start().strip_prefix(['=', '＝']) {
                let at = content.len() - after.len();
                return self.derivative(line, content, op.var, op.order, op.of.as_deref(), at);
            }
        }
        let signs = equals_signs(content);
        if let Some(name) = self.definition_name(content, &signs)? {
            let Some((at, width)) = signs.first().copied() else { return Ok(()) };
            let (expr, written) = self.read(content, at + width, content.len())?;
            return self.start(line, content, Some(name), expr, written);
        }
        if signs.is_empty() && derivative_operator(content, 0)?.is_none() && !body.starts_with("solve") {
            let (expr, written) = self.read(content, 0, content.len())?;
            return self.start(line, content, None, expr, written);
        }
        let claim = parse_claim(content, self.limits(), Some(&self.bindings))?;
        let report = run_claim(&claim, self.options)?;
        self.push(line, content, DerivationStep::Claim(report));
        Ok(())
    }

    /// `NAME = …` or `NAME(args) = …`: the name, when the line defines one.
    fn definition_name(&self, content: &str, signs: &[(usize, usize)]) -> Result<Option<String>> {
        let [(at, _)] = signs else { return Ok(None) };
        let head = content.get(..*at).unwrap_or("").trim();
        let (name, args) = match head.split_once('(') {
            Some((n, rest)) => match rest.strip_suffix(')') {
                Some(args) => (n.trim(), Some(args)),
                None => return Ok(None),
            },
            None => (head, None),
        };
        let is_name = |s: &str| {
            s.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')
                && s.chars().all(|c| c.is_alphanumeric() || c == '_')
        };
        if !is_name(name) || args.is_some_and(|a| !a.split(',').all(|v| is_name(v.trim()))) {
            return Ok(None);
        }
        if crate::syntax::KNOWN_FUNCTIONS.contains(&name) || name == "diff" || name == "solve" {
            return Ok(None);
        }
        let s = Symbol::new(name);
        if self.given.contains(&s) {
            return Err(usage(format!("`{name}` was given a value already; a line `{name} = …` cannot redefine it")));
        }
        if let Some(chain) = &self.chain
            && chain.truth.contains(s)
        {
            return Err(usage(format!(
                "`{name}` is a variable of the calculation; to claim where its derivative vanishes write `zero at {name} = …` (or `minimum at`)"
            )));
        }
        Ok(Some(name.to_string()))
    }

    fn start(&mut self, line: usize, content: &str, name: Option<String>, expr: Expr, written: Written) -> Result<()> {
        self.chain = Some(Chain {
            start_line: line,
            name: name.clone(),
            truth: expr.clone(),
            truth_written: written.clone(),
            previous: expr.clone(),
            previous_written: written,
            previous_line: line,
            function: None,
            differentiated: None,
        });
        self.push(line, content, DerivationStep::Start { name: name.clone(), expr: expr.clone() });
        if let Some(n) = name {
            let s = Symbol::new(&n);
            self.bindings.retain(|(b, _)| *b != s);
            self.bindings.push((s, expr));
        }
        Ok(())
    }

    fn chain(&self, what: &str) -> Result<&Chain> {
        self.chain.as_ref().ok_or_else(|| {
            usage(format!("{what} continues a calculation, but none has started (start one with `name = expression`)"))
        })
    }

    fn equal(&mut self, line: usize, content: &str, at: usize) -> Result<()> {
        let (expr, written) = self.read(content, at, content.len())?;
        let chain = self.chain("a line starting with `=`")?;
        let previous =
            compare(&chain.previous, &expr, Context::Equality, &chain.previous_written.and(&written), self.options)?;
        let start = if chain.previous == chain.truth {
            previous.clone()
        } else {
            compare(&chain.truth, &expr, Context::Equality, &chain.truth_written.and(&written), self.options)?
        };
        self.push(line, content, DerivationStep::Equal { expr: expr.clone(), previous, start });
        if let Some(chain) = self.chain.as_mut() {
            chain.previous = expr;
            chain.previous_written = written;
            chain.previous_line = line;
        }
        Ok(())
    }

    fn derivative(
        &mut self,
        line: usize,
        content: &str,
        var: Symbol,
        order: u32,
        of: Option<&str>,
        at: usize,
    ) -> Result<()> {
        let (expr, written) = self.read(content, at, content.len())?;
        let chain = self.chain("a derivative line")?;
        if let Some(name) = of
            && chain.name.as_deref() != Some(name)
        {
            let current = chain.name.as_deref().map_or("an unnamed expression".to_string(), |n| format!("`{n}`"));
            return Err(usage(format!("`d{name}/d{var}`: the calculation in progress is {current}, not `{name}`")));
        }
        let limits = *self.limits();
        fn with(function: &Expr, var: Symbol, order: u32) -> Context<'_> {
            Context::Derivative { function, var, order }
        }
        // `d^2/dw^2` after `d/dw` is the second derivative of the function.
        let applied = match chain.differentiated {
            Some((v, k)) if v == var && order > k => order - k,
            Some(_) | None => order,
        };
        let expected = derivative(&chain.previous, var, applied, &limits)?;
        let both = chain.previous_written.and(&written);
        let previous = compare(&expected, &expr, with(&chain.previous, var, applied), &both, self.options)?;
        let truth = derivative(&chain.truth, var, applied, &limits)?;
        let start = if chain.previous == chain.truth {
            previous.clone()
        } else {
            let both = chain.truth_written.and(&written);
            compare(&truth, &expr, with(&chain.truth, var, applied), &both, self.options)?
        };
        self.push(
            line,
            content,
            DerivationStep::Derivative { var, order, applied, expr: expr.clone(), previous, start },
        );
        if let Some(chain) = self.chain.as_mut() {
            chain.differentiated = match chain.differentiated {
                Some((v, k)) if v == var => Some((var, k + applied)),
                Some(_) | None => Some((var, applied)),
            };
            if chain.function.is_none() {
                chain.function = Some((chain.previous.clone(), chain.truth.clone()));
            }
            chain.previous = expr;
            chain.previous_written = written;
            chain.truth = truth;
            chain.previous_line = line;
        }
        Ok(())
    }

    /// `name = value, name = value` from `at` to the end of the line.
    fn assignments(&self, content: &str, at: usize) -> Result<Vec<(Symbol, Expr)>> {
        let mut pieces = Vec::new();
        let mut depth = 0i64;
        let mut piece = at;
        for (i, ch) in content.get(at..).unwrap_or("").char_indices() {
            match ch {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth -= 1,
                ',' | '，' | ';' if depth == 0 => {
                    pieces.push((piece, at + i));
                    piece = at + i + ch.len_utf8();
                }
                _ => {}
            }
        }
        pieces.push((piece, content.len()));
        let mut out = Vec::new();
        for (s, e) in pieces {
            let text = content.get(s..e).unwrap_or("");
            if text.trim().is_empty() {
                continue;
            }
            let Some((eq, width)) = equals_signs(text).first().copied() else {
                return Err(Error::Parse {
                    span: Span::new(s, e),
                    expected: "`name = value`".into(),
                    message: format!("expected `name = value`, found `{}`", text.trim()),
                });
            };
            let name = text.get(..eq).unwrap_or("").trim();
            let valid = name.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_alphanumeric() || c == '_');
            if !valid {
                let offset = s + text.find(name).unwrap_or(0);
                return Err(Error::Parse {
                    span: Span::new(offset, offset + name.len().max(1)),
                    expected: "a variable name".into(),
                    message: format!("`{name}` is not a variable name"),
                });
            }
            // Earlier values on the same line apply: `given x = 3, y = 2x`.
            let (value, _) = self.read(content, s + eq + width, e)?;
            let value = if out.is_empty() { value } else { subs(&value, &out)? };
            out.push((Symbol::new(name), value));
        }
        if out.is_empty() {
            return Err(Error::Parse {
                span: Span::new(at, content.len()),
                expected: "`name = value`".into(),
                message: "expected values: `name = value, …`".into(),
            });
        }
        Ok(out)
    }

    fn stationary(&mut self, line: usize, content: &str, at: usize, claimed: Option<Kind>) -> Result<()> {
        let point = self.assignments(content, at)?;
        let chain = self.chain("a `zero at` line")?;
        let after_derivative = chain.function.is_some();
        let previous = self.point_check(&chain.previous, &point, after_derivative, claimed.clone(), chain, false)?;
        let start = self.point_check(&chain.truth, &point, after_derivative, claimed, chain, true)?;
        self.push(line, content, DerivationStep::Stationary { previous, start });
        Ok(())
    }

    /// Checks that `e` (a derivative) or its gradient (otherwise) vanishes
    /// at the point, and classifies the function when a kind is claimed.
    fn point_check(
        &self,
        e: &Expr,
        point: &[(Symbol, Expr)],
        after_derivative: bool,
        claimed: Option<Kind>,
        chain: &Chain,
        truth: bool,
    ) -> Result<StationaryCheck> {
        let limits = *self.limits();
        let vars: Vec<Symbol> = point.iter().map(|(s, _)| *s).collect();
        let function = match (&chain.function, after_derivative) {
            (Some((written, start)), true) => {
                if truth {
                    start.clone()
                } else {
                    written.clone()
                }
            }
            (_, _) => e.clone(),
        };
        let vanishing: Vec<Expr> = if after_derivative { vec![e.clone()] } else { gradient(e, &vars, &limits)? };
        let mut needed: Vec<Symbol> = vanishing.iter().flat_map(Expr::symbols).collect();
        if claimed.is_some() {
            needed.extend(function.symbols());
        }
        for s in needed {
            if !vars.contains(&s) {
                return Err(usage(format!("give a value for `{s}` too: the point must fix every variable")));
            }
        }
        let mut values = Vec::with_capacity(vanishing.len());
        let mut vanishes = Some(true);
        for g in vanishing {
            let (value, zero) = match subs(&g, point) {
                Ok(v) => {
                    let v = tidy(&v, &limits)?;
                    let z = is_zero(&v, &limits)?;
                    (side_value(&v), z)
                }
                Err(Error::DivisionByZero { .. } | Error::Undefined { .. }) => {
                    (SideValue { exact: g.clone(), approx: None }, Some(false))
                }
                Err(other) => return Err(other),
            };
            vanishes = match (vanishes, zero) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (None, _) | (_, None) => None,
                (Some(true), Some(true)) => Some(true),
            };
            values.push((g, value));
        }
        let (kind, reason) = match (&claimed, vanishes) {
            (Some(_), Some(true)) => classify(&function, point, &vars, &limits)?,
            (_, _) => (None, String::new()),
        };
        Ok(StationaryCheck { point: point.to_vec(), values, vanishes, claimed, kind, reason })
    }
}

/// The kind of stationary point: from the exact Hessian when it is
/// definite or indefinite, else from kobai's solver for polynomials.
fn classify(f: &Expr, point: &[(Symbol, Expr)], vars: &[Symbol], limits: &Limits) -> Result<(Option<Kind>, String)> {
    let h = hessian(f, vars, limits)?;
    let mut rows = Vec::with_capacity(h.len());
    for row in &h {
        let mut values = Vec::with_capacity(row.len());
        for entry in row {
            match subs(entry, point).map(|v| v.as_num().cloned()) {
                Ok(Some(q)) => values.push(q),
                Ok(None) | Err(_) => return polynomial_kind(f, point, vars, limits),
            }
        }
        rows.push(values);
    }
    let second = |q: &Q| format!("the second derivative there is {q}");
    let one = rows.first().and_then(|r| r.first()).filter(|_| rows.len() == 1).cloned();
    Ok(match inertia(&rows)?.definiteness() {
        Definiteness::PositiveDefinite => {
            (Some(Kind::Minimum), one.map_or("the Hessian there is positive definite".into(), |q| second(&q) + " > 0"))
        }
        Definiteness::NegativeDefinite => {
            (Some(Kind::Maximum), one.map_or("the Hessian there is negative definite".into(), |q| second(&q) + " < 0"))
        }
        Definiteness::Indefinite => (Some(Kind::Saddle), "the Hessian there is indefinite".into()),
        Definiteness::PositiveSemidefinite | Definiteness::NegativeSemidefinite | Definiteness::Zero => {
            polynomial_kind(f, point, vars, limits)?
        }
    })
}

/// The kind of the point as kobai's solver classifies it (polynomials only).
fn polynomial_kind(
    f: &Expr,
    point: &[(Symbol, Expr)],
    vars: &[Symbol],
    limits: &Limits,
) -> Result<(Option<Kind>, String)> {
    let undecided = || {
        (
            None,
            "the second-order test does not decide, and the function is not a polynomial kobai can classify"
                .to_string(),
        )
    };
    if !f.is_polynomial() {
        return Ok(undecided());
    }
    let report = match stationary_points(f, vars, &SolveOptions::default().with_limits(*limits)) {
        Ok(r) => r,
        Err(Error::Unsupported { .. } | Error::Limit { .. } | Error::Usage { .. }) => return Ok(undecided()),
        Err(other) => return Err(other),
    };
    for p in &report.points {
        let same = p.point.values.iter().all(|(s, c)| {
            let claimed = point.iter().find(|(v, _)| v == s).map(|(_, e)| e);
            match (claimed, c.exact()) {
                (Some(a), Some(b)) => Expr::sub(a, &b).is_zero(),
                (Some(_), None) | (None, _) => false,
            }
        });
        if same {
            return Ok((Some(p.kind.clone()), p.reason.clone()));
        }
    }
    Ok(undecided())
}
