//! The parser on arbitrary text: it must return `Ok` or a typed error,
//! never panic, and spans must lie inside the text on character
//! boundaries. What parses must lower, and its fully parenthesized reading
//! (`--show-parse`) must read back to the same expression.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(input) = common::text(data) else { return };
    let limits = common::small_limits();
    let parsed = kobai::parse_with(input, &limits);
    // An equation, bindings and the lowering go through the same reader but
    // split the text first.
    if let Err(e) = kobai::read_equation(input, &limits)
        && let Some(span) = e.span()
    {
        assert!(span.start <= span.end && span.end <= input.len(), "{input:?}: span {span:?} of {e}");
    }
    let _ = kobai::parse_bindings(input, &limits);
    let ast = match parsed {
        Ok(ast) => ast,
        Err(e) => {
            let span = e.span();
            if let Some(span) = span {
                assert!(span.start <= span.end && span.end <= input.len(), "{input:?}: span {span:?} of {e}");
                assert!(
                    input.is_char_boundary(span.start) && input.is_char_boundary(span.end),
                    "{input:?}: span {span:?} splits a character"
                );
            }
            assert!(!e.to_string().is_empty(), "{input:?}: empty message");
            return;
        }
    };
    assert!(ast.span.end <= input.len(), "{input:?}: span {:?}", ast.span);
    let Ok(lowered) = kobai::lower(&ast) else { return };
    // What the reader refuses under the limits (numbers too large, powers
    // of numbers too large to compute) is not something kobai works on.
    if kobai::read_with(input, &limits).is_err() {
        return;
    }
    let reading = ast.to_string();
    match kobai::read_with(&reading, &common::reading_limits()) {
        Ok(back) => {
            assert!(back == lowered, "{input:?} reads as {reading:?}, which lowers to {back} instead of {lowered}")
        }
        Err(e) => panic!("{input:?} reads as {reading:?}, which does not parse: {e}"),
    }
});
