//! Oracles for the solving tests, independent of kobai's solver: polynomials
//! over `Q` as plain coefficient vectors with Sturm sequences, exact
//! Gauss–Jordan elimination, principal minors, a deterministic pseudo-random
//! source, and a way to run the binary with a time limit.
//!
//! `Q` is used only as a number type: its add, sub, mul and div are number
//! primitives. Nothing here calls kobai's `UPoly`, `Poly`, `real_roots`,
//! `solve_linear` or `inertia`.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use kobai::Q;

// ---------------------------------------------------------------------------
// Running the binary.

/// What one run of `kobai` did.
pub struct Run {
    /// The exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// Runs `kobai args…` and fails the test if it takes longer than `limit`.
pub fn kobai_within(args: &[&str], limit: Duration) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kobai"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the kobai binary runs");
    // Read both pipes on their own threads so that a large output cannot
    // block the child while we wait for it.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_string(&mut text);
            }
            text
        })
    };
    let out = drain(child.stdout.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let err = drain(child.stderr.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for kobai works") {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("kobai {args:?} took longer than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    }
}

/// Runs `kobai args…` with a generous time limit.
pub fn kobai(args: &[&str]) -> Run {
    kobai_within(args, Duration::from_secs(60))
}

/// The command line as a user would type it, quoting arguments that need it.
pub fn command_line(args: &[&str]) -> String {
    let plain = |a: &str| a.chars().all(|c| c.is_ascii_alphanumeric() || "_-,=./".contains(c));
    let shown: Vec<String> =
        args.iter().map(|a| if plain(a) && !a.is_empty() { (*a).to_string() } else { format!("\"{a}\"") }).collect();
    format!("$ kobai {}", shown.join(" "))
}

/// A transcript of one run for a snapshot: the command, the exit code, and
/// what it printed.
pub fn transcript(args: &[&str]) -> String {
    let run = kobai(args);
    let mut out = format!("{}\n[exit {}]\n{}", command_line(args), run.code, run.stdout);
    if !run.stderr.is_empty() {
        out.push_str("[stderr]\n");
        out.push_str(&run.stderr);
    }
    out
}

// ---------------------------------------------------------------------------
// Numbers and text.

/// A rational as formula text, parenthesized so that it can stand anywhere.
pub fn q_text(q: &Q) -> String {
    format!("({q})")
}

/// A small deterministic pseudo-random source (Knuth's MMIX LCG).
pub struct Lcg(u64);

impl Lcg {
    /// A source started from `seed`.
    pub fn new(seed: u64) -> Lcg {
        Lcg(seed)
    }

    /// The next 31 pseudo-random bits.
    pub fn next_bits(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    /// A rational `n/d` with `-9 ≤ n ≤ 9` and `1 ≤ d ≤ 4`.
    pub fn rational(&mut self) -> Q {
        let n = i64::try_from(self.next_bits() % 19).unwrap_or(0) - 9;
        let d = i64::try_from(self.next_bits() % 4).unwrap_or(0) + 1;
        Q::new(n, d)
    }
}

// ---------------------------------------------------------------------------
// Univariate polynomials: coefficients, constant term first, no trailing zeros.

/// A polynomial in one variable over `Q`, constant term first.
pub type P = Vec<Q>;

/// Drops trailing zero coefficients.
pub fn trim(mut p: P) -> P {
    while p.last().is_some_and(Q::is_zero) {
        p.pop();
    }
    p
}

/// The degree (`None` for the zero polynomial).
pub fn degree(p: &[Q]) -> Option<usize> {
    p.len().checked_sub(1)
}

/// The value at `x`, by Horner's rule.
pub fn eval(p: &[Q], x: &Q) -> Q {
    p.iter().rev().fold(Q::zero(), |acc, c| acc.mul(x).add(c))
}

/// The sign of `p(x)`.
pub fn sign_at(p: &[Q], x: &Q) -> i32 {
    eval(p, x).signum()
}

/// `a · b`.
pub fn mul(a: &[Q], b: &[Q]) -> P {
    if a.is_empty() || b.is_empty() {
        return Vec::new();
    }
    let mut out = vec![Q::zero(); a.len() + b.len() - 1];
    for (i, x) in a.iter().enumerate() {
        for (j, y) in b.iter().enumerate() {
            out[i + j] = out[i + j].add(&x.mul(y));
        }
    }
    trim(out)
}

/// `p^k`.
pub fn pow(p: &[Q], k: u32) -> P {
    (0..k).fold(vec![Q::one()], |acc, _| mul(&acc, p))
}

/// The derivative.
pub fn derivative(p: &[Q]) -> P {
    trim(p.iter().enumerate().skip(1).map(|(i, c)| c.mul(&Q::from(i as i64))).collect())
}

/// Quotient and remainder of `a / b`, for `b` nonzero.
pub fn div_rem(a: &[Q], b: &[Q]) -> (P, P) {
    let db = degree(b).expect("division by the zero polynomial");
    let lead = b[db].clone();
    let mut r = a.to_vec();
    let mut q = vec![Q::zero(); a.len().saturating_sub(db).max(1)];
    while let Some(dr) = degree(&r) {
        if dr < db {
            break;
        }
        let c = r[dr].div(&lead).expect("the leading coefficient is nonzero");
        let shift = dr - db;
        q[shift] = c.clone();
        for (i, bc) in b.iter().enumerate() {
            r[i + shift] = r[i + shift].sub(&c.mul(bc));
        }
        r = trim(r);
    }
    (trim(q), r)
}

/// The monic greatest common divisor (zero only when both are zero).
pub fn gcd(a: &[Q], b: &[Q]) -> P {
    let (mut a, mut b) = (trim(a.to_vec()), trim(b.to_vec()));
    while !b.is_empty() {
        let (_, r) = div_rem(&a, &b);
        a = b;
        b = r;
    }
    match a.last().cloned() {
        Some(lead) => a.iter().map(|c| c.div(&lead).expect("nonzero")).collect(),
        None => a,
    }
}

/// `p` as formula text in `var`: `(c0) + (c1)*x + (c2)*x^2 …`.
pub fn text(p: &[Q], var: &str) -> String {
    let terms: Vec<String> = p
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.is_zero())
        .map(|(i, c)| match i {
            0 => q_text(c),
            1 => format!("{}*{var}", q_text(c)),
            _ => format!("{}*{var}^{i}", q_text(c)),
        })
        .collect();
    if terms.is_empty() { "0".to_string() } else { terms.join(" + ") }
}

