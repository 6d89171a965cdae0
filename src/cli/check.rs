//! `kobai check`: a claim, or a derivation file checked line by line,
//! reported in text, unicode, LaTeX or JSON.

use clap::Args;
use serde_json::{Value as Json, json};

use kobai::{
    CheckOptions, ClaimReport, Counterexample, DerivationReport, DerivationStep, Domain, EqualityReport, Error, Expr,
    Kind, Limits, Proof, SideValue, SolutionReport, StationaryCheck, StepReport, Symbol, Verdict,
};

use super::output::set;
use super::{Format, LimitArgs, Outcome, Output};

/// `kobai check CLAIM` or `kobai check --file FILE`.
#[derive(Args)]
pub struct CheckArgs {
    /// The claim: `A = B`, `d/dx E = B`, `diff(E, x) = B`, `solve(EQ, x) = v`; `-` reads it from standard input
    #[arg(allow_hyphen_values = true, required_unless_present = "file", conflicts_with = "file")]
    claim: Option<String>,
    /// A derivation, one step a line (`-` for standard input)
    #[arg(long, value_name = "FILE", allow_hyphen_values = true)]
    file: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Random points evaluated when no exact proof is found
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=1000))]
    samples: u16,
    /// Seed of the random points (the same seed gives the same report)
    #[arg(long, value_name = "N", default_value_t = CheckOptions::default().seed)]
    seed: u64,
    #[command(flatten)]
    limits: LimitArgs,
}

/// A rendered check and its exit code: 0 when every claim holds, else 1.
pub struct Checked {
    text: String,
    code: u8,
}

impl From<Checked> for Output {
    fn from(c: Checked) -> Output {
        Output::Rendered { text: c.text, code: c.code }
    }
}

/// Runs the check; errors come with the text they point into.
pub fn check(args: &CheckArgs) -> Outcome {
    let limits = args.limits.limits();
    let options =
        CheckOptions::default().with_limits(limits).with_samples(usize::from(args.samples)).with_seed(args.seed);
    let style = Style { format: args.format };
    match (&args.file, &args.claim) {
        (Some(path), _) => {
            let text = super::read_text(path, limits.max_input_bytes).map_err(|e| (e, String::new(), "file"))?;
            // The file name labels diagnostics for the rest of the run.
            let origin: &'static str = if path == "-" { "stdin" } else { Box::leak(path.clone().into_boxed_str()) };
            match kobai::check_derivation(&text, &options) {
                Ok(report) => Ok((render_derivation(&report, &style).into(), text, origin)),
                Err(e) => Err((e, text, origin)),
            }
        }
        (None, Some(claim)) => {
            let (text, origin) = if claim == "-" {
                let t = super::read_text("-", limits.max_input_bytes).map_err(|e| (e, String::new(), "stdin"))?;
                (t.trim_end_matches(['\n', '\r']).to_string(), "stdin")
            } else {
                (claim.clone(), "argument")
            };
            match kobai::check_claim(&text, &options) {
                Ok(report) => Ok((render_claim(&report, &style).into(), text, origin)),
                Err(e) => Err((e, text, origin)),
            }
        }
        (None, None) => Err((
            Error::Usage { message: "give a claim, or a derivation with --file".into() },
            String::new(),
            "argument",
        )),
    }
}

/// How expressions and marks are printed in the chosen format.
struct Style {
    format: Format,
}

impl Style {
    fn expr(&self, e: &Expr) -> String {
        match self.format {
            Format::Text | Format::Json => kobai::text(e),
            Format::Unicode => kobai::unicode(e),
            Format::Latex => format!("${}$", kobai::latex(e)),
        }
    }

    fn name(&self, s: Symbol) -> String {
        self.expr(&Expr::sym(s))
    }

