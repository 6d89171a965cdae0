//! `descend`: exact gradient-descent iterates for the tutorial's loss at
//! rates that converge, oscillate and diverge, the exact stable range, and
//! iterates of random quadratics checked against a recurrence computed here.

mod data_support;

use data_support::{Lcg, fails, in_snapshot_folder, kobai, ok, parse_ratio};
use kobai::{DescentOptions, Expr, Limits, Number, Outcome, Poly, Q, Stop, descend, read};
use num_rational::BigRational;

const POINTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/points.csv");

fn tutorial_loss() -> Poly {
    let loss = read("((w1*2) - 5)^2").expect("formula");
    Poly::from_expr(&loss, &[Expr::symbol("w1")], &Limits::default()).expect("polynomial")
}

fn exact(ns: &[Number]) -> Vec<String> {
    ns.iter().map(|n| n.exact().expect("exact").to_string()).collect()
}

#[track_caller]
fn iterates(rate: Q, steps: usize) -> (Vec<String>, Vec<String>, Vec<String>, kobai::Descent) {
    let run =
        descend(&tutorial_loss(), &DescentOptions::new(rate, vec![Q::zero()]).with_iterations(steps)).expect("descent");
    let w = run.iterations.iter().flat_map(|i| exact(&i.values)).collect();
    let loss = run.iterations.iter().map(|i| i.loss.exact().expect("exact").to_string()).collect();
    let g = run.iterations.iter().flat_map(|i| exact(&i.gradient)).collect();
    (w, loss, g, run)
}

#[test]
fn rate_one_tenth_converges() {
    let (w, loss, g, run) = iterates(Q::new(1, 10), 6);
    assert_eq!(w, ["0", "2", "12/5", "62/25", "312/125", "1562/625", "7812/3125"]);
    assert_eq!(loss, ["25", "1", "1/25", "1/625", "1/15625", "1/390625", "1/9765625"]);
    assert_eq!(g, ["-20", "-4", "-4/5", "-4/25", "-4/125", "-4/625", "-4/3125"]);
    assert_eq!(run.outcome, Outcome::Converging);
    assert_eq!(run.stop, Stop::Iterations);
    let q = run.quadratic.expect("quadratic");
    let stable = q.stable.expect("a stable range");
    assert_eq!(stable.lambda_max, kobai::RootValue::Rational(Q::from(8)));
    assert_eq!(stable.high_text(), "1/4");
    assert_eq!(stable.high_bounds, (Q::new(1, 4), Q::new(1, 4)));
    assert_eq!(q.limit, Some(vec![Q::new(5, 2)]));
}

#[test]
fn rate_one_quarter_oscillates_at_the_boundary() {
    let (w, loss, g, run) = iterates(Q::new(1, 4), 6);
    assert_eq!(w, ["0", "5", "0", "5", "0", "5", "0"]);
    assert_eq!(loss, ["25"; 7]);
    assert_eq!(g, ["-20", "20", "-20", "20", "-20", "20", "-20"]);
    assert_eq!(run.outcome, Outcome::Oscillating);
    assert!(run.quadratic.expect("quadratic").reason.contains("at the edge of the stable range (0, 1/4)"));
}

#[test]
fn rate_one_half_diverges() {
    let (w, loss, g, run) = iterates(Q::new(1, 2), 6);
    assert_eq!(w, ["0", "10", "-20", "70", "-200", "610", "-1820"]);
    assert_eq!(loss, ["25", "225", "2025", "18225", "164025", "1476225", "13286025"]);
    assert_eq!(g, ["-20", "60", "-180", "540", "-1620", "4860", "-14580"]);
    assert_eq!(run.outcome, Outcome::Diverging);
    assert_eq!(run.quadratic.expect("quadratic").reason, "rate 1/2 is outside the stable range (0, 1/4)");
    // Left to run, it stops by itself with a clear message.
    let long = descend(&tutorial_loss(), &DescentOptions::new(Q::new(1, 2), vec![Q::zero()]).with_iterations(10_000))
        .expect("descent");
    assert_eq!(long.stop, Stop::Diverged);
    assert!(long.iterations.len() < 40, "{}", long.iterations.len());
}

