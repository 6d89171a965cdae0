//! `Plot`: pictures of a loss of one variable — the function, its
//! derivative, the zero line, a tangent, the critical points and a descent
//! path — as SVG (drawn with plotters, no system fonts needed) or as text
//! for a terminal.
//!
//! Sampling is exact where it can be: sample points are rationals, values
//! are computed exactly and only then rounded to floats for drawing. Where
//! the function is undefined (`1/x` at 0, `ln(x)` for `x ≤ 0`) the sample
//! is skipped and the curve is broken there, as it is across a jump (a
//! pole between two samples), so that no line joins the two sides of a
//! singularity. Every line is clipped to the plotting area.

use plotters::prelude::*;

use crate::diff::diff;
use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::limits::Limits;
use crate::number::Q;
use crate::poly::{Poly, UPoly};
use crate::solve::roots::real_roots;
use crate::subs::eval;
use crate::symbol::Symbol;

/// What to draw.
///
/// ```
/// use kobai::{PlotOptions, Q, Symbol};
/// let o = PlotOptions::new(Symbol::new("w1"), Q::zero(), Q::from(10)).with_derivative(true).with_tangent_at(Q::one());
/// assert!(o.derivative);
/// assert_eq!(o.samples, 401);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PlotOptions {
    /// The variable on the horizontal axis.
    pub var: Symbol,
    /// The left end of the range.
    pub from: Q,
    /// The right end of the range.
    pub to: Q,
    /// How many equally spaced samples.
    pub samples: usize,
    /// Also draw the derivative.
    pub derivative: bool,
    /// Draw the tangent line at this point.
    pub tangent_at: Option<Q>,
    /// Mark the points where the derivative is zero (polynomials only).
    pub critical_points: bool,
    /// A descent path to draw on the curve: the weights, in order.
    pub descent: Vec<f64>,
    /// Limits on the work.
    pub limits: Limits,
}

impl PlotOptions {
    /// Plots over `[from, to]` with 401 samples, marking critical points.
    ///
    /// ```
    /// let o = kobai::PlotOptions::new(kobai::Symbol::new("x"), kobai::Q::from(-1), kobai::Q::one());
    /// assert!(o.critical_points && !o.derivative);
    /// ```
    pub fn new(var: Symbol, from: Q, to: Q) -> PlotOptions {
        PlotOptions {
            var,
            from,
            to,
            samples: 401,
            derivative: false,
            tangent_at: None,
            critical_points: true,
            descent: Vec::new(),
            limits: Limits::default(),
        }
    }

    /// Sets [`PlotOptions::derivative`].
    ///
    /// ```
    /// assert!(kobai::PlotOptions::new(kobai::Symbol::new("x"), kobai::Q::zero(), kobai::Q::one()).with_derivative(true).derivative);
    /// ```
    pub fn with_derivative(mut self, derivative: bool) -> PlotOptions {
        self.derivative = derivative;
        self
    }

    /// Sets [`PlotOptions::tangent_at`].
    ///
    /// ```
    /// let o = kobai::PlotOptions::new(kobai::Symbol::new("x"), kobai::Q::zero(), kobai::Q::one()).with_tangent_at(kobai::Q::one());
    /// assert_eq!(o.tangent_at, Some(kobai::Q::one()));
    /// ```
    pub fn with_tangent_at(mut self, at: Q) -> PlotOptions {
        self.tangent_at = Some(at);
        self
    }

    /// Sets [`PlotOptions::samples`] (at least 2).
    ///
    /// ```
    /// assert_eq!(kobai::PlotOptions::new(kobai::Symbol::new("x"), kobai::Q::zero(), kobai::Q::one()).with_samples(1).samples, 2);
    /// ```
    pub fn with_samples(mut self, samples: usize) -> PlotOptions {
        self.samples = samples.max(2);
        self
    }

    /// Sets [`PlotOptions::descent`].
    ///
    /// ```
    /// let o = kobai::PlotOptions::new(kobai::Symbol::new("x"), kobai::Q::zero(), kobai::Q::one()).with_descent(vec![0.0, 2.0]);
    /// assert_eq!(o.descent.len(), 2);
    /// ```
    pub fn with_descent(mut self, path: Vec<f64>) -> PlotOptions {
        self.descent = path;
        self
    }

