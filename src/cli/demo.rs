//! `kobai demo`: the tutorial's one-data-point example, end to end.

use kobai::{Error, Expr, Limits, Symbol};

use super::Output;

/// The tutorial: `target = w1 × x1` with one data point x1 = 2, target = 5.
pub fn demo() -> Result<Output, Error> {
    let limits = Limits::default();
    let predict = kobai::read("w1*x1")?;
    let error = kobai::read("predict - target")?;
    let error = kobai::subs(&error, &[(Symbol::new("predict"), predict.clone())])?;
    let square_error = Expr::pow(&error, &Expr::int(2));
    let data = kobai::parse_bindings("x1=2, target=5", &limits)?;
    let at_point = kobai::subs(&square_error, &data)?;
    let expanded = kobai::expand(&at_point, &limits)?;
    let w1 = Symbol::new("w1");
    let gradient = kobai::derivative(&square_error, w1, 1, &limits)?;
    let gradient_at = kobai::expand(&kobai::subs(&gradient, &data)?, &limits)?;
    let report = kobai::stationary_points(&at_point, &[w1], &kobai::SolveOptions::default())?;
    let mut best = Vec::new();
    for p in &report.points {
        if let [(_, c)] = p.point.values.as_slice()
            && let Some(e) = c.exact()
        {
            best.push((format!("gradient zero at w1 ({})", p.kind.word()), e));
        }
    }
    let mut walk = vec![
        ("predict".into(), predict),
        ("error".into(), error),
        ("square_error".into(), square_error),
        ("at x1 = 2, target = 5".into(), at_point),
        ("expanded".into(), expanded),
        ("d/dw1".into(), gradient),
        ("d/dw1 at the data".into(), gradient_at),
    ];
    walk.extend(best);
    Ok(Output::Walk(walk))
}
