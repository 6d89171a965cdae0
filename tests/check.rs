//! Checking hand calculations: claims of every kind, derivations with one
//! planted slip of each hint class, a property test against an independent
//! evaluation, snapshots of the text reports, and the command line.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};

use kobai::{
    CheckOptions, ClaimReport, DerivationStep, Domain, EqualityReport, Identity, Method, Proof, Q, Symbol, Verdict,
    check_claim, check_derivation, check_equal, read,
};
use proptest::prelude::*;

fn options() -> CheckOptions {
    CheckOptions::default()
}

#[track_caller]
fn claim(text: &str) -> ClaimReport {
    match check_claim(text, &options()) {
        Ok(r) => r,
        Err(e) => panic!("{text:?}: {e}"),
    }
}

/// The equality report of a claim (an equality or a derivative claim).
#[track_caller]
fn equality(text: &str) -> EqualityReport {
    match claim(text) {
        ClaimReport::Equality(r) | ClaimReport::Derivative { report: r, .. } => r,
        ClaimReport::Solution(_) => panic!("{text:?} is a solve claim"),
    }
}

/// `claim` holds, decided by `method`.
#[track_caller]
fn t(text: &str, holds: bool, method: Method) {
    let r = claim(text);
    assert_eq!(r.holds(), holds, "{text:?}: {r:?}");
    match &r {
        ClaimReport::Equality(e) | ClaimReport::Derivative { report: e, .. } => {
            assert_eq!(e.method(), method, "{text:?}: {e:?}")
        }
        ClaimReport::Solution(_) => assert_eq!(method, Method::Proof, "{text:?}"),
    }
}

fn point(r: &EqualityReport) -> Vec<(String, String)> {
    let cx = r.counterexample().expect("a counterexample");
    cx.point.iter().map(|(s, q)| (s.name().to_string(), q.to_string())).collect()
}

fn p(name: &str, value: &str) -> (String, String) {
    (name.to_string(), value.to_string())
}

#[test]
fn equalities_true_and_false() {
    use Method::{Proof as P, Sampling as S};
    // Polynomials: proven by expansion, or refuted exactly.
    t("(3*a - 2)^2 = 9*a^2 - 12*a + 4", true, P);
    t("9w^2 - 42w + 49 = (3w - 7)^2", true, P);
    t("(a + b)^3 = a^3 + 3a^2*b + 3a*b^2 + b^3", true, P);
    t("(3*a - 2)^2 = 9*a^2 - 6*a + 4", false, P);
    t("(a + b)^2 = a^2 + b^2", false, P);
    // Rational functions: cross-multiplied numerators.
    t("(x^2 - 1)/(x - 1) = x + 1", true, P);
    t("1/x + 1/y = (x + y)/(x*y)", true, P);
    t("1/x + 1/y = 2/(x + y)", false, P);
    // Other functions: canonical forms, identities, or sampling.
    t("exp(a + b) = exp(a)*exp(b)", true, P);
    t("sin(x)^2 + cos(x)^2 = 1", true, P);
    t("tan(x) = sin(x)/cos(x)", true, P);
    t("sigmoid(-x) = 1 - sigmoid(x)", true, P);
    t("tanh(x) = 2*sigmoid(2x) - 1", true, P);
    t("(1 + sqrt(2))^2 = 3 + 2*sqrt(2)", true, P);
    t("sqrt(x^2) = abs(x)", true, P);
    t("sin(2*x) = 2*sin(x)*cos(x)", true, S);
    t("sqrt(x^2) = x", false, S);
    t("exp(x) = 1 + x", false, S);
    t("e^2 = 7.389", false, S);
    t("ln(2) = ln(4)/2", true, S);
}

