//! The `kobai` command line. It parses arguments, calls the library, renders
//! results and diagnostics, and sets the exit code: 0 success, 1 a claim
//! checked false or no solution, 2 bad usage or input, 3 an internal error.

// Issue 7: no panic on user input. These lints flag the panicking shortcuts
// (`unwrap`, `expect`, `v[i]`) in library and binary code; CI runs clippy with
// `-D warnings`, so they are errors. Tests, benches and doctests are exempt.
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

mod cli;

use std::process::ExitCode;

/// Deep but legal inputs recurse once per nesting level; give the work a
/// stack that the depth limit cannot exhaust.
const STACK_BYTES: usize = 512 * 1024 * 1024;

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        eprintln!("kobai: internal error: {info}");
        eprintln!("This is a bug in kobai, not in your input. Please report it with the command you ran.");
    }));
    let worker = std::thread::Builder::new().stack_size(STACK_BYTES).spawn(cli::main);
    match worker.map(|handle| handle.join()) {
        Ok(Ok(code)) => ExitCode::from(code),
        _ => ExitCode::from(3),
    }
}
