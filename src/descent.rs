//! Gradient descent on a polynomial loss, exactly: `w ← w − rate · ∇L(w)`.
//!
//! Iterates are exact rationals until a denominator grows past a bound, and
//! floating point from then on (or from the start, when asked). For a
//! quadratic loss the iteration is linear, and its fate is decided exactly
//! from the Hessian `H`: the gradient obeys `g ← (I − rate·H)·g`, so it
//! shrinks exactly when `0 < rate·λ < 2` for every eigenvalue `λ` of `H`
//! that the starting gradient involves. The stable range of rates is
//! therefore `0 < rate < 2/λmax`; at `2/λmax` the weights oscillate for
//! ever, beyond it they diverge. Eigenvalues are the exact real roots of
//! polynomials over `Q` (rational, radical, or known by an exact interval).

use num_bigint::BigInt;

use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::limits::Limits;
use crate::number::Q;
use crate::poly::{Poly, UPoly};
use crate::solve::linear::{LinearSolution, solve_linear};
use crate::solve::roots::{RealRoot, RootValue, real_roots};
use crate::symbol::Symbol;

/// How to descend: the rate, the start, when to stop, and the arithmetic.
///
/// ```
/// use kobai::{DescentOptions, Q};
/// let o = DescentOptions::new(Q::new(1, 10), vec![Q::zero()]).with_iterations(6);
/// assert_eq!((o.iterations, o.until.clone()), (6, None));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct DescentOptions {
    /// The learning rate.
    pub rate: Q,
    /// The starting weights, one per generator of the loss.
    pub start: Vec<Q>,
    /// The most steps to take.
    pub iterations: usize,
    /// Stop as soon as the Euclidean norm of the gradient is at most this.
    pub until: Option<Q>,
    /// Compute in floating point from the start.
    pub float: bool,
    /// Switch to floating point once a denominator of the weights has more
    /// than this many digits (an `f64` carries about 16).
    pub max_denominator_digits: usize,
    /// Limits on the work.
    pub limits: Limits,
}

impl DescentOptions {
    /// Options with the given rate and start, 10 iterations, exact.
    ///
    /// ```
    /// let o = kobai::DescentOptions::new(kobai::Q::new(1, 4), vec![]);
    /// assert_eq!(o.iterations, 10);
    /// assert!(!o.float);
    /// ```
    pub fn new(rate: Q, start: Vec<Q>) -> DescentOptions {
        DescentOptions {
            rate,
            start,
            iterations: 10,
            until: None,
            float: false,
            max_denominator_digits: 16,
            limits: Limits::default(),
        }
    }

    /// Sets [`DescentOptions::iterations`].
    ///
    /// ```
    /// assert_eq!(kobai::DescentOptions::new(kobai::Q::one(), vec![]).with_iterations(3).iterations, 3);
    /// ```
    pub fn with_iterations(mut self, n: usize) -> DescentOptions {
        self.iterations = n;
        self
    }

    /// Sets [`DescentOptions::until`].
    ///
    /// ```
    /// let o = kobai::DescentOptions::new(kobai::Q::one(), vec![]).with_until(kobai::Q::new(1, 1000));
    /// assert_eq!(o.until, Some(kobai::Q::new(1, 1000)));
    /// ```
    pub fn with_until(mut self, tolerance: Q) -> DescentOptions {
        self.until = Some(tolerance);
        self
    }

    /// Sets [`DescentOptions::float`].
    ///
    /// ```
    /// assert!(kobai::DescentOptions::new(kobai::Q::one(), vec![]).with_float(true).float);
    /// ```
    pub fn with_float(mut self, float: bool) -> DescentOptions {
        self.float = float;
        self
    }

    /// Sets [`DescentOptions::max_denominator_digits`].
    ///
    /// ```
    /// let o = kobai::DescentOptions::new(kobai::Q::one(), vec![]).with_max_denominator_digits(4);
    /// assert_eq!(o.max_denominator_digits, 4);
    /// ```
    pub fn with_max_denominator_digits(mut self, digits: usize) -> DescentOptions {
        self.max_denominator_digits = digits;
        self
    }