    fn yes(&self) -> &'static str {
        if self.format == Format::Latex { "$\\checkmark$" } else { "✓" }
    }

    fn no(&self) -> &'static str {
        if self.format == Format::Latex { "$\\times$" } else { "✗" }
    }

    fn mark(&self, holds: Option<bool>) -> &'static str {
        match holds {
            Some(true) => self.yes(),
            Some(false) => self.no(),
            None => "?",
        }
    }

    fn value(&self, v: &SideValue) -> String {
        match &v.approx {
            Some(a) => format!("{} ≈ {a}", self.expr(&v.exact)),
            None => self.expr(&v.exact),
        }
    }

    /// An expression without the `$…$` of LaTeX, to be put in one formula.
    fn raw(&self, e: &Expr) -> String {
        match self.format {
            Format::Latex => kobai::latex(e),
            Format::Text | Format::Json | Format::Unicode => self.expr(e),
        }
    }

    fn formula(&self, s: String) -> String {
        if self.format == Format::Latex { format!("${s}$") } else { s }
    }

    /// `a = b` or `a ≠ b` as one formula.
    fn relation(&self, a: &Expr, op: &str, b: &Expr) -> String {
        let op = match (self.format, op) {
            (Format::Latex, "≠") => "\\neq",
            _ => op,
        };
        self.formula(format!("{} {op} {}", self.raw(a), self.raw(b)))
    }

    fn point(&self, point: &[(Symbol, kobai::Q)]) -> String {
        let parts: Vec<String> = point
            .iter()
            .map(|(s, q)| format!("{} = {}", self.raw(&Expr::sym(*s)), self.raw(&Expr::num(q.clone()))))
            .collect();
        self.formula(parts.join(", "))
    }

    fn assignments(&self, point: &[(Symbol, Expr)]) -> String {
        let parts: Vec<String> =
            point.iter().map(|(s, e)| format!("{} = {}", self.raw(&Expr::sym(*s)), self.raw(e))).collect();
        self.formula(parts.join(", "))
    }

    fn variables(&self, vars: &[Symbol]) -> String {
        let names: Vec<String> = vars.iter().map(|v| self.name(*v)).collect();
        names.join(", ")
    }

    fn hint(&self, r: &EqualityReport) -> Option<String> {
        r.hint.as_ref().map(|h| h.describe(&|e| self.expr(e)))
    }
}

/// Where a proven equality holds, in words.
fn scope(r: &EqualityReport, style: &Style, domain: &Domain) -> String {
    match domain {
        Domain::Everywhere if r.variables.is_empty() => "holds".to_string(),
        Domain::Everywhere => format!("holds for every {}", style.variables(&r.variables)),
        Domain::WhereDefined { denominators } if denominators.is_empty() => {
            "holds wherever both sides are defined".to_string()
        }
        Domain::WhereDefined { denominators } => {
            let conditions: Vec<String> = denominators.iter().map(|d| nonzero(d, style)).collect();
            format!("holds wherever both sides are defined ({})", conditions.join(", "))
        }
    }
}

/// `x ≠ 1` for a linear denominator in one variable, else `d ≠ 0`.
fn nonzero(d: &Expr, style: &Style) -> String {
    if let [v] = d.symbols().as_slice() {
        let at = kobai::solve_equations(std::slice::from_ref(d), &[*v], &kobai::SolveOptions::default());
        if d.is_polynomial()
            && kobai::derivative(d, *v, 2, &Limits::default()).is_ok_and(|x| x.is_zero())
            && let Ok(kobai::Solutions::Finite(points)) = at
            && let [p] = points.as_slice()
            && let Some(value) = p.values.first().and_then(|(_, c)| c.exact())
        {
            return style.relation(&Expr::sym(*v), "≠", &value);
        }
    }
    style.relation(d, "≠", &Expr::zero())
}

