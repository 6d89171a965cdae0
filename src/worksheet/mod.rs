//! Worksheets: a small statement language for `kobai run` and `kobai repl`.
//!
//! One statement a line:
//!
//! ```text
//! line      := statement? ("#" comment)?
//! statement := name "=" value                 bind (the value at this moment, as in Python)
//!            | "clear" (name ("," name)*)?    unbind (every name when none is given)
//!            | value                          show (a formula shows its simplified value)
//! value     := formula | list | call | value "[" value "]" | string
//! list      := "[" (item ("," item)* ","?)? "]"
//! call      := command "(" (item ("," item)*)? ")"
//! item      := value | value "=" value        equations: solve(eq, x), subs(e, x1 = 3)
//! command   := expand | simplify | diff | grad | hessian | subs | eval | solve
//!            | minimize | check | steps | latex | print | len | sum
//! ```
//!
//! Lists, calls and indexing nest at most 64 deep.
//!
//! A formula is read by the formula parser (see [`parse`](crate::parse)),
//! after the calls and indexing in it are replaced by their values and every
//! bound name by its value: `2*diff(e, w1)`, `(w*xs[0] - ys[0])^2`. Directly
//! after a name, `[` indexes (`data[0]`); elsewhere brackets group.
//!
//! The library evaluates and returns typed results ([`SheetOutcome`],
//! [`SheetValue`]) and typed errors with spans ([`SheetError`]); printing them
//! is the command line's job.
//!
//! ```
//! use kobai::{SheetOutcome, SheetValue, Worksheet};
//! let mut sheet = Worksheet::default();
//! for line in ["x1 = 2", "target = 5", "predict = w1 * x1", "error = predict - target"] {
//!     sheet.run_line(line)?;
//! }
//! sheet.run_line("square_error = error^2")?;
//! let SheetOutcome::Shown(SheetValue::Expr(e)) = sheet.run_line("expand(square_error)")? else { panic!() };
//! assert_eq!(e.to_string(), "4*w1^2 - 20*w1 + 25");
//! let SheetOutcome::Shown(SheetValue::Expr(d)) = sheet.run_line("diff(square_error, w1)")? else { panic!() };
//! assert_eq!(d.to_string(), "8*w1 - 20");
//! # Ok::<(), kobai::SheetError>(())
//! ```

mod eval;
mod syntax;

use crate::check::ClaimReport;
use crate::error::Error;
use crate::expr::Expr;
use crate::limits::Limits;
use crate::solve::stationary::{Solutions, StationaryReport};
use crate::steps::Steps;
use crate::subs::Evaluation;
use crate::symbol::Symbol;
use crate::syntax::span::Span;

/// The commands of the worksheet language.
///
/// ```
/// use kobai::SheetCommand;
/// assert_eq!(SheetCommand::from_name("Diff"), Some(SheetCommand::Diff));
/// assert_eq!(SheetCommand::Minimize.name(), "minimize");
/// assert!(SheetCommand::ALL.iter().any(|c| c.name() == "hessian"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetCommand {
    /// `expand(e)`: multiply out.
    Expand,
    /// `simplify(e)`: the simplest form.
    Simplify,
    /// `diff(e, x)`, `diff(e, x, 2)`, `diff(e, x, y)`: partial derivatives.
    Diff,
    /// `grad(e, w0, w1)` or `grad(e, [w0, w1])` or `grad(e)`: the gradient.
    Grad,
    /// `hessian(e, w0, w1)`: the Hessian matrix.
    Hessian,
    /// `subs(e, x1 = 3, ...)`: substitute values.
    Subs,
    /// `eval(e)` or `eval(e, x = 1)`: evaluate exactly, with a decimal when irrational.
    Eval,
    /// `solve(eq, x)`, `solve([eq1, eq2], [x, y])`: solve exactly.
    Solve,
    /// `minimize(e, w1)`: the stationary points and their kinds.
    Minimize,
    /// `check(lhs = rhs)`, `check(diff(e, x) = d)`, `check(solve(eq, x) = v)`:
    /// check a hand calculation.
    Check,
    /// `steps(diff(e, w1))`: the explanation, step by step.
    Steps,
    /// `latex(v)`: show a value in LaTeX.
    Latex,
    /// `print(a, "text", ...)`: show values on one line.
    Print,
    /// `len(list)`: the number of items.
    Len,
    /// `sum(list)`: the sum of the items.
    Sum,
}

