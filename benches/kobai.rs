//! kobai on the peers' workloads W1–W6 (`../shared/bench/README.md`).
//!
//! `cargo bench --bench kobai` times every case with divan (one line per
//! workload and size; divan's own options such as a name filter follow `--`).
//! `cargo bench --bench kobai -- --table [--only W2,W4F] [--quick] [--size N] [--reps R]` instead
//! times each case the way the peers' `bench.py` does (21 repetitions when the
//! first takes under 50 ms, 5 under 1 s, 3 under 10 s, else 1; the median of
//! the sum of the timed phases) and prints one line per case,
//! `WORKLOAD SIZE kobai MEDIAN_SECONDS`, for `bench/compare.sh`. Every case is
//! checked against its exact reference before it is timed.

mod support;

use std::time::Instant;

use support::{Case, PLAN, Phases, References, prepare};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--table") {
        table(&args);
        return;
    }
    divan::main();
}

/// Prepares a case and checks its answer once, or exits with the reason.
fn checked_case(workload: &str, size: usize) -> Box<dyn Case> {
    let refs = References::load();
    let case = prepare(workload, size, &refs).unwrap_or_else(|e| panic!("{workload} {size}: {e}"));
    let answer = case.run(&mut Phases::default());
    if let Err(e) = case.check(&answer) {
        panic!("{workload} {size}: wrong answer: {e}");
    }
    case
}

fn bench_case(bencher: divan::Bencher, workload: &str, size: usize) {
    let case = checked_case(workload, size);
    bencher.bench_local(|| case.run(&mut Phases::default()));
}

#[divan::bench(sample_count = 21, sample_size = 1)]
fn w1_pipeline(bencher: divan::Bencher) {
    bench_case(bencher, "W1", 1);
}

#[divan::bench(args = [1000, 10000, 100000], sample_count = 5, sample_size = 1)]
fn w2_least_squares(bencher: divan::Bencher, rows: usize) {
    bench_case(bencher, "W2", rows);
}

#[divan::bench(args = [10, 30], sample_count = 5, sample_size = 1)]
fn w3_weights(bencher: divan::Bencher, k: usize) {
    bench_case(bencher, "W3", k);
}

#[divan::bench(args = [10, 20, 30], sample_count = 5, sample_size = 1)]
fn w4_expand(bencher: divan::Bencher, n: usize) {
    bench_case(bencher, "W4", n);
}

#[divan::bench(args = [10, 20, 30], sample_count = 5, sample_size = 1)]
fn w4_poly_pow(bencher: divan::Bencher, n: usize) {
    bench_case(bencher, "W4poly", n);
}

#[divan::bench(args = [10, 15, 20], sample_count = 5, sample_size = 1)]
fn w4f_fateman(bencher: divan::Bencher, n: usize) {
    bench_case(bencher, "W4F", n);
}

#[divan::bench(args = [10, 15, 20], sample_count = 5, sample_size = 1)]
fn w4f_fateman_poly(bencher: divan::Bencher, n: usize) {
    bench_case(bencher, "W4Fpoly", n);
}

#[divan::bench(args = [50, 200, 500], sample_count = 5, sample_size = 1)]
fn w5a_diff_expanded(bencher: divan::Bencher, n: usize) {
    bench_case(bencher, "W5a", n);
}

#[divan::bench(args = [100, 300, 1000], sample_count = 5, sample_size = 1)]
fn w5b_diff_product(bencher: divan::Bencher, n: usize) {
    bench_case(bencher, "W5b", n);
}

#[divan::bench(args = [1000, 10000, 100000], sample_count = 5, sample_size = 1)]
fn w6_parse(bencher: divan::Bencher, n: usize) {
    bench_case(bencher, "W6", n);
}

/// The `--table` mode: the peers' repetition rule and output lines.
fn table(args: &[String]) {
    let value_of = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned();
    let only: Option<Vec<String>> = value_of("--only").map(|s| s.split(',').map(str::to_string).collect());
    let refs = References::load();
    for (workload, sizes) in PLAN {
        if only.as_ref().is_some_and(|o| !o.iter().any(|w| w == workload)) {
            continue;
        }
        let quick = args.iter().any(|a| a == "--quick");
        let only_size: Option<usize> = value_of("--size").and_then(|s| s.parse().ok());
        for &size in sizes.iter().take(if quick { 1 } else { sizes.len() }) {
            if only_size.is_some_and(|n| n != size) {
                continue;
            }
            let t = Instant::now();
            let case = match prepare(workload, size, &refs) {
                Ok(c) => c,
                Err(e) => {
                    println!("# ERROR {e}");
                    println!("{workload} {size} kobai ERR");
                    continue;
                }
            };
            println!("# prepare_seconds {:.4}", t.elapsed().as_secs_f64());
            let mut times = Vec::new();
            let mut phase_runs = Vec::new();
            let mut status = Ok(String::new());
            let started = Instant::now();
            loop {
                let mut ph = Phases::default();
                let answer = case.run(&mut ph);
                let check = case.check(&answer);
                drop(answer);
                if status.is_ok() {
                    status = check;
                }
                times.push(ph.total());
                println!("# rep {} {:.6}", times.len(), ph.total());
                phase_runs.push(ph.times);
                let first = times[0];
                let want = if first < 0.05 {
                    21
                } else if first < 1.0 {
                    5
                } else if first < 10.0 {
                    3
                } else {
                    1
                };
                let reps: Option<usize> = value_of("--reps").and_then(|s| s.parse().ok());
                let want = reps.unwrap_or(want);
                if times.len() >= want || started.elapsed().as_secs_f64() + median(&times) > 60.0 {
                    break;
                }
            }
            let phases: Vec<String> = phase_runs[0]
                .iter()
                .enumerate()
                .map(|(i, (name, _))| {
                    let v: Vec<f64> = phase_runs.iter().filter_map(|p| p.get(i).map(|x| x.1)).collect();
                    format!("{name}={:.6}", median(&v))
                })
                .collect();
            println!("# phases {}", phases.join(" "));
            match &status {
                Ok(msg) => println!("# check ok {msg}"),
                Err(msg) => println!("# check FAILED {msg}"),
            }
            let bad = if status.is_err() { " BAD" } else { "" };
            println!("{workload} {size} kobai {:.6}{bad}", median(&times));
        }
    }
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 { s[n / 2] } else { (s[n / 2 - 1] + s[n / 2]) / 2.0 }
}