#[test]
fn the_issue_example_on_the_command_line() {
    let args = [
        "descend",
        "((w1*x1)-target)^2",
        "--wrt",
        "w1",
        "--at",
        "x1=2,target=5",
        "--from",
        "w1=0",
        "--rate",
        "1/10",
        "--iterations",
        "6",
    ];
    let out = ok(&args);
    let lines: Vec<Vec<&str>> = out.lines().map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(lines[0], ["step", "w1", "loss", "gradient"]);
    assert_eq!(lines[1], ["0", "0", "25", "-20"]);
    assert_eq!(lines[2], ["1", "2", "1", "-4"]);
    assert_eq!(lines[3], ["2", "12/5", "1/25", "-4/5"]);
    assert_eq!(lines.len(), 9, "{out}");
    assert_eq!(out.lines().last(), Some("converging to w1 = 5/2; rate 1/10 is inside the stable range (0, 1/4)"));

    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&ok(&json_args)).expect("valid JSON");
    assert_eq!(
        v["iterations"][0],
        serde_json::json!({"step": 0, "values": {"w1": "0"}, "loss": "25", "gradient": {"w1": "-20"}})
    );
    assert_eq!(v["iterations"][2]["values"]["w1"], "12/5");
    assert_eq!(v["iterations"].as_array().map(Vec::len), Some(7));
    assert_eq!(v["stable_rates"], serde_json::json!({"low": "0", "high": "1/4"}));
    assert_eq!(v["outcome"], "converging");
    assert_eq!(v["limit"]["w1"], "5/2");
    for (rate, outcome) in [("1/4", "oscillating"), ("1/2", "diverging")] {
        let mut a = json_args.clone();
        a[9] = rate;
        let v: serde_json::Value = serde_json::from_str(&ok(&a)).expect("valid JSON");
        assert_eq!(v["outcome"], outcome, "{rate}");
    }
}

#[test]
fn long_fractions_switch_to_floats_with_a_note() {
    let run = descend(&tutorial_loss(), &DescentOptions::new(Q::new(1, 10), vec![Q::zero()]).with_iterations(30))
        .expect("descent");
    // w_k has denominator 5^(k-1); 5^23 is the first with 17 digits.
    assert_eq!(run.float_from, Some(24));
    assert!(run.iterations[23].values[0].exact().is_some());
    assert!(matches!(run.iterations[24].values[0], Number::Float(_)));
    assert!((run.iterations[30].values[0].to_f64() - 2.5).abs() < 1e-15);
    let out = ok(&["descend", "(2*w1 - 5)^2", "--rate", "1/10", "--iterations", "30"]);
    assert!(out.contains("(from step 24 on in floating point: a denominator passed 16 digits"), "{out}");
    let out = ok(&["descend", "(2*w1 - 5)^2", "--rate", "1/10", "--iterations", "2", "--float"]);
    assert!(!out.contains("12/5") && out.contains("2.4"), "{out}");
    assert!(out.contains("(floating point throughout"), "{out}");
}

#[test]
fn until_stops_at_a_small_gradient() {
    let run = descend(
        &tutorial_loss(),
        &DescentOptions::new(Q::new(1, 10), vec![Q::zero()]).with_iterations(1000).with_until(Q::new(1, 1000)),
    )
    .expect("descent");
    // |g_k| = 20/5^k ≤ 1/1000 first at k = 7 (20/78125).
    assert_eq!(run.stop, Stop::GradientSmall);
    assert_eq!(run.iterations.len(), 8);
    let out = ok(&["descend", "(2*w1 - 5)^2", "--rate", "0.1", "--until", "1e-3"]);
    assert!(out.contains("stopped at step 7: the gradient norm is at most 1/1000"), "{out}");
    // Starting at the minimum: the gradient is exactly zero.
    let run = descend(&tutorial_loss(), &DescentOptions::new(Q::new(1, 10), vec![Q::new(5, 2)])).expect("descent");
    assert_eq!((run.stop, run.outcome, run.iterations.len()), (Stop::Stationary, Outcome::Converging, 1));
}

