//! Dense linear algebra on small row-major matrices (a few thousand rows, a few thousand
//! columns), all in f64 with a fixed order of operations: products, Gram-Schmidt, Euclidean
//! distances, and the two PCAs of dense data the builders and realism reports use.
//!
//! - [`randomized_pca`]: the top components of a column-centred matrix by randomized subspace
//!   iteration with a fixed number of power steps (Halko, Martinsson & Tropp 2011, algorithm
//!   4.4), started from a block of normal draws the caller supplies (the single-cell builder's
//!   embedding and latent factors).
//! - [`exact_pca_scores`]: exact scores of a few samples with many features, from the
//!   eigen-decomposition of the samples' Gram matrix (the bulk realism report).
//!
//! The result viewer's PCA ([`crate::pca`]) is a third front end on the same eigen-solver: it
//! keeps sparse input sparse, centres implicitly and iterates to a tolerance. Each front end's
//! [`JacobiStop`] is the one its committed outputs were made with.

use crate::eigen::{JacobiStop, symmetric_eigen};

/// Sweeps stop of [`randomized_pca`]: squared off-diagonal mass below 5e-23, absolute.
const RANDOMIZED_STOP: JacobiStop = JacobiStop {
    relative: 0.0,
    absolute: 5e-23,
    diagonal_relative: 0.0,
    max_sweeps: 100,
};
/// Sweeps stop of [`exact_pca_scores`]: off-diagonal norm 1e-14 of the input's (the upper
/// triangle's squared mass `0.5e-28` of the input's squared norm).
const EXACT_STOP: JacobiStop = JacobiStop {
    relative: 5e-29,
    absolute: 0.0,
    diagonal_relative: 0.0,
    max_sweeps: 100,
};
/// Power steps of [`randomized_pca`].
const POWER_STEPS: usize = 4;
/// Extra block columns of [`randomized_pca`] beyond the requested components.
const OVERSAMPLING: usize = 10;

/// A dense row-major matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct DenseMatrix {
    /// Rows.
    pub rows: usize,
    /// Columns.
    pub cols: usize,
    /// Values, row-major.
    pub data: Vec<f64>,
}

impl DenseMatrix {
    /// A matrix of zeros.
    pub fn zeros(rows: usize, cols: usize) -> DenseMatrix {
        DenseMatrix {
            rows,
            cols,
            data: vec![0.0; rows * cols],
        }
    }

    /// One row.
    pub fn row(&self, row: usize) -> &[f64] {
        &self.data[row * self.cols..(row + 1) * self.cols]
    }

    /// One row, mutable.
    pub fn row_mut(&mut self, row: usize) -> &mut [f64] {
        &mut self.data[row * self.cols..(row + 1) * self.cols]
    }

    /// The value at (row, col).
    pub fn at(&self, row: usize, col: usize) -> f64 {
        self.data[row * self.cols + col]
    }
}

/// `a * b`.
pub fn multiply(a: &DenseMatrix, b: &DenseMatrix) -> DenseMatrix {
    let mut out = DenseMatrix::zeros(a.rows, b.cols);
    for i in 0..a.rows {
        let a_row = a.row(i);
        let out_row = &mut out.data[i * b.cols..(i + 1) * b.cols];
        for (k, &a_ik) in a_row.iter().enumerate() {
            if a_ik == 0.0 {
                continue;
            }
            for (value, &b_kj) in out_row.iter_mut().zip(b.row(k)) {
                *value += a_ik * b_kj;
            }
        }
    }
    out
}

/// `a^T * b`.
pub fn multiply_transposed(a: &DenseMatrix, b: &DenseMatrix) -> DenseMatrix {
    let mut out = DenseMatrix::zeros(a.cols, b.cols);
    for k in 0..a.rows {
        let b_row = b.row(k);
        for (i, &a_ki) in a.row(k).iter().enumerate() {
            if a_ki == 0.0 {
                continue;
            }
            let out_row = &mut out.data[i * b.cols..(i + 1) * b.cols];
            for (value, &b_kj) in out_row.iter_mut().zip(b_row) {
                *value += a_ki * b_kj;
            }
        }
    }
    out
}

