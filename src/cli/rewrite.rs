//! `kobai expand` and `kobai simplify`.

use kobai::Error;

use super::{Input, Output, check_bindings};

/// `expand`: substitute `--at` values, then multiply everything out.
pub fn expand(input: &Input<'_>) -> Result<Output, Error> {
    let e = input.expr()?;
    let bindings = input.bindings()?;
    check_bindings(&bindings, &e)?;
    if input.wants_steps() {
        return Ok(Output::Steps(vec![kobai::expand_steps(&input.ast()?, &bindings, &input.limits)?]));
    }
    let e = kobai::subs(&e, &bindings)?;
    Ok(Output::Expr { reading: input.parse_reading()?, expr: kobai::expand(&e, &input.limits)?, approx: None })
}

/// `simplify`: substitute `--at` values, then the simplest canonical form.
pub fn simplify(input: &Input<'_>) -> Result<Output, Error> {
    let e = input.expr()?;
    let bindings = input.bindings()?;
    check_bindings(&bindings, &e)?;
    if input.wants_steps() {
        return Ok(Output::Steps(vec![kobai::simplify_steps(&input.ast()?, &bindings, &input.limits)?]));
    }
    let e = kobai::subs(&e, &bindings)?;
    Ok(Output::Expr { reading: input.parse_reading()?, expr: kobai::simplify(&e, &input.limits)?, approx: None })
}
