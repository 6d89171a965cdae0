//! Keeps the README true: every `$ kobai ...` line in it is run, and its
//! output must be exactly the lines that follow it.

use std::process::Command;

/// Splits a shell line into words, honouring double quotes (all the README uses).
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut any = false;
    for ch in line.chars() {
        match ch {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    out.push(std::mem::take(&mut current));
                    any = false;
                }
            }
            _ => {
                current.push(ch);
                any = true;
            }
        }
    }
    if any {
        out.push(current);
    }
    out
}

#[test]
fn readme_console_examples_are_true() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README.md");
    let mut checked = 0;
    let mut in_console = false;
    let mut lines = readme.lines().peekable();
    while let Some(line) = lines.next() {
        if line.starts_with("```") {
            in_console = line == "```console";
            continue;
        }
        let Some(command) = line.strip_prefix("$ kobai ").filter(|_| in_console) else { continue };
        let mut expected = Vec::new();
        while let Some(next) = lines.peek() {
            if next.starts_with("$ ") || next.starts_with("```") {
                break;
            }
            expected.push(*next);
            lines.next();
        }
        let out = Command::new(env!("CARGO_BIN_EXE_kobai"))
            .args(words(command))
            .env("NO_COLOR", "1")
            .output()
            .expect("kobai runs");
        let mut shown = String::from_utf8_lossy(&out.stdout).into_owned();
        shown.push_str(&String::from_utf8_lossy(&out.stderr));
        assert_eq!(shown.trim_end(), expected.join("\n").trim_end(), "README example `kobai {command}`");
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} README examples found");
}