    /// Sets [`PlotOptions::limits`].
    ///
    /// ```
    /// let o = kobai::PlotOptions::new(kobai::Symbol::new("x"), kobai::Q::zero(), kobai::Q::one()).with_limits(kobai::Limits::default());
    /// assert_eq!(o.limits, kobai::Limits::default());
    /// ```
    pub fn with_limits(mut self, limits: Limits) -> PlotOptions {
        self.limits = limits;
        self
    }
}

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesKind {
    /// The function.
    Function,
    /// Its derivative.
    Derivative,
    /// The horizontal line `y = 0`.
    Zero,
    /// A tangent line.
    Tangent,
    /// Marked points where the derivative is zero.
    Critical,
    /// A descent path: points joined in order.
    Descent,
}

impl SeriesKind {
    /// The colour of the series in the SVG, as `#rrggbb`.
    ///
    /// ```
    /// assert_eq!(kobai::SeriesKind::Function.color(), "#1f77b4");
    /// ```
    pub fn color(self) -> &'static str {
        match self {
            SeriesKind::Function => "#1f77b4",
            SeriesKind::Derivative => "#ff7f0e",
            SeriesKind::Zero => "#7f7f7f",
            SeriesKind::Tangent => "#2ca02c",
            SeriesKind::Critical => "#d62728",
            SeriesKind::Descent => "#9467bd",
        }
    }

    fn rgb(self) -> RGBColor {
        match self {
            SeriesKind::Function => RGBColor(0x1f, 0x77, 0xb4),
            SeriesKind::Derivative => RGBColor(0xff, 0x7f, 0x0e),
            SeriesKind::Zero => RGBColor(0x7f, 0x7f, 0x7f),
            SeriesKind::Tangent => RGBColor(0x2c, 0xa0, 0x2c),
            SeriesKind::Critical => RGBColor(0xd6, 0x27, 0x28),
            SeriesKind::Descent => RGBColor(0x94, 0x67, 0xbd),
        }
    }

    fn glyph(self) -> char {
        match self {
            SeriesKind::Function => '*',
            SeriesKind::Derivative => '+',
            SeriesKind::Zero => '-',
            SeriesKind::Tangent => '/',
            SeriesKind::Critical => '@',
            SeriesKind::Descent => 'o',
        }
    }
}

/// One series: its name (for the legend), kind, and its pieces — polylines
/// for lines (broken at singularities and at the edges of the plot), or
/// single points for marks.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The legend text.
    pub name: String,
    /// How it is drawn.
    pub kind: SeriesKind,
    /// The pieces, in data coordinates, inside the plot's ranges.
    pub pieces: Vec<Vec<(f64, f64)>>,
    /// For marks and descent paths: the points to mark.
    pub marks: Vec<(f64, f64)>,
}

/// A plot, ready to be drawn: ranges, labels and clipped series.
///
/// ```
/// use kobai::{plot, read, PlotOptions, Q, SeriesKind, Symbol};
/// let f = read("4*w1^2 - 20*w1 + 25")?;
/// let p = plot(&f, &PlotOptions::new(Symbol::new("w1"), Q::zero(), Q::from(5)).with_derivative(true))?;
/// let kinds: Vec<SeriesKind> = p.series.iter().map(|s| s.kind).collect();
/// assert_eq!(kinds, [SeriesKind::Zero, SeriesKind::Function, SeriesKind::Derivative, SeriesKind::Critical]);
/// assert_eq!(p.series[3].marks, [(2.5, 0.0)]);
/// let (svg, frame) = p.to_svg(800, 500)?;
/// assert!(svg.starts_with("<svg") && frame.left < frame.right);
/// # Ok::<(), kobai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Plot {
    /// The title: the function as text.
    pub title: String,
    /// The horizontal axis label.
    pub x_label: String,
    /// The vertical axis label.
    pub y_label: String,
    /// The horizontal range.
    pub x_range: (f64, f64),
    /// The vertical range.
    pub y_range: (f64, f64),
    /// The series, in drawing order.
    pub series: Vec<Series>,
}

