//! Exact linear algebra over Q: solving `A·x = b`, rank, determinant, and
//! the inertia of a symmetric matrix (for classifying stationary points).
//!
//! Everything here is exact; no floating-point number decides anything.
//!
//! All three algorithms are fraction-free: each row is scaled by the least
//! common multiple of its denominators, and the elimination runs on big
//! integers with Bareiss's exact divisions, so that every intermediate entry
//! is an integer minor of the scaled input. Only the answer is turned back
//! into rationals. Over [`Q`] directly, every addition and product would take
//! a gcd to stay in lowest terms; measured on a 30×30 integer matrix with
//! entries up to 1000, that made elimination about 70 times slower.
//!
//! * [`solve_linear`] runs fraction-free Gauss–Jordan (Bareiss's update
//!   applied to the rows above the pivot as well as below), which ends in
//!   `d·R` for the reduced row echelon form `R` and one common integer `d`.
//!   The reduced form is what a family of solutions is read from (each pivot
//!   unknown is its row's right-hand side minus the free unknowns), so no
//!   separate back-substitution is needed.
//! * [`determinant`] and [`matrix_rank`] run Bareiss's forward elimination.
//! * [`inertia`] runs the symmetric version (`LDLᵀ`, a congruence) with
//!   diagonal pivots; when every remaining diagonal entry is zero but some
//!   `h[i][j]` is not, the congruence `row_i += row_j, col_i += col_j` makes
//!   the diagonal entry `2·h[i][j]`. Sylvester's law of inertia says that a
//!   congruence keeps the number of positive, negative and zero eigenvalues,
//!   so the signs of the pivots count them exactly.
//!
//! None of these can explode: every intermediate number is a minor of the
//! scaled input, so its size is bounded by Hadamard's bound, polynomial in the
//! size of the input.
//!
//! Matrices are slices of rows (`&[Vec<Q>]`). A matrix with no rows has no
//! columns either, so a system with no equations has no unknowns.

// Library code here must not panic on any input: indexing goes through
// `get`, and the only divisions are by pivots, which are nonzero.
#![warn(clippy::indexing_slicing, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use num_bigint::{BigInt, Sign};
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Zero};

use crate::number::Q;

/// Why a matrix (or a matrix with a right-hand side) has the wrong shape or
/// lacks a property an operation requires. Row and column indices count from 0.
///
/// ```
/// use kobai::{MatrixError, Q, determinant};
/// let ragged = vec![vec![Q::from(1), Q::from(2)], vec![Q::from(3)]];
/// assert_eq!(determinant(&ragged), Err(MatrixError::Ragged { row: 1, expected: 2, found: 1 }));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MatrixError {
    /// A row's length differs from the first row's.
    #[error("matrix row {row} has {found} entries, but row 0 has {expected}")]
    Ragged {
        /// The offending row.
        row: usize,
        /// The length of row 0.
        expected: usize,
        /// The length of the offending row.
        found: usize,
    },
    /// The right-hand side does not have one entry per row of the matrix.
    #[error("the right-hand side has {found} entries, but the matrix has {expected} rows")]
    RightHandSide {
        /// The number of rows of the matrix.
        expected: usize,
        /// The number of entries of the right-hand side.
        found: usize,
    },
    /// The operation needs a square matrix.
    #[error("the matrix is {rows}×{cols}, but a square matrix is needed")]
    NotSquare {
        /// The number of rows.
        rows: usize,
        /// The number of columns.
        cols: usize,
    },
    /// The operation needs a symmetric matrix, and the entries at
    /// `(row, col)` and `(col, row)` differ.
    #[error("the matrix is not symmetric: entries ({row}, {col}) and ({col}, {row}) differ")]
    NotSymmetric {
        /// The row of the first differing entry above the diagonal.
        row: usize,
        /// Its column (`col > row`).
        col: usize,
    },
}

impl From<MatrixError> for crate::Error {
    /// A malformed matrix is a mistake in the request, so it becomes
    /// [`Error::Usage`](crate::Error::Usage) with the same message.
    fn from(err: MatrixError) -> crate::Error {
        crate::Error::Usage { message: err.to_string() }
    }
}

/// An affine expression in the free variables of a linear system:
/// `constant + Σ coeff · x_index`.
///
/// Terms are sorted by variable index and no coefficient is zero.
///
/// ```
/// use kobai::{LinearSolution, Q, solve_linear};
/// // x0 + 2·x1 = 3: x1 is free and x0 = 3 - 2·x1.
/// let a = vec![vec![Q::from(1), Q::from(2)]];
/// let LinearSolution::Family(family) = solve_linear(&a, &[Q::from(3)])? else { unreachable!() };
/// let x0 = &family.expressions()[0];
/// assert_eq!(x0.constant(), &Q::from(3));
/// assert_eq!(x0.terms(), &[(1, Q::from(-2))]);
/// # Ok::<(), kobai::MatrixError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Affine {
    constant: Q,
    terms: Vec<(usize, Q)>,
}

impl Affine {
    /// The constant part: the value when every free variable is zero.
    ///
    /// ```
    /// use kobai::{LinearSolution, Q, solve_linear};
    /// let a = vec![vec![Q::from(2), Q::from(2)]];
    /// let LinearSolution::Family(family) = solve_linear(&a, &[Q::from(1)])? else { unreachable!() };
    /// assert_eq!(family.expressions()[0].constant(), &Q::new(1, 2));
    /// # Ok::<(), kobai::MatrixError>(())
    /// ```
    pub fn constant(&self) -> &Q {
        &self.constant
    }

    /// The terms `(variable index, coefficient)`, sorted by index, with no
    /// zero coefficient.
    ///
    /// ```
    /// use kobai::{LinearSolution, Q, solve_linear};
    /// let a = vec![vec![Q::from(2), Q::from(2)]];
    /// let LinearSolution::Family(family) = solve_linear(&a, &[Q::from(1)])? else { unreachable!() };
    /// // A free variable is its own expression.
    /// assert_eq!(family.expressions()[1].terms(), &[(1, Q::one())]);
    /// # Ok::<(), kobai::MatrixError>(())
    /// ```
    pub fn terms(&self) -> &[(usize, Q)] {
        &self.terms
    }

