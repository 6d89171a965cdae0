//! The LaTeX form, for notes and notebooks: `4 w_{1}^{2} - 20 w_{1} + 25`.
//! It follows the plain text form (same term order, same numerator and
//! denominator split, brackets only where precedence needs them), written as
//! `\frac`, `\sqrt`, `e^{...}` and with names set the way mathematics sets
//! them: `w_{1}`, `\theta_{0}`, `\mathrm{target}`.

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

/// The LaTeX form of `e`, for math mode.
///
/// ```
/// let l = |s: &str| kobai::latex(&kobai::read(s).unwrap());
/// assert_eq!(l("4*w1^2 - 20*w1 + 25"), "4 w_{1}^{2} - 20 w_{1} + 25");
/// assert_eq!(l("(w1*x1 - target)^2"), "\\left(w_{1} x_{1} - \\mathrm{target}\\right)^{2}");
/// assert_eq!(l("-1/x^2 + sqrt(θ)"), "\\sqrt{\\theta} - \\frac{1}{x^{2}}");
/// ```
pub fn latex(e: &Expr) -> String {
    render(e).0
}

fn render(e: &Expr) -> (String, Prec) {
    match e.node() {
        Node::Num(q) => render_num(q),
        Node::Sym(s) => (name(s.name()), Prec::Atom),
        Node::Sum { constant, terms } => {
            let mut out = String::new();
            for (i, item) in super::sum_order(constant, terms).into_iter().enumerate() {
                match item.and_then(|k| terms.get(k)) {
                    Some((t, c)) => {
                        let (body, negative) = render_term(c, t);
                        push_signed(&mut out, i == 0, negative, &body);
                    }
                    None => push_signed(&mut out, i == 0, constant.is_negative(), &render_num(&constant.abs()).0),
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
    let arg = latex(a);
    let applied = |command: &str| (format!("{command}\\left({arg}\\right)"), Prec::Atom);
    match f {
        Func::Exp if a.is_one() => ("e".to_string(), Prec::Atom),
        Func::Exp => (format!("e^{{{arg}}}"), Prec::Power),
        Func::Ln => applied("\\ln"),
        Func::Sin => applied("\\sin"),
        Func::Cos => applied("\\cos"),
        Func::Tan => applied("\\tan"),
        Func::Tanh => applied("\\tanh"),
        Func::Sigmoid => applied("\\operatorname{sigmoid}"),
        Func::Sign => applied("\\operatorname{sign}"),
        Func::Abs => (format!("\\left| {arg} \\right|"), Prec::Atom),
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
        Node::Num(_) | Node::Sym(_) | Node::Sum { .. } | Node::Call(..) => vec![(t.clone(), Expr::one())],
    };
    let (body, _) = render_product(&c.abs(), &factors);
    (body, c.is_negative())
}

fn render_num(q: &Q) -> (String, Prec) {
    let sign = if q.is_negative() { "-" } else { "" };
    let (body, prec) = if q.is_integer() {
        (q.abs().to_string(), Prec::Atom)
    } else {
        (format!("\\frac{{{}}}{{{}}}", q.numer().magnitude(), q.denom()), Prec::Product)
    };
    (format!("{sign}{body}"), if q.is_negative() { Prec::Sum } else { prec })
}

fn wrap(piece: (String, Prec), at_least: Prec) -> String {
    if piece.1 < at_least { format!("\\left({}\\right)", piece.0) } else { piece.0 }
}

/// A power `b^x` printed as a factor (`x^{2}`, `\sqrt{x}`,
/// `\left(x + 1\right)^{2}`). A base with exponent 1 needs brackets only
/// below `at_least`: inside `\frac{..}{..}` a lone factor needs none.
fn render_power(b: &Expr, x: &Expr, at_least: Prec) -> String {
    if x.is_one() {
        return wrap(render(b), at_least);
    }
    if x.as_num() == Some(&Q::new(1, 2)) {
        return format!("\\sqrt{{{}}}", latex(b));
    }
    format!("{}^{{{}}}", wrap(render(b), Prec::Atom), latex(x))
}

/// A numerator or denominator: an optional leading number, then factors,
/// juxtaposed with a space (`2 w_{1} x_{1}^{2}`), with `\cdot` wherever a
/// digit would follow (`2 \cdot 3^{x}`) so two numbers never run together.
/// `in_fraction` says the slot is braced by `\frac`, so a lone factor such as
/// `x + 1` needs no brackets of its own.
fn render_slot(number: Option<String>, factors: &[(Expr, Expr)], in_fraction: bool) -> String {
    let lone = in_fraction && number.is_none() && factors.len() == 1;
    let at_least = if lone { Prec::Sum } else { Prec::Power };
    let pieces = number.into_iter().chain(factors.iter().map(|(b, x)| render_power(b, x, at_least)));
    let mut out = String::new();
    for piece in pieces {
        if !out.is_empty() {
            out.push_str(if piece.starts_with(|c: char| c.is_ascii_digit()) { " \\cdot " } else { " " });
        }
        out.push_str(&piece);
    }
    out
}

fn render_product(coeff: &Q, factors: &[(Expr, Expr)]) -> (String, Prec) {
    let mut numer: Vec<(Expr, Expr)> = Vec::new();
    let mut denom: Vec<(Expr, Expr)> = Vec::new();
    for (b, x) in factors {
        // 0^-1 stays where it is: it is not a division that can be written.
        let negative = x.as_num().is_some_and(Q::is_negative) && !b.is_zero();
        if negative {
            denom.push((b.clone(), Expr::neg(x)));
        } else {
            numer.push((b.clone(), x.clone()));
        }
    }
    let c_num = coeff.numer().magnitude().clone();
    let c_den = coeff.denom();
    let numer_number = (c_num != 1u32.into() || numer.is_empty()).then(|| c_num.to_string());
    let denom_number = (c_den != 1.into()).then(|| c_den.to_string());
    let lone_power = numer_number.is_none() && denom_number.is_none() && denom.is_empty() && factors.len() == 1;
    let is_fraction = denom_number.is_some() || !denom.is_empty();
    let mut out = String::new();
    if coeff.is_negative() {
        out.push('-');
    }
    let top = render_slot(numer_number, &numer, is_fraction);
    if is_fraction {
        let bottom = render_slot(denom_number, &denom, true);
        out.push_str("\\frac{");
        out.push_str(&top);
        out.push_str("}{");
        out.push_str(&bottom);
        out.push('}');
    } else {
        out.push_str(&top);
    }
    let prec = if coeff.is_negative() {
        Prec::Sum
    } else if lone_power {
        match factors.first() {
            Some((_, x)) if x.is_one() => Prec::Atom,
            _ => Prec::Power,
        }
    } else {
        Prec::Product
    };
    (out, prec)
}

/// A variable name as LaTeX: one letter stays (`x`), trailing digits or an
/// underscore make a subscript (`w1` is `w_{1}`, `x_12` is `x_{12}`, `x_max`
/// is `x_{\mathrm{max}}`, `w_1_2` is `w_{1,2}`), Greek letters, typed or spelled out, become their
/// commands (`θ1` and `theta1` are `\theta_{1}`), and longer names are set
/// upright (`\mathrm{target}_{2}`).
fn name(full: &str) -> String {
    if let Some((stem, sub)) = full.split_once('_')
        && !stem.is_empty()
        && !sub.is_empty()
    {
        // Further underscores separate indices, as in `w_{1,2}` for `w_1_2`.
        let parts: Vec<&str> = sub.split('_').collect();
        let sub = if parts.iter().any(|part| part.is_empty()) {
            format!("\\mathrm{{{}}}", escape(sub))
        } else {
            parts.iter().map(|part| name_without_underscore(part)).collect::<Vec<_>>().join(",")
        };
        return format!("{}_{{{sub}}}", stem_name(stem));
    }
    name_without_underscore(full)
}

/// A name whose trailing digits, if any, are its subscript.
fn name_without_underscore(full: &str) -> String {
    let stem = full.trim_end_matches(|c: char| c.is_ascii_digit());
    match full.get(stem.len()..) {
        Some(digits) if !digits.is_empty() && stem.is_empty() => digits.to_string(),
        Some(digits) if !digits.is_empty() => format!("{}_{{{digits}}}", stem_name(stem)),
        _ => stem_name(full),
    }
}

fn stem_name(stem: &str) -> String {
    if let Some(command) = greek(stem) {
        return command.to_string();
    }
    let mut chars = stem.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_alphanumeric() => c.to_string(),
        _ => format!("\\mathrm{{{}}}", escape(stem)),
    }
}

/// Escapes the characters that are special in LaTeX (names read by the parser
/// never contain them except `_`, but any `Symbol` can be printed).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '#' | '$' | '%' | '&' | '_' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '\\' => out.push_str("\\backslash{}"),
            '^' => out.push_str("\\hat{}"),
            '~' => out.push_str("\\sim{}"),
            other => out.push(other),
        }
    }
    out
}

