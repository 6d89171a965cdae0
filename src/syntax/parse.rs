//! The nom parser: text to `Ast`.
//!
//! The grammar, loosest binding first:
//!
//! ```text
//! sum      := product (("+" | "-") product)*              left-assoc
//! product  := unary (("*" | "/") unary | power)*          left-assoc, one level
//! unary    := ("-" | "+") unary | power
//! power    := postfix (("^" | "**") unary)?               right-assoc
//! postfix  := atom superscript*                           x², x⁻¹, (x+1)³
//! atom     := number | name | call | "(" sum ")"
//! call     := function "(" sum ("," sum)* ")"
//! ```
//!
//! Implicit multiplication (`2w1`, `2(x+1)`, `x y`) is a product whose right
//! factor is a `power`: it shares the level of `*` and `/`, so `1/2x` reads
//! `(1/2)*x`, and it never starts with a sign, so `2 -x` stays a difference.
//!
//! Tokens are read with nom combinators. The layers above are applied by an
//! operator-precedence reader with explicit stacks rather than by recursive
//! functions: recursive descent costs several kilobytes of machine stack per
//! bracket in an unoptimized build, while here nesting costs only heap. Each
//! bracket, call, sign and pending `^` still counts one level against
//! [`Limits::max_depth`], which protects the recursive stages after parsing.
//! Long chains such as `x + x + … + x` are folded as they are read, into a
//! left-deep tree.

use std::borrow::Cow;

use nom::branch::alt;
use nom::bytes::complete::{tag, take_while, take_while1};
use nom::character::complete::{anychar, char, one_of, satisfy};
use nom::combinator::{consumed, cut, map_opt, not, opt, recognize, value};
use nom::error::{ErrorKind, ParseError};
use nom::sequence::pair;
use nom::{IResult, Parser};

use super::KNOWN_FUNCTIONS;
use super::ast::{Ast, AstKind, Bracket, MulStyle};
use super::span::Span;
use crate::error::{Error, Result};
use crate::limits::Limits;
use crate::number::{DecimalError, Q};

/// Parses one expression with the default limits.
///
/// ```
/// assert_eq!(kobai::parse("1/2x").unwrap().to_string(), "((1/2)*x)");
/// ```
pub fn parse(text: &str) -> Result<Ast> {
    parse_with(text, &Limits::default())
}

/// Parses one expression, refusing nesting deeper than `limits.max_depth`.
///
/// ```
/// let deep = "(".repeat(1000) + "x" + &")".repeat(1000);
/// assert!(kobai::parse_with(&deep, &kobai::Limits::default()).is_err());
/// ```
pub fn parse_with(text: &str, limits: &Limits) -> Result<Ast> {
    Reader::new(text, limits).read()
}

/// [`parse_with`] on a piece of a longer line (the right side of an
/// equation): `before` is the text in front of it, so that messages such as
/// "opened at column N" count columns of the whole line. Spans stay
/// relative to `text`.
pub(crate) fn parse_piece(before: &str, text: &str, limits: &Limits) -> Result<Ast> {
    let mut reader = Reader::new(text, limits);
    reader.before = before;
    reader.read()
}

// ---------------------------------------------------------------------------
// The error type threaded through nom.

type PResult<'t, O> = IResult<&'t str, O, PError<'t>>;

/// The error the nom token parsers produce: where a token did not match
/// and what was expected there.
///
/// Usually the reader just tries another token. After a `cut` (inside a
/// number or a superscript) the position is where the token went wrong, and
/// the reader words the final [`Error`] from it.
#[derive(Debug)]
struct PError<'t> {
    /// The rest of the input where the token was expected.
    at: &'t str,
    /// What was expected.
    expected: Expected,
}

/// What a failed token parser expected.
#[derive(Debug, Clone, Copy)]
enum Expected {
    /// What the nom combinator that failed looks for.
    Kind(ErrorKind),
    /// A particular character.
    Char(char),
    /// What the grammar expects there, in words.
    Words(&'static str),
}

impl<'t> ParseError<&'t str> for PError<'t> {
    fn from_error_kind(input: &'t str, kind: ErrorKind) -> Self {
        PError { at: input, expected: Expected::Kind(kind) }
    }

    fn append(_: &'t str, _: ErrorKind, other: Self) -> Self {
        other
    }

    fn from_char(input: &'t str, c: char) -> Self {
        PError { at: input, expected: Expected::Char(c) }
    }

    /// Between two alternatives, keep the one that got further.
    fn or(self, other: Self) -> Self {
        if other.at.len() <= self.at.len() { other } else { self }
    }
}

/// What the reader was looking for when an operand went missing.
#[derive(Debug, Clone, Copy)]
enum Want<'t> {
    /// The whole input.
    Expression,
    /// The inside of a bracket group.
    InBrackets,
    /// The right side of an operator, as typed.
    Operand(&'t str),
    /// The exponent after `^` or `**`, as typed.
    Exponent(&'t str),
    /// The first argument of a call.
    Argument(&'static str),
    /// An argument after a comma.
    NextArgument,
}

impl Want<'_> {
    fn describe(self) -> String {
        match self {
            Want::Expression => "an expression".to_string(),
            Want::InBrackets => "an expression inside the brackets".to_string(),
            Want::Operand(op) => format!("an operand after `{op}`"),
            Want::Exponent(op) => format!("an exponent after `{op}`"),
            Want::Argument(name) => format!("an argument for `{name}`"),
            Want::NextArgument => "an argument after `,`".to_string(),
        }
    }
}

// ---------------------------------------------------------------------------
// Characters and tokens.

const PLUS: &str = "+＋";
const MINUS: &str = "-−–—－‐‑";
const TIMES: &str = "×·⋅∙∗＊";
const DIVIDE: &str = "/÷／";
const COMMA: &str = ",，";
const SUPERSCRIPT_DIGITS: &str = "⁰¹²³⁴⁵⁶⁷⁸⁹";
const SUBSCRIPT_DIGITS: &str = "₀₁₂₃₄₅₆₇₈₉";

/// What a `cut` after `.` expects.
const DIGIT_AFTER_POINT: &str = "a digit after the decimal point `.`";
/// What a `cut` after the `e` of scientific notation expects.
const EXPONENT_DIGITS: &str = "digits after the exponent marker";

/// Whitespace between tokens: Unicode whitespace (tabs, newlines, NBSP), and
/// the invisible characters that copying from web pages leaves behind.
fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}')
}

/// A decimal digit, ASCII or full-width.
fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

/// Superscript and subscript digits count as numeric in Unicode, so names
/// continue only with letters, ASCII digits and `_`: `w1²` is `w1` squared.
fn is_name_continue(c: char) -> bool {
    c.is_alphabetic() || c.is_ascii_digit() || c == '_'
}

fn is_superscript_digit(c: char) -> bool {
    SUPERSCRIPT_DIGITS.contains(c)
}

fn is_superscript(c: char) -> bool {
    is_superscript_digit(c) || c == '⁻' || c == '⁺'
}

/// The ASCII digit a superscript digit stands for.
fn superscript_value(c: char) -> Option<char> {
    let digit = SUPERSCRIPT_DIGITS.chars().position(|s| s == c)?;
    char::from_digit(u32::try_from(digit).ok()?, 10)
}