    /// The value when variable `i` has the value `values[i]`, or `None` when
    /// a variable of a term has no value in `values`.
    ///
    /// ```
    /// use kobai::{LinearSolution, Q, solve_linear};
    /// let a = vec![vec![Q::from(1), Q::from(2)]];
    /// let LinearSolution::Family(family) = solve_linear(&a, &[Q::from(3)])? else { unreachable!() };
    /// // x0 = 3 - 2·x1 at x1 = 5.
    /// assert_eq!(family.expressions()[0].eval(&[Q::zero(), Q::from(5)]), Some(Q::from(-7)));
    /// # Ok::<(), kobai::MatrixError>(())
    /// ```
    pub fn eval(&self, values: &[Q]) -> Option<Q> {
        self.terms.iter().try_fold(self.constant.clone(), |sum, (index, coeff)| {
            values.get(*index).map(|value| sum.add(&coeff.mul(value)))
        })
    }
}

/// Infinitely many solutions: every unknown as an affine expression in the
/// free unknowns.
///
/// ```
/// use kobai::{LinearSolution, Q, solve_linear};
/// // x0 + x1 + x2 = 6 and x2 = 1: x1 is free, x0 = 5 - x1.
/// let q = Q::from;
/// let a = vec![vec![q(1), q(1), q(1)], vec![q(0), q(0), q(1)]];
/// let LinearSolution::Family(family) = solve_linear(&a, &[q(6), q(1)])? else { unreachable!() };
/// assert_eq!(family.rank(), 2);
/// assert_eq!(family.free(), &[1]);
/// assert_eq!(family.particular(), vec![q(5), q(0), q(1)]);
/// assert_eq!(family.at(&[q(2)]), Some(vec![q(3), q(2), q(1)]));
/// assert_eq!(family.null_space(), vec![vec![q(-1), q(1), q(0)]]);
/// # Ok::<(), kobai::MatrixError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Family {
    /// One expression per unknown; a free unknown `f` is `0 + 1·x_f`, a pivot
    /// unknown has terms in free unknowns only.
    expressions: Vec<Affine>,
    /// The free unknowns, increasing.
    free: Vec<usize>,
    rank: usize,
}

impl Family {
    /// The rank of the coefficient matrix (the number of pivot unknowns).
    ///
    /// ```
    /// use kobai::{LinearSolution, Q, solve_linear};
    /// let zero = vec![vec![Q::zero(); 3]; 2];
    /// let LinearSolution::Family(family) = solve_linear(&zero, &[Q::zero(), Q::zero()])? else { unreachable!() };
    /// assert_eq!(family.rank(), 0);
    /// # Ok::<(), kobai::MatrixError>(())
    /// ```
    pub fn rank(&self) -> usize {
        self.rank
    }

    /// The indices of the free unknowns, increasing. There are
    /// `unknowns − rank` of them, and at least one.
    ///
    /// ```
    /// use kobai::{LinearSolution, Q, solve_linear};
    /// let zero = vec![vec![Q::zero(); 3]; 2];
    /// let LinearSolution::Family(family) = solve_linear(&zero, &[Q::zero(), Q::zero()])? else { unreachable!() };
    /// assert_eq!(family.free(), &[0, 1, 2]);
    /// # Ok::<(), kobai::MatrixError>(())
    /// ```
    pub fn free(&self) -> &[usize] {
        &self.free
    }

    /// Every unknown as an affine expression in the free unknowns, indexed
    /// by unknown. A free unknown is its own expression (`1·x_f`).
    ///
    /// ```
    /// use kobai::{LinearSolution, Q, solve_linear};
    /// // x0 - x1 = 0: x0 = x1.
    /// let a = vec![vec![Q::from(1), Q::from(-1)]];
    /// let LinearSolution::Family(family) = solve_linear(&a, &[Q::zero()])? else { unreachable!() };
    /// assert_eq!(family.expressions()[0].terms(), &[(1, Q::one())]);
    /// # Ok::<(), kobai::MatrixError>(())
    /// ```
    pub fn expressions(&self) -> &[Affine] {
        &self.expressions
    }

    /// The particular solution with every free unknown set to zero.
    ///
    /// ```
    /// use kobai::{LinearSolution, Q, solve_linear};
    /// let a = vec![vec![Q::from(1), Q::from(-1)]];
    /// let LinearSolution::Family(family) = solve_linear(&a, &[Q::from(4)])? else { unreachable!() };
    /// assert_eq!(family.particular(), vec![Q::from(4), Q::zero()]);
    /// # Ok::<(), kobai::MatrixError>(())
    /// ```
    pub fn particular(&self) -> Vec<Q> {
        self.expressions.iter().map(|e| e.constant.clone()).collect()
    }

    /// The member of the family where the free unknowns take `free_values`
    /// (in the order of [`Family::free`]), or `None` when `free_values` does
    /// not have one value per free unknown.
    ///
    /// ```
    /// use kobai::{LinearSolution, Q, solve_linear};
    /// let a = vec![vec![Q::from(1), Q::from(-1)]];
    /// let LinearSolution::Family(family) = solve_linear(&a, &[Q::from(4)])? else { unreachable!() };
    /// assert_eq!(family.at(&[Q::from(1)]), Some(vec![Q::from(5), Q::from(1)]));
    /// assert_eq!(family.at(&[]), None);
    /// # Ok::<(), kobai::MatrixError>(())
    /// ```
    pub fn at(&self, free_values: &[Q]) -> Option<Vec<Q>> {
        if free_values.len() != self.free.len() {
            return None;
        }
        let mut values = vec![Q::zero(); self.expressions.len()];
        for (index, value) in self.free.iter().zip(free_values) {
            *values.get_mut(*index)? = value.clone();
        }
        self.expressions.iter().map(|e| e.eval(&values)).collect()
    }

