//! Least squares on a small dataset with the library API: the loss
//! `(w0 + w1·x − t)²` summed over the rows of `examples/points.csv`, its exact
//! minimum, a few steps of gradient descent, and a plot of the descent.
//!
//! Run it with `cargo run --example least_squares`; it writes
//! `least_squares.svg` into the current folder.

use std::path::Path;

use kobai::{
    CsvReader, DescentOptions, Expr, FitOptions, Limits, PlotOptions, Poly, Q, Symbol, descend, fit, plot, read,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let csv = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/points.csv");

    // The straight line t ≈ w0 + w1·x that fits the rows best.
    let loss = read("(w0 + w1*x - t)^2")?;
    let mut data = CsvReader::open(&csv)?;
    let result = fit(&loss, &mut data, &FitOptions::default())?;
    println!("rows          {}", result.rows);
    println!("summed loss   {}", result.loss);
    let best = &result.report.points[0];
    for (w, value) in &best.point.values {
        println!("best {w}       {}", value.exact().map(|e| e.to_string()).unwrap_or_default());
    }
    assert_eq!(best.point.values[0].1.rational(), Some(Q::new(1, 2)));
    assert_eq!(best.point.values[1].1.rational(), Some(Q::new(7, 5)));

    // Gradient descent walks there: exact fractions, and an exact verdict.
    let run =
        descend(&result.loss, &DescentOptions::new(Q::new(1, 100), vec![Q::zero(), Q::zero()]).with_iterations(5))?;
    for it in &run.iterations {
        let w: Vec<String> = it.values.iter().map(|v| v.to_string()).collect();
        println!("step {}  w = ({})  loss = {}", it.step, w.join(", "), it.loss);
    }
    if let Some(q) = &run.quadratic {
        println!("{}: {}", run.outcome.word(), q.reason);
    }

    // With one weight, the loss and its descent can be drawn.
    let slope_only = read("30*w^2 - 94*w + 74")?; // (w·x − t)² summed over the rows
    let one = Poly::from_expr(&slope_only, &[Expr::symbol("w")], &Limits::default())?;
    let path = descend(&one, &DescentOptions::new(Q::new(1, 100), vec![Q::zero()]).with_iterations(8))?;
    let steps: Vec<f64> = path.iterations.iter().map(|i| i.values[0].to_f64()).collect();
    let picture = plot(&slope_only, &PlotOptions::new(Symbol::new("w"), Q::from(-1), Q::from(3)).with_descent(steps))?;
    let (svg, _) = picture.to_svg(800, 500)?;
    std::fs::write("least_squares.svg", svg)?;
    println!("wrote least_squares.svg");
    Ok(())
}