/// The Greek letters (and `ℓ`) that have LaTeX commands, as typed. Capitals
/// that look like Latin letters (Α, Β, ...) have no command and print as
/// they are.
const GREEK_LETTERS: [(&str, &str); 36] = [
    ("α", "\\alpha"),
    ("β", "\\beta"),
    ("γ", "\\gamma"),
    ("δ", "\\delta"),
    ("ε", "\\epsilon"),
    ("ζ", "\\zeta"),
    ("η", "\\eta"),
    ("θ", "\\theta"),
    ("ι", "\\iota"),
    ("κ", "\\kappa"),
    ("λ", "\\lambda"),
    ("μ", "\\mu"),
    ("ν", "\\nu"),
    ("ξ", "\\xi"),
    ("π", "\\pi"),
    ("ρ", "\\rho"),
    ("σ", "\\sigma"),
    ("τ", "\\tau"),
    ("υ", "\\upsilon"),
    ("φ", "\\phi"),
    ("χ", "\\chi"),
    ("ψ", "\\psi"),
    ("ω", "\\omega"),
    ("Γ", "\\Gamma"),
    ("Δ", "\\Delta"),
    ("Θ", "\\Theta"),
    ("Λ", "\\Lambda"),
    ("Ξ", "\\Xi"),
    ("Π", "\\Pi"),
    ("Σ", "\\Sigma"),
    ("Υ", "\\Upsilon"),
    ("Φ", "\\Phi"),
    ("Ψ", "\\Psi"),
    ("Ω", "\\Omega"),
    ("ℓ", "\\ell"),
    ("µ", "\\mu"),
];