/// The first line of an equality report.
fn verdict_line(r: &EqualityReport, style: &Style, derivative: Option<&str>) -> String {
    match &r.verdict {
        Verdict::Proven { proof, domain } => {
            let how = match (proof, derivative) {
                (Proof::Expansion { form } | Proof::Canonical { form }, Some(d)) => {
                    format!("{d} is {}", style.expr(form))
                }
                (Proof::Expansion { form }, None) => format!("both sides expand to {}", style.expr(form)),
                (Proof::Canonical { form }, None) => format!("both sides simplify to {}", style.expr(form)),
                (Proof::Rational, _) => "cross-multiplied, the numerators agree".to_string(),
                (Proof::Identities { used }, _) => {
                    let names: Vec<&str> = used.iter().map(|i| i.statement()).collect();
                    format!("proven with {}", names.join(" and "))
                }
            };
            format!("{} {}: {how}", style.yes(), scope(r, style, domain))
        }
        Verdict::Agrees { .. } if r.variables.is_empty() => {
            format!("{} agrees to 19 digits (evaluation with exact error bounds: evidence, not a proof)", style.yes())
        }
        Verdict::Agrees { points } => {
            let noun = if *points == 1 { "random point" } else { "random points" };
            format!("{} agrees at {points} {noun} (sampling: evidence, not a proof)", style.yes())
        }
        Verdict::Fails { by, .. } => {
            let mut line = format!("{} does not hold", style.no());
            if let Some(d) = derivative {
                line.push_str(&format!(": {d} is {}", style.expr(&r.left)));
            }
            if *by == kobai::Method::Sampling {
                line.push_str(" (found by evaluation with exact error bounds)");
            }
            line
        }
        Verdict::Undecided { reason } => format!("? undecided: {reason}"),
    }
}

/// The counterexample, difference and hint of a failed equality, as
/// indented lines, naming the sides `names`.
fn failure_lines(r: &EqualityReport, style: &Style, names: (&str, &str), indent: &str) -> Vec<String> {
    let Some(Counterexample { point, left, right }) = r.counterexample() else { return Vec::new() };
    let (ln, rn) = names;
    let at = if point.is_empty() { String::new() } else { format!("at {}: ", style.point(point)) };
    let first = if ln.contains(' ') && ln.contains(" of ") { format!("({ln})") } else { ln.to_string() };
    let mut lines = vec![
        format!("{indent}{at}{ln} = {}, {rn} = {}", style.value(left), style.value(right)),
        format!("{indent}{first} − {rn} = {}", style.expr(&r.difference)),
    ];
    if let Some(h) = style.hint(r) {
        lines.push(format!("{indent}hint: {h}"));
    }
    lines
}

fn derivative_name(function: &Expr, var: Symbol, order: u32, style: &Style) -> String {
    let f = style.raw(function);
    let sum = matches!(function.node(), kobai::Node::Sum { .. });
    let v = style.raw(&Expr::sym(var));
    if style.format == Format::Latex {
        let f = if sum { format!("\\left({f}\\right)") } else { f };
        let d = if order == 1 {
            format!("\\frac{{d}}{{d{v}}}")
        } else {
            format!("\\frac{{d^{{{order}}}}}{{d{v}^{{{order}}}}}")
        };
        return format!("${d} {f}$");
    }
    let f = if sum { format!("({f})") } else { f };
    if order == 1 { format!("d/d{v} {f}") } else { format!("d^{order}/d{v}^{order} {f}") }
}

fn render_equality(r: &EqualityReport, style: &Style, derivative: Option<&str>) -> String {
    let mut lines = vec![verdict_line(r, style, derivative)];
    lines.extend(failure_lines(r, style, ("left", "right"), "  "));
    lines.join("\n") + "\n"
}

fn equation_text(s: &SolutionReport, style: &Style) -> String {
    style.relation(&s.equation, "=", &Expr::zero())
}

