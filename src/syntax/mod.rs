//! Surface syntax: spans, the `Ast`, the nom parser, and lowering to `Expr`.

pub mod ast;
pub mod lower;
pub mod parse;
pub mod span;

/// The function names the parser knows, as written by users.
pub const KNOWN_FUNCTIONS: &[&str] =
    &["exp", "ln", "log", "sqrt", "sin", "cos", "tan", "tanh", "sigmoid", "abs", "sign"];
