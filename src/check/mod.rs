//! Checking hand calculations: equalities, derivative claims, solutions and
//! whole derivations, each with the method that decided it.
//!
//! An equality is decided, in this order:
//!
//! 1. **Canonical form.** kobai's constructors normalize as they build
//!    (`x + x` is `2*x`, `exp(a)*exp(b)` is `exp(a + b)`), so equal canonical
//!    forms prove the claim.
//! 2. **Polynomials** in the variables: both sides expanded to one canonical
//!    polynomial ([`Poly`]). Equal means proven; different means a non-zero
//!    polynomial, so a point where it does not vanish exists and is found
//!    exactly.
//! 3. **Rational functions and other functions**: both sides as quotients of
//!    polynomials in common generators (variables, calls, roots,
//!    exponentials), cross-multiplied and reduced with identities such as
//!    `sin(u)^2 + cos(u)^2 = 1`. A zero numerator proves the claim where both
//!    sides are defined; in variables alone a non-zero one refutes it.
//! 4. **Sampling**: evaluation at small integers and at random rationals
//!    with interval arithmetic over exact rationals, so that a difference
//!    found is certain. Agreement everywhere is reported as agreement at
//!    that many points, never as a proof.
//!
//! When a claim fails, the report has a counterexample with exact values,
//! the simplified difference, and a [`Hint`] when the difference matches a
//! common slip exactly.

mod claim;
mod derivation;
mod hints;
mod interval;
mod normal;
mod points;

use crate::diff::derivative;
use crate::error::{Error, Result};
use crate::expand::expand;
use crate::expr::{Expr, Func, Node};
use crate::limits::Limits;
use crate::number::Q;
use crate::poly::Poly;
use crate::simplify::tidy;
use crate::subs::subs;
use crate::symbol::Symbol;

pub use claim::{ClaimReport, SolutionReport, ValueCheck, check_claim, check_solution};
pub use derivation::{DerivationReport, DerivationStep, StationaryCheck, StepReport, check_derivation};
pub use hints::Hint;

use interval::{Arith, Failure, Interval};
use normal::Forms;
use points::{Random, nonroot, small_points};

/// How to check: the limits in force, how many random points to sample when
/// no proof is found, and the seed of the random points (the same seed gives
/// the same report).
///
/// ```
/// let o = kobai::CheckOptions::default().with_samples(20).with_seed(7);
/// assert_eq!((o.samples, o.seed), (20, 7));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckOptions {
    /// Limits on the work.
    pub limits: Limits,
    /// Random points evaluated when sampling.
    pub samples: usize,
    /// Seed of the random points.
    pub seed: u64,
}

impl Default for CheckOptions {
    fn default() -> CheckOptions {
        CheckOptions { limits: Limits::default(), samples: 10, seed: 0x6b_6f62_6169 }
    }
}

impl CheckOptions {
    /// Sets [`CheckOptions::limits`].
    ///
    /// ```
    /// let o = kobai::CheckOptions::default().with_limits(kobai::Limits::default().with_max_terms(5));
    /// assert_eq!(o.limits.max_terms, 5);
    /// ```
    pub fn with_limits(mut self, limits: Limits) -> CheckOptions {
        self.limits = limits;
        self
    }

    /// Sets [`CheckOptions::samples`].
    ///
    /// ```
    /// assert_eq!(kobai::CheckOptions::default().with_samples(3).samples, 3);
    /// ```
    pub fn with_samples(mut self, samples: usize) -> CheckOptions {
        self.samples = samples;
        self
    }

    /// Sets [`CheckOptions::seed`].
    ///
    /// ```
    /// assert_eq!(kobai::CheckOptions::default().with_seed(1).seed, 1);
    /// ```
    pub fn with_seed(mut self, seed: u64) -> CheckOptions {
        self.seed = seed;
        self
    }
}

/// How a verdict was reached.
///
/// ```
/// use kobai::{check_equal, read, CheckOptions, Method};
/// let r = check_equal(&read("sin(x)^2")?, &read("1 - cos(x)^2")?, &CheckOptions::default())?;
/// assert_eq!(r.method(), Method::Proof);
/// # Ok::<(), kobai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Exact algebra: a proof that the claim holds, or an exact
    /// counterexample to a difference that algebra showed.
    Proof,
    /// Evaluation at points with rigorous error bounds: a difference found
    /// is certain, agreement is evidence only.
    Sampling,
}