    /// Sets [`DescentOptions::limits`].
    ///
    /// ```
    /// let o = kobai::DescentOptions::new(kobai::Q::one(), vec![]).with_limits(kobai::Limits::default());
    /// assert_eq!(o.limits, kobai::Limits::default());
    /// ```
    pub fn with_limits(mut self, limits: Limits) -> DescentOptions {
        self.limits = limits;
        self
    }
}

/// A number in the table: exact while the fractions stay short, then a float.
///
/// ```
/// use kobai::{Number, Q};
/// assert_eq!(Number::Exact(Q::new(12, 5)).to_string(), "12/5");
/// assert_eq!(Number::Float(2.5).to_string(), "2.5");
/// assert_eq!(Number::Exact(Q::new(1, 4)).to_f64(), 0.25);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Number {
    /// An exact rational.
    Exact(Q),
    /// A floating-point approximation.
    Float(f64),
}

impl Number {
    /// The value as `f64` (exact values rounded).
    ///
    /// ```
    /// assert_eq!(kobai::Number::Float(1.5).to_f64(), 1.5);
    /// ```
    pub fn to_f64(&self) -> f64 {
        match self {
            Number::Exact(q) => q.to_f64(),
            Number::Float(x) => *x,
        }
    }

    /// The exact value, when there is one.
    ///
    /// ```
    /// use kobai::{Number, Q};
    /// assert_eq!(Number::Exact(Q::one()).exact(), Some(&Q::one()));
    /// assert_eq!(Number::Float(1.0).exact(), None);
    /// ```
    pub fn exact(&self) -> Option<&Q> {
        match self {
            Number::Exact(q) => Some(q),
            Number::Float(_) => None,
        }
    }
}

impl std::fmt::Display for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Number::Exact(q) => write!(f, "{q}"),
            Number::Float(x) => write!(f, "{x}"),
        }
    }
}

/// One row of the descent: the weights, the loss and the gradient there.
#[derive(Debug, Clone, PartialEq)]
pub struct Iterate {
    /// The step number, from 0 (the start).
    pub step: usize,
    /// The weights.
    pub values: Vec<Number>,
    /// The loss at the weights.
    pub loss: Number,
    /// The gradient at the weights, one entry per weight.
    pub gradient: Vec<Number>,
}

/// What the descent does in the long run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The weights approach a stationary point.
    Converging,
    /// The weights keep jumping between two points: the rate is exactly at
    /// the edge of the stable range.
    Oscillating,
    /// The weights run away.
    Diverging,
    /// kobai cannot tell (the loss is not quadratic and the iterates do not
    /// decide).
    Unknown,
}

impl Outcome {
    /// The word used in output.
    ///
    /// ```
    /// assert_eq!(kobai::Outcome::Oscillating.word(), "oscillating");
    /// ```
    pub fn word(self) -> &'static str {
        match self {
            Outcome::Converging => "converging",
            Outcome::Oscillating => "oscillating",
            Outcome::Diverging => "diverging",
            Outcome::Unknown => "unknown",
        }
    }
}

/// Why the iteration stopped.
#[derive(Debug, Clone, PartialEq)]
pub enum Stop {
    /// It took the number of steps asked for.
    Iterations,
    /// The gradient norm fell to the tolerance of [`DescentOptions::until`].
    GradientSmall,
    /// The gradient is exactly zero: the weights are at a stationary point.
    Stationary,
    /// The gradient grew more than a million million-fold, or a float
    /// overflowed: the descent diverges.
    Diverged,
}

