//! Fitting weights to data: a loss summed (or averaged) over the rows of a
//! dataset, built by streaming, and its exact zero-gradient point.
//!
//! [`LossSum`] expands the loss once as a polynomial in the weights and the
//! data variables, and keeps one exact running sum per distinct monomial in
//! the data (`Σ 1`, `Σ x`, `Σ x·t`, `Σ t²`, ...). Each row adds to those
//! sums and nothing else, so memory does not grow with the number of rows;
//! at the end the summed loss is the template with the sums put in. A loss
//! whose data variables occur inside functions (`1/x`, `abs(x)`) cannot be
//! expanded that way; each row's values are then substituted and the
//! resulting polynomial in the weights is added to a running total.

use std::collections::HashMap;
use std::io::Read;

use crate::data::{CsvReader, DataError};
use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::limits::Limits;
use crate::number::Q;
use crate::poly::Poly;
use crate::solve::stationary::{SolveOptions, StationaryReport, stationary_points};
use crate::subs::subs;
use crate::symbol::Symbol;

/// A loss summed over data rows, accumulated one row at a time.
///
/// ```
/// use kobai::{read, LossSum, Limits, Q, Symbol};
/// let loss = read("(w0 + w1*x - t)^2")?;
/// let (weights, data) = ([Symbol::new("w0"), Symbol::new("w1")], [Symbol::new("x"), Symbol::new("t")]);
/// let mut sum = LossSum::new(&loss, &weights, &data, &Limits::default())?;
/// for (x, t) in [(1, 2), (2, 3), (3, 5), (4, 6)] {
///     sum.add_row(&[Q::from(x), Q::from(t)])?;
/// }
/// assert_eq!(sum.rows(), 4);
/// assert_eq!(sum.total()?.to_string(), "4*w0^2 + 20*w0*w1 + 30*w1^2 - 32*w0 - 94*w1 + 74");
/// assert_eq!(sum.mean()?.to_string(), "w0^2 + 5*w0*w1 + 15*w1^2/2 - 8*w0 - 47*w1/2 + 37/2");
/// # Ok::<(), kobai::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct LossSum {
    weights: Vec<Expr>,
    data: Vec<Symbol>,
    rows: u64,
    limits: Limits,
    accumulation: Accumulation,
}

/// A coefficient as a combination of data monomials: `(moment, factor)`.
type Combination = Vec<(usize, Q)>;

/// Each data variable and the index of its column.
type ColumnIndices = Vec<(Symbol, usize)>;

/// The running sums of the data monomials.
///
/// While the values fit, each data variable's values are kept as integers
/// `v·scale` for a common denominator `scale` of the values seen so far
/// (a power of ten for decimal data), and each sum as an `i128` of such
/// integers: adding a row then costs a few machine multiplications, with no
/// gcd. A value with a new denominator rescales the sums once; an overflow
/// turns them into exact rationals for the remaining rows.
#[derive(Debug, Clone)]
enum MomentSums {
    Scaled(Box<ScaledSums>),
    Exact(Vec<Q>),
}

#[derive(Debug, Clone)]
struct ScaledSums {
    /// The scale of each data variable.
    scales: Vec<i64>,
    /// Each sum, times the product of the scales to its exponents.
    sums: Vec<i128>,
    /// The powers of the current row's scaled values, all variables in one
    /// array: variable `v` to the power `k` at `offsets[v] + k`.
    powers: Vec<i128>,
    offsets: Vec<usize>,
    /// For each moment, the range of `factors` that lists the entries of
    /// `powers` it multiplies.
    spans: Vec<(usize, usize)>,
    factors: Vec<usize>,
    /// The largest total degree of a moment.
    max_degree: u64,
    /// `scale / d` for the small denominators `d` seen so far, variable `v`'s
    /// at `v * SMALL_DENOMINATORS + d` (0 when not yet known), to spare a
    /// division per value.
    multipliers: Vec<i64>,
}

/// Denominators below this have their multipliers remembered.
const SMALL_DENOMINATORS: usize = 128;