impl Method {
    /// `"proof"` or `"sampling"`, as in the JSON output.
    ///
    /// ```
    /// assert_eq!(kobai::Method::Sampling.name(), "sampling");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Method::Proof => "proof",
            Method::Sampling => "sampling",
        }
    }
}

/// An identity of real functions a proof relied on.
///
/// ```
/// assert_eq!(kobai::Identity::Pythagorean.statement(), "sin(u)^2 + cos(u)^2 = 1");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Identity {
    /// `sin(u)^2 + cos(u)^2 = 1`.
    Pythagorean,
    /// `tan(u) = sin(u)/cos(u)`.
    TanQuotient,
    /// `sigmoid(u) = 1/(1 + exp(-u))`.
    SigmoidExp,
    /// `tanh(u) = (exp(2u) - 1)/(exp(2u) + 1)`.
    TanhExp,
    /// `(b^(1/k))^k = b`.
    RootPower,
    /// `abs(u)^2 = u^2`.
    AbsSquare,
    /// `sqrt(u^2) = abs(u)`.
    SqrtOfSquare,
}

impl Identity {
    /// The identity in kobai's text form.
    ///
    /// ```
    /// assert_eq!(kobai::Identity::SqrtOfSquare.statement(), "sqrt(u^2) = abs(u)");
    /// ```
    pub fn statement(self) -> &'static str {
        match self {
            Identity::Pythagorean => "sin(u)^2 + cos(u)^2 = 1",
            Identity::TanQuotient => "tan(u) = sin(u)/cos(u)",
            Identity::SigmoidExp => "sigmoid(u) = 1/(1 + exp(-u))",
            Identity::TanhExp => "tanh(u) = (exp(2*u) - 1)/(exp(2*u) + 1)",
            Identity::RootPower => "(b^(1/k))^k = b",
            Identity::AbsSquare => "abs(u)^2 = u^2",
            Identity::SqrtOfSquare => "sqrt(u^2) = abs(u)",
        }
    }
}

/// What a proof of equality rests on.
///
/// ```
/// use kobai::{check_equal, read, CheckOptions, Proof, Verdict};
/// let r = check_equal(&read("(x^2 - 1)/(x - 1)")?, &read("x + 1")?, &CheckOptions::default())?;
/// assert!(matches!(r.verdict, Verdict::Proven { proof: Proof::Rational, .. }));
/// # Ok::<(), kobai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Proof {
    /// Both sides expand to this polynomial.
    Expansion {
        /// The common expanded form.
        form: Expr,
    },
    /// Both sides have this canonical form.
    Canonical {
        /// The common form, simplified for display.
        form: Expr,
    },
    /// As quotients of polynomials, the cross-multiplied numerators agree.
    Rational,
    /// As [`Proof::Rational`], after using these identities.
    Identities {
        /// The identities used.
        used: Vec<Identity>,
    },
}

/// Where a proven equality holds.
///
/// ```
/// use kobai::{check_equal, read, CheckOptions, Domain, Verdict};
/// let r = check_equal(&read("(x^2 - 1)/(x - 1)")?, &read("x + 1")?, &CheckOptions::default())?;
/// let Verdict::Proven { domain: Domain::WhereDefined { denominators }, .. } = &r.verdict else { panic!() };
/// assert_eq!(denominators[0].to_string(), "x - 1");
/// # Ok::<(), kobai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Domain {
    /// For every value of the variables.
    Everywhere,
    /// Wherever both sides are defined: every listed denominator is non-zero
    /// (the list may be empty when only roots, logarithms and the like
    /// restrict the domain).
    WhereDefined {
        /// Denominators that must not vanish.
        denominators: Vec<Expr>,
    },
}

/// The value of one side at a point: exact, with a decimal approximation
/// when it is not rational.
///
/// ```
/// use kobai::{check_equal, read, CheckOptions};
/// let r = check_equal(&read("exp(x)")?, &read("x + 1")?, &CheckOptions::default())?;
/// let left = &r.counterexample().unwrap().left;
/// assert_eq!((left.exact.to_string(), left.approx.as_deref()), ("e".to_string(), Some("2.71828182846")));
/// # Ok::<(), kobai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SideValue {
    /// The exact value (a rational, or a closed form such as `exp(2)`).
    pub exact: Expr,
    /// A decimal approximation, correct to the digits shown, when `exact` is
    /// not a rational.
    pub approx: Option<String>,
}