/// The Sturm sequence `p, p', -rem(p, p'), …` (ending at a multiple of
/// `gcd(p, p')`, so it also counts distinct roots of non-square-free `p`).
pub fn sturm_sequence(p: &[Q]) -> Vec<P> {
    let mut seq = vec![trim(p.to_vec())];
    let d = derivative(p);
    if d.is_empty() {
        return seq;
    }
    seq.push(d);
    loop {
        let n = seq.len();
        let (_, r) = div_rem(&seq[n - 2], &seq[n - 1]);
        if r.is_empty() {
            return seq;
        }
        seq.push(r.iter().map(Q::neg).collect());
    }
}

fn variations(signs: impl Iterator<Item = i32>) -> usize {
    let nonzero: Vec<i32> = signs.filter(|&s| s != 0).collect();
    nonzero.windows(2).filter(|w| w[0] != w[1]).count()
}

/// Sign variations of the sequence at `x`.
fn variations_at(seq: &[P], x: &Q) -> usize {
    variations(seq.iter().map(|s| sign_at(s, x)))
}

/// Sign variations of the sequence at `+∞` (`positive`) or `-∞`.
fn variations_at_infinity(seq: &[P], positive: bool) -> usize {
    variations(seq.iter().map(|s| {
        let lead = s.last().map_or(0, Q::signum);
        if positive || degree(s).unwrap_or(0).is_multiple_of(2) { lead } else { -lead }
    }))
}

/// The number of distinct real roots of `p` in `(a, b]`; `a` and `b` must
/// not be roots.
pub fn sturm_count(p: &[Q], a: &Q, b: &Q) -> usize {
    let seq = sturm_sequence(p);
    variations_at(&seq, a).saturating_sub(variations_at(&seq, b))
}

/// The number of distinct real roots of a nonzero `p`.
pub fn count_real_roots(p: &[Q]) -> usize {
    let seq = sturm_sequence(p);
    variations_at_infinity(&seq, false).saturating_sub(variations_at_infinity(&seq, true))
}

/// How many times the rational `r` is a root of a nonzero `p`.
pub fn multiplicity_at(p: &[Q], r: &Q) -> u32 {
    let linear = vec![r.neg(), Q::one()];
    let mut p = trim(p.to_vec());
    let mut m = 0;
    loop {
        let (q, rem) = div_rem(&p, &linear);
        if !rem.is_empty() || p.is_empty() {
            return m;
        }
        p = q;
        m += 1;
    }
}

/// The multiplicity of the only root of `p` in `(lo, hi)`: the largest `k`
/// such that `gcd(p, p', …, p^(k-1))` still has a root there (its roots are
/// exactly the roots of `p` of multiplicity at least `k`).
pub fn multiplicity_in(p: &[Q], lo: &Q, hi: &Q) -> u32 {
    let mut g = trim(p.to_vec());
    let mut d = g.clone();
    let mut k = 0;
    while degree(&g).is_some_and(|n| n > 0) && sturm_count(&g, lo, hi) > 0 {
        k += 1;
        d = derivative(&d);
        g = gcd(&g, &d);
    }
    k
}

/// How many times `f` (nonconstant) divides `p` (nonzero).
pub fn divisibility(p: &[Q], f: &[Q]) -> u32 {
    let mut p = trim(p.to_vec());
    let mut m = 0;
    loop {
        let (q, rem) = div_rem(&p, f);
        if !rem.is_empty() {
            return m;
        }
        p = q;
        m += 1;
    }
}

// ---------------------------------------------------------------------------
// Matrices over Q.

/// A dense matrix, by rows.
pub type M = Vec<Vec<Q>>;