impl MomentSums {
    fn new(moments: &[Vec<(usize, u32)>], max_power: &[u32]) -> MomentSums {
        let mut offsets = Vec::with_capacity(max_power.len());
        let mut size = 0;
        for &k in max_power {
            offsets.push(size);
            size += k as usize + 1;
        }
        let mut spans = Vec::with_capacity(moments.len());
        let mut factors = Vec::new();
        let mut max_degree = 0;
        for m in moments {
            let start = factors.len();
            factors.extend(m.iter().map(|&(v, k)| offsets.get(v).copied().unwrap_or(0) + k as usize));
            spans.push((start, factors.len()));
            max_degree = max_degree.max(m.iter().map(|&(_, k)| u64::from(k)).sum());
        }
        MomentSums::Scaled(Box::new(ScaledSums {
            scales: vec![1; max_power.len()],
            sums: vec![0; moments.len()],
            powers: vec![0; size],
            offsets,
            spans,
            factors,
            max_degree,
            multipliers: vec![0; max_power.len() * SMALL_DENOMINATORS],
        }))
    }

    /// Adds one row of values (one per data variable).
    fn add_row(&mut self, values: &[Q], moments: &[Vec<(usize, u32)>], max_power: &[u32]) {
        if let MomentSums::Scaled(scaled) = self
            && scaled.add_row(values, moments).is_none()
        {
            // Some number no longer fits: continue exactly.
            let exact = self.exact(moments);
            *self = MomentSums::Exact(exact);
        }
        if let MomentSums::Exact(sums) = self {
            add_exact_row(sums, values, moments, max_power);
        }
    }

    /// The sums as exact rationals.
    fn exact(&self, moments: &[Vec<(usize, u32)>]) -> Vec<Q> {
        match self {
            MomentSums::Exact(sums) => sums.clone(),
            MomentSums::Scaled(scaled) => scaled
                .sums
                .iter()
                .zip(moments)
                .map(|(s, m)| {
                    let scale = m.iter().fold(Q::one(), |acc, &(v, k)| {
                        let of_v = Q::from(scaled.scales.get(v).copied().unwrap_or(1));
                        acc.mul(&of_v.pow(i64::from(k)).unwrap_or_default())
                    });
                    Q::from_i128(*s).div(&scale).unwrap_or_default()
                })
                .collect(),
        }
    }
}

impl ScaledSums {
    /// Adds a row; `None` (with the sums unchanged, or rescaled together
    /// with their scales) when a number would not fit.
    fn add_row(&mut self, values: &[Q], moments: &[Vec<(usize, u32)>]) -> Option<()> {
        let mut widest = 0;
        for (v, value) in values.iter().enumerate() {
            let (n, d) = value.small_parts()?;
            let cached = usize::try_from(d)
                .ok()
                .filter(|&d| d < SMALL_DENOMINATORS)
                .and_then(|d| self.multipliers.get(v * SMALL_DENOMINATORS + d).copied())
                .filter(|&m| m != 0);
            let multiplier = match cached {
                Some(m) => m,
                None => {
                    let scale = *self.scales.get(v)?;
                    if scale % d != 0 {
                        self.rescale(v, d / num_integer::gcd(scale, d), moments)?;
                    }
                    let m = *self.scales.get(v)? / d;
                    if let Some(slot) = usize::try_from(d)
                        .ok()
                        .filter(|&d| d < SMALL_DENOMINATORS)
                        .and_then(|d| self.multipliers.get_mut(v * SMALL_DENOMINATORS + d))
                    {
                        *slot = m;
                    }
                    m
                }
            };
            let x = i128::from(n).checked_mul(i128::from(multiplier))?;
            widest = widest.max(128 - x.unsigned_abs().leading_zeros());
            let (start, end) = (*self.offsets.get(v)?, self.offsets.get(v + 1).copied().unwrap_or(self.powers.len()));
            let mut acc: i128 = 1;
            for (j, slot) in self.powers.get_mut(start..end)?.iter_mut().enumerate() {
                if j > 0 {
                    acc = acc.checked_mul(x)?;
                }
                *slot = acc;
            }
        }
        if u64::from(widest) * self.max_degree <= 62 {
            // Every term fits in 63 bits: multiply without checks.
            for (s, &(start, end)) in self.sums.iter_mut().zip(&self.spans) {
                let mut t: i64 = 1;
                for &f in self.factors.get(start..end)? {
                    t *= *self.powers.get(f)? as i64;
                }
                *s = s.checked_add(i128::from(t))?;
            }
            return Some(());
        }
        let term = |(start, end): (usize, usize)| -> Option<i128> {
            let mut t: i128 = 1;
            for &f in self.factors.get(start..end)? {
                t = t.checked_mul(*self.powers.get(f)?)?;
            }
            Some(t)
        };
        for i in 0..self.sums.len() {
            let added = term(*self.spans.get(i)?).and_then(|t| self.sums.get(i)?.checked_add(t));
            match added {
                Some(new) => *self.sums.get_mut(i)? = new,
                None => {
                    // All or nothing: take back this row's terms.
                    for j in 0..i {
                        let t = term(*self.spans.get(j)?).unwrap_or(0);
                        *self.sums.get_mut(j)? -= t;
                    }
                    return None;
                }
            }
        }
        Some(())
    }

