//! Worksheets: the statement language through the library, `kobai run` on
//! files, and `kobai repl` driven through piped standard input.

use std::io::Write;
use std::process::{Command, Stdio};

use kobai::{SheetError, SheetOutcome, SheetValue, Worksheet};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn kobai(args: &[&str], stdin: &str) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kobai"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the kobai binary runs");
    child.stdin.take().expect("stdin is piped").write_all(stdin.as_bytes()).expect("stdin accepts the input");
    let out = child.wait_with_output().expect("kobai finishes");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `lines` in a fresh worksheet and returns what the last one shows,
/// in the text form `kobai run` prints for expressions and lists.
#[track_caller]
fn last(lines: &[&str]) -> SheetValue {
    let mut sheet = Worksheet::default();
    let mut shown = None;
    for line in lines {
        match sheet.run_line(line) {
            Ok(SheetOutcome::Shown(v)) => shown = Some(v),
            Ok(_) => {}
            Err(e) => panic!("{line:?}: {e}"),
        }
    }
    shown.unwrap_or_else(|| panic!("{lines:?} shows nothing"))
}

#[track_caller]
fn text(v: &SheetValue) -> String {
    match v {
        SheetValue::Expr(e) => e.to_string(),
        SheetValue::List(items) => format!("[{}]", items.iter().map(text).collect::<Vec<_>>().join(", ")),
        other => panic!("not an expression or list: {other:?}"),
    }
}

/// Asserts what the last of `lines` shows.
#[track_caller]
fn shows(lines: &[&str], expected: &str) {
    assert_eq!(text(&last(lines)), expected, "{lines:?}");
}

/// The error of the last line, after the others ran.
#[track_caller]
fn fails(lines: &[&str]) -> SheetError {
    let mut sheet = Worksheet::default();
    let (bad, good) = lines.split_last().expect("at least one line");
    for line in good {
        if let Err(e) = sheet.run_line(line) {
            panic!("{line:?}: {e}");
        }
    }
    match sheet.run_line(bad) {
        Err(e) => e,
        Ok(o) => panic!("{bad:?} ran: {o:?}"),
    }
}

fn in_snapshot_folder(f: impl FnOnce()) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.bind(f);
}

#[test]
fn the_issue_transcript_through_piped_stdin() {
    let input = "x1 = 2\ntarget = 5\npredict = w1 * x1\nerror = predict - target\nsquare_error = error^2\n\
                 expand(square_error)\ndiff(square_error, w1)\nminimize(square_error, w1)\n";
    let run = kobai(&["repl"], input);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    // No prompt when standard input is not a terminal; bindings print nothing.
    assert_eq!(
        run.stdout,
        "4*w1^2 - 20*w1 + 25\n8*w1 - 20\n\
         w1 = 5/2 (= 2.5)    minimum (global: the loss is a convex quadratic)    loss = 0\n"
    );
}

#[test]
fn the_repl_recovers_from_errors() {
    let input =
        "x1 = 2\nloss = (w1*x1 - 5\nloss = (w1*x1 - 5)^2\nfoo(3)\nexpand(loss)\n:format unicode\nexpand(loss)\n";
    let run = kobai(&["repl"], input);
    // Both good lines after each bad one still run; a piped session with a
    // failed line exits with 2 so that scripts notice.
    assert_eq!(run.stdout, "4*w1^2 - 20*w1 + 25\n4w1² − 20w1 + 25\n");
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("┌─ stdin:2:18"), "{}", run.stderr);
    assert!(run.stderr.contains("2 │ loss = (w1*x1 - 5\n"), "{}", run.stderr);
    assert!(run.stderr.contains("┌─ stdin:4:1"), "{}", run.stderr);
    assert!(run.stderr.contains("unknown function `foo`"), "{}", run.stderr);
    assert!(run.stderr.contains("worksheet commands: expand"), "{}", run.stderr);
}