    /// A basis of the null space of the coefficient matrix: one vector per
    /// free unknown (in the order of [`Family::free`]), with 1 at that
    /// unknown, 0 at the other free unknowns. Every solution is the
    /// particular solution plus a combination of these.
    ///
    /// ```
    /// use kobai::{LinearSolution, Q, solve_linear};
    /// let a = vec![vec![Q::from(1), Q::from(2)]];
    /// let LinearSolution::Family(family) = solve_linear(&a, &[Q::zero()])? else { unreachable!() };
    /// assert_eq!(family.null_space(), vec![vec![Q::from(-2), Q::one()]]);
    /// # Ok::<(), kobai::MatrixError>(())
    /// ```
    pub fn null_space(&self) -> Vec<Vec<Q>> {
        self.free
            .iter()
            .map(|free| {
                self.expressions
                    .iter()
                    .map(|e| e.terms.iter().find(|(index, _)| index == free).map_or_else(Q::zero, |(_, c)| c.clone()))
                    .collect()
            })
            .collect()
    }
}

/// No solution, with the evidence: a combination of the equations whose
/// left-hand sides cancel while the right-hand sides do not, i.e.
/// `Σ yᵢ·(row i of A) = 0` but `Σ yᵢ·bᵢ ≠ 0`.
///
/// The multipliers are integers with no common factor, and the first nonzero
/// one is positive.
///
/// ```
/// use kobai::{LinearSolution, Q, solve_linear};
/// // x + y = 1 and 2x + 2y = 3: 2·(first) − (second) reads 0 = −1.
/// let q = Q::from;
/// let a = vec![vec![q(1), q(1)], vec![q(2), q(2)]];
/// let LinearSolution::Inconsistent(why) = solve_linear(&a, &[q(1), q(3)])? else { unreachable!() };
/// assert_eq!(why.rank(), 1);
/// assert_eq!(why.combination(), &[q(2), q(-1)]);
/// assert_eq!(why.contradiction(), &q(-1));
/// # Ok::<(), kobai::MatrixError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inconsistency {
    rank: usize,
    combination: Vec<Q>,
    contradiction: Q,
}

impl Inconsistency {
    /// The rank of the coefficient matrix (that of the augmented matrix
    /// `[A | b]` is one more).
    ///
    /// ```
    /// use kobai::{LinearSolution, Q, solve_linear};
    /// // The 1×1 system 0·x = 1.
    /// let LinearSolution::Inconsistent(why) = solve_linear(&[vec![Q::zero()]], &[Q::one()])? else { unreachable!() };
    /// assert_eq!(why.rank(), 0);
    /// # Ok::<(), kobai::MatrixError>(())
    /// ```
    pub fn rank(&self) -> usize {
        self.rank
    }

    /// The multiplier of each equation, one per row.
    ///
    /// ```
    /// use kobai::{LinearSolution, Q, solve_linear};
    /// let LinearSolution::Inconsistent(why) = solve_linear(&[vec![Q::zero()]], &[Q::from(4)])? else { unreachable!() };
    /// assert_eq!(why.combination(), &[Q::one()]);
    /// # Ok::<(), kobai::MatrixError>(())
    /// ```
    pub fn combination(&self) -> &[Q] {
        &self.combination
    }

    /// The nonzero right-hand side of the combined equation `0 = c`.
    ///
    /// ```
    /// use kobai::{LinearSolution, Q, solve_linear};
    /// let LinearSolution::Inconsistent(why) = solve_linear(&[vec![Q::zero()]], &[Q::from(4)])? else { unreachable!() };
    /// assert_eq!(why.contradiction(), &Q::from(4));
    /// # Ok::<(), kobai::MatrixError>(())
    /// ```
    pub fn contradiction(&self) -> &Q {
        &self.contradiction
    }
}

/// What [`solve_linear`] found.
///
/// ```
/// use kobai::{LinearSolution, Q, solve_linear};
/// let solution = solve_linear(&[vec![Q::from(2)]], &[Q::from(5)])?;
/// assert_eq!(solution, LinearSolution::Unique(vec![Q::new(5, 2)]));
/// assert_eq!(solution.rank(), 1);
/// # Ok::<(), kobai::MatrixError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinearSolution {
    /// Exactly one solution (the coefficient matrix has full column rank).
    Unique(Vec<Q>),
    /// Infinitely many solutions, parametrized by the free unknowns.
    Family(Family),
    /// No solution.
    Inconsistent(Inconsistency),
}

impl LinearSolution {
    /// The rank of the coefficient matrix.
    ///
    /// ```
    /// use kobai::{Q, solve_linear};
    /// let a = vec![vec![Q::from(1), Q::from(1)], vec![Q::from(1), Q::from(1)]];
    /// assert_eq!(solve_linear(&a, &[Q::zero(), Q::zero()])?.rank(), 1);
    /// # Ok::<(), kobai::MatrixError>(())
    /// ```
    pub fn rank(&self) -> usize {
        match self {
            LinearSolution::Unique(x) => x.len(),
            LinearSolution::Family(family) => family.rank,
            LinearSolution::Inconsistent(why) => why.rank,
        }
    }
}

/// Solves the system `A·x = b` exactly: `a` holds the `m` rows of `A`, each
/// with `n` entries (the unknowns), and `b` the `m` right-hand sides. Any
/// shape works, including no equations and equations with no unknowns.
///
/// The normal equations of the least-squares loss
/// `(w0 + w1 − 2)² + (w0 + 2·w1 − 3)² + (w0 + 4·w1 − 7)²`:
///
/// ```
/// use kobai::{LinearSolution, Q, solve_linear};
/// let q = Q::from;
/// let a = vec![vec![q(3), q(7)], vec![q(7), q(21)]];
/// let b = [q(12), q(36)];
/// assert_eq!(solve_linear(&a, &b)?, LinearSolution::Unique(vec![q(0), Q::new(12, 7)]));
/// # Ok::<(), kobai::MatrixError>(())
/// ```
///
/// # Errors
///
/// [`MatrixError::Ragged`] when the rows differ in length and
/// [`MatrixError::RightHandSide`] when `b` does not have one entry per row.
pub fn solve_linear(a: &[Vec<Q>], b: &[Q]) -> Result<LinearSolution, MatrixError> {
    let unknowns = columns(a)?;
    if b.len() != a.len() {
        return Err(MatrixError::RightHandSide { expected: a.len(), found: b.len() });
    }
    let augmented = a.iter().zip(b).map(|(row, rhs)| integer_row(row.iter().chain([rhs])).0).collect();
    let reduced = fraction_free(augmented, unknowns, Reduction::Reduced);
    let rank = reduced.pivots.len();
    let consistent = reduced.rows.iter().skip(rank).all(|row| row.get(unknowns).is_none_or(BigInt::is_zero));
    if !consistent {
        return Ok(LinearSolution::Inconsistent(inconsistency(a, b, rank)));
    }
    if rank == unknowns {
        // Full column rank: row k of the reduced form reads d·x_k = rhs_k.
        let x = reduced.rows.iter().take(rank).map(|row| reduced.rational(row.get(unknowns))).collect();
        return Ok(LinearSolution::Unique(x));
    }
    Ok(LinearSolution::Family(family(&reduced, unknowns)))
}

