//! Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations: the one
//! eigen-solver of the workspace (the result viewer's PCA, the single-cell builder's PCA, the
//! realism reports).
//!
//! Used on small problems (the projected problem of a PCA, a Gram matrix of a few hundred
//! samples), where Jacobi is simple, unconditionally convergent and accurate to rounding in
//! every eigenpair. Every caller states when the sweeps stop ([`JacobiStop`]); the rotations,
//! their order and the ordering of the result are the same for all. Callers that need a
//! deterministic sign take [`SymmetricEigen::with_largest_entries_positive`].

/// Eigenvalues (descending) and their unit eigenvectors of a symmetric `n x n` matrix given
/// row-major; `vectors[i]` belongs to `values[i]`.
#[derive(Debug, Clone, PartialEq)]
pub struct SymmetricEigen {
    /// Eigenvalues, largest first (ties in their diagonal order).
    pub values: Vec<f64>,
    /// Unit eigenvectors, `vectors[i][k]` is component `k` of the vector of `values[i]`.
    pub vectors: Vec<Vec<f64>>,
}

/// When the Jacobi sweeps stop: before a sweep, once the squared off-diagonal mass of the
/// upper triangle is at most `relative` times the squared Frobenius norm of the input, or
/// below `absolute`, or its root is at most `diagonal_relative` times the current diagonal's
/// absolute sum, or it is 0; at the latest after `max_sweeps` sweeps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct JacobiStop {
    /// Share of the input's squared Frobenius norm.
    pub relative: f64,
    /// Absolute bound on the squared off-diagonal mass.
    pub absolute: f64,
    /// Share of the current diagonal's absolute sum (floored at 1e-300) bounding the
    /// off-diagonal norm; 0 leaves this test out.
    pub diagonal_relative: f64,
    /// Sweeps after which the current estimate is returned.
    pub max_sweeps: usize,
}

impl JacobiStop {
    /// Convergence to rounding (off-diagonal norm 1e-16 of the input's): what the result
    /// viewer's PCA uses. Jacobi converges quadratically, in well under 20 sweeps for the
    /// sizes used here.
    pub const TO_ROUNDING: JacobiStop = JacobiStop {
        relative: 1e-32,
        absolute: 0.0,
        diagonal_relative: 0.0,
        max_sweeps: 60,
    };

    /// Off-diagonal norm at most 1e-15 of the current diagonal's absolute sum, within 100
    /// sweeps: what the bulk builder's latent factors use.
    pub const RELATIVE_TO_DIAGONAL: JacobiStop = JacobiStop {
        relative: 0.0,
        absolute: 0.0,
        diagonal_relative: 1e-15,
        max_sweeps: 100,
    };

    /// Whether the sweeps stop at squared off-diagonal mass `off` of the current matrix `a`
    /// (`n x n`), whose input had squared Frobenius norm `total`.
    fn is_met(&self, off: f64, total: f64, a: &[f64], n: usize) -> bool {
        if off <= total * self.relative || off < self.absolute || off == 0.0 {
            return true;
        }
        if self.diagonal_relative > 0.0 {
            let diagonal: f64 = (0..n).map(|i| a[i * n + i].abs()).sum::<f64>().max(1e-300);
            return off.sqrt() <= self.diagonal_relative * diagonal;
        }
        false
    }
}

impl SymmetricEigen {
    /// The same decomposition with each eigenvector's sign chosen so that its
    /// largest-magnitude component (the first on ties) is positive.
    ///
    /// ```
    /// use synthome_analysis::{JacobiStop, symmetric_eigen};
    /// let eigen = symmetric_eigen(&[1.0, 0.0, 0.0, 1.0], 2, JacobiStop::TO_ROUNDING);
    /// let flipped = synthome_analysis::SymmetricEigen {
    ///     values: eigen.values,
    ///     vectors: vec![vec![-1.0, 0.0], vec![0.0, 1.0]],
    /// };
    /// assert_eq!(flipped.with_largest_entries_positive().vectors[0], vec![1.0, 0.0]);
    /// ```
    pub fn with_largest_entries_positive(mut self) -> SymmetricEigen {
        for vector in &mut self.vectors {
            if largest_entry_is_negative(vector) {
                vector.iter_mut().for_each(|x| *x = -*x);
            }
        }
        self
    }
}

