//! Acceptance tests for exact zero-gradient solving (issue 3): `kobai
//! minimize` and `kobai solve` as a user runs them (snapshots of the text
//! output, in the top-level `snapshots/` folder), the library's
//! `stationary_points` and `solve_equations` against independent exact
//! computations (normal equations, Sturm sequences, principal minors, all
//! written in `solve_support` with `Q` as a number type only), and property
//! tests over random polynomials and quadratic losses.

mod solve_support;

use std::collections::BTreeMap;
use std::time::Duration;

use kobai::{
    Coordinate, Expr, Kind, Limits, Point, Q, RootValue, Solutions, SolveOptions, StationaryReport, Symbol, Value,
    diff, expand, read, solve_equations, stationary_points, subs,
};
use proptest::prelude::*;
use solve_support::{M, P, Sign, kobai, kobai_within, q_text, transcript};

// ---------------------------------------------------------------------------
// Small helpers.

/// Runs `f` with snapshots going to `../snapshots` (relative to `tests/`),
/// like `tests/snapshots.rs`: the files are named `solve__<name>.snap`.
fn in_snapshot_folder(f: impl FnOnce()) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.bind(f);
}

#[track_caller]
fn p(text: &str) -> Expr {
    match read(text) {
        Ok(e) => e,
        Err(err) => panic!("{text:?}: {err}"),
    }
}

fn symbols(names: &[&str]) -> Vec<Symbol> {
    names.iter().map(|n| Symbol::new(n)).collect()
}

fn lim() -> Limits {
    Limits::default()
}

#[track_caller]
fn minimize(loss: &str, vars: &[&str]) -> StationaryReport {
    match stationary_points(&p(loss), &symbols(vars), &SolveOptions::default()) {
        Ok(r) => r,
        Err(err) => panic!("stationary_points({loss:?}): {err}"),
    }
}

#[track_caller]
fn solve(equations: &[&str], vars: &[&str]) -> Solutions {
    let eqs: Vec<Expr> = equations.iter().map(|e| p(e)).collect();
    match solve_equations(&eqs, &symbols(vars), &SolveOptions::default()) {
        Ok(s) => s,
        Err(err) => panic!("solve_equations({equations:?}): {err}"),
    }
}

/// True when `a - b` expands to exactly 0.
fn same_number(a: &Expr, b: &Expr) -> bool {
    expand(&Expr::sub(a, b), &lim()).is_ok_and(|d| d.is_zero())
}

/// `e` with `bindings` substituted and expanded.
fn at(e: &Expr, bindings: &[(Symbol, Expr)]) -> Expr {
    let substituted = subs(e, bindings).expect("substitution works");
    expand(&substituted, &lim()).expect("expansion works")
}

/// The exact values of a point, as bindings for `subs`.
fn bindings_of(point: &Point) -> Vec<(Symbol, Expr)> {
    point.values.iter().map(|(s, c)| (*s, c.exact().expect("an exact coordinate"))).collect()
}

fn rationals_of(point: &Point) -> Option<Vec<Q>> {
    point.values.iter().map(|(_, c)| c.rational()).collect()
}

fn kinds(r: &StationaryReport) -> Vec<&'static str> {
    r.points.iter().map(|s| s.kind.word()).collect()
}

// ---------------------------------------------------------------------------
// 1. Snapshots of what a user sees. Every number in them was checked by hand
//    and with SymPy; the asserted-value tests below check them again.

#[test]
fn snapshot_tutorial() {
    let t = transcript(&["minimize", "((w1*x1)-target)^2", "--wrt", "w1", "--at", "x1=2,target=5"]);
    in_snapshot_folder(|| insta::assert_snapshot!("tutorial", t));
}

#[test]
fn snapshot_tutorial_json() {
    let t = transcript(&["minimize", "((w1*x1)-target)^2", "--wrt", "w1", "--at", "x1=2,target=5", "--format", "json"]);
    in_snapshot_folder(|| insta::assert_snapshot!("tutorial_json", t));
}

#[test]
fn snapshot_tutorial_gradient() {
    let t = transcript(&["solve", "8*w1 - 20 = 0", "--for", "w1"]);
    in_snapshot_folder(|| insta::assert_snapshot!("tutorial_gradient", t));
}

#[test]
fn snapshot_least_squares_two_weights() {
    let t = transcript(&["minimize", "(w0 + w1*1 - 2)^2 + (w0 + w1*2 - 3)^2 + (w0 + w1*4 - 7)^2", "--wrt", "w0,w1"]);
    in_snapshot_folder(|| insta::assert_snapshot!("least_squares_two_weights", t));
}

#[test]
fn snapshot_singular_family() {
    let t =
        [transcript(&["minimize", "(x+y)^2", "--wrt", "x,y"]), transcript(&["solve", "x + y = 1", "2*x + 2*y = 2"])]
            .join("\n");
    in_snapshot_folder(|| insta::assert_snapshot!("singular_family", t));
}

#[test]
fn snapshot_inconsistent() {
    let t = transcript(&["solve", "x + y = 1", "x + y = 2"]);
    in_snapshot_folder(|| insta::assert_snapshot!("inconsistent", t));
}

#[test]
fn snapshot_cubic() {
    let t = transcript(&["minimize", "x^3/3 - x^2 - x", "--wrt", "x"]);
    in_snapshot_folder(|| insta::assert_snapshot!("cubic", t));
}

#[test]
fn snapshot_quintic() {
    let t = transcript(&["solve", "x^5 - x - 1", "--for", "x"]);
    in_snapshot_folder(|| insta::assert_snapshot!("quintic", t));
}