#[test]
fn proofs_name_their_method_and_domain() {
    let r = equality("(3*a - 2)^2 = 9*a^2 - 12*a + 4");
    assert!(matches!(&r.verdict, Verdict::Proven { proof: Proof::Expansion { form }, domain: Domain::Everywhere }
        if form.to_string() == "9*a^2 - 12*a + 4"));
    let r = equality("(x^2 - 1)/(x - 1) = x + 1");
    let Verdict::Proven { proof: Proof::Rational, domain: Domain::WhereDefined { denominators } } = &r.verdict else {
        panic!("{r:?}")
    };
    assert_eq!(denominators.iter().map(|d| d.to_string()).collect::<Vec<_>>(), ["x - 1"]);
    // kobai cancels x/x as it reads it; the claim still holds only for x ≠ 0.
    let r = equality("x/x = 1");
    assert!(matches!(&r.verdict, Verdict::Proven { domain: Domain::WhereDefined { denominators }, .. }
        if denominators.len() == 1));
    let r = equality("exp(a + b) = exp(a)*exp(b)");
    assert!(matches!(&r.verdict, Verdict::Proven { proof: Proof::Canonical { .. }, domain: Domain::Everywhere }));
    let r = equality("sin(x)^2 + cos(x)^2 = 1");
    assert!(matches!(&r.verdict, Verdict::Proven { proof: Proof::Identities { used }, .. }
        if used == &[Identity::Pythagorean]));
    let r = equality("sin(2*x) = 2*sin(x)*cos(x)");
    assert_eq!(r.verdict, Verdict::Agrees { points: 10 });
    let fewer = check_equal(&read("sin(2*x)").unwrap(), &read("2*sin(x)*cos(x)").unwrap(), &options().with_samples(3));
    assert_eq!(fewer.unwrap().verdict, Verdict::Agrees { points: 3 });
}

#[test]
fn counterexamples_are_small_exact_and_really_differ() {
    let r = equality("(3*a - 2)^2 = 9*a^2 - 6*a + 4");
    assert_eq!(point(&r), [p("a", "1")]);
    let cx = r.counterexample().unwrap();
    assert_eq!((cx.left.exact.to_string(), cx.right.exact.to_string()), ("1".into(), "7".into()));
    assert_eq!(r.difference.to_string(), "-6*a");
    // sqrt(x^2) = |x|: the first point where it differs from x is negative.
    let r = equality("sqrt(x^2) = x");
    assert_eq!(point(&r), [p("x", "-1")]);
    let cx = r.counterexample().unwrap();
    assert_eq!((cx.left.exact.to_string(), cx.right.exact.to_string()), ("1".into(), "-1".into()));
    // Points where a side is undefined are avoided: x = 0 and x = 1 here.
    let r = equality("1/(x*(x - 1)) = 1/x");
    let x = &point(&r)[0].1;
    assert!(x != "0" && x != "1", "{x}");
    // Not at the roots of the difference (a = 0 and a = 1 make it vanish).
    let r = equality("a^2 = a");
    assert_eq!(point(&r), [p("a", "-1")]);
    // A non-rational value comes with a decimal that the exact value backs.
    let r = equality("exp(x) = 1 + x");
    let cx = r.counterexample().unwrap();
    assert_eq!(cx.point[0].1, Q::one());
    assert_eq!(cx.left.exact.to_string(), "e");
    assert!(cx.left.approx.as_deref().is_some_and(|a| a.starts_with("2.71828182")), "{cx:?}");
    // Sampling never reports a point where a side is undefined: sqrt(x)*sqrt(y)
    // is not defined at x = y = -1, even though kobai would fold it to -1.
    let r = equality("sqrt(x*y) = sqrt(x)*sqrt(y)");
    assert!(matches!(r.verdict, Verdict::Agrees { .. }), "{r:?}");
}