/// Orthonormalises the columns in place (modified Gram-Schmidt, once; a dependent column
/// becomes 0).
pub fn orthonormalise_columns(m: &mut DenseMatrix) {
    for j in 0..m.cols {
        for previous in 0..j {
            let dot: f64 = (0..m.rows).map(|i| m.at(i, j) * m.at(i, previous)).sum();
            for i in 0..m.rows {
                let value = m.at(i, previous);
                m.data[i * m.cols + j] -= dot * value;
            }
        }
        let norm = (0..m.rows)
            .map(|i| m.at(i, j) * m.at(i, j))
            .sum::<f64>()
            .sqrt();
        for i in 0..m.rows {
            m.data[i * m.cols + j] = if norm > 1e-12 { m.at(i, j) / norm } else { 0.0 };
        }
    }
}

/// Squared Euclidean distance.
pub fn squared_distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

/// The top principal components of a column-centred matrix.
#[derive(Debug, Clone)]
pub struct DensePca {
    /// Row scores, rows x k (`U S`).
    pub scores: DenseMatrix,
    /// Column loadings, cols x k (unit columns).
    pub loadings: DenseMatrix,
    /// Variance of each component's scores (eigenvalue / rows).
    pub variances: Vec<f64>,
}

/// Top `k` components of the column-centred `x` by randomized subspace iteration: 4 power
/// steps, 10 extra columns, a start block of standard normal draws taken from `normal` in
/// row-major order (columns x block width).
pub fn randomized_pca(x: &DenseMatrix, k: usize, mut normal: impl FnMut() -> f64) -> DensePca {
    let k = k.min(x.rows).min(x.cols);
    let width = (k + OVERSAMPLING).min(x.cols).min(x.rows);
    let mut omega = DenseMatrix::zeros(x.cols, width);
    for value in &mut omega.data {
        *value = normal();
    }
    let mut y = multiply(x, &omega);
    orthonormalise_columns(&mut y);
    for _ in 0..POWER_STEPS {
        let mut z = multiply_transposed(x, &y);
        orthonormalise_columns(&mut z);
        y = multiply(x, &z);
        orthonormalise_columns(&mut y);
    }
    // B = Y^T X (width x cols); B B^T = V L V^T
    let b = multiply_transposed(&y, x);
    let mut gram = vec![0.0; width * width];
    for i in 0..width {
        for j in 0..width {
            gram[i * width + j] = b.row(i).iter().zip(b.row(j)).map(|(p, q)| p * q).sum();
        }
    }
    let eigen = symmetric_eigen(&gram, width, RANDOMIZED_STOP);
    let mut scores = DenseMatrix::zeros(x.rows, k);
    let mut loadings = DenseMatrix::zeros(x.cols, k);
    let mut variances = Vec::with_capacity(k);
    for component in 0..k {
        let value = eigen.values[component].max(0.0);
        let vector = &eigen.vectors[component];
        let singular = value.sqrt();
        variances.push(value / x.rows.max(1) as f64);
        for i in 0..x.rows {
            let u: f64 = (0..width).map(|w| y.at(i, w) * vector[w]).sum();
            scores.data[i * k + component] = u * singular;
        }
        for g in 0..x.cols {
            let v: f64 = (0..width).map(|w| b.at(w, g) * vector[w]).sum();
            loadings.data[g * k + component] = if singular > 1e-12 { v / singular } else { 0.0 };
        }
    }
    DensePca {
        scores,
        loadings,
        variances,
    }
}

