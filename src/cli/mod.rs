//! Subcommands, their shared options, and output in the four formats.

mod check;
mod demo;
mod descend;
mod diagnostics;
mod diff;
mod eval;
mod fit;
mod output;
mod plot;
mod repl;
mod rewrite;
mod run;
mod solve;

use std::io::Read;

use clap::{Args, Parser, Subcommand, ValueEnum};

use kobai::{Error, Expr, Limits, Symbol};

pub use output::Output;

/// kobai (勾配, "gradient"): exact symbolic differentiation for learners of
/// machine-learning mathematics.
#[derive(Parser)]
#[command(name = "kobai", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Multiply out products and powers of sums: ((2*w1)-5)^2 → 4*w1^2 - 20*w1 + 25
    Expand(Common),
    /// Collect like terms and fold numbers exactly, keeping the shorter of the
    /// canonical and expanded forms
    Simplify(Common),
    /// The partial derivative with respect to one variable
    Diff(DiffArgs),
    /// The gradient: one partial derivative per variable
    Grad(MultiArgs),
    /// The Hessian matrix of second partial derivatives
    Hessian(MultiArgs),
    /// Substitute values and evaluate exactly (decimals only when no exact
    /// rational exists, marked ≈)
    Eval(Common),
    /// Find where the gradient is zero, exactly, and classify each point
    Minimize(MinimizeArgs),
    /// Solve equations exactly: `EXPR = EXPR`, or `EXPR` meaning `EXPR = 0`
    Solve(SolveArgs),
    /// Sum a loss over the rows of a CSV file and find its exact minimum
    Fit(fit::FitArgs),
    /// Gradient descent, step by step, with the exact stable range of rates
    Descend(descend::DescendArgs),
    /// Plot a loss of one variable: SVG (-o FILE.svg) or text (--terminal)
    Plot(plot::PlotArgs),
    /// Run a worksheet, one statement a line: `loss = (w1*x1 - target)^2`,
    /// `diff(loss, w1)`, `minimize(loss, w1)`
    Run(run::RunArgs),
    /// The worksheet language interactively (`kobai` alone on a terminal);
    /// piped standard input works the same, without a prompt
    Repl(run::SheetArgs),
    /// Check a hand calculation: `A = B`, `d/dx E = B`, `solve(EQ, x) = v`, or a
    /// derivation file line by line (--file)
    Check(check::CheckArgs),
    /// Walk the tutorial: target = w1 × x1 with x1 = 2, target = 5
    Demo(DemoArgs),
}

/// Output formats.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Plain text that kobai reads back.
    Text,
    /// Unicode: superscripts, −, ·.
    Unicode,
    /// LaTeX.
    Latex,
    /// JSON with the text, unicode and LaTeX forms.
    Json,
}

/// Options every formula command takes.
#[derive(Args)]
pub struct Common {
    /// The formula, or `-` to read it from standard input
    #[arg(allow_hyphen_values = true)]
    expr: String,
    /// Values to substitute: `--at x1=2,target=5` (repeatable; values are formulas)
    #[arg(long, value_name = "NAME=VALUE,...")]
    at: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Also print how the input was read, fully parenthesized
    #[arg(long)]
    show_parse: bool,
    /// Explain the result step by step (diff, grad, expand, simplify, minimize, solve)
    #[arg(long)]
    steps: bool,
    #[command(flatten)]
    limits: LimitArgs,
}

/// Flags that raise the limits protecting against explosive work.
#[derive(Args)]
struct LimitArgs {
    /// Deepest nesting of brackets and operators accepted
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_depth)]
    max_depth: usize,
    /// Most terms any one operation may produce
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_terms)]
    max_terms: usize,
    /// Largest exponent that expansion multiplies out
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_exponent)]
    max_exponent: u64,
    /// Largest exact number computed, in bits (numerator plus denominator)
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_number_bits)]
    max_number_bits: u64,
    /// Largest formula, worksheet or derivation read, in bytes
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_input_bytes)]
    max_input_bytes: u64,
}

impl LimitArgs {
    /// The limits these flags set.
    fn limits(&self) -> Limits {
        Limits::default()
            .with_max_depth(self.max_depth)
            .with_max_terms(self.max_terms)
            .with_max_exponent(self.max_exponent)
            .with_max_number_bits(self.max_number_bits)
            .with_max_input_bytes(self.max_input_bytes)
    }
}

