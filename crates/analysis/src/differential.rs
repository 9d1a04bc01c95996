//! Differential expression between two groups of samples: Welch t-test on log CPM per gene,
//! log2 fold change (difference of mean log CPM, test minus reference), Benjamini-Hochberg
//! adjusted p-values; a table sortable by any column.
//!
//! A gene with no variance in either group (all zeros, or mean-estimation output where every
//! sample of a condition is the same) has no test: its t, df and p-values are `None` and it
//! does not count towards the Benjamini-Hochberg correction.

use std::cmp::Ordering;
use std::sync::Arc;

use synthome_matrix::{ExpressionMatrix, GeneTable};

use crate::benjamini_hochberg::benjamini_hochberg;
use crate::welch::{GroupMoments, welch_t_test};
use crate::{AnalysisError, moments};

/// One gene's result.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DeRow {
    /// Gene (column index of the matrix).
    pub gene: usize,
    /// Mean log CPM in the test group.
    pub mean_test: f64,
    /// Mean log CPM in the reference group.
    pub mean_reference: f64,
    /// `mean_test - mean_reference` (log CPM is log2, so this is a log2 fold change).
    pub log2_fold_change: f64,
    /// Welch t statistic; `None` when untested.
    pub t: Option<f64>,
    /// Welch-Satterthwaite degrees of freedom; `None` when untested.
    pub df: Option<f64>,
    /// Two-sided p-value; `None` when untested.
    pub p_value: Option<f64>,
    /// Benjamini-Hochberg adjusted p-value; `None` when untested.
    pub p_adjusted: Option<f64>,
}

/// A column of the result table to sort by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeColumn {
    /// Gene symbol (then id).
    Symbol,
    /// Ensembl gene id.
    GeneId,
    /// Mean log CPM in the test group.
    MeanTest,
    /// Mean log CPM in the reference group.
    MeanReference,
    /// log2 fold change.
    Log2FoldChange,
    /// Absolute log2 fold change.
    AbsLog2FoldChange,
    /// t statistic.
    T,
    /// p-value.
    PValue,
    /// Adjusted p-value.
    PAdjusted,
}

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortOrder {
    /// Smallest first.
    Ascending,
    /// Largest first.
    Descending,
}

/// The result table of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct DifferentialExpression {
    genes: Arc<GeneTable>,
    rows: Vec<DeRow>,
    n_test: usize,
    n_reference: usize,
    n_tested: usize,
}

impl DifferentialExpression {
    /// The rows, one per gene, in gene order until sorted.
    pub fn rows(&self) -> &[DeRow] {
        &self.rows
    }

    /// Samples in the test group.
    pub fn n_test(&self) -> usize {
        self.n_test
    }

    /// Samples in the reference group.
    pub fn n_reference(&self) -> usize {
        self.n_reference
    }

    /// Genes that could be tested (the `m` of the Benjamini-Hochberg correction).
    pub fn n_tested(&self) -> usize {
        self.n_tested
    }

    /// Genes with adjusted p-value below `alpha` and |log2 fold change| at least
    /// `min_abs_log2_fold_change`.
    pub fn n_significant(&self, alpha: f64, min_abs_log2_fold_change: f64) -> usize {
        self.rows
            .iter()
            .filter(|row| is_significant(row, alpha, min_abs_log2_fold_change))
            .count()
    }

    /// The gene symbol of a row.
    pub fn symbol(&self, row: &DeRow) -> &str {
        self.genes
            .symbols()
            .get(row.gene)
            .map_or("", String::as_str)
    }

    /// The Ensembl gene id of a row.
    pub fn gene_id(&self, row: &DeRow) -> &str {
        self.genes.ids().get(row.gene).map_or("", String::as_str)
    }

