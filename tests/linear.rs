//! Exact linear algebra against independent oracles: products `A·x`, the
//! rank as the size of the largest nonzero minor (cofactor expansion), the
//! Rouché–Capelli test for consistency, Sylvester's law of inertia for
//! `Mᵀ·D·M`, and Descartes' rule of signs on the characteristic polynomial
//! (exact for a symmetric matrix, whose eigenvalues are all real).

use kobai::{Definiteness, Family, Inertia, LinearSolution, Q, determinant, inertia, matrix_rank, solve_linear};
use proptest::prelude::*;

type Matrix = Vec<Vec<Q>>;

fn q(n: i64) -> Q {
    Q::from(n)
}

fn sum(values: impl IntoIterator<Item = Q>) -> Q {
    values.into_iter().fold(Q::zero(), |s, x| s.add(&x))
}

fn mat_vec(a: &[Vec<Q>], x: &[Q]) -> Vec<Q> {
    a.iter().map(|row| sum(row.iter().zip(x).map(|(a, x)| a.mul(x)))).collect()
}

fn mat_mul(a: &[Vec<Q>], b: &[Vec<Q>]) -> Matrix {
    let cols = b.first().map_or(0, Vec::len);
    a.iter().map(|row| (0..cols).map(|j| sum(row.iter().zip(b).map(|(x, b_row)| x.mul(&b_row[j])))).collect()).collect()
}

fn transpose(a: &[Vec<Q>]) -> Matrix {
    let cols = a.first().map_or(0, Vec::len);
    (0..cols).map(|j| a.iter().map(|row| row[j].clone()).collect()).collect()
}

/// The determinant by cofactor expansion along the first row.
fn cofactor_determinant(a: &[Vec<Q>]) -> Q {
    if a.is_empty() {
        return Q::one();
    }
    let mut det = Q::zero();
    for (j, entry) in a[0].iter().enumerate() {
        if entry.is_zero() {
            continue;
        }
        let minor: Matrix = a[1..]
            .iter()
            .map(|row| row.iter().enumerate().filter(|(k, _)| *k != j).map(|(_, x)| x.clone()).collect())
            .collect();
        let term = entry.mul(&cofactor_determinant(&minor));
        det = if j % 2 == 0 { det.add(&term) } else { det.sub(&term) };
    }
    det
}

fn subsets(n: usize, k: usize) -> Vec<Vec<usize>> {
    if k == 0 {
        return vec![vec![]];
    }
    (k - 1..n)
        .flat_map(|last| {
            subsets(last, k - 1).into_iter().map(move |mut s| {
                s.push(last);
                s
            })
        })
        .collect()
}

/// The rank as the size of the largest nonzero minor.
fn rank_by_minors(a: &[Vec<Q>]) -> usize {
    let (m, n) = (a.len(), a.first().map_or(0, Vec::len));
    (1..=m.min(n))
        .rev()
        .find(|&k| {
            subsets(m, k).iter().any(|rows| {
                subsets(n, k).iter().any(|cols| {
                    let minor: Matrix = rows.iter().map(|&i| cols.iter().map(|&j| a[i][j].clone()).collect()).collect();
                    !cofactor_determinant(&minor).is_zero()
                })
            })
        })
        .unwrap_or(0)
}

/// The inertia from the characteristic polynomial: its roots are the
/// eigenvalues, all real, so Descartes' rule of signs counts them exactly.
fn inertia_by_descartes(h: &[Vec<Q>]) -> Inertia {
    let n = h.len();
    // Faddeev–LeVerrier: coefficients c[k] of λ^k in det(λI − H).
    let mut c = vec![Q::zero(); n + 1];
    c[n] = Q::one();
    let mut m: Matrix = vec![vec![Q::zero(); n]; n];
    for k in 1..=n {
        let mut next = mat_mul(h, &m);
        for (i, row) in next.iter_mut().enumerate() {
            row[i] = row[i].add(&c[n + 1 - k]);
        }
        m = next;
        let trace = sum(mat_mul(h, &m).iter().enumerate().map(|(i, row)| row[i].clone()));
        c[n - k] = trace.neg().div(&Q::from(k as i64)).unwrap();
    }
    let zero = c.iter().take_while(|x| x.is_zero()).count();
    let sign_changes = |coeffs: &[Q]| {
        let signs: Vec<i32> = coeffs.iter().map(Q::signum).filter(|&s| s != 0).collect();
        signs.windows(2).filter(|w| w[0] != w[1]).count()
    };
    let flipped: Vec<Q> = c.iter().enumerate().map(|(k, x)| if k % 2 == 1 { x.neg() } else { x.clone() }).collect();
    Inertia { positive: sign_changes(&c), negative: sign_changes(&flipped), zero }
}