/// Scores of `rows[sample][feature]` on the top `k` principal components of the centred
/// data (fewer when the rank is lower), exact: from the eigen-decomposition of the samples'
/// Gram matrix; `scores[sample][component]`.
pub fn exact_pca_scores(rows: &[Vec<f64>], k: usize) -> Vec<Vec<f64>> {
    let n = rows.len();
    let n_features = rows.first().map_or(0, Vec::len);
    let mut centre = vec![0.0; n_features];
    for row in rows {
        for (c, v) in centre.iter_mut().zip(row) {
            *c += v / n as f64;
        }
    }
    let centred: Vec<Vec<f64>> = rows
        .iter()
        .map(|row| row.iter().zip(&centre).map(|(v, c)| v - c).collect())
        .collect();
    let mut gram = vec![0.0; n * n];
    for i in 0..n {
        for j in i..n {
            let dot: f64 = centred[i].iter().zip(&centred[j]).map(|(a, b)| a * b).sum();
            gram[i * n + j] = dot;
            gram[j * n + i] = dot;
        }
    }
    let eigen = symmetric_eigen(&gram, n, EXACT_STOP);
    let tolerance = eigen.values.first().copied().unwrap_or(0.0).max(0.0) * 1e-10;
    let kept = eigen
        .values
        .iter()
        .take(k)
        .take_while(|&&v| v > tolerance)
        .count();
    (0..n)
        .map(|i| {
            (0..kept)
                .map(|c| eigen.vectors[c][i] * eigen.values[c].sqrt())
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A seeded stream of standard normal draws (Box-Muller on a linear congruential
    /// generator), for the tests.
    fn normals(seed: u64) -> impl FnMut() -> f64 {
        let mut state = seed;
        move || {
            let mut uniform = || {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((state >> 11) as f64 + 0.5) / (1u64 << 53) as f64
            };
            let (u, v) = (uniform(), uniform());
            (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
        }
    }

    #[test]
    fn randomized_pca_recovers_a_planted_direction() {
        let (rows, cols) = (200, 12);
        let mut draw = normals(4);
        let mut x = DenseMatrix::zeros(rows, cols);
        for i in 0..rows {
            let signal = 3.0 * draw();
            for j in 0..cols {
                let direction = if j < 6 { 1.0 } else { -1.0 } / (cols as f64).sqrt();
                x.data[i * cols + j] = signal * direction + 0.1 * draw();
            }
        }
        for j in 0..cols {
            let mean: f64 = (0..rows).map(|i| x.at(i, j)).sum::<f64>() / rows as f64;
            for i in 0..rows {
                x.data[i * cols + j] -= mean;
            }
        }
        let result = randomized_pca(&x, 3, normals(1));
        let first: Vec<f64> = (0..cols).map(|j| result.loadings.at(j, 0)).collect();
        let alignment: f64 = first
            .iter()
            .enumerate()
            .map(|(j, v)| v * if j < 6 { 1.0 } else { -1.0 } / (cols as f64).sqrt())
            .sum();
        assert!(alignment.abs() > 0.99, "alignment {alignment}");
        assert!(result.variances[0] > 5.0 && result.variances[1] < 0.1);
    }

    #[test]
    fn exact_scores_keep_distances_and_order_variance() {
        let rows = vec![
            vec![0.0, 0.0, 1.0],
            vec![4.0, 0.0, 1.0],
            vec![0.0, 1.0, 1.0],
            vec![4.0, 1.0, 1.0],
        ];
        let s = exact_pca_scores(&rows, 5);
        assert_eq!(s[0].len(), 2, "rank 2");
        let d = |a: &[f64], b: &[f64]| squared_distance(a, b).sqrt();
        assert!((d(&s[0], &s[3]) - d(&rows[0], &rows[3])).abs() < 1e-9);
        assert!(
            (s[0][0] - s[1][0]).abs() > 3.9,
            "first component is the wide axis"
        );
    }

    #[test]
    fn products_and_orthonormal_columns() {
        let a = DenseMatrix {
            rows: 2,
            cols: 2,
            data: vec![1.0, 2.0, 3.0, 4.0],
        };
        assert_eq!(multiply(&a, &a).data, vec![7.0, 10.0, 15.0, 22.0]);
        assert_eq!(
            multiply_transposed(&a, &a).data,
            vec![10.0, 14.0, 14.0, 20.0]
        );
        let mut m = DenseMatrix {
            rows: 3,
            cols: 3,
            data: vec![1.0, 1.0, 2.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0],
        };
        orthonormalise_columns(&mut m);
        // the third column is twice the first: it becomes 0
        assert_eq!((m.at(0, 2), m.at(1, 2), m.at(2, 2)), (0.0, 0.0, 0.0));
        let dot: f64 = (0..3).map(|i| m.at(i, 0) * m.at(i, 1)).sum();
        assert!(dot.abs() < 1e-15);
    }
}