/// The largest eigenvalue of the Hessian, exactly, and the stable rates
/// `0 < rate < 2/λmax` it gives.
#[derive(Debug, Clone, PartialEq)]
pub struct StableRange {
    /// λmax, the largest eigenvalue of the Hessian (positive).
    pub lambda_max: RootValue,
    /// `2/λmax`, the upper end: a rational or radical expression when
    /// `λmax` has one.
    pub high: Option<Expr>,
    /// Exact rational bounds `lo < 2/λmax < hi` (equal to it when rational).
    pub high_bounds: (Q, Q),
}

impl StableRange {
    /// The upper end as text: exact when possible, else `≈` a decimal.
    ///
    /// ```
    /// use kobai::{RootValue, StableRange, Q, Expr};
    /// let r = StableRange { lambda_max: RootValue::Rational(Q::from(8)), high: Some(Expr::num(Q::new(1, 4))), high_bounds: (Q::new(1, 4), Q::new(1, 4)) };
    /// assert_eq!(r.high_text(), "1/4");
    /// ```
    pub fn high_text(&self) -> String {
        match &self.high {
            Some(e) => crate::print::text(e),
            None => format!("≈ {}", self.high_approx()),
        }
    }

    /// The upper end as a decimal, for display.
    ///
    /// ```
    /// use kobai::{RootValue, StableRange, Q, Expr};
    /// let r = StableRange { lambda_max: RootValue::Rational(Q::from(3)), high: Some(Expr::num(Q::new(2, 3))), high_bounds: (Q::new(2, 3), Q::new(2, 3)) };
    /// assert_eq!(r.high_approx(), "0.666667");
    /// ```
    pub fn high_approx(&self) -> String {
        let mid = self.high_bounds.0.add(&self.high_bounds.1).div(&Q::from(2)).unwrap_or_default();
        mid.to_decimal_string(6)
    }

    /// The range in words: `(0, 1/4)`, or with a decimal beside an
    /// irrational end: `(0, 17/20 - sqrt(269)/20 ≈ 0.02994)`.
    ///
    /// ```
    /// use kobai::{RootValue, StableRange, Q, Expr};
    /// let r = StableRange { lambda_max: RootValue::Rational(Q::from(8)), high: Some(Expr::num(Q::new(1, 4))), high_bounds: (Q::new(1, 4), Q::new(1, 4)) };
    /// assert_eq!(r.words(), "(0, 1/4)");
    /// ```
    pub fn words(&self) -> String {
        match &self.high {
            Some(e) if e.as_num().is_some() => format!("(0, {})", self.high_text()),
            Some(_) => format!("(0, {} ≈ {})", self.high_text(), self.high_approx()),
            None => format!("(0, {})", self.high_text()),
        }
    }
}

/// What kobai knows exactly about a quadratic loss's descent.
#[derive(Debug, Clone, PartialEq)]
pub struct QuadraticAnalysis {
    /// The constant Hessian.
    pub hessian: Vec<Vec<Q>>,
    /// The stable rates, when the Hessian is positive semidefinite and not
    /// zero; `None` when no rate is stable.
    pub stable: Option<StableRange>,
    /// The outcome for the chosen rate and start.
    pub outcome: Outcome,
    /// Where the weights go when converging (exact).
    pub limit: Option<Vec<Q>>,
    /// The outcome and its reason, in words.
    pub reason: String,
}

/// A gradient-descent run.
#[derive(Debug, Clone, PartialEq)]
pub struct Descent {
    /// The weights, in the order of the loss's generators.
    pub weights: Vec<Symbol>,
    /// The rate used.
    pub rate: Q,
    /// Step 0 (the start) and every step taken.
    pub iterations: Vec<Iterate>,
    /// The first step computed in floating point, if any.
    pub float_from: Option<usize>,
    /// Why the iteration stopped.
    pub stop: Stop,
    /// What the descent does in the long run.
    pub outcome: Outcome,
    /// The exact analysis, for a quadratic loss.
    pub quadratic: Option<QuadraticAnalysis>,
}

/// The factor by which the gradient may grow before the descent is declared
/// divergent.
const DIVERGENCE_FACTOR: i64 = 1_000_000_000_000;