fn render_solution(s: &SolutionReport, style: &Style) -> String {
    let v = style.name(s.var);
    let show = |c: &kobai::Coordinate| match c.exact() {
        Some(e) => style.relation(&Expr::sym(s.var), "=", &e),
        None => format!("{v} ≈ {}", c.decimal(16)),
    };
    let equation = equation_text(s, style);
    let mut lines = Vec::new();
    if s.holds() {
        lines.push(match &s.solutions {
            Some(all) if all.len() == 1 && let Some(only) = all.first() => {
                format!("{} holds: {} is the only real solution of {equation}", style.yes(), show(only))
            }
            Some(all) => {
                let listed: Vec<String> = all.iter().map(show).collect();
                format!("{} holds: the real solutions of {equation} are {}", style.yes(), listed.join(", "))
            }
            None => format!(
                "{} holds as far as checked: each value solves {equation}; kobai could not solve the equation, so other solutions were not ruled out",
                style.yes()
            ),
        });
        return lines.join("\n") + "\n";
    }
    lines.push(format!("{} does not hold", style.no()));
    for c in &s.values {
        let value = style.relation(&Expr::sym(s.var), "=", &c.value);
        let line = match (&c.residual, c.satisfies) {
            (None, _) => format!("{} {value}: the equation is not defined there", style.no()),
            (Some(_), Some(true)) => format!("{} {value} solves {equation}", style.yes()),
            (Some(res), Some(false)) => format!(
                "{} {value} does not solve {equation}: there {} = {}",
                style.no(),
                style.expr(&s.equation),
                style.value(res)
            ),
            (Some(res), None) => {
                format!("? {value}: {} = {} there, undecided", style.expr(&s.equation), style.value(res))
            }
        };
        lines.push(format!("  {line}"));
    }
    if s.every_value {
        lines.push(format!("  every value of {v} solves the equation"));
    } else {
        match &s.solutions {
            Some(all) if all.is_empty() => lines.push("  the equation has no real solution".to_string()),
            Some(all) => {
                let listed: Vec<String> = all.iter().map(show).collect();
                let head = if all.len() == 1 { "the only real solution is" } else { "the real solutions are" };
                lines.push(format!("  {head} {}", listed.join(", ")));
            }
            None => lines.push("  kobai could not solve the equation".to_string()),
        }
    }
    lines.join("\n") + "\n"
}

fn render_claim_text(report: &ClaimReport, style: &Style) -> String {
    match report {
        ClaimReport::Equality(r) => render_equality(r, style, None),
        ClaimReport::Derivative { function, var, order, report } => {
            render_equality(report, style, Some(&derivative_name(function, *var, *order, style)))
        }
        ClaimReport::Solution(s) => render_solution(s, style),
    }
}

/// A claim's report in `format`, ending in a newline (also used by worksheets).
pub fn claim_text(report: &ClaimReport, format: Format) -> String {
    render_claim(report, &Style { format }).text
}

fn render_claim(report: &ClaimReport, style: &Style) -> Checked {
    let code = if report.holds() { 0 } else { 1 };
    let text = if style.format == Format::Json {
        let v = match report {
            ClaimReport::Equality(r) => equality_json(r, "equality"),
            ClaimReport::Derivative { function, var, order, report } => {
                let mut v = equality_json(report, "derivative");
                set(&mut v, "function", json!(kobai::text(function)));
                set(&mut v, "variable", json!(var.name()));
                set(&mut v, "order", json!(order));
                set(&mut v, "derivative", json!(kobai::text(&report.left)));
                v
            }
            ClaimReport::Solution(s) => solution_json(s),
        };
        serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
    } else {
        render_claim_text(report, style)
    };
    Checked { text, code }
}