/// The rank of a matrix, by exact (fraction-free) elimination to echelon
/// form.
///
/// ```
/// use kobai::{Q, matrix_rank};
/// let q = Q::from;
/// assert_eq!(matrix_rank(&[vec![q(1), q(2)], vec![q(2), q(4)], vec![q(0), q(0)]])?, 1);
/// assert_eq!(matrix_rank(&[])?, 0);
/// # Ok::<(), kobai::MatrixError>(())
/// ```
///
/// # Errors
///
/// [`MatrixError::Ragged`] when the rows differ in length.
pub fn matrix_rank(a: &[Vec<Q>]) -> Result<usize, MatrixError> {
    let cols = columns(a)?;
    let rows = a.iter().map(|row| integer_row(row.iter()).0).collect();
    Ok(fraction_free(rows, cols, Reduction::Echelon).pivots.len())
}

/// The determinant of a square matrix, by fraction-free Bareiss elimination
/// on integers (each row scaled by the common denominator of its entries).
/// The empty matrix has determinant 1.
///
/// ```
/// use kobai::{Q, determinant};
/// let q = Q::from;
/// assert_eq!(determinant(&[vec![q(3), q(7)], vec![q(7), q(21)]])?, q(14));
/// assert_eq!(determinant(&[vec![Q::new(1, 2), q(1)], vec![q(1), q(1)]])?, Q::new(-1, 2));
/// assert_eq!(determinant(&[])?, q(1));
/// # Ok::<(), kobai::MatrixError>(())
/// ```
///
/// # Errors
///
/// [`MatrixError::Ragged`] or [`MatrixError::NotSquare`] when the matrix is
/// not square.
pub fn determinant(a: &[Vec<Q>]) -> Result<Q, MatrixError> {
    let n = square(a)?;
    let (rows, scales): (Vec<Vec<BigInt>>, Vec<BigInt>) = a.iter().map(|row| integer_row(row.iter())).unzip();
    let reduced = fraction_free(rows, n, Reduction::Echelon);
    if reduced.pivots.len() < n {
        return Ok(Q::zero());
    }
    // The last Bareiss pivot is the determinant of the row-permuted, scaled
    // matrix.
    let scaled = if reduced.swaps % 2 == 1 { -reduced.denominator } else { reduced.denominator };
    let scale: BigInt = scales.iter().product();
    Ok(ratio(scaled, scale))
}

/// The inertia of a symmetric matrix: how many of its eigenvalues are
/// positive, negative and zero.
///
/// ```
/// use kobai::{Definiteness, Inertia, Q, inertia};
/// let q = Q::from;
/// // The Hessian of x² − y² is a saddle's.
/// let h = inertia(&[vec![q(2), q(0)], vec![q(0), q(-2)]])?;
/// assert_eq!(h, Inertia { positive: 1, negative: 1, zero: 0 });
/// assert_eq!(h.definiteness(), Definiteness::Indefinite);
/// # Ok::<(), kobai::MatrixError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Inertia {
    /// The number of positive eigenvalues.
    pub positive: usize,
    /// The number of negative eigenvalues.
    pub negative: usize,
    /// The number of zero eigenvalues (the nullity).
    pub zero: usize,
}

impl Inertia {
    /// What the inertia says about the quadratic form `xᵀ·H·x`.
    ///
    /// ```
    /// use kobai::{Definiteness, Inertia};
    /// let semi = Inertia { positive: 1, negative: 0, zero: 1 };
    /// assert_eq!(semi.definiteness(), Definiteness::PositiveSemidefinite);
    /// ```
    pub fn definiteness(&self) -> Definiteness {
        match (self.positive, self.negative, self.zero) {
            (0, 0, _) => Definiteness::Zero,
            (_, 0, 0) => Definiteness::PositiveDefinite,
            (0, _, 0) => Definiteness::NegativeDefinite,
            (_, 0, _) => Definiteness::PositiveSemidefinite,
            (0, _, _) => Definiteness::NegativeSemidefinite,
            _ => Definiteness::Indefinite,
        }
    }
}

/// The sign behaviour of a symmetric matrix's quadratic form, read from its
/// [`Inertia`]. At a stationary point the Hessian's definiteness decides:
/// positive definite is a strict local minimum, negative definite a strict
/// local maximum, indefinite a saddle; the semidefinite and zero cases need a
/// higher-order test.
///
/// ```
/// use kobai::{Definiteness, Q, inertia};
/// let q = Q::from;
/// // The Hessian of (x + y)²: minimal along a line, so only semidefinite.
/// let h = [vec![q(2), q(2)], vec![q(2), q(2)]];
/// assert_eq!(inertia(&h)?.definiteness(), Definiteness::PositiveSemidefinite);
/// # Ok::<(), kobai::MatrixError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Definiteness {
    /// Every eigenvalue is positive.
    PositiveDefinite,
    /// Every eigenvalue is negative.
    NegativeDefinite,
    /// Singular, with positive eigenvalues and no negative one.
    PositiveSemidefinite,
    /// Singular, with negative eigenvalues and no positive one.
    NegativeSemidefinite,
    /// Both positive and negative eigenvalues.
    Indefinite,
    /// The zero matrix (including the empty matrix).
    Zero,
}