fn skip_ws(i: &str) -> &str {
    i.trim_start_matches(is_space)
}

/// Runs `parser`; if it does not match, fails at `i` expecting `words`.
fn expect<'t, O>(
    words: &'static str,
    mut parser: impl Parser<&'t str, Output = O, Error = PError<'t>>,
) -> impl FnMut(&'t str) -> PResult<'t, O> {
    move |i| parser.parse(i).map_err(|e| e.map(|_| PError { at: i, expected: Expected::Words(words) }))
}

/// A binary operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Infix {
    Add,
    Sub,
    Mul(MulStyle),
    Div,
    Pow,
}

/// How tightly an operator binds: the layers of the grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Sum,
    Product,
    Unary,
    Power,
}

impl Infix {
    fn level(self) -> Level {
        match self {
            Infix::Add | Infix::Sub => Level::Sum,
            Infix::Mul(_) | Infix::Div => Level::Product,
            Infix::Pow => Level::Power,
        }
    }

    fn apply(self, lhs: Ast, rhs: Ast) -> Ast {
        let span = lhs.span.to(rhs.span);
        let (lhs, rhs) = (Box::new(lhs), Box::new(rhs));
        let kind = match self {
            Infix::Add => AstKind::Add(lhs, rhs),
            Infix::Sub => AstKind::Sub(lhs, rhs),
            Infix::Mul(style) => AstKind::Mul(lhs, rhs, style),
            Infix::Div => AstKind::Div(lhs, rhs),
            Infix::Pow => AstKind::Pow(lhs, rhs),
        };
        Ast { kind, span }
    }
}

/// `+` or `-` in any of their typographic forms, as typed; `true` for minus.
fn sign<'t>(i: &'t str) -> PResult<'t, (&'t str, bool)> {
    consumed(map_opt(anychar, |c| {
        if PLUS.contains(c) {
            Some(false)
        } else if MINUS.contains(c) {
            Some(true)
        } else {
            None
        }
    }))
    .parse(i)
}

/// A binary operator, as typed. `**` is a power, so a lone `*` must not be
/// followed by another.
fn infix<'t>(i: &'t str) -> PResult<'t, (&'t str, Infix)> {
    let one_char = map_opt(anychar, |c| match c {
        '^' | '＾' => Some(Infix::Pow),
        c if PLUS.contains(c) => Some(Infix::Add),
        c if MINUS.contains(c) => Some(Infix::Sub),
        c if c == '*' || TIMES.contains(c) => Some(Infix::Mul(MulStyle::Explicit)),
        c if DIVIDE.contains(c) => Some(Infix::Div),
        _ => None,
    });
    consumed(alt((value(Infix::Pow, tag("**")), one_char))).parse(i)
}

/// An opening bracket, as typed; full-width forms are the same kinds.
fn open_bracket<'t>(i: &'t str) -> PResult<'t, (&'t str, Bracket)> {
    consumed(map_opt(anychar, |c| match c {
        '(' | '（' => Some(Bracket::Round),
        '[' | '［' => Some(Bracket::Square),
        '{' | '｛' => Some(Bracket::Curly),
        _ => None,
    }))
    .parse(i)
}

fn close_bracket<'t>(i: &'t str) -> PResult<'t, (&'t str, Bracket)> {
    consumed(map_opt(anychar, |c| match c {
        ')' | '）' => Some(Bracket::Round),
        ']' | '］' => Some(Bracket::Square),
        '}' | '｝' => Some(Bracket::Curly),
        _ => None,
    }))
    .parse(i)
}

fn comma<'t>(i: &'t str) -> PResult<'t, char> {
    one_of(COMMA).parse(i)
}

/// The closing bracket that matches an opening one, in the same style.
fn closing_for(open: &str) -> &'static str {
    match open {
        "[" => "]",
        "{" => "}",
        "（" => "）",
        "［" => "］",
        "｛" => "｝",
        _ => ")",
    }
}

fn name<'t>(i: &'t str) -> PResult<'t, &'t str> {
    recognize(pair(satisfy(is_name_start), take_while(is_name_continue))).parse(i)
}

/// A number literal: `12`, `2.5`, `5.`, `.5`, `1e-3`, `6.02E23`.
///
/// After `e` comes an exponent, unless a letter, `_` or a superscript follows
/// (`2exp(x)`, `2e_1`, `2e²` are products with a name); anything else there is
/// a malformed exponent, and `cut` reports it where the digits should be.
fn number_literal<'t>(i: &'t str) -> PResult<'t, &'t str> {
    let digits = || take_while1(is_digit);
    let mantissa = alt((
        recognize(pair(digits(), opt(pair(char('.'), take_while(is_digit))))),
        recognize(pair(char('.'), cut(expect(DIGIT_AFTER_POINT, digits())))),
    ));
    let starts_name = |c: char| c.is_alphabetic() || c == '_' || is_superscript(c);
    let exponent =
        (one_of("eE"), not(satisfy(starts_name)), opt(one_of("+-−")), cut(expect(EXPONENT_DIGITS, digits())));
    recognize(pair(mantissa, opt(exponent))).parse(i)
}

/// A superscript exponent: `²`, `¹⁰`, `⁻¹`, `⁺²`; the sign and the digits.
fn superscript<'t>(i: &'t str) -> PResult<'t, (Option<char>, &'t str)> {
    let digits = || take_while1(is_superscript_digit);
    alt((
        pair(char('⁻').map(Some), cut(expect("superscript digits after `⁻`", digits()))),
        pair(char('⁺').map(Some), cut(expect("superscript digits after `⁺`", digits()))),
        digits().map(|d| (None, d)),
    ))
    .parse(i)
}

/// True when an atom (number, name or bracket) starts here, which makes a
/// juxtaposition an implicit product.
fn starts_atom(i: &str) -> bool {
    let mut chars = i.chars();
    match chars.next() {
        Some('.') => chars.next().is_some_and(is_digit),
        Some(c) => is_digit(c) || is_name_start(c) || open_bracket(i).is_ok(),
        None => false,
    }
}

/// The known function a name calls, if any; case does not matter.
fn known_function(name: &str) -> Option<&'static str> {
    KNOWN_FUNCTIONS.iter().copied().find(|k| k.eq_ignore_ascii_case(name))
}

/// A one-letter name with an optional numeric or `_` subscript (`a`, `w1`,
/// `x_1`, `θ_0`): before a bracket it is a factor, not a function name.
fn is_short_name(name: &str) -> bool {
    let mut chars = name.chars();
    if !chars.next().is_some_and(char::is_alphabetic) {
        return false;
    }
    let rest = chars.as_str().trim_start_matches(|c: char| c.is_ascii_digit());
    match rest.strip_prefix('_') {
        Some(sub) => sub.chars().all(char::is_alphanumeric),
        None => rest.is_empty(),
    }
}

/// The known function nearest to `name`, if it is close enough to be a typo:
/// within one edit per three characters, and never more than two.
fn suggest_function(name: &str) -> Option<String> {
    let name: Vec<char> = name.to_lowercase().chars().collect();
    let allowed = (name.len() / 3).clamp(1, 2);
    KNOWN_FUNCTIONS
        .iter()
        // A length difference alone costs that many edits; skipping those
        // keeps a very long name from building large tables.
        .filter(|k| k.len().abs_diff(name.len()) <= allowed)
        .map(|k| (edit_distance(&name, &k.chars().collect::<Vec<_>>()), *k))
        .filter(|(d, _)| *d <= allowed)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.to_string())
}

