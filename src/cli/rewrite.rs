//! `kobai expand` and `kobai simplify`.

use kobai::Error;

use super::{Input, Output, check_bindings};

/// `expand`: substitute `--at` values, then multiply everything out.
pub fn expand(input: &Input<'_>) -> Result<Output, Error> {
    let e = input.expr()?;
    let bindings = input.bindings()?;
    check_bindings(&bindings, &e)?;
    let e = kobai::subs(&e, &bindings)?;
    Ok(Output::Expr { reading: input.parse_reading()?, expr: kobai::expand(&e, &input.limits)?, approx: None })
}

/// `simplify`: substitute `--at` values, then the simplest canonical form.
pub fn simplify(input: &Input<'_>) -> Result<Output, Error> {
    let e = input.expr()?;
    let bindings = input.bindings()?;
    check_bindings(&bindings, &e)?;
    let e = kobai::subs(&e, &bindings)?;
    Ok(Output::Expr { reading: input.parse_reading()?, expr: kobai::simplify(&e, &input.limits)?, approx: None })
}
