//! Snapshot tables, one per capability, each line `input  =>  output`, so a
//! reviewer checks a whole table on one screen. The snapshots live in the
//! top-level `snapshots/` folder.

mod oracle;

use kobai::{
    Expr, Symbol, derivative, eval, expand, gradient, hessian, parse, parse_bindings, read, simplify, structural,
};

/// Runs `f` with snapshots going to `../snapshots` (relative to `tests/`).
fn in_snapshot_folder(f: impl FnOnce()) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.bind(f);
}

/// Lines `left  =>  right`, the arrows aligned.
fn table(rows: &[(String, String)]) -> String {
    let width = rows.iter().map(|(l, _)| l.chars().count()).max().unwrap_or(0);
    let mut out = String::new();
    for (left, right) in rows {
        let pad = width - left.chars().count();
        out.push_str(&format!("{left}{}  =>  {right}\n", " ".repeat(pad)));
    }
    out
}

fn shown(r: kobai::Result<Expr>) -> String {
    match r {
        Ok(e) => e.to_string(),
        Err(err) => format!("error: {err}"),
    }
}

/// `e`, or the error, of reading `text`; the tables only use inputs that read.
#[track_caller]
fn p(text: &str) -> Expr {
    match read(text) {
        Ok(e) => e,
        Err(err) => panic!("{text:?}: {err}"),
    }
}

fn symbols(names: &[&str]) -> Vec<Symbol> {
    names.iter().map(|n| Symbol::new(n)).collect()
}

#[test]
fn parsing() {
    let inputs = [
        // Operators, precedence, associativity.
        "a + b",
        "a - b",
        "a * b",
        "a / b",
        "a ^ b",
        "a ** b",
        "1 + 2*3",
        "1 - 2 - 3",
        "8/4/2",
        "-x",
        "-x^2",
        "--x",
        "+x",
        "2*-x",
        "2^-1",
        "2^3^2",
        "2**3**2",
        "1/2x",
        "1/(2x)",
        "a/b*c",
        // Brackets.
        "(x)",
        "[x]",
        "{x}",
        "[(x + 1)*{y - 1}]",
        // Implicit products.
        "2w1",
        "4(w1)^2",
        "2(x+1)",
        "(a)(b)",
        "2 x",
        "x y",
        "2x^2",
        "2exp(x)",
        // Names.
        "w1",
        "x_1",
        "target",
        "θ",
        "θ_0 + θ_1*x",
        // Typographic forms.
        "2×w1",
        "2·w1",
        "a − b",
        "a – b",
        "a ÷ b",
        "x²",
        "x³",
        "(x + 1)²",
        "x⁻¹",
        "（x＋1）",
        "［x］",
        "(2·w1 − 5)²",
        // Numbers.
        "2.5",
        "1e-3",
        "0.1",
        ".5",
        "6.02E23",
        "2.5x",
        // Calls.
        "exp(x)",
        "ln(x)",
        "log(x)",
        "log(x, 2)",
        "sqrt(x)",
        "sin(x)",
        "cos(x)",
        "tan(x)",
        "tanh(x)",
        "sigmoid(x)",
        "abs(x)",
        "sign(x)",
        "e",
        "e^x",
        "2^x",
        "sqrt(4)",
        "sqrt(8)",
        "log(8, 2)",
        "ln(exp(x))",
        "exp(ln(x))",
        "exp(x)*exp(y)",
        // Refused.
        "x/0",
        "0^0",
        "ln(0)",
        "2*(x",
        "foo(x)",
    ];
    let rows: Vec<(String, String)> = inputs
        .iter()
        .map(|input| {
            let right = match parse(input) {
                Err(err) => format!("error: {err}"),
                Ok(ast) => match kobai::lower(&ast) {
                    Ok(e) => format!("{ast}  =>  {}", structural(&e)),
                    Err(err) => format!("{ast}  =>  error: {err}"),
                },
            };
            (input.to_string(), right)
        })
        .collect();
    in_snapshot_folder(|| insta::assert_snapshot!("parsing", table(&rows)));
}