/// Edit distance with adjacent transpositions (optimal string alignment), so
/// that `sqtr` is one edit from `sqrt`.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let width = b.len() + 1;
    let mut table = vec![0usize; (a.len() + 1) * width];
    let cell = |table: &[usize], i: usize, j: usize| table.get(i * width + j).copied().unwrap_or(0);
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            let d = if i == 0 || j == 0 {
                i + j
            } else {
                let cost = usize::from(a.get(i - 1) != b.get(j - 1));
                let mut d =
                    (cell(&table, i - 1, j) + 1).min(cell(&table, i, j - 1) + 1).min(cell(&table, i - 1, j - 1) + cost);
                if i > 1 && j > 1 && a.get(i - 1) == b.get(j - 2) && a.get(i - 2) == b.get(j - 1) {
                    d = d.min(cell(&table, i - 2, j - 2) + 1);
                }
                d
            };
            if let Some(slot) = table.get_mut(i * width + j) {
                *slot = d;
            }
        }
    }
    table.last().copied().unwrap_or(0)
}

/// How a character is named in a message.
fn describe(c: char) -> String {
    match c {
        ' ' => "a space".to_string(),
        '\t' => "a tab".to_string(),
        '\n' | '\r' => "a line break".to_string(),
        c if c.is_whitespace() || c.is_control() => format!("the character U+{:04X}", u32::from(c)),
        // Shown between backticks these look like nothing at all.
        c if is_invisible(c) => format!("the invisible character U+{:04X}", u32::from(c)),
        c if is_combining(c) => {
            format!("the combining mark U+{:04X} (an accent that attaches to the character before it)", u32::from(c))
        }
        c => format!("`{c}`"),
    }
}

/// Format characters that print as nothing: direction marks and overrides
/// (copied from right-to-left text), joiners, the soft hyphen, variation
/// selectors.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200C}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2061}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FE00}'..='\u{FE0F}' | '\u{FFF9}'..='\u{FFFB}')
}

/// Combining marks of the main blocks (accents written after a letter).
fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

// ---------------------------------------------------------------------------
// The reader.

/// An operator waiting for its right operand.
#[derive(Debug)]
enum Operator {
    /// `lhs op …`
    Infix { lhs: Ast, op: Infix },
    /// `-…` or `+…`, with the offset of the sign.
    Sign { negative: bool, at: usize },
}

impl Operator {
    fn level(&self) -> Level {
        match self {
            Operator::Infix { op, .. } => op.level(),
            Operator::Sign { .. } => Level::Unary,
        }
    }

    /// Signs and powers nest (`--x`, `x^x^x`); sums and products fold.
    fn nests(&self) -> bool {
        matches!(self, Operator::Sign { .. } | Operator::Infix { op: Infix::Pow, .. })
    }

    fn apply(self, rhs: Ast) -> Ast {
        match self {
            Operator::Infix { lhs, op } => op.apply(lhs, rhs),
            Operator::Sign { negative, at } => {
                let span = Span::new(at, rhs.span.end);
                let rhs = Box::new(rhs);
                let kind = if negative { AstKind::Neg(rhs) } else { AstKind::Plus(rhs) };
                Ast { kind, span }
            }
        }
    }
}

/// An open bracket, of a group or of a call's arguments.
#[derive(Debug)]
struct Open<'t> {
    bracket: Bracket,
    /// The opening bracket as typed.
    text: &'t str,
    /// Its offset.
    at: usize,
    /// How many operators were pending outside it.
    floor: usize,
    /// The call whose arguments it encloses, if any.
    call: Option<OpenCall>,
}

#[derive(Debug)]
struct OpenCall {
    function: &'static str,
    name_span: Span,
    /// The arguments before the current one.
    args: Vec<Ast>,
}

/// What comes after an operator position.
enum Step<'t> {
    /// An operand is needed next, at the rest of the input.
    Operand(&'t str, Want<'t>),
    /// The input is complete.
    Done(Ast),
}

/// What a name turned out to be.
enum NameUse {
    /// A plain name.
    Name(Ast),
    /// A known function, the kind of its opening bracket and the bracket's
    /// offset.
    Call(OpenCall, Bracket, usize),
}

/// An operator-precedence reader: it alternates between an operand position
/// (signs and opening brackets, then an atom) and an operator position
/// (superscripts, then an operator, a closing bracket, a comma, a
/// juxtaposition or the end). Operators wait on a stack until one that binds
/// less tightly, a closing bracket or the end applies them.
struct Reader<'t> {
    /// The whole input; every `&str` below is a suffix of it.
    text: &'t str,
    /// The text in front of the input on its line, when it is a piece of a
    /// longer one; only column numbers in messages use it.
    before: &'t str,
    max_depth: usize,
    /// The largest number literal accepted, in bits ([`Limits::max_number_bits`]).
    max_number_bits: u64,
    /// Operators waiting for their right operand, innermost last.
    operators: Vec<Operator>,
    /// Open brackets, innermost last.
    brackets: Vec<Open<'t>>,
    /// Open brackets plus pending signs and powers.
    depth: usize,
}

