//! The nom parser: text to `Ast`. (Being written.)

use super::ast::Ast;
use crate::error::Result;
use crate::limits::Limits;

/// Parses one expression with the default limits.
///
/// ```
/// assert_eq!(kobai::parse("1/2x").unwrap().to_string(), "((1/2)*x)");
/// ```
pub fn parse(text: &str) -> Result<Ast> {
    parse_with(text, &Limits::default())
}

/// Parses one expression, refusing nesting deeper than `limits.max_depth`.
///
/// ```
/// let deep = "(".repeat(1000) + "x" + &")".repeat(1000);
/// assert!(kobai::parse_with(&deep, &kobai::Limits::default()).is_err());
/// ```
pub fn parse_with(text: &str, limits: &Limits) -> Result<Ast> {
    let _ = (text, limits);
    todo!()
}
