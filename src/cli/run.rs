//! `kobai run FILE`: a worksheet, one statement a line. The [`Session`] here
//! also serves `kobai repl`: it runs lines, prints what they show, renders
//! errors with a caret, and handles the `:` directives.

use std::io::{IsTerminal, Write};

use clap::{Args, ValueEnum};

use kobai::{Error, SheetError, SheetOutcome, SheetValue, Span, Worksheet, WorksheetOptions};

use super::{Format, LimitArgs, Output, check, diagnostics, solve};

/// The formats a worksheet prints in.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SheetFormat {
    /// Plain text that kobai reads back.
    Text,
    /// Unicode: superscripts, −, ·.
    Unicode,
    /// LaTeX.
    Latex,
}

impl SheetFormat {
    fn format(self) -> Format {
        match self {
            SheetFormat::Text => Format::Text,
            SheetFormat::Unicode => Format::Unicode,
            SheetFormat::Latex => Format::Latex,
        }
    }
}

/// Options of `run` and `repl`.
#[derive(Args)]
pub struct SheetArgs {
    /// Output format (the REPL's `:format` changes it)
    #[arg(long, value_enum, default_value = "text")]
    format: SheetFormat,
    /// Explain diff, grad, expand, simplify, minimize and solve step by step
    /// (the REPL's `:steps on|off` changes it)
    #[arg(long)]
    steps: bool,
    /// Significant digits shown for roots known only by an interval
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=1000))]
    digits: u16,
    #[command(flatten)]
    limits: LimitArgs,
}

impl SheetArgs {
    fn options(&self) -> WorksheetOptions {
        let limits = self.limits.limits();
        WorksheetOptions::default().with_limits(limits).with_steps(self.steps).with_digits(usize::from(self.digits))
    }
}

/// `kobai run FILE`.
#[derive(Args)]
pub struct RunArgs {
    /// The worksheet (`.kb`): one statement a line, `#` comments; `-` reads
    /// standard input
    file: String,
    #[command(flatten)]
    sheet: SheetArgs,
}

/// Runs the file line by line, stopping at the first error (exit code 2).
pub fn run(args: &RunArgs) -> u8 {
    let origin = if args.file == "-" { "stdin".to_string() } else { args.file.clone() };
    let text = match super::read_text(&args.file, args.sheet.limits.limits().max_input_bytes) {
        Ok(text) => text,
        Err(e) => {
            diagnostics::usage(&e.to_string());
            return 2;
        }
    };
    let mut session = Session::new(&args.sheet, &origin);
    // Editors on some systems start a UTF-8 file with a byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    for line in text.split('\n') {
        match session.line(line.strip_suffix('\r').unwrap_or(line)) {
            Flow::Go => {}
            Flow::Failed => return 2,
            Flow::Quit => break,
        }
    }
    0
}

/// What to do after a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Go on.
    Go,
    /// The line failed; its error was reported.
    Failed,
    /// `:quit`.
    Quit,
}

/// The help of `:help`.
const HELP: &str = "\
A worksheet line is one statement; `#` starts a comment.
  name = expr              bind a name; later lines see its value
  clear name, ...          unbind (clear alone unbinds every name)
  expr                     show the simplified value
  data = [2, 5]            a list; data[0] is its first item, data[-1] its last
  \"text\"                   a string, for print
Commands:
";

const DIRECTIVES: &str = "\
Directives:
  :help                    this help
  :vars                    the bound names and their values
  :steps on|off            explain diff, grad, expand, simplify, minimize, solve
  :format text|unicode|latex
  :quit                    leave (or Ctrl-D)
";

/// The `:` directives, for completion.
pub const DIRECTIVE_NAMES: &[&str] =
    &[":help", ":vars", ":steps on", ":steps off", ":format text", ":format unicode", ":format latex", ":quit"];

/// A worksheet being run, with what is needed to print its results and
/// point at its errors.
pub struct Session {
    sheet: Worksheet,
    format: Format,
    /// The name errors give the text: the file, `stdin` or `repl`.
    origin: String,
    /// Every line so far, so that an error names its line and column.
    source: String,
}

impl Session {
    /// A new session with the options given on the command line.
    pub fn new(args: &SheetArgs, origin: &str) -> Session {
        Session {
            sheet: Worksheet::new(args.options()),
            format: args.format.format(),
            origin: origin.to_string(),
            source: String::new(),
        }
    }

