//! The dense linear algebra of the analysis, from `synthome-analysis`: row-major matrices and
//! the randomized PCA, its start block drawn from the single-cell model's seeded stream

use synthome_analysis::randomized_pca;
pub use synthome_analysis::{DenseMatrix as Matrix, DensePca as Pca};
use synthome_sc_model::cell_stream;

/// Top `k` components of column-centred `x`, by randomized subspace iteration (4 power
/// iterations, 10 extra columns, a Gaussian start from `cell_stream(seed, 0, 0)`)
pub(crate) fn pca(x: &Matrix, k: usize, seed: u64) -> Pca {
    let mut stream = cell_stream(seed, 0, 0);
    randomized_pca(x, k, || stream.normal())
}

#[cfg(test)]
mod tests {
    use super::*;

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
