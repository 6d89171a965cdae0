//! The tutorial's one-data-point example with the library API:
//! `target = w1 × x1` with x1 = 2 and target = 5.
//!
//! Run it with `cargo run --example tutorial`.

use kobai::{Expr, Limits, Symbol, derivative, expand, parse_bindings, read, subs};

fn main() -> Result<(), kobai::Error> {
    let limits = Limits::default();

    // The model predicts target from x1 with one weight.
    let predict = read("w1 × x1")?;
    // How far the prediction is from the target, and its square.
    let error = Expr::sub(&predict, &read("target")?);
    let square_error = Expr::pow(&error, &Expr::int(2));
    println!("predict       = {predict}");
    println!("error         = {error}");
    println!("square_error  = {square_error}");

    // One data point: x1 = 2, target = 5.
    let data = parse_bindings("x1=2, target=5", &limits)?;
    let at_point = subs(&square_error, &data)?;
    let expanded = expand(&at_point, &limits)?;
    println!("at the data   = {at_point} = {expanded}");
    assert_eq!(expanded, read("4*w1^2 - 20*w1 + 25")?);

    // The gradient: d/dw1 of the square error, in general and at the data.
    let w1 = Symbol::new("w1");
    let gradient = derivative(&square_error, w1, 1, &limits)?;
    let gradient_at = derivative(&at_point, w1, 1, &limits)?;
    println!("d/dw1         = {gradient}");
    println!("at the data   = {gradient_at}");
    assert_eq!(gradient_at, read("8*w1 - 20")?);

    // The gradient is zero at w1 = 20/8 = 5/2, where the error vanishes.
    let at_best = parse_bindings("w1=5/2", &limits)?;
    println!(
        "at w1 = 5/2: gradient = {}, square_error = {}",
        subs(&gradient_at, &at_best)?,
        subs(&expanded, &at_best)?
    );
    Ok(())
}
