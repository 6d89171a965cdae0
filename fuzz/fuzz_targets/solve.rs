//! `solve_equations` and `stationary_points` with small limits, on up to
//! three equations separated by `;`: no panic, no runaway work, and every
//! solution with rational coordinates satisfies the equations exactly.
#![no_main]

#[path = "common.rs"]
mod common;

use kobai::{Coordinate, Expr, Solutions, SolveOptions, Symbol};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(input) = common::text(data) else { return };
    let limits = common::small_limits();
    let mut equations = Vec::new();
    for piece in input.split(';').take(3) {
        match kobai::read_equation(piece, &limits) {
            Ok(e) => equations.push(e),
            Err(_) => return,
        }
    }
    let mut vars: Vec<Symbol> = equations.iter().flat_map(Expr::symbols).collect();
    vars.sort();
    vars.dedup();
    if vars.is_empty() || vars.len() > 3 {
        return;
    }
    let options = SolveOptions::default().with_limits(limits).with_digits(8);
    if let Ok(Solutions::Finite(points)) = kobai::solve_equations(&equations, &vars, &options) {
        for p in &points {
            satisfies(input, &equations, &p.values);
        }
    }
    if let Some(loss) = equations.first()
        && let Ok(report) = kobai::stationary_points(loss, &vars, &options)
    {
        let gradient: Vec<Expr> = vars.iter().map(|v| kobai::diff(loss, *v)).collect();
        for s in &report.points {
            satisfies(input, &gradient, &s.point.values);
        }
    }
});

/// Asserts that the equations vanish at a point whose coordinates are all
/// rational (other points are not checked here).
fn satisfies(input: &str, equations: &[Expr], values: &[(Symbol, Coordinate)]) {
    let Some(at) = values.iter().map(|(s, c)| c.rational().map(|q| (*s, Expr::num(q)))).collect::<Option<Vec<_>>>()
    else {
        return;
    };
    for e in equations {
        if let Some(v) = common::value(e, &at) {
            assert!(v.is_zero(), "{input:?}: {e} is {v} at the solution {at:?}");
        }
    }
}
