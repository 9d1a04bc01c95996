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