fn equality_json(r: &EqualityReport, kind: &str) -> Json {
    let mut v = json!({
        "kind": kind,
        "holds": r.holds(),
        "method": r.method().name(),
        "claim": {"left": kobai::text(&r.left), "right": kobai::text(&r.right)},
        "counterexample": Json::Null,
        "left": Json::Null,
        "right": Json::Null,
        "difference": kobai::text(&r.difference),
        "hint": Json::Null,
    });
    match &r.verdict {
        Verdict::Proven { proof, domain } => {
            let (name, form) = match proof {
                Proof::Expansion { form } => ("expansion", Some(form)),
                Proof::Canonical { form } => ("canonical", Some(form)),
                Proof::Rational => ("rational", None),
                Proof::Identities { .. } => ("identities", None),
            };
            set(&mut v, "proof", json!(name));
            if let Some(f) = form {
                set(&mut v, "form", json!(kobai::text(f)));
            }
            if let Proof::Identities { used } = proof {
                set(&mut v, "identities", json!(used.iter().map(|i| i.statement()).collect::<Vec<_>>()));
            }
            if let Domain::WhereDefined { denominators } = domain {
                set(&mut v, "where_defined", json!(true));
                set(&mut v, "denominators", json!(denominators.iter().map(kobai::text).collect::<Vec<_>>()));
            }
        }
        Verdict::Agrees { points } => set(&mut v, "points", json!(points)),
        Verdict::Fails { counterexample, .. } => {
            let point: serde_json::Map<String, Json> =
                counterexample.point.iter().map(|(s, q)| (s.name().to_string(), json!(q.to_string()))).collect();
            set(&mut v, "counterexample", Json::Object(point));
            set(&mut v, "left", json!(kobai::text(&counterexample.left.exact)));
            set(&mut v, "right", json!(kobai::text(&counterexample.right.exact)));
            if let Some(a) = &counterexample.left.approx {
                set(&mut v, "left_approx", json!(a));
            }
            if let Some(a) = &counterexample.right.approx {
                set(&mut v, "right_approx", json!(a));
            }
            if let Some(h) = &r.hint {
                set(&mut v, "hint", json!(h.describe(&kobai::text)));
                set(&mut v, "hint_kind", json!(h.kind()));
            }
        }
        Verdict::Undecided { reason } => set(&mut v, "undecided", json!(reason)),
    }
    v
}

fn solution_json(s: &SolutionReport) -> Json {
    let values: Vec<Json> = s
        .values
        .iter()
        .map(|c| {
            json!({
                "value": kobai::text(&c.value),
                "residual": c.residual.as_ref().map(|r| kobai::text(&r.exact)),
                "satisfies": c.satisfies,
            })
        })
        .collect();
    let coordinate =
        |c: &kobai::Coordinate| c.exact().map_or_else(|| json!({"approx": c.decimal(16)}), |e| json!(kobai::text(&e)));
    json!({
        "kind": "solution",
        "holds": s.holds(),
        "method": "proof",
        "equation": format!("{} = 0", kobai::text(&s.equation)),
        "variable": s.var.name(),
        "values": values,
        "solutions": s.solutions.as_ref().map(|all| all.iter().map(coordinate).collect::<Vec<_>>()),
        "every_value": s.every_value,
        "missing": s.missing.iter().map(coordinate).collect::<Vec<_>>(),
    })
}

// ---------------------------------------------------------------------------
// Derivations.

fn kind_word(k: &Kind) -> &'static str {
    k.word()
}

fn stationary_lines(c: &StationaryCheck, style: &Style, indent: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let at = style.assignments(&c.point);
    for (e, v) in c.values.iter().filter(|_| c.vanishes != Some(true)) {
        let is_zero = v.exact.is_zero();
        let tail = if is_zero { String::new() } else { ", not 0".to_string() };
        lines.push(format!("{indent}at {at}: {} = {}{tail}", style.expr(e), style.value(v)));
    }
    if let Some(claimed) = &c.claimed
        && c.vanishes == Some(true)
    {
        match &c.kind {
            Some(k) if k == claimed => lines.push(format!("{indent}a {}: {}", kind_word(k), c.reason)),
            Some(k) => lines.push(format!("{indent}not a {} but a {}: {}", kind_word(claimed), kind_word(k), c.reason)),
            None => lines.push(format!("{indent}whether it is a {} is undecided: {}", kind_word(claimed), c.reason)),
        }
    }
    lines
}

fn step_kind(s: &StepReport) -> &'static str {
    match &s.step {
        DerivationStep::Given { .. } => "given",
        DerivationStep::Start { .. } => "start",
        DerivationStep::Equal { .. } => "equal",
        DerivationStep::Derivative { .. } => "derivative",
        DerivationStep::Stationary { previous, .. } => match previous.claimed {
            Some(Kind::Minimum) => "minimum",
            Some(Kind::Maximum) => "maximum",
            Some(_) | None => "zero",
        },
        DerivationStep::Claim(_) => "claim",
    }
}

