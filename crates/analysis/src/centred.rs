//! The centred log CPM of selected genes as a linear operator for the PCA: products with a
//! block of vectors from either side, dense for dense input and sparse (implicitly centred,
//! never densified) for sparse input.
//!
//! Dense products accumulate in f32 along contiguous rows (the compiler vectorises them; no FMA
//! is requested, so native and wasm round alike); the projected problem is solved in f64.

use synthome_matrix::{ExpressionMatrix, ExpressionValues};

use crate::log_cpm::{at, cpm_scale, for_each_nonzero};

/// Centred log CPM, one row per sample and one column per selected gene.
pub(crate) enum Centred {
    /// Explicitly centred values, row-major.
    Dense { n_cols: usize, data: Vec<f32> },
    /// Uncentred non-zero log CPM values (CSR) and the column means subtracted on the fly;
    /// products accumulate in f32 over one row or column, the mean correction in f64.
    Sparse {
        n_cols: usize,
        indptr: Vec<usize>,
        indices: Vec<u32>,
        values: Vec<f32>,
        means: Vec<f64>,
    },
}

impl Centred {
    /// Extracts the selected genes (columns in the order of `genes`), centred by `means`
    /// (the mean log CPM of each selected gene, in the same order).
    pub(crate) fn new(matrix: &ExpressionMatrix, genes: &[usize], means: Vec<f64>) -> Self {
        let n_cols = genes.len();
        if let ExpressionValues::SparseCounts(_) = matrix.values() {
            let mut column_of = vec![u32::MAX; matrix.n_genes()];
            for (col, &gene) in genes.iter().enumerate() {
                column_of[gene] = col as u32;
            }
            let mut indptr = vec![0];
            let mut indices = Vec::new();
            let mut values = Vec::new();
            for row in matrix.rows() {
                for_each_nonzero(row, cpm_scale(row.sum()), |gene, value| {
                    let col = column_of[gene];
                    if col != u32::MAX {
                        indices.push(col);
                        values.push(value as f32);
                    }
                });
                indptr.push(indices.len());
            }
            return Self::Sparse {
                n_cols,
                indptr,
                indices,
                values,
                means,
            };
        }
        let mut data = Vec::with_capacity(matrix.n_samples() * n_cols);
        for row in matrix.rows() {
            let scale = cpm_scale(row.sum());
            data.extend(
                genes
                    .iter()
                    .zip(&means)
                    .map(|(&gene, &mean)| (at(row, gene, scale) - mean) as f32),
            );
        }
        Self::Dense { n_cols, data }
    }

    /// Number of columns (selected genes).
    pub(crate) fn n_cols(&self) -> usize {
        match self {
            Self::Dense { n_cols, .. } | Self::Sparse { n_cols, .. } => *n_cols,
        }
    }

    /// `out[c] = X^T q[c]`: one vector per column of the block `q` (each of one value per
    /// sample), giving one value per gene.
    pub(crate) fn transpose_times(&self, q: &[Vec<f64>]) -> Vec<Vec<f64>> {
        let n_cols = self.n_cols();
        match self {
            Self::Dense { data, .. } => {
                if n_cols == 0 {
                    return vec![Vec::new(); q.len()];
                }
                let mut out = vec![vec![0.0f32; n_cols]; q.len()];
                for (sample, row) in data.chunks_exact(n_cols).enumerate() {
                    for (acc, vector) in out.iter_mut().zip(q) {
                        let weight = vector[sample] as f32;
                        for (slot, &x) in acc.iter_mut().zip(row) {
                            *slot += weight * x;
                        }
                    }
                }
                out.into_iter()
                    .map(|acc| acc.into_iter().map(f64::from).collect())
                    .collect()
            }
            Self::Sparse {
                indptr,
                indices,
                values,
                means,
                ..
            } => {
                let width = q.len();
                // Interleaved f32 blocks so the inner loop over the block is contiguous.
                let weights = interleave(q);
                let mut acc = vec![0.0f32; n_cols * width];
                for (sample, bounds) in indptr.windows(2).enumerate() {
                    let row_weights = &weights[sample * width..(sample + 1) * width];
                    for (&col, &value) in indices[bounds[0]..bounds[1]]
                        .iter()
                        .zip(&values[bounds[0]..bounds[1]])
                    {
                        let col = col as usize;
                        let slots = &mut acc[col * width..(col + 1) * width];
                        for (slot, &weight) in slots.iter_mut().zip(row_weights) {
                            *slot += weight * value;
                        }
                    }
                }
                q.iter()
                    .enumerate()
                    .map(|(c, vector)| {
                        let weight_sum: f64 = vector.iter().sum();
                        (0..n_cols)
                            .map(|col| f64::from(acc[col * width + c]) - means[col] * weight_sum)
                            .collect()
                    })
                    .collect()
            }
        }
    }

