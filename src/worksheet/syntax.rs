//! Reading a worksheet line into a [`Statement`].
//!
//! A line is split at its top-level `=`, commas and brackets; the pieces that
//! are formulas are left as text, to be read by the formula parser when the
//! line is evaluated. Inside a formula, worksheet calls (`diff(e, w1)`) and
//! indexing (`data[0]`) are found here and become [`Term`]s of their own,
//! so that `2*diff(e, w1)` and `(w*xs[0] - ys[0])^2` work.
//!
//! Every span is a byte range of the line.

use std::cell::Cell;

use super::{SheetCommand, SheetError};
use crate::error::Error;
use crate::syntax::KNOWN_FUNCTIONS;
use crate::syntax::span::Span;

/// One line of a worksheet, read.
#[derive(Debug)]
pub(super) enum Statement {
    /// Nothing but blanks or a comment.
    Empty,
    /// `name = value`.
    Bind {
        /// The name bound.
        name: String,
        /// Where the name is.
        name_span: Span,
        /// What it is bound to.
        value: Term,
    },
    /// `clear a, b`, or `clear` alone for every name.
    Clear {
        /// The names, with their spans; empty for all.
        names: Vec<(String, Span)>,
    },
    /// A value to show.
    Show(Term),
}

/// A piece of a line that has a value.
#[derive(Debug)]
pub(super) struct Term {
    /// What kind of piece it is.
    pub kind: TermKind,
    /// Where it is in the line, without surrounding blanks.
    pub span: Span,
}

/// The kinds of [`Term`].
#[derive(Debug)]
pub(super) enum TermKind {
    /// A formula for the formula parser. The terms inside it (calls and
    /// indexing) are replaced by their values before it is read.
    Formula(Vec<Term>),
    /// A name alone.
    Name(String),
    /// A string literal, for `print`.
    Text(String),
    /// `[a, b, ...]`.
    List(Vec<Term>),
    /// `command(args)`.
    Call {
        /// Which command.
        command: SheetCommand,
        /// The arguments.
        args: Vec<Term>,
    },
    /// `target[index]`.
    Index {
        /// What is indexed.
        target: Box<Term>,
        /// The position, counted from 0 (negative counts from the end).
        index: Box<Term>,
    },
    /// `lhs = rhs`, as an argument of `solve` or `subs`.
    Equation {
        /// The left side.
        lhs: Box<Term>,
        /// The right side.
        rhs: Box<Term>,
    },
}

/// The deepest nesting of lists, calls and indexing in one line, whatever
/// the formula depth limit: they are read and evaluated recursively, and no
/// worksheet needs more.
pub(super) const MAX_NESTING: usize = 64;

/// Reads one line (without its line break).
pub(super) fn statement(line: &str, max_depth: usize) -> Result<Statement, SheetError> {
    let s = Scanner { line, max_depth: max_depth.min(MAX_NESTING), depth: Cell::new(0) };
    let end = s.comment_start();
    let range = s.trim(Span::new(0, end));
    if range.is_empty() {
        return Ok(Statement::Empty);
    }
    if let Some(rest) = s.keyword(range, "clear") {
        return s.clear(rest);
    }
    let equals = s.equals(range);
    if let Some(&at) = equals.first() {
        let lhs = s.trim(Span::new(range.start, at.start));
        if !s.is_identifier(lhs) {
            let message = if lhs.is_empty() {
                "`=` needs a name on its left: `loss = (w1*x1 - target)^2`".to_string()
            } else {
                format!(
                    "`=` binds a name, but `{}` is not a name (to solve an equation, write `solve({}, x)`)",
                    s.text(lhs),
                    s.text(range)
                )
            };
            return Err(parse_error(at, "a name before `=`", message));
        }
        let value = s.term(Span::new(at.end, range.end), false)?;
        return Ok(Statement::Bind { name: s.text(lhs).to_string(), name_span: lhs, value });
    }
    Ok(Statement::Show(s.term(range, false)?))
}

