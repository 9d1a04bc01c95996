//! The one small dense solve the families need: Cholesky of a symmetric positive definite
//! K x K matrix (K = latent factors, at most a few dozen), in fixed order (index loops: the
//! triangular recurrences read the row being written)
#![allow(clippy::needless_range_loop)]

/// The lower-triangular factor `L` of `A = L L^T`
pub struct Cholesky {
    n: usize,
    lower: Vec<f64>,
}

impl Cholesky {
    /// Factors the row-major `n x n` matrix `a` (symmetric positive definite; a pivot that is
    /// not positive is clamped to a tiny value, so a degenerate matrix still solves)
    pub fn new(a: &[f64], n: usize) -> Cholesky {
        let mut lower = vec![0.0f64; n * n];
        for i in 0..n {
            for j in 0..=i {
                let mut sum = a[i * n + j];
                for k in 0..j {
                    sum -= lower[i * n + k] * lower[j * n + k];
                }
                if i == j {
                    lower[i * n + i] = sum.max(1e-12).sqrt();
                } else {
                    lower[i * n + j] = sum / lower[j * n + j];
                }
            }
        }
        Cholesky { n, lower }
    }

    /// x with `A x = b`
    pub fn solve(&self, b: &[f64]) -> Vec<f64> {
        let n = self.n;
        let mut y = vec![0.0f64; n];
        for i in 0..n {
            let mut sum = b[i];
            for k in 0..i {
                sum -= self.lower[i * n + k] * y[k];
            }
            y[i] = sum / self.lower[i * n + i];
        }
        let mut x = vec![0.0f64; n];
        for i in (0..n).rev() {
            let mut sum = y[i];
            for k in i + 1..n {
                sum -= self.lower[k * n + i] * x[k];
            }
            x[i] = sum / self.lower[i * n + i];
        }
        x
    }

    /// `L^-T e`: turns standard normal draws `e` into draws with covariance `A^-1`
    pub fn inverse_transpose_times(&self, e: &[f64]) -> Vec<f64> {
        let n = self.n;
        let mut x = vec![0.0f64; n];
        for i in (0..n).rev() {
            let mut sum = e[i];
            for k in i + 1..n {
                sum -= self.lower[k * n + i] * x[k];
            }
            x[i] = sum / self.lower[i * n + i];
        }
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_a_small_system() {
        let a = [4.0, 2.0, 0.6, 2.0, 2.0, 0.5, 0.6, 0.5, 3.0];
        let x = Cholesky::new(&a, 3).solve(&[1.0, 2.0, 3.0]);
        for row in 0..3 {
            let got: f64 = (0..3).map(|col| a[row * 3 + col] * x[col]).sum();
            assert!((got - [1.0, 2.0, 3.0][row]).abs() < 1e-12);
        }
    }
}
