//! parse → lower → print → parse: the plain text form of every expression
//! reads back to the same `Expr`, before and after `simplify`; and lowering
//! keeps the value of what was written (checked exactly at rational points
//! against an evaluator of the `Ast` that does not lower).
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(input) = common::text(data) else { return };
    let limits = common::small_limits();
    let Ok(ast) = kobai::parse_with(input, &limits) else { return };
    let Ok(e) = kobai::lower(&ast) else { return };
    // What the reader refuses under the limits (numbers too large, powers
    // of numbers too large to compute) is not something kobai works on.
    if kobai::read_with(input, &limits).is_err() {
        return;
    }
    common::assert_text_round_trip("lowered", input, &e);
    common::assert_lowering_keeps_values(input, &ast, &e);
    // The other printers must not panic either.
    let _ = kobai::unicode(&e);
    let _ = kobai::latex(&e);
    let _ = kobai::structural(&e);
    if let Ok(s) = kobai::simplify(&e, &limits) {
        common::assert_text_round_trip("simplified", input, &s);
        common::assert_same_values("simplify", input, &e, &s);
    }
});
