//! Stationary points of a loss and solutions of polynomial equations, exact.
//!
//! Equations are converted to [`Poly`] in the chosen variables. A linear
//! system is solved by exact elimination; otherwise equations that factor are
//! split into cases, variables that occur linearly with a constant coefficient
//! are eliminated, and univariate equations are solved by exact real-root
//! isolation. Anything else is refused with a message that says why.

use crate::diff::diff;
use crate::error::{Error, Result};
use crate::expand::expand;
use crate::expr::{Expr, Node};
use crate::limits::Limits;
use crate::number::Q;
use crate::poly::{Poly, UPoly};
use crate::simplify::tidy;
use crate::solve::linear::{Definiteness, LinearSolution, inertia, solve_linear};
use crate::solve::roots::{RealRoot, RootValue, real_roots};
use crate::subs::subs;
use crate::symbol::Symbol;

/// How to solve: the limits in force and how many digits to show of roots
/// that are only known by an isolating interval.
///
/// ```
/// let o = kobai::SolveOptions::default().with_digits(30);
/// assert_eq!(o.digits, 30);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SolveOptions {
    /// Limits on the work.
    pub limits: Limits,
    /// Significant digits for roots given by an interval.
    pub digits: usize,
}

impl Default for SolveOptions {
    fn default() -> SolveOptions {
        SolveOptions { limits: Limits::default(), digits: 16 }
    }
}

impl SolveOptions {
    /// Sets [`SolveOptions::digits`].
    ///
    /// ```
    /// assert_eq!(kobai::SolveOptions::default().with_digits(5).digits, 5);
    /// ```
    pub fn with_digits(mut self, digits: usize) -> SolveOptions {
        self.digits = digits;
        self
    }

    /// Sets [`SolveOptions::limits`].
    ///
    /// ```
    /// let o = kobai::SolveOptions::default().with_limits(kobai::Limits::default().with_max_terms(10));
    /// assert_eq!(o.limits.max_terms, 10);
    /// ```
    pub fn with_limits(mut self, limits: Limits) -> SolveOptions {
        self.limits = limits;
        self
    }
}

/// The value of one variable at a solution.
#[derive(Debug, Clone, PartialEq)]
pub enum Coordinate {
    /// An exact value: a rational, or a radical such as `1 + sqrt(2)`.
    Exact(Expr),
    /// A real algebraic number known by an isolating interval.
    Root(RealRoot),
}

impl Coordinate {
    /// The exact value, when there is one in closed form (a rational or a
    /// radical).
    ///
    /// ```
    /// use kobai::{Coordinate, Expr};
    /// assert_eq!(Coordinate::Exact(Expr::int(2)).exact(), Some(Expr::int(2)));
    /// ```
    pub fn exact(&self) -> Option<Expr> {
        match self {
            Coordinate::Exact(e) => Some(e.clone()),
            Coordinate::Root(r) => r.to_expr(),
        }
    }

    /// The rational value, when it is one.
    ///
    /// ```
    /// use kobai::{Coordinate, Expr, Q};
    /// assert_eq!(Coordinate::Exact(Expr::num(Q::new(5, 2))).rational(), Some(Q::new(5, 2)));
    /// ```
    pub fn rational(&self) -> Option<Q> {
        self.exact().and_then(|e| e.as_num().cloned())
    }

    /// A floating-point approximation, for display only.
    ///
    /// ```
    /// use kobai::{Coordinate, Expr, Q};
    /// assert_eq!(Coordinate::Exact(Expr::num(Q::new(5, 2))).approx(), Some(2.5));
    /// ```
    pub fn approx(&self) -> Option<f64> {
        match self {
            Coordinate::Exact(e) => approx_expr(e),
            Coordinate::Root(r) => Some(r.approx()),
        }
    }
}

fn approx_expr(e: &Expr) -> Option<f64> {
    crate::subs::eval(e, &[], &Limits::default()).ok().and_then(|r| r.exact.as_num().map(Q::to_f64).or(r.approx))
}

/// What kind of stationary point a point is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A local minimum.
    Minimum,
    /// A local maximum.
    Maximum,
    /// A saddle point: a minimum in some directions, a maximum in others.
    Saddle,
    /// Neither: an inflection point of a function of one variable.
    Inflection,
    /// The tests available could not decide; the text says what is known.
    Degenerate(String),
}

impl Kind {
    /// The word used in output: `minimum`, `maximum`, `saddle`, `inflection`,
    /// `degenerate`.
    ///
    /// ```
    /// assert_eq!(kobai::Kind::Saddle.word(), "saddle");
    /// ```
    pub fn word(&self) -> &'static str {
        match self {
            Kind::Minimum => "minimum",
            Kind::Maximum => "maximum",
            Kind::Saddle => "saddle",
            Kind::Inflection => "inflection",
            Kind::Degenerate(_) => "degenerate",
        }
    }
}

/// A value of the loss at a point: exact, or approximate when the point is
/// only known by an interval.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Exact.
    Exact(Expr),
    /// Approximate (a decimal), for points known by an interval.
    Approx(f64),
}

