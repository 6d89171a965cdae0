//! `expand`, `simplify` and `tidy` with small limits: no panic, no runaway
//! work; the results read back from their text, keep the value of the input
//! at rational points, and expanding twice changes nothing.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(input) = common::text(data) else { return };
    let limits = common::small_limits();
    let Ok(e) = kobai::read_with(input, &limits) else { return };
    if let Ok(x) = kobai::expand(&e, &limits) {
        common::assert_text_round_trip("expanded", input, &x);
        common::assert_same_values("expand", input, &e, &x);
        if let Ok(again) = kobai::expand(&x, &limits) {
            assert!(again == x, "expand is not idempotent on {input:?}: {x} then {again}");
        }
        if e.is_polynomial() {
            assert!(x.is_polynomial(), "expanding the polynomial {input:?} gave {x}");
        }
    }
    if let Ok(t) = kobai::tidy(&e, &limits) {
        common::assert_same_values("tidy", input, &e, &t);
    }
    // Evaluating must not panic whatever the values.
    for k in 0..2 {
        let at = common::point(&e.symbols(), k);
        let _ = kobai::eval(&e, &at, &limits);
    }
});