#[test]
fn derivative_claims() {
    use Method::{Proof as P, Sampling as S};
    t("d/dx (x^3 - 4*x) = 3*x^2 - 4", true, P);
    t("d/dx (x^3 - 4*x) = 3*x^2 - 4*x", false, P);
    t("∂/∂w (w^2 + 3w) = 2w + 3", true, P);
    t("d^2/dx^2 x^4 = 12x^2", true, P);
    t("d²/dx² x^4 = 12x^2", true, P);
    t("d/dx sin(x^2) = 2x*cos(x^2)", true, P);
    t("d/dx sin(x^2) = cos(x^2)", false, S);
    t("d/dx sigmoid(x) = sigmoid(x)*(1 - sigmoid(x))", true, P);
    t("diff(x^3*exp(2*x), x) = 3*x^2*exp(2*x) + 2*x^3*exp(2*x)", true, P);
    t("diff(x^4, x, 2) = 12*x^2", true, P);
    t("diff((u*v - y)^2, u) = 2*(u*v - y)", false, P);
    t("d/dx ln(x) = 1/x", true, P);
    let r = equality("diff((u*v - y)^2, u) = 2*(u*v - y)");
    assert_eq!(r.left.to_string(), "2*u*v^2 - 2*v*y", "the left side is the derivative");
    assert_eq!(r.hint.as_ref().map(|h| h.kind()), Some("missing_chain_factor"));
}

#[test]
fn solution_claims() {
    t("solve(6*a - 4 = 0, a) = 2/3", true, Method::Proof);
    t("solve(6*a - 4, a) = 2/3", true, Method::Proof);
    t("solve(6*a - 4 = 0, a) = 3/2", false, Method::Proof);
    t("solve(x^2 = 4, x) = {-2, 2}", true, Method::Proof);
    t("solve(x^2 = 4, x) = x = 2, x = -2", true, Method::Proof);
    t("solve(x^2 - 2 = 0, x) = sqrt(2), -sqrt(2)", true, Method::Proof);
    let ClaimReport::Solution(s) = claim("solve(x^2 = 4, x) = 2") else { panic!() };
    assert!(!s.holds());
    assert_eq!(s.values[0].satisfies, Some(true));
    assert_eq!(s.missing.iter().filter_map(|c| c.exact()).map(|e| e.to_string()).collect::<Vec<_>>(), ["-2"]);
    let ClaimReport::Solution(s) = claim("solve(6*a - 4 = 0, a) = 1/2") else { panic!() };
    assert_eq!(s.values[0].satisfies, Some(false));
    assert_eq!(s.values[0].residual.as_ref().map(|r| r.exact.to_string()), Some("-1".into()));
}

const ISSUE_DERIVATION: &str = "\
# least squares for one point, by hand
given x = 3, y = 7
loss = (w*x - y)^2
     = (3w - 7)^2
     = 9w^2 - 42w + 49
d/dw = 18w - 42
zero at w = 7/3
";

#[test]
fn the_issue_derivation_holds_line_by_line() {
    let r = check_derivation(ISSUE_DERIVATION, &options()).unwrap();
    assert!(r.holds());
    let lines: Vec<usize> = r.steps.iter().map(|s| s.line).collect();
    assert_eq!(lines, [2, 3, 4, 5, 6, 7]);
    for s in &r.steps[2..] {
        assert_eq!((s.holds(), s.agrees_with_start()), (Some(true), Some(true)), "line {}", s.line);
    }
    assert_eq!(r.steps[3].previous_line, Some(4));
    assert_eq!(r.steps[3].start_line, Some(3));
}

#[test]
fn stationary_and_given_lines() {
    let holds = |text: &str| check_derivation(text, &options()).unwrap().holds();
    assert!(holds("f = (x - 1)^2\nminimum at x = 1\n"));
    assert!(!holds("f = -(x - 1)^2\nminimum at x = 1\n"), "a maximum is not a minimum");
    assert!(holds("f = -(x - 1)^2\nmaximum at x = 1\n"));
    assert!(!holds("f = (x - 1)^2\nzero at x = 2\n"));
    assert!(holds("f = x^4\nminimum at x = 0\n"), "decided by the higher-order test");
    assert!(holds("f = (a - 2)^2 + (b + 1)^2\nminimum at a = 2, b = -1\n"));
    assert!(holds("given t = 5\nf = (w*t - 10)^2\nd/dw = 10*(5w - 10)\nzero at w = 2\n"));
    // A derivative step's variable keeps its meaning in a claim of its own.
    assert!(holds("given x = 3\nd/dx x^2 = 2x\n"));
    // Definitions are substituted in later lines.
    assert!(holds("z = w - 1\nloss = z^2\n     = w^2 - 2w + 1\n"));
    // Values apply from their line on, to the calculation in progress too,
    // and earlier values on a `given` line apply to later ones.
    assert!(holds("loss = (w*x - y)^2\ngiven x = 3, y = 2x + 1\n     = (3w - 7)^2\n"));
}