/// One solution of the equations: a value for each variable.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// The variables and their values, in the order they were asked for.
    pub values: Vec<(Symbol, Coordinate)>,
    /// For one equation in one variable, the multiplicity of the root.
    pub multiplicity: u32,
}

/// A stationary point with its classification.
#[derive(Debug, Clone, PartialEq)]
pub struct Stationary {
    /// Where the gradient is zero.
    pub point: Point,
    /// What kind of point it is.
    pub kind: Kind,
    /// How the kind was decided, in words (`second derivative 8 > 0`).
    pub reason: String,
    /// The loss there.
    pub loss: Value,
}

/// The solutions of a system of equations.
#[derive(Debug, Clone, PartialEq)]
pub enum Solutions {
    /// Finitely many real solutions (none at all when the list is empty).
    Finite(Vec<Point>),
    /// Infinitely many: the `free` variables take any value and the others
    /// are given in terms of them.
    Family {
        /// The variables that remain free.
        free: Vec<Symbol>,
        /// Every variable's value in terms of the free ones (a free variable
        /// maps to itself).
        values: Vec<(Symbol, Expr)>,
    },
}

/// What `stationary_points` found.
#[derive(Debug, Clone, PartialEq)]
pub struct StationaryReport {
    /// The loss, in the form it was solved in.
    pub loss: Expr,
    /// Its gradient, one entry per variable.
    pub gradient: Vec<Expr>,
    /// The stationary points, when there are finitely many.
    pub points: Vec<Stationary>,
    /// When the stationary points form a family: the family, its kind, and
    /// the reason for the kind.
    pub family: Option<(Solutions, Kind, String)>,
    /// True when the loss is a quadratic with a positive semidefinite Hessian:
    /// then every minimum is global.
    pub convex_quadratic: bool,
    /// Set when the loss has no minimum because it is unbounded below.
    pub unbounded_below: bool,
    /// The loss on the family of stationary points, when it is the same at
    /// every point of it (always so for a quadratic loss).
    pub family_loss: Option<Expr>,
}

/// Refuses to solve for more variables than the cube root of
/// `limits.max_terms` (100 by default). The work grows with the cube of the
/// number of variables: the Hessian has n² entries, each a polynomial in n
/// variables, and exact elimination takes n³ steps; 3,000 variables took
/// gigabytes and minutes.
fn check_variable_count(n: usize, limits: &Limits) -> Result<()> {
    let cube = (n as u64).saturating_mul(n as u64).saturating_mul(n as u64);
    if cube > limits.max_terms as u64 {
        let mut most = 0u64;
        while (most + 1).saturating_pow(3) <= limits.max_terms as u64 {
            most += 1;
        }
        return Err(Error::Limit {
            what: "number of variables to solve for",
            limit: most,
            reached: format!("{n} variables"),
            flag: "--max-terms (this limit is its cube root)",
        });
    }
    Ok(())
}

/// Solves `equations = 0` for `vars`, exactly.
///
/// ```
/// use kobai::{read, solve_equations, Solutions, SolveOptions, Symbol};
/// let eq = read("8*w1 - 20").unwrap();
/// let s = solve_equations(&[eq], &[Symbol::new("w1")], &SolveOptions::default()).unwrap();
/// let Solutions::Finite(points) = s else { panic!() };
/// assert_eq!(points[0].values[0].1.rational(), Some(kobai::Q::new(5, 2)));
/// ```
pub fn solve_equations(equations: &[Expr], vars: &[Symbol], options: &SolveOptions) -> Result<Solutions> {
    let gens: Vec<Expr> = vars.iter().map(|v| Expr::sym(*v)).collect();
    let limits = &options.limits;
    check_variable_count(vars.len(), limits)?;
    let mut polys = Vec::with_capacity(equations.len());
    for e in equations {
        polys.push(Poly::from_expr(e, &gens, limits)?);
    }
    // A linear system: exact elimination.
    if let Some(system) = linear_system(&polys, vars.len()) {
        let (a, b) = system;
        return Ok(match solve_linear(&a, &b)? {
            LinearSolution::Unique(x) => Solutions::Finite(vec![Point {
                values: vars.iter().zip(x).map(|(v, q)| (*v, Coordinate::Exact(Expr::num(q)))).collect(),
                multiplicity: 1,
            }]),
            LinearSolution::Family(family) => {
                let free: Vec<Symbol> = family.free().iter().filter_map(|&i| vars.get(i).copied()).collect();
                let values = vars
                    .iter()
                    .zip(family.expressions())
                    .map(|(v, affine)| {
                        let terms =
                            affine.terms().iter().filter_map(|(i, c)| gens.get(*i).map(|g| (g.clone(), c.clone())));
                        (*v, Expr::weighted_sum(affine.constant().clone(), terms))
                    })
                    .collect();
                Solutions::Family { free, values }
            }
            LinearSolution::Inconsistent(_) => Solutions::Finite(Vec::new()),
        });
    }
    // Split equations that are products into cases: A·B = 0 when A = 0 or B
    // = 0. One equation in one variable is not split, so that the
    // multiplicities of its roots come out of the square-free decomposition.
    let cases = if vars.len() == 1 && polys.len() == 1 { vec![polys] } else { factor_cases(equations, &gens, limits)? };
    let mut points: Vec<Vec<Option<Coordinate>>> = Vec::new();
    let mut multiplicities: Vec<u32> = Vec::new();
    for case in cases {
        for (assignment, multiplicity) in solve_triangular(case, vec![None; vars.len()], &gens, limits)? {
            if !points.contains(&assignment) {
                points.push(assignment);
                multiplicities.push(multiplicity);
            }
        }
    }
    if let Some(first) = points.iter().find(|p| p.iter().any(Option::is_none)) {
        let _ = first;
        return Err(unsupported(
            "the solutions are not isolated points (some variables stay free) and the system is not linear",
        ));
    }
    let mut out: Vec<Point> = points
        .into_iter()
        .zip(multiplicities)
        .map(|(p, m)| Point {
            values: vars.iter().zip(p).filter_map(|(v, c)| c.map(|c| (*v, c))).collect(),
            multiplicity: if vars.len() == 1 { m } else { 1 },
        })
        .collect();
    out.sort_by(|a, b| {
        let key = |p: &Point| p.values.iter().map(|(_, c)| c.approx().unwrap_or(f64::NAN)).collect::<Vec<_>>();
        key(a).partial_cmp(&key(b)).unwrap_or(std::cmp::Ordering::Equal)
    });
    Ok(Solutions::Finite(out))
}