/// Checks that every member of the family solves the system and that the
/// family is as large as the rank says.
fn check_family(a: &[Vec<Q>], b: &[Q], family: &Family, free_values: &[Q]) -> Result<(), TestCaseError> {
    let n = a.first().map_or(0, Vec::len);
    prop_assert_eq!(family.free().len() + family.rank(), n);
    prop_assert_eq!(family.expressions().len(), n);
    prop_assert_eq!(mat_vec(a, &family.particular()), b.to_vec());
    let values: Vec<Q> = free_values.iter().cycle().take(family.free().len()).cloned().collect();
    let member = family.at(&values).unwrap();
    prop_assert_eq!(mat_vec(a, &member), b.to_vec());
    for (f, value) in family.free().iter().zip(&values) {
        prop_assert_eq!(&member[*f], value);
    }
    for direction in family.null_space() {
        prop_assert!(mat_vec(a, &direction).iter().all(Q::is_zero));
    }
    Ok(())
}

/// Checks the solution of `A·x = b` against the Rouché–Capelli theorem and
/// verifies whatever it claims.
fn check_solution(a: &[Vec<Q>], b: &[Q], free_values: &[Q]) -> Result<(), TestCaseError> {
    let n = a.first().map_or(0, Vec::len);
    let rank = rank_by_minors(a);
    let augmented: Matrix = a.iter().zip(b).map(|(row, rhs)| row.iter().chain([rhs]).cloned().collect()).collect();
    let consistent = rank_by_minors(&augmented) == rank;
    let solution = solve_linear(a, b).unwrap();
    prop_assert_eq!(solution.rank(), rank);
    prop_assert_eq!(matrix_rank(a).unwrap(), rank);
    match solution {
        LinearSolution::Unique(x) => {
            prop_assert!(consistent && rank == n);
            prop_assert_eq!(mat_vec(a, &x), b.to_vec());
        }
        LinearSolution::Family(family) => {
            prop_assert!(consistent && rank < n);
            check_family(a, b, &family, free_values)?;
        }
        LinearSolution::Inconsistent(why) => {
            prop_assert!(!consistent);
            let y = why.combination();
            prop_assert_eq!(y.len(), a.len());
            prop_assert!(mat_vec(&transpose(a), y).iter().all(Q::is_zero));
            prop_assert_eq!(&sum(y.iter().zip(b).map(|(y, b)| y.mul(b))), why.contradiction());
            prop_assert!(!why.contradiction().is_zero());
            prop_assert!(y.iter().all(Q::is_integer));
            prop_assert!(!y.iter().find(|x| !x.is_zero()).unwrap().is_negative());
        }
    }
    Ok(())
}

fn small_rational() -> impl Strategy<Value = Q> + Clone {
    (-6i64..=6, 1i64..=4).prop_map(|(n, d)| Q::new(n, d))
}

fn small_integer(bound: i64) -> impl Strategy<Value = Q> + Clone {
    (-bound..=bound).prop_map(Q::from)
}

/// Integers and fractions, a third of them zero.
fn mixed_entry() -> impl Strategy<Value = Q> + Clone {
    prop_oneof![Just(Q::zero()), small_integer(2), small_rational()]
}

/// The symmetric matrix with the upper triangle of `upper`, its diagonal
/// cleared when asked.
fn symmetrize(upper: &[Vec<Q>], zero_diagonal: bool) -> Matrix {
    let n = upper.len();
    (0..n)
        .map(|i| {
            (0..n)
                .map(|j| match i.cmp(&j) {
                    std::cmp::Ordering::Equal if zero_diagonal => Q::zero(),
                    std::cmp::Ordering::Greater => upper[j][i].clone(),
                    _ => upper[i][j].clone(),
                })
                .collect()
        })
        .collect()
}

