//! kobai (勾配, "gradient"): exact symbolic differentiation for learners of
//! machine-learning mathematics.

#![warn(missing_docs)]

mod error;
mod limits;
mod number;
mod symbol;
mod syntax;

pub use error::{Error, Result};
pub use limits::Limits;
pub use number::{DecimalError, Q};
pub use symbol::Symbol;
pub use syntax::ast::{Ast, AstKind, Bracket, MulStyle};
pub use syntax::parse::{parse, parse_with};
pub use syntax::span::Span;
pub use syntax::KNOWN_FUNCTIONS;
