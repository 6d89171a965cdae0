//! The explicit structural (s-expression) form, for snapshots and debugging.

use crate::expr::{Expr, Node};

/// The structure of `e` as an s-expression: `(+ c (* k t) ...)`,
/// `(* k (^ b e) ...)`, `(^ b e)`, `(f x)`.
///
/// ```
/// let e = kobai::read("4*w1^2 - 20*w1 + 25").unwrap();
/// assert_eq!(kobai::structural(&e), "(+ 25 (* 4 (^ w1 2)) (* -20 w1))");
/// ```
pub fn structural(e: &Expr) -> String {
    let mut out = String::new();
    write(e, &mut out);
    out
}

fn write(e: &Expr, out: &mut String) {
    match e.node() {
        Node::Num(q) => out.push_str(&q.to_string()),
        Node::Sym(s) => out.push_str(s.name()),
        Node::Sum { constant, terms } => {
            out.push_str("(+ ");
            out.push_str(&constant.to_string());
            for (t, c) in terms {
                out.push(' ');
                if c.is_one() {
                    write(t, out);
                } else {
                    out.push_str("(* ");
                    out.push_str(&c.to_string());
                    out.push(' ');
                    write(t, out);
                    out.push(')');
                }
            }
            out.push(')');
        }
        Node::Product { coeff, factors } => {
            out.push_str("(* ");
            out.push_str(&coeff.to_string());
            for (b, x) in factors {
                out.push(' ');
                if x.is_one() {
                    write(b, out);
                } else {
                    out.push_str("(^ ");
                    write(b, out);
                    out.push(' ');
                    write(x, out);
                    out.push(')');
                }
            }
            out.push(')');
        }
        Node::Pow(b, x) => {
            out.push_str("(^ ");
            write(b, out);
            out.push(' ');
            write(x, out);
            out.push(')');
        }
        Node::Call(f, a) => {
            out.push('(');
            out.push_str(f.name());
            out.push(' ');
            write(a, out);
            out.push(')');
        }
    }
}