/// A point where the two sides differ, with both values.
///
/// ```
/// use kobai::{check_equal, read, CheckOptions};
/// let r = check_equal(&read("(a + b)^2")?, &read("a^2 + b^2")?, &CheckOptions::default())?;
/// let cx = r.counterexample().unwrap();
/// assert_eq!(cx.point.len(), 2);
/// assert_ne!(cx.left.exact, cx.right.exact);
/// # Ok::<(), kobai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Counterexample {
    /// The value of each variable.
    pub point: Vec<(Symbol, Q)>,
    /// The left side there.
    pub left: SideValue,
    /// The right side there.
    pub right: SideValue,
}

/// The outcome of checking an equality.
///
/// ```
/// use kobai::{check_equal, read, CheckOptions, Verdict};
/// let o = CheckOptions::default().with_samples(5);
/// let r = check_equal(&read("sin(2*x)")?, &read("2*sin(x)*cos(x)")?, &o)?;
/// assert_eq!(r.verdict, Verdict::Agrees { points: 5 });
/// # Ok::<(), kobai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Proven.
    Proven {
        /// How.
        proof: Proof,
        /// Where it holds.
        domain: Domain,
    },
    /// No proof found, but the sides agree at every random point evaluated.
    Agrees {
        /// How many random points.
        points: usize,
    },
    /// The sides differ at the counterexample (with certainty).
    Fails {
        /// Where they differ.
        counterexample: Counterexample,
        /// Whether algebra or sampling found the difference.
        by: Method,
    },
    /// Neither proven nor refuted.
    Undecided {
        /// Why, in words.
        reason: String,
    },
}

/// The report on one equality `left = right`.
///
/// ```
/// use kobai::{check_equal, read, CheckOptions, Verdict};
/// let o = CheckOptions::default();
/// let r = check_equal(&read("(3*a - 2)^2")?, &read("9*a^2 - 6*a + 4")?, &o)?;
/// assert!(!r.holds());
/// let Verdict::Fails { counterexample, .. } = &r.verdict else { panic!() };
/// assert_eq!(counterexample.point[0].1, kobai::Q::from(1));
/// assert_eq!(counterexample.right.exact.to_string(), "7");
/// assert_eq!(r.difference.to_string(), "-6*a");
/// assert_eq!(r.hint.as_ref().map(|h| h.kind()), Some("cross_term_halved"));
/// # Ok::<(), kobai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct EqualityReport {
    /// The left side as checked (for a derivative claim, the derivative).
    pub left: Expr,
    /// The right side.
    pub right: Expr,
    /// The variables of the claim, sorted by name.
    pub variables: Vec<Symbol>,
    /// The verdict.
    pub verdict: Verdict,
    /// `left − right`, simplified (zero when proven).
    pub difference: Expr,
    /// For a failed claim: the slip the difference matches exactly, if any.
    pub hint: Option<Hint>,
}

impl EqualityReport {
    /// True when proven or when every sample agrees.
    ///
    /// ```
    /// use kobai::{check_equal, read, CheckOptions};
    /// let r = check_equal(&read("exp(a+b)")?, &read("exp(a)*exp(b)")?, &CheckOptions::default())?;
    /// assert!(r.holds());
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn holds(&self) -> bool {
        matches!(self.verdict, Verdict::Proven { .. } | Verdict::Agrees { .. })
    }

    /// How the verdict was reached.
    ///
    /// ```
    /// use kobai::{check_equal, read, CheckOptions, Method};
    /// let r = check_equal(&read("sin(2*x)")?, &read("2*sin(x)*cos(x)")?, &CheckOptions::default())?;
    /// assert_eq!(r.method(), Method::Sampling);
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn method(&self) -> Method {
        match &self.verdict {
            Verdict::Proven { .. } => Method::Proof,
            Verdict::Fails { by, .. } => *by,
            Verdict::Agrees { .. } | Verdict::Undecided { .. } => Method::Sampling,
        }
    }

    /// The counterexample, for a failed claim.
    ///
    /// ```
    /// use kobai::{check_equal, read, CheckOptions};
    /// let r = check_equal(&read("sqrt(x^2)")?, &read("x")?, &CheckOptions::default())?;
    /// assert_eq!(r.counterexample().unwrap().point[0].1, kobai::Q::from(-1));
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn counterexample(&self) -> Option<&Counterexample> {
        match &self.verdict {
            Verdict::Fails { counterexample, .. } => Some(counterexample),
            Verdict::Proven { .. } | Verdict::Agrees { .. } | Verdict::Undecided { .. } => None,
        }
    }
}