/// Where the plotting area lies in the SVG, in pixels, and which data ranges
/// it shows: the map from data to pixels is linear between them (pixels are
/// whole numbers, so a drawn point is within a pixel of its exact place).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    /// The left edge, in pixels.
    pub left: f64,
    /// The right edge.
    pub right: f64,
    /// The top edge.
    pub top: f64,
    /// The bottom edge.
    pub bottom: f64,
    /// The data range from left to right.
    pub x_range: (f64, f64),
    /// The data range from bottom to top.
    pub y_range: (f64, f64),
}

impl Frame {
    /// The data coordinates of a pixel.
    ///
    /// ```
    /// let f = kobai::Frame { left: 0.0, right: 100.0, top: 0.0, bottom: 50.0, x_range: (0.0, 10.0), y_range: (0.0, 5.0) };
    /// assert_eq!(f.to_data(50.0, 0.0), (5.0, 5.0));
    /// ```
    pub fn to_data(&self, px: f64, py: f64) -> (f64, f64) {
        let x = self.x_range.0 + (px - self.left) / (self.right - self.left) * (self.x_range.1 - self.x_range.0);
        let y = self.y_range.0 + (self.bottom - py) / (self.bottom - self.top) * (self.y_range.1 - self.y_range.0);
        (x, y)
    }
}

/// A function of one variable evaluated exactly where it can be.
enum Evaluator {
    Poly(UPoly),
    General { e: Expr, var: Symbol, limits: Limits },
}

impl Evaluator {
    fn new(e: &Expr, var: Symbol, limits: &Limits) -> Evaluator {
        let gens = [Expr::sym(var)];
        match Poly::from_expr(e, &gens, limits).ok().and_then(|p| p.as_univariate_in(0)) {
            Some(u) => Evaluator::Poly(u),
            None => Evaluator::General { e: e.clone(), var, limits: *limits },
        }
    }

    fn exact(&self, x: &Q) -> Option<Q> {
        match self {
            Evaluator::Poly(u) => Some(u.eval(x)),
            Evaluator::General { e, var, limits } => {
                eval(e, &[(*var, Expr::num(x.clone()))], limits).ok().and_then(|r| r.exact.as_num().cloned())
            }
        }
    }

    fn value(&self, x: &Q) -> Option<f64> {
        let v = match self {
            Evaluator::Poly(u) => Some(u.eval(x).to_f64()),
            Evaluator::General { e, var, limits } => {
                eval(e, &[(*var, Expr::num(x.clone()))], limits).ok().and_then(|r| match r.exact.as_num() {
                    Some(q) => Some(q.to_f64()),
                    None => r.approx,
                })
            }
        };
        v.filter(|y| y.is_finite())
    }
}

/// Samples `f` at `n` equally spaced exact points of `[from, to]`.
fn sample(f: &Evaluator, from: &Q, to: &Q, n: usize) -> Vec<(Q, Option<f64>)> {
    let width = to.sub(from);
    let steps = Q::from(i64::try_from(n.saturating_sub(1).max(1)).unwrap_or(i64::MAX));
    (0..n)
        .map(|i| {
            let t = Q::from(i64::try_from(i).unwrap_or(i64::MAX)).div(&steps).unwrap_or_default();
            let x = from.add(&width.mul(&t));
            let y = f.value(&x);
            (x, y)
        })
        .collect()
}

/// Splits samples into pieces: at undefined samples, and between two
/// samples whose midpoint is undefined or far outside their values (a pole).
fn pieces(f: &Evaluator, samples: &[(Q, Option<f64>)], height: f64) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    let mut previous: Option<(&Q, f64)> = None;
    for (x, y) in samples {
        match y {
            None => {
                if current.len() > 1 {
                    out.push(std::mem::take(&mut current));
                }
                current.clear();
                previous = None;
            }
            Some(y) => {
                if let Some((px, py)) = previous
                    && !continuous(f, (px, py), (x, *y), height, 8)
                {
                    if current.len() > 1 {
                        out.push(std::mem::take(&mut current));
                    }
                    current.clear();
                }
                current.push((x.to_f64(), *y));
                previous = Some((x, *y));
            }
        }
    }
    if current.len() > 1 {
        out.push(current);
    }
    out
}

