//! The plain text form: minimal parentheses, canonical term order, and it
//! parses back to the same `Expr`.

use crate::expr::{Expr, Func, Node};
use crate::number::Q;

/// How tightly a printed piece binds, to decide where brackets are needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Prec {
    Sum,
    Product,
    Power,
    Atom,
}

/// The plain text form of `e`.
///
/// ```
/// let e = kobai::read("((2*w1)-5)^2").unwrap();
/// assert_eq!(kobai::text(&e), "(2*w1 - 5)^2");
/// assert_eq!(kobai::text(&kobai::read("5/(2*x)").unwrap()), "5/(2*x)");
/// ```
pub fn text(e: &Expr) -> String {
    render(e).0
}

fn render(e: &Expr) -> (String, Prec) {
    match e.node() {
        Node::Num(q) => render_num(q),
        Node::Sym(s) => (s.name().to_string(), Prec::Atom),
        Node::Sum { constant, terms } => {
            let mut out = String::new();
            for (i, item) in super::sum_order(constant, terms).into_iter().enumerate() {
                match item.and_then(|k| terms.get(k)) {
                    Some((t, c)) => {
                        let (body, negative) = render_term(c, t);
                        push_signed(&mut out, i == 0, negative, &body);
                    }
                    None => push_signed(&mut out, i == 0, constant.is_negative(), &constant.abs().to_string()),
                }
            }
            (out, Prec::Sum)
        }
        Node::Product { coeff, factors } => render_product(coeff, factors),
        Node::Pow(b, x) => render_product(&Q::one(), &[(b.clone(), x.clone())]),
        Node::Call(Func::Exp, a) if a.is_one() => ("e".to_string(), Prec::Atom),
        Node::Call(f, a) => (format!("{}({})", f.name(), text(a)), Prec::Atom),
    }
}

fn push_signed(out: &mut String, first: bool, negative: bool, body: &str) {
    match (first, negative) {
        (true, false) => {}
        (true, true) => out.push('-'),
        (false, false) => out.push_str(" + "),
        (false, true) => out.push_str(" - "),
    }
    out.push_str(body);
}

/// The term `c·t` printed without its sign, and whether the sign is minus.
fn render_term(c: &Q, t: &Expr) -> (String, bool) {
    let factors = match t.node() {
        Node::Product { factors, .. } => factors.clone(),
        Node::Pow(b, x) => vec![(b.clone(), x.clone())],
        _ => vec![(t.clone(), Expr::one())],
    };
    let (body, _) = render_product(&c.abs(), &factors);
    (body, c.is_negative())
}

fn render_num(q: &Q) -> (String, Prec) {
    let s = q.to_string();
    if q.is_negative() {
        (s, Prec::Sum)
    } else if q.is_integer() {
        (s, Prec::Atom)
    } else {
        (s, Prec::Product)
    }
}

fn wrap(piece: (String, Prec), at_least: Prec) -> String {
    if piece.1 < at_least { format!("({})", piece.0) } else { piece.0 }
}

/// A power `b^x` printed as a factor (`x^2`, `sqrt(x)`, `(x + 1)^(1/2)`).
fn render_power(b: &Expr, x: &Expr) -> String {
    if x.is_one() {
        return wrap(render(b), Prec::Power);
    }
    if x.as_num() == Some(&Q::new(1, 2)) {
        return format!("sqrt({})", text(b));
    }
    let base = wrap(render(b), Prec::Atom);
    let exp = match x.as_num() {
        Some(q) if q.is_integer() && !q.is_negative() => q.to_string(),
        _ => wrap(render(x), Prec::Atom),
    };
    format!("{base}^{exp}")
}

fn render_product(coeff: &Q, factors: &[(Expr, Expr)]) -> (String, Prec) {
    let mut numer: Vec<String> = Vec::new();
    let mut denom: Vec<String> = Vec::new();
    let c_num = coeff.numer().magnitude().clone();
    let c_den = coeff.denom();
    for (b, x) in factors {
        let negative = x.as_num().is_some_and(Q::is_negative) && !b.is_zero();
        if negative {
            let flipped = Expr::neg(x);
            denom.push(render_power(b, &flipped));
        } else {
            numer.push(render_power(b, x));
        }
    }
    if c_num != 1u32.into() || numer.is_empty() {
        numer.insert(0, c_num.to_string());
    }
    if c_den != 1.into() {
        denom.insert(0, c_den.to_string());
    }
    let mut out = String::new();
    if coeff.is_negative() {
        out.push('-');
    }
    out.push_str(&numer.join("*"));
    if !denom.is_empty() {
        out.push('/');
        if denom.len() > 1 {
            out.push('(');
            out.push_str(&denom.join("*"));
            out.push(')');
        } else {
            out.push_str(&denom.join("*"));
        }
    }
    let prec = if coeff.is_negative() {
        Prec::Sum
    } else if numer.len() == 1 && denom.is_empty() && factors.len() == 1 && coeff.is_one() {
        // A lone power such as x^2 or sqrt(x).
        match factors.first() {
            Some((_, x)) if x.is_one() => Prec::Atom,
            Some((_, x)) if x.as_num() == Some(&Q::new(1, 2)) => Prec::Atom,
            _ => Prec::Power,
        }
    } else {
        Prec::Product
    };
    (out, prec)
}
