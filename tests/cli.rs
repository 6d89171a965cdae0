//! The command line as a user runs it: every command of the core-engine
//! issue, the output formats, standard input, and exit codes.

use std::io::Write;
use std::process::{Command, Stdio};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn kobai(args: &[&str]) -> Run {
    kobai_with_stdin(args, None)
}

fn kobai_with_stdin(args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kobai"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the kobai binary runs");
    if let Some(bytes) = stdin {
        child.stdin.take().expect("stdin is piped").write_all(bytes).expect("stdin accepts the input");
    }
    let out = child.wait_with_output().expect("kobai finishes");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[track_caller]
fn prints(args: &[&str], expected: &str) {
    let run = kobai(args);
    assert_eq!(run.code, 0, "kobai {args:?} failed: {}", run.stderr);
    assert_eq!(run.stdout.trim_end(), expected, "kobai {args:?}");
}

#[test]
fn the_issue_examples() {
    prints(&["expand", "((2*w1)-5)^2"], "4*w1^2 - 20*w1 + 25");
    prints(&["diff", "((w1*x1)-target)^2", "--wrt", "w1"], "2*w1*x1^2 - 2*target*x1");
    prints(&["diff", "((w1*x1)-target)^2", "--wrt", "w1", "--at", "x1=2,target=5"], "8*w1 - 20");
    prints(&["diff", "((w1*x1)-target)^2", "--wrt", "w1", "--at", "x1=2", "--at", "target=5"], "8*w1 - 20");
    prints(
        &["grad", "(w0 + w1*x - t)^2", "--wrt", "w0,w1"],
        "d/dw0  2*w1*x - 2*t + 2*w0\nd/dw1  2*w1*x^2 - 2*t*x + 2*w0*x",
    );
    prints(&["hessian", "(w0 + w1*x - t)^2", "--wrt", "w0,w1"], "variables: w0, w1\n[ 2     2*x   ]\n[ 2*x   2*x^2 ]");
    prints(&["diff", "x^3*exp(2*x)", "--wrt", "x", "--order", "2"], "4*x^3*exp(2*x) + 12*x^2*exp(2*x) + 6*x*exp(2*x)");
    prints(&["eval", "4*w1^2 - 20*w1 + 25", "--at", "w1=5/2"], "0");
}

#[test]
fn simplify_and_eval() {
    prints(&["simplify", "x/x + x - x + 2*x*3"], "6*x + 1");
    prints(&["simplify", "x*x^2"], "x^3");
    prints(&["eval", "x^2/3", "--at", "x=0.5"], "1/12");
    prints(&["eval", "1e-3 * x", "--at", "x=2"], "1/500");
    let run = kobai(&["eval", "sqrt(2)*x", "--at", "x=1"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with("sqrt(2) ≈ 1.41421356237"), "{}", run.stdout);
    prints(&["eval", "w*x + 1", "--at", "x=2"], "2*w + 1");
}

#[test]
fn formats() {
    prints(&["expand", "((2*w1)-5)^2", "--format", "unicode"], "4w1² − 20w1 + 25");
    prints(&["expand", "((2*w1)-5)^2", "--format", "latex"], "4 w_{1}^{2} - 20 w_{1} + 25");
    let run = kobai(&["expand", "((2*w1)-5)^2", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(v["result"], "4*w1^2 - 20*w1 + 25");
    assert_eq!(v["latex"], "4 w_{1}^{2} - 20 w_{1} + 25");
    let run = kobai(&["grad", "(w0 + w1*x - t)^2", "--wrt", "w0,w1", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(v["result"]["w1"], "2*w1*x^2 - 2*t*x + 2*w0*x");
    let run = kobai(&["hessian", "(w0 + w1*x - t)^2", "--wrt", "w0,w1", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(v["result"][1][1], "2*x^2");
    let run = kobai(&["eval", "x/4", "--at", "x=2", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(v["result"], "1/2", "rationals are strings");
}

#[test]
fn show_parse_prints_the_reading() {
    prints(&["simplify", "1/2x", "--show-parse"], "read as: ((1/2)*x)\nx/2");
    prints(&["expand", "-x^2", "--show-parse"], "read as: (-(x^2))\n-x^2");
}

#[test]
fn reads_standard_input() {
    let run = kobai_with_stdin(&["expand", "-"], Some(b"((2*w1)-5)^2\n"));
    assert_eq!((run.code, run.stdout.trim_end()), (0, "4*w1^2 - 20*w1 + 25"));
    let run = kobai_with_stdin(&["expand", "-"], Some(&[0x28, 0xff, 0xfe, 0x29]));
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("not valid UTF-8"), "{}", run.stderr);
}

#[test]
fn bad_input_exits_2_with_a_caret() {
    let run = kobai(&["expand", "((w1*x1)-)^2"]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("expected"), "{}", run.stderr);
    // The caret line sits under the `)` that follows the `-` (column 10).
    let caret_line = run.stderr.lines().find(|l| l.contains("^ expected")).expect("a caret line");
    let source_line = run.stderr.lines().find(|l| l.contains("((w1*x1)-)^2")).expect("the source line");
    let caret_col = caret_line.find('^').expect("caret");
    let source_col = source_line.find("((w1").expect("source start");
    assert_eq!(caret_col - source_col, 9, "{}", run.stderr);
}

#[test]
fn usage_errors_exit_2() {
    let unknown = kobai(&["diff", "x^2", "--wrt", "y"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("`y` does not occur"), "{}", unknown.stderr);
    let no_wrt = kobai(&["diff", "x^2"]);
    assert_eq!(no_wrt.code, 2);
    let bad_at = kobai(&["eval", "x", "--at", "x=)"]);
    assert_eq!(bad_at.code, 2);
    assert!(bad_at.stderr.contains("value of `x`"), "{}", bad_at.stderr);
    let unknown_fn = kobai(&["expand", "foo(x)"]);
    assert_eq!(unknown_fn.code, 2);
    assert!(unknown_fn.stderr.contains("unknown function `foo`"), "{}", unknown_fn.stderr);
    let typo = kobai(&["expand", "sinn(x)"]);
    assert!(typo.stderr.contains("did you mean `sin`"), "{}", typo.stderr);
    let div0 = kobai(&["eval", "1/x", "--at", "x=0"]);
    assert_eq!(div0.code, 2);
    assert!(div0.stderr.contains("division by zero"), "{}", div0.stderr);
}

#[test]
fn demo_walks_the_tutorial() {
    let run = kobai(&["demo"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("4*w1^2 - 20*w1 + 25"), "{}", run.stdout);
    assert!(run.stdout.contains("8*w1 - 20"), "{}", run.stdout);
}

#[test]
fn help_and_version_exit_0() {
    assert_eq!(kobai(&["--help"]).code, 0);
    assert_eq!(kobai(&["--version"]).code, 0);
    assert_eq!(kobai(&["frobnicate"]).code, 2);
}