/// Whether `f` may be joined by a line from `a` to `b`: a small step is
/// joined; a large one only if the midpoint is defined and lies between the
/// two values, all the way down `depth` bisections of the steeper half. A
/// smooth function passes; a pole between the samples does not.
fn continuous(f: &Evaluator, a: (&Q, f64), b: (&Q, f64), height: f64, depth: u32) -> bool {
    let jump = (b.1 - a.1).abs();
    if jump <= 0.2 * height {
        return true;
    }
    let mid = a.0.add(b.0).div(&Q::from(2)).unwrap_or_default();
    let Some(m) = f.value(&mid) else { return false };
    let slack = 1e-9 * jump;
    if m < a.1.min(b.1) - slack || m > a.1.max(b.1) + slack {
        return false;
    }
    if depth == 0 {
        return true;
    }
    if (m - a.1).abs() >= (b.1 - m).abs() {
        continuous(f, a, (&mid, m), height, depth - 1)
    } else {
        continuous(f, (&mid, m), b, height, depth - 1)
    }
}

/// A vertical range that shows the values, ignoring the few huge ones near
/// a pole.
fn value_range(values: &mut [f64]) -> (f64, f64) {
    values.sort_by(f64::total_cmp);
    let (Some(&lo), Some(&hi)) = (values.first(), values.last()) else { return (-1.0, 1.0) };
    let n = values.len();
    let q = |p: f64| values.get(((n - 1) as f64 * p).round() as usize).copied().unwrap_or(0.0);
    let (qlo, qhi) = (q(0.05), q(0.95));
    let (lo, hi) = if (hi - lo) > 20.0 * (qhi - qlo).max(f64::MIN_POSITIVE) && n > 20 {
        let pad = (qhi - qlo) * 0.5;
        (qlo - pad, qhi + pad)
    } else {
        (lo, hi)
    };
    if hi - lo < 1e-12 * (1.0 + lo.abs()) {
        return (lo - 1.0, hi + 1.0);
    }
    let pad = (hi - lo) * 0.05;
    (lo - pad, hi + pad)
}

/// Clips a polyline to the rectangle, splitting it where it leaves.
fn clip(line: &[(f64, f64)], xr: (f64, f64), yr: (f64, f64)) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    for pair in line.windows(2) {
        let [a, b] = pair else { continue };
        let Some((p, q)) = clip_segment(*a, *b, xr, yr) else {
            if current.len() > 1 {
                out.push(std::mem::take(&mut current));
            }
            current.clear();
            continue;
        };
        // A segment that starts where the last one ended continues the piece.
        if current.last() != Some(&p) {
            if current.len() > 1 {
                out.push(std::mem::take(&mut current));
            }
            current = vec![p];
        }
        current.push(q);
    }
    if current.len() > 1 {
        out.push(current);
    }
    out
}

/// Liang–Barsky: the part of segment `a b` inside the rectangle.
fn clip_segment(a: (f64, f64), b: (f64, f64), xr: (f64, f64), yr: (f64, f64)) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let mut t0 = 0.0f64;
    let mut t1 = 1.0f64;
    for (p, q) in [(-dx, a.0 - xr.0), (dx, xr.1 - a.0), (-dy, a.1 - yr.0), (dy, yr.1 - a.1)] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    if t0 > t1 {
        return None;
    }
    let at = |t: f64| {
        if t == 0.0 {
            a
        } else if t == 1.0 {
            b
        } else {
            (a.0 + t * dx, a.1 + t * dy)
        }
    };
    Some((at(t0), at(t1)))
}

fn inside(p: (f64, f64), xr: (f64, f64), yr: (f64, f64)) -> bool {
    p.0 >= xr.0 && p.0 <= xr.1 && p.1 >= yr.0 && p.1 <= yr.1
}