/// The equality reports of a step: against the line before and the start.
fn step_reports(s: &StepReport) -> Option<(&EqualityReport, &EqualityReport)> {
    match &s.step {
        DerivationStep::Equal { previous, start, .. } | DerivationStep::Derivative { previous, start, .. } => {
            Some((previous, start))
        }
        DerivationStep::Given { .. }
        | DerivationStep::Start { .. }
        | DerivationStep::Stationary { .. }
        | DerivationStep::Claim(_) => None,
    }
}

fn render_derivation(report: &DerivationReport, style: &Style) -> Checked {
    let code = if report.holds() { 0 } else { 1 };
    if style.format == Format::Json {
        return Checked {
            text: serde_json::to_string_pretty(&derivation_json(report)).unwrap_or_default() + "\n",
            code,
        };
    }
    let first_wrong = report.first_wrong().map(|s| s.line);
    let width = report.steps.iter().map(|s| s.line.to_string().len()).max().unwrap_or(1);
    let indent = " ".repeat(width + 6);
    let mut out = Vec::new();
    let mut sampled = Vec::new();
    let mut wrong = 0;
    let mut undecided = 0;
    let mut checked = 0;
    for s in &report.steps {
        let holds = s.holds();
        let mark = match &s.step {
            DerivationStep::Given { .. } | DerivationStep::Start { .. } => " ",
            _ => style.mark(holds),
        };
        let mut line = format!("{mark} {:>width$}  {}", s.line, s.text);
        if !matches!(s.step, DerivationStep::Given { .. } | DerivationStep::Start { .. }) {
            checked += 1;
            match holds {
                Some(true) => {}
                Some(false) => wrong += 1,
                None => undecided += 1,
            }
        }
        if first_wrong == Some(s.line) {
            line.push_str("    ← the first wrong step");
        } else if let DerivationStep::Stationary { previous, start } = &s.step
            && previous.holds() == Some(true)
            && start.holds() == Some(true)
            && previous.claimed.is_some()
        {
            line.push_str(&format!("    ({})", previous.reason));
        } else if holds == Some(true)
            && s.agrees_with_start() == Some(false)
            && let Some(start) = s.start_line
        {
            line.push_str(&format!(
                "    (follows from line {}, but not from the start, line {start})",
                s.previous_line.unwrap_or(start)
            ));
        } else if let Some((previous, _)) = step_reports(s)
            && let Verdict::Agrees { points } = previous.verdict
        {
            line.push_str(&format!("    (agrees at {points} random points; not proven)"));
        }
        out.push(line);
        let before = s.previous_line.map_or("the line before".to_string(), |l| format!("line {l}"));
        let this = format!("line {}", s.line);
        match &s.step {
            DerivationStep::Equal { previous, .. } | DerivationStep::Derivative { previous, .. } => {
                let left = match &s.step {
                    DerivationStep::Derivative { var, applied, .. } => {
                        let v = var.name();
                        if *applied == 1 {
                            format!("d/d{v} of {before}")
                        } else {
                            format!("d^{applied}/d{v}^{applied} of {before}")
                        }
                    }
                    _ => before.clone(),
                };
                if matches!(previous.verdict, Verdict::Agrees { .. }) {
                    sampled.push(s.line);
                }
                if let Verdict::Undecided { reason } = &previous.verdict {
                    out.push(format!("{indent}undecided: {reason}"));
                }
                out.extend(failure_lines(previous, style, (&left, &this), &indent));
            }
            DerivationStep::Stationary { previous, .. } => {
                if previous.holds() != Some(true) {
                    out.extend(stationary_lines(previous, style, &indent));
                }
            }
            DerivationStep::Claim(c) => {
                let text = render_claim_text(c, style);
                out.extend(text.lines().map(|l| format!("{indent}{l}")));
            }
            DerivationStep::Given { .. } | DerivationStep::Start { .. } => {}
        }
    }
    let summary = if checked == 0 {
        "nothing to check: no step follows a start".to_string()
    } else if checked == 1 && wrong == 1 {
        format!("{} the step does not hold", style.no())
    } else if wrong > 0 {
        let first = first_wrong.map_or(String::new(), |l| format!("; the first wrong one is line {l}"));
        let verb = if wrong == 1 { "does" } else { "do" };
        format!("{} {wrong} of {checked} steps {verb} not hold{first}", style.no())
    } else if undecided > 0 {
        let verb = if undecided == 1 { "is" } else { "are" };
        format!("? {undecided} of {checked} steps {verb} undecided; none is wrong")
    } else {
        let steps = if checked == 1 { "the step holds".to_string() } else { format!("all {checked} steps hold") };
        if sampled.is_empty() {
            format!("{} {steps}", style.yes())
        } else {
            let lines: Vec<String> = sampled.iter().map(usize::to_string).collect();
            let which = if lines.len() == 1 { "line" } else { "lines" };
            format!("{} {steps} ({which} {} by sampling only, not proven)", style.yes(), lines.join(", "))
        }
    };
    out.push(summary);
    Checked { text: out.join("\n") + "\n", code }
}