/// What the text as written says about where it is defined: kobai's
/// canonical form cancels `x/x` to 1 and `sqrt(x)^2` to `x` as it reads
/// them, so the domain is taken from the syntax too.
#[derive(Debug, Clone, Default)]
pub(crate) struct Written {
    /// Divisors and bases of negative powers that contain variables.
    pub(crate) denominators: Vec<Expr>,
    /// True when a root, a logarithm or `tan` of a variable occurs.
    pub(crate) restricted: bool,
}

impl Written {
    /// Both sides' conditions.
    pub(crate) fn and(&self, other: &Written) -> Written {
        let mut out = self.clone();
        for d in &other.denominators {
            if !out.denominators.contains(d) {
                out.denominators.push(d.clone());
            }
        }
        out.restricted |= other.restricted;
        out
    }

    /// The conditions after substituting values (constant ones are dropped).
    pub(crate) fn bind(&self, bindings: &[(Symbol, Expr)]) -> Written {
        let denominators = self
            .denominators
            .iter()
            .filter_map(|d| subs(d, bindings).ok())
            .filter(|d| !d.symbols().is_empty())
            .collect();
        Written { denominators, restricted: self.restricted }
    }
}

/// What the left side of a comparison is, for hints.
#[derive(Clone, Copy)]
pub(crate) enum Context<'a> {
    /// Two expressions claimed equal.
    Equality,
    /// The left side is the derivative of `function`.
    Derivative { function: &'a Expr, var: Symbol, order: u32 },
}

/// Checks `left = right` for every value of the variables.
///
/// Hints read `left` as the expression worked from and `right` as the
/// result written down, unless `right` is the one with unexpanded powers.
///
/// ```
/// use kobai::{check_equal, read, CheckOptions, Proof, Verdict};
/// let o = CheckOptions::default();
/// let r = check_equal(&read("(3*a - 2)^2")?, &read("9*a^2 - 12*a + 4")?, &o)?;
/// assert!(matches!(&r.verdict, Verdict::Proven { proof: Proof::Expansion { form }, .. }
///     if form.to_string() == "9*a^2 - 12*a + 4"));
/// let r = check_equal(&read("(x^2 - 1)/(x - 1)")?, &read("x + 1")?, &o)?;
/// assert!(r.holds());
/// # Ok::<(), kobai::Error>(())
/// ```
pub fn check_equal(left: &Expr, right: &Expr, options: &CheckOptions) -> Result<EqualityReport> {
    compare(left, right, Context::Equality, &Written::default(), options)
}

/// Checks that the `order`-th derivative of `function` with respect to
/// `var` is `claimed`.
///
/// ```
/// use kobai::{check_derivative, read, CheckOptions, Symbol};
/// let o = CheckOptions::default();
/// let r = check_derivative(&read("(u*v - y)^2")?, Symbol::new("u"), 1, &read("2*(u*v - y)")?, &o)?;
/// assert!(!r.holds());
/// assert_eq!(r.hint.as_ref().map(|h| h.kind()), Some("missing_chain_factor"));
/// # Ok::<(), kobai::Error>(())
/// ```
pub fn check_derivative(
    function: &Expr,
    var: Symbol,
    order: u32,
    claimed: &Expr,
    options: &CheckOptions,
) -> Result<EqualityReport> {
    derivative_within(function, var, order, claimed, &Written::default(), options)
}

/// [`check_derivative`], with what the text as written says about the domain.
pub(crate) fn derivative_within(
    function: &Expr,
    var: Symbol,
    order: u32,
    claimed: &Expr,
    written: &Written,
    options: &CheckOptions,
) -> Result<EqualityReport> {
    let expected = derivative(function, var, order, &options.limits)?;
    compare(&expected, claimed, Context::Derivative { function, var, order }, written, options)
}