#[test]
fn the_repl_directives() {
    let input = ":vars\ndata = [2, 5]\nw = 3\n:vars\n:steps on\ndiff(x^2, x)\n:steps off\ndiff(x^2, x)\n:format latex\n\
                 x^2/2\n:format json\n:nonsense\n:help\n:quit\nx\n";
    let run = kobai(&["repl"], input);
    let expected_start = "no names are bound\ndata = [2, 5]\nw    = 3\n\
                          d/dx x^2\n  = 2*x    power rule: (xⁿ)′ = n·xⁿ⁻¹\n2*x\n\\frac{x^{2}}{2}\n";
    assert!(run.stdout.starts_with(expected_start), "{}", run.stdout);
    assert!(run.stdout.contains("diff(e, x) or diff(e, x, 2)"), "{}", run.stdout);
    assert!(run.stdout.contains(":steps on|off"), "{}", run.stdout);
    // `:quit` ends the session: the line after it is not run.
    assert!(!run.stdout.trim_end().ends_with('x'), "{}", run.stdout);
    assert!(run.stderr.contains("`:format` takes text, unicode or latex, not `json`"), "{}", run.stderr);
    assert!(run.stderr.contains("unknown directive `:nonsense`"), "{}", run.stderr);
}

#[test]
fn tutorial_worksheet() {
    let run = kobai(&["run", "examples/tutorial.kb"], "");
    assert_eq!(run.code, 0, "{}", run.stderr);
    in_snapshot_folder(|| insta::assert_snapshot!("tutorial", run.stdout));
}

#[test]
fn least_squares_worksheet() {
    let run = kobai(&["run", "examples/least_squares.kb"], "");
    assert_eq!(run.code, 0, "{}", run.stderr);
    in_snapshot_folder(|| insta::assert_snapshot!("least_squares", run.stdout));
}

#[test]
fn run_stops_at_the_first_error_with_its_line_and_column() {
    let dir = std::env::temp_dir().join(format!("kobai-worksheet-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let path = dir.join("bad.kb");
    std::fs::write(&path, "a = 2\na + 1\nb = a * (3 +\na + 2\n").expect("the worksheet is written");
    let path = path.to_string_lossy().into_owned();
    let run = kobai(&["run", &path], "");
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "3\n", "the lines before the error ran, the ones after did not");
    assert!(run.stderr.contains(&format!("┌─ {path}:3:13")), "{}", run.stderr);
    assert!(run.stderr.contains("3 │ b = a * (3 +"), "{}", run.stderr);
    // A worksheet from standard input, and a file that is not there.
    let run = kobai(&["run", "-"], "x = [1, 2]\nx[5]\n");
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("index 5 is out of range: from 0 to 1"), "{}", run.stderr);
    assert!(run.stderr.contains("┌─ stdin:2:3"), "{}", run.stderr);
    let run = kobai(&["run", "no/such/file.kb"], "");
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: cannot read `no/such/file.kb`"), "{}", run.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn run_formats_and_steps() {
    let sheet = "loss = (2*w1 - 5)^2\nexpand(loss)\nlatex(loss)\n";
    let run = kobai(&["run", "-", "--format", "unicode"], sheet);
    assert_eq!(run.stdout, "4w1² − 20w1 + 25\n\\left(2 w_{1} - 5\\right)^{2}\n");
    let run = kobai(&["run", "-", "--steps"], "diff(x^3, x)\n");
    assert!(run.stdout.starts_with("d/dx x^3\n  = 3*x^2"), "{}", run.stdout);
}

#[test]
fn kobai_alone_without_a_terminal_prints_help() {
    let run = kobai(&[], "");
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("Usage: kobai"), "{}", run.stderr);
    assert!(run.stderr.contains("repl"), "{}", run.stderr);
}

#[test]
fn bindings_are_values_at_the_time() {
    shows(&["x1 = 2", "predict = w1*x1", "predict"], "2*w1");
    // A later binding does not change an earlier value, as in Python.
    shows(&["y = x + 1", "x = 5", "y"], "x + 1");
    shows(&["y = x + 1", "x = 5", "y + x"], "x + 6");
    shows(&["a = 1", "a = a + 1", "a = a * 10", "a"], "20");
    // A bare formula shows its simplified value.
    shows(&["(x+1)^2 - x^2 - 2*x"], "1");
    shows(&["e^x * 1"], "exp(x)");
}