/// The inertia of the symmetric matrix `h`, exactly, by symmetric
/// elimination `H = L·D·Lᵀ` (Sylvester's law of inertia: a congruence keeps
/// the sign counts, and those of the diagonal `D` are plain to see).
///
/// Each step takes a nonzero diagonal pivot when there is one. When the
/// remaining diagonal is all zero but some entry `c = h[i][j]` is not, the
/// congruence `row_i += row_j, col_i += col_j` (an invertible change of
/// variables) puts `2·c` on the diagonal; it amounts to the 2×2 block
/// `[[0, c], [c, 0]]`, one positive and one negative eigenvalue. What is
/// left when all remaining entries are zero counts as zero eigenvalues.
///
/// ```
/// use kobai::{Inertia, Q, inertia};
/// let q = Q::from;
/// // Zero diagonal: the Hessian of x·y.
/// assert_eq!(inertia(&[vec![q(0), q(1)], vec![q(1), q(0)]])?, Inertia { positive: 1, negative: 1, zero: 0 });
/// # Ok::<(), kobai::MatrixError>(())
/// ```
///
/// # Errors
///
/// [`MatrixError::Ragged`] or [`MatrixError::NotSquare`] when `h` is not
/// square, and [`MatrixError::NotSymmetric`] (naming the first pair of
/// differing entries) when it is not symmetric. Symmetry is checked, not
/// assumed: the check costs O(n²) beside the elimination's O(n³), and an
/// unsymmetric "Hessian" is a bug whose silent answer would be wrong.
pub fn inertia(h: &[Vec<Q>]) -> Result<Inertia, MatrixError> {
    square(h)?;
    for (row, entries) in h.iter().enumerate() {
        for (col, upper) in entries.iter().enumerate().skip(row + 1) {
            if h.get(col).and_then(|r| r.get(row)) != Some(upper) {
                return Err(MatrixError::NotSymmetric { row, col });
            }
        }
    }
    // One positive scale for the whole matrix keeps it symmetric and keeps
    // its inertia.
    let scale = h.iter().flatten().fold(BigInt::one(), |l, x| l.lcm(&x.denom()));
    let mut m: Vec<Vec<BigInt>> =
        h.iter().map(|row| row.iter().map(|x| x.numer() * (&scale / x.denom())).collect()).collect();
    let mut counts = Inertia { positive: 0, negative: 0, zero: 0 };
    // The previous pivot: the active entries are `previous` times the Schur
    // complement, so the true pivot is `m[k][k] / previous`.
    let mut previous = BigInt::one();
    while !m.is_empty() {
        let diagonal = m.iter().enumerate().filter_map(|(i, row)| row.get(i).map(|x| (i, x)));
        if let Some(k) = best_pivot(diagonal) {
            let pivot = m.get(k).and_then(|row| row.get(k)).cloned().unwrap_or_default();
            if (pivot.sign() == Sign::Minus) == (previous.sign() == Sign::Minus) {
                counts.positive += 1;
            } else {
                counts.negative += 1;
            }
            m = symmetric_bareiss_step(&m, k, &previous);
            previous = pivot;
            continue;
        }
        let off_diagonal =
            m.iter().enumerate().flat_map(|(i, row)| row.iter().enumerate().skip(i + 1).map(move |(j, x)| ((i, j), x)));
        let Some((i, j)) = best_pivot(off_diagonal) else {
            // Everything left is zero.
            counts.zero += m.len();
            break;
        };
        // The congruence with `e_i ← e_i + e_j` keeps the active entries
        // integer minors (of the transformed matrix), so Bareiss's divisions
        // stay exact; the new diagonal entry is `0 + 2·c + 0`.
        add_row(&mut m, i, j);
        for row in m.iter_mut() {
            add_entry(row, i, j);
        }
    }
    Ok(counts)
}

/// Bareiss's step on a symmetric matrix with the diagonal pivot `k`: the
/// matrix without row and column `k`, with entries
/// `(m[k][k]·m[r][s] − m[r][k]·m[k][s]) / previous`, an exact division.
fn symmetric_bareiss_step(m: &[Vec<BigInt>], k: usize, previous: &BigInt) -> Vec<Vec<BigInt>> {
    let Some(pivot_row) = m.get(k) else { return m.to_vec() };
    let pivot = pivot_row.get(k).cloned().unwrap_or_default();
    m.iter()
        .enumerate()
        .filter(|(r, _)| *r != k)
        .map(|(_, row)| {
            let factor = row.get(k).cloned().unwrap_or_default();
            row.iter()
                .zip(pivot_row)
                .enumerate()
                .filter(|(s, _)| *s != k)
                .map(|(_, (x, p))| exact_quotient(&pivot * x - &factor * p, previous))
                .collect()
        })
        .collect()
}

/// Adds row `from` to row `to`.
fn add_row(m: &mut [Vec<BigInt>], to: usize, from: usize) {
    let Some(source) = m.get(from).cloned() else { return };
    if let Some(target) = m.get_mut(to) {
        for (x, y) in target.iter_mut().zip(&source) {
            *x += y;
        }
    }
}

/// Adds entry `from` of a row to its entry `to`.
fn add_entry(row: &mut [BigInt], to: usize, from: usize) {
    let Some(source) = row.get(from).cloned() else { return };
    if let Some(target) = row.get_mut(to) {
        *target += source;
    }
}

/// How far [`fraction_free`] goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reduction {
    /// Row echelon form: zeros below each pivot (enough for the rank and the
    /// determinant).
    Echelon,
    /// Reduced row echelon form, scaled: zeros above and below each pivot,
    /// and every pivot equal to [`FractionFree::denominator`].
    Reduced,
}

/// An integer matrix after fraction-free elimination.
struct FractionFree {
    /// Row `k < pivots.len()` holds the pivot of column `pivots[k]`; the
    /// other rows are zero in the columns where pivots were sought.
    rows: Vec<Vec<BigInt>>,
    /// The pivot columns, increasing.
    pivots: Vec<usize>,
    /// The last pivot (1 when there is none). In the reduced form every pivot
    /// entry equals it, and the reduced row echelon form is `rows / denominator`.
    denominator: BigInt,
    /// The number of row exchanges made.
    swaps: usize,
}

impl FractionFree {
    /// An entry of the reduced row echelon form, as a rational.
    fn rational(&self, entry: Option<&BigInt>) -> Q {
        entry.map_or_else(Q::zero, |x| ratio(x.clone(), self.denominator.clone()))
    }
}

