//! Step-by-step explanations: reviewed snapshots of the step lists for every
//! rule, and a property test that consecutive steps agree with an
//! independent evaluator and that the last step is the plain result.

mod oracle;

use kobai::{Limits, Symbol, diff_steps, expand_steps, parse, read, simplify_steps};
use proptest::prelude::*;

fn in_snapshot_folder(f: impl FnOnce()) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.bind(f);
}

fn explain_diff(cases: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (formula, var) in cases {
        let ast = parse(formula).unwrap_or_else(|e| panic!("{formula}: {e}"));
        match diff_steps(&ast, Symbol::new(var), &[], &Limits::default()) {
            Ok(s) => out.push_str(&s.render_text(false)),
            Err(e) => out.push_str(&format!("{formula}: error: {e}\n")),
        }
        out.push('\n');
    }
    out
}

#[test]
fn derivative_steps() {
    let text = explain_diff(&[
        ("((w1*x1)-target)^2", "w1"),
        ("x^3", "x"),
        ("3*x^2 - 4*x + 7", "x"),
        ("x*sin(x)", "x"),
        ("x/(x^2+1)", "x"),
        ("x^3*exp(2*x)", "x"),
        ("exp(-x^2)", "x"),
        ("ln(x^2 + 1)", "x"),
        ("log(x, 2)", "x"),
        ("sqrt(1 - x^2)", "x"),
        ("cos(3*x)", "x"),
        ("tan(x)", "x"),
        ("tanh(2*x)", "x"),
        ("sigmoid(w*x + b)", "w"),
        ("abs(x - 1)", "x"),
        ("2^x", "x"),
        ("x^x", "x"),
        ("e^(2*x)", "x"),
        ("sin(exp(x^2))", "x"),
        ("-t*ln(sigmoid(z)) - (1 - t)*ln(1 - sigmoid(z))", "z"),
    ]);
    in_snapshot_folder(|| insta::assert_snapshot!("derivatives", text));
}

#[test]
fn expansion_and_simplification_steps() {
    let mut out = String::new();
    for formula in ["((2*w1) - 5)^2", "(3*w - 7)^2", "(a + b)^2", "(x + 1)^3", "2*(x + 1)*(x - 1)", "(a + b + c)^2"] {
        let s = expand_steps(&parse(formula).unwrap(), &[], &Limits::default()).unwrap();
        out.push_str(&s.render_text(false));
        out.push('\n');
    }
    for formula in ["2*x*3 + x - x", "(x+1)^2 - x^2 - 2*x", "x*x^2/x"] {
        let s = simplify_steps(&parse(formula).unwrap(), &[], &Limits::default()).unwrap();
        out.push_str(&s.render_text(false));
        out.push('\n');
    }
    in_snapshot_folder(|| insta::assert_snapshot!("expansions", out));
}

#[test]
fn solving_steps() {
    let o = kobai::SolveOptions::default();
    let mut out = String::new();
    let s = kobai::minimize_steps(&read("(3*w - 7)^2").unwrap(), &[Symbol::new("w")], &o).unwrap();
    out.push_str(&s.render_text(false));
    out.push('\n');
    let loss = read("(w0 + w1 - 2)^2 + (w0 + 2*w1 - 3)^2").unwrap();
    let s = kobai::minimize_steps(&loss, &[Symbol::new("w0"), Symbol::new("w1")], &o).unwrap();
    out.push_str(&s.render_text(false));
    in_snapshot_folder(|| insta::assert_snapshot!("solving", out));
}

#[test]
fn the_tutorial_with_values_ends_at_the_gradient() {
    let at = kobai::parse_bindings("x1=2, target=5", &Limits::default()).unwrap();
    let s = diff_steps(&parse("((w1*x1)-target)^2").unwrap(), Symbol::new("w1"), &at, &Limits::default()).unwrap();
    assert_eq!(s.steps.last().map(|s| s.text.as_str()), Some("8*w1 - 20"));
    let latex = s.render_latex();
    assert!(latex.starts_with("\\begin{aligned}") && latex.trim_end().ends_with("\\end{aligned}"));
    assert_eq!(s.to_json()["steps"][0]["expr"], "d/dw1 ((w1*x1) - target)^2");
}

/// Consecutive values agree at random points (by an evaluator that knows
/// nothing of the steps), and the last line is the plain result.
fn steps_are_consistent(formula: &str, points: &[oracle::Point]) -> Result<(), TestCaseError> {
    let ast = oracle::parse(formula);
    let x = Symbol::new("x");
    let steps = match diff_steps(&ast, x, &[], &oracle::limits()) {
        Ok(s) => s,
        // Inputs that cannot be lowered (division by zero) are not explained.
        Err(kobai::Error::DivisionByZero { .. } | kobai::Error::Undefined { .. } | kobai::Error::Limit { .. }) => {
            return Ok(());
        }
        Err(e) => return Err(TestCaseError::fail(format!("{formula}: {e}"))),
    };
    let plain = kobai::derivative(&kobai::lower(&ast).unwrap(), x, 1, &oracle::limits()).unwrap();
    let last = steps.steps.last().and_then(|s| s.value.clone()).unwrap();
    prop_assert_eq!(&last, &plain, "{}: last step is not the plain result", formula);
    for point in points {
        let Some(expected) = oracle::float_derivative(&ast, point, "x") else { continue };
        for step in steps.steps.iter().skip(1) {
            let value = step.value.as_ref().unwrap();
            let Some(got) = oracle::kobai_float_at(value, point) else { continue };
            prop_assert!(
                oracle::close(got, expected, expected.abs().max(1.0)),
                "{}: step `{}` is {} at {:?}, d/dx is {}",
                formula,
                step.text,
                got,
                point,
                expected
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn rational_steps_agree(formula in oracle::rational(), points in oracle::points()) {
        steps_are_consistent(&formula, &points)?;
    }

    #[test]
    fn steps_with_functions_agree(formula in oracle::with_functions(), points in oracle::points()) {
        steps_are_consistent(&formula, &points)?;
    }
}