fn derivation_json(report: &DerivationReport) -> Json {
    let mut all_proof = true;
    let lines: Vec<Json> = report
        .steps
        .iter()
        .map(|s| {
            let mut v = json!({
                "line": s.line,
                "text": s.text.trim(),
                "kind": step_kind(s),
                "holds": s.holds(),
                "agrees_with_start": s.agrees_with_start(),
            });
            if let Some((previous, start)) = step_reports(s) {
                if previous.method() == kobai::Method::Sampling || start.method() == kobai::Method::Sampling {
                    all_proof = false;
                }
                let detail = equality_json(previous, step_kind(s));
                for key in ["method", "counterexample", "left", "right", "difference", "hint", "hint_kind"] {
                    if let Some(x) = detail.get(key) {
                        set(&mut v, key, x.clone());
                    }
                }
                set(&mut v, "expected", json!(kobai::text(&previous.left)));
                set(&mut v, "compared_with_line", json!(s.previous_line));
                set(&mut v, "start_line", json!(s.start_line));
            }
            if let DerivationStep::Stationary { previous, .. } = &s.step {
                set(
                    &mut v,
                    "point",
                    Json::Object(
                        previous.point.iter().map(|(s, e)| (s.name().to_string(), json!(kobai::text(e)))).collect(),
                    ),
                );
                set(
                    &mut v,
                    "values",
                    json!(previous.values.iter().map(|(_, x)| kobai::text(&x.exact)).collect::<Vec<_>>()),
                );
                if let Some(k) = &previous.kind {
                    set(&mut v, "point_kind", json!(k.word()));
                }
            }
            if let DerivationStep::Claim(c) = &s.step {
                let detail = match c {
                    ClaimReport::Equality(r) => equality_json(r, "equality"),
                    ClaimReport::Derivative { report, .. } => equality_json(report, "derivative"),
                    ClaimReport::Solution(sol) => solution_json(sol),
                };
                if detail.get("method").and_then(Json::as_str) == Some("sampling") {
                    all_proof = false;
                }
                set(&mut v, "claim", detail);
            }
            v
        })
        .collect();
    let first = report.first_wrong();
    let mut v = json!({
        "holds": report.holds(),
        "method": if all_proof { "proof" } else { "sampling" },
        "first_wrong_line": first.map(|s| s.line),
        "counterexample": Json::Null,
        "left": Json::Null,
        "right": Json::Null,
        "difference": Json::Null,
        "hint": Json::Null,
        "lines": lines,
    });
    if let Some((previous, _)) = first.and_then(step_reports) {
        let detail = equality_json(previous, "step");
        for key in ["counterexample", "left", "right", "difference", "hint"] {
            if let Some(x) = detail.get(key) {
                set(&mut v, key, x.clone());
            }
        }
    }
    v
}