/// Fraction-free elimination (Bareiss), choosing pivots only in the first
/// `pivot_columns` columns; the other columns (right-hand sides, a tracked
/// identity) follow the row operations.
///
/// With `previous` the last pivot and `(r, c)` the new one, every row `i`
/// that is updated becomes `(m[r][c]·m[i][j] − m[i][c]·m[r][j]) / previous`:
/// an exact division, as every entry stays a minor of the input (Sylvester's
/// determinant identity). Applying it to the rows above as well (the reduced
/// form) also turns their pivots into the new pivot.
fn fraction_free(mut rows: Vec<Vec<BigInt>>, pivot_columns: usize, reduction: Reduction) -> FractionFree {
    let mut pivots = Vec::new();
    let mut denominator = BigInt::one();
    let mut swaps = 0;
    for col in 0..pivot_columns {
        let rank = pivots.len();
        if rank == rows.len() {
            break;
        }
        // Any nonzero pivot is exact; the smallest keeps the numbers smallest.
        let candidates = rows.iter().enumerate().skip(rank).filter_map(|(i, row)| row.get(col).map(|x| (i, x)));
        let Some(p) = best_pivot(candidates) else { continue };
        if p != rank {
            rows.swap(p, rank);
            swaps += 1;
        }
        let Some(pivot_row) = rows.get(rank).cloned() else { break };
        let pivot = pivot_row.get(col).cloned().unwrap_or_default();
        for (i, row) in rows.iter_mut().enumerate() {
            if i == rank || (reduction == Reduction::Echelon && i < rank) {
                continue;
            }
            let factor = row.get(col).cloned().unwrap_or_default();
            // Rows below the pivot are zero left of `col`, and so is the pivot
            // row; rows above are not.
            let first = if i > rank { col } else { 0 };
            for (j, (x, p)) in row.iter_mut().zip(&pivot_row).enumerate().skip(first) {
                if j == col {
                    *x = BigInt::zero();
                } else if !(x.is_zero() && (p.is_zero() || factor.is_zero())) {
                    let scaled =
                        if p.is_zero() || factor.is_zero() { &pivot * &*x } else { &pivot * &*x - &factor * p };
                    *x = exact_quotient(scaled, &denominator);
                }
            }
        }
        pivots.push(col);
        denominator = pivot;
    }
    FractionFree { rows, pivots, denominator, swaps }
}

/// `n / d` for a division known to be exact (`d` is a previous pivot).
fn exact_quotient(n: BigInt, d: &BigInt) -> BigInt {
    if d.is_one() {
        return n;
    }
    debug_assert!((&n % d).is_zero(), "inexact Bareiss division");
    n / d
}

/// The index of the nonzero candidate with the fewest bits, the first on ties.
fn best_pivot<'a, I: Copy>(candidates: impl Iterator<Item = (I, &'a BigInt)>) -> Option<I> {
    candidates.filter(|(_, x)| !x.is_zero()).min_by_key(|(_, x)| x.bits()).map(|(index, _)| index)
}

/// A row scaled to integers by the least common multiple of its
/// denominators, and that (positive) scale.
fn integer_row<'a>(row: impl Iterator<Item = &'a Q> + Clone) -> (Vec<BigInt>, BigInt) {
    let scale = row.clone().fold(BigInt::one(), |l, x| l.lcm(&x.denom()));
    let integers = row.map(|x| x.numer() * (&scale / x.denom())).collect();
    (integers, scale)
}

/// The rational `n / d`; `d` is a pivot or a product of scales, never zero.
fn ratio(n: BigInt, d: BigInt) -> Q {
    if d.is_zero() {
        debug_assert!(false, "zero denominator in linear algebra");
        return Q::zero();
    }
    Q::from_big(BigRational::new(n, d))
}

/// The family read off the scaled reduced row echelon form of `[A | b]`.
fn family(reduced: &FractionFree, unknowns: usize) -> Family {
    let is_pivot = |col: usize| reduced.pivots.binary_search(&col).is_ok();
    let free: Vec<usize> = (0..unknowns).filter(|&col| !is_pivot(col)).collect();
    let mut expressions: Vec<Affine> =
        (0..unknowns).map(|col| Affine { constant: Q::zero(), terms: vec![(col, Q::one())] }).collect();
    for (row, &col) in reduced.rows.iter().zip(&reduced.pivots) {
        // The row reads d·x_col + Σ row[f]·x_f = rhs over the free f.
        let terms = free
            .iter()
            .filter_map(|&f| row.get(f).filter(|c| !c.is_zero()).map(|c| (f, reduced.rational(Some(&-c)))))
            .collect();
        let constant = reduced.rational(row.get(unknowns));
        if let Some(expression) = expressions.get_mut(col) {
            *expression = Affine { constant, terms };
        }
    }
    Family { expressions, free, rank: reduced.pivots.len() }
}

/// The evidence that `A·x = b` has no solution. Called only when it has
/// none: the elimination is redone on `[A | b | I]` (rows scaled to
/// integers), so that the identity records which combination of the scaled
/// equations each reduced row is.
fn inconsistency(a: &[Vec<Q>], b: &[Q], rank: usize) -> Inconsistency {
    let equations = a.len();
    let unknowns = a.first().map_or(0, Vec::len);
    let (tracked, scales): (Vec<Vec<BigInt>>, Vec<BigInt>) = a
        .iter()
        .zip(b)
        .enumerate()
        .map(|(i, (row, rhs))| {
            let (mut integers, scale) = integer_row(row.iter().chain([rhs]));
            integers.extend((0..equations).map(|j| if i == j { BigInt::one() } else { BigInt::zero() }));
            (integers, scale)
        })
        .unzip();
    let reduced = fraction_free(tracked, unknowns, Reduction::Reduced);
    let scaled_combination = reduced
        .rows
        .iter()
        .skip(rank)
        .find(|row| row.get(unknowns).is_some_and(|rhs| !rhs.is_zero()))
        .and_then(|row| row.get(unknowns + 1..))
        .unwrap_or_default();
    // A multiplier y of scaled equation i is y·scale_i of the original one.
    let combination = primitive(scaled_combination.iter().zip(&scales).map(|(y, scale)| y * scale).collect());
    let contradiction = combination.iter().zip(b).fold(Q::zero(), |sum, (y, rhs)| sum.add(&y.mul(rhs)));
    Inconsistency { rank, combination, contradiction }
}

