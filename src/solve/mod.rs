//! Exact solving: real roots of one polynomial, linear systems, and the
//! stationary points of a loss.

pub mod linear;
pub mod roots;
pub mod stationary;
