//! `kobai plot`: the loss (and its derivative, a tangent, the critical
//! points, a descent path) as an SVG file or a text plot.

use std::path::Path;

use clap::Args;

use kobai::{Descent, DescentOptions, Error, Expr, Plot, PlotOptions, Poly, Q, Symbol};

use super::descend::rational_arg;
use super::{Common, Input, Output, check_bindings};

/// `kobai plot FORMULA --wrt VAR --from A --to B`.
#[derive(Args)]
pub struct PlotArgs {
    #[command(flatten)]
    pub common: Common,
    /// The variable on the horizontal axis (default: the only one left after --at)
    #[arg(long, value_name = "VAR")]
    pub wrt: Option<String>,
    /// The left end of the range
    #[arg(long, allow_hyphen_values = true, default_value = "-10")]
    pub from: String,
    /// The right end of the range
    #[arg(long, allow_hyphen_values = true, default_value = "10")]
    pub to: String,
    /// Also draw the derivative
    #[arg(long)]
    pub derivative: bool,
    /// Draw the tangent line at this point
    #[arg(long, value_name = "X", allow_hyphen_values = true)]
    pub tangent_at: Option<String>,
    /// Draw a gradient-descent path with this rate (from --start, for --iterations steps)
    #[arg(long, value_name = "RATE")]
    pub descent: Option<String>,
    /// Where the descent starts (default: the left end of the range)
    #[arg(long, value_name = "X", allow_hyphen_values = true)]
    pub start: Option<String>,
    /// Steps of the descent
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub iterations: usize,
    /// Number of samples
    #[arg(long, value_name = "N", default_value_t = 401)]
    pub samples: usize,
    /// Write the plot to this SVG file
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<String>,
    /// Draw a text plot in the terminal (the default when there is no -o)
    #[arg(long)]
    pub terminal: bool,
    /// Width of the SVG in pixels
    #[arg(long, default_value_t = 800, value_parser = clap::value_parser!(u32).range(200..=10000))]
    pub width: u32,
    /// Height of the SVG in pixels
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u32).range(150..=10000))]
    pub height: u32,
}

/// Refuses output formats other than SVG, naming the reason for PNG.
fn check_svg_path(path: &str) -> Result<(), Error> {
    let ext = Path::new(path).extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("svg") => Ok(()),
        Some("png") => Err(Error::Unsupported {
            reason: "PNG output: kobai draws text without system fonts only in SVG; write an .svg file (any browser \
                     shows it, and rsvg-convert or inkscape turn it into a PNG)"
                .into(),
        }),
        _ => Err(Error::Usage { message: format!("the plot file `{path}` must end in .svg") }),
    }
}

fn write_svg(plot: &Plot, path: &str, width: u32, height: u32) -> Result<(), Error> {
    check_svg_path(path)?;
    let (svg, _) = plot.to_svg(width, height)?;
    std::fs::write(path, svg).map_err(|e| Error::Usage { message: format!("cannot write {path}: {e}") })
}

/// What was drawn, in a line: `wrote loss.svg: ...`.
fn summary(plot: &Plot) -> String {
    let names: Vec<String> = plot
        .series
        .iter()
        .map(|s| match s.kind {
            kobai::SeriesKind::Function => "the loss".to_string(),
            kobai::SeriesKind::Derivative => "its derivative".to_string(),
            kobai::SeriesKind::Zero => "the zero line".to_string(),
            kobai::SeriesKind::Tangent => format!("the {}", s.name),
            kobai::SeriesKind::Critical => {
                let n = s.marks.len();
                format!("{n} critical point{}", if n == 1 { "" } else { "s" })
            }
            kobai::SeriesKind::Descent => format!("a descent of {} steps", s.marks.len().saturating_sub(1)),
        })
        .collect();
    names.join(", ")
}