/// Numerators of more bits than this also send the iteration to floats.
const MAX_EXACT_BITS: u64 = 4096;

/// Runs gradient descent on `loss` (a polynomial whose generators are the
/// weights) from `options.start` with `options.rate`.
///
/// The tutorial's loss `4·w1² − 20·w1 + 25` at rate 1/10 from 0:
///
/// ```
/// use kobai::{descend, read, DescentOptions, Expr, Limits, Outcome, Poly, Q};
/// let loss = Poly::from_expr(&read("((w1*2) - 5)^2")?, &[Expr::symbol("w1")], &Limits::default())?;
/// let run = descend(&loss, &DescentOptions::new(Q::new(1, 10), vec![Q::zero()]).with_iterations(6))?;
/// let w: Vec<String> = run.iterations.iter().map(|i| i.values[0].to_string()).collect();
/// assert_eq!(w, ["0", "2", "12/5", "62/25", "312/125", "1562/625", "7812/3125"]);
/// assert_eq!(run.iterations[2].loss.to_string(), "1/25");
/// assert_eq!(run.iterations[2].gradient[0].to_string(), "-4/5");
/// let q = run.quadratic.unwrap();
/// assert_eq!(q.stable.unwrap().high_text(), "1/4");
/// assert_eq!((q.outcome, q.limit), (Outcome::Converging, Some(vec![Q::new(5, 2)])));
/// # Ok::<(), kobai::Error>(())
/// ```
pub fn descend(loss: &Poly, options: &DescentOptions) -> Result<Descent> {
    let gens = loss.generators();
    let weights: Vec<Symbol> = gens
        .iter()
        .map(|g| g.as_sym().ok_or_else(|| Error::Usage { message: format!("`{g}` cannot be a weight of a descent") }))
        .collect::<Result<_>>()?;
    if options.start.len() != weights.len() {
        return Err(Error::Usage {
            message: format!("a start value is needed for each of the {} weights", weights.len()),
        });
    }
    if options.rate.signum() <= 0 {
        return Err(Error::Usage { message: format!("the rate must be positive, not {}", options.rate) });
    }
    if options.iterations > options.limits.max_iterations {
        return Err(Error::Limit {
            what: "the number of iterations",
            limit: options.limits.max_iterations as u64,
            reached: format!("{} asked for", options.iterations),
            flag: "--max-iterations",
        });
    }
    let gradient: Vec<Poly> = (0..weights.len()).map(|i| loss.derivative(i)).collect();
    let denominator_bound = num_traits::pow(BigInt::from(10), options.max_denominator_digits);
    let tolerance_squared = options.until.as_ref().map(|t| t.mul(t));

    let mut iterations: Vec<Iterate> = Vec::new();
    let mut exact: Option<Vec<Q>> = if options.float { None } else { Some(options.start.clone()) };
    let mut float: Vec<f64> = options.start.iter().map(Q::to_f64).collect();
    let mut float_from = if options.float { Some(0) } else { None };
    let mut first_gradient_size: Option<f64> = None;
    let stop;
    let mut step = 0usize;
    loop {
        let (iterate, norm_squared, size) = match &exact {
            Some(w) => {
                let g: Vec<Q> = gradient.iter().map(|p| p.eval(w)).collect::<Result<_>>()?;
                let norm = g.iter().fold(Q::zero(), |acc, x| acc.add(&x.mul(x)));
                let size = g.iter().map(Q::abs).max().unwrap_or_default();
                let it = Iterate {
                    step,
                    values: w.iter().cloned().map(Number::Exact).collect(),
                    loss: Number::Exact(loss.eval(w)?),
                    gradient: g.into_iter().map(Number::Exact).collect(),
                };
                (it, Number::Exact(norm), size.to_f64())
            }
            None => {
                let g: Vec<f64> = gradient.iter().map(|p| eval_f64(p, &float)).collect();
                let norm: f64 = g.iter().map(|x| x * x).sum();
                let size = g.iter().fold(0f64, |m, x| m.max(x.abs()));
                let it = Iterate {
                    step,
                    values: float.iter().copied().map(Number::Float).collect(),
                    loss: Number::Float(eval_f64(loss, &float)),
                    gradient: g.into_iter().map(Number::Float).collect(),
                };
                (it, Number::Float(norm), size)
            }
        };
        let finite = iterate.loss.to_f64().is_finite() && iterate.values.iter().all(|v| v.to_f64().is_finite());
        let step_gradient: Vec<Number> = iterate.gradient.clone();
        iterations.push(iterate);
        if !finite || !size.is_finite() {
            stop = Stop::Diverged;
            break;
        }
        // A float gradient that rounds to zero proves nothing: only an exact
        // zero stops the descent at a stationary point.
        let zero = matches!(&norm_squared, Number::Exact(q) if q.is_zero());
        if zero {
            stop = Stop::Stationary;
            break;
        }
        if let Some(t2) = &tolerance_squared {
            let small = match &norm_squared {
                Number::Exact(q) => q <= t2,
                Number::Float(x) => *x <= t2.to_f64(),
            };
            if small {
                stop = Stop::GradientSmall;
                break;
            }
        }
        let base = *first_gradient_size.get_or_insert(size.max(1.0));
        if size > base * DIVERGENCE_FACTOR as f64 {
            stop = Stop::Diverged;
            break;
        }
        if step >= options.iterations {
            stop = Stop::Iterations;
            break;
        }
        // The step: w ← w − rate·g.
        match &mut exact {
            Some(w) => {
                let mut too_long = false;
                for (wi, gi) in w.iter_mut().zip(&step_gradient) {
                    if let Number::Exact(g) = gi {
                        *wi = wi.sub(&options.rate.mul(g));
                    }
                    too_long |= wi.denom() >= denominator_bound || wi.bits() > MAX_EXACT_BITS;
                }
                float = w.iter().map(Q::to_f64).collect();
                if too_long {
                    exact = None;
                    float_from = Some(step + 1);
                }
            }
            None => {
                let rate = options.rate.to_f64();
                for (wi, gi) in float.iter_mut().zip(&step_gradient) {
                    *wi -= rate * gi.to_f64();
                }
            }
        }
        step += 1;
    }

    let quadratic = if loss.total_degree() <= 2 { Some(analyse_quadratic(loss, options, &weights)?) } else { None };
    let outcome = match (&quadratic, &stop) {
        (Some(q), _) => q.outcome,
        (None, Stop::Diverged) => Outcome::Diverging,
        (None, Stop::Stationary) => Outcome::Converging,
        (None, _) => Outcome::Unknown,
    };
    Ok(Descent { weights, rate: options.rate.clone(), iterations, float_from, stop, outcome, quadratic })
}