/// The reduced row echelon form of `a` and its pivot columns.
pub fn row_reduce(a: &M) -> (M, Vec<usize>) {
    let mut a = a.clone();
    let rows = a.len();
    let cols = a.first().map_or(0, Vec::len);
    let mut pivots = Vec::new();
    let mut r = 0;
    for c in 0..cols {
        let Some(p) = (r..rows).find(|&i| !a[i][c].is_zero()) else { continue };
        a.swap(r, p);
        let inv = a[r][c].recip().expect("the pivot is nonzero");
        a[r] = a[r].iter().map(|x| x.mul(&inv)).collect();
        for i in 0..rows {
            if i != r && !a[i][c].is_zero() {
                let f = a[i][c].clone();
                let pivot_row = a[r].clone();
                for (x, y) in a[i].iter_mut().zip(&pivot_row) {
                    *x = x.sub(&f.mul(y));
                }
            }
        }
        pivots.push(c);
        r += 1;
        if r == rows {
            break;
        }
    }
    (a, pivots)
}

/// The rank.
pub fn rank(a: &M) -> usize {
    row_reduce(a).1.len()
}

/// `a` with the column `b` appended.
pub fn augment(a: &M, b: &[Q]) -> M {
    a.iter().zip(b).map(|(row, x)| row.iter().cloned().chain(std::iter::once(x.clone())).collect()).collect()
}

/// The unique solution of the square system `a·x = b`, if `a` is invertible.
pub fn solve_unique(a: &M, b: &[Q]) -> Option<Vec<Q>> {
    let n = a.len();
    let (r, pivots) = row_reduce(&augment(a, b));
    if pivots.len() != n || pivots.iter().enumerate().any(|(i, &c)| i != c) {
        return None;
    }
    Some(r.iter().map(|row| row[n].clone()).collect())
}

/// `a·x`.
pub fn mat_vec(a: &M, x: &[Q]) -> Vec<Q> {
    a.iter().map(|row| row.iter().zip(x).fold(Q::zero(), |acc, (p, q)| acc.add(&p.mul(q)))).collect()
}

/// The determinant, by cofactor expansion (the matrices here are tiny).
pub fn det(a: &M) -> Q {
    match a.len() {
        0 => Q::one(),
        n => (0..n).fold(Q::zero(), |acc, j| {
            let minor: M = a
                .iter()
                .skip(1)
                .map(|r| r.iter().enumerate().filter(|(k, _)| *k != j).map(|(_, x)| x.clone()).collect())
                .collect();
            let term = a[0][j].mul(&det(&minor));
            if j % 2 == 0 { acc.add(&term) } else { acc.sub(&term) }
        }),
    }
}

/// Every principal minor (the determinants of the submatrices on the same
/// rows and columns), for every nonempty subset of indices.
pub fn principal_minors(a: &M) -> Vec<Q> {
    let n = a.len();
    (1u32..(1 << n))
        .map(|mask| {
            let idx: Vec<usize> = (0..n).filter(|i| mask & (1 << i) != 0).collect();
            det(&idx.iter().map(|&i| idx.iter().map(|&j| a[i][j].clone()).collect()).collect())
        })
        .collect()
}

/// The definiteness of a symmetric matrix, decided by minors alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sign {
    /// Positive definite: every leading principal minor is positive.
    PositiveDefinite,
    /// Negative definite: the leading principal minors alternate, starting negative.
    NegativeDefinite,
    /// Nonsingular and neither: indefinite.
    IndefiniteNonsingular,
    /// Singular, with every principal minor ≥ 0 (and the matrix not zero).
    PositiveSemidefinite,
    /// Singular, with every principal minor of `-a` ≥ 0 (and the matrix not zero).
    NegativeSemidefinite,
    /// The zero matrix.
    Zero,
    /// Singular and indefinite.
    IndefiniteSingular,
}

/// Classifies a symmetric matrix by Sylvester's criterion (nonsingular) or by
/// all its principal minors (singular).
pub fn definiteness(a: &M) -> Sign {
    let n = a.len();
    let leading: Vec<Q> =
        (1..=n).map(|k| det(&a.iter().take(k).map(|r| r.iter().take(k).cloned().collect()).collect())).collect();
    if a.iter().flatten().all(Q::is_zero) {
        return Sign::Zero;
    }
    if !leading[n - 1].is_zero() {
        if leading.iter().all(|m| m.signum() > 0) {
            return Sign::PositiveDefinite;
        }
        if leading.iter().enumerate().all(|(k, m)| m.signum() == if k % 2 == 0 { -1 } else { 1 }) {
            return Sign::NegativeDefinite;
        }
        return Sign::IndefiniteNonsingular;
    }
    let negated: M = a.iter().map(|r| r.iter().map(Q::neg).collect()).collect();
    if principal_minors(a).iter().all(|m| m.signum() >= 0) {
        Sign::PositiveSemidefinite
    } else if principal_minors(&negated).iter().all(|m| m.signum() >= 0) {
        Sign::NegativeSemidefinite
    } else {
        Sign::IndefiniteSingular
    }
}