/// Runs `plot`.
pub fn plot(input: &Input<'_>, args: &PlotArgs) -> Result<Output, Error> {
    let e = input.expr()?;
    let bindings = input.bindings()?;
    check_bindings(&bindings, &e)?;
    let f = kobai::subs(&e, &bindings)?;
    let var = match &args.wrt {
        Some(name) => *super::variables(std::slice::from_ref(name), &e, &bindings)?
            .first()
            .ok_or_else(|| Error::Usage { message: "no variable to plot against".into() })?,
        None => match f.symbols().as_slice() {
            [v] => *v,
            [] => return Err(Error::Usage { message: "the formula has no variable to plot against".into() }),
            many => {
                let names: Vec<&str> = many.iter().map(|s| s.name()).collect();
                return Err(Error::Usage {
                    message: format!(
                        "choose the variable with --wrt (the formula has {}; give the others values with --at)",
                        names.join(", ")
                    ),
                });
            }
        },
    };
    let from = rational_arg("--from", &args.from, input)?;
    let to = rational_arg("--to", &args.to, input)?;
    let mut options = PlotOptions::new(var, from.clone(), to)
        .with_derivative(args.derivative)
        .with_samples(args.samples)
        .with_limits(input.limits);
    if let Some(t) = &args.tangent_at {
        options = options.with_tangent_at(rational_arg("--tangent-at", t, input)?);
    }
    if let Some(rate) = &args.descent {
        let rate = rational_arg("--descent", rate, input)?;
        let start = match &args.start {
            Some(s) => rational_arg("--start", s, input)?,
            None => from,
        };
        let loss = Poly::from_expr(&f, &[Expr::sym(var)], &input.limits).map_err(|e| match e {
            Error::Usage { message } => {
                Error::Usage { message: format!("{message} (--descent needs a polynomial loss)") }
            }
            other => other,
        })?;
        let run = kobai::descend(
            &loss,
            &DescentOptions::new(rate, vec![start]).with_iterations(args.iterations).with_limits(input.limits),
        )?;
        options =
            options.with_descent(run.iterations.iter().filter_map(|i| i.values.first()).map(|v| v.to_f64()).collect());
    }
    let drawn = kobai::plot(&f, &options)?;
    let mut text = String::new();
    if let Some(path) = &args.output {
        write_svg(&drawn, path, args.width, args.height)?;
        text.push_str(&format!("wrote {path}: {}\n", summary(&drawn)));
    }
    if args.terminal || args.output.is_none() {
        text.push_str(&drawn.to_text(64, 20));
    }
    Ok(Output::Rendered { text, code: 0 })
}

/// `descend --plot FILE`: the descent on the loss curve (one weight), or the
/// loss by step (several weights).
pub fn plot_descent(loss: &Poly, run: &Descent, path: &str) -> Result<(), Error> {
    check_svg_path(path)?;
    let drawn = match run.weights.as_slice() {
        [w] => descent_on_curve(loss, run, *w)?,
        _ => Plot::loss_by_step(&run.iterations.iter().map(|i| i.loss.to_f64()).collect::<Vec<_>>()),
    };
    write_svg(&drawn, path, 800, 500)
}

fn descent_on_curve(loss: &Poly, run: &Descent, w: Symbol) -> Result<Plot, Error> {
    let mut xs: Vec<f64> = run.iterations.iter().filter_map(|i| i.values.first()).map(|v| v.to_f64()).collect();
    if let Some(limit) = run.quadratic.as_ref().and_then(|q| q.limit.as_ref()) {
        xs.extend(limit.iter().map(Q::to_f64));
    }
    xs.retain(|x| x.is_finite());
    let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if lo.is_finite() && hi.is_finite() { (lo, hi) } else { (-1.0, 1.0) };
    let pad = if hi > lo { (hi - lo) * 0.15 } else { 1.0 };
    let to_q = |x: f64| Q::parse_decimal(&format!("{x:e}")).unwrap_or_default();
    let options = PlotOptions::new(w, to_q(lo - pad), to_q(hi + pad)).with_descent(
        run.iterations.iter().filter_map(|i| i.values.first()).map(|v| v.to_f64()).filter(|x| x.is_finite()).collect(),
    );
    kobai::plot(&loss.to_expr(), &options)
}