fn unsupported(reason: &str) -> Error {
    Error::Unsupported { reason: reason.to_string() }
}

fn linear_system(polys: &[Poly], n: usize) -> Option<(Vec<Vec<Q>>, Vec<Q>)> {
    let mut a = Vec::with_capacity(polys.len());
    let mut b = Vec::with_capacity(polys.len());
    for p in polys {
        let (coeffs, constant) = p.linear_coefficients()?;
        if coeffs.len() != n {
            return None;
        }
        a.push(coeffs);
        b.push(constant.neg());
    }
    Some((a, b))
}

/// The most cases a system may be split into by factoring its equations.
const MAX_CASES: usize = 256;

fn factor_cases(equations: &[Expr], gens: &[Expr], limits: &Limits) -> Result<Vec<Vec<Poly>>> {
    let mut cases: Vec<Vec<Poly>> = vec![Vec::new()];
    for e in equations {
        let factors: Vec<Expr> = match e.node() {
            Node::Product { factors, .. } => factors
                .iter()
                .filter(|(b, x)| x.as_num().is_some_and(|q| q.is_integer() && !q.is_negative()) && b.as_num().is_none())
                .map(|(b, _)| b.clone())
                .collect(),
            Node::Pow(b, x) if x.as_num().is_some_and(|q| q.is_integer() && !q.is_negative()) => vec![b.clone()],
            _ => vec![e.clone()],
        };
        let factors =
            if factors.is_empty() || cases.len() * factors.len() > MAX_CASES { vec![e.clone()] } else { factors };
        let mut polys = Vec::with_capacity(factors.len());
        for f in &factors {
            polys.push(Poly::from_expr(f, gens, limits)?);
        }
        cases = cases
            .into_iter()
            .flat_map(|case| {
                polys.iter().map(move |p| {
                    let mut c = case.clone();
                    c.push(p.clone());
                    c
                })
            })
            .collect();
    }
    Ok(cases)
}

type Assignment = Vec<Option<Coordinate>>;