    /// The names bound so far, for completion.
    pub fn bound_names(&self) -> Vec<String> {
        self.sheet.bindings().iter().map(|(n, _)| n.clone()).collect()
    }

    /// Runs one line, prints what it shows, and reports its error if any.
    pub fn line(&mut self, line: &str) -> Flow {
        let offset = self.source.len();
        self.source.push_str(line);
        self.source.push('\n');
        let result = match line.trim_start().strip_prefix(':') {
            Some(_) => self.directive(line),
            None => self.sheet.run_line(line).map(|outcome| self.outcome(&outcome)),
        };
        match result {
            Ok(Some(text)) => {
                let mut out = std::io::stdout().lock();
                // A closed output (`kobai run x.kb | head -1`) ends the run.
                if out.write_all(text.as_bytes()).and_then(|()| out.flush()).is_err() {
                    return Flow::Quit;
                }
                Flow::Go
            }
            Ok(None) if line.trim() == ":quit" || line.trim() == ":q" || line.trim() == ":exit" => Flow::Quit,
            Ok(None) => Flow::Go,
            Err(e) => {
                let e = e.shifted(offset);
                let notes = notes(&e.error);
                diagnostics::report_at(&e.error, Some(e.span), &notes, &self.origin, &self.source);
                Flow::Failed
            }
        }
    }

    /// What an outcome prints: nothing for bindings and `clear`.
    fn outcome(&self, outcome: &SheetOutcome) -> Option<String> {
        match outcome {
            SheetOutcome::Nothing | SheetOutcome::Bound { .. } | SheetOutcome::Cleared(_) => None,
            SheetOutcome::Shown(value) => Some(self.render(value, self.format)),
        }
    }

    /// `:help`, `:vars`, `:steps on|off`, `:format ...`, `:quit`.
    fn directive(&mut self, line: &str) -> Result<Option<String>, SheetError> {
        let start = line.len() - line.trim_start().len();
        let body = line.trim();
        let mut words = body.split_whitespace();
        let name = words.next().unwrap_or(":");
        let argument = words.next();
        let argument_span = || {
            let at = argument.and_then(|a| line.rfind(a)).unwrap_or(line.len());
            Span::new(at, at + argument.map_or(0, str::len))
        };
        let bad = |span: Span, message: String| SheetError { span, error: Error::Usage { message } };
        match (name, argument) {
            (":help" | ":h" | ":?", None) => Ok(Some(help())),
            (":vars", None) => Ok(Some(self.vars())),
            (":steps", None) => {
                Ok(Some(format!("steps are {}\n", if self.sheet.options().steps { "on" } else { "off" })))
            }
            (":steps", Some(on @ ("on" | "off"))) => {
                self.sheet.set_options(self.sheet.options().with_steps(on == "on"));
                Ok(None)
            }
            (":steps", Some(other)) => {
                Err(bad(argument_span(), format!("`:steps` takes `on` or `off`, not `{other}`")))
            }
            (":format", None) => Ok(Some(format!("the format is {}\n", format_name(self.format)))),
            (":format", Some(f)) => match SheetFormat::from_str(f, true) {
                Ok(f) => {
                    self.format = f.format();
                    Ok(None)
                }
                Err(_) => Err(bad(argument_span(), format!("`:format` takes text, unicode or latex, not `{f}`"))),
            },
            (":quit" | ":q" | ":exit", None) => Ok(None),
            _ => {
                let span = Span::new(start, start + name.len());
                Err(bad(span, format!("unknown directive `{body}` (:help lists them)")))
            }
        }
    }

    /// `:vars`: each bound name and its value, one a line.
    fn vars(&self) -> String {
        let bindings = self.sheet.bindings();
        if bindings.is_empty() {
            return "no names are bound\n".to_string();
        }
        let width = bindings.iter().map(|(n, _)| n.chars().count()).max().unwrap_or(0);
        let mut out = String::new();
        for (name, value) in bindings {
            let shown = match value {
                SheetValue::Expr(_) | SheetValue::List(_) | SheetValue::Text(_) | SheetValue::Evaluation(_) => {
                    self.inline(value, self.format)
                }
                other => other.kind().to_string(),
            };
            let pad = width - name.chars().count();
            out.push_str(&format!("{name}{} = {shown}\n", " ".repeat(pad)));
        }
        out
    }