impl SheetCommand {
    /// Every command, in the order help lists them.
    pub const ALL: [SheetCommand; 15] = [
        SheetCommand::Expand,
        SheetCommand::Simplify,
        SheetCommand::Diff,
        SheetCommand::Grad,
        SheetCommand::Hessian,
        SheetCommand::Subs,
        SheetCommand::Eval,
        SheetCommand::Solve,
        SheetCommand::Minimize,
        SheetCommand::Check,
        SheetCommand::Steps,
        SheetCommand::Latex,
        SheetCommand::Print,
        SheetCommand::Len,
        SheetCommand::Sum,
    ];

    /// The name as written.
    ///
    /// ```
    /// assert_eq!(kobai::SheetCommand::Grad.name(), "grad");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            SheetCommand::Expand => "expand",
            SheetCommand::Simplify => "simplify",
            SheetCommand::Diff => "diff",
            SheetCommand::Grad => "grad",
            SheetCommand::Hessian => "hessian",
            SheetCommand::Subs => "subs",
            SheetCommand::Eval => "eval",
            SheetCommand::Solve => "solve",
            SheetCommand::Minimize => "minimize",
            SheetCommand::Check => "check",
            SheetCommand::Steps => "steps",
            SheetCommand::Latex => "latex",
            SheetCommand::Print => "print",
            SheetCommand::Len => "len",
            SheetCommand::Sum => "sum",
        }
    }

    /// The command a name calls, if any; case does not matter.
    ///
    /// ```
    /// assert_eq!(kobai::SheetCommand::from_name("EXPAND"), Some(kobai::SheetCommand::Expand));
    /// assert_eq!(kobai::SheetCommand::from_name("exp"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<SheetCommand> {
        SheetCommand::ALL.into_iter().find(|c| c.name().eq_ignore_ascii_case(name))
    }

    /// How the command is called, for help and error messages.
    ///
    /// ```
    /// assert_eq!(kobai::SheetCommand::Subs.usage(), "subs(e, x1 = 3, ...)");
    /// ```
    pub fn usage(self) -> &'static str {
        match self {
            SheetCommand::Expand => "expand(e)",
            SheetCommand::Simplify => "simplify(e)",
            SheetCommand::Diff => "diff(e, x) or diff(e, x, 2)",
            SheetCommand::Grad => "grad(e, w0, w1)",
            SheetCommand::Hessian => "hessian(e, w0, w1)",
            SheetCommand::Subs => "subs(e, x1 = 3, ...)",
            SheetCommand::Eval => "eval(e) or eval(e, x = 1)",
            SheetCommand::Solve => "solve(lhs = rhs, x)",
            SheetCommand::Minimize => "minimize(e, w1)",
            SheetCommand::Check => "check(lhs = rhs)",
            SheetCommand::Steps => "steps(diff(e, x))",
            SheetCommand::Latex => "latex(e)",
            SheetCommand::Print => "print(a, \"text\", ...)",
            SheetCommand::Len => "len(list)",
            SheetCommand::Sum => "sum(list)",
        }
    }
}