#[test]
fn expanding() {
    let inputs = [
        "((2*w1)-5)^2",
        "((w1*x1)-target)^2",
        "(w0 + w1*x - t)^2",
        "(a+b)^2",
        "(a+b+c)^3",
        "(x+1)^2*(x-1)",
        "(2x+1)(3x-2)",
        "(x+y)^2 - (x-y)^2",
        "(x+1)^-1",
        "(x+1)^3/x",
        "(x+1)/(x-1)",
        "x/x",
        "x - x",
        "2*x*3",
        "x*x^2",
        "exp(x)*(x+1)^2",
        "exp((x+1)^2)",
        "2^(x+1)",
        "(x/2 + 1/3)^2",
        "(1.5x - 0.5)^2",
    ];
    let rows: Vec<(String, String)> =
        inputs.iter().map(|i| (i.to_string(), shown(expand(&p(i), &oracle::limits())))).collect();
    in_snapshot_folder(|| insta::assert_snapshot!("expanding", table(&rows)));
}

#[test]
fn simplifying() {
    let inputs = [
        "(x+1)^2 - x^2 - 2*x",
        "(x+1)^10",
        "(x+1)*(x-1) - x^2",
        "x/x",
        "x - x",
        "2*x*3",
        "x*x^2",
        "x^2/x",
        "(x^2)^3",
        "(x^2)^(1/2)",
        "sqrt(x)^2",
        "exp(x)*exp(-x)",
        "ln(exp(x))",
        "exp(ln(x))",
        "sin(x)^2 + cos(x)^2",
        "abs(abs(x))",
        "abs(-3)",
        "sigmoid(0)",
        "2^10",
        "4^(1/2)",
        "8^(-2/3)",
    ];
    let rows: Vec<(String, String)> =
        inputs.iter().map(|i| (i.to_string(), shown(simplify(&p(i), &oracle::limits())))).collect();
    in_snapshot_folder(|| insta::assert_snapshot!("simplifying", table(&rows)));
}

#[test]
fn differentiating() {
    // (expression, variable, order)
    let cases = [
        ("((w1*x1)-target)^2", "w1", 1),
        ("((w1*x1)-target)^2", "x1", 1),
        ("((w1*x1)-target)^2", "target", 1),
        ("((w1*x1)-target)^2", "w1", 2),
        ("((2*w1)-5)^2", "w1", 1),
        ("x^3", "x", 1),
        ("x^3", "x", 2),
        ("x^3", "x", 3),
        ("x^3", "x", 4),
        ("x^3", "y", 1),
        ("x^2*y^3", "y", 1),
        ("x^2*y^3", "y", 2),
        ("x/x", "x", 1),
        ("(x+1)^-1", "x", 1),
        ("1/x", "x", 1),
        ("1/x", "x", 2),
        ("x/(x^2+1)", "x", 1),
        ("(x^2+1)/(x-1)", "x", 1),
        ("x/y", "y", 1),
        ("x^x", "x", 1),
        ("x^x", "x", 2),
        ("x^3*exp(2*x)", "x", 1),
        ("x^3*exp(2*x)", "x", 2),
        ("exp(x)", "x", 1),
        ("e^x", "x", 1),
        ("2^x", "x", 1),
        ("ln(x)", "x", 1),
        ("log(x)", "x", 1),
        ("log(x, 2)", "x", 1),
        ("sqrt(x)", "x", 1),
        ("sqrt(x)", "x", 2),
        ("sin(x)", "x", 1),
        ("sin(x)", "x", 2),
        ("cos(x)", "x", 1),
        ("tan(x)", "x", 1),
        ("tanh(x)", "x", 1),
        ("tanh(x)", "x", 2),
        ("sigmoid(x)", "x", 1),
        ("abs(x)", "x", 1),
        ("sign(x)", "x", 1),
        ("sin(x^2)", "x", 1),
        ("exp(w*x + b)", "w", 1),
        ("sigmoid(w*x + b)", "w", 1),
        ("ln(sigmoid(w*x + b))", "b", 1),
        ("(sigmoid(w*x + b) - t)^2", "b", 1),
        ("-t*ln(sigmoid(z)) - (1 - t)*ln(1 - sigmoid(z))", "z", 1),
    ];
    let rows: Vec<(String, String)> = cases
        .iter()
        .map(|(e, x, order)| {
            let left = match order {
                1 => format!("d/d{x} {e}"),
                n => format!("d^{n}/d{x}^{n} {e}"),
            };
            (left, shown(derivative(&p(e), Symbol::new(x), *order, &oracle::limits())))
        })
        .collect();
    in_snapshot_folder(|| insta::assert_snapshot!("differentiating", table(&rows)));
}

