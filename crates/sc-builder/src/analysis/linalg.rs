//! Dense linear algebra for the analysis: row-major matrices, products, Gram-Schmidt, Jacobi
//! eigendecomposition and a randomized PCA (subspace iteration with a seeded start), all in
//! f64 with a fixed order of operations

use synthome_sc_model::cell_stream;

/// A dense row-major matrix
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Matrix {
    /// Rows
    pub rows: usize,
    /// Columns
    pub cols: usize,
    /// Values, row-major
    pub data: Vec<f64>,
}

impl Matrix {
    /// A matrix of zeros
    pub(crate) fn zeros(rows: usize, cols: usize) -> Matrix {
        Matrix {
            rows,
            cols,
            data: vec![0.0; rows * cols],
        }
    }

    /// One row
    pub(crate) fn row(&self, row: usize) -> &[f64] {
        &self.data[row * self.cols..(row + 1) * self.cols]
    }

    /// One row, mutable
    pub(crate) fn row_mut(&mut self, row: usize) -> &mut [f64] {
        &mut self.data[row * self.cols..(row + 1) * self.cols]
    }

    /// The value at (row, col)
    pub(crate) fn at(&self, row: usize, col: usize) -> f64 {
        self.data[row * self.cols + col]
    }
}

/// `a * b`
pub(crate) fn multiply(a: &Matrix, b: &Matrix) -> Matrix {
    let mut out = Matrix::zeros(a.rows, b.cols);
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

/// `a^T * b`
pub(crate) fn multiply_transposed(a: &Matrix, b: &Matrix) -> Matrix {
    let mut out = Matrix::zeros(a.cols, b.cols);
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

/// Orthonormalises the columns in place (modified Gram-Schmidt; a dependent column becomes 0)
pub(crate) fn orthonormalise(m: &mut Matrix) {
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

/// Eigenvalues (descending) and eigenvectors (columns) of a symmetric matrix, by cyclic Jacobi
pub(crate) fn symmetric_eigen(m: &Matrix) -> (Vec<f64>, Matrix) {
    let n = m.rows;
    let mut a = m.clone();
    let mut v = Matrix::zeros(n, n);
    for i in 0..n {
        v.data[i * n + i] = 1.0;
    }
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a.at(i, j) * a.at(i, j))
            .sum();
        if off < 1e-22 {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = a.at(p, q);
                if apq.abs() < 1e-300 {
                    continue;
                }
                let theta = (a.at(q, q) - a.at(p, p)) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (akp, akq) = (a.at(k, p), a.at(k, q));
                    a.data[k * n + p] = c * akp - s * akq;
                    a.data[k * n + q] = s * akp + c * akq;
                }
                for k in 0..n {
                    let (apk, aqk) = (a.at(p, k), a.at(q, k));
                    a.data[p * n + k] = c * apk - s * aqk;
                    a.data[q * n + k] = s * apk + c * aqk;
                }
                for k in 0..n {
                    let (vkp, vkq) = (v.at(k, p), v.at(k, q));
                    v.data[k * n + p] = c * vkp - s * vkq;
                    v.data[k * n + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&x, &y| a.at(y, y).total_cmp(&a.at(x, x)).then(x.cmp(&y)));
    let values = order.iter().map(|&i| a.at(i, i)).collect();
    let mut vectors = Matrix::zeros(n, n);
    for (new, &old) in order.iter().enumerate() {
        for k in 0..n {
            vectors.data[k * n + new] = v.at(k, old);
        }
    }
    (values, vectors)
}

/// The top principal components of a column-centred matrix
#[derive(Debug, Clone)]
pub(crate) struct Pca {
    /// Cell scores, rows x k (`U S`)
    pub scores: Matrix,
    /// Gene loadings, cols x k (unit columns)
    pub loadings: Matrix,
    /// Variance of each component's scores (eigenvalue / rows)
    pub variances: Vec<f64>,
}

/// Top `k` components of column-centred `x`, by randomized subspace iteration (4 power
/// iterations, 10 extra columns, a seeded Gaussian start)
pub(crate) fn pca(x: &Matrix, k: usize, seed: u64) -> Pca {
    let k = k.min(x.rows).min(x.cols);
    let width = (k + 10).min(x.cols).min(x.rows);
    let mut stream = cell_stream(seed, 0, 0);
    let mut omega = Matrix::zeros(x.cols, width);
    for value in &mut omega.data {
        *value = stream.normal();
    }
    let mut y = multiply(x, &omega);
    orthonormalise(&mut y);
    for _ in 0..4 {
        let mut z = multiply_transposed(x, &y);
        orthonormalise(&mut z);
        y = multiply(x, &z);
        orthonormalise(&mut y);
    }
    // B = Y^T X (width x cols); B B^T = V L V^T
    let b = multiply_transposed(&y, x);
    let mut gram = Matrix::zeros(width, width);
    for i in 0..width {
        for j in 0..width {
            gram.data[i * width + j] = b.row(i).iter().zip(b.row(j)).map(|(p, q)| p * q).sum();
        }
    }
    let (values, vectors) = symmetric_eigen(&gram);
    let mut scores = Matrix::zeros(x.rows, k);
    let mut loadings = Matrix::zeros(x.cols, k);
    let mut variances = Vec::with_capacity(k);
    for component in 0..k {
        let value = values[component].max(0.0);
        let singular = value.sqrt();
        variances.push(value / x.rows.max(1) as f64);
        for i in 0..x.rows {
            let u: f64 = (0..width)
                .map(|w| y.at(i, w) * vectors.at(w, component))
                .sum();
            scores.data[i * k + component] = u * singular;
        }
        for g in 0..x.cols {
            let v: f64 = (0..width)
                .map(|w| b.at(w, g) * vectors.at(w, component))
                .sum();
            loadings.data[g * k + component] = if singular > 1e-12 { v / singular } else { 0.0 };
        }
    }
    Pca {
        scores,
        loadings,
        variances,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jacobi_diagonalises_a_symmetric_matrix() {
        let m = Matrix {
            rows: 3,
            cols: 3,
            data: vec![4.0, 1.0, 0.5, 1.0, 3.0, 0.2, 0.5, 0.2, 1.0],
        };
        let (values, vectors) = symmetric_eigen(&m);
        assert!(values[0] >= values[1] && values[1] >= values[2]);
        assert!((values.iter().sum::<f64>() - 8.0).abs() < 1e-9);
        for c in 0..3 {
            for r in 0..3 {
                let mv: f64 = (0..3).map(|k| m.at(r, k) * vectors.at(k, c)).sum();
                assert!((mv - values[c] * vectors.at(r, c)).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn pca_recovers_a_planted_direction() {
        let (rows, cols) = (200, 12);
        let mut stream = cell_stream(4, 0, 0);
        let mut x = Matrix::zeros(rows, cols);
        for i in 0..rows {
            let signal = 3.0 * stream.normal();
            for j in 0..cols {
                let direction = if j < 6 { 1.0 } else { -1.0 } / (cols as f64).sqrt();
                x.data[i * cols + j] = signal * direction + 0.1 * stream.normal();
            }
        }
        for j in 0..cols {
            let mean: f64 = (0..rows).map(|i| x.at(i, j)).sum::<f64>() / rows as f64;
            for i in 0..rows {
                x.data[i * cols + j] -= mean;
            }
        }
        let result = pca(&x, 3, 1);
        let first: Vec<f64> = (0..cols).map(|j| result.loadings.at(j, 0)).collect();
        let alignment: f64 = first
            .iter()
            .enumerate()
            .map(|(j, v)| v * if j < 6 { 1.0 } else { -1.0 } / (cols as f64).sqrt())
            .sum();
        assert!(alignment.abs() > 0.99, "alignment {alignment}");
        assert!(result.variances[0] > 5.0 && result.variances[1] < 0.1);
    }
}
