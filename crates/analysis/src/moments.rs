//! Per-gene mean, variance and fraction of non-zero values of log CPM, for groups of samples, in
//! one pass over the matrix that never visits a zero.
//!
//! Sums are shifted by the gene's value in the group's first sample, so a gene that is constant
//! within a group gets a variance of exactly 0 (no cancellation), and zeros are accounted for
//! from the number of non-zero values. A standard deviation below 1e-10 (relative) is rounding
//! and counts as 0.

use synthome_matrix::ExpressionMatrix;

use crate::log_cpm::{cpm_scale, for_each_nonzero};

/// Log CPM statistics of every gene over one group of samples.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct GeneMoments {
    /// Number of samples in the group.
    pub n: usize,
    /// Mean log CPM per gene.
    pub mean: Vec<f64>,
    /// Sample variance (denominator n - 1; 0 when n < 2) per gene.
    pub variance: Vec<f64>,
    /// Number of samples with a non-zero value, per gene.
    pub nonzero: Vec<u32>,
}

/// Whether a variance is only floating-point rounding: samples whose CPM is the same up to the
/// last bit (equal shares of different library sizes) differ by about 1e-15 relative, which no
/// real spread comes near.
fn is_rounding_noise(variance: f64, mean: f64) -> bool {
    variance.sqrt() <= 1e-10 * (1.0 + mean.abs())
}

/// Running sums of one gene in one group (kept together: one cache line per update).
#[derive(Debug, Clone, Copy, Default)]
struct GeneSums {
    /// The gene's value in the group's first sample.
    shift: f64,
    /// Sum of `value - shift` over the non-zero values.
    sum: f64,
    /// Sum of `(value - shift)^2` over the non-zero values.
    sum_sq: f64,
    /// Number of non-zero values.
    nonzero: u32,
}

/// Running sums for one group.
struct Accumulator {
    n: usize,
    genes: Vec<GeneSums>,
}

impl Accumulator {
    fn new(n_genes: usize) -> Self {
        Self {
            n: 0,
            genes: vec![GeneSums::default(); n_genes],
        }
    }

    fn finish(self) -> GeneMoments {
        let n = self.n;
        let n_f = n as f64;
        let mut mean = Vec::with_capacity(self.genes.len());
        let mut variance = Vec::with_capacity(self.genes.len());
        let mut nonzero = Vec::with_capacity(self.genes.len());
        for sums in &self.genes {
            nonzero.push(sums.nonzero);
            if n == 0 {
                mean.push(0.0);
                variance.push(0.0);
                continue;
            }
            let zeros = (n - sums.nonzero as usize) as f64;
            // Zeros contribute (0 - shift) each.
            let sum = sums.sum - zeros * sums.shift;
            let sum_sq = sums.sum_sq + zeros * sums.shift * sums.shift;
            let gene_mean = sums.shift + sum / n_f;
            let gene_variance = if n > 1 {
                ((sum_sq - sum * sum / n_f) / (n_f - 1.0)).max(0.0)
            } else {
                0.0
            };
            mean.push(gene_mean);
            variance.push(if is_rounding_noise(gene_variance, gene_mean) {
                0.0
            } else {
                gene_variance
            });
        }
        GeneMoments {
            n,
            mean,
            variance,
            nonzero,
        }
    }
}

