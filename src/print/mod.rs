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

/// The order in which the printers show the items of a sum: the stored term
/// order with the constant last (`Some(k)` is term `k`, `None` the constant),
/// except that a sum does not open with a minus sign when it has a positive
/// item: the first positive one is moved to the front, so `1 - x` and
/// `sigmoid(z) - t` print as people write them. Any order reads back to the
/// same canonical sum.
pub(crate) fn sum_order(constant: &crate::Q, terms: &[(crate::Expr, crate::Q)]) -> Vec<Option<usize>> {
    let mut order: Vec<Option<usize>> = (0..terms.len()).map(Some).collect();
    if !constant.is_zero() {
        order.push(None);
    }
    let negative = |item: &Option<usize>| match item {
        Some(k) => terms.get(*k).is_some_and(|(_, c)| c.is_negative()),
        None => constant.is_negative(),
    };
    if order.first().is_some_and(negative)
        && let Some(pos) = order.iter().position(|item| !negative(item))
    {
        let item = order.remove(pos);
        order.insert(0, item);
    }
    order
}
