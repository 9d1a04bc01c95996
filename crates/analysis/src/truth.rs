//! Ground truth for benchmarks: each condition's expected expression and the true log2 fold
//! change between two conditions, on the same log CPM scale as the DE table, so a method's
//! estimates can be compared with the truth directly.

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

/// The true log2 fold change of `test` over `reference`, given each condition's expected log CPM
/// (`log2(CPM + 1)`, as from [`expected_log_cpm_by_group`]): `test[g] - reference[g]`.
///
/// This is the quantity the DE table's `log2_fold_change` estimates. The pseudo-count of 1 CPM
/// shrinks fold changes of barely expressed genes towards 0, as it does in the estimate.
///
/// ```
/// let truth = synthome_analysis::true_log2_fold_change(&[3.0, 1.0], &[1.0, 1.0])?;
/// assert_eq!(truth, vec![2.0, 0.0]);
/// # Ok::<(), synthome_analysis::AnalysisError>(())
/// ```
pub fn true_log2_fold_change(test: &[f64], reference: &[f64]) -> Result<Vec<f64>, AnalysisError> {
    if test.len() != reference.len() {
        return Err(AnalysisError::LengthMismatch {
            what: "the reference expression",
            expected: test.len(),
            actual: reference.len(),
            per: "gene of the test expression",
        });
    }
    Ok(test.iter().zip(reference).map(|(t, r)| t - r).collect())
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
        let truth = true_log2_fold_change(&profiles[0], &profiles[1]).unwrap_or_default();
        assert!(truth.iter().all(|lfc| lfc.abs() < 1e-9));
    }

    #[test]
    fn fold_change_needs_equal_lengths() {
        let error = true_log2_fold_change(&[1.0], &[])
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            error.as_deref(),
            Some(
                "the reference expression has 0 entries but 1 are needed (one per gene of the test expression)"
            )
        );
    }
}