#[test]
fn later_lines_are_checked_against_the_line_before_and_the_start() {
    let text = "loss = (3w - 7)^2\n     = 9w^2 - 24w + 49\nd/dw = 18w - 24\nzero at w = 4/3\n";
    let r = check_derivation(text, &options()).unwrap();
    assert!(!r.holds());
    assert_eq!(r.first_wrong().map(|s| s.line), Some(2));
    let marks: Vec<(usize, Option<bool>, Option<bool>)> =
        r.steps.iter().map(|s| (s.line, s.holds(), s.agrees_with_start())).collect();
    assert_eq!(
        marks,
        [(1, None, None), (2, Some(false), Some(false)), (3, Some(true), Some(false)), (4, Some(true), Some(false))]
    );
}

/// One planted slip per hint class: the file, the wrong line, the hint.
const SLIPS: &[(&str, usize, &str)] = &[
    ("loss = (2w - 5)^2\n     = 4w^2 - 20w + 25\n     = 4w - 20w + 25\n", 3, "dropped_square"),
    ("loss = (2w - 5)^2\n     = 4w^2 - 20w^2 + 25\n", 2, "extra_square"),
    ("loss = (2w - 5)^2\n     = 4w^2 + 25\n", 2, "cross_term_missing"),
    ("loss = (2w - 5)^2\n     = 4w^2 - 10w + 25\n", 2, "cross_term_halved"),
    ("loss = (2w - 5)^2\n     = 4w^2 + 20w + 25\n", 2, "sign_error"),
    ("f = 3 - (w - 2x)\n  = 3 - w - 2x\n", 2, "sign_error"),
    ("loss = (2w - 5)^2\nd/dw = 2(2w - 5)\n", 2, "missing_chain_factor"),
    ("given x = 3, y = 7\nloss = (w*x - y)^2\nd/dw = 2(3w - 7)\n", 3, "missing_chain_factor"),
    ("loss = 4w^2 - 20w + 25\nd/dw = 4w - 10\n", 2, "constant_factor"),
    ("loss = (2w - 5)^2\n     = 4w^2 - 20w + 24\n", 2, "coefficient_slip"),
    ("loss = (2w - 5)^2\n     = 4w^2 - 20w\n", 2, "dropped_term"),
    ("loss = (2w - 5)^2\nd/dw = 20 - 8w\n", 2, "whole_sign"),
];

fn hint_kind(step: &kobai::StepReport) -> Option<&'static str> {
    match &step.step {
        DerivationStep::Equal { previous, .. } | DerivationStep::Derivative { previous, .. } => {
            previous.hint.as_ref().map(|h| h.kind())
        }
        _ => None,
    }
}

#[test]
fn each_planted_slip_is_flagged_with_its_hint() {
    for (text, line, kind) in SLIPS {
        let r = check_derivation(text, &options()).unwrap();
        let wrong = r.first_wrong().unwrap_or_else(|| panic!("no wrong line in {text:?}"));
        assert_eq!(wrong.line, *line, "{text:?}");
        assert_eq!(hint_kind(wrong), Some(*kind), "{text:?}: {wrong:?}");
        assert!(r.steps.iter().filter(|s| s.line < *line).all(|s| s.holds() != Some(false)), "{text:?}");
    }
}