pub(crate) fn compare(
    left: &Expr,
    right: &Expr,
    ctx: Context<'_>,
    written: &Written,
    options: &CheckOptions,
) -> Result<EqualityReport> {
    let limits = &options.limits;
    let variables = symbols_of(&[left, right]);
    let domain = domain_of(&[left, right], written, limits)?;
    let report = |verdict: Verdict, difference: Expr, hint: Option<Hint>| EqualityReport {
        left: left.clone(),
        right: right.clone(),
        variables: variables.clone(),
        verdict,
        difference,
        hint,
    };
    // Algebra that reaches a limit gives way to sampling, which needs no
    // expansion.
    match algebra(left, right, ctx, &domain, limits) {
        Ok(Some((verdict, difference, hint))) => return Ok(report(verdict, difference, hint)),
        Ok(None) | Err(Error::Limit { .. }) => {}
        Err(other) => return Err(other),
    }
    let raw = Expr::sub(left, right);
    let difference = match tidy(&raw, limits) {
        Ok(d) => d,
        Err(Error::Limit { .. }) => raw,
        Err(other) => return Err(other),
    };
    Ok(match sample(left, right, &variables, options)? {
        Sampled::Differs(counterexample) => {
            let hint = hint_for(left, right, ctx, limits)?;
            report(Verdict::Fails { counterexample, by: Method::Sampling }, difference, hint)
        }
        Sampled::Agrees(points) => report(Verdict::Agrees { points }, difference, None),
        Sampled::Undecided(reason) => report(Verdict::Undecided { reason }, difference, None),
    })
}

/// Sides whose expansion would have more terms than this get no hint: a
/// hint is about a calculation done by hand.
const MAX_HINT_TERMS: u64 = 2000;

/// An upper bound on the number of terms of the expanded expression.
fn expanded_terms(e: &Expr) -> u64 {
    match e.node() {
        Node::Num(_) | Node::Sym(_) | Node::Call(..) => 1,
        Node::Sum { terms, .. } => terms.iter().map(|(t, _)| expanded_terms(t)).fold(1, u64::saturating_add),
        Node::Product { factors, .. } => factors.iter().map(|(b, x)| power_terms(b, x)).fold(1, u64::saturating_mul),
        Node::Pow(b, x) => power_terms(b, x),
    }
}

fn power_terms(b: &Expr, x: &Expr) -> u64 {
    let n = expanded_terms(b);
    match x.as_num().and_then(Q::to_i64) {
        // A sum of n terms to the k-th power has at most C(n + k - 1, k) terms.
        Some(k) if k > 1 && n > 1 => {
            let k = k.unsigned_abs();
            let mut acc: u64 = 1;
            for i in 0..k.min(n - 1) {
                acc = acc.saturating_mul(n - 1 + k - i) / (i + 1);
            }
            acc
        }
        Some(_) | None => n,
    }
}

/// The hint for a failed comparison; none when finding it reaches a limit.
fn hint_for(left: &Expr, right: &Expr, ctx: Context<'_>, limits: &Limits) -> Result<Option<Hint>> {
    if expanded_terms(left).saturating_add(expanded_terms(right)) > MAX_HINT_TERMS {
        return Ok(None);
    }
    match hints::find(left, right, ctx, limits) {
        Err(Error::Limit { .. }) => Ok(None),
        other => other,
    }
}

/// The exact decision, when algebra reaches one: the verdict, the
/// difference and the hint.
fn algebra(
    left: &Expr,
    right: &Expr,
    ctx: Context<'_>,
    domain: &Domain,
    limits: &Limits,
) -> Result<Option<(Verdict, Expr, Option<Hint>)>> {
    let proven = |proof: Proof| Some((Verdict::Proven { proof, domain: domain.clone() }, Expr::zero(), None));
    let raw = Expr::sub(left, right);
    if raw.is_zero() {
        let proof = match (left.is_polynomial(), expand(left, limits)) {
            (true, Ok(form)) => Proof::Expansion { form },
            (_, Ok(_) | Err(Error::Limit { .. })) => {
                Proof::Canonical { form: crate::simplify::simplify(left, limits)? }
            }
            (_, Err(other)) => return Err(other),
        };
        return Ok(proven(proof));
    }
    if left.is_polynomial() && right.is_polynomial() {
        // The difference is expanded rather than each side: when the sides
        // share their large parts, it is much the smaller.
        let gens: Vec<Expr> = symbols_of(&[left, right]).into_iter().map(Expr::sym).collect();
        let d = Poly::from_expr(&raw, &gens, limits)?;
        if d.is_zero() {
            return Ok(proven(Proof::Expansion { form: Poly::from_expr(left, &gens, limits)?.to_expr() }));
        }
        if let Some(counterexample) = exact_counterexample(left, right, &d)? {
            let hint = hint_for(left, right, ctx, limits)?;
            // The shorter of the expanded and the canonical difference.
            let difference = crate::simplify::simplify(&raw, limits)?;
            return Ok(Some((Verdict::Fails { counterexample, by: Method::Proof }, difference, hint)));
        }
    }
    if expand(&raw, limits).is_ok_and(|x| x.is_zero()) {
        return Ok(proven(Proof::Canonical { form: tidy(left, limits)? }));
    }
    let mut forms = Forms::new(&[left, right], limits)?;
    let Some(cmp) = forms.compare(left, right)? else { return Ok(None) };
    if cmp.numerator.is_zero() {
        let proof = if cmp.used.is_empty() { Proof::Rational } else { Proof::Identities { used: cmp.used } };
        return Ok(proven(proof));
    }
    if !cmp.exact {
        return Ok(None);
    }
    let mut witness = cmp.numerator.clone();
    for d in &cmp.denominators {
        witness = witness.mul(d, limits)?;
    }
    // The common denominator, in factors as the sides have them.
    let den = Expr::product(
        cmp.left.den.iter().chain(&cmp.right.den).map(|(b, k)| Expr::pow(&b.to_expr(), &Expr::int(i64::from(*k)))),
    );
    let difference = Expr::div(&cmp.numerator.to_expr(), &den);
    Ok(match exact_counterexample(left, right, &witness)? {
        Some(counterexample) => {
            let hint = hint_for(left, right, ctx, limits)?;
            Some((Verdict::Fails { counterexample, by: Method::Proof }, difference, hint))
        }
        None => None,
    })
}