impl<'t> Reader<'t> {
    fn new(text: &'t str, limits: &Limits) -> Reader<'t> {
        Reader {
            text,
            before: "",
            max_depth: limits.max_depth,
            max_number_bits: limits.max_number_bits,
            operators: Vec::new(),
            brackets: Vec::new(),
            depth: 0,
        }
    }

    fn read(mut self) -> Result<Ast> {
        let mut i = skip_ws(self.text);
        if i.is_empty() {
            let end = self.text.len();
            return Err(Error::Parse {
                span: Span::new(end, end),
                expected: "an expression".to_string(),
                message: "empty input: expected an expression".to_string(),
            });
        }
        let mut want = Want::Expression;
        loop {
            let (after, atom) = self.operand(i, want)?;
            match self.operator(after, atom)? {
                Step::Operand(next, next_want) => (i, want) = (next, next_want),
                Step::Done(ast) => return Ok(ast),
            }
        }
    }

    /// Operand position: pushes signs and opening brackets, then reads an
    /// atom.
    fn operand(&mut self, mut i: &'t str, mut want: Want<'t>) -> Result<(&'t str, Ast)> {
        loop {
            i = skip_ws(i);
            if let Ok((after, (op, negative))) = sign(i) {
                self.push_operator(Operator::Sign { negative, at: self.offset(i) })?;
                (i, want) = (after, Want::Operand(op));
                continue;
            }
            if let Ok((after, (text, bracket))) = open_bracket(i) {
                self.open(Open { bracket, text, at: self.offset(i), floor: self.operators.len(), call: None })?;
                (i, want) = (after, Want::InBrackets);
                continue;
            }
            return match i.chars().next() {
                Some(c) if is_digit(c) || c == '.' => self.number(i),
                Some(c) if is_name_start(c) => match self.name_use(i)? {
                    (after, NameUse::Name(ast)) => Ok((after, ast)),
                    (after, NameUse::Call(call, bracket, open_at)) => {
                        let text = self.text.get(open_at..self.offset(after)).unwrap_or("(");
                        want = Want::Argument(call.function);
                        let open = Open { bracket, text, at: open_at, floor: self.operators.len(), call: Some(call) };
                        self.open(open)?;
                        i = after;
                        continue;
                    }
                },
                Some('√') => {
                    let hint = " (write `sqrt(x)` for a square root)";
                    Err(self.error_with_hint(self.offset(i), want.describe(), hint))
                }
                _ => Err(self.error_at(self.offset(i), want.describe())),
            };
        }
    }

    /// Operator position, after the operand `current`.
    fn operator(&mut self, mut i: &'t str, mut current: Ast) -> Result<Step<'t>> {
        loop {
            // Superscripts bind tightest: they apply to the operand at once.
            while let Some((after, exponent)) = self.superscript(skip_ws(i))? {
                current = Infix::Pow.apply(current, exponent);
                i = after;
            }
            let next = skip_ws(i);
            if let Ok((after, (op, infix))) = infix(next) {
                // `^` is right-associative: a pending `^` waits for this one.
                if infix != Infix::Pow {
                    current = self.reduce(current, infix.level());
                }
                self.push_operator(Operator::Infix { lhs: current, op: infix })?;
                let want = if infix == Infix::Pow { Want::Exponent(op) } else { Want::Operand(op) };
                return Ok(Step::Operand(after, want));
            }
            if starts_atom(next) {
                current = self.reduce(current, Level::Product);
                self.push_operator(Operator::Infix { lhs: current, op: Infix::Mul(MulStyle::Implicit) })?;
                return Ok(Step::Operand(next, Want::Expression));
            }
            current = self.reduce(current, Level::Sum);
            if let Ok((after, (close, bracket))) = close_bracket(next) {
                current = self.close(current, next, close, bracket)?;
                i = after;
                continue;
            }
            if let Ok((after, _)) = comma(next)
                && let Some(Open { call: Some(call), .. }) = self.brackets.last_mut()
            {
                call.args.push(current);
                return Ok(Step::Operand(after, Want::NextArgument));
            }
            return match self.brackets.last() {
                Some(open) => Err(self.unclosed(open, self.offset(next))),
                None if next.is_empty() => Ok(Step::Done(current)),
                None => Err(self.error_at(self.offset(next), "an operator or the end of input".to_string())),
            };
        }
    }

    /// Applies the pending operators inside the innermost bracket that bind
    /// at least as tightly as `level`.
    fn reduce(&mut self, mut current: Ast, level: Level) -> Ast {
        let floor = self.brackets.last().map_or(0, |open| open.floor);
        while self.operators.len() > floor
            && let Some(op) = self.operators.pop_if(|op| op.level() >= level)
        {
            if op.nests() {
                self.depth = self.depth.saturating_sub(1);
            }
            current = op.apply(current);
        }
        current
    }

    /// A closing bracket after `current`, whose operators are all applied;
    /// `at` is the rest of the input at the bracket.
    fn close(&mut self, current: Ast, at: &'t str, close: &'t str, bracket: Bracket) -> Result<Ast> {
        let offset = self.offset(at);
        let Some(open) = self.brackets.pop_if(|open| open.bracket == bracket) else {
            return Err(match self.brackets.last() {
                Some(open) => self.unclosed(open, offset),
                None => Error::Parse {
                    span: Span::new(offset, offset + close.len()),
                    expected: "an operator or the end of input".to_string(),
                    message: format!("unexpected `{close}`: no bracket is open"),
                },
            });
        };
        self.depth = self.depth.saturating_sub(1);
        let end = offset + close.len();
        let Some(mut call) = open.call else {
            return Ok(Ast { kind: AstKind::Group(bracket, Box::new(current)), span: Span::new(open.at, end) });
        };
        call.args.push(current);
        let span = Span::new(call.name_span.start, end);
        let (allowed, expected) = match call.function {
            "log" => (1..=2, "1 or 2 arguments"),
            _ => (1..=1, "1 argument"),
        };
        if !allowed.contains(&call.args.len()) {
            return Err(Error::Arity {
                span,
                name: call.function.to_string(),
                expected: expected.to_string(),
                found: call.args.len(),
            });
        }
        let kind = AstKind::Call { name: call.function.to_string(), name_span: call.name_span, args: call.args };
        Ok(Ast { kind, span })
    }

    fn push_operator(&mut self, op: Operator) -> Result<()> {
        if op.nests() {
            self.nest()?;
        }
        self.operators.push(op);
        Ok(())
    }

    fn open(&mut self, open: Open<'t>) -> Result<()> {
        self.nest()?;
        self.brackets.push(open);
        Ok(())
    }

    /// One level deeper, or the nesting-depth limit.
    fn nest(&mut self) -> Result<()> {
        if self.depth >= self.max_depth {
            let limit = self.max_depth;
            return Err(Error::Limit {
                what: "nesting depth",
                limit: u64::try_from(limit).unwrap_or(u64::MAX),
                reached: format!("more than {limit} levels"),
                flag: "--max-depth",
            });
        }
        self.depth += 1;
        Ok(())
    }

    // The atoms.

    /// A decimal literal, with its exact value.
    fn number(&self, i: &'t str) -> Result<(&'t str, Ast)> {
        let (rest, text) = number_literal(i).map_err(|e| self.number_error(i, e))?;
        let span = Span::new(self.offset(i), self.offset(rest));
        if rest.starts_with('.') {
            let at = span.end;
            return Err(Error::Parse {
                span: Span::new(at, at + 1),
                expected: "an operator or the end of the number".to_string(),
                message: format!("unexpected `.` after `{text}`: a number has at most one decimal point"),
            });
        }
        // A literal of d digits times 10^±k is a number of about 3.32·(d + k)
        // bits: refuse it before converting, which takes time quadratic in
        // the digits. (k is at most 10000: `Q::parse_decimal` checks that.)
        let (mantissa, exponent) = match text.find(['e', 'E']) {
            Some(at) => text.split_at(at),
            None => (text, ""),
        };
        let scale: u64 = exponent.chars().filter(|c| is_digit(*c)).collect::<String>().parse().unwrap_or(0);
        let digits = mantissa.chars().filter(|c| is_digit(*c)).count() as u64;
        let bits = digits.saturating_add(scale.min(100_000)).saturating_mul(3322) / 1000;
        if bits > self.max_number_bits {
            return Err(Error::Limit {
                what: "size of a number",
                limit: self.max_number_bits,
                reached: if text.len() <= 30 {
                    format!("`{text}` has about {bits} bits")
                } else {
                    format!("a literal of {} digits, about {bits} bits", digits + scale)
                },
                flag: "--max-number-bits",
            });
        }
        // `Q::parse_decimal` reads ASCII; full-width digits and a typographic
        // minus in the exponent are translated, while `text` keeps them.
        let ascii: Cow<'_, str> = if text.is_ascii() {
            Cow::Borrowed(text)
        } else {
            let to_ascii = |c: char| match c {
                '０'..='９' => char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')).unwrap_or(c),
                '−' => '-',
                c => c,
            };
            Cow::Owned(text.chars().map(to_ascii).collect())
        };
        let value = self.decimal(&ascii, text, span)?;
        Ok((rest, Ast { kind: AstKind::Number { value, text: text.to_string() }, span }))
    }

    /// Words a malformed number literal starting at `i`.
    fn number_error(&self, i: &'t str, e: nom::Err<PError<'t>>) -> Error {
        let at = match &e {
            nom::Err::Error(PError { at, expected: Expected::Words(EXPONENT_DIGITS) })
            | nom::Err::Failure(PError { at, expected: Expected::Words(EXPONENT_DIGITS) }) => *at,
            _ => return self.nom_error(e),
        };
        // Name the marker as typed, and show how to write a product with a
        // variable `e` instead.
        let literal = self.text.get(self.offset(i)..self.offset(at)).unwrap_or("");
        let (mantissa, marker) = match literal.find(['e', 'E']) {
            Some(m) => (literal.get(..m).unwrap_or(""), literal.get(m..m + 1).unwrap_or("e")),
            None => (literal, "e"),
        };
        self.error_with_hint(
            self.offset(at),
            format!("{EXPONENT_DIGITS} `{marker}`"),
            &format!(" (to multiply by a variable `{marker}`, write `{mantissa}*{marker}`)"),
        )
    }

    /// The exact value of a literal the lexer has checked.
    fn decimal(&self, ascii: &str, text: &str, span: Span) -> Result<Q> {
        Q::parse_decimal(ascii).map_err(|e| match e {
            DecimalError::ExponentTooLarge { exponent, limit } => Error::Parse {
                span,
                expected: format!("a decimal exponent of at most {limit}"),
                message: format!(
                    "the exponent `{exponent}` in `{text}` is too large: \
                     scientific notation is limited to exponents up to {limit} in size"
                ),
            },
            DecimalError::Malformed => Error::Parse {
                span,
                expected: "a number".to_string(),
                message: format!("`{text}` is not a number kobai can read"),
            },
        })
    }

    /// A superscript exponent as a Number node whose text is in ASCII
    /// (`"-1"` for `⁻¹`), or `None` when there is none.
    fn superscript(&self, i: &'t str) -> Result<Option<(&'t str, Ast)>> {
        let (rest, (sign, digits)) = match superscript(i) {
            Ok(done) => done,
            Err(nom::Err::Error(_)) => return Ok(None),
            Err(e) => return Err(self.nom_error(e)),
        };
        let mut text = String::with_capacity(digits.len() / 2 + 1);
        if sign == Some('⁻') {
            text.push('-');
        }
        text.extend(digits.chars().filter_map(superscript_value));
        let span = Span::new(self.offset(i), self.offset(rest));
        let value = self.decimal(&text, &text, span)?;
        Ok(Some((rest, Ast { kind: AstKind::Number { value, text }, span })))
    }

    /// Reads a name and decides what it is: a plain name, a known function
    /// with its opening bracket (consumed), or an unknown function (an error).
    fn name_use(&self, i: &'t str) -> Result<(&'t str, NameUse)> {
        let (after, text) = name(i).map_err(|e| self.nom_error(e))?;
        let name_span = Span::new(self.offset(i), self.offset(after));
        if let Some(function) = known_function(text) {
            let next = skip_ws(after);
            if let Ok((rest, (_, bracket))) = open_bracket(next) {
                let call = OpenCall { function, name_span, args: Vec::new() };
                return Ok((rest, NameUse::Call(call, bracket, self.offset(next))));
            }
            let hint = match next.chars().next() {
                Some(c) if is_superscript(c) || c == '^' => format!(" (for a power, write `{function}(x)^2`)"),
                _ => format!(" (write `{function}(x)`)"),
            };
            let expected = format!("`(` after the function name `{text}`");
            return Err(self.error_with_hint(self.offset(next), expected, &hint));
        }
        if open_bracket(after).is_ok() && !is_short_name(text) {
            return Err(Error::UnknownFunction {
                span: name_span,
                name: text.to_string(),
                suggestion: suggest_function(text),
            });
        }
        if let Some(sub) = after.chars().next().filter(|c| SUBSCRIPT_DIGITS.contains(*c)) {
            let at = name_span.end;
            return Err(Error::Parse {
                span: Span::new(at, at + sub.len_utf8()),
                expected: "an operator or the end of input".to_string(),
                message: format!(
                    "subscript digits are not read: write `{text}_1` or `{text}1` instead of `{text}{sub}`"
                ),
            });
        }
        Ok((after, NameUse::Name(Ast { kind: AstKind::Name(text.to_string()), span: name_span })))
    }

    // Positions and errors.

    /// Byte offset of a suffix of the input.
    fn offset(&self, rest: &str) -> usize {
        self.text.len().saturating_sub(rest.len())
    }

    /// "line L, column C" (or just "column C") of a byte offset, counting
    /// characters from 1.
    fn column(&self, at: usize) -> String {
        let whole = format!("{}{}", self.before, self.text.get(..at).unwrap_or(self.text));
        let before = whole.as_str();
        let line_start = before.rfind('\n').map_or(0, |n| n + 1);
        let column = before.get(line_start..).unwrap_or("").chars().count() + 1;
        if line_start == 0 {
            format!("column {column}")
        } else {
            let line = before.matches('\n').count() + 1;
            format!("line {line}, column {column}")
        }
    }

    /// "expected `)` to close the `(` opened at column N" at `at`.
    fn unclosed(&self, open: &Open<'_>, at: usize) -> Error {
        let expected =
            format!("`{}` to close the `{}` opened at {}", closing_for(open.text), open.text, self.column(open.at));
        self.error_at(at, expected)
    }

    /// Words an error from a nom token parser.
    fn nom_error(&self, e: nom::Err<PError<'t>>) -> Error {
        match e {
            nom::Err::Error(PError { at, expected }) | nom::Err::Failure(PError { at, expected }) => {
                let expected = match expected {
                    Expected::Words(words) => words.to_string(),
                    Expected::Char(c) => format!("`{c}`"),
                    Expected::Kind(kind) => format!("an expression ({})", kind.description().to_lowercase()),
                };
                self.error_at(self.offset(at), expected)
            }
            nom::Err::Incomplete(_) => self.error_at(self.text.len(), "more input".to_string()),
        }
    }

    /// "expected X, found `c`" at a byte offset, or "unexpected end of
    /// input: expected X" there.
    fn error_at(&self, at: usize, expected: String) -> Error {
        self.error_with_hint(at, expected, "")
    }

    fn error_with_hint(&self, at: usize, expected: String, hint: &str) -> Error {
        match self.text.get(at..).and_then(|s| s.chars().next()) {
            None => Error::Parse {
                span: Span::new(at, at),
                message: format!("unexpected end of input: expected {expected}{hint}"),
                expected,
            },
            Some(c) => Error::Parse {
                span: Span::new(at, at + c.len_utf8()),
                message: format!("expected {expected}, found {}{hint}", describe(c)),
                expected,
            },
        }
    }
}

// ---------------------------------------------------------------------------
// Long flat sums.

/// Reads a flat sum of products of numbers and powers of names, such as
/// `3*x1^2*y - 5/7*z + 2*x2`, in ASCII with explicit `*` and spaces, straight
/// into the expression that `lower(parse(text))` gives, without building the
/// syntax tree: for a sum of a hundred thousand terms that, and building
/// each term's canonical product only to merge it into the sum, cost far
/// more than the result. Each term is read as a coefficient and a monomial
/// (the exponents of each name, added up), like terms are added as they
/// come, and the canonical constructors then build each distinct monomial
/// once and the sum of them. `None` for anything else, including every input
/// with an error, which the general reader then reads and reports.
pub(crate) fn read_flat_sum(text: &str, limits: &Limits) -> Option<crate::expr::Expr> {
    use crate::expr::{Expr, FxHasher};
    use crate::symbol::Symbol;
    use std::collections::HashMap;
    use std::hash::BuildHasherDefault;
    type Fx = BuildHasherDefault<FxHasher>;
    // A sign and a pending `^` nest one level each; literals are below 2^64.
    if limits.max_depth < 3 || limits.max_number_bits < 64 {
        return None;
    }
    let bytes = text.as_bytes();
    let mut at = 0usize;
    let skip = |at: &mut usize| {
        while bytes.get(*at) == Some(&b' ') {
            *at += 1;
        }
    };
    let mut names: HashMap<&str, Symbol, Fx> = HashMap::default();
    let mut numbers: HashMap<&str, Q, Fx> = HashMap::default();
    // Monomial (names with exponents, sorted by name) to coefficient, in
    // order of first appearance.
    let mut index: HashMap<Vec<(Symbol, u32)>, usize, Fx> = HashMap::default();
    let mut terms: Vec<(Vec<(Symbol, u32)>, Q)> = Vec::new();
    let mut monomial: Vec<(Symbol, u32)> = Vec::new();
    skip(&mut at);
    let mut sign = Q::one();
    match bytes.get(at) {
        Some(b'-') => {
            sign = Q::from(-1);
            at += 1;
        }
        Some(b'+') => at += 1,
        _ => {}
    }
    loop {
        // One term: factor (('*' | '/') factor)*.
        monomial.clear();
        let mut coeff = sign.clone();
        let mut first = true;
        loop {
            skip(&mut at);
            let divide = match bytes.get(at) {
                Some(b'*') if !first => false,
                Some(b'/') if !first => true,
                _ if first => false,
                _ => break,
            };
            if !first {
                at += 1;
                skip(&mut at);
            }
            first = false;
            let start = at;
            match bytes.get(at) {
                Some(b'0'..=b'9') => {
                    while bytes.get(at).is_some_and(u8::is_ascii_digit) {
                        at += 1;
                    }
                    if bytes.get(at) == Some(&b'.') {
                        at += 1;
                        let frac = at;
                        while bytes.get(at).is_some_and(u8::is_ascii_digit) {
                            at += 1;
                        }
                        if at == frac {
                            return None;
                        }
                    }
                    let literal = text.get(start..at)?;
                    if literal.len() > 19 {
                        return None;
                    }
                    let value = match numbers.get(literal) {
                        Some(q) => q.clone(),
                        None => {
                            let q = Q::parse_decimal(literal).ok()?;
                            numbers.insert(literal, q.clone());
                            q
                        }
                    };
                    coeff = if divide { coeff.div(&value)? } else { coeff.mul(&value) };
                }
                Some(c) if c.is_ascii_alphabetic() || *c == b'_' => {
                    // Dividing by a variable is left to the general reader.
                    if divide {
                        return None;
                    }
                    while bytes.get(at).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_') {
                        at += 1;
                    }
                    let name = text.get(start..at)?;
                    let symbol = match names.get(name) {
                        Some(s) => *s,
                        None => {
                            if name == "e" || known_function(name).is_some() {
                                return None;
                            }
                            let s = Symbol::new(name);
                            names.insert(name, s);
                            s
                        }
                    };
                    skip(&mut at);
                    let mut k = 1u32;
                    if bytes.get(at) == Some(&b'^') {
                        at += 1;
                        skip(&mut at);
                        let digits = at;
                        while bytes.get(at).is_some_and(u8::is_ascii_digit) {
                            at += 1;
                        }
                        k = text.get(digits..at).filter(|d| !d.is_empty() && d.len() <= 9)?.parse().ok()?;
                    }
                    if k > 0 {
                        match monomial.iter_mut().find(|(s, _)| *s == symbol) {
                            Some((_, e)) => *e = e.checked_add(k)?,
                            None => monomial.push((symbol, k)),
                        }
                    }
                }
                _ => return None,
            }
            // What may follow a factor: a space, an operator or the end.
            if !matches!(bytes.get(at), None | Some(b' ' | b'*' | b'/' | b'+' | b'-')) {
                return None;
            }
        }
        monomial.sort_unstable_by_key(|m| m.0);
        match index.get(&monomial) {
            Some(&i) => {
                if let Some(slot) = terms.get_mut(i) {
                    slot.1 = slot.1.add(&coeff);
                }
            }
            None => {
                index.insert(monomial.clone(), terms.len());
                terms.push((monomial.clone(), coeff));
            }
        }
        skip(&mut at);
        match bytes.get(at) {
            None => break,
            Some(b'+') => sign = Q::one(),
            Some(b'-') => sign = Q::from(-1),
            _ => return None,
        }
        at += 1;
    }
    let parts = terms.into_iter().map(|(m, c)| {
        let monomial = Expr::product(m.into_iter().map(|(s, k)| Expr::pow(&Expr::sym(s), &Expr::int(i64::from(k)))));
        (monomial, c)
    });
    Some(Expr::weighted_sum(Q::zero(), parts))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts how `input` is read, in the fully parenthesized form.
    #[track_caller]
    fn reads(input: &str, expected: &str) {
        match parse(input) {
            Ok(ast) => assert_eq!(ast.to_string(), expected, "reading {input:?}"),
            Err(e) => panic!("{input:?} did not parse: {e}"),
        }
    }