    /// Sorts the rows by a column; untested values (`None`) come last in either order, ties
    /// keep gene order.
    pub fn sort_by(&mut self, column: DeColumn, order: SortOrder) {
        let genes = Arc::clone(&self.genes);
        let text = |row: &DeRow, column: DeColumn| -> (String, String) {
            let id = genes.ids().get(row.gene).cloned().unwrap_or_default();
            let symbol = genes.symbols().get(row.gene).cloned().unwrap_or_default();
            match column {
                DeColumn::Symbol => (symbol, id),
                _ => (id, String::new()),
            }
        };
        let number = |row: &DeRow| -> Option<f64> {
            match column {
                DeColumn::Symbol | DeColumn::GeneId => None,
                DeColumn::MeanTest => Some(row.mean_test),
                DeColumn::MeanReference => Some(row.mean_reference),
                DeColumn::Log2FoldChange => Some(row.log2_fold_change),
                DeColumn::AbsLog2FoldChange => Some(row.log2_fold_change.abs()),
                DeColumn::T => row.t,
                DeColumn::PValue => row.p_value,
                DeColumn::PAdjusted => row.p_adjusted,
            }
        };
        let directed = |ordering: Ordering| match order {
            SortOrder::Ascending => ordering,
            SortOrder::Descending => ordering.reverse(),
        };
        match column {
            DeColumn::Symbol | DeColumn::GeneId => {
                let mut keyed: Vec<((String, String), DeRow)> = self
                    .rows
                    .iter()
                    .map(|row| (text(row, column), *row))
                    .collect();
                keyed.sort_by(|(a, row_a), (b, row_b)| {
                    directed(a.cmp(b)).then(row_a.gene.cmp(&row_b.gene))
                });
                self.rows = keyed.into_iter().map(|(_, row)| row).collect();
            }
            _ => self.rows.sort_by(|a, b| {
                let by_value = match (
                    number(a).filter(|v| !v.is_nan()),
                    number(b).filter(|v| !v.is_nan()),
                ) {
                    (Some(x), Some(y)) => directed(x.total_cmp(&y)),
                    (Some(_), None) => Ordering::Less,
                    (None, Some(_)) => Ordering::Greater,
                    (None, None) => Ordering::Equal,
                };
                by_value.then(a.gene.cmp(&b.gene))
            }),
        }
    }
}

/// Whether a row passes both thresholds (adjusted p below `alpha`, |log2 FC| at least the
/// minimum); untested rows never do.
pub fn is_significant(row: &DeRow, alpha: f64, min_abs_log2_fold_change: f64) -> bool {
    row.p_adjusted.is_some_and(|p| p < alpha)
        && row.log2_fold_change.abs() >= min_abs_log2_fold_change
}

/// Compares `test` against `reference` (sample indices) on every gene.
///
/// Each group needs at least two samples; the groups must not overlap and must not repeat a
/// sample.
pub fn differential_expression(
    matrix: &ExpressionMatrix,
    test: &[usize],
    reference: &[usize],
) -> Result<DifferentialExpression, AnalysisError> {
    compare_groups(matrix, test, reference, 2)
}

/// The log2 fold changes of `test` against `reference` when a group may be a single sample
/// (generated samples against the one real sample they were conditioned on): the same table
/// as [`differential_expression`], whose genes are tested only where both groups have at least
/// two samples (so none when one group is a single sample).
pub fn fold_changes(
    matrix: &ExpressionMatrix,
    test: &[usize],
    reference: &[usize],
) -> Result<DifferentialExpression, AnalysisError> {
    compare_groups(matrix, test, reference, 1)
}