#[test]
fn gradients_and_hessians() {
    let cases: [(&str, &[&str]); 6] = [
        ("((w1*x1)-target)^2", &["w1"]),
        ("(w0 + w1*x - t)^2", &["w0", "w1"]),
        ("x^2*y + y^3", &["x", "y"]),
        ("exp(x*y)", &["x", "y"]),
        ("sigmoid(w*x + b)", &["w", "b"]),
        ("(w0 + w1*x1 + w2*x2 - t)^2", &["w0", "w1", "w2"]),
    ];
    let list = |items: Vec<String>| format!("[{}]", items.join(", "));
    let mut rows = Vec::new();
    for (e, vars) in cases {
        let vars_shown = vars.join(", ");
        let e_ = p(e);
        let g = match gradient(&e_, &symbols(vars), &oracle::limits()) {
            Ok(g) => list(g.iter().map(Expr::to_string).collect()),
            Err(err) => format!("error: {err}"),
        };
        rows.push((format!("gradient ({vars_shown}) {e}"), g));
        let h = match hessian(&e_, &symbols(vars), &oracle::limits()) {
            Ok(h) => list(h.iter().map(|row| list(row.iter().map(Expr::to_string).collect())).collect()),
            Err(err) => format!("error: {err}"),
        };
        rows.push((format!("hessian ({vars_shown}) {e}"), h));
    }
    in_snapshot_folder(|| insta::assert_snapshot!("gradients_and_hessians", table(&rows)));
}

#[test]
fn evaluating() {
    let cases = [
        ("4*w1^2 - 20*w1 + 25", "w1=5/2"),
        ("((w1*x1)-target)^2", "x1=2, target=5"),
        ("((w1*x1)-target)^2", "x1=2, target=5, w1=1"),
        ("8*w1 - 20", "w1=5/2"),
        ("x/2", "x=1"),
        ("x^2", "x=1/3"),
        ("2.5*x", "x=0.4"),
        ("(x+1)^-1", "x=1/2"),
        ("x^-2", "x=-2/3"),
        ("x*y + z", "x=2, y=-3, z=1/2"),
        ("x^y", "x=2, y=-3"),
        ("sqrt(x)", "x=9/4"),
        ("sqrt(x)", "x=2"),
        ("e", ""),
        ("exp(x)", "x=0"),
        ("exp(x)", "x=1"),
        ("ln(x)", "x=1"),
        ("ln(x)", "x=2"),
        ("log(x, 2)", "x=8"),
        ("sin(x)", "x=0"),
        ("cos(x)", "x=1"),
        ("sigmoid(x)", "x=0"),
        ("sigmoid(x)", "x=2"),
        ("tanh(x)", "x=1/2"),
        ("abs(x)", "x=-3"),
        ("sign(x)", "x=-3"),
        ("sin(x) + y", "x=1"),
        ("1/x", "x=0"),
        ("ln(x)", "x=0"),
        ("ln(x)", "x=-1"),
        ("(x+1)^-1", "x=-1"),
        ("sqrt(x)", "x=-1"),
        ("x^y", "x=0, y=0"),
    ];
    let rows: Vec<(String, String)> = cases
        .iter()
        .map(|(e, at)| {
            let limits = oracle::limits();
            let left = if at.is_empty() { (*e).to_string() } else { format!("{e} at {at}") };
            let bindings = match parse_bindings(at, &limits) {
                Ok(b) => b,
                Err(err) => panic!("{at:?}: {err}"),
            };
            let right = match eval(&p(e), &bindings, &limits) {
                Ok(r) => match r.approx {
                    Some(a) => format!("{} ≈ {a}", r.exact),
                    None => r.exact.to_string(),
                },
                Err(err) => format!("error: {err}"),
            };
            (left, right)
        })
        .collect();
    in_snapshot_folder(|| insta::assert_snapshot!("evaluating", table(&rows)));
}
