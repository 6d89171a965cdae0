//! `kobai fit`: a loss summed over the rows of a CSV file, and its exact
//! minimum. Text and JSON follow the shape of `minimize`, plus the rows.

use std::io::Read;
use std::path::Path;

use clap::Args;
use serde_json::{Value as Json, json};

use kobai::{Coordinate, CsvReader, Error, Expr, Fit, FitOptions, Kind, Point, Solutions, SolveOptions, Symbol, Value};

use super::{Common, Format, Input, Output, check_bindings};

/// `kobai fit LOSS --data FILE`.
#[derive(Args)]
pub struct FitArgs {
    #[command(flatten)]
    pub common: Common,
    /// The CSV file whose header names the data variables, or `-` for standard input
    #[arg(long, value_name = "FILE", allow_hyphen_values = true)]
    pub data: String,
    /// The weights, comma separated (default: every variable that is not a column)
    #[arg(long, value_name = "VARS", value_delimiter = ',')]
    pub wrt: Vec<String>,
    /// Read a variable from a column of another name: `--map x=size,t=price`
    #[arg(long, value_name = "VAR=COLUMN,...", value_delimiter = ',')]
    pub map: Vec<String>,
    /// Average the loss over the rows instead of summing it
    #[arg(long)]
    pub mean: bool,
    /// Significant digits shown for roots known only by an interval
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub digits: u16,
}

/// Where the rows come from: a file, or standard input.
pub enum DataSource {
    /// A file.
    File(CsvReader<std::fs::File>),
    /// Standard input.
    Stdin(CsvReader<std::io::Stdin>),
}

/// Opens `--data`: a path, or `-` for standard input (which must then not
/// also carry the formula).
pub fn open_data(path: &str, formula_from_stdin: bool) -> Result<DataSource, Error> {
    if path == "-" {
        if formula_from_stdin {
            return Err(Error::Usage { message: "the formula and --data cannot both come from standard input".into() });
        }
        return Ok(DataSource::Stdin(CsvReader::new("standard input", std::io::stdin())?));
    }
    Ok(DataSource::File(CsvReader::open(Path::new(path))?))
}

/// `--map x=size,t=price` as pairs.
pub fn parse_map(items: &[String]) -> Result<Vec<(Symbol, String)>, Error> {
    let mut out: Vec<(Symbol, String)> = Vec::new();
    for item in items.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let Some((var, column)) = item.split_once('=') else {
            return Err(Error::Usage { message: format!("expected `variable=column` in --map `{item}`") });
        };
        let var = Symbol::new(var.trim());
        if out.iter().any(|(v, _)| *v == var) {
            return Err(Error::Usage { message: format!("--map names `{var}` twice") });
        }
        out.push((var, column.trim().to_string()));
    }
    Ok(out)
}

/// The loss after `--at`, and the weights named by `--wrt` (checked to occur).
pub fn loss_and_weights(input: &Input<'_>, wrt: &[String]) -> Result<(Expr, Vec<Symbol>), Error> {
    let e = input.expr()?;
    let bindings = input.bindings()?;
    check_bindings(&bindings, &e)?;
    let loss = kobai::subs(&e, &bindings)?;
    let weights = if wrt.is_empty() { Vec::new() } else { super::variables(wrt, &e, &bindings)? };
    Ok((loss, weights))
}

fn run_fit<R: Read>(loss: &Expr, data: &mut CsvReader<R>, options: &FitOptions) -> Result<Fit, Error> {
    kobai::fit(loss, data, options).map_err(Error::from)
}

/// Runs `fit`.
pub fn fit(input: &Input<'_>, args: &FitArgs) -> Result<Output, Error> {
    let (loss, weights) = loss_and_weights(input, &args.wrt)?;
    let options = FitOptions::default()
        .with_weights(weights)
        .with_mean(args.mean)
        .with_solve(SolveOptions::default().with_limits(input.limits).with_digits(usize::from(args.digits)));
    let options = FitOptions { columns: parse_map(&args.map)?, ..options };
    let result = match open_data(&args.data, input.origin == "stdin")? {
        DataSource::File(mut d) => run_fit(&loss, &mut d, &options),
        DataSource::Stdin(mut d) => run_fit(&loss, &mut d, &options),
    }?;
    let digits = usize::from(args.digits);
    let format = input.common.format;
    let has_minimum = result.report.points.iter().any(|p| p.kind == Kind::Minimum)
        || (result.report.family.is_some() && result.report.convex_quadratic);
    let code = if has_minimum { 0 } else { 1 };
    let text = if format == Format::Json { render_json(&result) } else { render_text(&result, digits, format) };
    Ok(Output::Rendered { text, code })
}

pub(super) fn show(e: &Expr, format: Format) -> String {
    match format {
        Format::Unicode => kobai::unicode(e),
        Format::Latex => kobai::latex(e),
        Format::Text | Format::Json => kobai::text(e),
    }
}

