//! Bad input gets a typed error that points at the right character.

use kobai::{Error, Span, parse, read};

/// Asserts that `input` fails to parse with a span starting at `at` and a
/// message containing `says`.
#[track_caller]
fn fails_at(input: &str, at: usize, says: &str) {
    let err = parse(input).expect_err(input);
    let span = err.span().unwrap_or_else(|| panic!("{input:?}: no span in {err:?}"));
    assert_eq!(span.start, at, "{input:?}: {err}");
    assert!(err.to_string().contains(says), "{input:?}: {err}");
}

#[test]
fn the_issue_cases_point_at_the_offending_character() {
    fails_at("((w1*x1)-)^2", 9, "expected an operand after `-`");
    fails_at("2*(x", 4, "expected `)` to close the `(`");
    fails_at(")(", 0, "`)`");
    fails_at("x^", 2, "end of input");
    fails_at("sin()", 4, "argument");
    fails_at("", 0, "empty input");
    fails_at("   ", 3, "empty input");
    fails_at("+", 1, "end of input");
    fails_at("*", 0, "`*`");
}

#[test]
fn unknown_functions_suggest_the_nearest_one() {
    let err = parse("foo(x)").unwrap_err();
    assert!(
        matches!(&err, Error::UnknownFunction { name, suggestion: None, span } if name == "foo" && *span == Span::new(0, 3))
    );
    let err = parse("2 + sigmoyd(x)").unwrap_err();
    assert!(
        matches!(&err, Error::UnknownFunction { suggestion: Some(s), span, .. } if s == "sigmoid" && span.start == 4)
    );
}

#[test]
fn more_malformed_expressions() {
    fails_at("2**", 3, "end of input");
    fails_at("^2", 0, "`^`");
    fails_at("x^^2", 2, "`^`");
    fails_at("(x]", 2, "`]`");
    fails_at("x)", 1, "`)`");
    fails_at("1e", 2, "digits after the exponent marker");
    fails_at("x $", 2, "`$`");
}

#[test]
fn literal_division_by_zero_points_at_the_divisor() {
    let err = read("x/(1-1)").unwrap_err();
    assert_eq!(err, Error::DivisionByZero { span: Some(Span::new(2, 7)) });
    assert!(matches!(read("0^-1"), Err(Error::DivisionByZero { .. })));
    assert!(matches!(read("0^0"), Err(Error::Undefined { .. })));
    assert!(matches!(read("ln(0)"), Err(Error::Undefined { .. })));
}

#[test]
fn deep_nesting_is_a_limit_error_not_a_crash() {
    let deep = "(".repeat(100_000) + "x" + &")".repeat(100_000);
    assert!(matches!(parse(&deep), Err(Error::Limit { what: "nesting depth", .. })));
}