/// Computes the plot of `f` (a function of `options.var` only) over the range.
///
/// ```
/// use kobai::{plot, read, PlotOptions, Q, SeriesKind, Symbol};
/// let p = plot(&read("1/x")?, &PlotOptions::new(Symbol::new("x"), Q::from(-1), Q::one()))?;
/// let f = p.series.iter().find(|s| s.kind == SeriesKind::Function).unwrap();
/// assert_eq!(f.pieces.len(), 2, "the pole at 0 splits the curve");
/// # Ok::<(), kobai::Error>(())
/// ```
pub fn plot(f: &Expr, options: &PlotOptions) -> Result<Plot> {
    let var = options.var;
    if let Some(other) = f.symbols().into_iter().find(|s| *s != var) {
        return Err(Error::Usage {
            message: format!("`{other}` needs a value (with --at): a plot shows a function of `{var}` only"),
        });
    }
    if options.from >= options.to {
        return Err(Error::Usage {
            message: format!(
                "the range must go from a smaller to a larger number, not {} to {}",
                options.from, options.to
            ),
        });
    }
    let limits = &options.limits;
    let function = Evaluator::new(f, var, limits);
    let derivative_expr = diff(f, var);
    let derivative = Evaluator::new(&derivative_expr, var, limits);
    let n = options.samples.max(2);
    let f_samples = sample(&function, &options.from, &options.to, n);
    let d_samples = if options.derivative { sample(&derivative, &options.from, &options.to, n) } else { Vec::new() };
    let mut values: Vec<f64> = f_samples.iter().chain(&d_samples).filter_map(|(_, y)| *y).collect();
    let path: Vec<(f64, f64)> = options
        .descent
        .iter()
        .filter_map(|w| {
            let q = q_of_f64(*w)?;
            function.value(&q).map(|y| (*w, y))
        })
        .collect();
    values.extend(path.iter().map(|p| p.1));
    if values.is_empty() {
        return Err(Error::Usage { message: format!("`{f}` is not defined anywhere in the range") });
    }
    let x_range = (options.from.to_f64(), options.to.to_f64());
    let y_range = value_range(&mut values);
    let height = y_range.1 - y_range.0;
    let mut series = Vec::new();
    if y_range.0 <= 0.0 && y_range.1 >= 0.0 {
        series.push(Series {
            name: "zero".into(),
            kind: SeriesKind::Zero,
            pieces: vec![vec![(x_range.0, 0.0), (x_range.1, 0.0)]],
            marks: Vec::new(),
        });
    }
    let clip_all = |ps: Vec<Vec<(f64, f64)>>| -> Vec<Vec<(f64, f64)>> {
        ps.iter().flat_map(|p| clip(p, x_range, y_range)).collect()
    };
    let f_text = crate::print::text(f);
    series.push(Series {
        name: f_text.clone(),
        kind: SeriesKind::Function,
        pieces: clip_all(pieces(&function, &f_samples, height)),
        marks: Vec::new(),
    });
    if options.derivative {
        series.push(Series {
            name: format!("d/d{var} = {}", crate::print::text(&derivative_expr)),
            kind: SeriesKind::Derivative,
            pieces: clip_all(pieces(&derivative, &d_samples, height)),
            marks: Vec::new(),
        });
    }
    if let Some(a) = &options.tangent_at {
        let (Some(fa), Some(da)) = (function.exact(a), derivative.exact(a)) else {
            return Err(Error::Usage {
                message: format!("the tangent at {var} = {a} needs a rational value and slope there"),
            });
        };
        // y = f(a) + f'(a)·(x − a)
        let line = |x: f64| fa.to_f64() + da.to_f64() * (x - a.to_f64());
        let equation = Poly::from_terms(&[Expr::sym(var)], [(vec![1], da.clone()), (vec![0], fa.sub(&da.mul(a)))])
            .map(|p| p.to_string())
            .unwrap_or_default();
        series.push(Series {
            name: format!("tangent at {var} = {a}: {equation}"),
            kind: SeriesKind::Tangent,
            pieces: clip_all(vec![vec![(x_range.0, line(x_range.0)), (x_range.1, line(x_range.1))]]),
            marks: vec![(a.to_f64(), fa.to_f64())].into_iter().filter(|p| inside(*p, x_range, y_range)).collect(),
        });
    }
    if options.critical_points
        && let Evaluator::Poly(u) = &function
    {
        let d = u.derivative();
        if d.degree().is_some_and(|k| k > 0) {
            let roots = if d.degree() == Some(1) {
                vec![d.coeff(0).neg().div(&d.coeff(1)).unwrap_or_default().to_f64()]
            } else {
                real_roots(&d, limits)?.iter().map(|r| r.value.approx()).collect()
            };
            let marks: Vec<(f64, f64)> = roots
                .into_iter()
                .filter_map(|x| q_of_f64(x).and_then(|q| function.value(&q)).map(|y| (x, y)))
                .filter(|p| inside(*p, x_range, y_range))
                .collect();
            if !marks.is_empty() {
                series.push(Series {
                    name: format!("d/d{var} = 0"),
                    kind: SeriesKind::Critical,
                    pieces: Vec::new(),
                    marks,
                });
            }
        }
    }
    if !path.is_empty() {
        series.push(Series {
            name: "descent".into(),
            kind: SeriesKind::Descent,
            pieces: clip_all(vec![path.clone()]),
            marks: path.into_iter().filter(|p| inside(*p, x_range, y_range)).collect(),
        });
    }
    Ok(Plot {
        title: f_text,
        x_label: var.name().to_string(),
        y_label: if options.derivative { "value".into() } else { "loss".into() },
        x_range,
        y_range,
        series,
    })
}

