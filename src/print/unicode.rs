//! The unicode form, for reading on a terminal or in a notebook:
//! `4w1² − 20w1 + 25`. It follows the plain text form (same term order, same
//! numerator/denominator split, minimal parentheses) with typographic signs:
//! the minus sign U+2212, superscript integer exponents, `√`, and a numeric
//! coefficient written against the factor it multiplies.

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

/// The minus sign, for subtraction and negation alike.
const MINUS: char = '\u{2212}';

/// The separator between two factors of a product.
const TIMES: char = '·';

/// The unicode form of `e`.
///
/// ```
/// let u = |s: &str| kobai::unicode(&kobai::read(s).unwrap());
/// assert_eq!(u("4*w1^2 - 20*w1 + 25"), "4w1² − 20w1 + 25");
/// assert_eq!(u("(w1*x1 - target)^2"), "(w1·x1 − target)²");
/// assert_eq!(u("-5/(2*x) + sqrt(x + 1)"), "√(x + 1) − 5/(2x)");
/// ```
pub fn unicode(e: &Expr) -> String {
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
        Node::Call(f, a) => render_call(*f, a),
    }
}

/// Every function is listed, so that a new `Func` must decide how it prints.
fn render_call(f: Func, a: &Expr) -> (String, Prec) {
    match f {
        Func::Exp if a.is_one() => ("e".to_string(), Prec::Atom),
        Func::Abs => (format!("|{}|", unicode(a)), Prec::Atom),
        Func::Exp | Func::Ln | Func::Sin | Func::Cos | Func::Tan | Func::Tanh | Func::Sigmoid | Func::Sign => {
            (format!("{}({})", f.name(), unicode(a)), Prec::Atom)
        }
    }
}

fn push_signed(out: &mut String, first: bool, negative: bool, body: &str) {
    match (first, negative) {
        (true, false) => {}
        (true, true) => out.push(MINUS),
        (false, false) => out.push_str(" + "),
        (false, true) => {
            out.push(' ');
            out.push(MINUS);
            out.push(' ');
        }
    }
    out.push_str(body);
}

/// The term `c·t` printed without its sign, and whether the sign is minus.
fn render_term(c: &Q, t: &Expr) -> (String, bool) {
    let factors = match t.node() {
        Node::Product { factors, .. } => factors.clone(),
        Node::Pow(b, x) => vec![(b.clone(), x.clone())],
        Node::Num(_) | Node::Sym(_) | Node::Sum { .. } | Node::Call(..) => vec![(t.clone(), Expr::one())],
    };
    let (body, _) = render_product(&c.abs(), &factors);
    (body, c.is_negative())
}

fn render_num(q: &Q) -> (String, Prec) {
    let magnitude = q.abs().to_string();
    if q.is_negative() {
        (format!("{MINUS}{magnitude}"), Prec::Sum)
    } else if q.is_integer() {
        (magnitude, Prec::Atom)
    } else {
        (magnitude, Prec::Product)
    }
}

fn wrap(piece: (String, Prec), at_least: Prec) -> String {
    if piece.1 < at_least { format!("({})", piece.0) } else { piece.0 }
}

/// An integer in superscript digits: `10` is `¹⁰`, `-1` is `⁻¹`.
fn superscript(n: &Q) -> String {
    n.to_string()
        .chars()
        .map(|c| match c {
            '0' => '⁰',
            '1' => '¹',
            '2' => '²',
            '3' => '³',
            '4' => '⁴',
            '5' => '⁵',
            '6' => '⁶',
            '7' => '⁷',
            '8' => '⁸',
            '9' => '⁹',
            '-' => '⁻',
            other => other,
        })
        .collect()
}

/// A power `b^x` printed as a factor (`x²`, `√x`, `(x + 1)^(1/3)`, `x^a`).
fn render_power(b: &Expr, x: &Expr) -> String {
    if x.is_one() {
        return wrap(render(b), Prec::Power);
    }
    if x.as_num() == Some(&Q::new(1, 2)) {
        return format!("√{}", wrap(render(b), Prec::Atom));
    }
    let base = wrap(render(b), Prec::Atom);
    match x.as_num() {
        Some(q) if q.is_integer() => format!("{base}{}", superscript(q)),
        _ => format!("{base}^{}", wrap(render(x), Prec::Atom)),
    }
}

