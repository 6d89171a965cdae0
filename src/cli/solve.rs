//! `kobai minimize` and `kobai solve`: exact stationary points and roots.

use serde_json::{Value as Json, json};

use kobai::{Coordinate, Error, Expr, Kind, Point, Solutions, SolveOptions, StationaryReport, Symbol, Value};

use super::{Format, Input, check_bindings};

/// What `minimize` and `solve` print, and their exit code.
pub struct Solved {
    /// The text (or JSON) to print.
    pub text: String,
    /// 0 when something was found, 1 for no solution / no minimum.
    pub code: u8,
}

fn options(input: &Input<'_>, digits: usize) -> SolveOptions {
    SolveOptions::default().with_limits(input.limits).with_digits(digits)
}

/// `e` in the chosen format (JSON output uses the text form).
pub(super) fn show(e: &Expr, format: Format) -> String {
    match format {
        Format::Unicode => kobai::unicode(e),
        Format::Latex => kobai::latex(e),
        Format::Text | Format::Json => kobai::text(e),
    }
}

/// `5/2 (= 2.5)`, `1/3 (≈ 0.3333…)`, `1 + sqrt(2) (≈ 2.414…)`, `≈ 1.1673…`.
fn coordinate(c: &Coordinate, digits: usize, format: Format) -> String {
    let decimal = || {
        let d = c.decimal(digits);
        if format == Format::Unicode { d.replace('-', "−") } else { d }
    };
    if let Coordinate::Root(r @ kobai::RealRoot { value: kobai::RootValue::Quadratic(_), .. }) = c {
        let shown = match (format, r.to_expr()) {
            (Format::Unicode, _) => r.value.unicode(),
            (Format::Latex, Some(e)) => kobai::latex(&e),
            _ => r.value.to_string(),
        };
        return format!("{shown} (≈ {})", decimal());
    }
    match c.exact() {
        Some(e) => {
            let exact = show(&e, format);
            match e.as_num() {
                Some(q) if q.is_integer() => exact,
                Some(q) => match q.terminating_decimal() {
                    Some(d) => format!("{exact} (= {d})"),
                    None => format!("{exact} (≈ {})", decimal()),
                },
                None => format!("{exact} (≈ {})", decimal()),
            }
        }
        None => format!("≈ {}", decimal()),
    }
}

fn assignment(point: &Point, digits: usize, format: Format) -> String {
    let parts: Vec<String> = point
        .values
        .iter()
        .map(|(v, c)| {
            let shown = coordinate(c, digits, format);
            if shown.starts_with('≈') { format!("{v} {shown}") } else { format!("{v} = {shown}") }
        })
        .collect();
    parts.join(", ")
}

/// Notes on roots known only by an interval: which polynomial, which interval.
fn interval_notes(point: &Point) -> Vec<String> {
    point
        .values
        .iter()
        .filter_map(|(v, c)| match c {
            Coordinate::Root(_) => c.describe(*v).map(|d| format!("({d})")),
            Coordinate::Exact(_) => None,
        })
        .collect()
}

fn loss_text(v: &Value, format: Format) -> String {
    match v {
        Value::Exact(e) => show(e, format),
        Value::Approx(x) => format!("≈ {x}"),
    }
}

fn kind_text(kind: &Kind, reason: &str, report: &StationaryReport) -> String {
    match kind {
        Kind::Minimum if report.convex_quadratic => "minimum (global: the loss is a convex quadratic)".into(),
        Kind::Minimum | Kind::Maximum | Kind::Saddle => kind.word().into(),
        Kind::Inflection | Kind::Degenerate(_) => format!("{} ({reason})", kind.word()),
    }
}

fn json_coordinate(var: Symbol, c: &Coordinate) -> (Json, Json) {
    let exact = match (c.exact(), c.isolation(var)) {
        (Some(e), _) => json!(kobai::text(&e)),
        (None, Some((p, interval))) => json!({"root_of": p, "interval": interval}),
        (None, None) => Json::Null,
    };
    (exact, json!(c.approx()))
}

fn json_point(point: &Point) -> serde_json::Map<String, Json> {
    let mut values = serde_json::Map::new();
    let mut approx = serde_json::Map::new();
    for (v, c) in &point.values {
        let (e, a) = json_coordinate(*v, c);
        values.insert(v.name().into(), e);
        approx.insert(v.name().into(), a);
    }
    let mut m = serde_json::Map::new();
    m.insert("values".into(), Json::Object(values));
    m.insert("approx".into(), Json::Object(approx));
    if point.multiplicity > 1 {
        m.insert("multiplicity".into(), json!(point.multiplicity));
    }
    m
}

fn family_json(s: &Solutions) -> Json {
    match s {
        Solutions::Family { free, values } => {
            let names: Vec<&str> = free.iter().map(|v| v.name()).collect();
            let vals: serde_json::Map<String, Json> =
                values.iter().map(|(v, e)| (v.name().to_string(), json!(kobai::text(e)))).collect();
            json!({"free": names, "values": vals})
        }
        Solutions::Finite(_) => Json::Null,
    }
}

