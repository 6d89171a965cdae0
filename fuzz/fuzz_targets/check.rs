//! `check`: claims and derivations as text never panic; and on any formula
//! `E` that reads, the checker agrees with the engine: `E = E`,
//! `E = expand(E)` and `d/dx E = derivative(E)` hold, and `E = E + 1` does
//! not hold where `E` has a value.
#![no_main]

#[path = "common.rs"]
mod common;

use kobai::{CheckOptions, Expr};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(input) = common::text(data) else { return };
    let options = CheckOptions { limits: common::small_limits(), samples: 4, seed: 7 };
    let _ = kobai::check_claim(input, &options);
    let _ = kobai::check_derivation(input, &options);
    let Ok(e) = kobai::read_with(input, &options.limits) else { return };
    if let Ok(r) = kobai::check_equal(&e, &e, &options) {
        assert!(r.holds(), "{input:?}: E = E does not hold: {r:?}");
    }
    if let Ok(x) = kobai::expand(&e, &options.limits)
        && let Ok(r) = kobai::check_equal(&e, &x, &options)
    {
        assert!(r.holds(), "{input:?}: E = expand(E) = {x} does not hold: {r:?}");
    }
    let symbols = e.symbols();
    if common::value(&e, &common::point(&symbols, 0)).is_some()
        && let Ok(r) = kobai::check_equal(&e, &Expr::add(&e, &Expr::one()), &options)
    {
        assert!(!r.holds(), "{input:?}: E = E + 1 holds: {r:?}");
    }
    if let Some(x) = symbols.first()
        && let Ok(d) = kobai::derivative(&e, *x, 1, &options.limits)
        && let Ok(r) = kobai::check_derivative(&e, *x, 1, &d, &options)
    {
        assert!(r.holds(), "{input:?}: d/d{x} E = {d} does not hold: {r:?}");
    }
});