    /// Multiplies the scale of variable `v` by `factor`, and every sum by
    /// `factor` to the exponent of `v` in its moment.
    fn rescale(&mut self, v: usize, factor: i64, moments: &[Vec<(usize, u32)>]) -> Option<()> {
        let new_scale = self.scales.get(v)?.checked_mul(factor)?;
        let mut rescaled = self.sums.clone();
        for (s, m) in rescaled.iter_mut().zip(moments) {
            if let Some(&(_, k)) = m.iter().find(|(w, _)| *w == v) {
                *s = s.checked_mul(i128::from(factor).checked_pow(k)?)?;
            }
        }
        self.sums = rescaled;
        *self.scales.get_mut(v)? = new_scale;
        // The remembered multipliers of `v` are for the old scale.
        for m in self.multipliers.iter_mut().skip(v * SMALL_DENOMINATORS).take(SMALL_DENOMINATORS) {
            *m = 0;
        }
        Some(())
    }
}

fn add_exact_row(sums: &mut [Q], values: &[Q], moments: &[Vec<(usize, u32)>], max_power: &[u32]) {
    // Powers of each value, computed once per row.
    let powers: Vec<Vec<Q>> = values
        .iter()
        .zip(max_power.iter())
        .map(|(v, &top)| {
            let mut p = Vec::with_capacity(top as usize + 1);
            let mut acc = Q::one();
            p.push(acc.clone());
            for _ in 0..top {
                acc = acc.mul(v);
                p.push(acc.clone());
            }
            p
        })
        .collect();
    for (m, sum) in moments.iter().zip(sums.iter_mut()) {
        let mut term = Q::one();
        for &(v, k) in m {
            if let Some(x) = powers.get(v).and_then(|p| p.get(k as usize)) {
                term = term.mul(x);
            }
        }
        *sum = sum.add(&term);
    }
}

#[derive(Debug, Clone)]
enum Accumulation {
    /// The loss is a polynomial in weights and data.
    Moments {
        /// For each monomial in the weights, its coefficient as a combination
        /// of the data monomials: `(index into moments, coefficient)`.
        template: Vec<(Vec<u32>, Combination)>,
        /// The distinct data monomials, as `(data variable, exponent)` pairs
        /// with nonzero exponents.
        moments: Vec<Vec<(usize, u32)>>,
        /// The running sum of each data monomial over the rows.
        sums: MomentSums,
        /// The highest power of each data variable that occurs.
        max_power: Vec<u32>,
    },
    /// The data occur inside functions: substitute each row and add.
    PerRow {
        /// The loss.
        loss: Expr,
        /// The running total, a polynomial in the weights.
        total: Poly,
    },
}

impl LossSum {
    /// Prepares to sum `loss` over rows that give values to `data`, as a
    /// polynomial in `weights`. Every variable of the loss must be among
    /// the two; the loss must be a polynomial in the weights.
    ///
    /// ```
    /// use kobai::{read, LossSum, Limits, Symbol};
    /// let err = LossSum::new(&read("(w*x - t)^2")?, &[Symbol::new("w")], &[Symbol::new("x")], &Limits::default());
    /// assert!(err.unwrap_err().to_string().contains("`t`"));
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn new(loss: &Expr, weights: &[Symbol], data: &[Symbol], limits: &Limits) -> Result<LossSum> {
        for s in loss.symbols() {
            if !weights.contains(&s) && !data.contains(&s) {
                return Err(Error::Usage {
                    message: format!("`{s}` is neither a weight nor a data column; give it a value with --at"),
                });
            }
        }
        let weight_gens: Vec<Expr> = weights.iter().map(|w| Expr::sym(*w)).collect();
        let mut gens = weight_gens.clone();
        gens.extend(data.iter().map(|d| Expr::sym(*d)));
        let accumulation = match Poly::from_expr(loss, &gens, limits) {
            Ok(template) => moments_of(&template, weights.len(), data.len()),
            Err(e @ Error::Limit { .. }) => return Err(e),
            Err(_) => {
                // The data occur inside functions (or the weights do, which
                // the first row will report): fall back to substituting.
                Accumulation::PerRow { loss: loss.clone(), total: Poly::zero(&weight_gens) }
            }
        };
        Ok(LossSum { weights: weight_gens, data: data.to_vec(), rows: 0, limits: *limits, accumulation })
    }

