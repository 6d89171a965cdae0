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
    if input.wants_steps() {
        let Some(&var) = vars.first() else {
            return Err(Error::Usage { message: "give the variable to differentiate by with --wrt".into() });
        };
        // Each further order explains the derivative of the previous result.
        let mut all = Vec::new();
        let mut ast = input.ast()?;
        for k in 1..=order {
            let at: &[(kobai::Symbol, kobai::Expr)] = if k == order { &bindings } else { &[] };
            let steps = kobai::diff_steps(&ast, var, at, &input.limits)?;
            if k < order {
                let last = steps.steps.last().map(|s| s.text.clone()).unwrap_or_default();
                ast = kobai::parse_with(&last, &input.limits)?;
            }
            all.push(steps);
        }
        return Ok(Output::Steps(all));
    }
    let mut d = e;
    for &v in &vars {
        d = kobai::derivative(&d, v, order, &input.limits)?;
    }
    Ok(Output::Expr { reading: input.parse_reading()?, expr: finish(&d, &bindings, input)?, approx: None })
}

/// `grad --wrt a,b,...`.
pub fn grad(input: &Input<'_>, wrt: &[String]) -> Result<Output, Error> {
    let (e, bindings, vars) = prepare(input, wrt)?;
    if input.wants_steps() {
        let ast = input.ast()?;
        let all =
            vars.iter().map(|&v| kobai::diff_steps(&ast, v, &bindings, &input.limits)).collect::<Result<_, _>>()?;
        return Ok(Output::Steps(all));
    }
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
