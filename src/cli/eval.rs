//! `kobai eval`.

use kobai::Error;

use super::{Input, Output, check_bindings};

/// Substitutes the `--at` values and evaluates: an exact rational when the
/// value is rational, else the simplified expression with a decimal marked ≈.
pub fn eval(input: &Input<'_>) -> Result<Output, Error> {
    let e = input.expr()?;
    let bindings = input.bindings()?;
    check_bindings(&bindings, &e)?;
    let r = kobai::eval(&e, &bindings, &input.limits)?;
    let exact = kobai::simplify(&r.exact, &input.limits)?;
    Ok(Output::Expr { reading: input.parse_reading()?, expr: exact, approx: r.approx })
}