#[test]
fn two_weights_from_data() {
    // The summed loss 4w0² + 20w0w1 + 30w1² − 32w0 − 94w1 + 74 has the Hessian
    // [[8, 20], [20, 60]], eigenvalues 34 ± 2√269, so 2/λmax = 17/20 − √269/20.
    let v: serde_json::Value = serde_json::from_str(&ok(&[
        "descend",
        "(w0 + w1*x - t)^2",
        "--data",
        POINTS,
        "--rate",
        "1/100",
        "--iterations",
        "3",
        "--format",
        "json",
    ]))
    .expect("valid JSON");
    assert_eq!(v["rows"], 4);
    assert_eq!(v["stable_rates"]["high"], "17/20 - sqrt(269)/20");
    assert_eq!(v["outcome"], "converging");
    assert_eq!(v["limit"], serde_json::json!({"w0": "1/2", "w1": "7/5"}));
    // Step 1 from 0: w = 0 − (1/100)·(−32, −94).
    assert_eq!(v["iterations"][1]["values"], serde_json::json!({"w0": "8/25", "w1": "47/50"}));
    let bounds: Vec<BigRational> = v["stable_rates"]["high_bounds"]
        .as_array()
        .expect("bounds")
        .iter()
        .map(|b| parse_ratio(b.as_str().expect("text")))
        .collect();
    // lo < 2/λmax < hi, checked with λmax = 34 + 2√269: (2/x − 34)² = 1076 at the bound.
    let f = |x: &BigRational| {
        let two = BigRational::from_integer(2.into());
        let y = &two / x - BigRational::from_integer(34.into());
        y.clone() * y - BigRational::from_integer(1076.into())
    };
    assert!(f(&bounds[0]) > BigRational::from_integer(0.into()) && f(&bounds[1]) < BigRational::from_integer(0.into()));
    // 0.03 is just past 2/λmax ≈ 0.02994: diverging.
    let v: serde_json::Value = serde_json::from_str(&ok(&[
        "descend",
        "(w0 + w1*x - t)^2",
        "--data",
        POINTS,
        "--rate",
        "0.03",
        "--iterations",
        "3",
        "--format",
        "json",
    ]))
    .expect("valid JSON");
    assert_eq!(v["outcome"], "diverging");
    let out = ok(&["descend", "(w0 + w1*x - t)^2", "--data", POINTS, "--rate", "1/100", "--iterations", "1"]);
    assert!(out.starts_with("step  w0    w1     loss"), "{out}");
    assert!(out.contains("d/dw0") && out.contains("stable range (0, 17/20 - sqrt(269)/20 ≈ 0.029939)"), "{out}");
}

#[test]
fn losses_without_a_stable_rate() {
    let saddle = Poly::from_expr(
        &read("w^2 - v^2").expect("formula"),
        &[Expr::symbol("w"), Expr::symbol("v")],
        &Limits::default(),
    )
    .expect("polynomial");
    let run = descend(&saddle, &DescentOptions::new(Q::new(1, 10), vec![Q::one(), Q::one()])).expect("descent");
    assert_eq!(run.outcome, Outcome::Diverging);
    assert!(run.quadratic.as_ref().expect("quadratic").stable.is_none());
    // Starting on the stable axis of the saddle, the descent converges to it.
    let run = descend(&saddle, &DescentOptions::new(Q::new(1, 10), vec![Q::one(), Q::zero()])).expect("descent");
    assert_eq!(run.outcome, Outcome::Converging);
    assert_eq!(run.quadratic.expect("quadratic").limit, Some(vec![Q::zero(), Q::zero()]));
    // A quartic: no exact verdict, but the iterates are exact.
    let quartic =
        Poly::from_expr(&read("w^4").expect("formula"), &[Expr::symbol("w")], &Limits::default()).expect("polynomial");
    let run =
        descend(&quartic, &DescentOptions::new(Q::new(1, 10), vec![Q::one()]).with_iterations(2)).expect("descent");
    assert_eq!(run.outcome, Outcome::Unknown);
    assert_eq!(exact(&run.iterations[1].values), ["3/5"]);
    assert!(run.quadratic.is_none());
}

