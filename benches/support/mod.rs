//! The workloads W1–W6 of `../shared/bench/README.md`, on the data of its
//! `common.py` (same seeds, sizes and exact answers), for kobai's library.
//!
//! Each workload is prepared outside the timed region, run with its phases
//! timed as the peers' `bench.py` times theirs, and checked against the
//! exact reference in `benches/reference.txt` (written by
//! `bench/reference.py` from `common.py`) or against the counts the peers
//! report.

pub mod pyrandom;

use std::collections::HashMap;
use std::time::Instant;

use kobai::{
    Coordinate, Expr, Limits, LossSum, Node, Poly, Q, Solutions, SolveOptions, Symbol, diff, expand, read,
    solve_equations, subs,
};

use pyrandom::PyRandom;

/// The exact references, parsed from `benches/reference.txt`.
pub struct References {
    lines: HashMap<(String, usize, String), Vec<String>>,
}

impl References {
    pub fn load() -> References {
        let mut lines = HashMap::new();
        for line in include_str!("../reference.txt").lines().filter(|l| !l.starts_with('#')) {
            let mut words = line.split_whitespace().map(str::to_string);
            let (Some(w), Some(size), Some(what)) = (words.next(), words.next(), words.next()) else { continue };
            lines.insert((w, size.parse().unwrap_or(0), what), words.collect());
        }
        References { lines }
    }

    fn get(&self, workload: &str, size: usize, what: &str) -> Result<&[String], String> {
        self.lines
            .get(&(workload.to_string(), size, what.to_string()))
            .map(Vec::as_slice)
            .ok_or_else(|| format!("no reference for {workload} {size} {what}: run bench/reference.py"))
    }
}

// ------------------------------------------------------------------ data

/// `common.w2_data(n)`: rows of exact 2-decimal data, scaled by 100.
pub fn w2_data(n: usize) -> (Vec<i64>, Vec<i64>) {
    let mut rng = PyRandom::new(2);
    let xs = (0..n).map(|_| rng.randint(-999, 999)).collect();
    let ts = (0..n).map(|_| rng.randint(-999, 999)).collect();
    (xs, ts)
}

/// `common.w3_data(k)`: 1000 rows of `k` small integers, and the targets.
pub fn w3_data(k: usize) -> (Vec<Vec<i64>>, Vec<i64>) {
    let mut rng = PyRandom::new(3 * 1000 + k as u32);
    let x = (0..1000).map(|_| (0..k).map(|_| rng.randint(-5, 5)).collect()).collect();
    let t = (0..1000).map(|_| rng.randint(-20, 20)).collect();
    (x, t)
}

const W6_VARS: [&str; 8] = ["x1", "x2", "x3", "x4", "x5", "x6", "y", "z"];

/// `common.w6_string(n)`: a sum of `n` random terms with rational coefficients.
pub fn w6_string(n: usize) -> String {
    let mut rng = PyRandom::new(6);
    let mut out = String::new();
    for i in 0..n {
        let c = rng.randint(1, 99);
        let coef = if rng.random() < 0.7 { c.to_string() } else { format!("{c}/{}", rng.randint(2, 9)) };
        let k = rng.randint(1, 3) as usize;
        let vars = rng.sample(&W6_VARS, k);
        let mono: Vec<String> = vars
            .iter()
            .map(|v| {
                let e = rng.randint(1, 4);
                if e == 1 { v.to_string() } else { format!("{v}^{e}") }
            })
            .collect();
        let term = format!("{coef}*{}", mono.join("*"));
        let neg = rng.random() < 0.5;
        let sep = match (i == 0, neg) {
            (true, true) => "-",
            (true, false) => "",
            (false, true) => " - ",
            (false, false) => " + ",
        };
        out.push_str(sep);
        out.push_str(&term);
    }
    out
}