/// A syntax error at `span`.
fn parse_error(span: Span, expected: &str, message: String) -> SheetError {
    SheetError { span, error: Error::Parse { span, expected: expected.to_string(), message } }
}

fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_name_continue(c: char) -> bool {
    c.is_alphabetic() || c.is_ascii_digit() || c == '_'
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn opening(c: char) -> Option<char> {
    match c {
        '(' => Some(')'),
        '[' => Some(']'),
        '{' => Some('}'),
        '（' => Some('）'),
        '［' => Some('］'),
        '｛' => Some('｝'),
        _ => None,
    }
}

fn is_closing(c: char) -> bool {
    matches!(c, ')' | ']' | '}' | '）' | '］' | '｝')
}

fn is_quote(c: char) -> bool {
    c == '"' || c == '\''
}

/// True for a function name the formula parser knows (`exp`, `sqrt`, ...).
pub(super) fn is_known_function(name: &str) -> bool {
    KNOWN_FUNCTIONS.iter().any(|k| k.eq_ignore_ascii_case(name))
}

/// Reads the pieces of one line.
struct Scanner<'t> {
    line: &'t str,
    /// The deepest nesting of lists, calls and indexing accepted.
    max_depth: usize,
    /// The nesting at the term being read.
    depth: Cell<usize>,
}