/// Solves a system by eliminating variables one at a time: a univariate
/// equation gives the values of its variable; an equation with a variable of
/// degree one and constant coefficient gives that variable in terms of the
/// others. Returns each solution with the multiplicity of its last root.
fn solve_triangular(
    polys: Vec<Poly>,
    assigned: Assignment,
    gens: &[Expr],
    limits: &Limits,
) -> Result<Vec<(Assignment, u32)>> {
    let mut polys: Vec<Poly> = polys.into_iter().filter(|p| !p.is_zero()).collect();
    if polys.iter().any(|p| p.occurring_generators().is_empty()) {
        return Ok(Vec::new()); // a nonzero constant = 0: no solution here
    }
    polys.dedup();
    if polys.is_empty() {
        return Ok(vec![(assigned, 1)]);
    }
    // A univariate equation, preferring the lowest degree.
    let univariate = polys
        .iter()
        .enumerate()
        .filter_map(|(i, p)| match p.occurring_generators().as_slice() {
            [v] => Some((i, *v, p.degree_in(*v))),
            _ => None,
        })
        .min_by_key(|&(_, _, d)| d);
    if let Some((i, v, _)) = univariate {
        // Several univariate equations in v share only the roots of their gcd.
        let mut u = polys.get(i).and_then(|p| p.as_univariate_in(v)).ok_or_else(|| unsupported("internal"))?;
        let mut rest = Vec::new();
        for (j, p) in polys.iter().enumerate() {
            if j == i {
                continue;
            }
            match (p.occurring_generators().as_slice(), p.as_univariate_in(v)) {
                ([w], Some(q)) if *w == v => u = u.gcd(&q),
                _ => rest.push(p.clone()),
            }
        }
        if u.degree().unwrap_or(0) == 0 {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for root in real_roots(&u, limits)? {
            let coordinate = match root.value.rational() {
                Some(q) => Coordinate::Exact(Expr::num(q)),
                None => Coordinate::Root(root.clone()),
            };
            let remaining: Vec<Poly> = match root.value.rational() {
                Some(q) => rest.iter().map(|p| p.substitute(&[(v, q.clone())])).collect(),
                None => {
                    if rest.iter().any(|p| p.degree_in(v) > 0) {
                        return Err(unsupported(
                            "an irrational root would have to be substituted into the other equations, \
                             which kobai does not do yet",
                        ));
                    }
                    rest.clone()
                }
            };
            let mut next = assigned.clone();
            if let Some(slot) = next.get_mut(v) {
                *slot = Some(coordinate);
            }
            for (solution, m) in solve_triangular(remaining, next, gens, limits)? {
                let m = if solution.iter().flatten().count() == 1 { root.multiplicity } else { m };
                out.push((solution, m));
            }
        }
        return Ok(out);
    }
    // A variable of degree one with a constant coefficient: v = -(rest)/c.
    for (i, p) in polys.iter().enumerate() {
        for v in p.occurring_generators() {
            let coeffs = p.coefficients_in(v);
            let (Some(c0), Some(c1), 2) = (coeffs.first(), coeffs.get(1), coeffs.len()) else { continue };
            if !c1.occurring_generators().is_empty() {
                continue;
            }
            let Some(inverse) = c1.constant_term().recip() else { continue };
            let value = c0.scale(&inverse.neg());
            let mut rest = Vec::with_capacity(polys.len());
            for (j, q) in polys.iter().enumerate() {
                if j != i {
                    rest.push(q.substitute_poly(v, &value, limits)?);
                }
            }
            let mut out = Vec::new();
            for (mut solution, m) in solve_triangular(rest, assigned.clone(), gens, limits)? {
                let bindings: Vec<(Symbol, Expr)> = solution
                    .iter()
                    .enumerate()
                    .filter_map(|(k, c)| {
                        let sym = gens.get(k)?.as_sym()?;
                        match c.as_ref().map(Coordinate::exact) {
                            Some(Some(e)) => Some(Ok((sym, e))),
                            Some(None) => Some(Err(())),
                            None => None,
                        }
                    })
                    .collect::<std::result::Result<_, ()>>()
                    .map_err(|()| unsupported("a variable depends on a root known only by an interval"))?;
                let needed = value.occurring_generators();
                if needed.iter().any(|k| solution.get(*k).is_some_and(Option::is_none)) {
                    return Err(unsupported(
                        "the solutions are not isolated points (some variables stay free) and the system is not linear",
                    ));
                }
                let exact = expand(&subs(&value.to_expr(), &bindings)?, limits)?;
                if let Some(slot) = solution.get_mut(v) {
                    *slot = Some(Coordinate::Exact(exact));
                }
                out.push((solution, m));
            }
            return Ok(out);
        }
    }
    Err(unsupported(
        "the equations are neither linear nor triangular; solving them needs Gröbner-basis or resultant \
         elimination, which kobai does not implement yet (substitute some variables with --at)",
    ))
}

/// The stationary points of `loss` in `vars`: where the gradient is zero,
/// each classified by the second-derivative or Hessian test (with higher
/// derivatives in one variable), with the loss there.
///
/// The tutorial: `((2·w1) − 5)²` is smallest at `w1 = 5/2`.
///
/// ```
/// use kobai::{read, stationary_points, Kind, SolveOptions, Symbol, Value};
/// let loss = read("((2*w1) - 5)^2").unwrap();
/// let r = stationary_points(&loss, &[Symbol::new("w1")], &SolveOptions::default()).unwrap();
/// assert_eq!(r.gradient[0].to_string(), "8*w1 - 20");
/// let p = &r.points[0];
/// assert_eq!(p.point.values[0].1.rational(), Some(kobai::Q::new(5, 2)));
/// assert_eq!(p.kind, Kind::Minimum);
/// assert_eq!(p.loss, Value::Exact(kobai::Expr::zero()));
/// assert!(r.convex_quadratic);
/// ```
pub fn stationary_points(loss: &Expr, vars: &[Symbol], options: &SolveOptions) -> Result<StationaryReport> {
    let limits = &options.limits;
    check_variable_count(vars.len(), limits)?;
    let gens: Vec<Expr> = vars.iter().map(|v| Expr::sym(*v)).collect();
    let loss_poly = Poly::from_expr(loss, &gens, limits).map_err(|e| match e {
        Error::Usage { message } => {
            Error::Usage { message: format!("{message} (the loss must be a polynomial in the variables)") }
        }
        other => other,
    })?;
    let shown_loss = tidy(loss, limits)?;
    let raw_gradient: Vec<Expr> = vars.iter().map(|&v| diff(loss, v)).collect();
    let gradient: Vec<Expr> = raw_gradient.iter().map(|g| tidy(g, limits)).collect::<Result<_>>()?;
    let hessian: Vec<Vec<Poly>> =
        (0..vars.len()).map(|i| (0..vars.len()).map(|j| loss_poly.derivative(i).derivative(j)).collect()).collect();
    let degree = loss_poly.total_degree();
    let constant_hessian = hessian.iter().flatten().all(|h| h.occurring_generators().is_empty());
    let hessian_definiteness = if constant_hessian {
        let m: Vec<Vec<Q>> = hessian.iter().map(|r| r.iter().map(Poly::constant_term).collect()).collect();
        Some(inertia(&m)?.definiteness())
    } else {
        None
    };
    let convex_quadratic = degree <= 2
        && matches!(
            hessian_definiteness,
            Some(Definiteness::PositiveDefinite | Definiteness::PositiveSemidefinite | Definiteness::Zero)
        );
    let unbounded_below = unbounded_below(&loss_poly, degree, hessian_definiteness);

    let mut report = StationaryReport {
        loss: shown_loss,
        gradient: gradient.clone(),
        points: Vec::new(),
        family: None,
        convex_quadratic,
        unbounded_below,
        family_loss: None,
    };
    match solve_equations(&raw_gradient, vars, options)? {
        Solutions::Finite(points) => {
            for point in points {
                let (kind, reason) = classify(&point, &loss_poly, &hessian, limits)?;
                let loss = loss_at(&point, &loss_poly, limits)?;
                report.points.push(Stationary { point, kind, reason, loss });
            }
        }
        family @ Solutions::Family { .. } => {
            let (kind, reason) = match hessian_definiteness {
                Some(Definiteness::PositiveSemidefinite) if convex_quadratic => (
                    Kind::Degenerate("a family of minima".into()),
                    "the Hessian is positive semidefinite and singular; the loss is a convex quadratic, so every \
                     point of the family is a global minimum"
                        .to_string(),
                ),
                Some(Definiteness::Zero) => {
                    (Kind::Degenerate("constant".into()), "the loss is constant in these variables".to_string())
                }
                // A constant Hessian means a quadratic loss, which equals its
                // second-order expansion at a stationary point p: f(p + d) =
                // f(p) + dᵀHd/2. So the test decides even when H is singular.
                Some(Definiteness::NegativeSemidefinite) if degree <= 2 => (
                    Kind::Degenerate("a family of maxima".into()),
                    "the Hessian is negative semidefinite and singular; the loss is a concave quadratic, so every \
                     point of the family is a global maximum"
                        .to_string(),
                ),
                Some(Definiteness::Indefinite) if degree <= 2 => (
                    Kind::Degenerate("a family of saddle points".into()),
                    "the Hessian is indefinite and singular; the loss is a quadratic, so every point of the family \
                     is a saddle point"
                        .to_string(),
                ),
                Some(d) => (
                    Kind::Degenerate("a family".into()),
                    format!(
                        "the Hessian is {} and singular: the second-order test cannot decide",
                        definiteness_words(d)
                    ),
                ),
                None => (Kind::Degenerate("a family".into()), "a family of stationary points".to_string()),
            };
            if degree <= 2
                && let Solutions::Family { values, .. } = &family
            {
                // A quadratic is constant on its set of stationary points.
                let at_zero: Vec<(Symbol, Expr)> = values
                    .iter()
                    .map(|(v, e)| {
                        let free: Vec<(Symbol, Expr)> = e.symbols().into_iter().map(|s| (s, Expr::zero())).collect();
                        subs(e, &free).map(|x| (*v, x))
                    })
                    .collect::<Result<_>>()?;
                report.family_loss = Some(expand(&subs(&loss_poly.to_expr(), &at_zero)?, limits)?);
            }
            report.family = Some((family, kind, reason));
        }
    }
    // A quadratic (or linear) loss that is bounded below attains its minimum,
    // so one without stationary points is unbounded below.
    if (1..=2).contains(&degree) && report.points.is_empty() && report.family.is_none() {
        report.unbounded_below = true;
    }
    Ok(report)
}

fn definiteness_words(d: Definiteness) -> &'static str {
    match d {
        Definiteness::PositiveDefinite => "positive definite",
        Definiteness::NegativeDefinite => "negative definite",
        Definiteness::PositiveSemidefinite => "positive semidefinite",
        Definiteness::NegativeSemidefinite => "negative semidefinite",
        Definiteness::Indefinite => "indefinite",
        Definiteness::Zero => "zero",
    }
}