/// Whether the largest-magnitude entry of `values` (the first on ties) is negative: the test
/// behind every sign convention of the eigenvectors and components.
pub(crate) fn largest_entry_is_negative(values: &[f64]) -> bool {
    let mut largest = 0;
    for (index, value) in values.iter().enumerate() {
        if value.abs() > values[largest].abs() {
            largest = index;
        }
    }
    values.get(largest).is_some_and(|&value| value < 0.0)
}

/// Decomposes the symmetric matrix `a` (`n * n` values, row-major; only symmetry is assumed).
///
/// ```
/// use synthome_analysis::{JacobiStop, symmetric_eigen};
/// let eigen = symmetric_eigen(&[2.0, 1.0, 1.0, 2.0], 2, JacobiStop::TO_ROUNDING);
/// assert!((eigen.values[0] - 3.0).abs() < 1e-14 && (eigen.values[1] - 1.0).abs() < 1e-14);
/// ```
pub fn symmetric_eigen(a: &[f64], n: usize, stop: JacobiStop) -> SymmetricEigen {
    let mut a = a.to_vec();
    let mut v = vec![0.0; n * n];
    for i in 0..n {
        v[i * n + i] = 1.0;
    }
    let total: f64 = a.iter().map(|x| x * x).sum();
    for _ in 0..stop.max_sweeps {
        let mut off = 0.0;
        for p in 0..n {
            for q in p + 1..n {
                off += a[p * n + q] * a[p * n + q];
            }
        }
        if stop.is_met(off, total, &a, n) {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                rotate(&mut a, &mut v, n, p, q);
            }
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| a[j * n + j].total_cmp(&a[i * n + i]).then(i.cmp(&j)));
    SymmetricEigen {
        values: order.iter().map(|&i| a[i * n + i]).collect(),
        vectors: order
            .iter()
            .map(|&i| (0..n).map(|k| v[k * n + i]).collect())
            .collect(),
    }
}

