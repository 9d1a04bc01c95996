//! Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations.
//!
//! Used on the projected problem of the PCA (a few dozen rows), where Jacobi is simple,
//! unconditionally convergent and accurate to rounding in every eigenpair.

/// Eigenvalues (descending) and their unit eigenvectors of a symmetric `n x n` matrix given
/// row-major; `vectors[i]` belongs to `values[i]`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SymmetricEigen {
    pub values: Vec<f64>,
    pub vectors: Vec<Vec<f64>>,
}

/// Sweeps after which Jacobi stops even if off-diagonal mass remains (it converges
/// quadratically, in well under 20 sweeps for any matrix of the sizes used here).
const MAX_SWEEPS: usize = 60;

/// Decomposes the symmetric matrix `a` (`n * n` values, row-major; only symmetry is assumed).
pub(crate) fn symmetric_eigen(a: &[f64], n: usize) -> SymmetricEigen {
    let mut a = a.to_vec();
    let mut v = vec![0.0; n * n];
    for i in 0..n {
        v[i * n + i] = 1.0;
    }
    let total: f64 = a.iter().map(|x| x * x).sum();
    for _ in 0..MAX_SWEEPS {
        let mut off = 0.0;
        for p in 0..n {
            for q in p + 1..n {
                off += a[p * n + q] * a[p * n + q];
            }
        }
        if off <= total * 1e-32 || off == 0.0 {
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
        let eigen = symmetric_eigen(a, n);
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
        let eigen = symmetric_eigen(&[2.0, 1.0, 1.0, 2.0], 2);
        assert!((eigen.values[0] - 3.0).abs() < 1e-14);
        assert!((eigen.values[1] - 1.0).abs() < 1e-14);
        assert!((eigen.vectors[0][0].abs() - 0.5f64.sqrt()).abs() < 1e-14);
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
    fn empty_and_diagonal() {
        assert!(symmetric_eigen(&[], 0).values.is_empty());
        let eigen = symmetric_eigen(&[1.0, 0.0, 0.0, 4.0], 2);
        assert_eq!(eigen.values, vec![4.0, 1.0]);
        assert_eq!(eigen.vectors[0], vec![0.0, 1.0]);
    }
}
