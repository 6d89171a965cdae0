//! kobai (勾配, "gradient"): exact symbolic differentiation for learners of
//! machine-learning mathematics.
//!
//! Text is parsed into an [`Ast`] that keeps what the user wrote, lowered to
//! a canonical [`Expr`], and then expanded, simplified, differentiated and
//! evaluated with exact rational arithmetic ([`Q`]).
//!
//! The tutorial's pipeline, `target = w1 × x1` with one data point
//! (x1 = 2, target = 5):
//!
//! ```
//! use kobai::{derivative, expand, parse_bindings, read, subs, Limits, Symbol};
//! let limits = Limits::default();
//! let square_error = read("((w1*x1)-target)^2")?;
//! let data = parse_bindings("x1=2, target=5", &limits)?;
//! let at_point = subs(&square_error, &data)?;
//! assert_eq!(expand(&at_point, &limits)?.to_string(), "4*w1^2 - 20*w1 + 25");
//! let gradient = derivative(&at_point, Symbol::new("w1"), 1, &limits)?;
//! assert_eq!(gradient.to_string(), "8*w1 - 20");
//! let at_best = parse_bindings("w1=5/2", &limits)?;
//! assert!(subs(&gradient, &at_best)?.is_zero());
//! # Ok::<(), kobai::Error>(())
//! ```

#![warn(missing_docs)]
// Issue 7: no panic on user input. These lints flag the panicking shortcuts
// (`unwrap`, `expect`, `v[i]`) in library and binary code; CI runs clippy with
// `-D warnings`, so they are errors. Tests, benches and doctests are exempt.
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

mod check;
mod data;
mod descent;
mod diff;
mod error;
mod expand;
mod expr;
mod fit;
mod limits;
mod number;
mod plot;
mod poly;
mod print;
mod simplify;
mod size;
mod solve;
mod steps;
mod subs;
mod symbol;
mod syntax;
mod worksheet;

pub use check::{
    CheckOptions, ClaimReport, Counterexample, DerivationReport, DerivationStep, Domain, EqualityReport, Hint,
    Identity, Method, Proof, SideValue, SolutionReport, StationaryCheck, StepReport, ValueCheck, Verdict, check_claim,
    check_derivation, check_derivative, check_equal, check_solution,
};
pub use data::{CsvReader, DataError};
pub use descent::{Descent, DescentOptions, Iterate, Number, Outcome, QuadraticAnalysis, StableRange, Stop, descend};
pub use diff::{derivative, diff, gradient, hessian};
pub use error::{Error, Result};
pub use expand::expand;
pub use expr::{Expr, Func, Node, term_order};
pub use fit::{Fit, FitError, FitOptions, LossSum, fit, split_variables, sum_rows};
pub use limits::Limits;
pub use number::{DecimalError, Q};
pub use plot::{Frame, Plot, PlotOptions, Series, SeriesKind, plot};
pub use poly::{Poly, UPoly};
pub use print::{latex, structural, text, unicode};
pub use simplify::{simplify, tidy};
pub use solve::linear::{
    Affine, Definiteness, Family, Inconsistency, Inertia, LinearSolution, MatrixError, determinant, inertia,
    matrix_rank, solve_linear,
};
pub use solve::roots::{IntervalRoot, QuadraticRoot, RealRoot, RootValue, real_roots};
pub use solve::stationary::{
    Coordinate, Kind, Point, Solutions, SolveOptions, Stationary, StationaryReport, Value, solve_equations,
    stationary_points,
};
pub use steps::{Step, Steps, diff_steps, expand_steps, minimize_steps, simplify_steps, solve_steps, statement_steps};
pub use subs::{Bindings, Evaluation, eval, parse_bindings, subs};
pub use symbol::Symbol;
pub use syntax::KNOWN_FUNCTIONS;
pub use syntax::ast::{Ast, AstKind, Bracket, MulStyle};
pub use syntax::lower::{lower, read, read_equation, read_with};
pub use syntax::parse::{parse, parse_with};
pub use syntax::span::Span;
pub use worksheet::{SheetCommand, SheetError, SheetOutcome, SheetValue, Worksheet, WorksheetOptions};