#[test]
fn hints_say_what_is_wrong() {
    let describe = |text: &str| equality(text).hint.map(|h| h.describe(&|e| e.to_string()));
    assert_eq!(
        describe("(3*a - 2)^2 = 9*a^2 - 6*a + 4").as_deref(),
        Some("the cross term of (3*a - 2)^2 is 2·(3*a)·(-2) = -12*a, written as -6*a")
    );
    assert_eq!(
        describe("(2w - 5)^2 = 4w - 20w + 25").as_deref(),
        Some("4*w^2 was written as 4*w: the square was dropped")
    );
    assert_eq!(describe("(2w - 5)^2 = 4w^2 + 20w + 25").as_deref(), Some("sign error: -20*w was written as 20*w"));
    assert_eq!(describe("(2w - 5)^2 = 4w^2 - 20w").as_deref(), Some("the term 25 is missing"));
    assert_eq!(describe("(2w - 5)^2 = 4w^2 - 20w + 25 + w^3").as_deref(), Some("the term w^3 should not be there"));
    assert_eq!(
        describe("(2w - 5)^2 = 4w^2 + 25 - 20w^2").as_deref(),
        Some("-20*w was written as -20*w^2: that square should not be there")
    );
    assert_eq!(
        describe("(2w - 5)^2 = 4w^2 - 21w + 25").as_deref(),
        Some("arithmetic slip in the w term: it should be -20*w, written as -21*w")
    );
    assert_eq!(
        describe("d/dw (4w^2 - 20w + 25) = 4w - 10").as_deref(),
        Some("the result is off by a factor of 1/2: the factor 2 that the power rule brings down is missing")
    );
    assert_eq!(
        describe("diff((u*v - y)^2, u) = 2*(u*v - y)").as_deref(),
        Some("chain rule: the inside u*v - y has derivative v, and that factor is missing")
    );
    // No hint rather than a wrong one: two unrelated slips match no class.
    assert_eq!(describe("(2w - 5)^2 = 4w^2 - 21w + 24"), None);
    assert_eq!(describe("sin(x) = cos(x)"), None);
}

#[test]
fn derivations_without_slips_pass() {
    let files = [
        ISSUE_DERIVATION,
        "f(x) = (x + 1)^2\n     = x^2 + 2x + 1\nd/dx = 2x + 2\n     = 2(x + 1)\nminimum at x = -1\n",
        "loss = -ln(sigmoid(w*x))\nd/dw = -x*(1 - sigmoid(w*x))\n     = x*sigmoid(w*x) - x\n",
        "r = (x^2 - 1)/(x - 1)\n  = x + 1\n",
        "L = (w0 + w1 - 2)^2 + (w0 + 2w1 - 3)^2\n  = 2w0^2 + 6w0*w1 + 5w1^2 - 10w0 - 16w1 + 13\nminimum at w0 = 1, w1 = 1\n",
        "(a + b)^2 = a^2 + 2a*b + b^2  # a claim of its own\nsolve(2z - 1 = 0, z) = 1/2\n",
    ];
    for text in files {
        let r = check_derivation(text, &options()).unwrap();
        assert!(r.holds(), "{text:?}: {:?}", r.first_wrong());
    }
    for path in ["examples/derivation.txt", "examples/derivations/two_weights.txt", "examples/derivations/logistic.txt"]
    {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/").to_string() + path).unwrap();
        assert!(check_derivation(&text, &options()).unwrap().holds(), "{path}");
    }
}

#[test]
fn unreadable_input_is_an_error_that_points_into_the_text() {
    let err = |text: &str| check_claim(text, &options()).unwrap_err();
    assert_eq!(err("d/dx (x^3 - 4*x = 3*x^2").span().map(|s| s.start), Some(16));
    assert_eq!(err("(3*a - 2)^2 = 9*a^2 - ").span().map(|s| s.start), Some(22));
    assert_eq!(err("diff(x^2, 2) = 2x").span().map(|s| s.start), Some(10));
    assert!(err("x^2 + 1").to_string().contains("needs `=`"));
    let text = "f = x^2\n  = 2*x +\n";
    let e = check_derivation(text, &options()).unwrap_err();
    assert_eq!(e.span().map(|s| s.start), Some(text.len() - 1), "on line 2, after the `+`");
    let e = check_derivation("f = x\n  = x\n\n  = sinn(x)\n", &options()).unwrap_err();
    assert!(matches!(e, kobai::Error::UnknownFunction { .. }));
    let e = check_derivation("# nothing yet\n= x^2\n", &options()).unwrap_err();
    assert!(e.to_string().starts_with("line 2: "), "{e}");
    let e = check_derivation("f = (w - 1)^2\nw = 1\n", &options()).unwrap_err();
    assert!(e.to_string().contains("zero at w"), "{e}");
}

