//! `kobai diff`, `kobai grad` and `kobai hessian`.

use kobai::Error;

use super::{Input, Output, check_bindings, variables};

/// Differentiates first, then substitutes the `--at` values, so the result
/// is the derivative evaluated there.
fn prepare(input: &Input<'_>, wrt: &[String]) -> Result<(kobai::Expr, kobai::Bindings, Vec<kobai::Symbol>), Error> {
    let e = input.expr()?;
    let bindings = input.bindings()?;
    check_bindings(&bindings, &e)?;
    let vars = variables(wrt, &e, &bindings)?;
    Ok((e, bindings, vars))
}

fn finish(d: &kobai::Expr, bindings: &kobai::Bindings, input: &Input<'_>) -> Result<kobai::Expr, Error> {
    kobai::tidy(&kobai::subs(d, bindings)?, &input.limits)
}

/// `diff --wrt x [--order n]`.
pub fn diff(input: &Input<'_>, wrt: &str, order: u32) -> Result<Output, Error> {
    let (e, bindings, vars) = prepare(input, &[wrt.to_string()])?;
    let mut d = e;
    for &v in &vars {
        d = kobai::derivative(&d, v, order, &input.limits)?;
    }
    Ok(Output::Expr { reading: input.parse_reading()?, expr: finish(&d, &bindings, input)?, approx: None })
}

/// `grad --wrt a,b,...`.
pub fn grad(input: &Input<'_>, wrt: &[String]) -> Result<Output, Error> {
    let (e, bindings, vars) = prepare(input, wrt)?;
    let items = kobai::gradient(&e, &vars, &input.limits)?
        .iter()
        .map(|d| finish(d, &bindings, input))
        .collect::<Result<_, _>>()?;
    Ok(Output::Gradient { reading: input.parse_reading()?, vars, items })
}

/// `hessian --wrt a,b,...`.
pub fn hessian(input: &Input<'_>, wrt: &[String]) -> Result<Output, Error> {
    let (e, bindings, vars) = prepare(input, wrt)?;
    let rows = kobai::hessian(&e, &vars, &input.limits)?
        .iter()
        .map(|row| row.iter().map(|d| finish(d, &bindings, input)).collect::<Result<Vec<_>, _>>())
        .collect::<Result<_, _>>()?;
    Ok(Output::Hessian { reading: input.parse_reading()?, vars, rows })
}
