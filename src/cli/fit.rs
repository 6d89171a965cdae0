//! `kobai fit`: a loss summed over the rows of a CSV file, and its exact
//! minimum. Text and JSON follow the shape of `minimize`, plus the rows.

use std::io::Read;
use std::path::Path;

use clap::Args;
use serde_json::{Value as Json, json};

use kobai::{CsvReader, Error, Expr, Fit, FitOptions, Limits, SolveOptions, Symbol};

use super::{Common, Format, Input, Output, check_bindings, solve};

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
    #[command(flatten)]
    pub csv: CsvLimitArgs,
}

/// Flags that raise the limits on the shape of a CSV file.
#[derive(Args)]
pub struct CsvLimitArgs {
    /// Longest CSV row accepted, in bytes
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_csv_row_bytes)]
    pub max_csv_row_bytes: usize,
    /// Longest CSV cell accepted, in bytes
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_csv_cell_bytes)]
    pub max_csv_cell_bytes: usize,
    /// Most columns accepted in a CSV header
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_csv_columns)]
    pub max_csv_columns: usize,
}

impl CsvLimitArgs {
    /// `limits` with these CSV limits.
    pub fn apply(&self, limits: Limits) -> Limits {
        limits
            .with_max_csv_row_bytes(self.max_csv_row_bytes)
            .with_max_csv_cell_bytes(self.max_csv_cell_bytes)
            .with_max_csv_columns(self.max_csv_columns)
    }
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
pub fn open_data(path: &str, formula_from_stdin: bool, limits: &Limits) -> Result<DataSource, Error> {
    if path == "-" {
        if formula_from_stdin {
            return Err(Error::Usage { message: "the formula and --data cannot both come from standard input".into() });
        }
        return Ok(DataSource::Stdin(CsvReader::with_limits("standard input", std::io::stdin(), limits)?));
    }
    Ok(DataSource::File(CsvReader::open_with(Path::new(path), limits)?))
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
    let limits = args.csv.apply(input.limits);
    let options = FitOptions::default()
        .with_weights(weights)
        .with_mean(args.mean)
        .with_solve(SolveOptions::default().with_limits(input.limits).with_digits(usize::from(args.digits)));
    let options = FitOptions { columns: parse_map(&args.map)?, ..options };
    let result = match open_data(&args.data, input.origin == "stdin", &limits)? {
        DataSource::File(mut d) => run_fit(&loss, &mut d, &options),
        DataSource::Stdin(mut d) => run_fit(&loss, &mut d, &options),
    }?;
    let digits = usize::from(args.digits);
    let format = input.common.format;
    let code = if solve::has_minimum(&result.report) { 0 } else { 1 };
    let text = if format == Format::Json { render_json(&result) } else { render_text(&result, digits, format) };
    Ok(Output::Rendered { text, code })
}

fn columns_text(result: &Fit) -> String {
    let parts: Vec<String> =
        result.columns.iter().map(|(v, c)| if v.name() == c { c.clone() } else { format!("{v} from {c}") }).collect();
    if parts.is_empty() { "no data columns".into() } else { format!("columns {}", parts.join(", ")) }
}

/// The rows and the summed loss, then the points as `minimize` prints them.
fn render_text(result: &Fit, digits: usize, format: Format) -> String {
    let report = &result.report;
    let how = if result.mean { "averaged over the rows" } else { "summed over the rows" };
    let mut out = format!("rows      {}   ({})\n", result.rows, columns_text(result));
    out.push_str(&format!("loss      {}   ({how})\n", solve::show(&result.loss.to_expr(), format)));
    out.push_str(&solve::points_text(report, digits, format, "   "));
    if report.family.is_some() {
        out.push_str("the minimum is not unique: the data do not determine every weight\n");
    }
    out
}

/// `minimize`'s JSON, plus the rows, the columns and whether it is a mean.
fn render_json(result: &Fit) -> String {
    let mut v = solve::report_json(&result.report);
    let columns: serde_json::Map<String, Json> =
        result.columns.iter().map(|(v, c)| (v.name().to_string(), json!(c))).collect();
    super::output::set(&mut v, "rows", json!(result.rows));
    super::output::set(&mut v, "columns", Json::Object(columns));
    super::output::set(&mut v, "mean", json!(result.mean));
    super::output::set(&mut v, "loss", json!(kobai::text(&result.loss.to_expr())));
    format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
}