    /// The error `input` gives; fails the test if it parses.
    #[track_caller]
    fn error(input: &str) -> Error {
        match parse(input) {
            Ok(ast) => panic!("{input:?} parsed as {ast}"),
            Err(e) => e,
        }
    }

    /// Asserts a parse error starting at byte `start` whose message contains
    /// `words`.
    #[track_caller]
    fn parse_error(input: &str, start: usize, words: &str) {
        let err = error(input);
        let Error::Parse { span, ref message, .. } = err else {
            panic!("{input:?}: expected a parse error, got {err:?}");
        };
        assert_eq!(span.start, start, "{input:?}: {message}");
        assert!(message.contains(words), "{input:?}: {message:?} lacks {words:?}");
    }

    #[test]
    fn precedence_and_associativity() {
        reads("1+2*3", "(1 + (2*3))");
        reads("1-2-3", "((1 - 2) - 3)");
        reads("8/4/2", "((8/4)/2)");
        reads("1/2x", "((1/2)*x)");
        reads("1/2*x", "((1/2)*x)");
        reads("a/b c", "((a/b)*c)");
        reads("2^3^2", "(2^(3^2))");
        reads("2**3**2", "(2^(3^2))");
        reads("-x^2", "(-(x^2))");
        reads("--x", "(-(-x))");
        reads("+-x", "(+(-x))");
        reads("2*-x", "(2*(-x))");
        reads("2^-1", "(2^(-1))");
        reads("x^-2", "(x^(-2))");
        reads("2^-x^2", "(2^(-(x^2)))");
        reads("2 - -x", "(2 - (-x))");
        reads("2 -x", "(2 - x)");
        reads("(x^2)^3", "((x^2)^3)");
    }