#[test]
fn clear_unbinds() {
    shows(&["x1 = 2", "clear x1", "3*x1"], "3*x1");
    shows(&["a = 1", "b = 2", "clear a, b", "a + b"], "a + b");
    shows(&["a = 1", "b = 2", "clear", "a + b"], "a + b");
    shows(&["a = 1", "clear(a)", "a"], "a");
    let e = fails(&["clear nothing_here"]);
    assert!(e.to_string().contains("`nothing_here` is not bound"), "{e}");
    assert_eq!((e.span.start, e.span.end), (6, 18));
}

#[test]
fn lists_and_indexing() {
    shows(&["data = [2, 5]", "data"], "[2, 5]");
    shows(&["data = [2, 5]", "x1 = data[0]", "x1"], "2");
    shows(&["data = [2, 5]", "data[-1]"], "5");
    shows(&["data = [2, 5,]", "len(data)"], "2");
    shows(&["xs = [1, 2, 4]", "ys = [2, 3, 7]", "(w*xs[2] - ys[2])^2"], "(4*w - 7)^2");
    shows(&["xs = [1, 2, 4]", "i = 1", "xs[i + 1]"], "4");
    shows(&["m = [[1, 2], [3, 4]]", "m[1][0]"], "3");
    shows(&["xs = [1, 2, 4]", "sum(xs)"], "7");
    shows(&["[]"], "[]");
    shows(&["g = grad(x^2*y, x, y)", "g[1]"], "x^2");
    shows(&["h = hessian(x^2*y, x, y)", "h[0]"], "[2*y, 2*x]");
    shows(&["grad(x^2*y, x, y)[0]"], "2*x*y");
    // Brackets in formulas are brackets; after a function name they call it.
    shows(&["[x + 1]^2 - x^2"], "2*x + 1");
    shows(&["sqrt[4]"], "2");

    let e = fails(&["data = [2, 5]", "data[2]"]);
    assert!(e.to_string().contains("index 2 is out of range: from 0 to 1"), "{e}");
    let e = fails(&["data = [2, 5]", "data[1/2]"]);
    assert!(e.to_string().contains("an index is a whole number"), "{e}");
    let e = fails(&["data = [2, 5]", "2*data"]);
    assert!(e.to_string().contains("`data` is a list, not an expression: pick an item with `data[0]`"), "{e}");
    assert_eq!(e.span.start, 2);
    let e = fails(&["nolist[0]"]);
    assert!(e.to_string().contains("`nolist` is not bound to a list"), "{e}");
    let e = fails(&["w = 3", "w[0]"]);
    assert!(e.to_string().contains("`w` is an expression, not a list"), "{e}");
}