#[test]
fn snapshot_classification() {
    let cases: [&[&str]; 7] = [
        &["minimize", "x^2", "--wrt", "x"],
        &["minimize", "-x^2", "--wrt", "x"],
        &["minimize", "x^3", "--wrt", "x"],
        &["minimize", "x^4", "--wrt", "x"],
        &["minimize", "x^2 - y^2", "--wrt", "x,y"],
        &["minimize", "x^2 + y^2", "--wrt", "x,y"],
        &["minimize", "(x+y)^2", "--wrt", "x,y"],
    ];
    let t: Vec<String> = cases.iter().map(|args| transcript(args)).collect();
    in_snapshot_folder(|| insta::assert_snapshot!("classification", t.join("\n")));
}

// ---------------------------------------------------------------------------
// 2. The same cases as asserted values, through the library and the binary.

#[test]
fn tutorial_values() {
    let data = kobai::parse_bindings("x1=2, target=5", &lim()).unwrap();
    let loss = subs(&p("((w1*x1)-target)^2"), &data).unwrap();
    let r = stationary_points(&loss, &symbols(&["w1"]), &SolveOptions::default()).unwrap();
    assert_eq!(r.loss, p("4*w1^2 - 20*w1 + 25"));
    assert_eq!(r.gradient, vec![p("8*w1 - 20")]);
    assert_eq!(r.points.len(), 1);
    let best = &r.points[0];
    assert_eq!(rationals_of(&best.point), Some(vec![Q::new(5, 2)]));
    assert_eq!(best.kind, Kind::Minimum);
    assert_eq!(best.loss, Value::Exact(Expr::zero()));
    assert!(r.convex_quadratic && !r.unbounded_below && r.family.is_none());

    let Solutions::Finite(points) = solve(&["8*w1 - 20"], &["w1"]) else { panic!("a finite solution") };
    assert_eq!(points.len(), 1);
    assert_eq!(rationals_of(&points[0]), Some(vec![Q::new(5, 2)]));
}