/// What a worksheet value is: an expression, a list, or the result of a
/// command that is more than an expression.
///
/// ```
/// use kobai::{SheetOutcome, SheetValue, Worksheet};
/// let mut sheet = Worksheet::default();
/// sheet.run_line("data = [2, 5]")?;
/// assert!(matches!(sheet.get("data"), Some(SheetValue::List(items)) if items.len() == 2));
/// # Ok::<(), kobai::SheetError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum SheetValue {
    /// An expression in canonical form.
    Expr(Expr),
    /// A list, `[2, 5]`.
    List(Vec<SheetValue>),
    /// A string, for `print`.
    Text(String),
    /// What `eval` gives: the exact value and, when it is not rational, a
    /// decimal approximation.
    Evaluation(Evaluation),
    /// What `grad` gives.
    Gradient {
        /// The variables, in the order asked for.
        vars: Vec<Symbol>,
        /// One partial derivative per variable.
        items: Vec<Expr>,
    },
    /// What `hessian` gives.
    Hessian {
        /// The variables, in the order asked for.
        vars: Vec<Symbol>,
        /// Row `i`, column `j`: `∂²/∂vᵢ∂vⱼ`.
        rows: Vec<Vec<Expr>>,
    },
    /// What `minimize` gives.
    Stationary(StationaryReport),
    /// What `solve` gives.
    Solutions {
        /// The variables solved for.
        vars: Vec<Symbol>,
        /// The solutions.
        solutions: Solutions,
    },
    /// What `steps` gives (and what commands show with steps turned on): one
    /// explanation per derivative or rewriting.
    Steps(Vec<Steps>),
    /// What `check` gives: whether the claim holds, and how that was decided.
    Check(ClaimReport),
    /// What `latex` gives: a value to show in LaTeX.
    Latex(Box<SheetValue>),
    /// What `print` gives: values to show on one line.
    Printed(Vec<SheetValue>),
}

impl SheetValue {
    /// The expression this value stands for in a formula, if it is one: an
    /// expression, or the exact result of `eval`.
    ///
    /// ```
    /// use kobai::{Expr, SheetValue};
    /// assert_eq!(SheetValue::Expr(Expr::int(2)).as_expr(), Some(&Expr::int(2)));
    /// assert_eq!(SheetValue::List(vec![]).as_expr(), None);
    /// ```
    pub fn as_expr(&self) -> Option<&Expr> {
        match self {
            SheetValue::Expr(e) => Some(e),
            SheetValue::Evaluation(r) => Some(&r.exact),
            _ => None,
        }
    }

    /// What kind of value it is, in words, for messages: `an expression`,
    /// `a list`, `a gradient`, ...
    ///
    /// ```
    /// assert_eq!(kobai::SheetValue::List(vec![]).kind(), "a list");
    /// ```
    pub fn kind(&self) -> &'static str {
        match self {
            SheetValue::Expr(_) => "an expression",
            SheetValue::List(_) => "a list",
            SheetValue::Text(_) => "a string",
            SheetValue::Evaluation(_) => "a value",
            SheetValue::Gradient { .. } => "a gradient",
            SheetValue::Hessian { .. } => "a Hessian matrix",
            SheetValue::Stationary(_) => "the result of minimize",
            SheetValue::Solutions { .. } => "the result of solve",
            SheetValue::Steps(_) => "an explanation",
            SheetValue::Check(_) => "the result of check",
            SheetValue::Latex(_) => "the result of latex",
            SheetValue::Printed(_) => "the result of print",
        }
    }
}

/// What running one line did.
///
/// ```
/// use kobai::{SheetOutcome, Worksheet};
/// let mut sheet = Worksheet::default();
/// assert!(matches!(sheet.run_line("x1 = 2")?, SheetOutcome::Bound { .. }));
/// assert!(matches!(sheet.run_line("# a comment")?, SheetOutcome::Nothing));
/// assert!(matches!(sheet.run_line("x1 + 1")?, SheetOutcome::Shown(_)));
/// # Ok::<(), kobai::SheetError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum SheetOutcome {
    /// A blank line or a comment.
    Nothing,
    /// `name = value` bound a name.
    Bound {
        /// The name.
        name: String,
        /// Its value.
        value: SheetValue,
    },
    /// `clear` unbound these names.
    Cleared(Vec<String>),
    /// A value to show.
    Shown(SheetValue),
}

/// An error in a worksheet line: the engine's error, and the span of the line
/// it is about (its own span when it has one).
///
/// ```
/// let mut sheet = kobai::Worksheet::default();
/// let err = sheet.run_line("y = 2*(x").unwrap_err();
/// assert_eq!(err.span.start, 8);
/// assert!(err.to_string().contains("expected `)`"));
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{error}")]
pub struct SheetError {
    /// Where in the line.
    pub span: Span,
    /// What went wrong.
    pub error: Error,
}