/// True when the polynomial loss certainly has no lower bound: in one
/// variable, odd degree or a negative leading coefficient; for a quadratic,
/// a Hessian that is not positive semidefinite.
fn unbounded_below(loss: &Poly, degree: u64, hessian: Option<Definiteness>) -> bool {
    if let Some(u) = loss.as_univariate() {
        return match u.degree() {
            Some(d) if d >= 1 => d % 2 == 1 || u.leading().is_negative(),
            _ => false,
        };
    }
    degree == 2
        && matches!(
            hessian,
            Some(Definiteness::NegativeDefinite | Definiteness::NegativeSemidefinite | Definiteness::Indefinite)
        )
}

fn classify(point: &Point, loss: &Poly, hessian: &[Vec<Poly>], limits: &Limits) -> Result<(Kind, String)> {
    if let [(_, c)] = point.values.as_slice() {
        return classify_one(c, loss);
    }
    let Some(values) = point.values.iter().map(|(_, c)| c.rational()).collect::<Option<Vec<Q>>>() else {
        return classify_by_minors(point, hessian, limits);
    };
    let h: Vec<Vec<Q>> =
        hessian.iter().map(|r| r.iter().map(|p| p.eval(&values)).collect::<Result<_>>()).collect::<Result<_>>()?;
    let d = inertia(&h)?.definiteness();
    Ok(match d {
        Definiteness::PositiveDefinite => (Kind::Minimum, "the Hessian is positive definite".into()),
        Definiteness::NegativeDefinite => (Kind::Maximum, "the Hessian is negative definite".into()),
        Definiteness::Indefinite => (Kind::Saddle, "the Hessian is indefinite".into()),
        other => (
            Kind::Degenerate("second-order test fails".into()),
            format!("the Hessian is {} and singular: a higher-order test would decide", definiteness_words(other)),
        ),
    })
}