/// The value of `p` at a floating-point point.
fn eval_f64(p: &Poly, point: &[f64]) -> f64 {
    p.terms()
        .map(|(e, c)| {
            e.iter().zip(point).fold(c.to_f64(), |acc, (&k, &x)| acc * x.powi(i32::try_from(k).unwrap_or(i32::MAX)))
        })
        .sum()
}

/// The exact analysis of descent on a quadratic loss: stable range from
/// the Hessian, outcome from the eigenvalues the starting gradient involves.
fn analyse_quadratic(loss: &Poly, options: &DescentOptions, weights: &[Symbol]) -> Result<QuadraticAnalysis> {
    let n = weights.len();
    let hessian: Vec<Vec<Q>> =
        (0..n).map(|i| (0..n).map(|j| loss.derivative(i).derivative(j).constant_term()).collect()).collect();
    let limits = &options.limits;
    let stable = stable_range(&hessian, limits)?;
    let g0: Vec<Q> = (0..n).map(|i| loss.derivative(i).eval(&options.start)).collect::<Result<_>>()?;
    let rate = &options.rate;
    let range_text = stable.as_ref().map(StableRange::words);
    if g0.iter().all(Q::is_zero) {
        return Ok(QuadraticAnalysis {
            hessian,
            stable,
            outcome: Outcome::Converging,
            limit: Some(options.start.clone()),
            reason: "the gradient is zero at the start, so the weights stay where they are".into(),
        });
    }
    // The eigenvalues involved: the roots of the minimal polynomial of g0
    // with respect to H (for a symmetric H, the distinct eigenvalues in
    // whose eigenspaces g0 has a component).
    let involved = minimal_polynomial_roots(&hessian, &g0, limits)?;
    let two_over_rate = Q::from(2).div(rate).unwrap_or_default();
    let mut outcome = Outcome::Converging;
    let mut why_not = String::new();
    for mu in &involved {
        let sign = mu.sign_of(&UPoly::linear(Q::zero(), Q::one()));
        let against_edge = mu.sign_of(&UPoly::linear(two_over_rate.neg(), Q::one()));
        if sign < 0 {
            outcome = Outcome::Diverging;
            why_not = "the loss curves downward in a direction the descent moves in (a negative eigenvalue of the \
                       Hessian), so no rate is stable"
                .into();
            break;
        }
        if sign == 0 {
            outcome = Outcome::Diverging;
            why_not = "the loss is unbounded below along a direction where it is flat, so the weights run off".into();
            break;
        }
        if against_edge > 0 {
            outcome = Outcome::Diverging;
        } else if against_edge == 0 && outcome == Outcome::Converging {
            outcome = Outcome::Oscillating;
        }
    }
    let inside = stable.as_ref().map(|s| rate_position(rate, s));
    let reason = match (outcome, &range_text, inside) {
        (Outcome::Diverging, _, _) if !why_not.is_empty() => why_not,
        (_, None, _) => "no rate is stable: the Hessian is not positive semidefinite or is zero".into(),
        (Outcome::Converging, Some(r), Some(std::cmp::Ordering::Less)) => {
            format!("rate {rate} is inside the stable range {r}")
        }
        (Outcome::Converging, Some(r), _) => format!(
            "rate {rate} is not inside the stable range {r}, but the start involves only directions in which it is \
             stable"
        ),
        (Outcome::Oscillating, Some(r), _) => {
            format!("rate {rate} is at the edge of the stable range {r}, so the weights jump back and forth for ever")
        }
        (Outcome::Diverging, Some(r), _) => format!("rate {rate} is outside the stable range {r}"),
        (Outcome::Unknown, Some(_), _) => String::new(),
    };
    let limit = if outcome == Outcome::Converging { converged_limit(&hessian, &options.start, &g0) } else { None };
    Ok(QuadraticAnalysis { hessian, stable, outcome, limit, reason })
}