fn matrix_of<S: Strategy<Value = Q> + Clone>(entry: S, rows: usize, cols: usize) -> impl Strategy<Value = Matrix> {
    prop::collection::vec(prop::collection::vec(entry, cols), rows)
}

/// An invertible matrix `P·L·U`: a permutation, a unit lower triangular
/// factor with small rational entries and a unit upper triangular one with
/// small integer entries (determinant ±1).
fn invertible(n: usize) -> impl Strategy<Value = Matrix> {
    let order: Vec<usize> = (0..n).collect();
    (matrix_of(mixed_entry(), n, n), matrix_of(small_integer(3), n, n), Just(order).prop_shuffle()).prop_map(
        move |(l, u, order)| {
            let triangle = |m: &Matrix, lower: bool| -> Matrix {
                (0..n)
                    .map(|i| {
                        (0..n)
                            .map(|j| match i.cmp(&j) {
                                std::cmp::Ordering::Equal => Q::one(),
                                std::cmp::Ordering::Greater if lower => m[i][j].clone(),
                                std::cmp::Ordering::Less if !lower => m[i][j].clone(),
                                _ => Q::zero(),
                            })
                            .collect()
                    })
                    .collect()
            };
            let lu = mat_mul(&triangle(&l, true), &triangle(&u, false));
            order.iter().map(|&i| lu[i].clone()).collect()
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_square_systems_recover_the_known_solution(
        (a, x0) in (1usize..=6).prop_flat_map(|n| (matrix_of(small_rational(), n, n), prop::collection::vec(small_rational(), n)))
    ) {
        let b = mat_vec(&a, &x0);
        let det = cofactor_determinant(&a);
        prop_assert_eq!(determinant(&a).unwrap(), det.clone());
        let solution = solve_linear(&a, &b).unwrap();
        if det.is_zero() {
            prop_assert!(matches!(solution, LinearSolution::Family(_)));
        } else {
            prop_assert_eq!(solution, LinearSolution::Unique(x0));
        }
    }

    #[test]
    fn invertible_systems_have_a_unique_solution(
        (a, x0) in (1usize..=6).prop_flat_map(|n| (invertible(n), prop::collection::vec(small_rational(), n)))
    ) {
        let b = mat_vec(&a, &x0);
        prop_assert!(!determinant(&a).unwrap().is_zero());
        let LinearSolution::Unique(x) = solve_linear(&a, &b).unwrap() else {
            return Err(TestCaseError::fail("an invertible system must have one solution"));
        };
        prop_assert_eq!(mat_vec(&a, &x), b);
        prop_assert_eq!(x, x0);
    }

    #[test]
    fn low_rank_systems_are_families(
        (left, right, n, x0, free_values) in (1usize..=5, 1usize..=5)
            .prop_flat_map(|(m, n)| (Just(m), Just(n), 0..=m.min(n)))
            .prop_flat_map(|(m, n, r)| (
                matrix_of(small_integer(3), m, r),
                matrix_of(small_rational(), r, n),
                Just(n),
                prop::collection::vec(small_rational(), n),
                prop::collection::vec(small_rational(), 1..=5),
            ))
    ) {
        // A = left·right has rank at most r; with r = 0 it is the zero matrix.
        let a = if right.is_empty() { vec![vec![Q::zero(); n]; left.len()] } else { mat_mul(&left, &right) };
        let b = mat_vec(&a, &x0);
        check_solution(&a, &b, &free_values)?;
        prop_assert!(!matches!(solve_linear(&a, &b).unwrap(), LinearSolution::Inconsistent(_)));
    }

    #[test]
    fn arbitrary_systems_follow_rouche_capelli(
        (a, b, free_values) in (0usize..=4, 0usize..=4).prop_flat_map(|(m, n)| (
            matrix_of(small_integer(2), m, n),
            prop::collection::vec(small_integer(2), m),
            prop::collection::vec(small_rational(), 1..=4),
        ))
    ) {
        check_solution(&a, &b, &free_values)?;
    }

    #[test]
    fn dependent_equations_with_a_broken_right_hand_side_are_inconsistent(
        (a, b, multipliers, offset) in (1usize..=4, 1usize..=4).prop_flat_map(|(m, n)| (
            matrix_of(small_rational(), m, n),
            prop::collection::vec(small_rational(), m),
            prop::collection::vec(small_integer(3), m),
            small_rational().prop_filter("nonzero", |x| !x.is_zero()),
        ))
    ) {
        // Append the combination Σ yᵢ·(equation i) with its right-hand side moved.
        let mut a = a;
        let mut b = b;
        let combined = mat_vec(&transpose(&a), &multipliers);
        let rhs = sum(multipliers.iter().zip(&b).map(|(y, b)| y.mul(b))).add(&offset);
        a.push(combined);
        b.push(rhs);
        prop_assert!(matches!(solve_linear(&a, &b).unwrap(), LinearSolution::Inconsistent(_)));
        check_solution(&a, &b, &[Q::one()])?;
    }

    #[test]
    fn inertia_follows_sylvesters_law(
        (m, d) in (1usize..=6).prop_flat_map(|n| (invertible(n), prop::collection::vec(mixed_entry(), n)))
    ) {
        let n = d.len();
        let diagonal: Matrix =
            (0..n).map(|i| (0..n).map(|j| if i == j { d[i].clone() } else { Q::zero() }).collect()).collect();
        let h = mat_mul(&transpose(&m), &mat_mul(&diagonal, &m));
        let expected = Inertia {
            positive: d.iter().filter(|x| x.signum() > 0).count(),
            negative: d.iter().filter(|x| x.signum() < 0).count(),
            zero: d.iter().filter(|x| x.is_zero()).count(),
        };
        let found = inertia(&h).unwrap();
        prop_assert_eq!(found, expected);
        prop_assert_eq!(found.zero, n - matrix_rank(&h).unwrap());
    }

    #[test]
    fn inertia_agrees_with_the_characteristic_polynomial(
        (upper, zero_diagonal) in (1usize..=6).prop_flat_map(|n| (matrix_of(mixed_entry(), n, n), any::<bool>()))
    ) {
        // Often clear the diagonal, to force the zero-diagonal congruence.
        let h = symmetrize(&upper, zero_diagonal);
        let found = inertia(&h).unwrap();
        prop_assert_eq!(found, inertia_by_descartes(&h));
        prop_assert_eq!(found.zero, h.len() - matrix_rank(&h).unwrap());
        let expected = match (found.positive, found.negative, found.zero) {
            (0, 0, _) => Definiteness::Zero,
            (_, 0, 0) => Definiteness::PositiveDefinite,
            (0, _, 0) => Definiteness::NegativeDefinite,
            (_, 0, _) => Definiteness::PositiveSemidefinite,
            (0, _, _) => Definiteness::NegativeSemidefinite,
            _ => Definiteness::Indefinite,
        };
        prop_assert_eq!(found.definiteness(), expected);
    }

    #[test]
    fn inertia_of_zero_diagonal_matrices(
        upper in (3usize..=8).prop_flat_map(|n| matrix_of(small_integer(2), n, n))
    ) {
        // With no diagonal pivot, every first step is the congruence
        // `row_i += row_j, col_i += col_j`, and later ones often are too.
        let h = symmetrize(&upper, true);
        prop_assert_eq!(inertia(&h).unwrap(), inertia_by_descartes(&h));
    }

    #[test]
    fn determinant_matches_cofactor_expansion(
        a in (0usize..=6).prop_flat_map(|n| matrix_of(small_rational(), n, n))
    ) {
        prop_assert_eq!(determinant(&a).unwrap(), cofactor_determinant(&a));
    }
}

/// A small deterministic generator, so the large cases are reproducible.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: i64) -> i64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % (2 * bound as u64 + 1)) as i64 - bound
    }
}