/// Several variables at an irrational point: Sylvester's criterion on the
/// leading principal minors of the Hessian, each an exact number of the form
/// `a + b·√c` whose sign is decided exactly.
fn classify_by_minors(point: &Point, hessian: &[Vec<Poly>], limits: &Limits) -> Result<(Kind, String)> {
    let undecided = || {
        Ok((
            Kind::Degenerate("not classified".into()),
            "the Hessian at this irrational point has entries kobai cannot sign exactly".to_string(),
        ))
    };
    let bindings: Option<Vec<(Symbol, Expr)>> = point.values.iter().map(|(s, c)| c.exact().map(|e| (*s, e))).collect();
    let Some(bindings) = bindings else { return undecided() };
    if hessian.len() > 4 {
        return undecided();
    }
    let mut h = Vec::with_capacity(hessian.len());
    for row in hessian {
        let mut r = Vec::with_capacity(row.len());
        for p in row {
            r.push(expand(&subs(&p.to_expr(), &bindings)?, limits)?);
        }
        h.push(r);
    }
    let mut signs = Vec::with_capacity(h.len());
    for k in 1..=h.len() {
        let minor: Vec<Vec<Expr>> = h.iter().take(k).map(|r| r.iter().take(k).cloned().collect()).collect();
        let det = expand(&determinant(&minor), limits)?;
        match exact_sign(&det) {
            Some(s) => signs.push(s),
            None => return undecided(),
        }
    }
    let n = signs.len();
    Ok(if signs.iter().all(|&s| s > 0) {
        (Kind::Minimum, "the Hessian is positive definite (all leading principal minors > 0)".into())
    } else if signs.iter().enumerate().all(|(i, &s)| if i % 2 == 0 { s < 0 } else { s > 0 }) {
        (Kind::Maximum, "the Hessian is negative definite (leading principal minors alternate in sign)".into())
    } else if signs.get(n - 1).is_some_and(|&s| s != 0) {
        (Kind::Saddle, "the Hessian is nonsingular and not definite, so indefinite".into())
    } else {
        (
            Kind::Degenerate("second-order test fails".into()),
            "the Hessian is singular here: a higher-order test would decide".into(),
        )
    })
}

/// The determinant by cofactor expansion (for the small matrices of
/// [`classify_by_minors`]).
fn determinant(m: &[Vec<Expr>]) -> Expr {
    match m.len() {
        0 => Expr::one(),
        1 => m.first().and_then(|r| r.first()).cloned().unwrap_or_else(Expr::zero),
        n => {
            let mut terms = Vec::with_capacity(n);
            for j in 0..n {
                let Some(a) = m.first().and_then(|r| r.get(j)) else { continue };
                let minor: Vec<Vec<Expr>> = m
                    .iter()
                    .skip(1)
                    .map(|r| r.iter().enumerate().filter(|(k, _)| *k != j).map(|(_, e)| e.clone()).collect())
                    .collect();
                let sign = if j % 2 == 0 { Q::one() } else { Q::from(-1) };
                terms.push((Expr::mul(a, &determinant(&minor)), sign));
            }
            Expr::weighted_sum(Q::zero(), terms)
        }
    }
}

/// The sign of a number `a + b·√c` given as an expanded `Expr`; `None` for
/// anything else (several different radicals).
fn exact_sign(e: &Expr) -> Option<i32> {
    let radical = |t: &Expr| matches!(t.node(), Node::Pow(b, x) if b.as_num().is_some_and(|q| !q.is_negative()) && x.as_num() == Some(&Q::new(1, 2)));
    match e.node() {
        Node::Num(q) => Some(q.signum()),
        Node::Pow(..) if radical(e) => Some(1),
        Node::Product { coeff, factors }
            if factors.len() == 1 && factors.first().is_some_and(|(b, x)| radical(&Expr::pow(b, x))) =>
        {
            Some(coeff.signum())
        }
        Node::Sum { constant, terms } => match terms.as_slice() {
            [(t, b)] if radical(t) => {
                let Node::Pow(c, _) = t.node() else { return None };
                let c = c.as_num()?;
                let (sa, sb) = (constant.signum(), b.signum());
                if sa == sb || sb == 0 {
                    return Some(sa);
                }
                if sa == 0 {
                    return Some(sb);
                }
                // Opposite signs: compare a² with b²·c.
                let lhs = constant.mul(constant);
                let rhs = b.mul(b).mul(c);
                Some(match lhs.cmp(&rhs) {
                    std::cmp::Ordering::Greater => sa,
                    std::cmp::Ordering::Less => sb,
                    std::cmp::Ordering::Equal => 0,
                })
            }
            _ => None,
        },
        _ => None,
    }
}