/// The integer vector divided by the gcd of its entries, signed so that the
/// first nonzero entry is positive.
fn primitive(v: Vec<BigInt>) -> Vec<Q> {
    let mut divisor = v.iter().fold(BigInt::zero(), |g, x| g.gcd(x));
    if divisor.is_zero() {
        return v.into_iter().map(Q::from).collect();
    }
    if v.iter().find(|x| !x.is_zero()).is_some_and(|x| x.sign() == Sign::Minus) {
        divisor = -divisor;
    }
    v.into_iter().map(|x| Q::from(x / &divisor)).collect()
}

/// The number of columns, checking that every row has it.
fn columns(a: &[Vec<Q>]) -> Result<usize, MatrixError> {
    let expected = a.first().map_or(0, Vec::len);
    match a.iter().enumerate().find(|(_, row)| row.len() != expected) {
        Some((row, entries)) => Err(MatrixError::Ragged { row, expected, found: entries.len() }),
        None => Ok(expected),
    }
}

/// The size of a square matrix.
fn square(a: &[Vec<Q>]) -> Result<usize, MatrixError> {
    let cols = columns(a)?;
    if cols != a.len() && !a.is_empty() {
        return Err(MatrixError::NotSquare { rows: a.len(), cols });
    }
    Ok(a.len())
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    fn q(n: i64) -> Q {
        Q::from(n)
    }

    fn matrix(rows: &[&[i64]]) -> Vec<Vec<Q>> {
        rows.iter().map(|row| row.iter().map(|&x| q(x)).collect()).collect()
    }

    fn vector(v: &[i64]) -> Vec<Q> {
        v.iter().map(|&x| q(x)).collect()
    }

    #[track_caller]
    fn family_of(a: &[&[i64]], b: &[i64]) -> Family {
        match solve_linear(&matrix(a), &vector(b)).unwrap() {
            LinearSolution::Family(family) => family,
            other => panic!("expected a family, got {other:?}"),
        }
    }

    #[track_caller]
    fn inconsistency_of(a: &[&[i64]], b: &[i64]) -> Inconsistency {
        match solve_linear(&matrix(a), &vector(b)).unwrap() {
            LinearSolution::Inconsistent(why) => why,
            other => panic!("expected no solution, got {other:?}"),
        }
    }

    #[test]
    fn unique_solutions() {
        let a = matrix(&[&[2, 1, -1], &[-3, -1, 2], &[-2, 1, 2]]);
        assert_eq!(solve_linear(&a, &vector(&[8, -11, -3])).unwrap(), LinearSolution::Unique(vector(&[2, 3, -1])));
        // A zero in the first pivot position needs a row swap.
        let a = matrix(&[&[0, 1], &[1, 0]]);
        assert_eq!(solve_linear(&a, &vector(&[5, 7])).unwrap(), LinearSolution::Unique(vector(&[7, 5])));
        // Overdetermined but consistent, with a zero row.
        let a = matrix(&[&[1, 0], &[0, 0], &[1, 1], &[2, 1]]);
        assert_eq!(solve_linear(&a, &vector(&[1, 0, 3, 4])).unwrap(), LinearSolution::Unique(vector(&[1, 2])));
        // Rational answers.
        let a = matrix(&[&[3, 7], &[7, 21]]);
        let expected = LinearSolution::Unique(vec![q(0), Q::new(12, 7)]);
        assert_eq!(solve_linear(&a, &vector(&[12, 36])).unwrap(), expected);
    }

    #[test]
    fn families() {
        // x + y = 1 in two unknowns.
        let family = family_of(&[&[1, 1]], &[1]);
        assert_eq!((family.rank(), family.free()), (1, &[1][..]));
        assert_eq!(family.expressions()[0], Affine { constant: q(1), terms: vec![(1, q(-1))] });
        assert_eq!(family.expressions()[1], Affine { constant: q(0), terms: vec![(1, q(1))] });
        // A free variable in the middle, and a pivot column after it.
        let family = family_of(&[&[1, 2, 0, 1], &[0, 0, 1, 1], &[1, 2, 1, 2]], &[3, 4, 7]);
        assert_eq!(family.rank(), 2);
        assert_eq!(family.free(), &[1, 3]);
        assert_eq!(family.particular(), vector(&[3, 0, 4, 0]));
        assert_eq!(family.null_space(), vec![vector(&[-2, 1, 0, 0]), vector(&[-1, 0, -1, 1])]);
        assert_eq!(family.at(&[q(1), q(1)]), Some(vector(&[0, 1, 3, 1])));
        assert_eq!(family.at(&[q(1)]), None);
    }

    #[test]
    fn inconsistent_systems() {
        let why = inconsistency_of(&[&[1, 1], &[1, 1]], &[1, 2]);
        assert_eq!((why.rank(), why.combination(), why.contradiction()), (1, &vector(&[1, -1])[..], &q(-1)));
        // The contradiction can need every equation.
        let why = inconsistency_of(&[&[1, 0], &[0, 1], &[1, 1]], &[1, 1, 3]);
        assert_eq!(why.rank(), 2);
        assert_eq!(why.combination(), &vector(&[1, 1, -1])[..]);
        assert_eq!(why.contradiction(), &q(-1));
        // A zero row with a nonzero right-hand side.
        let why = inconsistency_of(&[&[1, 2], &[0, 0]], &[1, 5]);
        assert_eq!((why.combination(), why.contradiction()), (&vector(&[0, 1])[..], &q(5)));
        // Fractions in the combination are cleared.
        let a = vec![vec![Q::new(1, 2), Q::new(1, 3)], vec![q(3), q(2)]];
        let LinearSolution::Inconsistent(why) = solve_linear(&a, &[q(1), q(1)]).unwrap() else { panic!() };
        assert_eq!((why.combination(), why.contradiction()), (&vector(&[6, -1])[..], &q(5)));
    }

    #[test]
    fn degenerate_shapes() {
        // 0×0: the empty system has the empty solution.
        assert_eq!(solve_linear(&[], &[]).unwrap(), LinearSolution::Unique(vec![]));
        // Equations with no unknowns: 0 = 0 holds, 0 = 3 does not.
        let no_unknowns = vec![vec![], vec![]];
        assert_eq!(solve_linear(&no_unknowns, &[q(0), q(0)]).unwrap(), LinearSolution::Unique(vec![]));
        let LinearSolution::Inconsistent(why) = solve_linear(&no_unknowns, &[q(0), q(3)]).unwrap() else { panic!() };
        assert_eq!((why.rank(), why.combination(), why.contradiction()), (0, &vector(&[0, 1])[..], &q(3)));
        // The zero matrix: everything is free.
        let family = family_of(&[&[0, 0], &[0, 0], &[0, 0]], &[0, 0, 0]);
        assert_eq!((family.rank(), family.free()), (0, &[0, 1][..]));
        assert_eq!(family.particular(), vector(&[0, 0]));
        assert_eq!(inconsistency_of(&[&[0, 0]], &[1]).rank(), 0);
    }

    #[test]
    fn shape_errors() {
        let ragged = vec![vec![q(1), q(2)], vec![q(3)]];
        assert_eq!(solve_linear(&ragged, &[q(0), q(0)]), Err(MatrixError::Ragged { row: 1, expected: 2, found: 1 }));
        assert_eq!(matrix_rank(&ragged), Err(MatrixError::Ragged { row: 1, expected: 2, found: 1 }));
        let a = matrix(&[&[1, 2]]);
        assert_eq!(solve_linear(&a, &[]), Err(MatrixError::RightHandSide { expected: 1, found: 0 }));
        assert_eq!(determinant(&a), Err(MatrixError::NotSquare { rows: 1, cols: 2 }));
        assert_eq!(inertia(&a), Err(MatrixError::NotSquare { rows: 1, cols: 2 }));
        assert_eq!(inertia(&[vec![], vec![]]), Err(MatrixError::NotSquare { rows: 2, cols: 0 }));
        let err = inertia(&matrix(&[&[1, 2, 3], &[2, 1, 0], &[4, 0, 1]])).unwrap_err();
        assert_eq!(err, MatrixError::NotSymmetric { row: 0, col: 2 });
        assert_eq!(err.to_string(), "the matrix is not symmetric: entries (0, 2) and (2, 0) differ");
        assert!(matches!(crate::Error::from(err), crate::Error::Usage { message } if message.contains("symmetric")));
    }

    #[test]
    fn ranks() {
        assert_eq!(matrix_rank(&matrix(&[&[0, 0], &[0, 0]])).unwrap(), 0);
        assert_eq!(matrix_rank(&matrix(&[&[1, 2, 3], &[2, 4, 6], &[1, 0, 1]])).unwrap(), 2);
        assert_eq!(matrix_rank(&matrix(&[&[1], &[2], &[3]])).unwrap(), 1);
        assert_eq!(matrix_rank(&[vec![], vec![]]).unwrap(), 0);
    }

    #[test]
    fn determinants() {
        assert_eq!(determinant(&matrix(&[&[5]])).unwrap(), q(5));
        assert_eq!(determinant(&matrix(&[&[0, 1], &[1, 0]])).unwrap(), q(-1));
        assert_eq!(determinant(&matrix(&[&[2, 1, -1], &[-3, -1, 2], &[-2, 1, 2]])).unwrap(), q(-1));
        assert_eq!(determinant(&matrix(&[&[1, 2], &[2, 4]])).unwrap(), q(0));
        assert_eq!(determinant(&matrix(&[&[0, 0, 1], &[0, 1, 0], &[1, 0, 0]])).unwrap(), q(-1));
        assert_eq!(determinant(&matrix(&[&[0, 2, 0], &[0, 0, 3], &[4, 0, 0]])).unwrap(), q(24));
        let hilbert: Vec<Vec<Q>> = (1..=4).map(|i| (1..=4).map(|j| Q::new(1, i + j - 1)).collect()).collect();
        assert_eq!(determinant(&hilbert).unwrap(), Q::new(1, 6_048_000));
    }

    #[track_caller]
    fn check_inertia(h: &[&[i64]], (positive, negative, zero): (usize, usize, usize), expected: Definiteness) {
        let found = inertia(&matrix(h)).unwrap();
        assert_eq!(found, Inertia { positive, negative, zero });
        assert_eq!(found.definiteness(), expected);
    }

    #[test]
    fn inertias() {
        use Definiteness::*;
        check_inertia(&[], (0, 0, 0), Zero);
        check_inertia(&[&[0]], (0, 0, 1), Zero);
        check_inertia(&[&[2]], (1, 0, 0), PositiveDefinite);
        check_inertia(&[&[-2]], (0, 1, 0), NegativeDefinite);
        check_inertia(&[&[2, 0], &[0, 2]], (2, 0, 0), PositiveDefinite);
        check_inertia(&[&[2, 0], &[0, -2]], (1, 1, 0), Indefinite);
        check_inertia(&[&[2, 2], &[2, 2]], (1, 0, 1), PositiveSemidefinite);
        check_inertia(&[&[-1, 1], &[1, -1]], (0, 1, 1), NegativeSemidefinite);
        check_inertia(&[&[0, 1], &[1, 0]], (1, 1, 0), Indefinite);
        check_inertia(&[&[0, 0], &[0, 0]], (0, 0, 2), Zero);
        // Zero diagonal, 3×3: the eigenvalues are 2, −1, −1.
        check_inertia(&[&[0, 1, 1], &[1, 0, 1], &[1, 1, 0]], (1, 2, 0), Indefinite);
        // The zero diagonal returns after a 1×1 step.
        check_inertia(&[&[1, 1, 0], &[1, 1, 1], &[0, 1, 0]], (2, 1, 0), Indefinite);
        // A 2×2 block pivot followed by a 1×1 one.
        check_inertia(&[&[0, 1, 0], &[1, 0, 0], &[0, 0, 3]], (2, 1, 0), Indefinite);
        check_inertia(&[&[0, 2, 1], &[2, 0, 1], &[1, 1, 0]], (1, 2, 0), Indefinite);
    }

    #[test]
    fn definiteness_table() {
        use Definiteness::*;
        let of = |positive, negative, zero| Inertia { positive, negative, zero }.definiteness();
        assert_eq!(
            [of(3, 0, 0), of(0, 3, 0), of(2, 0, 1), of(0, 2, 1), of(1, 1, 0), of(1, 1, 1), of(0, 0, 3)],
            [
                PositiveDefinite,
                NegativeDefinite,
                PositiveSemidefinite,
                NegativeSemidefinite,
                Indefinite,
                Indefinite,
                Zero
            ]
        );
    }
}
