//! Printers: the same `Expr` as plain text, unicode, LaTeX, JSON and an
//! explicit structural form for snapshots.

mod latex;
mod structural;
mod text;
mod unicode;

pub use latex::latex;
pub use structural::structural;
pub use text::text;
pub use unicode::unicode;