/// One variable: the first derivative of order ≥ 2 that does not vanish at
/// the point decides (even order: minimum or maximum by its sign; odd order:
/// an inflection).
fn classify_one(c: &Coordinate, loss: &Poly) -> Result<(Kind, String)> {
    let Some(u) = loss.as_univariate() else {
        return Ok((Kind::Degenerate("not classified".into()), "the loss is not univariate".into()));
    };
    let mut d = u.derivative();
    for order in 2u32.. {
        d = d.derivative();
        if d.is_zero() {
            break;
        }
        let sign = sign_at(&d, c)?;
        if sign == 0 {
            continue;
        }
        let name = derivative_name(order);
        return Ok(match (order % 2, sign > 0) {
            (0, true) => (Kind::Minimum, format!("{name} > 0")),
            (0, false) => (Kind::Maximum, format!("{name} < 0")),
            _ => (Kind::Inflection, format!("{name} ≠ 0 while lower derivatives vanish: neither minimum nor maximum")),
        });
    }
    Ok((Kind::Degenerate("constant".into()), "the loss is constant".into()))
}

fn derivative_name(order: u32) -> String {
    match order {
        2 => "second derivative".into(),
        3 => "third derivative".into(),
        n => format!("derivative of order {n}"),
    }
}

fn sign_at(p: &UPoly, c: &Coordinate) -> Result<i32> {
    match c {
        Coordinate::Root(r) => Ok(r.sign_of(p)),
        Coordinate::Exact(e) => match e.as_num() {
            Some(q) => Ok(p.sign_at(q)),
            None => Err(unsupported("the sign of a polynomial at a value found by elimination")),
        },
    }
}

fn loss_at(point: &Point, loss: &Poly, limits: &Limits) -> Result<Value> {
    let bindings: Option<Vec<(Symbol, Expr)>> = point.values.iter().map(|(s, c)| c.exact().map(|e| (*s, e))).collect();
    match bindings {
        Some(b) => Ok(Value::Exact(expand(&subs(&loss.to_expr(), &b)?, limits)?)),
        None => {
            let approx: Option<Vec<Q>> = point
                .values
                .iter()
                .map(|(_, c)| match c {
                    Coordinate::Root(r) => Some(r.value.midpoint(40)),
                    Coordinate::Exact(e) => e.as_num().cloned(),
                })
                .collect();
            match approx {
                Some(values) => Ok(Value::Approx(loss.eval(values.as_slice())?.to_f64())),
                None => Ok(Value::Approx(f64::NAN)),
            }
        }
    }
}

impl Coordinate {
    /// The value as it is shown in text: the exact form when there is one
    /// (`5/2`, `1 + sqrt(2)`), else `≈` and `places` decimals.
    ///
    /// ```
    /// use kobai::{Coordinate, Expr, Q};
    /// assert_eq!(Coordinate::Exact(Expr::num(Q::new(5, 2))).shown(16), "5/2");
    /// ```
    pub fn shown(&self, places: usize) -> String {
        match self {
            Coordinate::Root(RealRoot { value: RootValue::Quadratic(q), .. }) => q.to_string(),
            Coordinate::Root(RealRoot { value: RootValue::Interval(_), .. }) => format!("≈ {}", self.decimal(places)),
            Coordinate::Root(RealRoot { value: RootValue::Rational(q), .. }) => q.to_string(),
            Coordinate::Exact(e) => crate::print::text(e),
        }
    }

    /// The value to `places` digits after the decimal point (every digit
    /// guaranteed by exact refinement for roots known by an interval).
    ///
    /// ```
    /// use kobai::{Coordinate, Expr, Q};
    /// assert_eq!(Coordinate::Exact(Expr::num(Q::new(1, 3))).decimal(4), "0.3333");
    /// ```
    pub fn decimal(&self, places: usize) -> String {
        // Significant digits = places + digits before the point; the float
        // only sizes the output, it decides no digit.
        let magnitude = self.approx().map_or(0, |v| if v == 0.0 { 0 } else { v.abs().log10().floor() as i64 + 1 });
        let digits = usize::try_from((places as i64 + magnitude).max(1)).unwrap_or(1);
        match self {
            Coordinate::Root(r) => r.value.to_decimal(digits),
            Coordinate::Exact(e) => match e.as_num() {
                // Q's decimal string counts places after the point below 1.
                Some(q) => q.to_decimal_string(if magnitude > 0 { digits } else { places }),
                None => match rational_approximation(e, digits + 10) {
                    Some(q) => pad_decimals(q.to_decimal_string(digits), places),
                    None => self.approx().map(|v| v.to_string()).unwrap_or_default(),
                },
            },
        }
    }

