//! Ground truth for benchmarks: each condition's expected expression on the same log CPM scale
//! as the DE table (the difference of two conditions' values is the true log2 fold change the
//! table estimates), so a method's estimates can be compared with the truth directly.

use synthome_matrix::ExpressionMatrix;

use crate::log_cpm::{cpm_scale, for_each_nonzero_value};
use crate::{AnalysisError, Grouping};

/// Expected log CPM of every group: `log2(mean CPM over the group's samples + 1)` per gene.
///
/// Meant for the output of mean estimation (exact expected values; with
/// `deterministic_latents` every sample of a condition is the model's mean, so the average is
/// that mean). CPM is averaged before the log, so several samples of a condition give the log
/// of their mean expression, not the mean of their logs. Returns one vector (one value per
/// gene) per group, in group order; an empty group gives zeros.
pub fn expected_log_cpm_by_group(
    matrix: &ExpressionMatrix,
    grouping: &Grouping,
) -> Result<Vec<Vec<f64>>, AnalysisError> {
    grouping.check_samples(matrix.n_samples())?;
    let n_genes = matrix.n_genes();
    let mut sums = vec![vec![0.0; n_genes]; grouping.n_groups()];
    let mut sizes = vec![0usize; grouping.n_groups()];
    for (row, &group) in matrix.rows().zip(grouping.assignment()) {
        sizes[group] += 1;
        let scale = cpm_scale(row.sum());
        let sum = &mut sums[group];
        for_each_nonzero_value(row, |gene, value| sum[gene] += value * scale);
    }
    Ok(sums
        .into_iter()
        .zip(sizes)
        .map(|(sum, size)| {
            sum.into_iter()
                .map(|total| {
                    let mean_cpm = if size > 0 { total / size as f64 } else { 0.0 };
                    (mean_cpm + 1.0).log2()
                })
                .collect()
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_matrix::expected_matrix;

    #[test]
    fn group_means_average_cpm_then_take_the_log() {
        // Two samples of condition A with 25% and 75% of gene 0, one of B with 50%.
        let matrix = expected_matrix(&[vec![1.0, 3.0], vec![3.0, 1.0], vec![5.0, 5.0]]);
        let grouping = Grouping::new(vec!["A".into(), "B".into()], vec![0, 0, 1])
            .unwrap_or_else(|e| panic!("{e}"));
        let profiles =
            expected_log_cpm_by_group(&matrix, &grouping).unwrap_or_else(|e| panic!("{e}"));
        let half = 500_001f64.log2();
        for profile in &profiles {
            for &value in profile {
                assert!((value - half).abs() < 1e-9, "{value}");
            }
        }
    }
}