/// The variables of several expressions, sorted and distinct.
pub(crate) fn symbols_of(es: &[&Expr]) -> Vec<Symbol> {
    let mut all: Vec<Symbol> = es.iter().flat_map(|e| e.symbols()).collect();
    all.sort();
    all.dedup();
    all
}

/// `Everywhere`, unless a side divides by something that can vanish or
/// uses a function with a restricted domain.
fn domain_of(sides: &[&Expr], written: &Written, limits: &Limits) -> Result<Domain> {
    let mut found = written.denominators.clone();
    let mut restricted = written.restricted;
    for side in sides {
        collect_domain(side, &mut found, &mut restricted, limits)?;
    }
    let mut denominators = Vec::new();
    for d in &found {
        for c in conditions(&tidy(d, limits)?) {
            if !denominators.contains(&c) {
                denominators.push(c);
            }
        }
    }
    if denominators.is_empty() && !restricted {
        Ok(Domain::Everywhere)
    } else {
        Ok(Domain::WhereDefined { denominators })
    }
}

/// The factors whose vanishing makes `d` vanish: `x*(x - 1)^2` gives `x`
/// and `x - 1`; constants and factors that are certainly positive
/// (`exp(-x) + 1`) give nothing.
fn conditions(d: &Expr) -> Vec<Expr> {
    match d.node() {
        Node::Num(_) => Vec::new(),
        Node::Product { factors, .. } => factors.iter().flat_map(|(b, _)| conditions(b)).collect(),
        Node::Pow(b, _) => conditions(b),
        Node::Sym(_) | Node::Sum { .. } | Node::Call(..) => {
            if certainly_positive(d) {
                Vec::new()
            } else {
                vec![d.clone()]
            }
        }
    }
}

/// True for expressions positive for every value of their variables.
fn certainly_positive(e: &Expr) -> bool {
    match e.node() {
        Node::Num(q) => !q.is_negative() && !q.is_zero(),
        Node::Sym(_) => false,
        Node::Sum { constant, terms } => {
            !constant.is_negative() && terms.iter().all(|(t, c)| !c.is_negative() && certainly_positive(t))
        }
        Node::Product { coeff, factors } => !coeff.is_negative() && factors.iter().all(|(b, _)| certainly_positive(b)),
        Node::Pow(b, _) => certainly_positive(b),
        Node::Call(f, _) => match f {
            Func::Exp | Func::Sigmoid => true,
            Func::Ln | Func::Sin | Func::Cos | Func::Tan | Func::Tanh | Func::Abs | Func::Sign => false,
        },
    }
}

