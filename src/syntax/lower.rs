//! Lowering: `Ast` to canonical `Expr`. (Being written.)