#[test]
fn ten_by_ten_rational_system() {
    let mut rng = Lcg(10);
    let a: Matrix = (0..10).map(|_| (0..10).map(|_| Q::new(rng.next(9), rng.next(4).abs() + 1)).collect()).collect();
    let x0: Vec<Q> = (0..10).map(|_| Q::new(rng.next(20), rng.next(6).abs() + 1)).collect();
    let b = mat_vec(&a, &x0);
    assert!(!determinant(&a).unwrap().is_zero());
    assert_eq!(solve_linear(&a, &b).unwrap(), LinearSolution::Unique(x0));
}

#[test]
fn thirty_by_thirty_integer_system() {
    let mut rng = Lcg(30);
    let a: Matrix = (0..30).map(|_| (0..30).map(|_| Q::from(rng.next(1000))).collect()).collect();
    let x0: Vec<Q> = (0..30).map(|_| Q::new(rng.next(1000), rng.next(50).abs() + 1)).collect();
    let b = mat_vec(&a, &x0);
    let det = determinant(&a).unwrap();
    assert!(!det.is_zero() && det.is_integer());
    let LinearSolution::Unique(x) = solve_linear(&a, &b).unwrap() else { panic!("expected a unique solution") };
    assert_eq!(mat_vec(&a, &x), b);
    assert_eq!(x, x0);
    // The same matrix with one row repeated: rank 29, a one-parameter family.
    let mut singular = a.clone();
    singular[29] = singular[3].clone();
    let b = mat_vec(&singular, &x0);
    let LinearSolution::Family(family) = solve_linear(&singular, &b).unwrap() else { panic!("expected a family") };
    assert_eq!((family.rank(), family.free().len()), (29, 1));
    assert_eq!(mat_vec(&singular, &family.at(&[q(7)]).unwrap()), b);
    assert_eq!(determinant(&singular).unwrap(), q(0));
}

