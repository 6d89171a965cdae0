//! Differentiation with small limits: `derivative`, `gradient`, `hessian`
//! and the step-by-step explanation never panic; a derivative reads back
//! from its text; for polynomials it agrees exactly with the derivative of
//! the packed `Poly`.
#![no_main]

#[path = "common.rs"]
mod common;

use kobai::{Expr, Poly, Symbol};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte chooses the variable and the order; the rest is the formula.
    let Some((&choice, rest)) = data.split_first() else { return };
    let Some(input) = common::text(rest) else { return };
    let limits = common::small_limits();
    let Ok(ast) = kobai::parse_with(input, &limits) else { return };
    let Ok(e) = kobai::lower(&ast) else { return };
    // What the reader refuses under the limits (numbers too large, powers
    // of numbers too large to compute) is not something kobai works on.
    if kobai::read_with(input, &limits).is_err() {
        return;
    }
    let symbols = e.symbols();
    let x = match symbols.get(usize::from(choice) % (symbols.len() + 1)) {
        Some(s) => *s,
        None => Symbol::new("x"),
    };
    let order = u32::from(choice >> 6) + 1;
    let d = match kobai::derivative(&e, x, order, &limits) {
        Ok(d) => d,
        Err(_) => return,
    };
    common::assert_text_round_trip("derivative", input, &d);
    if e.is_polynomial() {
        let gens: Vec<Expr> = symbols.iter().map(|s| Expr::sym(*s)).collect();
        if let (Some(i), Ok(p)) = (symbols.iter().position(|s| *s == x), Poly::from_expr(&e, &gens, &limits)) {
            let mut pd = p;
            for _ in 0..order {
                pd = pd.derivative(i);
            }
            if let Ok(dx) = kobai::expand(&d, &limits) {
                assert!(dx == pd.to_expr(), "d/d{x} of {input:?}: {dx} but the polynomial gives {pd}");
            }
        }
    }
    if symbols.len() <= 3 {
        let _ = kobai::gradient(&e, &symbols, &limits);
        let _ = kobai::hessian(&e, &symbols, &limits);
    }
    let _ = kobai::diff_steps(&ast, x, &[], &limits);
});