impl SheetError {
    /// The same error with its span moved `offset` bytes to the right, for a
    /// line that starts `offset` bytes into a longer text.
    ///
    /// ```
    /// let err = kobai::Worksheet::default().run_line("x^").unwrap_err().shifted(10);
    /// assert_eq!(err.span.start, 12);
    /// assert_eq!(err.error.span().unwrap().start, 12);
    /// ```
    pub fn shifted(self, offset: usize) -> SheetError {
        SheetError {
            span: Span::new(self.span.start + offset, self.span.end + offset),
            error: self.error.shifted(offset),
        }
    }
}

/// How a worksheet works: the limits in force, whether commands show their
/// steps, and the digits shown for roots known only by an interval.
///
/// ```
/// let o = kobai::WorksheetOptions::default().with_steps(true).with_digits(8);
/// assert!(o.steps);
/// assert_eq!(o.digits, 8);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorksheetOptions {
    /// Limits on the work of every command.
    pub limits: Limits,
    /// Show `diff`, `grad`, `expand`, `simplify`, `minimize` and `solve` step by step.
    pub steps: bool,
    /// Significant digits for roots given by an interval.
    pub digits: usize,
}

impl Default for WorksheetOptions {
    fn default() -> WorksheetOptions {
        WorksheetOptions { limits: Limits::default(), steps: false, digits: 16 }
    }
}

impl WorksheetOptions {
    /// Sets [`WorksheetOptions::limits`].
    ///
    /// ```
    /// let o = kobai::WorksheetOptions::default().with_limits(kobai::Limits::default().with_max_depth(9));
    /// assert_eq!(o.limits.max_depth, 9);
    /// ```
    pub fn with_limits(mut self, limits: Limits) -> WorksheetOptions {
        self.limits = limits;
        self
    }

    /// Sets [`WorksheetOptions::steps`].
    ///
    /// ```
    /// assert!(kobai::WorksheetOptions::default().with_steps(true).steps);
    /// ```
    pub fn with_steps(mut self, steps: bool) -> WorksheetOptions {
        self.steps = steps;
        self
    }

    /// Sets [`WorksheetOptions::digits`].
    ///
    /// ```
    /// assert_eq!(kobai::WorksheetOptions::default().with_digits(5).digits, 5);
    /// ```
    pub fn with_digits(mut self, digits: usize) -> WorksheetOptions {
        self.digits = digits;
        self
    }
}

/// A worksheet: the names bound so far, and the options.
///
/// ```
/// use kobai::{SheetOutcome, SheetValue, Worksheet};
/// let mut sheet = Worksheet::default();
/// sheet.run_line("data = [2, 5]")?;
/// sheet.run_line("x1 = data[0]")?;
/// let SheetOutcome::Shown(SheetValue::Expr(e)) = sheet.run_line("3*x1")? else { panic!() };
/// assert_eq!(e.to_string(), "6");
/// sheet.run_line("clear x1")?;
/// let SheetOutcome::Shown(SheetValue::Expr(e)) = sheet.run_line("3*x1")? else { panic!() };
/// assert_eq!(e.to_string(), "3*x1");
/// # Ok::<(), kobai::SheetError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Worksheet {
    /// The bound names and their values, in the order they were first bound.
    bindings: Vec<(String, SheetValue)>,
    options: WorksheetOptions,
}

impl Worksheet {
    /// An empty worksheet with these options.
    ///
    /// ```
    /// let sheet = kobai::Worksheet::new(kobai::WorksheetOptions::default().with_steps(true));
    /// assert!(sheet.options().steps);
    /// ```
    pub fn new(options: WorksheetOptions) -> Worksheet {
        Worksheet { bindings: Vec::new(), options }
    }

    /// The options in force.
    ///
    /// ```
    /// assert!(!kobai::Worksheet::default().options().steps);
    /// ```
    pub fn options(&self) -> &WorksheetOptions {
        &self.options
    }

