//! `kobai descend`: a table of gradient-descent steps, exact while the
//! fractions stay short, with the exact verdict for a quadratic loss.

use clap::Args;
use serde_json::{Value as Json, json};

use kobai::{Descent, DescentOptions, Error, Expr, FitOptions, Number, Outcome, Poly, Q, Stop, Symbol};

use super::fit::{DataSource, loss_and_weights, open_data, parse_map};
use super::{Common, Format, Input, Output};

/// `kobai descend LOSS --wrt VARS --rate R`.
#[derive(Args)]
pub struct DescendArgs {
    #[command(flatten)]
    pub common: Common,
    /// The weights, comma separated (default: every variable left after --at and --data)
    #[arg(long, value_name = "VARS", value_delimiter = ',')]
    pub wrt: Vec<String>,
    /// The start: `--from w1=0` (weights not named start at 0)
    #[arg(long, value_name = "NAME=VALUE,...")]
    pub from: Vec<String>,
    /// The learning rate, exact: `1/10`, `0.1`, `1e-3`
    #[arg(long, allow_hyphen_values = true)]
    pub rate: String,
    /// The most steps to take (default 10, or 10000 with --until)
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub iterations: Option<usize>,
    /// The most steps --iterations may ask for
    #[arg(long, value_name = "N", default_value_t = kobai::Limits::default().max_iterations)]
    pub max_iterations: usize,
    /// Stop once the gradient's Euclidean norm is at most this
    #[arg(long, value_name = "NORM")]
    pub until: Option<String>,
    /// Compute in floating point from the start
    #[arg(long)]
    pub float: bool,
    /// Switch to floating point once a denominator has more digits than this
    #[arg(long, value_name = "N", default_value_t = 16)]
    pub max_digits: usize,
    /// Sum the loss over the rows of a CSV file (`-` for standard input)
    #[arg(long, value_name = "FILE", allow_hyphen_values = true)]
    pub data: Option<String>,
    /// With --data: read a variable from a column of another name: `--map x=size`
    #[arg(long, value_name = "VAR=COLUMN,...", value_delimiter = ',')]
    pub map: Vec<String>,
    /// With --data: average the loss over the rows instead of summing it
    #[arg(long)]
    pub mean: bool,
    /// Also draw the descent on the loss curve into this SVG file
    #[arg(long, value_name = "FILE")]
    pub plot: Option<String>,
    #[command(flatten)]
    pub csv: super::fit::CsvLimitArgs,
}

/// A number given as a formula that must evaluate to a rational.
pub fn rational_arg(flag: &str, text: &str, input: &Input<'_>) -> Result<Q, Error> {
    let e = kobai::read_with(text, &input.limits)
        .map_err(|e| Error::Usage { message: format!("{flag} `{text}` is not a number: {e}") })?;
    e.as_num().cloned().ok_or_else(|| Error::Usage { message: format!("{flag} `{text}` is not a rational number") })
}

/// The loss as a polynomial in the weights: from the formula after `--at`,
/// summed over `--data` when given.
pub fn loss_polynomial(
    input: &Input<'_>,
    wrt: &[String],
    data: Option<&str>,
    map: &[String],
    mean: bool,
    csv: &super::fit::CsvLimitArgs,
) -> Result<(Poly, Option<u64>), Error> {
    let (loss, weights) = loss_and_weights(input, wrt)?;
    match data {
        Some(path) => {
            let options = FitOptions { columns: parse_map(map)?, ..FitOptions::default() }.with_weights(weights);
            let (p, rows) = match open_data(path, input.origin == "stdin", &csv.apply(input.limits))? {
                DataSource::File(mut d) => summed(&loss, &mut d, &options, mean, input)?,
                DataSource::Stdin(mut d) => summed(&loss, &mut d, &options, mean, input)?,
            };
            Ok((p, Some(rows)))
        }
        None => {
            if !map.is_empty() || mean {
                return Err(Error::Usage { message: "--map and --mean need --data".into() });
            }
            let weights = if weights.is_empty() { loss.symbols() } else { weights };
            if weights.is_empty() {
                return Err(Error::Usage { message: "there is no weight to descend in".into() });
            }
            let gens: Vec<Expr> = weights.iter().map(|w| Expr::sym(*w)).collect();
            let p = Poly::from_expr(&loss, &gens, &input.limits).map_err(|e| match e {
                Error::Usage { message } => Error::Usage {
                    message: format!("{message} (descend needs a loss that is a polynomial in the weights)"),
                },
                other => other,
            })?;
            Ok((p, None))
        }
    }
}

