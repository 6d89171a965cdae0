//! The `kobai` command line. It parses arguments, calls the library, renders
//! results and diagnostics, and sets the exit code: 0 success, 1 a claim
//! checked false or no solution, 2 bad usage or input, 3 an internal error.

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