impl<'t> Scanner<'t> {
    fn text(&self, span: Span) -> &'t str {
        self.line.get(span.start..span.end).unwrap_or("")
    }

    /// The characters of `span` with their offsets in the line.
    fn chars(&self, span: Span) -> impl Iterator<Item = (usize, char)> + 't {
        let start = span.start;
        self.text(span).char_indices().map(move |(i, c)| (start + i, c))
    }

    fn char_at(&self, at: usize) -> Option<char> {
        self.line.get(at..).and_then(|s| s.chars().next())
    }

    /// `span` without blanks at either end.
    fn trim(&self, span: Span) -> Span {
        let text = self.text(span);
        let start = span.start + (text.len() - text.trim_start().len());
        let end = span.start + text.trim_end().len();
        Span::new(start, end.max(start))
    }

    /// Where a `#` comment starts (outside strings), or the end of the line.
    fn comment_start(&self) -> usize {
        let mut quote = None;
        for (i, c) in self.line.char_indices() {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if is_quote(c) => quote = Some(c),
                None if c == '#' => return i,
                None => {}
            }
        }
        self.line.len()
    }

    /// The characters of `span` outside brackets and strings, with their
    /// offsets.
    fn top_level(&self, span: Span) -> Vec<(usize, char)> {
        let mut depth = 0usize;
        let mut quote = None;
        let mut out = Vec::new();
        for (i, c) in self.chars(span) {
            if let Some(q) = quote {
                if c == q {
                    quote = None;
                }
                continue;
            }
            if is_quote(c) {
                quote = Some(c);
            } else if opening(c).is_some() {
                depth += 1;
            } else if is_closing(c) {
                depth = depth.saturating_sub(1);
            } else if depth == 0 {
                out.push((i, c));
            }
        }
        out
    }

    /// The top-level `=` signs of `span` (not parts of `==`, `<=`, `>=`, `!=`).
    fn equals(&self, span: Span) -> Vec<Span> {
        let top = self.top_level(span);
        let mut out = Vec::new();
        for (k, &(i, c)) in top.iter().enumerate() {
            if c != '=' && c != '＝' {
                continue;
            }
            let before = k.checked_sub(1).and_then(|j| top.get(j)).filter(|(j, p)| j + p.len_utf8() == i);
            let after = top.get(k + 1).filter(|(j, _)| *j == i + c.len_utf8());
            let joined = before.is_some_and(|(_, p)| matches!(p, '=' | '<' | '>' | '!'))
                || after.is_some_and(|(_, n)| *n == '=');
            if !joined {
                out.push(Span::new(i, i + c.len_utf8()));
            }
        }
        out
    }

    /// The pieces of `span` between its top-level commas.
    fn split_commas(&self, span: Span) -> Vec<Span> {
        let mut pieces = Vec::new();
        let mut start = span.start;
        for (i, c) in self.top_level(span) {
            if c == ',' || c == '，' {
                pieces.push(Span::new(start, i));
                start = i + c.len_utf8();
            }
        }
        pieces.push(Span::new(start, span.end));
        pieces
    }

    fn is_identifier(&self, span: Span) -> bool {
        let mut chars = self.text(span).chars();
        chars.next().is_some_and(is_name_start) && chars.all(is_name_continue)
    }

    /// The end of the name starting at `at`.
    fn name_end(&self, at: usize, limit: usize) -> usize {
        self.chars(Span::new(at, limit)).find(|&(_, c)| !is_name_continue(c)).map_or(limit, |(i, _)| i)
    }

    /// The rest of `span` after a leading keyword, when the line starts with it
    /// as a word.
    fn keyword(&self, span: Span, word: &str) -> Option<Span> {
        let text = self.text(span);
        let rest = text.strip_prefix(word)?;
        if rest.chars().next().is_some_and(is_name_continue) {
            return None;
        }
        // `clear = 1` is an (invalid) binding, not the keyword.
        if rest.trim_start().starts_with('=') && !rest.trim_start().starts_with("==") {
            return None;
        }
        Some(Span::new(span.start + word.len(), span.end))
    }

    /// `clear a, b` or `clear(a)` or `clear a b` or `clear`.
    fn clear(&self, rest: Span) -> Result<Statement, SheetError> {
        let mut inner = self.trim(rest);
        if self.text(inner).starts_with('(') && self.text(inner).ends_with(')') {
            inner = self.trim(Span::new(inner.start + 1, inner.end - 1));
        }
        let mut names = Vec::new();
        let mut i = inner.start;
        while i < inner.end {
            let Some(c) = self.char_at(i) else { break };
            if c.is_whitespace() || c == ',' {
                i += c.len_utf8();
            } else if is_name_start(c) {
                let end = self.name_end(i, inner.end);
                let span = Span::new(i, end);
                names.push((self.text(span).to_string(), span));
                i = end;
            } else {
                let span = Span::new(i, i + c.len_utf8());
                return Err(parse_error(
                    span,
                    "a name to clear",
                    format!("expected a name to clear, found `{c}` (write `clear x1, target`)"),
                ));
            }
        }
        Ok(Statement::Clear { names })
    }

    /// The bracket closing the one opened at `open`, searched before `limit`.
    fn matching_close(&self, open: usize, limit: usize) -> Result<usize, SheetError> {
        let mut stack: Vec<(usize, char, char)> = Vec::new();
        let mut quote: Option<(usize, char)> = None;
        for (i, c) in self.chars(Span::new(open, limit)) {
            if let Some((_, q)) = quote {
                if c == q {
                    quote = None;
                }
                continue;
            }
            if is_quote(c) {
                quote = Some((i, c));
            } else if let Some(close) = opening(c) {
                stack.push((i, c, close));
            } else if is_closing(c) {
                let Some((at, open_char, close)) = stack.pop() else { continue };
                if c != close {
                    return Err(self.unclosed(at, open_char, close, Span::new(i, i + c.len_utf8())));
                }
                if stack.is_empty() {
                    return Ok(i);
                }
            }
        }
        if let Some((at, q)) = quote {
            return Err(parse_error(
                Span::new(limit, limit),
                "the end of the string",
                format!("unexpected end of input: expected `{q}` to end the string opened at {}", self.column(at)),
            ));
        }
        match stack.pop() {
            Some((at, open_char, close)) => Err(self.unclosed(at, open_char, close, Span::new(limit, limit))),
            None => Err(parse_error(Span::new(open, open), "a bracket", "expected a bracket".into())),
        }
    }

    fn unclosed(&self, at: usize, open: char, close: char, found: Span) -> SheetError {
        let expected = format!("`{close}` to close the `{open}` opened at {}", self.column(at));
        let message = match self.text(found).chars().next() {
            Some(c) => format!("expected {expected}, found `{c}`"),
            None => format!("unexpected end of input: expected {expected}"),
        };
        parse_error(found, &expected, message)
    }

    /// "column N" of a byte offset, counting characters from 1.
    fn column(&self, at: usize) -> String {
        format!("column {}", self.text(Span::new(0, at)).chars().count() + 1)
    }

    /// Reads `span` as a value; `equation` allows a top-level `lhs = rhs`.
    fn term(&self, span: Span, equation: bool) -> Result<Term, SheetError> {
        // Terms nest through lists, calls and indexing; each level counts
        // against the depth limit, as brackets do in a formula.
        if self.depth.get() >= self.max_depth {
            let limit = self.max_depth;
            let error = Error::Limit {
                what: "nesting depth",
                limit: u64::try_from(limit).unwrap_or(u64::MAX),
                reached: format!("more than {limit} levels"),
                flag: "--max-depth",
            };
            return Err(SheetError { span: self.trim(span), error });
        }
        self.depth.set(self.depth.get() + 1);
        let term = self.term_inside(span, equation);
        self.depth.set(self.depth.get().saturating_sub(1));
        term
    }

    fn term_inside(&self, span: Span, equation: bool) -> Result<Term, SheetError> {
        let span = self.trim(span);
        if span.is_empty() {
            let message = if self.text(Span::new(span.start, self.line.len())).trim().is_empty() {
                "unexpected end of input: expected a value".to_string()
            } else {
                format!("expected a value, found `{}`", self.char_at(span.start).unwrap_or(' '))
            };
            return Err(parse_error(span, "a value", message));
        }
        let equals = self.equals(span);
        if let Some(&at) = equals.first() {
            if !equation {
                return Err(parse_error(
                    at,
                    "no `=` here",
                    "an equation is an argument of `solve` or `subs` only: `solve(2*w1 - 5 = 0, w1)`".into(),
                ));
            }
            if let Some(&second) = equals.get(1) {
                return Err(parse_error(second, "one `=` at most", "an equation has one `=`".into()));
            }
            let lhs = self.term(Span::new(span.start, at.start), false)?;
            let rhs = self.term(Span::new(at.end, span.end), false)?;
            return Ok(Term { kind: TermKind::Equation { lhs: Box::new(lhs), rhs: Box::new(rhs) }, span });
        }
        let text = self.text(span);
        let first = text.chars().next().unwrap_or(' ');
        if is_quote(first) {
            let inner = text.get(first.len_utf8()..).unwrap_or("");
            if let Some(end) = inner.find(first) {
                if first.len_utf8() + end + first.len_utf8() == text.len() {
                    return Ok(Term { kind: TermKind::Text(inner.get(..end).unwrap_or("").to_string()), span });
                }
            } else {
                return Err(parse_error(
                    Span::new(span.end, span.end),
                    "the end of the string",
                    format!("unexpected end of input: expected `{first}` to end the string"),
                ));
            }
        }
        if first == '[' && self.matching_close(span.start, span.end)? + 1 == span.end {
            let inner = self.trim(Span::new(span.start + 1, span.end - 1));
            let mut items = Vec::new();
            if !inner.is_empty() {
                let pieces = self.split_commas(inner);
                let last = pieces.len().saturating_sub(1);
                for (k, piece) in pieces.into_iter().enumerate() {
                    // A trailing comma is allowed, as in Python: `[2, 5,]`.
                    if k == last && k > 0 && self.trim(piece).is_empty() {
                        continue;
                    }
                    items.push(self.term(piece, true)?);
                }
            }
            return Ok(Term { kind: TermKind::List(items), span });
        }
        if self.is_identifier(span) {
            return Ok(Term { kind: TermKind::Name(text.to_string()), span });
        }
        let mut pieces = self.formula_pieces(span)?;
        if pieces.len() == 1
            && pieces.first().is_some_and(|p| p.span == span)
            && let Some(only) = pieces.pop()
        {
            return Ok(only);
        }
        Ok(Term { kind: TermKind::Formula(pieces), span })
    }

    /// The calls and indexing inside a formula.
    fn formula_pieces(&self, span: Span) -> Result<Vec<Term>, SheetError> {
        let mut pieces = Vec::new();
        let mut i = span.start;
        while i < span.end {
            let Some(c) = self.char_at(i) else { break };
            if is_quote(c) {
                return Err(parse_error(
                    Span::new(i, i + 1),
                    "a formula",
                    "a string can only be printed, as in `print(\"loss:\", loss)`".into(),
                ));
            }
            if is_digit(c) {
                i = self.number_end(i, span.end);
                continue;
            }
            if !is_name_start(c) {
                i += c.len_utf8();
                continue;
            }
            let end = self.name_end(i, span.end);
            let name = self.text(Span::new(i, end));
            let after = self.trim(Span::new(end, span.end)).start;
            if let Some(command) = SheetCommand::from_name(name)
                && self.char_at(after) == Some('(')
                && after < span.end
            {
                let close = self.matching_close(after, span.end)?;
                let args = self.arguments(Span::new(after + 1, close))?;
                let call = Term { kind: TermKind::Call { command, args }, span: Span::new(i, close + 1) };
                let term = self.indexing(call, span.end)?;
                i = term.span.end;
                pieces.push(term);
            } else if !is_known_function(name) && self.char_at(end) == Some('[') && end < span.end {
                let target = Term { kind: TermKind::Name(name.to_string()), span: Span::new(i, end) };
                let term = self.indexing(target, span.end)?;
                i = term.span.end;
                pieces.push(term);
            } else {
                i = end;
            }
        }
        Ok(pieces)
    }

    /// The end of a number literal at `at`: digits, a decimal point, and an
    /// exponent only when digits follow it (`2e3`, but `2exp(x)`).
    fn number_end(&self, at: usize, limit: usize) -> usize {
        let mut i = at;
        while let Some(c) = self.char_at(i).filter(|&c| i < limit && (is_digit(c) || c == '.')) {
            i += c.len_utf8();
        }
        if let Some('e' | 'E') = self.char_at(i) {
            let mut j = i + 1;
            if let Some('+' | '-') = self.char_at(j) {
                j += 1;
            }
            if self.char_at(j).is_some_and(|c| c.is_ascii_digit()) {
                i = j;
                while self.char_at(i).is_some_and(|c| c.is_ascii_digit()) && i < limit {
                    i += 1;
                }
            }
        }
        i.min(limit)
    }

    /// The arguments of a call, between its brackets.
    fn arguments(&self, inner: Span) -> Result<Vec<Term>, SheetError> {
        if self.trim(inner).is_empty() {
            return Ok(Vec::new());
        }
        self.split_commas(inner).into_iter().map(|piece| self.term(piece, true)).collect()
    }

    /// `target[i][j]...`, for as many brackets as follow at once.
    fn indexing(&self, mut target: Term, limit: usize) -> Result<Term, SheetError> {
        while target.span.end < limit && self.char_at(target.span.end) == Some('[') {
            let open = target.span.end;
            let close = self.matching_close(open, limit)?;
            let index = self.term(Span::new(open + 1, close), false)?;
            let span = Span::new(target.span.start, close + 1);
            target = Term { kind: TermKind::Index { target: Box::new(target), index: Box::new(index) }, span };
        }
        Ok(target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statement(line: &str) -> Result<Statement, SheetError> {
        super::statement(line, crate::limits::Limits::default().max_depth)
    }

    fn show(line: &str) -> Term {
        match statement(line) {
            Ok(Statement::Show(t)) => t,
            other => panic!("{line:?}: {other:?}"),
        }
    }

    #[test]
    fn bindings_and_comments() {
        let Ok(Statement::Bind { name, name_span, value }) = statement("x1 = data[0]  # first") else { panic!() };
        assert_eq!((name.as_str(), name_span), ("x1", Span::new(0, 2)));
        assert!(matches!(value.kind, TermKind::Index { .. }));
        assert_eq!(value.span, Span::new(5, 12));
        assert!(matches!(statement("   # only a comment"), Ok(Statement::Empty)));
        assert!(matches!(statement(""), Ok(Statement::Empty)));
        assert!(matches!(statement("print(\"#1\")"), Ok(Statement::Show(_))));
    }

    #[test]
    fn calls_inside_formulas() {
        let t = show("2*diff(e, w1) + xs[1]^2");
        let TermKind::Formula(pieces) = t.kind else { panic!("{t:?}") };
        assert_eq!(pieces.len(), 2);
        assert!(matches!(pieces[0].kind, TermKind::Call { command: SheetCommand::Diff, .. }));
        assert_eq!(pieces[0].span, Span::new(2, 13));
        assert_eq!(pieces[1].span, Span::new(16, 21));
        // Known functions keep their square brackets; numbers are skipped.
        let t = show("sqrt[x] + 2e3 + 2exp(x)");
        assert!(matches!(t.kind, TermKind::Formula(ref p) if p.is_empty()));
    }

    #[test]
    fn equations_only_in_arguments() {
        let t = show("solve(2*w1 - 5 = 0, w1)");
        let TermKind::Call { args, .. } = t.kind else { panic!() };
        assert!(matches!(args[0].kind, TermKind::Equation { .. }));
        assert!(statement("2*x = 4").is_err());
        assert!(statement("a = b = 3").is_err());
        assert!(matches!(statement("x == 1"), Ok(Statement::Show(_))));
    }

    #[test]
    fn lists() {
        let Ok(Statement::Bind { value, .. }) = statement("data = [2, 5,]") else { panic!() };
        assert!(matches!(value.kind, TermKind::List(ref items) if items.len() == 2));
        let t = show("[]");
        assert!(matches!(t.kind, TermKind::List(ref items) if items.is_empty()));
        // Brackets in a formula are brackets.
        assert!(matches!(show("[x+1]^2").kind, TermKind::Formula(_)));
    }

    #[test]
    fn clear() {
        let Ok(Statement::Clear { names }) = statement("clear x1, target") else { panic!() };
        assert_eq!(names.len(), 2);
        assert!(matches!(statement("clear"), Ok(Statement::Clear { names }) if names.is_empty()));
        assert!(matches!(statement("clearance = 2"), Ok(Statement::Bind { .. })));
        assert!(statement("clear 2").is_err());
    }

    #[test]
    fn nesting_is_limited() {
        let deep = |n: usize| "[".repeat(n) + &"]".repeat(n);
        let Err(e) = statement(&deep(600)) else { panic!() };
        assert!(matches!(e.error, Error::Limit { what: "nesting depth", .. }), "{e:?}");
        assert!(super::statement(&deep(5), 5).is_ok());
        assert!(super::statement(&deep(6), 5).is_err());
    }

    #[test]
    fn unclosed_brackets_are_reported() {
        let Err(e) = statement("diff(e, w1") else { panic!() };
        assert_eq!(e.span, Span::new(10, 10));
        assert!(e.to_string().contains("opened at column 5"), "{e}");
        let Err(e) = statement("xs[0)") else { panic!() };
        assert_eq!(e.span, Span::new(4, 5));
    }
}