/// FNV-1a, 64 bits, as `bench/reference.py` computes it.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// `C(n, k)`.
fn binomial(n: u64, k: u64) -> u64 {
    (0..k).fold(1u64, |acc, i| acc * (n - i) / (i + 1))
}

// ------------------------------------------------------------------ running

/// The phases of one run, timed.
#[derive(Default)]
pub struct Phases {
    pub times: Vec<(&'static str, f64)>,
    last: Option<Instant>,
}

impl Phases {
    pub fn start(&mut self) {
        self.last = Some(Instant::now());
    }

    pub fn mark(&mut self, name: &'static str) {
        let now = Instant::now();
        if let Some(t) = self.last {
            self.times.push((name, (now - t).as_secs_f64()));
        }
        self.last = Some(now);
    }

    pub fn total(&self) -> f64 {
        self.times.iter().map(|(_, t)| t).sum()
    }
}

/// What a run produced, to be checked.
pub enum Answer {
    Values(Vec<Q>),
    Terms(usize),
}

/// One prepared (workload, size).
pub trait Case {
    /// The timed work.
    fn run(&self, phases: &mut Phases) -> Answer;
    /// Checks an answer; `Ok` carries a short description.
    fn check(&self, answer: &Answer) -> Result<String, String>;
}

fn sym(name: &str) -> Symbol {
    Symbol::new(name)
}

fn terms_of(e: &Expr) -> usize {
    match e.node() {
        Node::Sum { constant, terms } => terms.len() + usize::from(!constant.is_zero()),
        Node::Num(q) if q.is_zero() => 0,
        _ => 1,
    }
}

fn solve_for(equations: &[Expr], vars: &[Symbol]) -> Vec<Q> {
    match solve_equations(equations, vars, &SolveOptions::default()) {
        Ok(Solutions::Finite(points)) if points.len() == 1 => points[0]
            .values
            .iter()
            .filter_map(|(_, c)| match c {
                Coordinate::Exact(e) => e.as_num().cloned(),
                Coordinate::Root(_) => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn expect_values(answer: &Answer, expected: &[Q]) -> Result<String, String> {
    match answer {
        Answer::Values(v) if v == expected => {
            Ok(format!("exact: {}", expected.first().map(Q::to_string).unwrap_or_default()))
        }
        Answer::Values(v) => Err(format!("got {v:?}, expected {expected:?}")),
        Answer::Terms(_) => Err("expected values".into()),
    }
}

fn expect_terms(answer: &Answer, expected: usize) -> Result<String, String> {
    match answer {
        Answer::Terms(n) if *n == expected => Ok(format!("terms={n}")),
        Answer::Terms(n) => Err(format!("{n} terms, expected {expected}")),
        Answer::Values(_) => Err("expected a term count".into()),
    }
}

fn parse_q(s: &str) -> Result<Q, String> {
    let e = read(s).map_err(|e| e.to_string())?;
    e.as_num().cloned().ok_or_else(|| format!("{s} is not a number"))
}

/// W1: parse, substitute x1 = 2 and target = 5, expand, d/dw1, solve = 0.
struct W1;

impl Case for W1 {
    fn run(&self, ph: &mut Phases) -> Answer {
        let (w1, x1, target) = (sym("w1"), sym("x1"), sym("target"));
        ph.start();
        let e = read("((w1*x1)-target)^2").expect("parses");
        ph.mark("parse");
        let e = subs(&e, &[(x1, Expr::int(2)), (target, Expr::int(5))]).expect("substitutes");
        ph.mark("subs");
        let e = expand(&e, &Limits::default()).expect("expands");
        ph.mark("expand");
        let d = diff(&e, w1);
        ph.mark("diff");
        let v = solve_for(&[d], &[w1]);
        ph.mark("solve");
        Answer::Values(v)
    }

    fn check(&self, answer: &Answer) -> Result<String, String> {
        expect_values(answer, &[Q::new(5, 2)])
    }
}

/// W2: the least-squares loss `(w0 + w1*x - t)^2` summed over `n` rows.
struct W2 {
    xs: Vec<i64>,
    ts: Vec<i64>,
    expected: Vec<Q>,
}

impl W2 {
    fn new(n: usize, refs: &References) -> Result<W2, String> {
        let (xs, ts) = w2_data(n);
        let first = refs.get("W2", n, "first")?;
        let got = [xs[0], xs[1], ts[0], ts[1]].map(|v| v.to_string());
        if first != got {
            return Err(format!("W2 data differs from common.py: {got:?} vs {first:?}"));
        }
        let expected = refs.get("W2", n, "answer")?.iter().map(|s| parse_q(s)).collect::<Result<_, _>>()?;
        Ok(W2 { xs, ts, expected })
    }
}

impl Case for W2 {
    fn run(&self, ph: &mut Phases) -> Answer {
        let (w0, w1, x, t) = (sym("w0"), sym("w1"), sym("x"), sym("t"));
        let limits = Limits::default();
        ph.start();
        let loss = read("(w0 + w1*x - t)^2").expect("parses");
        let mut sum = LossSum::new(&loss, &[w0, w1], &[x, t], &limits).expect("a polynomial loss");
        for (a, b) in self.xs.iter().zip(&self.ts) {
            sum.add_row(&[Q::new(*a, 100), Q::new(*b, 100)]).expect("a row");
        }
        let total = sum.total().expect("summed");
        ph.mark("build_expand");
        let grad = [total.derivative(0).to_expr(), total.derivative(1).to_expr()];
        ph.mark("diff");
        let v = solve_for(&grad, &[w0, w1]);
        ph.mark("solve");
        Answer::Values(v)
    }

    fn check(&self, answer: &Answer) -> Result<String, String> {
        expect_values(answer, &self.expected)
    }
}

/// W3: `(Σ w_j x_j - t)^2` with `k` weights summed over 1000 integer rows.
struct W3 {
    k: usize,
    rows: Vec<Vec<Q>>,
    expected: Vec<Q>,
}

impl W3 {
    fn new(k: usize, refs: &References) -> Result<W3, String> {
        let (x, t) = w3_data(k);
        let first = refs.get("W3", k, "first")?;
        let got = [x[0][0], x[0][1], t[0]].map(|v| v.to_string());
        if first != got {
            return Err(format!("W3 data differs from common.py: {got:?} vs {first:?}"));
        }
        let rows = x.iter().zip(&t).map(|(row, t)| row.iter().chain([t]).map(|&v| Q::from(v)).collect()).collect();
        let expected = refs.get("W3", k, "answer")?.iter().map(|s| parse_q(s)).collect::<Result<_, _>>()?;
        Ok(W3 { k, rows, expected })
    }
}

impl Case for W3 {
    fn run(&self, ph: &mut Phases) -> Answer {
        let weights: Vec<Symbol> = (0..self.k).map(|j| sym(&format!("w{j}"))).collect();
        let mut data: Vec<Symbol> = (0..self.k).map(|j| sym(&format!("x{j}"))).collect();
        data.push(sym("t"));
        let limits = Limits::default();
        ph.start();
        let model: Vec<String> = (0..self.k).map(|j| format!("w{j}*x{j}")).collect();
        let loss = read(&format!("({} - t)^2", model.join(" + "))).expect("parses");
        let mut sum = LossSum::new(&loss, &weights, &data, &limits).expect("a polynomial loss");
        for row in &self.rows {
            sum.add_row(row).expect("a row");
        }
        let total = sum.total().expect("summed");
        ph.mark("build_expand");
        let grad: Vec<Expr> = (0..self.k).map(|j| total.derivative(j).to_expr()).collect();
        ph.mark("diff");
        let v = solve_for(&grad, &weights);
        ph.mark("solve");
        Answer::Values(v)
    }

    fn check(&self, answer: &Answer) -> Result<String, String> {
        expect_values(answer, &self.expected)
    }
}

/// W4: expand `(x+y+z+w+1)^n`, as an expression or with `Poly` alone.
struct W4 {
    n: usize,
    poly: bool,
}

impl Case for W4 {
    fn run(&self, ph: &mut Phases) -> Answer {
        let limits = Limits::default();
        let f = read(&format!("(x+y+z+w+1)^{}", self.n)).expect("parses");
        if self.poly {
            let gens: Vec<Expr> = ["x", "y", "z", "w"].map(Expr::symbol).to_vec();
            let p0 = Poly::from_expr(&read("x+y+z+w+1").expect("parses"), &gens, &limits).expect("poly");
            ph.start();
            let q = p0.pow(self.n as u64, &limits).expect("a power");
            ph.mark("pow");
            return Answer::Terms(q.num_terms());
        }
        ph.start();
        let e = expand(&f, &limits).expect("expands");
        ph.mark("expand");
        Answer::Terms(terms_of(&e))
    }

    fn check(&self, answer: &Answer) -> Result<String, String> {
        expect_terms(answer, binomial(self.n as u64 + 4, 4) as usize)
    }
}

/// W4F: Fateman's benchmark, `p = expand((1+x+y+z+t)^n)`, `expand(p*(p+1))`;
/// W4Fd expands `f*(f+1)` with `f` unexpanded.
struct W4F {
    n: usize,
    mode: FatemanMode,
}

#[derive(Clone, Copy, PartialEq)]
enum FatemanMode {
    Expr,
    Poly,
    Direct,
}

impl Case for W4F {
    fn run(&self, ph: &mut Phases) -> Answer {
        let limits = Limits::default();
        let f = read(&format!("(1+x+y+z+t)^{}", self.n)).expect("parses");
        match self.mode {
            FatemanMode::Expr => {
                ph.start();
                let p = expand(&f, &limits).expect("expands");
                ph.mark("pow");
                let q = expand(&Expr::mul(&p, &Expr::add(&p, &Expr::one())), &limits).expect("expands");
                ph.mark("mul");
                Answer::Terms(terms_of(&q))
            }
            FatemanMode::Direct => {
                ph.start();
                let q = expand(&Expr::mul(&f, &Expr::add(&f, &Expr::one())), &limits).expect("expands");
                ph.mark("expand");
                Answer::Terms(terms_of(&q))
            }
            FatemanMode::Poly => {
                let gens: Vec<Expr> = ["x", "y", "z", "t"].map(Expr::symbol).to_vec();
                let p0 = Poly::from_expr(&read("1+x+y+z+t").expect("parses"), &gens, &limits).expect("poly");
                let one = Poly::constant(&gens, Q::one());
                ph.start();
                let p = p0.pow(self.n as u64, &limits).expect("a power");
                ph.mark("pow");
                let q = p.mul(&p.add(&one), &limits).expect("a product");
                ph.mark("mul");
                Answer::Terms(q.num_terms())
            }
        }
    }

    fn check(&self, answer: &Answer) -> Result<String, String> {
        expect_terms(answer, binomial(2 * self.n as u64 + 4, 4) as usize)
    }
}

/// W5a: `d/dx` of `expand((x^y + y^z + z^x)^n)` (the expansion is not timed).
struct W5a {
    e: Expr,
    n: usize,
}

impl Case for W5a {
    fn run(&self, ph: &mut Phases) -> Answer {
        ph.start();
        let d = diff(&self.e, sym("x"));
        ph.mark("diff");
        Answer::Terms(terms_of(&d))
    }

    fn check(&self, answer: &Answer) -> Result<String, String> {
        // The peers' output term counts: n = 50, 200, 500 give 2550, 40200, 250500.
        let known = match self.n {
            50 => 2550,
            200 => 40200,
            500 => 250_500,
            _ => return Ok(format!("input_terms={} (no reference count)", terms_of(&self.e))),
        };
        expect_terms(answer, known).map(|s| format!("input_terms={} {s}", terms_of(&self.e)))
    }
}

/// W5b: `d/dx` of `Π_{i=1..n} (x+i)^i`, unexpanded.
struct W5b {
    e: Expr,
    n: usize,
}

impl Case for W5b {
    fn run(&self, ph: &mut Phases) -> Answer {
        ph.start();
        let d = diff(&self.e, sym("x"));
        ph.mark("diff");
        Answer::Terms(terms_of(&d))
    }

    fn check(&self, answer: &Answer) -> Result<String, String> {
        expect_terms(answer, self.n)
    }
}

/// W6: parse (and canonicalize) a sum of `n` random rational terms.
struct W6 {
    text: String,
    expected_terms: usize,
}

impl Case for W6 {
    fn run(&self, ph: &mut Phases) -> Answer {
        ph.start();
        let e = read(&self.text).expect("parses");
        ph.mark("read");
        Answer::Terms(terms_of(&e))
    }

    fn check(&self, answer: &Answer) -> Result<String, String> {
        expect_terms(answer, self.expected_terms).map(|s| format!("chars={} {s}", self.text.len()))
    }
}

/// The workloads and sizes of the peers' plan (`run_all.py`), with kobai's
/// `Poly`-only variants of W4 and W4F beside the expression ones.
pub const PLAN: &[(&str, &[usize])] = &[
    ("W1", &[1]),
    ("W2", &[1000, 10000, 100_000]),
    ("W3", &[10, 30]),
    ("W4", &[10, 15, 20, 30]),
    ("W4poly", &[10, 15, 20, 30]),
    ("W4F", &[10, 15, 20]),
    ("W4Fpoly", &[10, 15, 20]),
    ("W4Fd", &[10, 15, 20]),
    ("W5a", &[50, 200, 500]),
    ("W5b", &[100, 300, 1000]),
    ("W6", &[1000, 10000, 100_000]),
];

/// Prepares one case (data, inputs, references): not timed.
pub fn prepare(workload: &str, size: usize, refs: &References) -> Result<Box<dyn Case>, String> {
    let limits = Limits::default();
    Ok(match workload {
        "W1" => Box::new(W1),
        "W2" => Box::new(W2::new(size, refs)?),
        "W3" => Box::new(W3::new(size, refs)?),
        "W4" => Box::new(W4 { n: size, poly: false }),
        "W4poly" => Box::new(W4 { n: size, poly: true }),
        "W4F" => Box::new(W4F { n: size, mode: FatemanMode::Expr }),
        "W4Fpoly" => Box::new(W4F { n: size, mode: FatemanMode::Poly }),
        "W4Fd" => Box::new(W4F { n: size, mode: FatemanMode::Direct }),
        "W5a" => {
            let base = read(&format!("(x^y + y^z + z^x)^{size}")).map_err(|e| e.to_string())?;
            let e = expand(&base, &limits).map_err(|e| e.to_string())?;
            Box::new(W5a { e, n: size })
        }
        "W5b" => {
            let x = Expr::symbol("x");
            let factors = (1..=size as i64).map(|i| Expr::pow(&Expr::add(&x, &Expr::int(i)), &Expr::int(i)));
            Box::new(W5b { e: Expr::product(factors), n: size })
        }
        "W6" => {
            let text = w6_string(size);
            let reference = refs.get("W6", size, "chars")?;
            let got = [text.len().to_string(), "fnv1a64".to_string(), format!("{:016x}", fnv1a64(text.as_bytes()))];
            if reference != got {
                return Err(format!("W6 text differs from common.py: {got:?} vs {reference:?}"));
            }
            // The peers' output term counts.
            let expected_terms = match size {
                1000 => 589,
                10000 => 2670,
                100_000 => 4061,
                _ => 0,
            };
            Box::new(W6 { text, expected_terms })
        }
        other => return Err(format!("unknown workload {other}")),
    })
}