    /// A value as printed, ending in a newline.
    fn render(&self, value: &SheetValue, format: Format) -> String {
        let digits = self.sheet.options().digits;
        match value {
            SheetValue::Expr(_) | SheetValue::List(_) | SheetValue::Text(_) => {
                format!("{}\n", self.inline(value, format))
            }
            SheetValue::Evaluation(r) => {
                Output::Expr { reading: None, expr: r.exact.clone(), approx: r.approx }.render(format)
            }
            SheetValue::Gradient { vars, items } => {
                Output::Gradient { reading: None, vars: vars.clone(), items: items.clone() }.render(format)
            }
            SheetValue::Hessian { vars, rows } => {
                Output::Hessian { reading: None, vars: vars.clone(), rows: rows.clone() }.render(format)
            }
            SheetValue::Stationary(report) => solve::points_text(report, digits, format, "    "),
            SheetValue::Solutions { solutions, .. } => solve::solutions_text(solutions, digits, format),
            SheetValue::Steps(all) => Output::Steps(all.clone()).render(format),
            SheetValue::Check(report) => check::claim_text(report, format),
            SheetValue::Latex(inner) => self.render(inner, Format::Latex),
            SheetValue::Printed(items) => {
                // Items share a line, as in Python; an item of several lines
                // starts on a line of its own.
                let mut out = String::new();
                let mut line = String::new();
                for item in items {
                    let shown = self.inline(item, format);
                    if shown.contains('\n') {
                        if !line.is_empty() {
                            out.push_str(&line);
                            out.push('\n');
                            line.clear();
                        }
                        out.push_str(&shown);
                        out.push('\n');
                    } else {
                        if !line.is_empty() {
                            line.push(' ');
                        }
                        line.push_str(&shown);
                    }
                }
                if !line.is_empty() || out.is_empty() {
                    out.push_str(&line);
                    out.push('\n');
                }
                out
            }
        }
    }

    /// A value on one line where it fits: expressions, lists and strings;
    /// other values as rendered, without the final newline.
    fn inline(&self, value: &SheetValue, format: Format) -> String {
        match value {
            SheetValue::Expr(e) => solve::show(e, format),
            SheetValue::Text(s) => s.clone(),
            SheetValue::List(items) => {
                let shown: Vec<String> = items.iter().map(|v| self.inline(v, format)).collect();
                if format == Format::Latex {
                    format!("\\left[ {} \\right]", shown.join(", "))
                } else {
                    format!("[{}]", shown.join(", "))
                }
            }
            other => self.render(other, format).trim_end_matches('\n').to_string(),
        }
    }
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Text => "text",
        Format::Unicode => "unicode",
        Format::Latex => "latex",
        Format::Json => "json",
    }
}

/// `:help`.
fn help() -> String {
    let mut out = HELP.to_string();
    for c in kobai::SheetCommand::ALL {
        out.push_str(&format!("  {:<24} {}\n", c.usage(), command_summary(c)));
    }
    out.push_str(&format!("Functions in formulas: {}\n", kobai::KNOWN_FUNCTIONS.join(", ")));
    out.push_str(DIRECTIVES);
    out
}

fn command_summary(c: kobai::SheetCommand) -> &'static str {
    use kobai::SheetCommand as C;
    match c {
        C::Expand => "multiply out",
        C::Simplify => "the simplest form",
        C::Diff => "partial derivative (of order 2, ...)",
        C::Grad => "gradient (or grad(e, [w0, w1]), grad(e))",
        C::Hessian => "Hessian matrix",
        C::Subs => "substitute values",
        C::Eval => "evaluate exactly (≈ when irrational)",
        C::Solve => "solve exactly (solve([eq1, eq2], [x, y]))",
        C::Minimize => "stationary points and their kinds",
        C::Check => "check a hand calculation",
        C::Steps => "explain step by step",
        C::Latex => "show in LaTeX",
        C::Print => "show values on one line",
        C::Len => "number of items",
        C::Sum => "sum of the items",
    }
}

/// Notes for worksheet errors: the commands, when a call was not understood.
fn notes(err: &Error) -> Vec<String> {
    match err {
        Error::UnknownFunction { .. } => {
            let names: Vec<&str> = kobai::SheetCommand::ALL.iter().map(|c| c.name()).collect();
            vec![format!("worksheet commands: {}", names.join(", "))]
        }
        _ => Vec::new(),
    }
}

/// True when standard input is a terminal (the REPL then prompts and edits).
pub fn interactive() -> bool {
    std::io::stdin().is_terminal()
}