/// The loss summed (or averaged) over the rows, in the weights' order.
fn summed<R: std::io::Read>(
    loss: &Expr,
    data: &mut kobai::CsvReader<R>,
    options: &FitOptions,
    mean: bool,
    input: &Input<'_>,
) -> Result<(Poly, u64), Error> {
    let (weights, columns) = kobai::split_variables(loss, data, options)?;
    let p = kobai::sum_rows(loss, &weights, &columns, data, mean, &input.limits)?;
    Ok((with_weights(&p, &weights)?, data.rows_read()))
}

fn with_weights(p: &Poly, weights: &[Symbol]) -> Result<Poly, Error> {
    let gens: Vec<Expr> = weights.iter().map(|w| Expr::sym(*w)).collect();
    p.with_generators(&gens).ok_or_else(|| Error::Usage { message: "internal: weights of the summed loss".into() })
}

/// The start point from `--from` (weights not named start at 0).
fn start_point(input: &Input<'_>, from: &[String], weights: &[Symbol]) -> Result<Vec<Q>, Error> {
    let mut start = vec![Q::zero(); weights.len()];
    for text in from {
        for (s, v) in kobai::parse_bindings(text, &input.limits)? {
            let Some(i) = weights.iter().position(|w| *w == s) else {
                let names: Vec<&str> = weights.iter().map(|w| w.name()).collect();
                return Err(Error::Usage {
                    message: format!("--from gives a value to `{s}`, which is not a weight ({})", names.join(", ")),
                });
            };
            let q = v.as_num().cloned().ok_or_else(|| Error::Usage {
                message: format!("the start value of `{s}` must be a rational number, not `{v}`"),
            })?;
            if let Some(slot) = start.get_mut(i) {
                *slot = q;
            }
        }
    }
    Ok(start)
}

/// Runs `descend`.
pub fn descend(input: &Input<'_>, args: &DescendArgs) -> Result<Output, Error> {
    let (loss, rows) = loss_polynomial(input, &args.wrt, args.data.as_deref(), &args.map, args.mean, &args.csv)?;
    let weights: Vec<Symbol> = loss.generators().iter().filter_map(Expr::as_sym).collect();
    let start = start_point(input, &args.from, &weights)?;
    let rate = rational_arg("--rate", &args.rate, input)?;
    let mut options = DescentOptions::new(rate, start)
        .with_float(args.float)
        .with_max_denominator_digits(args.max_digits)
        .with_limits(input.limits.with_max_iterations(args.max_iterations));
    options.iterations = args.iterations.unwrap_or(if args.until.is_some() { 10_000 } else { 10 });
    if let Some(t) = &args.until {
        options = options.with_until(rational_arg("--until", t, input)?);
    }
    let run = kobai::descend(&loss, &options)?;
    if let Some(path) = &args.plot {
        super::plot::plot_descent(&loss, &run, path)?;
    }
    let text = match input.common.format {
        Format::Json => render_json(&run, &loss, rows, &options),
        _ => render_text(&run, &options, args.max_digits),
    };
    Ok(Output::Rendered { text, code: 0 })
}

