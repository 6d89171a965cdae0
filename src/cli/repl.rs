//! `kobai repl`: the worksheet language one line at a time, with line
//! editing, history and tab completion on a terminal. Piped standard input
//! is read the same way, without a prompt.

use std::borrow::Cow;
use std::io::BufRead;

use rustyline::completion::Completer;
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::DefaultHistory;
use rustyline::validate::Validator;
use rustyline::{Context, Editor, Helper};

use super::diagnostics;
use super::run::{DIRECTIVE_NAMES, Flow, Session, SheetArgs, interactive};

const PROMPT: &str = "kobai> ";

/// Runs the REPL. On a terminal it returns 0 when the user leaves; with
/// piped input, 2 when any line failed, so that scripts notice.
pub fn repl(args: &SheetArgs) -> u8 {
    if !interactive() {
        return piped(args);
    }
    let mut editor: Editor<Completion, DefaultHistory> = match Editor::new() {
        Ok(editor) => editor,
        Err(e) => {
            diagnostics::usage(&format!("cannot start the line editor: {e}"));
            return piped(args);
        }
    };
    editor.set_helper(Some(Completion::default()));
    let mut session = Session::new(args, "repl");
    println!("kobai {}: :help lists the commands, Ctrl-D leaves", env!("CARGO_PKG_VERSION"));
    loop {
        match editor.readline(PROMPT) {
            Ok(text) => {
                if !text.trim().is_empty() {
                    // History is a convenience; a full history is not an error.
                    let _ = editor.add_history_entry(text.as_str());
                }
                // A paste of several lines runs them one by one.
                for line in text.split('\n') {
                    if session.line(line.strip_suffix('\r').unwrap_or(line)) == Flow::Quit {
                        return 0;
                    }
                }
                if let Some(helper) = editor.helper_mut() {
                    helper.names = session.bound_names();
                }
            }
            // Ctrl-C abandons the line being typed, as in a shell.
            Err(ReadlineError::Interrupted) => {}
            Err(ReadlineError::Eof) => return 0,
            Err(e) => {
                diagnostics::usage(&format!("cannot read the line: {e}"));
                return 2;
            }
        }
    }
}

/// Lines from a pipe or a file, run as they come; no prompt, no banner.
fn piped(args: &SheetArgs) -> u8 {
    let mut session = Session::new(args, "stdin");
    let mut failed = false;
    for line in std::io::stdin().lock().lines() {
        let line = match line {
            Ok(line) => line,
            Err(e) => {
                diagnostics::usage(&format!("cannot read standard input: {e}"));
                return 2;
            }
        };
        match session.line(&line) {
            Flow::Go => {}
            Flow::Failed => failed = true,
            Flow::Quit => break,
        }
    }
    if failed { 2 } else { 0 }
}

/// Tab completion of commands, functions, bound names and directives.
#[derive(Default)]
struct Completion {
    /// The names bound so far.
    names: Vec<String>,
}

impl Completion {
    /// The candidates for the word `prefix`, or for the directive the line
    /// starts to type.
    fn candidates(&self, line: &str, prefix: &str) -> Vec<String> {
        if line.trim_start().starts_with(':') {
            let typed = line.trim_start();
            return DIRECTIVE_NAMES.iter().filter(|d| d.starts_with(typed)).map(|d| d.to_string()).collect();
        }
        if prefix.is_empty() {
            return Vec::new();
        }
        let calls = kobai::SheetCommand::ALL.iter().map(|c| c.name()).chain(kobai::KNOWN_FUNCTIONS.iter().copied());
        let mut out: Vec<String> = calls.filter(|n| n.starts_with(prefix)).map(|n| format!("{n}(")).collect();
        out.extend(self.names.iter().filter(|n| n.starts_with(prefix)).cloned());
        if "clear".starts_with(prefix) {
            out.push("clear ".to_string());
        }
        out.sort();
        out.dedup();
        out
    }
}

impl Completer for Completion {
    type Candidate = String;

    fn complete(&self, line: &str, pos: usize, _ctx: &Context<'_>) -> rustyline::Result<(usize, Vec<String>)> {
        let before = line.get(..pos).unwrap_or(line);
        if before.trim_start().starts_with(':') {
            let start = before.len() - before.trim_start().len();
            return Ok((start, self.candidates(before, "")));
        }
        let start = before
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphanumeric() || *c == '_')
            .last()
            .map_or(pos, |(i, _)| i);
        Ok((start, self.candidates(before, before.get(start..).unwrap_or(""))))
    }
}

impl Hinter for Completion {
    type Hint = String;
}

impl Highlighter for Completion {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        Cow::Borrowed(line)
    }
}

impl Validator for Completion {}

impl Helper for Completion {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completes_commands_functions_names_and_directives() {
        let c = Completion { names: vec!["square_error".into(), "sigma".into()] };
        assert_eq!(c.candidates("dif", "dif"), ["diff("]);
        assert_eq!(c.candidates("expand(squ", "squ"), ["square_error"]);
        assert_eq!(c.candidates("si", "si"), ["sigma", "sigmoid(", "sign(", "simplify(", "sin("]);
        assert_eq!(c.candidates(":st", ""), [":steps on", ":steps off"]);
        assert!(c.candidates("x + ", "").is_empty());
    }
}