    #[test]
    fn implicit_multiplication() {
        reads("2w1", "(2*w1)");
        reads("4(w1)^2", "(4*(w1^2))");
        reads("2(x+1)", "(2*(x + 1))");
        reads("(a)(b)", "(a*b)");
        reads("2 x", "(2*x)");
        reads("x y", "(x*y)");
        reads("x 2", "(x*2)");
        reads("(x)2", "(x*2)");
        reads("2x^2", "(2*(x^2))");
        reads("2exp(x)", "(2*exp(x))");
        reads("a(b+c)", "(a*(b + c))");
        reads("w1(x)", "(w1*x)");
        reads("x_1(y)", "(x_1*y)");
        reads("2 x y / z", "(((2*x)*y)/z)");
        reads("x .5", "(x*.5)");
        reads("2 (x) [y] {z}", "(((2*x)*y)*z)");
    }

    #[test]
    fn names_and_numbers() {
        reads("w1", "w1");
        reads("x_1", "x_1");
        reads("target", "target");
        reads("θ", "θ");
        reads("α2", "α2");
        reads("_tmp", "_tmp");
        reads("12", "12");
        reads("2.5", "2.5");
        reads(".5", ".5");
        reads("5.", "5.");
        reads("1e-3", "1e-3");
        reads("6.02E23", "6.02E23");
        reads("2e3x", "(2e3*x)");
        reads("2ex", "(2*ex)");
        reads("2e_1", "(2*e_1)");
        reads("2e²", "(2*(e^2))");
        reads("１２", "１２");
        let value = |s: &str| {
            let ast = parse(s).unwrap();
            let AstKind::Number { value, .. } = &ast.kind else { panic!("{s:?} is not a number: {ast:?}") };
            value.clone()
        };
        assert_eq!(value("2.5"), Q::new(5, 2));
        assert_eq!(value(".5"), Q::new(1, 2));
        assert_eq!(value("5."), Q::from(5));
        assert_eq!(value("1e-3"), Q::new(1, 1000));
        assert_eq!(value("1e−3"), Q::new(1, 1000));
        assert_eq!(value("１２"), Q::from(12));
        assert_eq!(value("6.02E23"), Q::parse_decimal("602000000000000000000000").unwrap());
    }