fn render_text(run: &Descent, options: &DescentOptions, max_digits: usize) -> String {
    let mut header: Vec<String> = vec!["step".into()];
    header.extend(run.weights.iter().map(|w| w.name().to_string()));
    header.push("loss".into());
    if let [_] = run.weights.as_slice() {
        header.push("gradient".into());
    } else {
        header.extend(run.weights.iter().map(|w| format!("d/d{w}")));
    }
    let mut rows: Vec<Vec<String>> = vec![header];
    for it in &run.iterations {
        let mut row = vec![it.step.to_string()];
        row.extend(it.values.iter().map(Number::to_string));
        row.push(it.loss.to_string());
        row.extend(it.gradient.iter().map(Number::to_string));
        rows.push(row);
    }
    let columns = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..columns)
        .map(|j| rows.iter().filter_map(|r| r.get(j)).map(|c| c.chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in &rows {
        let mut line = String::new();
        for (j, (cell, w)) in row.iter().zip(&widths).enumerate() {
            line.push_str(cell);
            if j + 1 < row.len() {
                line.push_str(&" ".repeat(w - cell.chars().count() + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    if let Some(k) = run.float_from {
        if options.float {
            out.push_str("(floating point throughout, as --float asks)\n");
        } else {
            out.push_str(&format!(
                "(from step {k} on in floating point: a denominator passed {max_digits} digits; --max-digits raises \
                 the bound)\n"
            ));
        }
    }
    let last = run.iterations.last().map_or(0, |i| i.step);
    match &run.stop {
        Stop::Diverged => out.push_str(&format!(
            "stopped at step {last}: the gradient grew more than a million million-fold, so the descent diverges\n"
        )),
        Stop::GradientSmall => {
            let t = options.until.as_ref().map(Q::to_string).unwrap_or_default();
            out.push_str(&format!("stopped at step {last}: the gradient norm is at most {t}\n"));
        }
        Stop::Stationary => out.push_str(&format!("stopped at step {last}: the gradient is exactly zero\n")),
        Stop::Iterations => {
            if let Some(t) = &options.until {
                out.push_str(&format!("stopped after {last} steps: the gradient norm is still above {t}\n"));
            }
        }
    }
    out.push_str(&verdict(run));
    out.push('\n');
    out
}

fn point_text(weights: &[Symbol], values: &[Q]) -> String {
    weights.iter().zip(values).map(|(w, v)| format!("{w} = {v}")).collect::<Vec<_>>().join(", ")
}

fn verdict(run: &Descent) -> String {
    match &run.quadratic {
        Some(q) => match (q.outcome, &q.limit) {
            (Outcome::Converging, Some(limit)) => {
                format!("converging to {}; {}", point_text(&run.weights, limit), q.reason)
            }
            (outcome, _) => format!("{}: {}", outcome.word(), q.reason),
        },
        None => match run.outcome {
            Outcome::Diverging => "diverging".to_string(),
            Outcome::Converging => "converged to a stationary point".to_string(),
            _ => "the loss is not quadratic, so kobai cannot predict exactly whether this rate converges".to_string(),
        },
    }
}

fn number_json(n: &Number) -> Json {
    match n {
        Number::Exact(q) => json!(q.to_string()),
        Number::Float(x) => json!(x),
    }
}

fn render_json(run: &Descent, loss: &Poly, rows: Option<u64>, options: &DescentOptions) -> String {
    let iterations: Vec<Json> = run
        .iterations
        .iter()
        .map(|it| {
            let values: serde_json::Map<String, Json> =
                run.weights.iter().zip(&it.values).map(|(w, v)| (w.name().to_string(), number_json(v))).collect();
            let gradient: serde_json::Map<String, Json> =
                run.weights.iter().zip(&it.gradient).map(|(w, v)| (w.name().to_string(), number_json(v))).collect();
            json!({"step": it.step, "values": values, "loss": number_json(&it.loss), "gradient": gradient})
        })
        .collect();
    let stable = run.quadratic.as_ref().and_then(|q| q.stable.as_ref()).map(|s| {
        let mut v = json!({"low": "0", "high": s.high_text()});
        if s.high.as_ref().is_none_or(|e| e.as_num().is_none()) {
            super::output::set(
                &mut v,
                "high_bounds",
                json!([s.high_bounds.0.to_string(), s.high_bounds.1.to_string()]),
            );
        }
        v
    });
    let stop = match run.stop {
        Stop::Iterations => "iterations",
        Stop::GradientSmall => "gradient_small",
        Stop::Stationary => "stationary",
        Stop::Diverged => "diverged",
    };
    let mut v = json!({
        "loss": kobai::text(&loss.to_expr()),
        "rate": run.rate.to_string(),
        "iterations": iterations,
        "stable_rates": stable,
        "outcome": run.outcome.word(),
        "stopped": stop,
        "float_from": run.float_from,
        "message": verdict(run),
    });
    if let Some(limit) = run.quadratic.as_ref().and_then(|q| q.limit.as_ref()) {
        let values: serde_json::Map<String, Json> =
            run.weights.iter().zip(limit).map(|(w, q)| (w.name().to_string(), json!(q.to_string()))).collect();
        super::output::set(&mut v, "limit", Json::Object(values));
    }
    if let Some(r) = rows {
        super::output::set(&mut v, "rows", json!(r));
    }
    if let Some(t) = &options.until {
        super::output::set(&mut v, "until", json!(t.to_string()));
    }
    format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
}
