//! The library's one error type. Rendering (carets, colours) is the CLI's job.

use crate::syntax::span::Span;

/// Everything that can go wrong in kobai, with the data needed to explain it.
///
/// ```
/// let err = kobai::parse("2*(x").unwrap_err();
/// assert!(matches!(err, kobai::Error::Parse { .. }));
/// assert!(err.to_string().contains("expected"));
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// The text is not a formula kobai can read.
    #[error("{message}")]
    Parse {
        /// Where reading stopped.
        span: Span,
        /// What was expected there, in words (`"a closing `)`"`).
        expected: String,
        /// The whole message: what was found and what was expected.
        message: String,
    },
    /// A call of a function kobai does not know.
    #[error("unknown function `{name}`{}", suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
    UnknownFunction {
        /// The name's span.
        span: Span,
        /// The name as written.
        name: String,
        /// The nearest known function name, if one is close.
        suggestion: Option<String>,
    },
    /// A known function called with the wrong number of arguments.
    #[error("`{name}` takes {expected}, but {found} were given")]
    Arity {
        /// The call's span.
        span: Span,
        /// The function.
        name: String,
        /// What it takes, in words (`"1 argument"`).
        expected: String,
        /// How many were given.
        found: usize,
    },
    /// A division by zero, in the input or while evaluating.
    #[error("division by zero{}", span.map(|_| "").unwrap_or(" while evaluating"))]
    DivisionByZero {
        /// The division in the input, when it is a literal one.
        span: Option<Span>,
    },
    /// A value that is not defined (`0^0`, `ln(0)`, `sqrt(-1)` as a real).
    #[error("{what} is not defined")]
    Undefined {
        /// Where it was written, when it is literal in the input.
        span: Option<Span>,
        /// The offending expression, in text form.
        what: String,
    },
    /// A limit that protects against explosive work was reached.
    #[error("{what} exceeds the limit of {limit} ({reached}); raise it with {flag}")]
    Limit {
        /// What was being limited (`"nesting depth"`).
        what: &'static str,
        /// The limit in force.
        limit: u64,
        /// The value reached or requested, in words.
        reached: String,
        /// The option that raises it.
        flag: &'static str,
    },
    /// A problem kobai does not solve (yet); the reason says which part.
    #[error("not supported: {reason}")]
    Unsupported {
        /// What is missing.
        reason: String,
    },
    /// A variable was named that does not occur where it must.
    #[error("{message}")]
    Usage {
        /// What is wrong with the request.
        message: String,
    },
}

impl Error {
    /// The same error with its span moved `offset` bytes to the right, for
    /// errors found in a piece of a longer text.
    ///
    /// ```
    /// let err = kobai::parse("x^").unwrap_err().shifted(4);
    /// assert_eq!(err.span().unwrap().start, 6);
    /// ```
    pub fn shifted(self, offset: usize) -> Error {
        let mv = |s: Span| Span::new(s.start + offset, s.end + offset);
        match self {
            Error::Parse { span, expected, message } => Error::Parse { span: mv(span), expected, message },
            Error::UnknownFunction { span, name, suggestion } => {
                Error::UnknownFunction { span: mv(span), name, suggestion }
            }
            Error::Arity { span, name, expected, found } => Error::Arity { span: mv(span), name, expected, found },
            Error::DivisionByZero { span } => Error::DivisionByZero { span: span.map(mv) },
            Error::Undefined { span, what } => Error::Undefined { span: span.map(mv), what },
            other @ (Error::Limit { .. } | Error::Usage { .. } | Error::Unsupported { .. }) => other,
        }
    }

    /// The span in the user's text this error points at, if any.
    ///
    /// ```
    /// let err = kobai::parse("x^").unwrap_err();
    /// assert_eq!(err.span().unwrap().start, 2);
    /// ```
    pub fn span(&self) -> Option<Span> {
        match self {
            Error::Parse { span, .. } | Error::UnknownFunction { span, .. } | Error::Arity { span, .. } => Some(*span),
            Error::DivisionByZero { span } | Error::Undefined { span, .. } => *span,
            Error::Limit { .. } | Error::Usage { .. } | Error::Unsupported { .. } => None,
        }
    }
}

/// The crate's result type.
pub type Result<T> = std::result::Result<T, Error>;