// ---------------------------------------------------------------------------
// Property test: random polynomials, with an evaluation of their own.

/// A polynomial in x, y, z: coefficient and exponents per term.
type Terms = Vec<(i64, [u32; 3])>;

const NAMES: [&str; 3] = ["x", "y", "z"];

fn terms() -> impl Strategy<Value = Terms> {
    prop::collection::vec((-6i64..=6, [0u32..3, 0u32..3, 0u32..3]), 1..5)
}

fn text_of(terms: &Terms) -> String {
    let parts: Vec<String> = terms
        .iter()
        .map(|(c, e)| {
            let mut s = format!("({c})");
            for (name, k) in NAMES.iter().zip(e) {
                s.push_str(&format!("*{name}^{k}"));
            }
            s
        })
        .collect();
    parts.join(" + ")
}

/// The terms with like terms combined and zeros dropped.
fn combined(terms: &Terms) -> BTreeMap<[u32; 3], i64> {
    let mut m = BTreeMap::new();
    for (c, e) in terms {
        *m.entry(*e).or_insert(0) += c;
    }
    m.retain(|_, c| *c != 0);
    m
}

fn value(terms: &Terms, at: &BTreeMap<&str, Q>) -> Q {
    let mut acc = Q::zero();
    for (c, e) in terms {
        let mut t = Q::from(*c);
        for (name, k) in NAMES.iter().zip(e) {
            let v = at.get(name).cloned().unwrap_or_else(Q::zero);
            t = t.mul(&v.pow(i64::from(*k)).unwrap_or_else(Q::zero));
        }
        acc = acc.add(&t);
    }
    acc
}

fn product(a: &Terms, b: &Terms) -> Terms {
    let mut out = Vec::new();
    for (ca, ea) in a {
        for (cb, eb) in b {
            out.push((ca * cb, [ea[0] + eb[0], ea[1] + eb[1], ea[2] + eb[2]]));
        }
    }
    out
}

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(256);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn different_polynomials_get_a_counterexample_that_really_differs(a in terms(), d in terms()) {
        prop_assume!(!combined(&d).is_empty());
        let mut b = a.clone();
        b.extend(d.iter().cloned());
        let (left, right) = (read(&text_of(&a)).unwrap(), read(&text_of(&b)).unwrap());
        let r = check_equal(&left, &right, &options()).unwrap();
        prop_assert!(!r.holds(), "{} = {}", text_of(&a), text_of(&b));
        prop_assert_eq!(r.method(), Method::Proof);
        let cx = r.counterexample().expect("a counterexample");
        let at: BTreeMap<&str, Q> = cx.point.iter().map(|(s, q)| (s.name(), q.clone())).collect();
        let (va, vb) = (value(&a, &at), value(&b, &at));
        prop_assert_ne!(&va, &vb, "at {:?}", at);
        prop_assert_eq!(cx.left.exact.as_num(), Some(&va));
        prop_assert_eq!(cx.right.exact.as_num(), Some(&vb));
        // Small integers: every coordinate within the first few tried.
        prop_assert!(cx.point.iter().all(|(_, q)| q.is_integer() && q.abs() <= Q::from(8)), "{:?}", cx.point);
    }

    #[test]
    fn equal_polynomials_written_differently_are_proven(a in terms(), b in terms()) {
        let expanded = product(&a, &b);
        let factored = format!("({})*({})", text_of(&a), text_of(&b));
        let r = check_equal(&read(&factored).unwrap(), &read(&text_of(&expanded)).unwrap(), &options()).unwrap();
        prop_assert!(matches!(r.verdict, Verdict::Proven { .. }), "{} = {}: {:?}", factored, text_of(&expanded), r.verdict);
        let squared = format!("({})^2", text_of(&a));
        let r = check_equal(&read(&squared).unwrap(), &read(&text_of(&product(&a, &a))).unwrap(), &options()).unwrap();
        prop_assert!(matches!(r.verdict, Verdict::Proven { .. }), "{}: {:?}", squared, r.verdict);
    }

    #[test]
    fn rational_differences_are_refuted_where_both_sides_are_defined(a in terms(), d in terms()) {
        prop_assume!(!combined(&d).is_empty());
        let left = format!("({})/(x^2 + 1) + 1/(y - 2)", text_of(&a));
        let right = format!("({} + {})/(x^2 + 1) + 1/(y - 2)", text_of(&a), text_of(&d));
        let r = check_equal(&read(&left).unwrap(), &read(&right).unwrap(), &options()).unwrap();
        prop_assert!(!r.holds());
        let cx = r.counterexample().expect("a counterexample");
        let y = cx.point.iter().find(|(s, _)| *s == Symbol::new("y")).map(|(_, q)| q.clone());
        prop_assert!(y != Some(Q::from(2)), "y = 2 makes both sides undefined");
        prop_assert_ne!(&cx.left.exact, &cx.right.exact);
    }
}