fn collect_domain(e: &Expr, dens: &mut Vec<Expr>, restricted: &mut bool, limits: &Limits) -> Result<()> {
    let power = |b: &Expr, x: &Expr, dens: &mut Vec<Expr>, restricted: &mut bool| -> Result<()> {
        if b.symbols().is_empty() {
            return Ok(());
        }
        match x.as_num() {
            Some(q) if q.is_integer() && q.is_negative() => {
                let base = tidy(b, limits)?;
                if !dens.contains(&base) {
                    dens.push(base);
                }
            }
            Some(q) if q.is_integer() => {}
            Some(_) | None => *restricted = true,
        }
        Ok(())
    };
    match e.node() {
        Node::Num(_) | Node::Sym(_) => Ok(()),
        Node::Sum { terms, .. } => {
            for (t, _) in terms {
                collect_domain(t, dens, restricted, limits)?;
            }
            Ok(())
        }
        Node::Product { factors, .. } => {
            for (b, x) in factors {
                power(b, x, dens, restricted)?;
                collect_domain(b, dens, restricted, limits)?;
                collect_domain(x, dens, restricted, limits)?;
            }
            Ok(())
        }
        Node::Pow(b, x) => {
            power(b, x, dens, restricted)?;
            collect_domain(b, dens, restricted, limits)?;
            collect_domain(x, dens, restricted, limits)
        }
        Node::Call(f, a) => {
            match f {
                Func::Ln | Func::Tan => *restricted = true,
                Func::Exp | Func::Sin | Func::Cos | Func::Tanh | Func::Sigmoid | Func::Abs | Func::Sign => {}
            }
            collect_domain(a, dens, restricted, limits)
        }
    }
}

/// Substitutes a point into both sides; `None` when either side is not
/// defined there.
fn values_at(left: &Expr, right: &Expr, point: &[(Symbol, Q)]) -> Option<(Expr, Expr)> {
    let bindings: Vec<(Symbol, Expr)> = point.iter().map(|(s, q)| (*s, Expr::num(q.clone()))).collect();
    let l = subs(left, &bindings).ok()?;
    let r = subs(right, &bindings).ok()?;
    Some((l, r))
}

/// An exact counterexample to `left = right` for sides that are rational
/// functions of the variables, given a non-zero polynomial `witness` (the
/// difference's numerator times the denominators) in those variables:
/// small integers first, then a guaranteed non-root of the witness.
fn exact_counterexample(left: &Expr, right: &Expr, witness: &Poly) -> Result<Option<Counterexample>> {
    let Some(vars) = witness.generators().iter().map(Expr::as_sym).collect::<Option<Vec<Symbol>>>() else {
        return Ok(None);
    };
    let check = |values: &[Q]| -> Option<Counterexample> {
        let point: Vec<(Symbol, Q)> = vars.iter().copied().zip(values.iter().cloned()).collect();
        let (l, r) = values_at(left, right, &point)?;
        match (l.as_num(), r.as_num()) {
            (Some(a), Some(b)) if a != b => Some(Counterexample {
                point,
                left: SideValue { exact: l.clone(), approx: None },
                right: SideValue { exact: r.clone(), approx: None },
            }),
            _ => None,
        }
    };
    for values in small_points(vars.len(), 64) {
        if witness.eval(&values).is_ok_and(|v| !v.is_zero())
            && let Some(cx) = check(&values)
        {
            return Ok(Some(cx));
        }
    }
    Ok(nonroot(witness).and_then(|values| check(&values)))
}

/// Working precision of interval evaluation, in bits after the point.
pub(crate) const SAMPLE_BITS: u64 = 128;

/// Enclosures that overlap count as agreement when narrower than
/// `2^-AGREEMENT_BITS` times the larger of 1 and the value (19 digits).
pub(crate) const AGREEMENT_BITS: u64 = 64;
/// Enclosures that agree must also be narrower than 2^-this absolutely.
pub(crate) const AGREEMENT_FLOOR_BITS: u64 = 16;

/// How many small-integer points sampling tries before random ones.
const SMALL_POINTS: usize = 20;

enum Sampled {
    Differs(Counterexample),
    Agrees(usize),
    Undecided(String),
}

/// The decimal shown for a value known by an enclosure.
fn approximate(value: &Expr, enclosure: &Interval) -> Option<String> {
    if value.as_num().is_some() {
        return None;
    }
    Some(Q::from_big(enclosure.midpoint()).to_decimal_string(12))
}