#[test]
fn least_squares_normal_equations() {
    // (w0 + w1 − 2)² + (w0 + 2·w1 − 3)² + (w0 + 4·w1 − 7)²: ∇ = 0 is XᵀX·w = Xᵀy.
    let x = [[1, 1], [1, 2], [1, 4]].map(|row| row.map(q).to_vec()).to_vec();
    let y = [2, 3, 7].map(q).to_vec();
    let xt = transpose(&x);
    let normal = mat_mul(&xt, &x);
    let rhs = mat_vec(&xt, &y);
    assert_eq!(solve_linear(&normal, &rhs).unwrap(), LinearSolution::Unique(vec![q(0), Q::new(12, 7)]));
    assert_eq!(inertia(&normal).unwrap().definiteness(), Definiteness::PositiveDefinite);
    // Two identical inputs cannot separate two weights: a family, and a
    // semidefinite Hessian.
    let x = [[1, 1], [1, 1]].map(|row| row.map(q).to_vec()).to_vec();
    let y = [1, 3].map(q).to_vec();
    let xt = transpose(&x);
    let normal = mat_mul(&xt, &x);
    let LinearSolution::Family(family) = solve_linear(&normal, &mat_vec(&xt, &y)).unwrap() else { panic!() };
    assert_eq!(family.free(), &[1]);
    assert_eq!(family.particular(), vec![q(2), q(0)]);
    assert_eq!(inertia(&normal).unwrap().definiteness(), Definiteness::PositiveSemidefinite);
}

#[test]
fn zero_diagonal_congruence_needs_both_halves() {
    // Adding row j to row i without also adding column j to column i is not
    // a congruence; on this matrix it would report (5, 1, 0).
    let h: Matrix = [
        [0, 2, -2, -2, -1, 0],
        [2, 0, 2, -2, 0, -2],
        [-2, 2, 0, -2, 0, 1],
        [-2, -2, -2, 0, 0, 2],
        [-1, 0, 0, 0, 0, 2],
        [0, -2, 1, 2, 2, 0],
    ]
    .map(|row| row.map(q).to_vec())
    .to_vec();
    let expected = Inertia { positive: 3, negative: 3, zero: 0 };
    assert_eq!(inertia_by_descartes(&h), expected);
    assert_eq!(inertia(&h).unwrap(), expected);
}