/// Both comparisons, with `minimum` samples per group.
fn compare_groups(
    matrix: &ExpressionMatrix,
    test: &[usize],
    reference: &[usize],
    minimum: usize,
) -> Result<DifferentialExpression, AnalysisError> {
    let n_samples = matrix.n_samples();
    let mut assignment = vec![None; n_samples];
    for (group, (members, what)) in [(test, "the test group"), (reference, "the reference group")]
        .into_iter()
        .enumerate()
    {
        if members.len() < minimum {
            return Err(AnalysisError::TooFewSamples {
                what,
                size: members.len(),
                minimum,
            });
        }
        for &sample in members {
            let slot = assignment
                .get_mut(sample)
                .ok_or(AnalysisError::SampleOutOfRange {
                    what,
                    index: sample,
                    n_samples,
                })?;
            match *slot {
                None => *slot = Some(group),
                Some(earlier) if earlier == group => {
                    return Err(AnalysisError::DuplicateSample { what, sample });
                }
                Some(_) => return Err(AnalysisError::GroupsOverlap { sample }),
            }
        }
    }
    let groups = moments::group_moments(matrix, &assignment, 2);
    let (test_stats, reference_stats) = (&groups[0], &groups[1]);
    let mut rows: Vec<DeRow> = (0..matrix.n_genes())
        .map(|gene| {
            let a = GroupMoments {
                mean: test_stats.mean[gene],
                variance: test_stats.variance[gene],
                n: test_stats.n,
            };
            let b = GroupMoments {
                mean: reference_stats.mean[gene],
                variance: reference_stats.variance[gene],
                n: reference_stats.n,
            };
            let test = welch_t_test(a, b);
            DeRow {
                gene,
                mean_test: a.mean,
                mean_reference: b.mean,
                log2_fold_change: a.mean - b.mean,
                t: test.map(|test| test.t),
                df: test.map(|test| test.df),
                p_value: test.map(|test| test.p_value),
                p_adjusted: None,
            }
        })
        .collect();
    let p_values: Vec<Option<f64>> = rows.iter().map(|row| row.p_value).collect();
    for (row, adjusted) in rows.iter_mut().zip(benjamini_hochberg(&p_values)) {
        row.p_adjusted = adjusted;
    }
    Ok(DifferentialExpression {
        genes: Arc::clone(matrix.genes_arc()),
        n_tested: p_values.iter().flatten().count(),
        rows,
        n_test: test.len(),
        n_reference: reference.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_matrix::{counts_matrix, sparse_matrix};

    fn rows() -> Vec<Vec<u32>> {
        // Gene 0 up in the test group (samples 0-2), gene 1 down, gene 2 always zero, gene 3
        // half of every library (the same log CPM everywhere, up to rounding).
        vec![
            vec![90, 10, 0, 100],
            vec![95, 12, 0, 107],
            vec![85, 9, 0, 94],
            vec![10, 30, 0, 40],
            vec![12, 28, 0, 40],
            vec![9, 31, 0, 40],
        ]
    }

    fn run(matrix: &ExpressionMatrix) -> DifferentialExpression {
        differential_expression(matrix, &[0, 1, 2], &[3, 4, 5]).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn agrees_with_a_direct_welch_test_on_log_cpm() {
        let matrix = counts_matrix(&rows());
        let result = run(&matrix);
        let values = matrix.gene_log_cpm(0).unwrap_or_default();
        let group = |samples: &[usize]| {
            let v: Vec<f64> = samples.iter().map(|&s| f64::from(values[s])).collect();
            let mean = v.iter().sum::<f64>() / v.len() as f64;
            let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (v.len() - 1) as f64;
            GroupMoments {
                mean,
                variance: var,
                n: v.len(),
            }
        };
        let direct = welch_t_test(group(&[0, 1, 2]), group(&[3, 4, 5]));
        let row = result.rows()[0];
        let direct = direct.unwrap_or_else(|| panic!("undefined"));
        assert!((row.t.unwrap_or(0.0) - direct.t).abs() < 1e-4);
        assert!((row.p_value.unwrap_or(1.0) - direct.p_value).abs() < 1e-6);
        assert!(row.log2_fold_change > 1.0);
        // Gene 2 is zero everywhere: untested.
        assert_eq!(result.rows()[2].p_value, None);
        assert_eq!(result.rows()[2].log2_fold_change, 0.0);
        assert!(result.rows()[1].log2_fold_change < -1.0);
        assert_eq!(result.rows()[3].p_value, None);
        assert_eq!(result.n_tested(), 2);
        assert_eq!(result.symbol(&result.rows()[0]), "G0");
        assert_eq!(result.gene_id(&result.rows()[1]), "ENSG00000000001");
    }

    #[test]
    fn dense_and_sparse_give_the_same_table() {
        let dense = run(&counts_matrix(&rows()));
        let sparse = run(&sparse_matrix(&rows()));
        assert_eq!(dense.rows(), sparse.rows());
    }

    #[test]
    fn sorting_puts_untested_last_and_keeps_ties_in_gene_order() {
        let mut result = run(&counts_matrix(&rows()));
        for order in [SortOrder::Ascending, SortOrder::Descending] {
            result.sort_by(DeColumn::PAdjusted, order);
            let genes: Vec<usize> = result.rows().iter().map(|row| row.gene).collect();
            assert_eq!(genes[2..], [2, 3]);
            let first = result.rows()[0].p_adjusted.unwrap_or(f64::NAN);
            let second = result.rows()[1].p_adjusted.unwrap_or(f64::NAN);
            assert_eq!(first < second, order == SortOrder::Ascending);
        }
        result.sort_by(DeColumn::Symbol, SortOrder::Descending);
        let genes: Vec<usize> = result.rows().iter().map(|row| row.gene).collect();
        assert_eq!(genes, vec![3, 2, 1, 0]);
        result.sort_by(DeColumn::AbsLog2FoldChange, SortOrder::Descending);
        assert_eq!(result.rows()[0].gene, 1);
        result.sort_by(DeColumn::GeneId, SortOrder::Ascending);
        let genes: Vec<usize> = result.rows().iter().map(|row| row.gene).collect();
        assert_eq!(genes, vec![0, 1, 2, 3]);
        assert_eq!(result.n_significant(0.05, 1.0), 2);
        assert_eq!(result.n_significant(0.05, 2.5), 1);
    }

    #[test]
    fn identical_replicates_leave_every_gene_untested() {
        // Mean estimation with deterministic latents: every sample of a condition is the same.
        let ctrl = vec![10.5f32, 3.25, 0.0];
        let drug = vec![21.0f32, 1.0, 0.0];
        let matrix = crate::test_matrix::expected_matrix(&[
            ctrl.clone(),
            ctrl.clone(),
            drug.clone(),
            drug.clone(),
        ]);
        let result =
            differential_expression(&matrix, &[2, 3], &[0, 1]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(result.n_tested(), 0);
        assert!(result.rows().iter().all(|row| row.p_adjusted.is_none()));
        assert!(result.rows()[1].log2_fold_change < -2.0);
    }

    #[test]
    fn fold_changes_take_a_single_reference_sample_and_test_nothing() {
        let matrix = counts_matrix(&rows());
        let result = fold_changes(&matrix, &[0, 1, 2], &[3]).unwrap_or_else(|e| panic!("{e}"));
        let direct = differential_expression(&matrix, &[0, 1, 2], &[3]).err();
        assert!(direct.is_some(), "a group of one is no test");
        assert_eq!(result.n_tested(), 0);
        assert_eq!(result.n_reference(), 1);
        assert!(result.rows()[0].log2_fold_change > 1.5);
        assert!(result.rows()[1].log2_fold_change < -1.0);
        assert_eq!(
            fold_changes(&matrix, &[], &[3]).err(),
            Some(AnalysisError::TooFewSamples {
                what: "the test group",
                size: 0,
                minimum: 1
            })
        );
    }

    #[test]
    fn rejects_bad_groups() {
        let matrix = counts_matrix(&rows());
        let check = |test: &[usize], reference: &[usize], expected: AnalysisError| {
            assert_eq!(
                differential_expression(&matrix, test, reference).err(),
                Some(expected)
            );
        };
        check(
            &[0],
            &[3, 4],
            AnalysisError::TooFewSamples {
                what: "the test group",
                size: 1,
                minimum: 2,
            },
        );
        check(&[0, 1], &[1, 4], AnalysisError::GroupsOverlap { sample: 1 });
        check(
            &[0, 0],
            &[3, 4],
            AnalysisError::DuplicateSample {
                what: "the test group",
                sample: 0,
            },
        );
        check(
            &[0, 1],
            &[3, 9],
            AnalysisError::SampleOutOfRange {
                what: "the reference group",
                index: 9,
                n_samples: 6,
            },
        );
    }
}
