//! `simplify` and `tidy`: choosing the form a result is shown in.

use crate::error::{Error, Result};
use crate::expand::expand;
use crate::expr::{Expr, Node};
use crate::limits::Limits;

/// The simplest form kobai knows: like terms collected and numbers folded
/// (the canonical form does that by construction), then the expanded form
/// if it is smaller. `(x + 1)^2 - x^2 - 2*x` becomes `1`, while `(x + 1)^10`
/// stays as it is.
///
/// ```
/// use kobai::{read, simplify, Limits};
/// let l = Limits::default();
/// assert_eq!(simplify(&read("(x+1)^2 - x^2 - 2*x").unwrap(), &l).unwrap().to_string(), "1");
/// assert_eq!(simplify(&read("(x+1)^10").unwrap(), &l).unwrap().to_string(), "(x + 1)^10");
/// ```
pub fn simplify(e: &Expr, limits: &Limits) -> Result<Expr> {
    match expand(e, limits) {
        Ok(x) if size(&x) < size(e) => Ok(x),
        Ok(_) | Err(Error::Limit { .. }) => Ok(e.clone()),
        Err(other) => Err(other),
    }
}

/// The form results are printed in: polynomials expanded (so they print in
/// the canonical term order), everything else [`simplify`]d.
///
/// ```
/// use kobai::{read, tidy, Limits};
/// let l = Limits::default();
/// assert_eq!(tidy(&read("2*(w1*x1 - target)*x1").unwrap(), &l).unwrap().to_string(), "2*w1*x1^2 - 2*target*x1");
/// assert_eq!(tidy(&read("exp(x)*(x+1)").unwrap(), &l).unwrap().to_string(), "exp(x)*(x + 1)");
/// // The cross-entropy gradient collapses to the famous σ(z) − t:
/// let g = read("-t*(1 - sigmoid(z)) + sigmoid(z)*(1 - t)").unwrap();
/// assert_eq!(tidy(&g, &l).unwrap().to_string(), "sigmoid(z) - t");
/// ```
pub fn tidy(e: &Expr, limits: &Limits) -> Result<Expr> {
    if e.is_polynomial() { expand(e, limits) } else { simplify(e, limits) }
}

/// The number of nodes, a measure of how much there is to read.
fn size(e: &Expr) -> usize {
    1 + match e.node() {
        Node::Num(_) | Node::Sym(_) => 0,
        Node::Sum { terms, .. } => terms.iter().map(|(t, _)| 1 + size(t)).sum(),
        Node::Product { factors, .. } => factors.iter().map(|(b, x)| size(b) + size(x)).sum(),
        Node::Pow(b, x) => size(b) + size(x),
        Node::Call(_, a) => size(a),
    }
}