fn family_text(s: &Solutions, format: Format) -> String {
    match s {
        Solutions::Family { free, values } => {
            let shown: Vec<String> = values
                .iter()
                .filter(|(v, e)| e.as_sym() != Some(*v))
                .map(|(v, e)| format!("{v} = {}", show(e, format)))
                .collect();
            let names: Vec<&str> = free.iter().map(|v| v.name()).collect();
            let verb = if names.len() == 1 { "is" } else { "are" };
            format!("{}   ({} {verb} free)", shown.join(", "), names.join(", "))
        }
        Solutions::Finite(_) => String::new(),
    }
}

/// `minimize LOSS --wrt vars`.
pub fn minimize(input: &Input<'_>, wrt: &[String], digits: usize) -> Result<Solved, Error> {
    let e = input.expr()?;
    let bindings = input.bindings()?;
    check_bindings(&bindings, &e)?;
    let loss = kobai::subs(&e, &bindings)?;
    let vars = chosen_variables(wrt, &e, &loss, &bindings)?;
    if input.wants_steps() {
        let steps = kobai::minimize_steps(&loss, &vars, &options(input, digits))?;
        return Ok(Solved { text: super::Output::Steps(vec![steps]).render(input.common.format), code: 0 });
    }
    let report = kobai::stationary_points(&loss, &vars, &options(input, digits))?;
    let format = input.common.format;
    let code = if has_minimum(&report) { 0 } else { 1 };
    if format == Format::Json {
        let v = report_json(&report);
        return Ok(Solved { text: format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default()), code });
    }
    let mut out = String::new();
    if let Some(r) = input.parse_reading()? {
        out.push_str(&format!("read as: {r}\n"));
    }
    out.push_str(&format!("loss      {}\n", show(&report.loss, format)));
    match report.gradient.as_slice() {
        [g] => out.push_str(&format!("gradient  {}\n", show(g, format))),
        many => {
            for (i, (v, g)) in vars.iter().zip(many).enumerate() {
                let label = if i == 0 { "gradient  " } else { "          " };
                out.push_str(&format!("{label}d/d{v} = {}\n", show(g, format)));
            }
        }
    }
    out.push_str(&points_text(&report, digits, format, "    "));
    Ok(Solved { text: out, code })
}

/// True when `minimize` found a minimum.
/// The stationary points as JSON: `status`, `points` (values, approx, kind,
/// loss), the loss, its gradient and any family; `fit` adds its rows.
pub(super) fn report_json(report: &StationaryReport) -> Json {
    let status = match (&report.family, report.points.len()) {
        (Some(_), _) => "infinite",
        (None, 0) => "none",
        (None, 1) => "unique",
        (None, _) => "finite",
    };
    let points: Vec<Json> = report
        .points
        .iter()
        .map(|p| {
            let mut m = json_point(&p.point);
            m.insert("kind".into(), json!(p.kind.word()));
            m.insert("reason".into(), json!(p.reason));
            m.insert(
                "loss".into(),
                match &p.loss {
                    Value::Exact(e) => json!(kobai::text(e)),
                    Value::Approx(x) => json!({"approx": x}),
                },
            );
            Json::Object(m)
        })
        .collect();
    let gradient: Vec<String> = report.gradient.iter().map(kobai::text).collect();
    let mut v = json!({
        "loss": kobai::text(&report.loss),
        "gradient": gradient,
        "status": status,
        "points": points,
        "convex_quadratic": report.convex_quadratic,
        "unbounded_below": report.unbounded_below,
    });
    if let Some((family, kind, reason)) = &report.family {
        super::output::set(&mut v, "family", family_json(family));
        super::output::set(&mut v, "kind", json!(kind.word()));
        super::output::set(&mut v, "reason", json!(reason));
        if let Some(l) = &report.family_loss {
            super::output::set(&mut v, "family_loss", json!(kobai::text(l)));
        }
    }
    v
}

/// True when a minimum was found (or the minima form a family).
pub(super) fn has_minimum(report: &StationaryReport) -> bool {
    report.points.iter().any(|p| p.kind == Kind::Minimum)
        || report.family.as_ref().is_some_and(|(_, _, _)| report.convex_quadratic)
}

/// The stationary points, one a line with their kind and loss, and what is
/// missing: what `minimize` prints after the loss and its gradient.
///
/// `gap` separates the columns (`minimize` uses four spaces, `fit` three).
pub(super) fn points_text(report: &StationaryReport, digits: usize, format: Format, gap: &str) -> String {
    let mut out = String::new();
    for p in &report.points {
        out.push_str(&format!(
            "{}{gap}{}{gap}loss = {}\n",
            assignment(&p.point, digits, format),
            kind_text(&p.kind, &p.reason, report),
            loss_text(&p.loss, format)
        ));
        for note in interval_notes(&p.point) {
            out.push_str(&format!("  {note}\n"));
        }
    }
    if let Some((family, kind, reason)) = &report.family {
        let loss = report.family_loss.as_ref().map(|l| format!("{gap}loss = {}", show(l, format))).unwrap_or_default();
        out.push_str(&format!("{}{gap}{} ({reason}){loss}\n", family_text(family, format), kind.word()));
    }
    if report.points.is_empty() && report.family.is_none() {
        out.push_str("no stationary points: the gradient is never zero\n");
    }
    let has_minimum = has_minimum(report);
    if !has_minimum && report.unbounded_below {
        out.push_str("no minimum: the loss is unbounded below\n");
    } else if !has_minimum {
        out.push_str("no minimum found\n");
    }
    out
}

