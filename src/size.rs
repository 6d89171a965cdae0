//! How large an expression is when written out.
//!
//! Expressions share subtrees, so a small value can stand for an enormous
//! text: in a worksheet, forty lines of `a = (a + 1)*(a + 2)` build a value of
//! 2^40 nodes in a few kilobytes of memory, and each order of a derivative
//! can multiply the size. Printing such a value, or differentiating it
//! again, would never end. [`check`] measures a value once, counting a
//! shared subtree every time it appears (as the printer would), in time
//! linear in the number of distinct subtrees, and refuses it past the
//! limits.

use std::collections::HashMap;

use crate::error::Error;
use crate::expr::{Expr, Node};
use crate::limits::Limits;

/// Its nodes when written out (saturating), and its nesting depth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Size {
    /// Nodes, counting a shared subtree each time it appears.
    pub(crate) nodes: u64,
    /// The longest path from the root to a leaf, in nodes.
    pub(crate) depth: usize,
}

/// The operands of a node, in no particular order.
fn children(e: &Expr) -> Vec<&Expr> {
    match e.node() {
        Node::Num(_) | Node::Sym(_) => Vec::new(),
        Node::Sum { terms, .. } => terms.iter().map(|(t, _)| t).collect(),
        Node::Product { factors, .. } => factors.iter().flat_map(|(b, x)| [b, x]).collect(),
        Node::Pow(b, x) => vec![b, x],
        Node::Call(_, a) => vec![a],
    }
}

/// Measures `e` without recursion, memoizing shared subtrees.
pub(crate) fn measure(e: &Expr) -> Size {
    let mut done: HashMap<Expr, Size> = HashMap::new();
    let mut stack: Vec<(Expr, bool)> = vec![(e.clone(), false)];
    while let Some((top, expanded)) = stack.pop() {
        if done.contains_key(&top) {
            continue;
        }
        if !expanded {
            stack.push((top.clone(), true));
            for c in children(&top) {
                if !done.contains_key(c) {
                    stack.push((c.clone(), false));
                }
            }
            continue;
        }
        let mut size = Size { nodes: 1, depth: 1 };
        for c in children(&top) {
            let s = done.get(c).copied().unwrap_or(Size { nodes: 1, depth: 1 });
            size.nodes = size.nodes.saturating_add(s.nodes);
            size.depth = size.depth.max(s.depth.saturating_add(1));
        }
        done.insert(top, size);
    }
    done.get(e).copied().unwrap_or(Size { nodes: 1, depth: 1 })
}

/// Refuses a value deeper than [`Limits::max_depth`] or with more nodes
/// written out than [`Limits::max_terms`]; `what` names it (`the value of
/// `a``).
pub(crate) fn check(e: &Expr, what: &str, limits: &Limits) -> Result<(), Error> {
    let size = measure(e);
    if size.depth > limits.max_depth {
        return Err(Error::Limit {
            what: "nesting depth",
            limit: limits.max_depth as u64,
            reached: format!("{what} is nested {} deep", size.depth),
            flag: "--max-depth",
        });
    }
    if size.nodes > limits.max_terms as u64 {
        let nodes = if size.nodes == u64::MAX { "more than 2^64".to_string() } else { size.nodes.to_string() };
        return Err(Error::Limit {
            what: "number of terms",
            limit: limits.max_terms as u64,
            reached: format!("{what} has {nodes} terms, factors and calls when written out"),
            flag: "--max-terms",
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_subtrees_count_every_time_they_appear() {
        let x = Expr::symbol("x");
        let s = Expr::call(crate::expr::Func::Sin, &x);
        // sin(x) + sin(x)^2: the sum; sin(x); the power, sin(x) again and 2.
        let e = Expr::add(&s, &Expr::pow(&s, &Expr::int(2)));
        assert_eq!(measure(&e), Size { nodes: 7, depth: 4 });
        // Twenty levels of a = (a + 1)*(a + 2), x + 1 at the bottom (a sum, so x + 2 merges into one):
        // more than 2^21 nodes written out, from about 60 distinct subtrees.
        let mut a = Expr::add(&x, &Expr::one());
        for _ in 0..20 {
            a = Expr::mul(&Expr::add(&a, &Expr::one()), &Expr::add(&a, &Expr::int(2)));
        }
        let size = measure(&a);
        assert_eq!(size.depth, 2 * 20 + 1);
        assert!(size.nodes > 1 << 21, "{size:?}");
        assert!(check(&a, "the value of `a`", &Limits::default()).is_err());
        assert!(check(&a, "the value of `a`", &Limits::default().with_max_terms(100_000_000)).is_ok());
    }
}