/// Reads a file, or standard input for `-`, refusing more than `limit`
/// bytes (without reading them all) and text that is not UTF-8.
fn read_text(path: &str, limit: u64) -> Result<String, Error> {
    let mut bytes = Vec::new();
    let name = if path == "-" { "standard input".to_string() } else { format!("`{path}`") };
    let read = if path == "-" {
        std::io::stdin().lock().take(limit.saturating_add(1)).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(limit.saturating_add(1)).read_to_end(&mut bytes))
    };
    if let Err(e) = read {
        return Err(Error::Usage { message: format!("cannot read {name}: {e}") });
    }
    if bytes.len() as u64 > limit {
        return Err(input_too_large(limit, &name));
    }
    String::from_utf8(bytes).map_err(|e| Error::Usage {
        message: format!("{name} is not valid UTF-8 (at byte {})", e.utf8_error().valid_up_to()),
    })
}

#[derive(Args)]
struct DiffArgs {
    #[command(flatten)]
    common: Common,
    /// The variable to differentiate by
    #[arg(long, value_name = "VAR")]
    wrt: String,
    /// How many times to differentiate
    #[arg(long, default_value_t = 1, allow_hyphen_values = true, value_parser = clap::value_parser!(u32).range(1..=1000))]
    order: u32,
}

#[derive(Args)]
struct MultiArgs {
    #[command(flatten)]
    common: Common,
    /// The variables, comma separated: `--wrt w0,w1`
    #[arg(long, value_name = "VARS", value_delimiter = ',', required = true)]
    wrt: Vec<String>,
}

#[derive(Args)]
struct SolveArgs {
    #[command(flatten)]
    common: Common,
    /// More equations, for a system (`solve "x + y = 3" "x - y = 1"`)
    more: Vec<String>,
    /// The variables, comma separated (default: every variable left after --at)
    #[arg(long, visible_alias = "for", value_name = "VARS", value_delimiter = ',')]
    wrt: Vec<String>,
    /// Digits after the decimal point shown for values that are not rational
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=1000))]
    digits: u16,
}

#[derive(Args)]
struct MinimizeArgs {
    #[command(flatten)]
    common: Common,
    /// The variables, comma separated (default: every variable left after --at)
    #[arg(long, value_name = "VARS", value_delimiter = ',')]
    wrt: Vec<String>,
    /// Digits after the decimal point shown for values that are not rational
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=1000))]
    digits: u16,
}

#[derive(Args)]
struct DemoArgs {
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

/// What a subcommand works on: the formula read from its argument, its
/// source text for diagnostics, and the options.
pub struct Input<'a> {
    /// The formula as typed (for error carets).
    pub source: String,
    /// Where it came from: `argument` or `stdin`.
    pub origin: &'static str,
    /// The options.
    pub common: &'a Common,
    /// The limits in force.
    pub limits: Limits,
}

impl<'a> Input<'a> {
    fn read(common: &'a Common) -> Result<Input<'a>, Error> {
        let limits = common.limits.limits();
        let (source, origin) = if common.expr == "-" {
            let text = read_text("-", limits.max_input_bytes)?;
            (text.trim_end_matches(['\n', '\r']).to_string(), "stdin")
        } else {
            if common.expr.len() as u64 > limits.max_input_bytes {
                return Err(input_too_large(limits.max_input_bytes, "the formula"));
            }
            (common.expr.clone(), "argument")
        };
        Ok(Input { source, origin, common, limits })
    }

    /// Parses and lowers the formula.
    pub fn expr(&self) -> Result<Expr, Error> {
        kobai::read_with(&self.source, &self.limits)
    }

    /// The `--at` bindings, all of them.
    pub fn bindings(&self) -> Result<kobai::Bindings, Error> {
        let mut all = Vec::new();
        for text in &self.common.at {
            for (name, value) in kobai::parse_bindings(text, &self.limits)? {
                if all.iter().any(|(seen, _)| *seen == name) {
                    return Err(Error::Usage { message: format!("--at gives `{name}` a value twice") });
                }
                all.push((name, value));
            }
        }
        Ok(all)
    }

    /// The parsed input, as written (for step-by-step explanations).
    pub fn ast(&self) -> Result<kobai::Ast, Error> {
        kobai::parse_with(&self.source, &self.limits)
    }

    /// True when `--steps` asked for an explanation.
    pub fn wants_steps(&self) -> bool {
        self.common.steps
    }

    /// The fully parenthesized reading, when `--show-parse` asked for it.
    pub fn parse_reading(&self) -> Result<Option<String>, Error> {
        if !self.common.show_parse {
            return Ok(None);
        }
        Ok(Some(kobai::parse_with(&self.source, &self.limits)?.to_string()))
    }
}

fn input_too_large(limit: u64, name: &str) -> Error {
    Error::Limit { what: "input size", limit, reached: format!("{name} has more bytes"), flag: "--max-input-bytes" }
}

/// Checks that every variable named in `--wrt` occurs in `e`, and that none
/// is also given a value by `--at`; a typo should not silently give 0.
pub fn variables(names: &[String], e: &Expr, bindings: &kobai::Bindings) -> Result<Vec<Symbol>, Error> {
    let present = e.symbols();
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let name = name.trim();
        let s = Symbol::new(name);
        if !present.contains(&s) {
            let known: Vec<&str> = present.iter().map(|s| s.name()).collect();
            let listing = if known.is_empty() { "none".to_string() } else { known.join(", ") };
            return Err(Error::Usage {
                message: format!("`{name}` does not occur in the formula (its variables: {listing})"),
            });
        }
        if bindings.iter().any(|(b, _)| *b == s) {
            return Err(Error::Usage {
                message: format!("`{name}` is both differentiated by and given a value with --at"),
            });
        }
        if out.contains(&s) {
            return Err(Error::Usage { message: format!("`{name}` is listed twice") });
        }
        out.push(s);
    }
    Ok(out)
}