    /// Changes the options; the bindings stay.
    ///
    /// ```
    /// let mut sheet = kobai::Worksheet::default();
    /// sheet.set_options(sheet.options().with_steps(true));
    /// assert!(sheet.options().steps);
    /// ```
    pub fn set_options(&mut self, options: WorksheetOptions) {
        self.options = options;
    }

    /// The value bound to `name`, if any.
    ///
    /// ```
    /// let mut sheet = kobai::Worksheet::default();
    /// sheet.run_line("x1 = 2").unwrap();
    /// assert_eq!(sheet.get("x1").and_then(|v| v.as_expr()).map(|e| e.to_string()), Some("2".into()));
    /// assert!(sheet.get("x2").is_none());
    /// ```
    pub fn get(&self, name: &str) -> Option<&SheetValue> {
        self.bindings.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// Every bound name with its value, in the order the names were first bound.
    ///
    /// ```
    /// let mut sheet = kobai::Worksheet::default();
    /// sheet.run_line("b = 1").unwrap();
    /// sheet.run_line("a = 2").unwrap();
    /// let names: Vec<&str> = sheet.bindings().iter().map(|(n, _)| n.as_str()).collect();
    /// assert_eq!(names, ["b", "a"]);
    /// ```
    pub fn bindings(&self) -> &[(String, SheetValue)] {
        &self.bindings
    }

    /// Reads and runs one line. Spans in the error are byte offsets into `line`.
    ///
    /// ```
    /// use kobai::{SheetOutcome, SheetValue, Worksheet};
    /// let mut sheet = Worksheet::default();
    /// sheet.run_line("loss = (2*w1 - 5)^2")?;
    /// let SheetOutcome::Shown(SheetValue::Stationary(report)) = sheet.run_line("minimize(loss, w1)")? else { panic!() };
    /// assert_eq!(report.points[0].kind, kobai::Kind::Minimum);
    /// assert!(sheet.run_line("diff(loss, w2)").is_err());
    /// # Ok::<(), kobai::SheetError>(())
    /// ```
    pub fn run_line(&mut self, line: &str) -> Result<SheetOutcome, SheetError> {
        match syntax::statement(line, self.options.limits.max_depth)? {
            syntax::Statement::Empty => Ok(SheetOutcome::Nothing),
            syntax::Statement::Clear { names } => self.clear(&names),
            syntax::Statement::Bind { name, name_span, value } => {
                eval::check_bindable(&name, name_span)?;
                let value = eval::Evaluator::new(self, line).value(&value)?;
                if let SheetValue::Expr(e) = &value {
                    crate::size::check(e, &format!("the value of `{name}`"), &self.options.limits)
                        .map_err(|error| SheetError { span: name_span, error })?;
                }
                self.bind(&name, value.clone());
                Ok(SheetOutcome::Bound { name, value })
            }
            syntax::Statement::Show(term) => {
                let value = eval::Evaluator::new(self, line).shown(&term)?;
                if let SheetValue::Expr(e) = &value {
                    let whole = Span::new(0, line.len());
                    crate::size::check(e, "the result", &self.options.limits)
                        .map_err(|error| SheetError { span: whole, error })?;
                }
                Ok(SheetOutcome::Shown(value))
            }
        }
    }

    fn bind(&mut self, name: &str, value: SheetValue) {
        match self.bindings.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value,
            None => self.bindings.push((name.to_string(), value)),
        }
    }

    fn clear(&mut self, names: &[(String, Span)]) -> Result<SheetOutcome, SheetError> {
        if names.is_empty() {
            let all = self.bindings.drain(..).map(|(n, _)| n).collect();
            return Ok(SheetOutcome::Cleared(all));
        }
        for (name, span) in names {
            if self.get(name).is_none() {
                let message = format!("`{name}` is not bound, so there is nothing to clear");
                return Err(SheetError { span: *span, error: Error::Usage { message } });
            }
        }
        self.bindings.retain(|(n, _)| !names.iter().any(|(c, _)| c == n));
        Ok(SheetOutcome::Cleared(names.iter().map(|(n, _)| n.clone()).collect()))
    }
}