    /// True when the loss was expanded once and each row only adds to the
    /// sums of the data monomials (the fast path); false when each row is
    /// substituted into the loss.
    ///
    /// ```
    /// use kobai::{read, LossSum, Limits, Symbol};
    /// let (w, x) = ([Symbol::new("w")], [Symbol::new("x")]);
    /// assert!(LossSum::new(&read("(w*x - 1)^2")?, &w, &x, &Limits::default())?.is_streaming_moments());
    /// assert!(!LossSum::new(&read("(w/x - 1)^2")?, &w, &x, &Limits::default())?.is_streaming_moments());
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn is_streaming_moments(&self) -> bool {
        matches!(self.accumulation, Accumulation::Moments { .. })
    }

    /// Adds one row: a value for each data variable, in the order given to
    /// [`LossSum::new`].
    ///
    /// ```
    /// use kobai::{read, LossSum, Limits, Q, Symbol};
    /// let mut s = LossSum::new(&read("(w - t)^2")?, &[Symbol::new("w")], &[Symbol::new("t")], &Limits::default())?;
    /// s.add_row(&[Q::from(3)])?;
    /// assert!(s.add_row(&[]).is_err());
    /// assert_eq!(s.total()?.to_string(), "w^2 - 6*w + 9");
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn add_row(&mut self, values: &[Q]) -> Result<()> {
        if values.len() != self.data.len() {
            return Err(Error::Usage {
                message: format!("a row needs {} values, but {} were given", self.data.len(), values.len()),
            });
        }
        match &mut self.accumulation {
            Accumulation::Moments { moments, sums, max_power, .. } => sums.add_row(values, moments, max_power),
            Accumulation::PerRow { loss, total } => {
                let bindings: Vec<(Symbol, Expr)> =
                    self.data.iter().zip(values).map(|(s, v)| (*s, Expr::num(v.clone()))).collect();
                let at_row = subs(loss, &bindings)?;
                let p = Poly::from_expr(&at_row, &self.weights, &self.limits).map_err(|e| match e {
                    Error::Usage { message } => {
                        Error::Usage { message: format!("{message} (the loss must be a polynomial in the weights)") }
                    }
                    other => other,
                })?;
                *total = total.add(&p);
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// The number of rows added.
    ///
    /// ```
    /// use kobai::{read, LossSum, Limits, Symbol};
    /// let s = LossSum::new(&read("w^2")?, &[Symbol::new("w")], &[], &Limits::default())?;
    /// assert_eq!(s.rows(), 0);
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// The loss summed over the rows, a polynomial in the weights.
    ///
    /// ```
    /// use kobai::{read, LossSum, Limits, Q, Symbol};
    /// let mut s = LossSum::new(&read("(w*x - 1)^2")?, &[Symbol::new("w")], &[Symbol::new("x")], &Limits::default())?;
    /// s.add_row(&[Q::from(1)])?;
    /// s.add_row(&[Q::from(2)])?;
    /// assert_eq!(s.total()?.to_string(), "5*w^2 - 6*w + 2");
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn total(&self) -> Result<Poly> {
        match &self.accumulation {
            Accumulation::Moments { template, sums, moments, .. } => {
                let sums = sums.exact(moments);
                let n = self.weights.len();
                let mut terms = Vec::with_capacity(template.len());
                for (weight_exps, combination) in template {
                    let mut c = Q::zero();
                    for (moment, coeff) in combination {
                        if let Some(s) = sums.get(*moment) {
                            c = c.add(&coeff.mul(s));
                        }
                    }
                    if c.bits() > self.limits.max_number_bits {
                        return Err(Error::Limit {
                            what: "size of a number",
                            limit: self.limits.max_number_bits,
                            reached: format!("a summed coefficient of {} bits", c.bits()),
                            flag: "--max-number-bits",
                        });
                    }
                    terms.push((weight_exps.clone(), c));
                }
                Poly::from_terms(&self.weights, terms)
                    .ok_or_else(|| Error::Unsupported { reason: format!("internal: a monomial without {n} exponents") })
            }
            Accumulation::PerRow { total, .. } => Ok(total.clone()),
        }
    }

    /// The loss averaged over the rows (the total divided by the number of
    /// rows); an error when no row was added.
    ///
    /// ```
    /// use kobai::{read, LossSum, Limits, Q, Symbol};
    /// let mut s = LossSum::new(&read("(w - t)^2")?, &[Symbol::new("w")], &[Symbol::new("t")], &Limits::default())?;
    /// assert!(s.mean().is_err());
    /// s.add_row(&[Q::from(1)])?;
    /// s.add_row(&[Q::from(2)])?;
    /// assert_eq!(s.mean()?.to_string(), "w^2 - 3*w + 5/2");
    /// # Ok::<(), kobai::Error>(())
    /// ```
    pub fn mean(&self) -> Result<Poly> {
        let n = i64::try_from(self.rows).map_err(|_| Error::Usage { message: "too many rows".into() })?;
        if n == 0 {
            return Err(Error::Usage { message: "the mean over no rows is not defined".into() });
        }
        Ok(self.total()?.scale(&Q::new(1, n)))
    }
}

/// Splits the expanded template into weight monomials with coefficients
/// that combine data monomials.
fn moments_of(template: &Poly, n_weights: usize, n_data: usize) -> Accumulation {
    let mut moment_index: HashMap<Vec<u32>, usize> = HashMap::new();
    let mut moments: Vec<Vec<(usize, u32)>> = Vec::new();
    let mut by_weights: Vec<(Vec<u32>, Combination)> = Vec::new();
    let mut weight_index: HashMap<Vec<u32>, usize> = HashMap::new();
    let mut max_power = vec![0u32; n_data];
    for (e, c) in template.terms() {
        let (w, d) = e.split_at(n_weights.min(e.len()));
        let m = *moment_index.entry(d.to_vec()).or_insert_with(|| {
            moments.push(d.iter().enumerate().filter(|(_, k)| **k > 0).map(|(v, k)| (v, *k)).collect());
            moments.len() - 1
        });
        for (top, &k) in max_power.iter_mut().zip(d) {
            *top = (*top).max(k);
        }
        let slot = *weight_index.entry(w.to_vec()).or_insert_with(|| {
            by_weights.push((w.to_vec(), Vec::new()));
            by_weights.len() - 1
        });
        if let Some((_, combination)) = by_weights.get_mut(slot) {
            combination.push((m, c.clone()));
        }
    }
    let sums = MomentSums::new(&moments, &max_power);
    Accumulation::Moments { template: by_weights, moments, sums, max_power }
}

/// How to fit: which variables are the weights, which column gives each
/// data variable its values, whether to average, and how to solve.
///
/// ```
/// use kobai::{FitOptions, Symbol};
/// let o = FitOptions::default()
///     .with_weights(vec![Symbol::new("w0"), Symbol::new("w1")])
///     .with_column(Symbol::new("x"), "size")
///     .with_mean(true);
/// assert!(o.mean);
/// assert_eq!(o.columns, [(Symbol::new("x"), "size".to_string())]);
/// ```
#[derive(Debug, Clone, Default)]
pub struct FitOptions {
    /// The weights to solve for; empty means every variable of the loss that
    /// is not a column of the data (nor renamed to one).
    pub weights: Vec<Symbol>,
    /// Data variables read from a column of another name (`x` from `size`);
    /// any other data variable is read from the column of its own name.
    pub columns: Vec<(Symbol, String)>,
    /// Average the loss over the rows instead of summing it.
    pub mean: bool,
    /// Limits and digits for solving.
    pub solve: SolveOptions,
}

impl FitOptions {
    /// Sets [`FitOptions::weights`].
    ///
    /// ```
    /// let o = kobai::FitOptions::default().with_weights(vec![kobai::Symbol::new("w")]);
    /// assert_eq!(o.weights.len(), 1);
    /// ```
    pub fn with_weights(mut self, weights: Vec<Symbol>) -> FitOptions {
        self.weights = weights;
        self
    }

    /// Reads the data variable `var` from the column `column`.
    ///
    /// ```
    /// let o = kobai::FitOptions::default().with_column(kobai::Symbol::new("t"), "price");
    /// assert_eq!(o.columns[0].1, "price");
    /// ```
    pub fn with_column(mut self, var: Symbol, column: &str) -> FitOptions {
        self.columns.push((var, column.to_string()));
        self
    }

    /// Sets [`FitOptions::mean`].
    ///
    /// ```
    /// assert!(kobai::FitOptions::default().with_mean(true).mean);
    /// ```
    pub fn with_mean(mut self, mean: bool) -> FitOptions {
        self.mean = mean;
        self
    }

    /// Sets [`FitOptions::solve`].
    ///
    /// ```
    /// let o = kobai::FitOptions::default().with_solve(kobai::SolveOptions::default().with_digits(5));
    /// assert_eq!(o.solve.digits, 5);
    /// ```
    pub fn with_solve(mut self, solve: SolveOptions) -> FitOptions {
        self.solve = solve;
        self
    }
}

/// Why a fit failed: the data could not be read, or the loss could not be
/// summed or solved.
///
/// ```
/// use kobai::{fit, read, CsvReader, DataError, FitError, FitOptions, Symbol};
/// let mut data = CsvReader::new("d.csv", "x\n1\n".as_bytes()).unwrap();
/// let options = FitOptions::default().with_weights(vec![Symbol::new("w")]);
/// let err = fit(&read("(w*x - t)^2").unwrap(), &mut data, &options).unwrap_err();
/// assert!(matches!(err, FitError::Data(DataError::MissingColumn { .. })));
/// assert_eq!(err.to_string(), "d.csv has no column `t`; its columns are x");
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FitError {
    /// The dataset could not be read.
    #[error(transparent)]
    Data(#[from] DataError),
    /// Summing or solving failed.
    #[error(transparent)]
    Math(#[from] Error),
}

impl From<FitError> for Error {
    /// A data error becomes [`Error::Usage`] with the same message.
    fn from(err: FitError) -> Error {
        match err {
            FitError::Data(d) => d.into(),
            FitError::Math(e) => e,
        }
    }
}

/// The result of [`fit`].
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// How many data rows were read.
    pub rows: u64,
    /// Each data variable and the column it was read from.
    pub columns: Vec<(Symbol, String)>,
    /// The weights solved for.
    pub weights: Vec<Symbol>,
    /// True when the loss was averaged rather than summed.
    pub mean: bool,
    /// The summed (or averaged) loss, expanded, as a polynomial in the weights.
    pub loss: Poly,
    /// Its stationary points, classified.
    pub report: StationaryReport,
}

/// Which variables of `loss` are weights and which are data columns, and
/// the column of each data variable.
///
/// ```
/// use kobai::{read, split_variables, CsvReader, FitOptions, Symbol};
/// let data = CsvReader::new("d.csv", "size,t\n".as_bytes())?;
/// let options = FitOptions::default().with_column(Symbol::new("x"), "size");
/// let (weights, columns) = split_variables(&read("(w0 + w1*x - t)^2").unwrap(), &data, &options)?;
/// assert_eq!(weights, [Symbol::new("w0"), Symbol::new("w1")]);
/// assert_eq!(columns, [(Symbol::new("x"), 0), (Symbol::new("t"), 1)]);
/// # Ok::<(), kobai::FitError>(())
/// ```
pub fn split_variables<R: Read>(
    loss: &Expr,
    data: &CsvReader<R>,
    options: &FitOptions,
) -> std::result::Result<(Vec<Symbol>, ColumnIndices), FitError> {
    let column_of = |s: Symbol| -> String {
        options.columns.iter().find(|(v, _)| *v == s).map_or_else(|| s.name().to_string(), |(_, c)| c.clone())
    };
    for (v, _) in &options.columns {
        if !loss.contains(*v) {
            return Err(
                Error::Usage { message: format!("--map renames `{v}`, which does not occur in the formula") }.into()
            );
        }
        if options.weights.contains(v) {
            return Err(Error::Usage { message: format!("`{v}` is both a weight and mapped to a column") }.into());
        }
    }
    let symbols = loss.symbols();
    let weights: Vec<Symbol> = if options.weights.is_empty() {
        // A column without a name might be any of the formula's variables,
        // so which of them are weights cannot be told from the header.
        if let Some(i) = data.columns().iter().position(|c| c.is_empty()) {
            return Err(Error::Usage {
                message: format!(
                    "column {} of {} has no name in the header, so kobai cannot tell which variables are data and \
                     which are weights: name every column, or give the weights with --wrt",
                    i + 1,
                    data.source_name()
                ),
            }
            .into());
        }
        symbols.iter().copied().filter(|s| data.column(&column_of(*s)).is_none()).collect()
    } else {
        for w in &options.weights {
            if !symbols.contains(w) {
                return Err(Error::Usage { message: format!("the weight `{w}` does not occur in the formula") }.into());
            }
        }
        options.weights.clone()
    };
    if weights.is_empty() {
        return Err(Error::Usage {
            message: "every variable of the formula is a column of the data: there is no weight to fit".into(),
        }
        .into());
    }
    let mut columns = Vec::new();
    for s in symbols.into_iter().filter(|s| !weights.contains(s)) {
        let name = column_of(s);
        let index = data.column(&name).ok_or_else(|| DataError::MissingColumn {
            source_name: data.source_name().to_string(),
            column: name.clone(),
            for_variable: (name != s.name()).then(|| s.name().to_string()),
            columns: data.columns().to_vec(),
        })?;
        columns.push((s, index));
    }
    columns.sort_by_key(|(_, i)| *i);
    Ok((weights, columns))
}

/// Sums `loss` over every row of `data` (or averages it) and finds where
/// the gradient of the total is zero, exactly, with each point classified.
///
/// ```
/// use kobai::{fit, read, CsvReader, FitOptions, Q};
/// let csv = "x,t\n1,2\n2,3\n3,5\n4,6\n";
/// let mut data = CsvReader::new("points.csv", csv.as_bytes())?;
/// let result = fit(&read("(w0 + w1*x - t)^2")?, &mut data, &FitOptions::default())?;
/// assert_eq!(result.rows, 4);
/// assert_eq!(result.loss.to_string(), "4*w0^2 + 20*w0*w1 + 30*w1^2 - 32*w0 - 94*w1 + 74");
/// let best = &result.report.points[0].point.values;
/// assert_eq!((best[0].1.rational(), best[1].1.rational()), (Some(Q::new(1, 2)), Some(Q::new(7, 5))));
/// assert!(result.report.convex_quadratic);
/// # Ok::<(), kobai::FitError>(())
/// ```
pub fn fit<R: Read>(loss: &Expr, data: &mut CsvReader<R>, options: &FitOptions) -> std::result::Result<Fit, FitError> {
    let (weights, columns) = split_variables(loss, data, options)?;
    let total = sum_rows(loss, &weights, &columns, data, options.mean, &options.solve.limits)?;
    let report = stationary_points(&total.to_expr(), &weights, &options.solve)?;
    let names = data.columns();
    let columns = columns.iter().map(|(s, i)| (*s, names.get(*i).cloned().unwrap_or_default())).collect::<Vec<_>>();
    Ok(Fit { rows: data.rows_read(), columns, weights, mean: options.mean, loss: total, report })
}

/// Reads every row of `data` into a [`LossSum`] and returns the summed (or,
/// with `mean`, averaged) loss. `columns` gives each data variable's column.
///
/// ```
/// use kobai::{read, sum_rows, CsvReader, Limits, Symbol};
/// let mut data = CsvReader::new("d.csv", "x\n1\n3\n".as_bytes())?;
/// let (w, x) = (Symbol::new("w"), Symbol::new("x"));
/// let p = sum_rows(&read("(w - x)^2")?, &[w], &[(x, 0)], &mut data, true, &Limits::default())?;
/// assert_eq!(p.to_string(), "w^2 - 4*w + 5");
/// # Ok::<(), kobai::FitError>(())
/// ```
pub fn sum_rows<R: Read>(
    loss: &Expr,
    weights: &[Symbol],
    columns: &[(Symbol, usize)],
    data: &mut CsvReader<R>,
    mean: bool,
    limits: &Limits,
) -> std::result::Result<Poly, FitError> {
    let vars: Vec<Symbol> = columns.iter().map(|(s, _)| *s).collect();
    let indices: Vec<usize> = columns.iter().map(|(_, i)| *i).collect();
    let mut sum = LossSum::new(loss, weights, &vars, limits)?;
    let mut row = Vec::with_capacity(indices.len());
    while data.read_row(&indices, &mut row)? {
        sum.add_row(&row).map_err(|e| match e {
            Error::Usage { message } => {
                Error::Usage { message: format!("{}, row {}: {message}", data.source_name(), data.rows_read()) }
            }
            other => other,
        })?;
    }
    data.expect_rows()?;
    Ok(if mean { sum.mean()? } else { sum.total()? })
}