/// Statistics per group: `assignment[sample]` is the sample's group, or `None` to leave it out.
///
/// `assignment` must have one entry per sample (shorter assignments leave the rest out) and
/// every group index must be below `n_groups` (others are left out).
pub(crate) fn group_moments(
    matrix: &ExpressionMatrix,
    assignment: &[Option<usize>],
    n_groups: usize,
) -> Vec<GeneMoments> {
    let n_genes = matrix.n_genes();
    let mut groups: Vec<Accumulator> = (0..n_groups).map(|_| Accumulator::new(n_genes)).collect();
    for (row, group) in matrix.rows().zip(assignment) {
        let Some(acc) = group.and_then(|group| groups.get_mut(group)) else {
            continue;
        };
        let scale = cpm_scale(row.sum());
        let first = acc.n == 0;
        acc.n += 1;
        let genes = &mut acc.genes;
        for_each_nonzero(row, scale, |gene, value| {
            let sums = &mut genes[gene];
            if first {
                sums.shift = value;
            }
            let delta = value - sums.shift;
            sums.nonzero += 1;
            sums.sum += delta;
            sums.sum_sq += delta * delta;
        });
    }
    groups.into_iter().map(Accumulator::finish).collect()
}

/// Statistics over all samples.
pub(crate) fn all_samples(matrix: &ExpressionMatrix) -> GeneMoments {
    let assignment = vec![Some(0); matrix.n_samples()];
    let mut groups = group_moments(matrix, &assignment, 1);
    groups
        .pop()
        .unwrap_or_else(|| Accumulator::new(matrix.n_genes()).finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_matrix::{counts_matrix, sparse_matrix};

    fn naive(values: &[f64]) -> (f64, f64) {
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
        (mean, variance)
    }

    #[test]
    fn agree_with_a_two_pass_computation() {
        let rows = vec![
            vec![0, 5, 3, 7],
            vec![2, 5, 0, 7],
            vec![4, 5, 1, 0],
            vec![1, 0, 9, 2],
        ];
        let matrix = counts_matrix(&rows);
        let moments = all_samples(&matrix);
        for gene in 0..4 {
            let values: Vec<f64> = matrix
                .gene_log_cpm(gene)
                .unwrap_or_default()
                .iter()
                .map(|&v| f64::from(v))
                .collect();
            let (mean, variance) = naive(&values);
            assert!((moments.mean[gene] - mean).abs() < 1e-5, "gene {gene}");
            assert!(
                (moments.variance[gene] - variance).abs() < 1e-4,
                "gene {gene}"
            );
        }
        assert_eq!(moments.nonzero, vec![3, 3, 3, 3]);
    }

    #[test]
    fn constant_genes_have_exactly_zero_variance() {
        // Same library size in every row, so gene 0 has the same log CPM everywhere.
        let matrix = counts_matrix(&[vec![3, 7, 0], vec![3, 7, 0], vec![3, 7, 0]]);
        let moments = all_samples(&matrix);
        assert_eq!(moments.variance, vec![0.0, 0.0, 0.0]);
        assert_eq!(moments.mean[2], 0.0);
    }

    #[test]
    fn equal_shares_of_different_libraries_count_as_no_variance() {
        // 107 / 214 and 94 / 188 are both a half, but their CPM differ in the last bit.
        let matrix = counts_matrix(&[vec![100, 100], vec![107, 107], vec![94, 94], vec![7, 7]]);
        let moments = all_samples(&matrix);
        assert_eq!(moments.variance, vec![0.0, 0.0]);
    }

    #[test]
    fn groups_and_left_out_samples() {
        let dense = counts_matrix(&[vec![1, 0], vec![0, 4], vec![5, 5], vec![2, 2]]);
        let sparse = sparse_matrix(&[vec![1, 0], vec![0, 4], vec![5, 5], vec![2, 2]]);
        let assignment = [Some(1), None, Some(1), Some(0)];
        let a = group_moments(&dense, &assignment, 2);
        let b = group_moments(&sparse, &assignment, 2);
        assert_eq!(a, b);
        assert_eq!(a[0].n, 1);
        assert_eq!(a[1].n, 2);
        assert_eq!(a[0].variance, vec![0.0, 0.0]);
        assert_eq!(a[1].nonzero, vec![2, 1]);
        // Row 3 has equal counts -> 500,000 CPM each.
        assert!((a[0].mean[0] - 500_001f64.log2()).abs() < 1e-12);
    }
}