#[test]
fn random_quadratics_match_the_recurrence() {
    let mut rng = Lcg(99);
    for _ in 0..20 {
        // L = a·w² + b·w·v + c·v² + d·w + e·v with small integer coefficients.
        let c: Vec<i64> = (0..5).map(|_| rng.int(-5, 5)).collect();
        let text = format!("{}*w^2 + {}*w*v + {}*v^2 + {}*w + {}*v", c[0], c[1], c[2], c[3], c[4]);
        let loss = Poly::from_expr(
            &read(&text).expect("formula"),
            &[Expr::symbol("w"), Expr::symbol("v")],
            &Limits::default(),
        )
        .expect("polynomial");
        let rate = Q::new(rng.int(1, 9), 100);
        let start = vec![Q::from(rng.int(-3, 3)), Q::from(rng.int(-3, 3))];
        let run =
            descend(&loss, &DescentOptions::new(rate.clone(), start.clone()).with_iterations(5)).expect("descent");
        // The recurrence, here: ∂L/∂w = 2a·w + b·v + d, ∂L/∂v = b·w + 2c·v + e.
        let q = |n: i64| BigRational::from_integer(n.into());
        let r = rate.to_big();
        let (mut w, mut v) = (start[0].to_big(), start[1].to_big());
        for it in &run.iterations {
            let gw = q(2 * c[0]) * &w + q(c[1]) * &v + q(c[3]);
            let gv = q(c[1]) * &w + q(2 * c[2]) * &v + q(c[4]);
            match (&it.values[0], &it.values[1]) {
                (Number::Exact(a), Number::Exact(b)) => {
                    assert_eq!((a.to_big(), b.to_big()), (w.clone(), v.clone()), "{text} at step {}", it.step);
                    let g: Vec<BigRational> = it.gradient.iter().map(|g| g.exact().expect("exact").to_big()).collect();
                    assert_eq!(g, [gw.clone(), gv.clone()]);
                }
                _ => break,
            }
            w = &w - &r * gw;
            v = &v - &r * gv;
        }
    }
}

#[test]
fn usage_errors() {
    let err = fails(&["descend", "(2*w1 - 5)^2", "--rate", "0"], None);
    assert!(err.contains("the rate must be positive"), "{err}");
    let err = fails(&["descend", "(2*w1 - 5)^2", "--rate", "x"], None);
    assert!(err.contains("--rate `x` is not a rational number"), "{err}");
    let err = fails(&["descend", "(2*w1 - 5)^2", "--rate", "1/10", "--from", "w2=1"], None);
    assert!(err.contains("not a weight"), "{err}");
    let err = fails(&["descend", "exp(w)", "--rate", "1/10"], None);
    assert!(err.contains("polynomial in the weights"), "{err}");
    let run = kobai(&["descend", "(2*w1 - 5)^2", "--rate", "1/10", "--plot", "out.png"], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("not supported: PNG output"), "{}", run.stderr);
}

#[test]
fn descend_tables_snapshot() {
    let runs: [&[&str]; 4] = [
        &[
            "descend",
            "((w1*x1)-target)^2",
            "--wrt",
            "w1",
            "--at",
            "x1=2,target=5",
            "--rate",
            "1/10",
            "--iterations",
            "6",
        ],
        &[
            "descend",
            "((w1*x1)-target)^2",
            "--wrt",
            "w1",
            "--at",
            "x1=2,target=5",
            "--rate",
            "1/4",
            "--iterations",
            "3",
        ],
        &[
            "descend",
            "((w1*x1)-target)^2",
            "--wrt",
            "w1",
            "--at",
            "x1=2,target=5",
            "--rate",
            "1/2",
            "--iterations",
            "3",
        ],
        &["descend", "(w0 + w1*x - t)^2", "--data", POINTS, "--rate", "1/100", "--iterations", "3"],
    ];
    let mut text = String::new();
    for args in runs {
        let shown: Vec<&str> = args.iter().map(|a| if *a == POINTS { "examples/points.csv" } else { a }).collect();
        text.push_str(&format!("$ kobai {}\n{}\n", shown.join(" "), ok(args)));
    }
    in_snapshot_folder(|| insta::assert_snapshot!("data__descend_tables", text));
}