/// Spelled-out names that are LaTeX commands besides those of
/// [`GREEK_LETTERS`]; learners who cannot type `θ` write `theta`.
const GREEK_VARIANTS: [&str; 6] = ["\\varepsilon", "\\vartheta", "\\varphi", "\\varpi", "\\varrho", "\\varsigma"];

/// The LaTeX command for a Greek letter, typed (`θ`) or spelled out (`theta`).
fn greek(stem: &str) -> Option<&'static str> {
    let typed = GREEK_LETTERS.iter().find(|&&(letter, _)| letter == stem).map(|&(_, command)| command);
    typed.or_else(|| {
        GREEK_LETTERS
            .iter()
            .map(|&(_, command)| command)
            .chain(GREEK_VARIANTS)
            .find(|command| command.strip_prefix('\\') == Some(stem))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn t(e: &Expr, expected: &str) {
        assert_eq!(latex(e), expected, "{e:?}");
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
    fn sums_put_the_constant_last_and_subtract() {
        let (w1, x1, target) = (s("w1"), s("x1"), s("target"));
        t(&add([mul([n(4), pow(&w1, &n(2))]), mul([n(-20), w1.clone()]), n(25)]), "4 w_{1}^{2} - 20 w_{1} + 25");
        let residual = add([mul([w1.clone(), x1.clone()]), Expr::neg(&target)]);
        t(&pow(&residual, &n(2)), "\\left(w_{1} x_{1} - \\mathrm{target}\\right)^{2}");
        let expanded = add([
            mul([pow(&w1, &n(2)), pow(&x1, &n(2))]),
            mul([n(-2), target.clone(), w1.clone(), x1.clone()]),
            pow(&target, &n(2)),
        ]);
        t(&expanded, "w_{1}^{2} x_{1}^{2} - 2 \\mathrm{target} w_{1} x_{1} + \\mathrm{target}^{2}");
        t(&add([Expr::neg(&s("x")), n(1)]), "1 - x");
        t(&add([s("x"), q(-1, 2)]), "x - \\frac{1}{2}");
        t(&Expr::neg(&s("x")), "-x");
        t(&n(-3), "-3");
        t(&n(0), "0");
    }

    #[test]
    fn rationals_products_and_quotients() {
        let (x, y) = (s("x"), s("y"));
        t(&q(5, 2), "\\frac{5}{2}");
        t(&q(-5, 2), "-\\frac{5}{2}");
        t(&mul([q(1, 2), x.clone()]), "\\frac{x}{2}");
        t(&mul([q(5, 2), x.clone()]), "\\frac{5 x}{2}");
        t(&mul([q(-3, 4), pow(&x, &n(2))]), "-\\frac{3 x^{2}}{4}");
        t(&mul([n(2), s("w1"), pow(&s("x1"), &n(2))]), "2 w_{1} x_{1}^{2}");
        t(&mul([n(2), pow(&n(3), &x)]), "2 \\cdot 3^{x}");
        t(&mul([pow(&n(2), &x), pow(&n(3), &y)]), "2^{x} \\cdot 3^{y}");
        t(&mul([n(3), add([x.clone(), n(1)]), y.clone()]), "3 y \\left(x + 1\\right)");
        t(&Expr::neg(&pow(&x, &n(-2))), "-\\frac{1}{x^{2}}");
        t(&mul([x.clone(), pow(&y, &n(-2))]), "\\frac{x}{y^{2}}");
        t(&mul([n(3), pow(&x, &n(-1)), pow(&y, &n(-1))]), "\\frac{3}{x y}");
        t(&Expr::div(&n(5), &mul([n(2), x.clone()])), "\\frac{5}{2 x}");
        t(&pow(&add([x.clone(), n(1)]), &n(-1)), "\\frac{1}{x + 1}");
        t(&mul([add([x.clone(), n(1)]), pow(&y, &n(-1))]), "\\frac{x + 1}{y}");
        t(&mul([add([x.clone(), n(1)]), pow(&x, &n(-1)), pow(&y, &n(-1))]), "\\frac{x + 1}{x y}");
        t(
            &mul([x.clone(), pow(&add([x.clone(), n(1)]), &n(-1)), pow(&y, &n(-1))]),
            "\\frac{x}{y \\left(x + 1\\right)}",
        );
        t(&pow(&pow(&x, &n(-1)), &q(1, 3)), "\\left(\\frac{1}{x}\\right)^{\\frac{1}{3}}");
    }

    #[test]
    fn powers_roots_and_nesting() {
        let (x, a) = (s("x"), s("a"));
        let x_plus_1 = add([x.clone(), n(1)]);
        t(&pow(&x, &n(10)), "x^{10}");
        t(&pow(&x_plus_1, &n(2)), "\\left(x + 1\\right)^{2}");
        t(&pow(&x, &q(1, 3)), "x^{\\frac{1}{3}}");
        t(&pow(&x, &add([a.clone(), n(1)])), "x^{a + 1}");
        t(&pow(&n(2), &x), "2^{x}");
        t(&pow(&q(1, 2), &x), "\\left(\\frac{1}{2}\\right)^{x}");
        t(&pow(&mul([n(2), x.clone()]), &a), "\\left(2 x\\right)^{a}");
        t(&pow(&x, &q(1, 2)), "\\sqrt{x}");
        t(&pow(&x_plus_1, &q(1, 2)), "\\sqrt{x + 1}");
        t(&pow(&x, &q(-1, 2)), "\\frac{1}{\\sqrt{x}}");
        t(&mul([n(2), pow(&n(3), &q(1, 2))]), "2 \\sqrt{3}");
        t(&pow(&pow(&x, &q(1, 2)), &q(1, 3)), "\\left(\\sqrt{x}\\right)^{\\frac{1}{3}}");
        t(&pow(&Expr::zero(), &n(-1)), "0^{-1}");
    }

    #[test]
    fn calls() {
        let x = s("x");
        t(&call(Func::Exp, &n(1)), "e");
        t(&call(Func::Exp, &mul([n(2), x.clone()])), "e^{2 x}");
        t(&call(Func::Exp, &Expr::neg(&x)), "e^{-x}");
        t(&mul([x.clone(), call(Func::Exp, &x)]), "x e^{x}");
        t(&call(Func::Ln, &x), "\\ln\\left(x\\right)");
        t(&pow(&call(Func::Sin, &x), &n(2)), "\\sin\\left(x\\right)^{2}");
        t(&call(Func::Cos, &x), "\\cos\\left(x\\right)");
        t(&call(Func::Tan, &x), "\\tan\\left(x\\right)");
        t(&call(Func::Tanh, &x), "\\tanh\\left(x\\right)");
        t(
            &call(Func::Sigmoid, &add([mul([s("w"), x.clone()]), s("b")])),
            "\\operatorname{sigmoid}\\left(w x + b\\right)",
        );
        t(&call(Func::Sign, &x), "\\operatorname{sign}\\left(x\\right)");
        t(&call(Func::Abs, &add([x.clone(), n(-1)])), "\\left| x - 1 \\right|");
        t(&call(Func::Sin, &mul([q(1, 2), x.clone()])), "\\sin\\left(\\frac{x}{2}\\right)");
    }

    #[test]
    fn names() {
        let cases = [
            ("x", "x"),
            ("w1", "w_{1}"),
            ("x_1", "x_{1}"),
            ("x_12", "x_{12}"),
            ("x_i", "x_{i}"),
            ("x_max", "x_{\\mathrm{max}}"),
            ("θ", "\\theta"),
            ("θ0", "\\theta_{0}"),
            ("θ_1", "\\theta_{1}"),
            ("theta", "\\theta"),
            ("lambda2", "\\lambda_{2}"),
            ("Σ", "\\Sigma"),
            ("Delta", "\\Delta"),
            ("varepsilon", "\\varepsilon"),
            ("α", "\\alpha"),
            ("η", "\\eta"),
            ("ε", "\\epsilon"),
            ("target", "\\mathrm{target}"),
            ("target2", "\\mathrm{target}_{2}"),
            ("target_2", "\\mathrm{target}_{2}"),
            ("lr", "\\mathrm{lr}"),
            ("_tmp", "\\mathrm{\\_tmp}"),
            ("x1y", "\\mathrm{x1y}"),
            ("x_i1", "x_{i_{1}}"),
            ("w_1_2", "w_{1,2}"),
            ("x__1", "x_{\\mathrm{\\_1}}"),
        ];
        for (written, expected) in cases {
            t(&s(written), expected);
        }
        t(&mul([n(2), s("α"), pow(&s("θ1"), &n(2))]), "2 \\alpha \\theta_{1}^{2}");
    }
}