#[test]
fn tutorial_json_values() {
    let run = kobai(&["minimize", "((w1*x1)-target)^2", "--wrt", "w1", "--at", "x1=2,target=5", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(v["status"], "unique");
    assert_eq!(v["points"].as_array().map(Vec::len), Some(1));
    assert_eq!(v["points"][0]["values"]["w1"], "5/2");
    assert_eq!(v["points"][0]["approx"]["w1"], 2.5);
    assert_eq!(v["points"][0]["kind"], "minimum");
    assert_eq!(v["points"][0]["loss"], "0");
    // Values are kobai-parseable strings.
    assert_eq!(p(v["points"][0]["values"]["w1"].as_str().unwrap()), Expr::num(Q::new(5, 2)));
}

#[test]
fn least_squares_two_weights_values() {
    // By hand: XᵀX = [[3, 7], [7, 21]], Xᵀy = [12, 36], so w = (0, 12/7), and
    // the residuals are (-2/7, 3/7, -1/7), whose squares add up to 2/7.
    let r = minimize("(w0 + w1*1 - 2)^2 + (w0 + w1*2 - 3)^2 + (w0 + w1*4 - 7)^2", &["w0", "w1"]);
    assert_eq!(r.points.len(), 1);
    let best = &r.points[0];
    assert_eq!(rationals_of(&best.point), Some(vec![Q::zero(), Q::new(12, 7)]));
    assert_eq!(best.kind, Kind::Minimum);
    assert_eq!(best.loss, Value::Exact(Expr::num(Q::new(2, 7))));
    assert!(r.convex_quadratic);
}

#[test]
fn cubic_values() {
    // f = x³/3 - x² - x, f' = x² - 2x - 1 = 0 at x = 1 ± √2, f'' = 2x - 2 = ±2√2.
    // f(1 ± √2) = -5/3 ∓ 4√2/3 (SymPy).
    let r = minimize("x^3/3 - x^2 - x", &["x"]);
    assert_eq!(kinds(&r), ["maximum", "minimum"]);
    let expected = [("1 - sqrt(2)", "4*sqrt(2)/3 - 5/3"), ("1 + sqrt(2)", "-4*sqrt(2)/3 - 5/3")];
    for (s, (x, loss)) in r.points.iter().zip(expected) {
        let value = s.point.values[0].1.exact().expect("a radical");
        assert!(same_number(&value, &p(x)), "x = {value}, expected {x}");
        let Value::Exact(l) = &s.loss else { panic!("an exact loss at {x}") };
        assert!(same_number(l, &p(loss)), "loss {l}, expected {loss}");
        assert!(at(&r.gradient[0], &bindings_of(&s.point)).is_zero());
    }
    assert!(!r.convex_quadratic && r.unbounded_below);
}

#[test]
fn quintic_values() {
    // x⁵ - x - 1 has one real root (Sturm), ≈ 1.16730397826141868425 (SymPy).
    let poly: P = [-1, -1, 0, 0, 0, 1].iter().map(|&c| Q::from(c)).collect();
    assert_eq!(solve_support::count_real_roots(&poly), 1);
    let Solutions::Finite(points) = solve(&["x^5 - x - 1"], &["x"]) else { panic!("finite") };
    assert_eq!(points.len(), 1);
    let c = &points[0].values[0].1;
    let Coordinate::Root(root) = c else { panic!("an interval root, not {c:?}") };
    let RootValue::Interval(i) = &root.value else { panic!("an interval root") };
    assert!(solve_support::sign_at(&poly, i.lo()) < 0 && solve_support::sign_at(&poly, i.hi()) > 0);
    // The 16 decimals shown are correctly rounded: the root lies strictly
    // between ...18650 and ...18750.
    let lo = Q::parse_decimal("1.16730397826141865").unwrap();
    let hi = Q::parse_decimal("1.16730397826141875").unwrap();
    assert!(solve_support::sign_at(&poly, &lo) < 0 && solve_support::sign_at(&poly, &hi) > 0);
    assert_eq!(c.decimal(16), "1.1673039782614187");
    // 1.16730397826141868425604589985484… (SymPy), rounded to 30 places.
    assert_eq!(c.decimal(30), "1.167303978261418684256045899855");
    let run = kobai(&["solve", "x^5 - x - 1", "--for", "x"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout.trim_end(), "x ≈ 1.1673039782614187   (the real root of x^5 - x - 1 in [1.1673, 1.1674])");
}

#[test]
fn classification_values() {
    let cases: [(&str, &[&str], Kind); 6] = [
        ("x^2", &["x"], Kind::Minimum),
        ("-x^2", &["x"], Kind::Maximum),
        ("x^3", &["x"], Kind::Inflection),
        ("x^4", &["x"], Kind::Minimum),
        ("x^2 - y^2", &["x", "y"], Kind::Saddle),
        ("x^2 + y^2", &["x", "y"], Kind::Minimum),
    ];
    for (loss, vars, kind) in cases {
        let r = minimize(loss, vars);
        assert_eq!(r.points.len(), 1, "{loss}");
        let s = &r.points[0];
        assert!(s.point.values.iter().all(|(_, c)| c.rational() == Some(Q::zero())), "{loss}: {:?}", s.point);
        assert_eq!(s.kind, kind, "{loss}: {}", s.reason);
        assert_eq!(s.loss, Value::Exact(Expr::zero()), "{loss}");
    }
    // x⁴ is decided by the fourth derivative, 24 > 0, not by the second.
    assert!(minimize("x^4", &["x"]).points[0].reason.contains("order 4"));
    // More of the higher-derivative test.
    assert_eq!(kinds(&minimize("-x^4", &["x"])), ["maximum"]);
    assert_eq!(kinds(&minimize("x^5", &["x"])), ["inflection"]);
    assert_eq!(kinds(&minimize("x^6 + 1", &["x"])), ["minimum"]);
    assert_eq!(kinds(&minimize("x^4 - 2*x^2", &["x"])), ["minimum", "maximum", "minimum"]);

    // (x + y)² is smallest on the whole line x = -y.
    let r = minimize("(x+y)^2", &["x", "y"]);
    assert!(r.points.is_empty());
    let Some((Solutions::Family { free, values }, kind, _)) = &r.family else { panic!("a family") };
    assert_eq!(free.len(), 1);
    assert_eq!(kind.word(), "degenerate");
    assert!(r.convex_quadratic);
    for t in [Q::zero(), Q::from(3), Q::new(-5, 2)] {
        let point: Vec<(Symbol, Expr)> =
            values.iter().map(|(v, e)| (*v, at(e, &[(free[0], Expr::num(t.clone()))]))).collect();
        let x = point[0].1.as_num().unwrap().clone();
        let y = point[1].1.as_num().unwrap().clone();
        assert!(x.add(&y).is_zero(), "({x}, {y}) is on x + y = 0");
    }
}

#[test]
fn nonlinear_gradients_in_two_variables() {
    // x³ - 3xy + y³: y = x², then x⁴ = x; the real solutions are (0, 0), a
    // saddle (Hessian [[0, -3], [-3, 0]]), and (1, 1), a minimum ([[6, -3], [-3, 6]]).
    let r = minimize("x^3 - 3*x*y + y^3", &["x", "y"]);
    assert_eq!(kinds(&r), ["saddle", "minimum"]);
    assert_eq!(rationals_of(&r.points[0].point), Some(vec![Q::zero(), Q::zero()]));
    assert_eq!(rationals_of(&r.points[1].point), Some(vec![Q::one(), Q::one()]));
    assert_eq!(r.points[1].loss, Value::Exact(Expr::int(-1)));

    // x³/3 - 2x + y² + xy: y = -x/2 and x² - x/2 - 2 = 0, so x = (1 ± √33)/4.
    // The Hessian [[2x, 1], [1, 2]] has determinant 4x - 1: negative at the
    // smaller root (a saddle), positive with 2x > 0 at the larger (a minimum).
    // Losses -49/96 ± 11·√33/32 (SymPy).
    let r = minimize("x^3/3 - 2*x + y^2 + x*y", &["x", "y"]);
    assert_eq!(kinds(&r), ["saddle", "minimum"]);
    let expected = [
        ("(1 - sqrt(33))/4", "(sqrt(33) - 1)/8", "11*sqrt(33)/32 - 49/96"),
        ("(1 + sqrt(33))/4", "-(sqrt(33) + 1)/8", "-11*sqrt(33)/32 - 49/96"),
    ];
    for (s, (x, y, loss)) in r.points.iter().zip(expected) {
        let b = bindings_of(&s.point);
        assert!(same_number(&b[0].1, &p(x)) && same_number(&b[1].1, &p(y)), "{:?}", s.point);
        let Value::Exact(l) = &s.loss else { panic!("an exact loss") };
        assert!(same_number(l, &p(loss)), "loss {l}, expected {loss}");
        for g in &r.gradient {
            assert!(at(g, &b).is_zero(), "{g} vanishes at {:?}", s.point);
        }
    }

    // Where the stationary points are not isolated and the gradient is not
    // linear, kobai refuses rather than answering in part.
    let err = stationary_points(&p("x^2*y^2"), &symbols(&["x", "y"]), &SolveOptions::default()).unwrap_err();
    assert!(matches!(err, kobai::Error::Unsupported { .. }), "{err}");
}

#[test]
fn singular_and_inconsistent_linear_systems() {
    // x + y = 1 and 2x + 2y = 2 are the same line.
    let Solutions::Family { free, values } = solve(&["x + y - 1", "2*x + 2*y - 2"], &["x", "y"]) else {
        panic!("a family")
    };
    assert_eq!(free.len(), 1);
    let point: Vec<Q> =
        values.iter().map(|(_, e)| at(e, &[(free[0], Expr::int(7))]).as_num().unwrap().clone()).collect();
    assert_eq!(point[0].add(&point[1]), Q::one());

    // x + y = 1 and x + y = 2 contradict each other.
    assert_eq!(solve(&["x + y - 1", "x + y - 2"], &["x", "y"]), Solutions::Finite(Vec::new()));
    assert_eq!(
        solve(&["x + y + z - 1", "x - y", "2*x + z - 3"], &["x", "y", "z"]),
        Solutions::Finite(Vec::new()),
        "x = y makes the first equation 2x + z = 1, against 2x + z = 3"
    );
    for args in [&["solve", "x + y = 1", "x + y = 2"][..], &["solve", "x + y + z = 1", "x - y = 0", "2*x + z = 3"][..]]
    {
        let run = kobai(args);
        assert_eq!((run.code, run.stdout.as_str()), (1, "no solution\n"), "{args:?}");
    }
    // The options go first: after several equations they are misread (see
    // `options_after_several_equations_are_options`).
    let run = kobai(&["solve", "--format", "json", "x + y = 1", "x + y = 2"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(v["status"], "none");
}

// ---------------------------------------------------------------------------
// Least squares of a linear model, against the normal equations XᵀX·w = Xᵀy
// formed and solved here.

struct Data {
    /// One row per observation, one column per weight.
    x: M,
    y: Vec<Q>,
}

impl Data {
    fn random(weights: usize, rows: usize, seed: u64) -> Data {
        let mut rng = solve_support::Lcg::new(seed);
        let x = (0..rows).map(|_| (0..weights).map(|_| rng.rational()).collect()).collect();
        let y = (0..rows).map(|_| rng.rational()).collect();
        Data { x, y }
    }

    fn weights(&self) -> usize {
        self.x.first().map_or(0, Vec::len)
    }

    fn names(&self) -> Vec<String> {
        (0..self.weights()).map(|j| format!("w{j}")).collect()
    }

    /// `(w0*x00 + w1*x01 + … - y0)^2 + …` as text.
    fn loss_text(&self) -> String {
        let rows: Vec<String> = self
            .x
            .iter()
            .zip(&self.y)
            .map(|(row, y)| {
                let terms: Vec<String> = row.iter().enumerate().map(|(j, x)| format!("w{j}*{}", q_text(x))).collect();
                format!("({} - {})^2", terms.join(" + "), q_text(y))
            })
            .collect();
        rows.join(" + ")
    }

    /// `XᵀX` and `Xᵀy`.
    fn normal_equations(&self) -> (M, Vec<Q>) {
        let n = self.weights();
        let mut a = vec![vec![Q::zero(); n]; n];
        let mut b = vec![Q::zero(); n];
        for (row, y) in self.x.iter().zip(&self.y) {
            for i in 0..n {
                for j in 0..n {
                    a[i][j] = a[i][j].add(&row[i].mul(&row[j]));
                }
                b[i] = b[i].add(&row[i].mul(y));
            }
        }
        (a, b)
    }

    /// `Σ (x_i·w - y_i)²`.
    fn loss_at(&self, w: &[Q]) -> Q {
        self.x.iter().zip(&self.y).fold(Q::zero(), |acc, (row, y)| {
            let r = row.iter().zip(w).fold(Q::zero(), |s, (x, w)| s.add(&x.mul(w))).sub(y);
            acc.add(&r.mul(&r))
        })
    }
}

fn least_squares_report(data: &Data) -> StationaryReport {
    let names = data.names();
    let vars: Vec<Symbol> = names.iter().map(|n| Symbol::new(n)).collect();
    let loss = p(&data.loss_text());
    stationary_points(&loss, &vars, &SolveOptions::default()).expect("a linear least-squares loss is solved")
}

#[test]
fn least_squares_one_to_ten_weights() {
    for n in 1..=10 {
        let data = Data::random(n, n + 3, 1000 + n as u64);
        assert_eq!(solve_support::rank(&data.x), n, "the design matrix for {n} weights has full column rank");
        let (a, b) = data.normal_equations();
        let expected = solve_support::solve_unique(&a, &b).expect("XᵀX is invertible");
        let r = least_squares_report(&data);
        assert!(r.family.is_none(), "{n} weights: a unique minimum");
        assert_eq!(r.points.len(), 1, "{n} weights");
        let best = &r.points[0];
        let w = rationals_of(&best.point).expect("rational weights");
        assert_eq!(solve_support::mat_vec(&a, &w), b, "{n} weights: XᵀX·w = Xᵀy");
        assert_eq!(w, expected, "{n} weights");
        assert_eq!(best.kind, Kind::Minimum, "{n} weights: {}", best.reason);
        assert!(r.convex_quadratic && !r.unbounded_below, "{n} weights");
        assert_eq!(best.loss, Value::Exact(Expr::num(data.loss_at(&w))), "{n} weights");
        assert_eq!(r.gradient.len(), n);
        for g in &r.gradient {
            assert!(at(g, &bindings_of(&best.point)).is_zero(), "{n} weights: {g} vanishes at the minimum");
        }
    }
}

#[test]
fn least_squares_with_a_duplicate_column_is_a_family() {
    let mut data = Data::random(3, 6, 77);
    for row in &mut data.x {
        row[1] = row[0].clone();
    }
    assert_eq!(solve_support::rank(&data.x), 2);
    // The smallest loss, from the model without the duplicate column.
    let reduced = Data { x: data.x.iter().map(|r| vec![r[0].clone(), r[2].clone()]).collect(), y: data.y.clone() };
    let (ra, rb) = reduced.normal_equations();
    let w = solve_support::solve_unique(&ra, &rb).expect("the reduced model has a unique minimum");
    let smallest = reduced.loss_at(&w);

    let r = least_squares_report(&data);
    assert!(r.points.is_empty());
    let Some((Solutions::Family { free, values }, kind, reason)) = &r.family else { panic!("a family") };
    assert_eq!(free.len(), 1);
    assert_eq!(kind.word(), "degenerate");
    assert!(reason.contains("global minimum"), "{reason}");
    assert!(r.convex_quadratic);
    let (a, b) = data.normal_equations();
    for t in [Q::zero(), Q::one(), Q::new(-7, 3)] {
        let point: Vec<Q> =
            values.iter().map(|(_, e)| at(e, &[(free[0], Expr::num(t.clone()))]).as_num().unwrap().clone()).collect();
        assert_eq!(solve_support::mat_vec(&a, &point), b, "the family point {point:?} solves the normal equations");
        assert_eq!(data.loss_at(&point), smallest);
    }
    let names = data.names().join(",");
    let run = kobai(&["minimize", &data.loss_text(), "--wrt", &names]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("is free"), "{}", run.stdout);
}

// ---------------------------------------------------------------------------
// Bugs and gaps found while writing these tests. Each test states what the
// issue asks for; see the report for the input, the expected and the actual
// output.

#[test]
fn multiplicity_of_an_equation_written_as_a_product() {
    // Expanded, x^4 - 3x^3 + 3x^2 - x = x(x - 1)^3 reports the multiplicity 3.
    let Solutions::Finite(points) = solve(&["x^4 - 3*x^3 + 3*x^2 - x"], &["x"]) else { panic!("finite") };
    assert_eq!(points.iter().map(|p| p.multiplicity).collect::<Vec<_>>(), [1, 3]);
    // Written as a power or a product, the same roots must have the same
    // multiplicities.
    // A root shared by two factors counts once per factor.
    for (equation, expected) in
        [("x^3", vec![3]), ("(x-1)^3*(x+2)", vec![1, 3]), ("(x^2-2)^2", vec![2, 2]), ("(x-1)*(x^2-1)", vec![1, 2])]
    {
        let Solutions::Finite(points) = solve(&[equation], &["x"]) else { panic!("finite") };
        assert_eq!(
            points.iter().map(|p| p.multiplicity).collect::<Vec<_>>(),
            expected,
            "multiplicities of {equation} = 0"
        );
    }
    let run = kobai(&["solve", "(x-1)^3*(x+2)", "--for", "x"]);
    assert_eq!(run.stdout, "x = -2\nx = 1   (multiplicity 3)\n");
}

#[test]
fn options_after_several_equations_are_options() {
    let run = kobai(&["solve", "x + y = 3", "x - y = 1", "--for", "x,y"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "x = 2, y = 1\n"), "{}", run.stderr);
    let run = kobai(&["solve", "x + y = 3", "x - y = 1", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_default();
    assert_eq!(v["points"][0]["values"], serde_json::json!({"x": "2", "y": "1"}), "{}", run.stdout);
}

#[test]
fn minimize_does_not_ignore_extra_formulas() {
    // `minimize` takes one loss; a second formula must not be dropped silently.
    let run = kobai(&["minimize", "x^2", "y^2"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
}

#[test]
fn a_convex_quadratic_without_stationary_points_is_unbounded_below() {
    // (x + y)² + x: on x + y = 0 the loss is x, so it has no lower bound.
    let r = minimize("(x+y)^2 + x", &["x", "y"]);
    assert!(r.points.is_empty() && r.family.is_none());
    assert!(
        r.unbounded_below,
        "StationaryReport::unbounded_below is documented as set when the loss is unbounded below"
    );
}

// ---------------------------------------------------------------------------
// 3. Properties.

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig { cases, failure_persistence: None, max_shrink_iters: 500, ..ProptestConfig::default() }
}

/// A small rational, 0 (the root that leaves no constant term) often.
fn small_rational() -> impl Strategy<Value = Q> {
    prop_oneof![Just(Q::zero()), (-6i64..=6, 1i64..=4).prop_map(|(n, d)| Q::new(n, d))]
}

fn coefficient() -> impl Strategy<Value = Q> {
    (-3i64..=3, 1i64..=3).prop_map(|(n, d)| Q::new(n, d))
}

fn nonzero_rational() -> impl Strategy<Value = Q> {
    (1i64..=5, 1i64..=3, any::<bool>()).prop_map(|(n, d, neg)| Q::new(if neg { -n } else { n }, d))
}

/// `c·∏(x - r)^m` as text, factored.
fn factored_text(c: &Q, roots: &BTreeMap<Q, u32>) -> String {
    let factors: Vec<String> = roots.iter().map(|(r, m)| format!("(x - {})^{m}", q_text(r))).collect();
    format!("{}*{}", q_text(c), factors.join("*"))
}

/// `c·∏(x - r)^m`, multiplied out here.
fn expanded(c: &Q, roots: &BTreeMap<Q, u32>) -> P {
    roots
        .iter()
        .fold(vec![c.clone()], |acc, (r, m)| solve_support::mul(&acc, &solve_support::pow(&[r.neg(), Q::one()], *m)))
}

fn check_rational_roots(text: &str, roots: &BTreeMap<Q, u32>) -> Result<(), TestCaseError> {
    let eq = read(text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
    let s = solve_equations(&[eq], &symbols(&["x"]), &SolveOptions::default())
        .map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
    let Solutions::Finite(points) = s else { return Err(TestCaseError::fail(format!("{text}: not finite"))) };
    let found: Vec<(Option<Q>, u32)> = points.iter().map(|p| (p.values[0].1.rational(), p.multiplicity)).collect();
    let expected: Vec<(Option<Q>, u32)> = roots.iter().map(|(r, m)| (Some(r.clone()), *m)).collect();
    prop_assert_eq!(found, expected, "roots of {} = 0", text);
    Ok(())
}

proptest! {
    #![proptest_config(config(512))]

    /// (a) All the rational roots of a product of linear factors, exactly,
    /// with their multiplicities, whether the product is multiplied out or not.
    #[test]
    fn rational_roots_with_multiplicities_expanded(
        c in nonzero_rational(),
        roots in prop::collection::btree_map(small_rational(), 1u32..=3, 1..=4),
    ) {
        check_rational_roots(&solve_support::text(&expanded(&c, &roots), "x"), &roots)?;
    }

    #[test]
    fn rational_roots_with_multiplicities_factored(
        c in nonzero_rational(),
        roots in prop::collection::btree_map(small_rational(), 1u32..=3, 1..=4),
    ) {
        check_rational_roots(&factored_text(&c, &roots), &roots)?;
    }
}

/// Random integer polynomials of degree 1 to 6: sparse and dense ones, and products of
/// small factors (so that repeated, rational and quadratic roots occur).
fn integer_poly() -> impl Strategy<Value = P> {
    // About half the coefficients are zero: sparse polynomials such as
    // x^5 - x - 1 and monomials such as 3x^4 are cases of their own.
    let sparse_coefficient = prop_oneof![Just(0i64), -9i64..=9];
    let dense =
        (prop::collection::vec(sparse_coefficient, 1..=6), 1i64..=4, any::<bool>()).prop_map(|(mut c, lead, neg)| {
            c.push(if neg { -lead } else { lead });
            c.into_iter().map(Q::from).collect::<P>()
        });
    // A small factor, raised to a small power.
    let factor = (prop::collection::vec(-4i64..=4, 1..=3), 1i64..=3, 1u32..=3).prop_map(|(mut c, lead, power)| {
        c.push(lead);
        solve_support::pow(&c.into_iter().map(Q::from).collect::<P>(), power)
    });
    let product = prop::collection::vec(factor, 1..=4).prop_map(|fs| {
        let mut out: P = vec![Q::one()];
        for f in fs {
            if solve_support::degree(&out).unwrap_or(0) + solve_support::degree(&f).unwrap_or(0) <= 6 {
                out = solve_support::mul(&out, &f);
            }
        }
        out
    });
    prop_oneof![dense, product].prop_filter("degree at least 1", |p| solve_support::degree(p).unwrap_or(0) >= 1)
}

/// Checks the roots reported for `poly = 0` against the oracles, and returns
/// for each root its reported multiplicity and the oracle's.
fn check_integer_poly(poly: &P) -> Result<Vec<(u32, u32)>, TestCaseError> {
    let text = solve_support::text(poly, "x");
    let x = Symbol::new("x");
    let e = read(&text).map_err(|err| TestCaseError::fail(format!("{text}: {err}")))?;
    let s = solve_equations(std::slice::from_ref(&e), &[x], &SolveOptions::default())
        .map_err(|err| TestCaseError::fail(format!("{text}: {err}")))?;
    let Solutions::Finite(points) = s else { return Err(TestCaseError::fail(format!("{text}: not finite"))) };
    let mut rationals: Vec<Q> = Vec::new();
    let mut quadratics: Vec<(Q, Q, Q, i32)> = Vec::new();
    let mut minimal_polys: Vec<P> = Vec::new();
    let mut intervals: Vec<(Q, Q)> = Vec::new();
    let mut multiplicities: Vec<(u32, u32)> = Vec::new();
    for point in &points {
        prop_assert_eq!(point.values.len(), 1);
        let c = &point.values[0].1;
        match c {
            Coordinate::Exact(value) => {
                prop_assert!(at(&e, &[(x, value.clone())]).is_zero(), "{} is not a root of {}", value, text);
                let r = c.rational().ok_or_else(|| TestCaseError::fail(format!("{value} is not rational")))?;
                multiplicities.push((point.multiplicity, solve_support::multiplicity_at(poly, &r)));
                rationals.push(r);
            }
            Coordinate::Root(root) => match &root.value {
                RootValue::Rational(r) => {
                    prop_assert_eq!(solve_support::eval(poly, r), Q::zero());
                    multiplicities.push((point.multiplicity, solve_support::multiplicity_at(poly, r)));
                    rationals.push(r.clone());
                }
                RootValue::Quadratic(q) => {
                    let value = c.exact().ok_or_else(|| TestCaseError::fail("a radical with no expression"))?;
                    prop_assert!(at(&e, &[(x, value.clone())]).is_zero(), "{} is not a root of {}", value, text);
                    // Its minimal polynomial x² - 2a·x + a² - b²c, formed here.
                    let (a, b, cc) = (q.a(), q.b(), q.c());
                    let minimal = vec![a.mul(&a).sub(&b.mul(&b).mul(&cc)), a.mul(&Q::from(-2)), Q::one()];
                    multiplicities.push((point.multiplicity, solve_support::divisibility(poly, &minimal)));
                    quadratics.push((a, b, cc, q.sign()));
                    minimal_polys.push(minimal);
                }
                RootValue::Interval(i) => {
                    let (lo, hi) = (i.lo().clone(), i.hi().clone());
                    prop_assert!(lo < hi);
                    // Exactly one root of the polynomial, and a sign change of its
                    // square-free part, in (lo, hi); none at the ends.
                    prop_assert!(solve_support::sign_at(poly, &lo) != 0 && solve_support::sign_at(poly, &hi) != 0);
                    prop_assert_eq!(
                        solve_support::sturm_count(poly, &lo, &hi),
                        1,
                        "roots of {} in ({}, {})",
                        text,
                        lo,
                        hi
                    );
                    let square_free =
                        solve_support::div_rem(poly, &solve_support::gcd(poly, &solve_support::derivative(poly))).0;
                    prop_assert_eq!(
                        solve_support::sign_at(&square_free, &lo),
                        -solve_support::sign_at(&square_free, &hi)
                    );
                    multiplicities.push((point.multiplicity, solve_support::multiplicity_in(poly, &lo, &hi)));
                    intervals.push((lo, hi));
                }
            },
        }
    }
    // The reported roots are pairwise distinct...
    let mut distinct_rationals = rationals.clone();
    distinct_rationals.sort();
    distinct_rationals.dedup();
    prop_assert_eq!(distinct_rationals.len(), rationals.len(), "a rational root repeated for {}", text);
    let mut distinct_quadratics = quadratics.clone();
    distinct_quadratics.sort();
    distinct_quadratics.dedup();
    prop_assert_eq!(distinct_quadratics.len(), quadratics.len(), "a radical root repeated for {}", text);
    for (k, (lo, hi)) in intervals.iter().enumerate() {
        for (lo2, hi2) in intervals.iter().skip(k + 1) {
            prop_assert!(hi <= lo2 || hi2 <= lo, "overlapping intervals ({}, {}) and ({}, {})", lo, hi, lo2, hi2);
        }
        for r in &rationals {
            prop_assert!(!(lo < r && r < hi), "the rational root {} lies in the interval ({}, {})", r, lo, hi);
        }
        for m in &minimal_polys {
            prop_assert_eq!(solve_support::sturm_count(m, lo, hi), 0, "a radical root lies in ({}, {})", lo, hi);
        }
    }
    // ...and as many as Sturm counts: they cover every real root.
    prop_assert_eq!(points.len(), solve_support::count_real_roots(poly), "number of real roots of {}", text);
    // Sorted ascending.
    let approx: Vec<f64> = points.iter().map(|p| p.values[0].1.approx().unwrap_or(f64::NAN)).collect();
    prop_assert!(approx.windows(2).all(|w| w[0] < w[1]), "roots of {} not in order: {:?}", text, approx);
    Ok(multiplicities)
}

proptest! {
    #![proptest_config(config(1000))]

    /// (b) Every reported root of a random integer polynomial is a root
    /// (exactly, or by a sign change over its isolating interval, which holds
    /// exactly one root), and together they are all the real roots, as
    /// counted by Sturm's theorem.
    #[test]
    fn real_roots_of_integer_polynomials(poly in integer_poly()) {
        check_integer_poly(&poly)?;
    }

    /// ...and each has the multiplicity the oracle finds: the order of
    /// vanishing of a rational root, the power of the minimal polynomial of
    /// a radical one, the depth of the gcd chain `p, p', p''…` that keeps a
    /// root in an isolating interval.
    #[test]
    fn multiplicities_of_integer_polynomial_roots(poly in integer_poly()) {
        let m = check_integer_poly(&poly)?;
        let (reported, oracle): (Vec<u32>, Vec<u32>) = m.into_iter().unzip();
        prop_assert_eq!(reported, oracle, "multiplicities of the roots of {} = 0", solve_support::text(&poly, "x"));
    }
}

/// A quadratic loss `Σ a_ij·x_i·x_j (i ≤ j) + Σ b_i·x_i + c`.
#[derive(Debug, Clone)]
struct Quadratic {
    /// `a[i][j]` for `i ≤ j`; the entries below the diagonal are unused.
    a: M,
    b: Vec<Q>,
    c: Q,
}

const VARS: [&str; 3] = ["x", "y", "z"];

impl Quadratic {
    fn n(&self) -> usize {
        self.b.len()
    }

    fn text(&self) -> String {
        let vars = &VARS[..self.n()];
        let mut terms = Vec::new();
        for (i, vi) in vars.iter().enumerate() {
            for (j, vj) in vars.iter().enumerate().skip(i) {
                terms.push(format!("{}*{vi}*{vj}", q_text(&self.a[i][j])));
            }
        }
        for (b, v) in self.b.iter().zip(vars) {
            terms.push(format!("{}*{v}", q_text(b)));
        }
        terms.push(q_text(&self.c));
        terms.join(" + ")
    }

    /// The Hessian: `2·a_ii` on the diagonal, `a_ij` off it.
    fn hessian(&self) -> M {
        let n = self.n();
        (0..n)
            .map(|i| {
                (0..n)
                    .map(|j| match i.cmp(&j) {
                        std::cmp::Ordering::Equal => self.a[i][i].mul(&Q::from(2)),
                        std::cmp::Ordering::Less => self.a[i][j].clone(),
                        std::cmp::Ordering::Greater => self.a[j][i].clone(),
                    })
                    .collect()
            })
            .collect()
    }

    fn eval(&self, x: &[Q]) -> Q {
        let n = self.n();
        let mut v = self.c.clone();
        for i in 0..n {
            v = v.add(&self.b[i].mul(&x[i]));
            for j in i..n {
                v = v.add(&self.a[i][j].mul(&x[i]).mul(&x[j]));
            }
        }
        v
    }
}

/// A quadratic with random coefficients, many of them zero.
fn dense_quadratic(n: usize) -> impl Strategy<Value = Quadratic> {
    (
        prop::collection::vec(prop::collection::vec(coefficient(), n), n),
        prop::collection::vec(coefficient(), n),
        coefficient(),
    )
        .prop_map(|(a, b, c)| Quadratic { a, b, c })
}

/// `Σ s_k·(l_k·x + d_k)² + t·(e·x)` with `s_k = ±1` (mostly +1): with
/// fewer squares than variables the Hessian is singular, and the gradient
/// system is consistent (a family) when `t = 0` and usually inconsistent
/// otherwise; with more, it is often definite.
fn sum_of_squares(n: usize) -> impl Strategy<Value = Quadratic> {
    let square = (prop::collection::vec(-2i64..=2, n), -3i64..=3, prop::bool::weighted(0.25));
    (prop::collection::vec(square, 1..=n + 1), prop::collection::vec(-2i64..=2, n), prop_oneof![Just(0i64), -2i64..=2])
        .prop_map(move |(squares, e, t)| {
            let mut a = vec![vec![Q::zero(); n]; n];
            let mut b = vec![Q::zero(); n];
            let mut c = Q::zero();
            for (l, d, negative) in squares {
                let s = Q::from(if negative { -1 } else { 1 });
                let (l, d): (Vec<Q>, Q) = (l.into_iter().map(Q::from).collect(), Q::from(d));
                for i in 0..n {
                    a[i][i] = a[i][i].add(&s.mul(&l[i]).mul(&l[i]));
                    for j in i + 1..n {
                        a[i][j] = a[i][j].add(&s.mul(&Q::from(2)).mul(&l[i]).mul(&l[j]));
                    }
                    b[i] = b[i].add(&s.mul(&Q::from(2)).mul(&d).mul(&l[i]));
                }
                c = c.add(&s.mul(&d).mul(&d));
            }
            for i in 0..n {
                b[i] = b[i].add(&Q::from(t * e[i]));
            }
            Quadratic { a, b, c }
        })
}

fn quadratic() -> impl Strategy<Value = Quadratic> {
    (2usize..=3).prop_flat_map(|n| prop_oneof![dense_quadratic(n), sum_of_squares(n)])
}

fn check_quadratic(q: &Quadratic) -> Result<(), TestCaseError> {
    let text = q.text();
    let n = q.n();
    let vars = symbols(&VARS[..n]);
    let loss = read(&text).map_err(|err| TestCaseError::fail(format!("{text}: {err}")))?;
    let r = stationary_points(&loss, &vars, &SolveOptions::default())
        .map_err(|err| TestCaseError::fail(format!("{text}: {err}")))?;
    // The exact gradient, from kobai's own differentiation.
    let gradient: Vec<Expr> = vars.iter().map(|v| diff(&loss, *v)).collect();
    let vanishes = |point: &[Q]| {
        let b: Vec<(Symbol, Expr)> = vars.iter().zip(point).map(|(v, x)| (*v, Expr::num(x.clone()))).collect();
        gradient.iter().all(|g| at(g, &b).is_zero())
    };
    let h = q.hessian();
    let minus_b: Vec<Q> = q.b.iter().map(Q::neg).collect();
    let sign = solve_support::definiteness(&h);
    prop_assert_eq!(
        r.convex_quadratic,
        matches!(sign, Sign::PositiveDefinite | Sign::PositiveSemidefinite | Sign::Zero),
        "convexity of {} ({:?})",
        text,
        sign
    );
    match solve_support::solve_unique(&h, &minus_b) {
        Some(w) => {
            prop_assert!(r.family.is_none(), "{}: a unique point, not a family", text);
            prop_assert_eq!(r.points.len(), 1, "{}", text);
            let s = &r.points[0];
            let got = rationals_of(&s.point).ok_or_else(|| TestCaseError::fail(format!("{text}: irrational point")))?;
            prop_assert_eq!(&got, &w, "{}", text);
            prop_assert!(vanishes(&got), "{}: the gradient is not zero at {:?}", text, got);
            let expected = match sign {
                Sign::PositiveDefinite => Kind::Minimum,
                Sign::NegativeDefinite => Kind::Maximum,
                _ => Kind::Saddle,
            };
            prop_assert_eq!(&s.kind, &expected, "{}: Hessian {:?} ({})", text, sign, s.reason);
            prop_assert_eq!(&s.loss, &Value::Exact(Expr::num(q.eval(&w))), "{}", text);
            prop_assert_eq!(r.unbounded_below, sign != Sign::PositiveDefinite, "{}", text);
        }
        None if solve_support::rank(&h) == solve_support::rank(&solve_support::augment(&h, &minus_b)) => {
            prop_assert!(r.points.is_empty(), "{}: a family, not points", text);
            let Some((Solutions::Family { free, values }, kind, reason)) = &r.family else {
                return Err(TestCaseError::fail(format!("{text}: no family reported")));
            };
            prop_assert_eq!(free.len(), n - solve_support::rank(&h), "{}", text);
            prop_assert_eq!(kind.word(), "degenerate");
            if sign == Sign::PositiveSemidefinite {
                prop_assert!(reason.contains("global minimum"), "{}: {}", text, reason);
            }
            for t in [Q::zero(), Q::one(), Q::new(-5, 3)] {
                let choice: Vec<(Symbol, Expr)> = free.iter().map(|f| (*f, Expr::num(t.clone()))).collect();
                let point: Option<Vec<Q>> = values.iter().map(|(_, e)| at(e, &choice).as_num().cloned()).collect();
                let point =
                    point.ok_or_else(|| TestCaseError::fail(format!("{text}: a family value is not affine")))?;
                prop_assert_eq!(solve_support::mat_vec(&h, &point), minus_b.clone(), "{}: {:?}", text, point);
                prop_assert!(vanishes(&point), "{}: the gradient is not zero at {:?}", text, point);
            }
        }
        None => {
            prop_assert!(r.points.is_empty() && r.family.is_none(), "{}: the gradient is never zero", text);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(1000))]

    /// (c) Random quadratic losses in 2 and 3 variables: every stationary
    /// point makes the exact gradient zero, and its kind agrees with the
    /// signs of the Hessian's principal minors, computed here.
    #[test]
    fn quadratic_losses(q in quadratic()) {
        check_quadratic(&q)?;
    }
}

/// A polynomial of total degree ≤ 4 in x (and y), small integer coefficients.
fn small_polynomial_loss() -> impl Strategy<Value = String> {
    let term = (0u32..=4, 0u32..=4, -3i64..=3).prop_filter("degree ≤ 4", |(i, j, _)| i + j <= 4);
    (prop::collection::vec(term, 1..=5), any::<bool>()).prop_map(|(terms, two)| {
        let shown: Vec<String> = terms
            .iter()
            .map(|&(i, j, c)| if two { format!("({c})*x^{i}*y^{j}") } else { format!("({c})*x^{}", i + j) })
            .collect();
        shown.join(" + ")
    })
}

proptest! {
    #![proptest_config(config(128))]

    /// (d) `kobai minimize` answers or refuses, and never panics (exit code 3).
    #[test]
    fn minimize_never_panics(loss in small_polynomial_loss()) {
        let run = kobai_within(&["minimize", &loss], Duration::from_secs(20));
        prop_assert!(matches!(run.code, 0..=2), "kobai minimize {:?}: exit {}\n{}{}", loss, run.code, run.stdout, run.stderr);
        prop_assert!(!run.stderr.contains("internal error"), "kobai minimize {:?}: {}", loss, run.stderr);
    }
}