/// Where `rate` lies relative to the upper end of the stable range.
fn rate_position(rate: &Q, stable: &StableRange) -> std::cmp::Ordering {
    // rate < 2/λ ⇔ λ < 2/rate; compare the exact root with a rational.
    let two_over_rate = Q::from(2).div(rate).unwrap_or_default();
    match stable.lambda_max.sign_of(&UPoly::linear(two_over_rate.neg(), Q::one())) {
        s if s < 0 => std::cmp::Ordering::Less,
        0 => std::cmp::Ordering::Equal,
        _ => std::cmp::Ordering::Greater,
    }
}

/// `0 < rate < 2/λmax` for a positive semidefinite, nonzero Hessian.
fn stable_range(h: &[Vec<Q>], limits: &Limits) -> Result<Option<StableRange>> {
    let roots = eigenvalues(h, limits)?;
    let Some(lambda_max) = roots.last().map(|r| r.value.clone()) else { return Ok(None) };
    let smallest = roots.first().map(|r| r.value.sign_of(&UPoly::linear(Q::zero(), Q::one()))).unwrap_or(0);
    if smallest < 0 || lambda_max.sign_of(&UPoly::linear(Q::zero(), Q::one())) <= 0 {
        return Ok(None);
    }
    let (high, high_bounds) = match &lambda_max {
        RootValue::Rational(l) => {
            let h = Q::from(2).div(l).unwrap_or_default();
            (Some(Expr::num(h.clone())), (h.clone(), h))
        }
        RootValue::Quadratic(r) => {
            // 2/(a + s·b·√c) = 2(a − s·b·√c)/(a² − b²c).
            let (a, b, c, s) = (r.a(), r.b(), r.c(), r.sign());
            let d = a.mul(&a).sub(&b.mul(&b).mul(&c));
            let k = Q::from(2).div(&d).unwrap_or_default();
            let root_c = Expr::pow(&Expr::num(c), &Expr::num(Q::new(1, 2)));
            let b_coeff = b.mul(&k).mul(&Q::from(-i64::from(s)));
            let e = Expr::weighted_sum(a.mul(&k), [(root_c, b_coeff)]);
            let bounds = bounds_of_two_over(&lambda_max);
            (Some(e), bounds)
        }
        RootValue::Interval(_) => (None, bounds_of_two_over(&lambda_max)),
    };
    Ok(Some(StableRange { lambda_max, high, high_bounds }))
}

