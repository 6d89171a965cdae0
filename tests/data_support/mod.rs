//! Helpers shared by the dataset, descent and plot tests: running the
//! binary, an exact rational oracle independent of kobai's `Q`, and the
//! snapshot folder.

#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Stdio};

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Zero};

/// What a run of the binary printed, and its exit code.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `kobai` with `args`, and `stdin` on standard input when given.
pub fn kobai(args: &[&str], stdin: Option<&[u8]>) -> Run {
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

/// Runs `kobai` and checks that it succeeds; returns standard output.
#[track_caller]
pub fn ok(args: &[&str]) -> String {
    let run = kobai(args, None);
    assert_eq!(run.code, 0, "kobai {args:?} failed: {}", run.stderr);
    run.stdout
}

/// Runs `kobai` and checks that it fails with exit code 2; returns standard error.
#[track_caller]
pub fn fails(args: &[&str], stdin: Option<&[u8]>) -> String {
    let run = kobai(args, stdin);
    assert_eq!(run.code, 2, "kobai {args:?} should fail: {}{}", run.stdout, run.stderr);
    run.stderr
}

/// Runs `f` with snapshots going to the top-level `snapshots/` folder,
/// named exactly as given (the names start with `data__`).
pub fn in_snapshot_folder(f: impl FnOnce()) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(f);
}

/// A decimal string as an exact big rational, parsed here (not by kobai).
pub fn big(text: &str) -> BigRational {
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let digits: BigInt = format!("{int}{frac}").parse().expect("digits");
    let value = BigRational::new(digits, num_traits::pow(BigInt::from(10), frac.len()));
    if negative { -value } else { value }
}

/// A rational written by kobai (`7/5`, `-3`) as a big rational.
pub fn parse_ratio(text: &str) -> BigRational {
    match text.split_once('/') {
        Some((n, d)) => BigRational::new(n.parse().expect("numerator"), d.parse().expect("denominator")),
        None => BigRational::from_integer(text.parse().expect("integer")),
    }
}

/// Solves `a·x = b` exactly by Gauss–Jordan elimination; `None` when `a` is
/// singular. Indexed loops read like the textbook algorithm they check.
#[allow(clippy::needless_range_loop)]
pub fn solve(mut a: Vec<Vec<BigRational>>, mut b: Vec<BigRational>) -> Option<Vec<BigRational>> {
    let n = b.len();
    for col in 0..n {
        let pivot = (col..n).find(|&r| !a[r][col].is_zero())?;
        a.swap(col, pivot);
        b.swap(col, pivot);
        let inv = BigRational::one() / a[col][col].clone();
        for j in 0..n {
            a[col][j] = &a[col][j] * &inv;
        }
        b[col] = &b[col] * &inv;
        for r in 0..n {
            if r != col && !a[r][col].is_zero() {
                let factor = a[r][col].clone();
                for j in 0..n {
                    let sub = &factor * &a[col][j];
                    a[r][j] = &a[r][j] - sub;
                }
                let sub = &factor * &b[col];
                b[r] = &b[r] - sub;
            }
        }
    }
    Some(b)
}

/// A small deterministic generator (64-bit LCG), so the random datasets are
/// the same on every run.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    /// An integer in `lo..=hi`.
    pub fn int(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % ((hi - lo + 1) as u64)) as i64
    }

    /// A decimal string with up to `places` digits after the point.
    pub fn decimal(&mut self, places: u32) -> String {
        let p = self.int(0, i64::from(places)) as u32;
        let n = self.int(-99_999, 99_999);
        if p == 0 {
            return n.to_string();
        }
        let sign = if n < 0 { "-" } else { "" };
        let digits = format!("{:0>width$}", n.unsigned_abs(), width = p as usize + 1);
        let (int, frac) = digits.split_at(digits.len() - p as usize);
        format!("{sign}{int}.{frac}")
    }
}