#[test]
fn commands() {
    shows(&["expand((2*w1 - 5)^2)"], "4*w1^2 - 20*w1 + 25");
    shows(&["simplify(x/x + x - x + 2*x*3)"], "6*x + 1");
    shows(&["diff(x^3*exp(2*x), x, 2)"], "4*x^3*exp(2*x) + 12*x^2*exp(2*x) + 6*x*exp(2*x)");
    shows(&["diff(x^2*y^2, x, y)"], "4*x*y");
    shows(&["diff(x^3)"], "3*x^2");
    shows(&["n = 2", "diff(x^3, x, n)"], "6*x");
    shows(&["subs((w1*x1 - target)^2, x1 = 2, target = 5)"], "(2*w1 - 5)^2");
    shows(&["subs(x + y, [x = 1, y = 2])"], "3");
    shows(&["2*diff(x^2, x) + 1"], "4*x + 1");
    shows(&["loss = (3*w - 7)^2", "subs(diff(loss, w), w = 7/3)"], "0");
    let SheetValue::Evaluation(r) = last(&["eval(sqrt(2)*x, x = 1)"]) else { panic!() };
    assert_eq!(r.exact.to_string(), "sqrt(2)");
    assert!(r.approx.is_some_and(|a| (a - std::f64::consts::SQRT_2).abs() < 1e-12));
    let SheetValue::Gradient { vars, items } = last(&["grad((w0 + w1*x - t)^2, [w0, w1])"]) else { panic!() };
    assert_eq!(vars.iter().map(|v| v.name()).collect::<Vec<_>>(), ["w0", "w1"]);
    assert_eq!(items[1].to_string(), "2*w1*x^2 - 2*t*x + 2*w0*x");
    // With no variables named, grad takes every variable, in name order.
    let SheetValue::Gradient { vars, .. } = last(&["grad(b*a^2)"]) else { panic!() };
    assert_eq!(vars.iter().map(|v| v.name()).collect::<Vec<_>>(), ["a", "b"]);
    let SheetValue::Solutions { solutions: kobai::Solutions::Finite(points), .. } =
        last(&["solve([x + y = 3, x - y = 1], [x, y])"])
    else {
        panic!()
    };
    assert_eq!(points.len(), 1);
    let SheetValue::Solutions { vars, .. } = last(&["g = 8*w1 - 20", "solve(g = 0)"]) else { panic!() };
    assert_eq!(vars.iter().map(|v| v.name()).collect::<Vec<_>>(), ["w1"]);
    let SheetValue::Stationary(report) = last(&["minimize(x^3/3 - x^2 - x)"]) else { panic!() };
    let kinds: Vec<&str> = report.points.iter().map(|p| p.kind.word()).collect();
    assert_eq!(kinds, ["maximum", "minimum"]);
    let SheetValue::Printed(items) = last(&["print(\"loss:\", (w - 1)^2, 'done')"]) else { panic!() };
    assert_eq!(items.len(), 3);
    assert!(matches!(&items[0], SheetValue::Text(s) if s == "loss:"));
    let SheetValue::Steps(all) = last(&["x1 = 2", "steps(diff((w1*x1 - 5)^2, w1))"]) else { panic!() };
    let [s] = all.as_slice() else { panic!("{all:?}") };
    assert_eq!(s.steps[0].text, "d/dw1 (w1*2 - 5)^2", "bound names are written out in the user's own form");
    assert!(s.steps[1].rule.contains("chain rule"), "{:?}", s.steps[1]);
    assert_eq!(s.steps.last().map(|s| s.text.as_str()), Some("8*w1 - 20"));
    let SheetValue::Steps(all) = last(&["steps(diff(x^4, x, 2))"]) else { panic!() };
    assert_eq!(all.len(), 2, "one explanation per derivative");
    assert_eq!(all[1].steps[0].text, "d/dx (4*x^3)");
}

#[test]
fn check_claims_with_the_bound_names() {
    let setup = ["x1 = 2", "loss = (w1*x1 - 5)^2"];
    let claim = |line: &str| {
        let lines: Vec<&str> = setup.iter().copied().chain([line]).collect();
        match last(&lines) {
            SheetValue::Check(report) => report,
            other => panic!("{line}: {other:?}"),
        }
    };
    assert!(claim("check(expand(loss) = 4*w1^2 - 20*w1 + 25)").holds());
    let wrong = claim("check(diff(loss, w1) = 2*(2*w1 - 5))");
    assert!(!wrong.holds());
    let kobai::ClaimReport::Derivative { report, .. } = wrong else { panic!("{wrong:?}") };
    assert_eq!(report.hint.as_ref().map(|h| h.kind()), Some("missing_chain_factor"));
    assert!(claim("check(solve(diff(loss, w1) = 0, w1) = 5/2)").holds());
    assert!(!claim("check(solve(x^2 = 4, x) = [2])").holds());
    assert!(claim("check(solve(x^2 = 4, x) = [2, -2])").holds());
    assert!(claim("check(\"d/dx x^3 = 3x^2\")").holds());
    let e = fails(&["check(x)"]);
    assert!(e.to_string().contains("`check` takes a claim `lhs = rhs`"), "{e}");
    let run = kobai(&["run", "-"], "check((a + b)^2 = a^2 + b^2)\n");
    assert_eq!(run.code, 0, "a claim that does not hold is an answer, not an error");
    assert!(run.stdout.starts_with("✗ does not hold"), "{}", run.stdout);
}

