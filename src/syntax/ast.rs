//! `Ast`: the expression exactly as the user wrote it, with spans.

use std::fmt;

use super::span::Span;
use crate::number::Q;

/// One node of the parse tree, with the span of text it came from.
///
/// ```
/// let ast = kobai::parse("2w1").unwrap();
/// assert_eq!(ast.to_string(), "(2*w1)");
/// assert_eq!(ast.span, kobai::Span::new(0, 3));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Ast {
    /// What kind of node this is.
    pub kind: AstKind,
    /// The text it was read from.
    pub span: Span,
}

/// The kind of bracket a group was written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bracket {
    /// `(...)` (also full-width `（...）`).
    Round,
    /// `[...]`.
    Square,
    /// `{...}`.
    Curly,
}

/// How a product was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MulStyle {
    /// With an operator: `*`, `×`, `·`, `⋅`, `∙`.
    Explicit,
    /// By juxtaposition: `2w1`, `2(x+1)`, `(a)(b)`, `2 x`.
    Implicit,
}

/// The node kinds of the surface syntax.
#[derive(Debug, Clone, PartialEq)]
pub enum AstKind {
    /// A number literal, already exact (`2.5` is 5/2); `text` is as written.
    Number {
        /// The exact value.
        value: Q,
        /// The literal as typed.
        text: String,
    },
    /// A variable name such as `w1`, `x_1`, `target`, `θ`.
    Name(String),
    /// Unary minus.
    Neg(Box<Ast>),
    /// Unary plus (kept so that explanations can echo the input).
    Plus(Box<Ast>),
    /// `a + b`.
    Add(Box<Ast>, Box<Ast>),
    /// `a - b`.
    Sub(Box<Ast>, Box<Ast>),
    /// `a * b`, explicit or implicit.
    Mul(Box<Ast>, Box<Ast>, MulStyle),
    /// `a / b`.
    Div(Box<Ast>, Box<Ast>),
    /// `a ^ b` (also `**` and superscripts).
    Pow(Box<Ast>, Box<Ast>),
    /// A bracketed group.
    Group(Bracket, Box<Ast>),
    /// A call of a known function.
    Call {
        /// The function name as written, lower case (`exp`, `log`, `sqrt`, ...).
        name: String,
        /// The span of the name alone.
        name_span: Span,
        /// The arguments.
        args: Vec<Ast>,
    },
}

impl fmt::Display for Ast {
    /// The fully parenthesized reading, as shown by `--show-parse`: every
    /// operator application is wrapped in round brackets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            AstKind::Number { text, .. } => f.write_str(text),
            AstKind::Name(n) => f.write_str(n),
            AstKind::Neg(a) => write!(f, "(-{a})"),
            AstKind::Plus(a) => write!(f, "(+{a})"),
            AstKind::Add(a, b) => write!(f, "({a} + {b})"),
            AstKind::Sub(a, b) => write!(f, "({a} - {b})"),
            AstKind::Mul(a, b, _) => write!(f, "({a}*{b})"),
            AstKind::Div(a, b) => write!(f, "({a}/{b})"),
            AstKind::Pow(a, b) => write!(f, "({a}^{b})"),
            AstKind::Group(_, a) => write!(f, "{a}"),
            AstKind::Call { name, args, .. } => {
                write!(f, "{name}(")?;
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{a}")?;
                }
                f.write_str(")")
            }
        }
    }
}

impl Drop for Ast {
    /// Drops the tree without recursion: a sum of a hundred thousand terms
    /// is a left-deep chain that recursive dropping would overflow the stack on.
    fn drop(&mut self) {
        let mut pending: Vec<Ast> = Vec::new();
        take_children(&mut self.kind, &mut pending);
        while let Some(mut node) = pending.pop() {
            take_children(&mut node.kind, &mut pending);
        }
    }
}

fn take_children(kind: &mut AstKind, into: &mut Vec<Ast>) {
    let has_children = !matches!(kind, AstKind::Number { .. } | AstKind::Name(_));
    if !has_children {
        return;
    }
    match std::mem::replace(kind, AstKind::Name(String::new())) {
        AstKind::Number { .. } | AstKind::Name(_) => {}
        AstKind::Neg(a) | AstKind::Plus(a) | AstKind::Group(_, a) => into.push(*a),
        AstKind::Add(a, b) | AstKind::Sub(a, b) | AstKind::Mul(a, b, _) | AstKind::Div(a, b) | AstKind::Pow(a, b) => {
            into.push(*a);
            into.push(*b);
        }
        AstKind::Call { args, .. } => into.extend(args),
    }
}