/// The exact rational of a finite float.
fn q_of_f64(x: f64) -> Option<Q> {
    if !x.is_finite() {
        return None;
    }
    Q::parse_decimal(&format!("{x:e}")).ok()
}

impl Plot {
    /// A plot of the loss against the step number, for descents in several
    /// weights.
    ///
    /// ```
    /// let p = kobai::Plot::loss_by_step(&[25.0, 1.0, 0.04]);
    /// assert_eq!(p.x_label, "step");
    /// assert_eq!(p.series[0].marks.len(), 3);
    /// ```
    pub fn loss_by_step(losses: &[f64]) -> Plot {
        let points: Vec<(f64, f64)> =
            losses.iter().enumerate().filter(|(_, l)| l.is_finite()).map(|(i, l)| (i as f64, *l)).collect();
        let mut values: Vec<f64> = points.iter().map(|p| p.1).collect();
        let y_range = value_range(&mut values);
        let x_range = (0.0, (losses.len().saturating_sub(1)).max(1) as f64);
        Plot {
            title: "loss by step".into(),
            x_label: "step".into(),
            y_label: "loss".into(),
            x_range,
            y_range,
            series: vec![Series {
                name: "descent".into(),
                kind: SeriesKind::Descent,
                pieces: clip(&points, x_range, y_range),
                marks: points.into_iter().filter(|p| inside(*p, x_range, y_range)).collect(),
            }],
        }
    }