/// Compares the sides at one point: `Some(Ok(cx))` when they certainly
/// differ, `Some(Err(()))` when they agree to the working precision, `None`
/// when either is undefined or undecidable there.
fn compare_at(
    arith: &Arith,
    left: &Expr,
    right: &Expr,
    point: Vec<(Symbol, Q)>,
) -> Option<std::result::Result<Counterexample, ()>> {
    let li = arith.enclose_at(left, &point).ok()?;
    let ri = arith.enclose_at(right, &point).ok()?;
    let (l, r) = values_at(left, right, &point)?;
    // Rational values are compared exactly: at 2^6104 an enclosure of
    // 128 bits cannot tell E from E + 1.
    let exact = match (l.as_num(), r.as_num()) {
        (Some(a), Some(b)) => Some(a == b),
        _ => None,
    };
    if exact == Some(false) || (exact.is_none() && li.disjoint(&ri)) {
        let left = SideValue { approx: approximate(&l, &li), exact: l };
        let right = SideValue { approx: approximate(&r, &ri), exact: r };
        return Some(Ok(Counterexample { point, left, right }));
    }
    if exact == Some(true) {
        return Some(Err(()));
    }
    // Overlapping enclosures count as agreement only when they are narrow,
    // relative to the values and also absolutely, so that a difference of
    // more than 2^-AGREEMENT_FLOOR_BITS would have separated them: `sin` of
    // a huge argument may be known only to lie in [-1, 1], and a huge value
    // only to its leading 128 bits.
    let narrow = |i: &Interval| i.narrow(AGREEMENT_BITS) && i.narrow_absolutely(AGREEMENT_FLOOR_BITS);
    (narrow(&li) && narrow(&ri)).then_some(Err(()))
}

fn sample(left: &Expr, right: &Expr, vars: &[Symbol], options: &CheckOptions) -> Result<Sampled> {
    let arith = Arith::new(SAMPLE_BITS);
    let at = |values: Vec<Q>| -> Vec<(Symbol, Q)> { vars.iter().copied().zip(values).collect() };
    for values in small_points(vars.len(), SMALL_POINTS) {
        if let Some(Ok(cx)) = compare_at(&arith, left, right, at(values)) {
            return Ok(Sampled::Differs(cx));
        }
    }
    if vars.is_empty() {
        // A claim about numbers: one evaluation decides what sampling can.
        return Ok(match compare_at(&arith, left, right, Vec::new()) {
            Some(Ok(cx)) => Sampled::Differs(cx),
            Some(Err(())) => Sampled::Agrees(1),
            None => Sampled::Undecided("a side is not defined, or too large to evaluate".into()),
        });
    }
    let mut random = Random::new(options.seed);
    let mut agreed = 0;
    let mut attempts = 0;
    while agreed < options.samples && attempts < options.samples.saturating_mul(4).max(8) {
        attempts += 1;
        let values: Vec<Q> = vars.iter().map(|_| random.rational()).collect();
        match compare_at(&arith, left, right, at(values)) {
            Some(Ok(cx)) => return Ok(Sampled::Differs(cx)),
            Some(Err(())) => agreed += 1,
            None => {}
        }
    }
    if agreed == 0 {
        return Ok(Sampled::Undecided(
            "no proof was found, and at every point tried a side is undefined or could not be evaluated".into(),
        ));
    }
    Ok(Sampled::Agrees(agreed))
}

/// Whether a variable-free expression is zero: `Some(true)` proven,
/// `Some(false)` certainly not, `None` undecided.
pub(crate) fn is_zero(e: &Expr, limits: &Limits) -> Result<Option<bool>> {
    if e.is_zero() {
        return Ok(Some(true));
    }
    if e.as_num().is_some() {
        return Ok(Some(false));
    }
    if expand(e, limits).is_ok_and(|x| x.is_zero()) {
        return Ok(Some(true));
    }
    let proven = Forms::new(&[e], limits).and_then(|mut forms| forms.compare(e, &Expr::zero()));
    match proven {
        Ok(Some(cmp)) if cmp.numerator.is_zero() => return Ok(Some(true)),
        Ok(_) | Err(Error::Limit { .. }) => {}
        Err(other) => return Err(other),
    }
    Ok(match Arith::new(SAMPLE_BITS).enclose(e) {
        Ok(i) if i.excludes_zero() => Some(false),
        Ok(_) | Err(Failure::Unknown) | Err(Failure::Undefined) => None,
    })
}

/// The value of a variable-free expression for display.
pub(crate) fn side_value(e: &Expr) -> SideValue {
    let approx = if e.as_num().is_some() {
        None
    } else {
        Arith::new(SAMPLE_BITS).enclose(e).ok().and_then(|i| approximate(e, &i))
    };
    SideValue { exact: e.clone(), approx }
}