/// Rational bounds on `2/λ` for a positive irrational λ, from a narrow
/// enclosure of λ.
fn bounds_of_two_over(lambda: &RootValue) -> (Q, Q) {
    let m = lambda.midpoint(30);
    let slack = m.abs().mul(&Q::new(1, 1_000_000_000_000_000)).mul(&Q::new(1, 1_000_000_000_000));
    let (lo, hi) = (m.sub(&slack), m.add(&slack));
    let two = Q::from(2);
    (two.div(&hi).unwrap_or_default(), two.div(&lo).unwrap_or_default())
}

/// The eigenvalues of a symmetric matrix, ascending: the exact real roots of
/// its characteristic polynomial.
fn eigenvalues(h: &[Vec<Q>], limits: &Limits) -> Result<Vec<RealRoot>> {
    roots_of(&characteristic_polynomial(h), limits)
}

/// Roots of a polynomial, with the degree-one case done directly.
fn roots_of(p: &UPoly, limits: &Limits) -> Result<Vec<RealRoot>> {
    match p.degree() {
        None | Some(0) => Ok(Vec::new()),
        Some(1) => {
            let root = p.coeff(0).neg().div(&p.coeff(1)).unwrap_or_default();
            Ok(vec![RealRoot { value: RootValue::Rational(root), multiplicity: 1 }])
        }
        Some(_) => real_roots(p, limits),
    }
}

/// `det(x·I − H)` by the Faddeev–LeVerrier recurrence, exact over `Q`.
fn characteristic_polynomial(h: &[Vec<Q>]) -> UPoly {
    let n = h.len();
    // coeffs[k] is the coefficient of x^k; the leading one is 1.
    let mut coeffs = vec![Q::zero(); n + 1];
    if let Some(top) = coeffs.get_mut(n) {
        *top = Q::one();
    }
    let mut m = vec![vec![Q::zero(); n]; n];
    for k in 1..=n {
        // M_k = H·M_{k−1} + c_{n−k+1}·I
        let previous = coeffs.get(n + 1 - k).cloned().unwrap_or_default();
        let mut next = mat_mul(h, &m);
        for (i, row) in next.iter_mut().enumerate() {
            if let Some(d) = row.get_mut(i) {
                *d = d.add(&previous);
            }
        }
        m = next;
        // c_{n−k} = −tr(H·M_k)/k
        let hm = mat_mul(h, &m);
        let trace = hm.iter().enumerate().fold(Q::zero(), |acc, (i, r)| acc.add(r.get(i).unwrap_or(&Q::zero())));
        if let Some(slot) = coeffs.get_mut(n - k) {
            *slot = trace.neg().div(&Q::from(k as i64)).unwrap_or_default();
        }
    }
    UPoly::new(coeffs)
}