    /// Draws the plot as an SVG document of `width × height` pixels, and
    /// says where the plotting area is.
    ///
    /// ```
    /// let p = kobai::Plot::loss_by_step(&[4.0, 1.0]);
    /// let (svg, frame) = p.to_svg(640, 400)?;
    /// assert!(svg.contains("<polyline") && frame.bottom > frame.top);
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn to_svg(&self, width: u32, height: u32) -> Result<(String, Frame)> {
        let mut svg = String::new();
        let frame = {
            let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
            root.fill(&WHITE).map_err(drawing)?;
            let mut chart = ChartBuilder::on(&root)
                .caption(&self.title, ("sans-serif", 18))
                .margin(12)
                .x_label_area_size(44)
                .y_label_area_size(64)
                .build_cartesian_2d(self.x_range.0..self.x_range.1, self.y_range.0..self.y_range.1)
                .map_err(drawing)?;
            chart
                .configure_mesh()
                .x_desc(self.x_label.as_str())
                .y_desc(self.y_label.as_str())
                .light_line_style(WHITE.mix(0.0))
                .draw()
                .map_err(drawing)?;
            for s in &self.series {
                let color = s.kind.rgb();
                let width = if s.kind == SeriesKind::Zero { 1 } else { 2 };
                let style = ShapeStyle { color: color.to_rgba(), filled: false, stroke_width: width };
                let mut legend_drawn = false;
                for piece in &s.pieces {
                    let drawn = chart.draw_series(LineSeries::new(piece.iter().copied(), style)).map_err(drawing)?;
                    if !legend_drawn {
                        drawn.label(s.name.as_str()).legend(move |(x, y)| {
                            PathElement::new(vec![(x, y), (x + 18, y)], ShapeStyle { stroke_width: 2, ..style })
                        });
                        legend_drawn = true;
                    }
                }
                if !s.marks.is_empty() {
                    let fill = ShapeStyle { color: color.to_rgba(), filled: true, stroke_width: 1 };
                    let drawn = chart.draw_series(s.marks.iter().map(|p| Circle::new(*p, 4, fill))).map_err(drawing)?;
                    if !legend_drawn {
                        drawn.label(s.name.as_str()).legend(move |(x, y)| Circle::new((x + 9, y), 4, fill));
                    }
                }
            }
            chart
                .configure_series_labels()
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK.mix(0.3))
                .position(SeriesLabelPosition::UpperMiddle)
                .draw()
                .map_err(drawing)?;
            let (xs, ys) = chart.plotting_area().get_pixel_range();
            root.present().map_err(drawing)?;
            Frame {
                left: f64::from(xs.start),
                right: f64::from(xs.end - 1),
                top: f64::from(ys.start),
                bottom: f64::from(ys.end - 1),
                x_range: self.x_range,
                y_range: self.y_range,
            }
        };
        Ok((svg, frame))
    }

    /// Draws the plot as text, `width × height` characters for the plotting
    /// area, with the ranges on the axes and a legend below.
    ///
    /// ```
    /// let text = kobai::Plot::loss_by_step(&[4.0, 1.0, 0.0]).to_text(30, 8);
    /// assert!(text.contains('o'));
    /// assert!(text.lines().any(|l| l.contains("step")));
    /// ```
    pub fn to_text(&self, width: usize, height: usize) -> String {
        let (w, h) = (width.max(8), height.max(4));
        let mut grid = vec![vec![' '; w]; h];
        let (xr, yr) = (self.x_range, self.y_range);
        let cell = |p: (f64, f64)| -> Option<(usize, usize)> {
            let cx = ((p.0 - xr.0) / (xr.1 - xr.0) * (w - 1) as f64).round();
            let cy = ((yr.1 - p.1) / (yr.1 - yr.0) * (h - 1) as f64).round();
            (cx >= 0.0 && cy >= 0.0 && cx < w as f64 && cy < h as f64).then_some((cx as usize, cy as usize))
        };
        for s in &self.series {
            let glyph = s.kind.glyph();
            for piece in &s.pieces {
                for pair in piece.windows(2) {
                    let [a, b] = pair else { continue };
                    // Enough intermediate points to leave no gap between cells.
                    let steps = (((b.0 - a.0) / (xr.1 - xr.0) * w as f64).abs()
                        + ((b.1 - a.1) / (yr.1 - yr.0) * h as f64).abs())
                    .ceil()
                    .clamp(1.0, 4.0 * (w + h) as f64) as usize;
                    for k in 0..=steps {
                        let t = k as f64 / steps as f64;
                        if let Some((cx, cy)) = cell((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)))
                            && let Some(c) = grid.get_mut(cy).and_then(|r| r.get_mut(cx))
                            && (s.kind != SeriesKind::Descent || *c == ' ')
                        {
                            *c = if s.kind == SeriesKind::Descent { '.' } else { glyph };
                        }
                    }
                }
            }
            for p in &s.marks {
                if let Some((cx, cy)) = cell(*p)
                    && let Some(c) = grid.get_mut(cy).and_then(|r| r.get_mut(cx))
                {
                    *c = glyph;
                }
            }
        }
        let top = short(yr.1);
        let bottom = short(yr.0);
        let margin = top.len().max(bottom.len());
        let mut out = format!("{}\n", self.title);
        for (i, row) in grid.iter().enumerate() {
            let label = if i == 0 {
                top.clone()
            } else if i + 1 == h {
                bottom.clone()
            } else {
                String::new()
            };
            let line: String = row.iter().collect();
            out.push_str(&format!("{label:>margin$} |{}\n", line.trim_end()));
        }
        out.push_str(&format!("{} +{}\n", " ".repeat(margin), "-".repeat(w)));
        let (left, right) = (short(xr.0), short(xr.1));
        let gap = (w + 1).saturating_sub(left.len() + right.len());
        out.push_str(&format!("{} {left}{}{right}\n", " ".repeat(margin), " ".repeat(gap)));
        out.push_str(format!("{} {:^w$}", " ".repeat(margin), self.x_label).trim_end());
        out.push('\n');
        for s in &self.series {
            out.push_str(&format!("  {}  {}\n", s.kind.glyph(), s.name));
        }
        out
    }
}

/// A short decimal for axis ends.
fn short(x: f64) -> String {
    let text = format!("{x:.3}");
    let text = if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.').to_string() } else { text };
    if text == "-0" { "0".into() } else { text }
}

fn drawing<E: std::fmt::Debug>(e: E) -> Error {
    Error::Unsupported { reason: format!("drawing the plot failed: {e:?}") }
}