    #[test]
    fn calls() {
        reads("exp(x)", "exp(x)");
        reads("EXP(x)", "exp(x)");
        reads("sin (x)", "sin(x)");
        reads("log(x, 2)", "log(x, 2)");
        reads("log(x，2)", "log(x, 2)");
        reads("sigmoid(w*x + b)", "sigmoid(((w*x) + b))");
        reads("sin(x)^2", "(sin(x)^2)");
        reads("sin(x)²", "(sin(x)^2)");
        reads("sqrt[x]", "sqrt(x)");
        reads("exp(exp(x))", "exp(exp(x))");
        let call = parse("  Tanh(x)").unwrap();
        let AstKind::Call { name, name_span, args } = &call.kind else { panic!("{call:?}") };
        assert_eq!((name.as_str(), *name_span, call.span, args.len()), ("tanh", Span::new(2, 6), Span::new(2, 9), 1));
    }

    #[test]
    fn typographic_forms() {
        reads("(2·w1 − 5)²", "(((2*w1) - 5)^2)");
        reads("3×a – 2", "((3*a) - 2)");
        reads("x÷2", "(x/2)");
        reads("（x＋1）", "(x + 1)");
        reads("［x］｛y｝", "(x*y)");
        reads("a⋅b∙c∗d", "(((a*b)*c)*d)");
        reads("a — b － c", "((a - b) - c)");
        reads("x／y", "(x/y)");
        reads("x＾2", "(x^2)");
        reads("w1²", "(w1^2)");
        reads("x⁻¹", "(x^-1)");
        reads("x⁺²", "(x^2)");
        reads("x¹⁰", "(x^10)");
        reads("(x+1)³", "((x + 1)^3)");
        reads("2x²", "(2*(x^2))");
        reads("-x²", "(-(x^2))");
        reads("x²⁻¹", "((x^2)^-1)");
        reads("x²^3", "((x^2)^3)");
        reads("2^x²", "(2^(x^2))");
        reads("\u{a0}x\t+\ny\u{200b}", "(x + y)");
    }

    #[test]
    fn spans_are_byte_ranges_of_the_text() {
        let ast = parse(" (a + b)*c ").unwrap();
        assert_eq!(ast.span, Span::new(1, 10));
        let AstKind::Mul(group, c, MulStyle::Explicit) = &ast.kind else { panic!("{ast:?}") };
        assert_eq!((group.span, c.span), (Span::new(1, 8), Span::new(9, 10)));
        let AstKind::Group(Bracket::Round, sum) = &group.kind else { panic!("{group:?}") };
        assert_eq!(sum.span, Span::new(2, 7));

        let text = "θ² − 1";
        let ast = parse(text).unwrap();
        assert_eq!(ast.span, Span::new(0, text.len()));
        let AstKind::Sub(pow, one) = &ast.kind else { panic!("{ast:?}") };
        assert_eq!(&text[pow.span.start..pow.span.end], "θ²");
        assert_eq!(&text[one.span.start..one.span.end], "1");
        let AstKind::Pow(_, two) = &pow.kind else { panic!("{pow:?}") };
        assert!(matches!(&two.kind, AstKind::Number { text, .. } if text == "2"));
        assert_eq!(&text[two.span.start..two.span.end], "²");

        let ast = parse("-x").unwrap();
        assert_eq!(ast.span, Span::new(0, 2));
        let ast = parse("（x）").unwrap();
        assert_eq!(ast.span, Span::new(0, "（x）".len()));
    }

    #[test]
    fn operand_errors_point_at_the_bad_character() {
        parse_error("((w1*x1)-)^2", 9, "expected an operand after `-`, found `)`");
        parse_error(")(", 0, "expected an expression, found `)`");
        parse_error("x^", 2, "unexpected end of input: expected an exponent after `^`");
        parse_error("+", 1, "unexpected end of input: expected an operand after `+`");
        parse_error("*", 0, "expected an expression, found `*`");
        parse_error("2**", 3, "unexpected end of input: expected an exponent after `**`");
        parse_error("^2", 0, "found `^`");
        parse_error("x^^2", 2, "expected an exponent after `^`, found `^`");
        parse_error("2 − )", 6, "expected an operand after `−`, found `)`");
        parse_error("()", 1, "expected an expression inside the brackets, found `)`");
        parse_error("x $", 2, "expected an operator or the end of input, found `$`");
        parse_error("x, y", 1, "found `,`");
        parse_error("x²⁻", "x²⁻".len(), "superscript digits after `⁻`");
        parse_error("w₁", 1, "subscript digits are not read");
        parse_error("2*√x", 2, "write `sqrt(x)`");
        parse_error("x=1", 1, "expected an operator or the end of input, found `=`");
        parse_error("2e\u{a0}", 2, "found the character U+00A0");
        parse_error("x\u{200f}+1", 1, "found the invisible character U+200F");
        parse_error("x\u{301}", 1, "found the combining mark U+0301");
    }

    #[test]
    fn empty_input() {
        for input in ["", "   ", "\u{a0}\n"] {
            parse_error(input, input.len(), "empty input: expected an expression");
        }
    }