// ---------------------------------------------------------------------------
// The command line and snapshots of its reports.

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn kobai(args: &[&str], stdin: Option<&str>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kobai"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the kobai binary runs");
    if let Some(text) = stdin {
        child.stdin.take().expect("piped").write_all(text.as_bytes()).expect("stdin accepts the input");
    }
    let out = child.wait_with_output().expect("kobai finishes");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn in_snapshot_folder(f: impl FnOnce()) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.bind(f);
}

/// Each command with its output and exit code, as a reviewer reads them.
fn transcript(runs: &[&[&str]]) -> String {
    let mut out = String::new();
    for args in runs {
        let shown: Vec<String> = args
            .iter()
            .map(|a| if a.contains(' ') || a.is_empty() { format!("\"{a}\"") } else { a.to_string() })
            .collect();
        let run = kobai(args, None);
        out.push_str(&format!("$ kobai {}\n{}{}[exit {}]\n\n", shown.join(" "), run.stdout, run.stderr, run.code));
    }
    out
}

#[test]
fn the_issue_commands() {
    let run = kobai(&["check", "(3*a - 2)^2 = 9*a^2 - 12*a + 4"], None);
    assert_eq!((run.code, run.stdout.as_str()), (0, "✓ holds for every a: both sides expand to 9*a^2 - 12*a + 4\n"));
    let run = kobai(&["check", "(3*a - 2)^2 = 9*a^2 - 6*a + 4"], None);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        "✗ does not hold\n  at a = 1: left = 1, right = 7\n  left − right = -6*a\n  \
         hint: the cross term of (3*a - 2)^2 is 2·(3*a)·(-2) = -12*a, written as -6*a\n"
    );
    assert_eq!(kobai(&["check", "d/dx (x^3 - 4*x) = 3*x^2 - 4"], None).code, 0);
    let run = kobai(&["check", "diff((u*v - y)^2, u) = 2*(u*v - y)"], None);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("chain rule"), "{}", run.stdout);
    assert_eq!(kobai(&["check", "solve(6*a - 4 = 0, a) = 2/3"], None).code, 0);
    assert_eq!(kobai(&["check", "--file", "examples/derivation.txt"], None).code, 0);
    assert_eq!(kobai(&["check", "--file", "examples/derivations/slip.txt"], None).code, 1);
}