/// Joins the pieces of a numerator or denominator: a leading number is
/// written against a following letter, root or bracket (`2x`, `2√x`,
/// `2(x + 1)`), and every other pair is separated by `·` so that two numbers
/// never run together (`2·3^x`).
fn join_factors(number: Option<String>, factors: &[String]) -> String {
    let mut out = number.unwrap_or_default();
    for (i, piece) in factors.iter().enumerate() {
        let after_number = i == 0 && !out.is_empty();
        let juxtaposed = after_number && piece.starts_with(|c: char| c.is_alphabetic() || matches!(c, '√' | '(' | '|'));
        if !out.is_empty() && !juxtaposed {
            out.push(TIMES);
        }
        out.push_str(piece);
    }
    out
}

fn render_product(coeff: &Q, factors: &[(Expr, Expr)]) -> (String, Prec) {
    let mut numer: Vec<String> = Vec::new();
    let mut denom: Vec<String> = Vec::new();
    for (b, x) in factors {
        // 0^-1 stays where it is: it is not a division that can be written.
        let negative = x.as_num().is_some_and(Q::is_negative) && !b.is_zero();
        if negative {
            denom.push(render_power(b, &Expr::neg(x)));
        } else {
            numer.push(render_power(b, x));
        }
    }
    let c_num = coeff.numer().magnitude().clone();
    let c_den = coeff.denom();
    let numer_number = (c_num != 1u32.into() || numer.is_empty()).then(|| c_num.to_string());
    let denom_number = (c_den != 1.into()).then(|| c_den.to_string());
    let lone_power = numer_number.is_none() && denom_number.is_none() && denom.is_empty() && factors.len() == 1;
    let denom_pieces = denom.len() + usize::from(denom_number.is_some());
    let mut out = String::new();
    if coeff.is_negative() {
        out.push(MINUS);
    }
    out.push_str(&join_factors(numer_number, &numer));
    if denom_pieces > 0 {
        out.push('/');
        let bottom = join_factors(denom_number, &denom);
        if denom_pieces > 1 {
            out.push('(');
            out.push_str(&bottom);
            out.push(')');
        } else {
            out.push_str(&bottom);
        }
    }
    let prec = if coeff.is_negative() {
        Prec::Sum
    } else if lone_power {
        // `x²`, `√x`, `x^a`: a base with something attached, so it takes
        // brackets as the base of another power (`(√x)^(1/3)`).
        match factors.first() {
            Some((_, x)) if x.is_one() => Prec::Atom,
            _ => Prec::Power,
        }
    } else {
        Prec::Product
    };
    (out, prec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn t(e: &Expr, expected: &str) {
        assert_eq!(unicode(e), expected, "{e:?}");
    }

    fn s(name: &str) -> Expr {
        Expr::symbol(name)
    }

    fn n(k: i64) -> Expr {
        Expr::int(k)
    }

    fn q(a: i64, b: i64) -> Expr {
        Expr::num(Q::new(a, b))
    }

    fn pow(b: &Expr, x: &Expr) -> Expr {
        Expr::pow(b, x)
    }

    fn mul<const N: usize>(items: [Expr; N]) -> Expr {
        Expr::product(items)
    }

    fn add<const N: usize>(items: [Expr; N]) -> Expr {
        Expr::sum(items)
    }

    fn call(f: Func, a: &Expr) -> Expr {
        Expr::call(f, a)
    }

    #[test]
    fn sums_put_the_constant_last_and_subtract_with_a_minus_sign() {
        let (w1, x1, target) = (s("w1"), s("x1"), s("target"));
        t(&add([mul([n(4), pow(&w1, &n(2))]), mul([n(-20), w1.clone()]), n(25)]), "4w1² − 20w1 + 25");
        let residual = add([mul([w1.clone(), x1.clone()]), Expr::neg(&target)]);
        t(&pow(&residual, &n(2)), "(w1·x1 − target)²");
        let expanded = add([
            mul([pow(&w1, &n(2)), pow(&x1, &n(2))]),
            mul([n(-2), target.clone(), w1.clone(), x1.clone()]),
            pow(&target, &n(2)),
        ]);
        t(&expanded, "w1²·x1² − 2target·w1·x1 + target²");
        t(&add([Expr::neg(&s("x")), n(1)]), "1 − x");
        t(&add([s("x"), n(-1)]), "x − 1");
        t(&Expr::neg(&s("x")), "−x");
        t(&n(-3), "−3");
        t(&n(0), "0");
    }

    #[test]
    fn rationals_and_coefficients() {
        let x = s("x");
        t(&q(5, 2), "5/2");
        t(&q(-5, 2), "−5/2");
        t(&mul([q(1, 2), x.clone()]), "x/2");
        t(&mul([q(5, 2), x.clone()]), "5x/2");
        t(&mul([q(-3, 4), pow(&x, &n(2))]), "−3x²/4");
        t(&add([mul([q(1, 2), x.clone()]), q(-1, 3)]), "x/2 − 1/3");
        t(&mul([n(2), s("target"), s("x1")]), "2target·x1");
        t(&mul([n(2), s("θ")]), "2θ");
        t(&mul([s("x"), s("y")]), "x·y");
        t(&mul([n(2), pow(&n(3), &x)]), "2·3^x");
        t(&mul([n(2), call(Func::Sin, &x)]), "2sin(x)");
        t(&mul([n(3), add([x.clone(), n(1)]), s("y")]), "3y·(x + 1)");
    }

    #[test]
    fn negative_exponents_go_to_the_denominator() {
        let (x, y) = (s("x"), s("y"));
        t(&pow(&x, &n(-1)), "1/x");
        t(&Expr::neg(&pow(&x, &n(-2))), "−1/x²");
        t(&mul([x.clone(), pow(&y, &n(-2))]), "x/y²");
        t(&mul([n(3), pow(&x, &n(-1)), pow(&y, &n(-1))]), "3/(x·y)");
        t(&Expr::div(&n(5), &mul([n(2), x.clone()])), "5/(2x)");
        t(&pow(&add([x.clone(), n(1)]), &n(-1)), "1/(x + 1)");
        t(&pow(&x, &q(-1, 3)), "1/x^(1/3)");
        t(&pow(&x, &q(-1, 2)), "1/√x");
    }

    #[test]
    fn powers_roots_and_nesting() {
        let (x, a) = (s("x"), s("a"));
        let x_plus_1 = add([x.clone(), n(1)]);
        t(&pow(&x, &n(10)), "x¹⁰");
        t(&pow(&x_plus_1, &n(2)), "(x + 1)²");
        t(&pow(&x_plus_1, &q(1, 3)), "(x + 1)^(1/3)");
        t(&pow(&x, &q(1, 3)), "x^(1/3)");
        t(&pow(&x, &q(3, 2)), "x^(3/2)");
        t(&pow(&x, &a), "x^a");
        t(&pow(&x, &add([a.clone(), n(1)])), "x^(a + 1)");
        t(&pow(&x, &mul([n(2), a.clone()])), "x^(2a)");
        t(&pow(&n(2), &x), "2^x");
        t(&pow(&q(1, 2), &x), "(1/2)^x");
        t(&pow(&x, &q(1, 2)), "√x");
        t(&pow(&n(2), &q(1, 2)), "√2");
        t(&pow(&x_plus_1, &q(1, 2)), "√(x + 1)");
        t(&pow(&mul([n(2), x.clone()]), &q(1, 2)), "√(2x)");
        t(&pow(&pow(&x, &n(2)), &q(1, 2)), "√(x²)");
        t(&pow(&pow(&x, &q(1, 2)), &q(1, 3)), "(√x)^(1/3)");
        t(&mul([n(2), pow(&x, &q(1, 2))]), "2√x");
        t(&pow(&Expr::zero(), &n(-1)), "0⁻¹");
    }

    #[test]
    fn calls() {
        let x = s("x");
        t(&call(Func::Exp, &n(1)), "e");
        t(&call(Func::Exp, &mul([n(2), x.clone()])), "exp(2x)");
        t(&call(Func::Exp, &Expr::neg(&x)), "exp(−x)");
        t(&mul([n(2), call(Func::Exp, &n(1))]), "2e");
        t(&call(Func::Ln, &x), "ln(x)");
        t(&pow(&call(Func::Sin, &x), &n(2)), "sin(x)²");
        t(&call(Func::Cos, &x), "cos(x)");
        t(&call(Func::Tan, &x), "tan(x)");
        t(&call(Func::Tanh, &x), "tanh(x)");
        t(&call(Func::Sigmoid, &add([mul([s("w"), x.clone()]), s("b")])), "sigmoid(w·x + b)");
        t(&call(Func::Sign, &x), "sign(x)");
        t(&call(Func::Abs, &add([x.clone(), n(-1)])), "|x − 1|");
        t(&mul([n(3), call(Func::Abs, &x)]), "3|x|");
    }

    #[test]
    fn names_print_as_written() {
        t(&pow(&s("θ"), &n(2)), "θ²");
        t(&mul([s("α"), s("x_1")]), "x_1·α");
        t(&add([s("w_12"), s("λ")]), "w_12 + λ");
    }
}