/// `solve EQUATION... --for vars`.
pub fn solve(input: &Input<'_>, extra: &[String], wrt: &[String], digits: usize) -> Result<Solved, Error> {
    let mut equations = vec![kobai::read_equation(&input.source, &input.limits)?];
    for text in extra {
        let eq = kobai::read_equation(text, &input.limits)
            .map_err(|e| Error::Usage { message: format!("the equation `{text}` cannot be read: {e}") })?;
        equations.push(eq);
    }
    let bindings = input.bindings()?;
    let everything = Expr::sum(equations.iter().map(|e| Expr::pow(e, &Expr::int(2))));
    check_bindings(&bindings, &everything)?;
    let equations: Vec<Expr> = equations.iter().map(|e| kobai::subs(e, &bindings)).collect::<Result<_, _>>()?;
    let remaining = Expr::sum(equations.iter().map(|e| Expr::pow(e, &Expr::int(2))));
    if remaining.symbols().is_empty() {
        return Ok(constant_equations(&equations, input.common.format));
    }
    let vars = chosen_variables(wrt, &everything, &remaining, &bindings)?;
    if input.wants_steps() {
        let steps = kobai::solve_steps(&equations, &vars, &input.limits)?;
        return Ok(Solved { text: super::Output::Steps(vec![steps]).render(input.common.format), code: 0 });
    }
    let solutions = kobai::solve_equations(&equations, &vars, &options(input, digits))?;
    let format = input.common.format;
    let (status, code) = match &solutions {
        Solutions::Finite(p) if p.is_empty() => ("none", 1),
        Solutions::Finite(p) if p.len() == 1 => ("unique", 0),
        Solutions::Finite(_) => ("finite", 0),
        Solutions::Family { .. } => ("infinite", 0),
    };
    if format == Format::Json {
        let points: Vec<Json> = match &solutions {
            Solutions::Finite(ps) => ps.iter().map(|p| Json::Object(json_point(p))).collect(),
            Solutions::Family { .. } => Vec::new(),
        };
        let mut v = json!({"status": status, "points": points});
        if matches!(solutions, Solutions::Family { .. }) {
            super::output::set(&mut v, "family", family_json(&solutions));
        }
        return Ok(Solved { text: format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default()), code });
    }
    let mut out = String::new();
    if let Some(r) = input.parse_reading()? {
        out.push_str(&format!("read as: {r}\n"));
    }
    out.push_str(&solutions_text(&solutions, digits, format));
    Ok(Solved { text: out, code })
}

/// Equations without a variable (left after `--at`, or cancelled, as in
/// `x = x + 1`): they hold for every value, or for none.
fn constant_equations(equations: &[Expr], format: Format) -> Solved {
    let false_one = equations.iter().find(|e| !e.is_zero());
    let (status, code, text) = match false_one {
        None => ("all", 0, "every value is a solution: the equations hold identically".to_string()),
        Some(e) => ("none", 1, format!("no solution: the equations reduce to {} = 0", show(e, format))),
    };
    if format == Format::Json {
        let v = json!({"status": status, "points": [], "reason": text});
        return Solved { text: format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default()), code };
    }
    Solved { text: format!("{text}\n"), code }
}

/// The solutions, one a line: what `solve` prints.
pub(super) fn solutions_text(solutions: &Solutions, digits: usize, format: Format) -> String {
    let mut out = String::new();
    match solutions {
        Solutions::Finite(ps) if ps.is_empty() => out.push_str("no solution\n"),
        Solutions::Finite(ps) => {
            for p in ps {
                let mut line = assignment(p, digits, format);
                if p.multiplicity > 1 {
                    line.push_str(&format!("   (multiplicity {})", p.multiplicity));
                }
                let notes = interval_notes(p);
                if !notes.is_empty() {
                    line.push_str("   ");
                    line.push_str(&notes.join(" "));
                }
                out.push_str(&line);
                out.push('\n');
            }
        }
        family @ Solutions::Family { .. } => {
            out.push_str(&family_text(family, format));
            out.push('\n');
        }
    }
    out
}

/// The variables to solve for: those named, or else every variable left.
fn chosen_variables(
    names: &[String],
    original: &Expr,
    remaining: &Expr,
    bindings: &kobai::Bindings,
) -> Result<Vec<Symbol>, Error> {
    if names.is_empty() {
        let vars = remaining.symbols();
        if vars.is_empty() {
            return Err(Error::Usage { message: "there is no variable to solve for".into() });
        }
        return Ok(vars);
    }
    super::variables(names, original, bindings)
}