fn mat_mul(a: &[Vec<Q>], b: &[Vec<Q>]) -> Vec<Vec<Q>> {
    a.iter()
        .map(|row| {
            (0..b.first().map_or(0, Vec::len))
                .map(|j| {
                    row.iter()
                        .zip(b)
                        .fold(Q::zero(), |acc, (x, brow)| acc.add(&x.mul(brow.get(j).unwrap_or(&Q::zero()))))
                })
                .collect()
        })
        .collect()
}

fn mat_vec(a: &[Vec<Q>], v: &[Q]) -> Vec<Q> {
    a.iter().map(|row| row.iter().zip(v).fold(Q::zero(), |acc, (x, y)| acc.add(&x.mul(y)))).collect()
}

/// The roots of the minimal polynomial of `v` under `h`: the smallest `k`
/// with `hᵏ·v` in the span of `v, h·v, …, hᵏ⁻¹·v` gives
/// `p(x) = xᵏ − Σ aⱼ·xʲ`.
fn minimal_polynomial_roots(h: &[Vec<Q>], v: &[Q], limits: &Limits) -> Result<Vec<RealRoot>> {
    let mut krylov: Vec<Vec<Q>> = vec![v.to_vec()];
    for _ in 0..=h.len() {
        let next = mat_vec(h, krylov.last().map_or(&[][..], Vec::as_slice));
        // Columns of the system are the Krylov vectors so far.
        let a: Vec<Vec<Q>> =
            (0..v.len()).map(|i| krylov.iter().map(|k| k.get(i).cloned().unwrap_or_default()).collect()).collect();
        let solution = solve_linear(&a, &next)?;
        let combination = match solution {
            LinearSolution::Unique(x) => Some(x),
            LinearSolution::Family(f) => Some(f.particular()),
            LinearSolution::Inconsistent(_) => None,
        };
        if let Some(x) = combination {
            let mut coeffs: Vec<Q> = x.iter().map(Q::neg).collect();
            coeffs.push(Q::one());
            return roots_of(&UPoly::new(coeffs), limits);
        }
        krylov.push(next);
    }
    Ok(Vec::new())
}

/// The limit of a converging descent on a quadratic: `w0 − H⁺·g0`, the
/// minimizer nearest to the start. `H⁺·g0` is `H·y` for any solution of
/// `H²·y = g0`.
fn converged_limit(h: &[Vec<Q>], start: &[Q], g0: &[Q]) -> Option<Vec<Q>> {
    let h2 = mat_mul(h, h);
    let y = match solve_linear(&h2, g0).ok()? {
        LinearSolution::Unique(y) => y,
        LinearSolution::Family(f) => f.particular(),
        LinearSolution::Inconsistent(_) => return None,
    };
    let d = mat_vec(h, &y);
    Some(start.iter().zip(&d).map(|(w, x)| w.sub(x)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64) -> Q {
        Q::from(n)
    }

    #[test]
    fn characteristic_polynomial_of_small_matrices() {
        assert_eq!(characteristic_polynomial(&[vec![q(8)]]).to_string(), "x - 8");
        let h = [vec![q(2), q(1)], vec![q(1), q(2)]];
        assert_eq!(characteristic_polynomial(&h).to_string(), "x^2 - 4*x + 3");
        let h = [vec![q(8), q(20)], vec![q(20), q(60)]];
        assert_eq!(characteristic_polynomial(&h).to_string(), "x^2 - 68*x + 80");
    }

    #[test]
    fn minimal_polynomial_sees_only_involved_eigenvalues() {
        let h = [vec![q(2), q(0)], vec![q(0), q(6)]];
        let roots = minimal_polynomial_roots(&h, &[q(1), q(0)], &Limits::default()).unwrap();
        assert_eq!(roots.len(), 1);
        assert_eq!(roots[0].value, RootValue::Rational(q(2)));
    }
}