    /// For a root known only by an interval: its polynomial in `var` and an
    /// enclosing interval with short decimal ends, in words:
    /// `the real root of x^5 - x - 1 in [1.1673, 1.1674]`.
    ///
    /// ```
    /// use kobai::{real_roots, Coordinate, Limits, UPoly, Symbol};
    /// let r = real_roots(&UPoly::from_i64(&[-1, -1, 0, 0, 0, 1]), &Limits::default()).unwrap();
    /// let c = Coordinate::Root(r[0].clone());
    /// assert_eq!(c.describe(Symbol::new("x")).unwrap(), "the real root of x^5 - x - 1 in [1.1673, 1.1674]");
    /// ```
    pub fn describe(&self, var: Symbol) -> Option<String> {
        let Coordinate::Root(RealRoot { value: RootValue::Interval(i), .. }) = self else { return None };
        let p = i.poly().to_expr(&Expr::sym(var));
        let (lo, hi) = i.refine(7);
        let (lo, hi) = (decimal_floor(&lo, 4), decimal_ceil(&hi, 4));
        let count = real_roots(i.poly(), &Limits::default()).map(|r| r.len()).unwrap_or(0);
        let article = if count == 1 { "the real root" } else { "a real root" };
        Some(format!("{article} of {p} in [{lo}, {hi}]"))
    }

    /// For a root known only by an interval: its polynomial in `var` and the
    /// exact isolating interval, as text (`["4781/4096", "2391/2048"]`).
    ///
    /// ```
    /// use kobai::{real_roots, Coordinate, Expr, Limits, UPoly, Symbol};
    /// let r = real_roots(&UPoly::from_i64(&[-1, -1, 0, 0, 0, 1]), &Limits::default()).unwrap();
    /// let (p, [lo, hi]) = Coordinate::Root(r[0].clone()).isolation(Symbol::new("x")).unwrap();
    /// assert_eq!(p, "x^5 - x - 1");
    /// assert!(kobai::Q::parse_decimal("1.1673039782614187").is_ok() && !lo.is_empty() && !hi.is_empty());
    /// ```
    pub fn isolation(&self, var: Symbol) -> Option<(String, [String; 2])> {
        let Coordinate::Root(RealRoot { value: RootValue::Interval(i), .. }) = self else { return None };
        let p = crate::print::text(&i.poly().to_expr(&Expr::sym(var)));
        Some((p, [i.lo().to_string(), i.hi().to_string()]))
    }
}

/// `q` rounded down to `places` decimal places, as a decimal string.
fn decimal_floor(q: &Q, places: u32) -> String {
    let scale = Q::from(10).pow(i64::from(places)).unwrap_or_else(Q::one);
    let scaled = q.mul(&scale);
    let floor = num_integer::Integer::div_floor(&scaled.numer(), &scaled.denom());
    Q::from(floor).div(&scale).and_then(|v| v.terminating_decimal()).unwrap_or_else(|| q.to_string())
}

/// `q` rounded up to `places` decimal places, as a decimal string.
fn decimal_ceil(q: &Q, places: u32) -> String {
    let scale = Q::from(10).pow(i64::from(places)).unwrap_or_else(Q::one);
    let scaled = q.mul(&scale);
    let ceil = num_integer::Integer::div_ceil(&scaled.numer(), &scaled.denom());
    Q::from(ceil).div(&scale).and_then(|v| v.terminating_decimal()).unwrap_or_else(|| q.to_string())
}

/// A rational within about `10^-digits` (relative) of a number built from
/// rationals and real radicals, for printing decimals of exact values.
fn rational_approximation(e: &Expr, digits: usize) -> Option<Q> {
    match e.node() {
        Node::Num(q) => Some(q.clone()),
        Node::Sym(_) | Node::Call(..) => None,
        Node::Sum { constant, terms } => terms
            .iter()
            .try_fold(constant.clone(), |acc, (t, c)| Some(acc.add(&c.mul(&rational_approximation(t, digits)?)))),
        Node::Product { coeff, factors } => {
            factors.iter().try_fold(coeff.clone(), |acc, (b, x)| Some(acc.mul(&power_approximation(b, x, digits)?)))
        }
        Node::Pow(b, x) => power_approximation(b, x, digits),
    }
}

fn power_approximation(b: &Expr, x: &Expr, digits: usize) -> Option<Q> {
    let x = x.as_num()?;
    let k = i64::try_from(x.numer()).ok()?;
    let q = usize::try_from(x.denom()).ok()?;
    let base = rational_approximation(b, digits)?;
    if q == 1 {
        return base.pow(k);
    }
    if base.is_negative() || q > 64 {
        return None;
    }
    let mut coeffs = vec![Q::zero(); q + 1];
    if let Some(first) = coeffs.first_mut() {
        *first = base.neg();
    }
    if let Some(last) = coeffs.last_mut() {
        *last = Q::one();
    }
    let roots = real_roots(&UPoly::new(coeffs), &Limits::default()).ok()?;
    let root = roots.last()?.value.midpoint(digits);
    root.pow(k)
}

/// Pads a decimal approximation with the zeros that rounding dropped, so
/// that it shows `places` digits after the point like the other roots.
fn pad_decimals(mut text: String, places: usize) -> String {
    let have = text.split_once('.').map_or(0, |(_, frac)| frac.len());
    if have < places {
        if have == 0 {
            text.push('.');
        }
        text.push_str(&"0".repeat(places - have));
    }
    text
}