/// Checks that every `--at` variable occurs in `e`.
pub fn check_bindings(bindings: &kobai::Bindings, e: &Expr) -> Result<(), Error> {
    let present = e.symbols();
    for (s, _) in bindings {
        if !present.contains(s) {
            return Err(Error::Usage {
                message: format!("--at gives a value to `{s}`, which does not occur in the formula"),
            });
        }
    }
    Ok(())
}

/// Runs the command line and returns the exit code.
pub fn main() -> u8 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let Some(command) = &cli.command else { return no_command() };
    let (common, result) = match command {
        Command::Expand(c) => (Some(c), with_input(c, rewrite::expand)),
        Command::Simplify(c) => (Some(c), with_input(c, rewrite::simplify)),
        Command::Diff(a) => (Some(&a.common), with_input(&a.common, |i| diff::diff(i, &a.wrt, a.order))),
        Command::Grad(a) => (Some(&a.common), with_input(&a.common, |i| diff::grad(i, &a.wrt))),
        Command::Hessian(a) => (Some(&a.common), with_input(&a.common, |i| diff::hessian(i, &a.wrt))),
        Command::Eval(c) => (Some(c), with_input(c, eval::eval)),
        Command::Minimize(a) => (
            Some(&a.common),
            with_input(&a.common, |i| solve::minimize(i, &a.wrt, usize::from(a.digits)).map(Output::from)),
        ),
        Command::Solve(a) => (
            Some(&a.common),
            with_input(&a.common, |i| solve::solve(i, &a.more, &a.wrt, usize::from(a.digits)).map(Output::from)),
        ),
        Command::Fit(a) => (Some(&a.common), with_input(&a.common, |i| fit::fit(i, a))),
        Command::Descend(a) => (Some(&a.common), with_input(&a.common, |i| descend::descend(i, a))),
        Command::Plot(a) => (Some(&a.common), with_input(&a.common, |i| plot::plot(i, a))),
        Command::Run(a) => return run::run(a),
        Command::Repl(a) => return repl::repl(a),
        Command::Check(a) => (None, check::check(a)),
        Command::Demo(_) => {
            (None, demo::demo().map(|o| (o, String::new(), "demo")).map_err(|e| (e, String::new(), "demo")))
        }
    };
    let format = match command {
        Command::Demo(d) => d.format,
        _ => common.map_or(Format::Text, |c| c.format),
    };
    match result {
        Ok((output, _, _)) => {
            print!("{}", output.render(format));
            output.exit_code()
        }
        Err((err, source, origin)) => {
            if source.is_empty() && err.span().is_none() {
                diagnostics::usage(&err.to_string());
            } else {
                diagnostics::report(&err, origin, &source);
            }
            2
        }
    }
}

/// `kobai` alone: the REPL on a terminal; otherwise the help, and exit code 2.
fn no_command() -> u8 {
    if run::interactive()
        && let Ok(Cli { command: Some(Command::Repl(args)) }) = Cli::try_parse_from(["kobai", "repl"])
    {
        return repl::repl(&args);
    }
    let help = <Cli as clap::CommandFactory>::command().render_help();
    eprint!("{help}");
    2
}

type Outcome = Result<(Output, String, &'static str), (Error, String, &'static str)>;

fn with_input<F>(common: &Common, run: F) -> Outcome
where
    F: FnOnce(&Input<'_>) -> Result<Output, Error>,
{
    let input = Input::read(common).map_err(|e| (e, String::new(), "argument"))?;
    match run(&input) {
        Ok(out) => Ok((out, input.source, input.origin)),
        Err(e) => Err((e, input.source, input.origin)),
    }
}
