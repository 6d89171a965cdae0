//! Rendering library errors for people: a caret under the offending
//! character, colour only on a terminal and never under `NO_COLOR`.

use std::io::IsTerminal;

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config, termcolor};

use kobai::Error;

fn color_choice() -> termcolor::ColorChoice {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    if no_color || !std::io::stderr().is_terminal() {
        termcolor::ColorChoice::Never
    } else {
        termcolor::ColorChoice::Auto
    }
}

/// Prints `err` to standard error; when it points into `source`, the line
/// is shown with the offending character underlined.
pub fn report(err: &Error, origin: &str, source: &str) {
    report_at(err, err.span(), &[], origin, source);
}

/// As [`report`], pointing at `span` instead of the error's own span (for an
/// error found in one line of a longer text, or that has no span of its
/// own), with `notes` after the error's own.
pub fn report_at(err: &Error, span: Option<kobai::Span>, notes: &[String], origin: &str, source: &str) {
    let mut diagnostic = Diagnostic::error().with_message(err.to_string());
    if let Some(span) = span {
        let start = span.start.min(source.len());
        let end = span.end.clamp(start, source.len());
        let label = match err {
            Error::Parse { expected, .. } => format!("expected {expected}"),
            Error::UnknownFunction { suggestion: Some(s), .. } => format!("did you mean `{s}`?"),
            Error::UnknownFunction { .. } => "not a known function".to_string(),
            _ => String::new(),
        };
        diagnostic = diagnostic.with_labels(vec![Label::primary((), start..end).with_message(label)]);
    }
    let all: Vec<String> = note(err).into_iter().chain(notes.iter().cloned()).collect();
    if !all.is_empty() {
        diagnostic = diagnostic.with_notes(all);
    }
    let file = SimpleFile::new(origin, source);
    let writer = termcolor::StandardStream::stderr(color_choice());
    let config = Config::default();
    if term::emit_to_write_style(&mut writer.lock(), &config, &file, &diagnostic).is_err() {
        eprintln!("error: {err}");
    }
}

fn note(err: &Error) -> Option<String> {
    match err {
        Error::UnknownFunction { .. } => {
            Some(format!("known functions: {}; for a product write `name*(...)`", kobai::KNOWN_FUNCTIONS.join(", ")))
        }
        _ => None,
    }
}

/// Prints a usage problem that has no position in a formula.
pub fn usage(message: &str) {
    eprintln!("error: {message}");
}