    /// `out[c] = X z[c]`: one vector per column of the block `z` (each of one value per gene),
    /// giving one value per sample.
    pub(crate) fn times(&self, z: &[Vec<f64>]) -> Vec<Vec<f64>> {
        match self {
            Self::Dense { n_cols, data } => {
                if *n_cols == 0 {
                    return vec![Vec::new(); z.len()];
                }
                let z32: Vec<Vec<f32>> = z
                    .iter()
                    .map(|vector| vector.iter().map(|&x| x as f32).collect())
                    .collect();
                let mut out = vec![Vec::with_capacity(data.len() / n_cols); z.len()];
                for row in data.chunks_exact(*n_cols) {
                    for (vector, result) in z32.iter().zip(out.iter_mut()) {
                        result.push(dot(row, vector));
                    }
                }
                out
            }
            Self::Sparse {
                indptr,
                indices,
                values,
                means,
                ..
            } => {
                let width = z.len();
                let block = interleave(z);
                let mut out = vec![Vec::with_capacity(indptr.len().saturating_sub(1)); width];
                let mut acc = vec![0.0f32; width];
                for bounds in indptr.windows(2) {
                    acc.fill(0.0);
                    for (&col, &value) in indices[bounds[0]..bounds[1]]
                        .iter()
                        .zip(&values[bounds[0]..bounds[1]])
                    {
                        let col = col as usize;
                        for (slot, &x) in acc.iter_mut().zip(&block[col * width..(col + 1) * width])
                        {
                            *slot += value * x;
                        }
                    }
                    for (result, &sum) in out.iter_mut().zip(&acc) {
                        result.push(f64::from(sum));
                    }
                }
                for (result, vector) in out.iter_mut().zip(z) {
                    let offset: f64 = means.iter().zip(vector).map(|(m, x)| m * x).sum();
                    result.iter_mut().for_each(|value| *value -= offset);
                }
                out
            }
        }
    }
}

/// A block of equally long vectors as one f32 buffer, element-major: entry `i` of every vector,
/// then entry `i + 1`, ...
fn interleave(block: &[Vec<f64>]) -> Vec<f32> {
    let length = block.first().map_or(0, Vec::len);
    let mut out = vec![0.0f32; length * block.len()];
    for (c, vector) in block.iter().enumerate() {
        for (i, &x) in vector.iter().enumerate() {
            out[i * block.len() + c] = x as f32;
        }
    }
    out
}

/// Dot product in eight fixed lanes (vectorisable, same rounding on every target).
fn dot(a: &[f32], b: &[f32]) -> f64 {
    const LANES: usize = 8;
    let mut lanes = [0.0f32; LANES];
    let chunks_a = a.chunks_exact(LANES);
    let chunks_b = b.chunks_exact(LANES);
    let (rest_a, rest_b) = (chunks_a.remainder(), chunks_b.remainder());
    for (x, y) in chunks_a.zip(chunks_b) {
        for lane in 0..LANES {
            lanes[lane] += x[lane] * y[lane];
        }
    }
    let mut total: f64 = lanes.iter().map(|&lane| f64::from(lane)).sum();
    for (&x, &y) in rest_a.iter().zip(rest_b) {
        total += f64::from(x) * f64::from(y);
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_matrix::{counts_matrix, sparse_matrix};

    fn rows() -> Vec<Vec<u32>> {
        vec![
            vec![3, 0, 8, 1, 0],
            vec![0, 2, 9, 0, 4],
            vec![5, 5, 1, 0, 0],
        ]
    }

    /// Dense, centred log CPM of the selected genes computed directly from the definition.
    fn reference(matrix: &ExpressionMatrix, genes: &[usize]) -> (Vec<Vec<f64>>, Vec<f64>) {
        let columns: Vec<Vec<f64>> = genes
            .iter()
            .map(|&gene| {
                matrix
                    .gene_log_cpm(gene)
                    .unwrap_or_default()
                    .iter()
                    .map(|&v| f64::from(v))
                    .collect()
            })
            .collect();
        let means: Vec<f64> = columns
            .iter()
            .map(|column| column.iter().sum::<f64>() / column.len() as f64)
            .collect();
        let centred = (0..matrix.n_samples())
            .map(|sample| {
                columns
                    .iter()
                    .zip(&means)
                    .map(|(column, mean)| column[sample] - mean)
                    .collect()
            })
            .collect();
        (centred, means)
    }

    #[test]
    fn dense_and_sparse_products_match_the_definition() {
        let genes = [4, 0, 2];
        for matrix in [counts_matrix(&rows()), sparse_matrix(&rows())] {
            let (x, means) = reference(&matrix, &genes);
            let op = Centred::new(&matrix, &genes, means);
            let q = vec![vec![1.0, -2.0, 0.5], vec![0.0, 1.0, 1.0]];
            let xtq = op.transpose_times(&q);
            for (c, vector) in q.iter().enumerate() {
                for col in 0..genes.len() {
                    let expected: f64 = (0..3).map(|i| x[i][col] * vector[i]).sum();
                    assert!((xtq[c][col] - expected).abs() < 1e-3 * (1.0 + expected.abs()));
                }
            }
            let z = vec![vec![0.25, -1.0, 2.0]];
            let xz = op.times(&z);
            for i in 0..3 {
                let expected: f64 = (0..genes.len()).map(|col| x[i][col] * z[0][col]).sum();
                assert!((xz[0][i] - expected).abs() < 1e-3 * (1.0 + expected.abs()));
            }
        }
    }

    #[test]
    fn dot_handles_remainders() {
        let a: Vec<f32> = (0..19).map(|i| i as f32).collect();
        let b = vec![1.0f32; 19];
        assert_eq!(dot(&a, &b), 171.0);
        assert_eq!(dot(&[], &[]), 0.0);
    }
}