    #[test]
    fn bracket_errors_name_the_bracket() {
        parse_error("2*(x", 4, "unexpected end of input: expected `)` to close the `(` opened at column 3");
        parse_error("(x]", 2, "expected `)` to close the `(` opened at column 1, found `]`");
        parse_error("[x)", 2, "expected `]` to close the `[`");
        parse_error("（x", "（x".len(), "expected `）` to close the `（` opened at column 1");
        parse_error("x)", 1, "unexpected `)`: no bracket is open");
        parse_error("(x))", 3, "unexpected `)`: no bracket is open");
        parse_error("1 +\n(x", 6, "opened at line 2, column 1");
        reads("（x)", "x");
    }

    #[test]
    fn number_errors() {
        parse_error("..5", 1, "expected a digit after the decimal point `.`, found `.`");
        parse_error(".", 1, "unexpected end of input: expected a digit after the decimal point");
        parse_error("1.2.3", 3, "a number has at most one decimal point");
        parse_error("1e", 2, "unexpected end of input: expected digits after the exponent marker `e`");
        parse_error("2e )", 2, "expected digits after the exponent marker `e`, found a space");
        parse_error("2E*x", 2, "write `2*E`");
        parse_error("2e-x", 3, "digits after the exponent marker");
        parse_error("1e999999", 0, "too large");
        let Error::Parse { expected, .. } = error("1e999999") else { panic!() };
        assert!(expected.contains("10000"), "{expected}");
        reads("1e10000", "1e10000");
    }

    #[test]
    fn call_errors() {
        parse_error("sin()", 4, "expected an argument for `sin`, found `)`");
        parse_error("log(x,)", 6, "expected an argument after `,`, found `)`");
        parse_error("sin x", 4, "expected `(` after the function name `sin`");
        parse_error("sin^2(x)", 3, "sin(x)^2");
        parse_error("exp(x", 5, "to close the `(` opened at column 4");
        assert_eq!(
            error("sin(x, y)"),
            Error::Arity { span: Span::new(0, 9), name: "sin".into(), expected: "1 argument".into(), found: 2 }
        );
        assert!(matches!(error("log(x, 2, 3)"), Error::Arity { found: 3, .. }));
        let unknown = |input: &str| match error(input) {
            Error::UnknownFunction { span, name, suggestion } => (span, name, suggestion),
            e => panic!("{input:?}: {e:?}"),
        };
        let some = |s: &str| Some(s.to_string());
        assert_eq!(unknown("foo(x)"), (Span::new(0, 3), "foo".into(), None));
        assert_eq!(unknown("2 sinn(x)").2, some("sin"));
        assert_eq!(unknown("expp(x)").2, some("exp"));
        assert_eq!(unknown("sigmoyd(x)").2, some("sigmoid"));
        assert_eq!(unknown("sqtr(x)").2, some("sqrt"));
        assert_eq!(unknown("Sin2(x)").2, some("sin"));
        assert_eq!(unknown("target(x)").2, None);
        // With a space, a long name before a bracket is a product.
        reads("lr (w - g)", "(lr*(w - g))");
    }

    #[test]
    fn nesting_depth_is_limited() {
        let limits = Limits::default().with_max_depth(3);
        assert!(parse_with("(((x)))", &limits).is_ok());
        assert!(parse_with("---x", &limits).is_ok());
        for deep in ["((((x))))", "----x", "x^x^x^x^x", "exp(exp(exp(exp(x))))", "-(-(x))"] {
            assert_eq!(
                parse_with(deep, &limits),
                Err(Error::Limit {
                    what: "nesting depth",
                    limit: 3,
                    reached: "more than 3 levels".into(),
                    flag: "--max-depth"
                }),
                "{deep}"
            );
        }
    }

    #[test]
    fn very_deep_input_fails_fast_on_a_small_stack() {
        let run = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(|| {
                let n = 100_000;
                let inputs = [
                    "(".repeat(n) + "x" + &")".repeat(n),
                    "(".repeat(n),
                    "-".repeat(n) + "x",
                    "x^".repeat(n) + "x",
                    "sin(".repeat(n) + "x" + &")".repeat(n),
                    "［（".repeat(n),
                ];
                for input in &inputs {
                    assert!(matches!(parse(input), Err(Error::Limit { what: "nesting depth", .. })));
                }
                // The deepest nesting the default limit allows must fit too.
                let limit = Limits::default().max_depth;
                for unit in [("(", ")"), ("sin(", ")"), ("-(", ")"), ("[x^", "]")] {
                    let k = limit / unit.0.matches(['(', '-', '^', '[']).count();
                    let input = unit.0.repeat(k) + "x" + &unit.1.repeat(k);
                    assert!(parse(&input).is_ok(), "{}…", &input[..20]);
                }
                // Nesting costs heap, not stack: a raised limit is safe too.
                let raised = Limits::default().with_max_depth(2 * n);
                let deep = "(".repeat(n) + "x" + &")".repeat(n);
                assert!(parse_with(&deep, &raised).is_ok());
                let deep = "-(".repeat(n / 2) + "x^" + &"x^".repeat(n / 2) + "x" + &")".repeat(n / 2);
                assert!(parse_with(&deep, &raised).is_ok());
            })
            .unwrap();
        // Speed is measured in benchmarks, not asserted here; this checks
        // that the limit is enforced without exhausting a small stack.
        run.join().unwrap();
    }

    #[test]
    fn long_chains_are_folded_without_recursion() {
        let run = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(|| {
                let n = 100_000;
                for op in ["+", "-", "*", "/", " ", "²"] {
                    let input = vec!["x"; n].join(op);
                    let input = if op == "²" { input + "²" } else { input };
                    let ast = parse(&input).unwrap();
                    assert_eq!(ast.span, Span::new(0, input.len()));
                }
            })
            .unwrap();
        run.join().unwrap();
    }

    #[test]
    fn edit_distance_counts_transpositions() {
        let d = |a: &str, b: &str| edit_distance(&a.chars().collect::<Vec<_>>(), &b.chars().collect::<Vec<_>>());
        assert_eq!(d("sqtr", "sqrt"), 1);
        assert_eq!(d("foo", "cos"), 2);
        assert_eq!(d("", "exp"), 3);
        assert_eq!(d("sigmoyd", "sigmoid"), 1);
    }

    #[test]
    fn flat_sums_read_as_the_general_reader_reads_them() {
        let limits = Limits::default();
        let general = |s: &str| crate::syntax::lower::lower(&parse(s).unwrap()).unwrap();
        for s in [
            "3*x1^2*y - 5/7*z + 2*x2",
            "-3*x^2 + x - x",
            "-x^2*y - 2",
            "x*y^2/4 + 4/2*x*x^3 - x^0",
            "0.25*w + 1.5 - 7",
            "a*b*a + b*a*a - 2*a^2*b",
            "5",
            "-5",
            "x",
            "+x - 1",
            " 2 * x ^ 3 ",
        ] {
            assert_eq!(read_flat_sum(s, &limits), Some(general(s)), "{s}");
        }
        for s in ["2x", "x/0", "x/y", "sin*x", "e*x", "(x)", "x^-1", "2^3", "x - -y", "x\n", "1.", "1e3*x", "x²", ""] {
            assert_eq!(read_flat_sum(s, &limits), None, "{s}");
        }
    }
}