/// `5/2 (= 2.5)`, `1/3 (≈ 0.3333…)`, `1 + sqrt(2) (≈ 2.414…)`, `≈ 1.1673…`.
pub(super) fn coordinate(c: &Coordinate, digits: usize, format: Format) -> String {
    if let Coordinate::Root(r @ kobai::RealRoot { value: kobai::RootValue::Quadratic(_), .. }) = c {
        let shown = if format == Format::Unicode { r.value.unicode() } else { r.value.to_string() };
        return format!("{shown} (≈ {})", c.decimal(digits));
    }
    match c.exact() {
        Some(e) => {
            let exact = show(&e, format);
            match e.as_num() {
                Some(q) if q.is_integer() => exact,
                Some(q) => match q.terminating_decimal() {
                    Some(d) => format!("{exact} (= {d})"),
                    None => format!("{exact} (≈ {})", c.decimal(digits)),
                },
                None => format!("{exact} (≈ {})", c.decimal(digits)),
            }
        }
        None => format!("≈ {}", c.decimal(digits)),
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

fn kind_text(kind: &Kind, reason: &str, convex_quadratic: bool) -> String {
    match kind {
        Kind::Minimum if convex_quadratic => "minimum (global: the loss is a convex quadratic)".into(),
        Kind::Minimum | Kind::Maximum | Kind::Saddle => kind.word().into(),
        Kind::Inflection | Kind::Degenerate(_) => format!("{} ({reason})", kind.word()),
    }
}

fn value_text(v: &Value, format: Format) -> String {
    match v {
        Value::Exact(e) => show(e, format),
        Value::Approx(x) => format!("≈ {x}"),
    }
}

fn columns_text(result: &Fit) -> String {
    let parts: Vec<String> =
        result.columns.iter().map(|(v, c)| if v.name() == c { c.clone() } else { format!("{v} from {c}") }).collect();
    if parts.is_empty() { "no data columns".into() } else { format!("columns {}", parts.join(", ")) }
}

fn render_text(result: &Fit, digits: usize, format: Format) -> String {
    let report = &result.report;
    let how = if result.mean { "averaged over the rows" } else { "summed over the rows" };
    let mut out = format!("rows      {}   ({})\n", result.rows, columns_text(result));
    out.push_str(&format!("loss      {}   ({how})\n", show(&result.loss.to_expr(), format)));
    for p in &report.points {
        out.push_str(&format!(
            "{}   {}   loss = {}\n",
            assignment(&p.point, digits, format),
            kind_text(&p.kind, &p.reason, report.convex_quadratic),
            value_text(&p.loss, format)
        ));
        for (v, c) in &p.point.values {
            if let Some(d) = c.describe(*v) {
                out.push_str(&format!("  ({d})\n"));
            }
        }
    }
    if let Some((Solutions::Family { free, values }, kind, reason)) = &report.family {
        let shown: Vec<String> = values
            .iter()
            .filter(|(v, e)| e.as_sym() != Some(*v))
            .map(|(v, e)| format!("{v} = {}", show(e, format)))
            .collect();
        let names: Vec<&str> = free.iter().map(|v| v.name()).collect();
        let verb = if names.len() == 1 { "is" } else { "are" };
        out.push_str(&format!(
            "{}   ({} {verb} free)   {} ({reason})\n",
            shown.join(", "),
            names.join(", "),
            kind.word()
        ));
        out.push_str("the minimum is not unique: the data do not determine every weight\n");
    }
    if report.points.is_empty() && report.family.is_none() {
        out.push_str("no stationary points: the gradient is never zero\n");
    }
    let has_minimum =
        report.points.iter().any(|p| p.kind == Kind::Minimum) || (report.family.is_some() && report.convex_quadratic);
    if !has_minimum {
        out.push_str(if report.unbounded_below {
            "no minimum: the loss is unbounded below\n"
        } else {
            "no minimum found\n"
        });
    }
    out
}

fn json_point(point: &Point) -> serde_json::Map<String, Json> {
    let mut values = serde_json::Map::new();
    let mut approx = serde_json::Map::new();
    for (v, c) in &point.values {
        let exact = match (c.exact(), c.isolation(*v)) {
            (Some(e), _) => json!(kobai::text(&e)),
            (None, Some((p, interval))) => json!({"root_of": p, "interval": interval}),
            (None, None) => Json::Null,
        };
        values.insert(v.name().into(), exact);
        approx.insert(v.name().into(), json!(c.approx()));
    }
    let mut m = serde_json::Map::new();
    m.insert("values".into(), Json::Object(values));
    m.insert("approx".into(), Json::Object(approx));
    m
}

fn render_json(result: &Fit) -> String {
    let report = &result.report;
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
            let loss = match &p.loss {
                Value::Exact(e) => json!(kobai::text(e)),
                Value::Approx(x) => json!({"approx": x}),
            };
            m.insert("loss".into(), loss);
            Json::Object(m)
        })
        .collect();
    let gradient: Vec<String> = report.gradient.iter().map(kobai::text).collect();
    let columns: serde_json::Map<String, Json> =
        result.columns.iter().map(|(v, c)| (v.name().to_string(), json!(c))).collect();
    let mut v = json!({
        "rows": result.rows,
        "columns": columns,
        "mean": result.mean,
        "loss": kobai::text(&result.loss.to_expr()),
        "gradient": gradient,
        "status": status,
        "points": points,
        "convex_quadratic": report.convex_quadratic,
        "unbounded_below": report.unbounded_below,
    });
    if let Some((Solutions::Family { free, values }, kind, reason)) = &report.family {
        let names: Vec<&str> = free.iter().map(|v| v.name()).collect();
        let vals: serde_json::Map<String, Json> =
            values.iter().map(|(v, e)| (v.name().to_string(), json!(kobai::text(e)))).collect();
        v["family"] = json!({"free": names, "values": vals});
        v["kind"] = json!(kind.word());
        v["reason"] = json!(reason);
    }
    format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
}