#[test]
fn command_errors_point_at_the_argument() {
    let e = fails(&["diff(x^2, y)"]);
    assert!(e.to_string().contains("`y` does not occur in the expression (its variables: x)"), "{e}");
    assert_eq!((e.span.start, e.span.end), (10, 11));
    let e = fails(&["x1 = 2", "diff(x1^2, x1)"]);
    assert!(e.to_string().contains("`x1` has a value (2) in this worksheet; `clear x1`"), "{e}");
    let e = fails(&["expand(x, y)"]);
    assert_eq!(e.to_string(), "`expand` takes 1 argument, but 2 were given");
    let e = fails(&["subs(x, 3)"]);
    assert!(e.to_string().contains("expected a value such as `x1 = 3`"), "{e}");
    let e = fails(&["diff(x^2, x, 0)"]);
    assert!(e.to_string().contains("an order is a whole number"), "{e}");
    let e = fails(&["g = grad(x^2*y)", "expand(g)"]);
    assert!(e.to_string().contains("`g` is a gradient, not an expression"), "{e}");
    let e = fails(&["steps(latex(x))"]);
    assert!(e.to_string().contains("`latex` has no steps to show"), "{e}");
    let e = fails(&["y = 1/(x - x)"]);
    assert!(matches!(e.error, kobai::Error::DivisionByZero { .. }), "{e:?}");
}

#[test]
fn deep_nesting_is_refused_before_the_stack_runs_out() {
    // The default test thread has a small stack; 60 levels of lists and of
    // calls fit, and more than 64 are refused with the limit named.
    let lists = |n: usize| "[".repeat(n) + "x" + &"]".repeat(n);
    let calls = |n: usize| "expand(".repeat(n) + "(x + 1)^2" + &")".repeat(n);
    for line in [lists(60), calls(60), format!("d = {}", lists(60))] {
        assert!(Worksheet::default().run_line(&line).is_ok(), "{}…", &line[..20]);
    }
    for line in [lists(70), calls(70)] {
        let e = Worksheet::default().run_line(&line).unwrap_err();
        assert!(matches!(e.error, kobai::Error::Limit { what: "nesting depth", .. }), "{e:?}");
    }
}

#[test]
fn statement_errors() {
    let e = fails(&["2*x = 4"]);
    assert!(e.to_string().contains("`=` binds a name, but `2*x` is not a name"), "{e}");
    assert!(e.to_string().contains("solve(2*x = 4, x)"), "{e}");
    let e = fails(&["exp = 3"]);
    assert!(e.to_string().contains("`exp` is a function"), "{e}");
    let e = fails(&["diff = 3"]);
    assert!(e.to_string().contains("`diff` is a command"), "{e}");
    let e = fails(&["e = (w - t)^2"]);
    assert!(e.to_string().contains("Euler's number"), "{e}");
    let e = fails(&["x = "]);
    assert!(e.to_string().contains("expected a value"), "{e}");
    let e = fails(&["x = 2*\"a\""]);
    assert!(e.to_string().contains("a string can only be printed"), "{e}");
    let e = fails(&["print(x = 3)"]);
    assert!(e.to_string().contains("an equation is an argument of `solve` or `subs` only"), "{e}");
    // Spans are byte offsets into the line, also after non-ASCII text.
    let e = fails(&["θ = (2*(x"]);
    assert_eq!(e.span.start, "θ = (2*(x".len());
    // Comments and blank lines are nothing at all.
    let mut sheet = Worksheet::default();
    assert_eq!(sheet.run_line("   # a comment").ok(), Some(SheetOutcome::Nothing));
    assert_eq!(sheet.run_line("").ok(), Some(SheetOutcome::Nothing));
}