#[test]
fn standard_input_formats_and_exit_codes() {
    let run = kobai(&["check", "--file", "-"], Some(ISSUE_DERIVATION));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = kobai(&["check", "-"], Some("(x + 1)^2 = x^2 + 1\n"));
    assert_eq!(run.code, 1);
    let run = kobai(&["check", "(3*w - 7)^2 = 9*w^2 - 42*w + 49", "--format", "unicode"], None);
    assert_eq!(run.stdout, "✓ holds for every w: both sides expand to 9w² − 42w + 49\n");
    let run = kobai(&["check", "(3*w - 7)^2 = 9*w^2 - 42*w + 49", "--format", "latex"], None);
    assert_eq!(run.stdout, "$\\checkmark$ holds for every $w$: both sides expand to $9 w^{2} - 42 w + 49$\n");
    let run = kobai(&["check", "(3*a - 2)^2 = 9*a^2 - 6*a + 4", "--format", "json"], None);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(v["holds"], false);
    assert_eq!(v["method"], "proof");
    assert_eq!(v["counterexample"]["a"], "1");
    assert_eq!((v["left"].as_str(), v["right"].as_str()), (Some("1"), Some("7")));
    assert_eq!(v["difference"], "-6*a");
    assert_eq!(v["hint_kind"], "cross_term_halved");
    let run = kobai(&["check", "sin(2*x) = 2*sin(x)*cos(x)", "--format", "json"], None);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(
        (v["holds"].as_bool(), v["method"].as_str(), v["points"].as_u64()),
        (Some(true), Some("sampling"), Some(10))
    );
    let run = kobai(&["check", "--file", "examples/derivations/slip.txt", "--format", "json"], None);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(v["holds"], false);
    assert_eq!(v["first_wrong_line"], 5);
    let line = |n: u64| v["lines"].as_array().unwrap().iter().find(|l| l["line"] == n).unwrap().clone();
    assert_eq!((line(5)["holds"].as_bool(), line(5)["agrees_with_start"].as_bool()), (Some(false), Some(false)));
    assert_eq!((line(6)["holds"].as_bool(), line(6)["agrees_with_start"].as_bool()), (Some(true), Some(false)));
    assert_eq!(line(5)["hint_kind"], "cross_term_halved");
    // Unreadable input: exit 2, the line number and a caret.
    let run = kobai(&["check", "--file", "-"], Some("f = x^2\n  = 2*(x\n"));
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("stdin:2:"), "{}", run.stderr);
    assert!(run.stderr.contains("^"), "{}", run.stderr);
    let run = kobai(&["check", "(x + 1 = x"], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("argument:1:"), "{}", run.stderr);
    assert_eq!(kobai(&["check"], None).code, 2);
    assert_eq!(kobai(&["check", "--file", "no/such/file.txt"], None).code, 2);
}

#[test]
fn claim_reports() {
    in_snapshot_folder(|| {
        insta::assert_snapshot!(
            "claim_reports",
            transcript(&[
                &["check", "(3*a - 2)^2 = 9*a^2 - 12*a + 4"],
                &["check", "(3*a - 2)^2 = 9*a^2 - 6*a + 4"],
                &["check", "(x^2 - 1)/(x - 1) = x + 1"],
                &["check", "exp(a + b) = exp(a)*exp(b)"],
                &["check", "sqrt(x^2) = x"],
                &["check", "sin(x)^2 + cos(x)^2 = 1"],
                &["check", "sin(2*x) = 2*sin(x)*cos(x)"],
                &["check", "1/x + 1/y = 2/(x + y)"],
                &["check", "d/dx (x^3 - 4*x) = 3*x^2 - 4"],
                &["check", "diff((u*v - y)^2, u) = 2*(u*v - y)"],
                &["check", "d/dw (4w^2 - 20w + 25) = 4w - 10"],
                &["check", "solve(6*a - 4 = 0, a) = 2/3"],
                &["check", "solve(x^2 = 4, x) = 2"],
                &["check", "(3*a - 2)^2 = 9*a^2 - 6*a + 4", "--format", "unicode"],
            ])
        );
    });
}

#[test]
fn derivation_reports() {
    in_snapshot_folder(|| {
        insta::assert_snapshot!(
            "derivation_reports",
            transcript(&[
                &["check", "--file", "examples/derivation.txt"],
                &["check", "--file", "examples/derivations/slip.txt"],
                &["check", "--file", "examples/derivations/two_weights.txt"],
                &["check", "--file", "examples/derivations/logistic.txt"],
                &["check", "--file", "examples/derivations/slip.txt", "--format", "unicode"],
            ])
        );
    });
}

#[test]
fn slip_reports() {
    let mut out = String::new();
    for (text, _, kind) in SLIPS {
        let run = kobai(&["check", "--file", "-"], Some(text));
        out.push_str(&format!("# {kind}\n{text}---\n{}[exit {}]\n\n", run.stdout, run.code));
    }
    in_snapshot_folder(|| insta::assert_snapshot!("slip_reports", out));
}
