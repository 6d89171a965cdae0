//! `fit`: losses summed over CSV datasets, checked against normal equations
//! solved here independently, and the error cases of reading CSV.

mod data_support;

use data_support::{Lcg, big, fails, in_snapshot_folder, kobai, ok, solve};
use kobai::{CsvReader, DataError, FitError, FitOptions, Kind, LossSum, Q, Solutions, Symbol, fit, read};
use num_rational::BigRational;
use num_traits::Zero;

const POINTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/points.csv");

#[test]
fn the_issue_example() {
    let out = ok(&["fit", "(w0 + w1*x - t)^2", "--data", POINTS, "--wrt", "w0,w1"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "rows      4   (columns x, t)");
    assert_eq!(lines[1], "loss      4*w0^2 + 20*w0*w1 + 30*w1^2 - 32*w0 - 94*w1 + 74   (summed over the rows)");
    assert_eq!(
        lines[2],
        "w0 = 1/2 (= 0.5), w1 = 7/5 (= 1.4)   minimum (global: the loss is a convex quadratic)   loss = 1/5"
    );
    assert_eq!(lines.len(), 3, "{out}");
    // Without --wrt the weights are the variables that are not columns.
    assert_eq!(ok(&["fit", "(w0 + w1*x - t)^2", "--data", POINTS]), out);
}

#[test]
fn mean_map_stdin_and_json() {
    let out = ok(&["fit", "(w0 + w1*x - t)^2", "--data", POINTS, "--mean"]);
    assert!(
        out.contains("loss      w0^2 + 5*w0*w1 + 15*w1^2/2 - 8*w0 - 47*w1/2 + 37/2   (averaged over the rows)"),
        "{out}"
    );
    assert!(out.contains("w0 = 1/2 (= 0.5), w1 = 7/5 (= 1.4)"), "{out}");
    assert!(out.contains("loss = 1/20"), "{out}");

    let renamed = "size,price,comment\n1,2,a\n2,3,\"b, c\"\n3,5,d\n4,6,e\n";
    let run = kobai(&["fit", "(w0 + w1*x - t)^2", "--data", "-", "--map", "x=size,t=price"], Some(renamed.as_bytes()));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("rows      4   (columns x from size, t from price)\n"), "{}", run.stdout);
    assert!(run.stdout.contains("w0 = 1/2 (= 0.5), w1 = 7/5 (= 1.4)"), "{}", run.stdout);

    let json = ok(&["fit", "(w0 + w1*x - t)^2", "--data", POINTS, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(v["status"], "unique");
    assert_eq!(v["rows"], 4);
    assert_eq!(v["loss"], "4*w0^2 + 20*w0*w1 + 30*w1^2 - 32*w0 - 94*w1 + 74");
    assert_eq!(v["points"][0]["values"]["w0"], "1/2");
    assert_eq!(v["points"][0]["values"]["w1"], "7/5");
    assert_eq!(v["points"][0]["approx"]["w1"], 1.4);
    assert_eq!(v["points"][0]["kind"], "minimum");
    assert_eq!(v["points"][0]["loss"], "1/5");
    assert_eq!(v["convex_quadratic"], true);
}

#[test]
fn values_are_exact_decimals_and_messy_csv_is_accepted() {
    // A byte-order mark, CRLF, quoted numbers, spaces, scientific notation,
    // an empty line and a text column that is not used.
    let text = "\u{feff}x , t,note\r\n\"1.25\",1e-3,\"a, \"\"quoted\"\" note\"\r\n\r\n 2.5 , \"2E-3\" ,b\r\n";
    let mut data = CsvReader::new("messy.csv", text.as_bytes()).expect("header");
    let result = fit(&read("(w*x - t)^2").expect("formula"), &mut data, &FitOptions::default()).expect("fit");
    assert_eq!(result.rows, 2);
    // Σ x·t / Σ x² = (5/4·1/1000 + 5/2·2/1000) / (25/16 + 25/4) = 1/1250.
    let w = result.report.points[0].point.values[0].1.rational();
    assert_eq!(w, Some(Q::new(1, 1250)));
}

/// The normal equations `XᵀX·w = Xᵀt` and the expanded summed loss
/// `wᵀXᵀXw − 2(Xᵀt)ᵀw + tᵀt`, computed here with big rationals.
struct Oracle {
    xtx: Vec<Vec<BigRational>>,
    xtt: Vec<BigRational>,
    tt: BigRational,
}

fn oracle(rows: &[Vec<String>], k: usize) -> Oracle {
    let mut xtx = vec![vec![BigRational::zero(); k]; k];
    let mut xtt = vec![BigRational::zero(); k];
    let mut tt = BigRational::zero();
    for row in rows {
        // Features: 1, x1, ..., x_{k-1}; the last cell is t.
        let mut features = vec![BigRational::from_integer(1.into())];
        features.extend(row[..k - 1].iter().map(|c| big(c)));
        let t = big(&row[k - 1]);
        for i in 0..k {
            for j in 0..k {
                xtx[i][j] += &features[i] * &features[j];
            }
            xtt[i] += &features[i] * &t;
        }
        tt += &t * &t;
    }
    Oracle { xtx, xtt, tt }
}

fn to_big(q: &Q) -> BigRational {
    q.to_big()
}

#[test]
fn fit_agrees_with_the_normal_equations() {
    let mut rng = Lcg(2024);
    let mut cases = 0;
    for k in 1..=5usize {
        for &n in &[k + 2, 37, 10_000] {
            if n == 10_000 && k % 2 == 0 {
                continue; // keep the debug-mode run short: 10,000 rows for 1, 3 and 5 weights
            }
            let names: Vec<String> = (1..k).map(|i| format!("x{i}")).collect();
            let mut csv = names.iter().map(String::as_str).chain(["t"]).collect::<Vec<_>>().join(",");
            csv.push('\n');
            let mut rows = Vec::with_capacity(n);
            for _ in 0..n {
                let row: Vec<String> = (0..k).map(|_| rng.decimal(3)).collect();
                csv.push_str(&row.join(","));
                csv.push('\n');
                rows.push(row);
            }
            let formula = {
                let terms: Vec<String> = (1..k).map(|i| format!("w{i}*x{i}")).collect();
                let mut f = String::from("(w0");
                for t in &terms {
                    f.push_str(" + ");
                    f.push_str(t);
                }
                f.push_str(" - t)^2");
                f
            };
            let weights: Vec<Symbol> = (0..k).map(|i| Symbol::new(&format!("w{i}"))).collect();
            let mut data = CsvReader::new("random.csv", csv.as_bytes()).expect("header");
            let options = FitOptions::default().with_weights(weights.clone());
            let result = fit(&read(&formula).expect("formula"), &mut data, &options).expect("fit");
            assert_eq!(result.rows, n as u64);

            let o = oracle(&rows, k);
            // The summed loss, coefficient by coefficient.
            for i in 0..k {
                for j in i..k {
                    let mut e = vec![0u32; k];
                    e[i] += 1;
                    e[j] += 1;
                    let expected =
                        if i == j { o.xtx[i][i].clone() } else { &o.xtx[i][j] * BigRational::from_integer(2.into()) };
                    assert_eq!(to_big(&result.loss.coefficient(&e)), expected, "k={k} n={n} w{i}*w{j}");
                }
                let mut e = vec![0u32; k];
                e[i] = 1;
                let expected = -(&o.xtt[i] * BigRational::from_integer(2.into()));
                assert_eq!(to_big(&result.loss.coefficient(&e)), expected, "k={k} n={n} w{i}");
            }
            assert_eq!(to_big(&result.loss.constant_term()), o.tt, "k={k} n={n} constant");

            // The minimum.
            let expected = solve(o.xtx.clone(), o.xtt.clone()).expect("random data give a regular system");
            let points = &result.report.points;
            assert_eq!(points.len(), 1, "k={k} n={n}");
            assert_eq!(points[0].kind, Kind::Minimum);
            for (i, (_, c)) in points[0].point.values.iter().enumerate() {
                assert_eq!(c.rational().map(|q| to_big(&q)), Some(expected[i].clone()), "k={k} n={n} w{i}");
            }
            assert!(result.report.convex_quadratic);
            cases += 1;
        }
    }
    assert_eq!(cases, 13);
}

#[test]
fn the_mean_has_the_same_minimum_and_a_scaled_loss() {
    let csv = "x,t\n1,2\n2,3\n3,5\n4,6\n";
    let loss = read("(w0 + w1*x - t)^2").expect("formula");
    let total =
        fit(&loss, &mut CsvReader::new("p.csv", csv.as_bytes()).expect("csv"), &FitOptions::default()).expect("fit");
    let mean =
        fit(&loss, &mut CsvReader::new("p.csv", csv.as_bytes()).expect("csv"), &FitOptions::default().with_mean(true))
            .expect("fit");
    assert_eq!(mean.loss, total.loss.scale(&Q::new(1, 4)));
    assert_eq!(mean.report.points[0].point, total.report.points[0].point);
}

#[test]
fn all_x_equal_gives_a_family_of_minima() {
    let csv = "x,t\n2,1\n2,3\n2,8\n";
    let mut data = CsvReader::new("same.csv", csv.as_bytes()).expect("csv");
    let result = fit(&read("(w0 + w1*x - t)^2").expect("formula"), &mut data, &FitOptions::default()).expect("fit");
    assert!(result.report.points.is_empty());
    let Some((Solutions::Family { free, values }, _, reason)) = &result.report.family else {
        panic!("expected a family: {:?}", result.report)
    };
    assert_eq!(free, &[Symbol::new("w1")]);
    // w0 + 2·w1 = mean of t = 4.
    assert_eq!(values[0].1, read("4 - 2*w1").expect("formula"));
    assert!(reason.contains("global minimum"), "{reason}");

    let path = std::env::temp_dir().join(format!("kobai-same-{}.csv", std::process::id()));
    std::fs::write(&path, csv).expect("temp file");
    let out = ok(&["fit", "(w0 + w1*x - t)^2", "--data", path.to_str().expect("path")]);
    std::fs::remove_file(&path).ok();
    assert!(out.contains("w0 = 4 - 2*w1   (w1 is free)"), "{out}");
    assert!(out.contains("the minimum is not unique"), "{out}");
    let json = kobai(&["fit", "(w0 + w1*x - t)^2", "--data", "-", "--format", "json"], Some(csv.as_bytes()));
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("valid JSON");
    assert_eq!(v["status"], "infinite");
    assert_eq!(v["family"]["values"]["w0"], "4 - 2*w1");
}

#[test]
fn data_inside_functions_are_summed_row_by_row() {
    // 1/x is not polynomial in x, so each row is substituted.
    let loss = read("(w/x - t)^2").expect("formula");
    let (w, x, t) = (Symbol::new("w"), Symbol::new("x"), Symbol::new("t"));
    let mut sum = LossSum::new(&loss, &[w], &[x, t], &kobai::Limits::default()).expect("sum");
    assert!(!sum.is_streaming_moments());
    for (xv, tv) in [(1, 2), (2, 1), (4, 1)] {
        sum.add_row(&[Q::from(xv), Q::from(tv)]).expect("row");
    }
    // Σ (w/x − t)² = w²·Σ1/x² − 2w·Σt/x + Σt² = 21/16·w² − 11/2·w + 6.
    assert_eq!(sum.total().expect("total").to_string(), "21*w^2/16 - 11*w/2 + 6");
    let err = sum.add_row(&[Q::zero(), Q::one()]).unwrap_err();
    assert!(err.to_string().contains("division by zero"), "{err}");
}

#[track_caller]
fn data_error(csv: &str, formula: &str, weights: &[&str]) -> DataError {
    let options = FitOptions::default().with_weights(weights.iter().map(|w| Symbol::new(w)).collect());
    let result = CsvReader::new("bad.csv", csv.as_bytes())
        .map_err(FitError::Data)
        .and_then(|mut d| fit(&read(formula).expect("formula"), &mut d, &options));
    match result {
        Err(FitError::Data(e)) => e,
        other => panic!("expected a data error for {csv:?}, got {other:?}"),
    }
}

#[test]
fn csv_errors_name_the_file_row_and_column() {
    let f = "(w0 + w1*x - t)^2";
    let w = ["w0", "w1"];
    let cases: Vec<(&str, &str)> = vec![
        ("", "bad.csv is empty: expected a header line naming the columns, such as `x,t`"),
        ("\n\n", "bad.csv is empty: expected a header line naming the columns, such as `x,t`"),
        ("x,t\n", "bad.csv has a header (x, t) but no data rows"),
        ("x,y\n1,2\n", "bad.csv has no column `t`; its columns are x, y"),
        ("x,t\n1,2\n2,abc\n", "bad.csv, row 2 (line 3), column `t`: `abc` is not a number"),
        ("x,t\n1,2\n2,3,4\n", "bad.csv, row 2 (line 3): 3 cells, but the header has 2"),
        ("x,t\n1\n", "bad.csv, row 1 (line 2): 1 cells, but the header has 2"),
        ("x,t\n1,\n", "bad.csv, row 1 (line 2), column `t`: the cell is empty"),
        (
            "x,t\nNaN,1\n",
            "bad.csv, row 1 (line 2), column `x`: `NaN` is not a finite number; kobai sums exactly, so remove the \
             row or fill in a value",
        ),
        (
            "x,t\n1,-inf\n",
            "bad.csv, row 1 (line 2), column `t`: `-inf` is not a finite number; kobai sums exactly, so remove the \
             row or fill in a value",
        ),
        ("x,t\n1,1e99999\n", "bad.csv, row 1 (line 2), column `t`: the exponent of `1e99999` is too large"),
        ("x,t\n1,2\n\n3,1/2\n", "bad.csv, row 2 (line 4), column `t`: `1/2` is not a number"),
        ("x,x,t\n1,2,3\n", "bad.csv: the header names the column `x` twice"),
    ];
    for (csv, message) in cases {
        assert_eq!(data_error(csv, f, &w).to_string(), message, "{csv:?}");
    }
    assert!(matches!(data_error("x,t\n1,2\n2,abc\n", f, &w), DataError::NotANumber { row: 2, line: 3, .. }));
}

#[test]
fn csv_errors_on_the_command_line() {
    let err = fails(&["fit", "(w*x - t)^2", "--data", "no/such/file.csv", "--wrt", "w"], None);
    assert!(err.starts_with("error: cannot read no/such/file.csv:"), "{err}");
    let err = fails(&["fit", "(w*x - t)^2", "--data", "-", "--wrt", "w"], Some(b"x,t\n1,oops\n"));
    assert_eq!(err.trim_end(), "error: standard input, row 1 (line 2), column `t`: `oops` is not a number");
    let err = fails(&["fit", "(w*x - t)^2", "--data", "-", "--wrt", "w", "--map", "t=price"], Some(b"x,t\n1,2\n"));
    assert_eq!(
        err.trim_end(),
        "error: standard input has no column `price` (for the variable `t`); its columns are x, t"
    );
    let err = fails(&["fit", "(w*x - t)^2", "--data", "-"], Some(b"x,t,w\n1,2,3\n"));
    assert!(err.contains("no weight to fit"), "{err}");
    let err = fails(&["fit", "exp(w*x)", "--data", "-", "--wrt", "w"], Some(b"x\n1\n"));
    assert!(err.contains("polynomial"), "{err}");
}

#[test]
fn fit_outputs_snapshot() {
    let runs = [
        vec!["fit", "(w0 + w1*x - t)^2", "--data", POINTS],
        vec!["fit", "(w0 + w1*x - t)^2", "--data", POINTS, "--mean", "--format", "unicode"],
        vec!["fit", "(w*x - t)^2", "--data", POINTS],
        vec!["fit", "(w0 + w1*x + w2*x^2 - t)^2", "--data", POINTS],
        vec!["fit", "(w0 + w1*x - t)^2 + lambda*(w0^2 + w1^2)", "--data", POINTS, "--at", "lambda=1/2"],
    ];
    let mut text = String::new();
    for args in runs {
        let shown: Vec<String> =
            args.iter().map(|a| if *a == POINTS { "examples/points.csv".to_string() } else { a.to_string() }).collect();
        text.push_str(&format!("$ kobai {}\n{}\n", shown.join(" "), ok(&args)));
    }
    in_snapshot_folder(|| insta::assert_snapshot!("data__fit_outputs", text));
}