/// One Jacobi rotation in the (p, q) plane that zeroes `a[p][q]`.
fn rotate(a: &mut [f64], v: &mut [f64], n: usize, p: usize, q: usize) {
    let apq = a[p * n + q];
    if apq == 0.0 {
        return;
    }
    let theta = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
    let t = if theta.abs() > 1e150 {
        0.5 / theta
    } else {
        let sign = if theta < 0.0 { -1.0 } else { 1.0 };
        sign / (theta.abs() + (theta * theta + 1.0).sqrt())
    };
    let c = 1.0 / (t * t + 1.0).sqrt();
    let s = t * c;
    for k in 0..n {
        let (akp, akq) = (a[k * n + p], a[k * n + q]);
        a[k * n + p] = c * akp - s * akq;
        a[k * n + q] = s * akp + c * akq;
    }
    for k in 0..n {
        let (apk, aqk) = (a[p * n + k], a[q * n + k]);
        a[p * n + k] = c * apk - s * aqk;
        a[q * n + k] = s * apk + c * aqk;
    }
    for k in 0..n {
        let (vkp, vkq) = (v[k * n + p], v[k * n + q]);
        v[k * n + p] = c * vkp - s * vkq;
        v[k * n + q] = s * vkp + c * vkq;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_decomposition(a: &[f64], n: usize) {
        let eigen = symmetric_eigen(a, n, JacobiStop::TO_ROUNDING);
        for (value, vector) in eigen.values.iter().zip(&eigen.vectors) {
            let norm: f64 = vector.iter().map(|x| x * x).sum();
            assert!((norm - 1.0).abs() < 1e-12);
            for row in 0..n {
                let av: f64 = (0..n).map(|k| a[row * n + k] * vector[k]).sum();
                assert!((av - value * vector[row]).abs() < 1e-10, "{av} vs {value}");
            }
        }
        assert!(eigen.values.windows(2).all(|pair| pair[0] >= pair[1]));
        for i in 0..n {
            for j in 0..i {
                let dot: f64 = (0..n)
                    .map(|k| eigen.vectors[i][k] * eigen.vectors[j][k])
                    .sum();
                assert!(dot.abs() < 1e-12);
            }
        }
    }

    #[test]
    fn known_two_by_two() {
        let eigen = symmetric_eigen(&[2.0, 1.0, 1.0, 2.0], 2, JacobiStop::TO_ROUNDING);
        assert!((eigen.values[0] - 3.0).abs() < 1e-14);
        assert!((eigen.values[1] - 1.0).abs() < 1e-14);
        assert!((eigen.vectors[0][0].abs() - 0.5f64.sqrt()).abs() < 1e-14);
    }

    #[test]
    fn stops_relative_to_the_diagonal_with_oriented_vectors() {
        // [[2,1],[1,2]]: eigenvalues 3 and 1, vectors (1,1)/sqrt2 and +-(1,-1)/sqrt2
        let eigen = symmetric_eigen(&[2.0, 1.0, 1.0, 2.0], 2, JacobiStop::RELATIVE_TO_DIAGONAL)
            .with_largest_entries_positive();
        assert!((eigen.values[0] - 3.0).abs() < 1e-12 && (eigen.values[1] - 1.0).abs() < 1e-12);
        let h = std::f64::consts::FRAC_1_SQRT_2;
        assert!((eigen.vectors[0][0] - h).abs() < 1e-12 && (eigen.vectors[0][1] - h).abs() < 1e-12);
        assert!((eigen.vectors[1][0] - h).abs() < 1e-12);
        let negated = SymmetricEigen {
            values: vec![1.0],
            vectors: vec![vec![0.6, -0.8]],
        };
        assert_eq!(
            negated.with_largest_entries_positive().vectors[0],
            vec![-0.6, 0.8]
        );
    }

    #[test]
    fn decomposes_assorted_symmetric_matrices() {
        // A Hilbert matrix (ill-conditioned), a matrix with repeated eigenvalues and a
        // pseudo-random one.
        let n = 6;
        let hilbert: Vec<f64> = (0..n * n)
            .map(|k| 1.0 / ((k / n + k % n + 1) as f64))
            .collect();
        check_decomposition(&hilbert, n);
        let mut repeated = vec![0.0; 16];
        for i in 0..4 {
            repeated[i * 4 + i] = if i < 2 { 5.0 } else { -1.0 };
        }
        check_decomposition(&repeated, 4);
        let mut state = 12345u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        };
        let n = 12;
        let mut random = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..=i {
                let x = next();
                random[i * n + j] = x;
                random[j * n + i] = x;
            }
        }
        check_decomposition(&random, n);
    }

    #[test]
    fn diagonalises_a_small_symmetric_matrix() {
        let m = [4.0, 1.0, 0.5, 1.0, 3.0, 0.2, 0.5, 0.2, 1.0];
        let eigen = symmetric_eigen(&m, 3, JacobiStop::TO_ROUNDING);
        assert!((eigen.values.iter().sum::<f64>() - 8.0).abs() < 1e-9);
        check_decomposition(&m, 3);
    }

    #[test]
    fn empty_and_diagonal() {
        assert!(
            symmetric_eigen(&[], 0, JacobiStop::TO_ROUNDING)
                .values
                .is_empty()
        );
        let eigen = symmetric_eigen(&[1.0, 0.0, 0.0, 4.0], 2, JacobiStop::TO_ROUNDING);
        assert_eq!(eigen.values, vec![4.0, 1.0]);
        assert_eq!(eigen.vectors[0], vec![0.0, 1.0]);
    }
}
