//! Dot-plot data: for chosen genes and each group, the mean log CPM and the fraction of samples
//! (cells) expressing the gene. One pass over the stored values; sparse input stays sparse.

use synthome_matrix::ExpressionMatrix;

use crate::log_cpm::{cpm_scale, for_each_nonzero};
use crate::{AnalysisError, Grouping};

/// Mean expression and fraction expressing of genes (columns) by group (rows).
#[derive(Debug, Clone, PartialEq)]
pub struct DotPlot {
    /// Genes (column indices of the matrix), in the order asked.
    pub genes: Vec<usize>,
    /// Group labels, in group order.
    pub group_labels: Vec<String>,
    /// Samples per group.
    pub group_sizes: Vec<usize>,
    /// Mean log CPM (zeros included) per (group, gene), row-major by group.
    pub mean: Vec<f64>,
    /// Fraction of the group's samples with a non-zero value, per (group, gene).
    pub fraction: Vec<f64>,
}

impl DotPlot {
    /// Mean log CPM of a group and a gene position (0 outside the grid).
    pub fn mean_at(&self, group: usize, gene: usize) -> f64 {
        self.cell(&self.mean, group, gene)
    }

    /// Fraction expressing of a group and a gene position (0 outside the grid).
    pub fn fraction_at(&self, group: usize, gene: usize) -> f64 {
        self.cell(&self.fraction, group, gene)
    }

    fn cell(&self, values: &[f64], group: usize, gene: usize) -> f64 {
        if gene >= self.genes.len() {
            return 0.0;
        }
        values
            .get(group * self.genes.len() + gene)
            .copied()
            .unwrap_or(0.0)
    }
}

/// Computes the dot plot of `genes` by `grouping`.
pub fn dot_plot(
    matrix: &ExpressionMatrix,
    genes: &[usize],
    grouping: &Grouping,
) -> Result<DotPlot, AnalysisError> {
    grouping.check_samples(matrix.n_samples())?;
    let n_genes = genes.len();
    let mut position_of = vec![Vec::new(); matrix.n_genes()];
    for (position, &gene) in genes.iter().enumerate() {
        match position_of.get_mut(gene) {
            Some(positions) => positions.push(position),
            None => {
                return Err(AnalysisError::GeneOutOfRange {
                    what: "the dot plot's gene list",
                    index: gene,
                    n_genes: matrix.n_genes(),
                });
            }
        }
    }
    let n_groups = grouping.n_groups();
    let mut sums = vec![0.0; n_groups * n_genes];
    let mut expressing = vec![0usize; n_groups * n_genes];
    let mut sizes = vec![0usize; n_groups];
    for (row, &group) in matrix.rows().zip(grouping.assignment()) {
        sizes[group] += 1;
        let base = group * n_genes;
        for_each_nonzero(row, cpm_scale(row.sum()), |gene, value| {
            for &position in &position_of[gene] {
                sums[base + position] += value;
                expressing[base + position] += 1;
            }
        });
    }
    let per_sample = |total: f64, group: usize| {
        if sizes[group] > 0 {
            total / sizes[group] as f64
        } else {
            0.0
        }
    };
    let cells = 0..n_groups * n_genes;
    Ok(DotPlot {
        genes: genes.to_vec(),
        group_labels: grouping.labels().to_vec(),
        mean: cells
            .clone()
            .map(|cell| per_sample(sums[cell], cell / n_genes.max(1)))
            .collect(),
        fraction: cells
            .map(|cell| per_sample(expressing[cell] as f64, cell / n_genes.max(1)))
            .collect(),
        group_sizes: sizes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_matrix::{counts_matrix, sparse_matrix};

    #[test]
    fn means_and_fractions_by_group() {
        let rows = vec![vec![0, 4, 4], vec![2, 0, 6], vec![8, 0, 0], vec![0, 0, 3]];
        let grouping = Grouping::new(vec!["T".into(), "B".into()], vec![0, 0, 1, 1])
            .unwrap_or_else(|e| panic!("{e}"));
        for matrix in [counts_matrix(&rows), sparse_matrix(&rows)] {
            let plot = dot_plot(&matrix, &[2, 0], &grouping).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(plot.group_sizes, vec![2, 2]);
            assert_eq!(plot.fraction, vec![1.0, 0.5, 0.5, 0.5]);
            let expected_mean = (500_001f64.log2() + 750_001f64.log2()) / 2.0;
            assert!((plot.mean_at(0, 0) - expected_mean).abs() < 1e-12);
            assert!((plot.mean_at(1, 1) - 1_000_001f64.log2() / 2.0).abs() < 1e-12);
            assert_eq!(plot.fraction_at(5, 0), 0.0);
        }
    }

    #[test]
    fn unknown_genes_are_rejected() {
        let matrix = counts_matrix(&[vec![1, 2]]);
        let grouping = Grouping::new(vec!["a".into()], vec![0]).unwrap_or_else(|e| panic!("{e}"));
        let error = dot_plot(&matrix, &[0, 7], &grouping)
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            error.as_deref(),
            Some(
                "the dot plot's gene list names gene 7, but the matrix has 2 genes (valid indices are below 2)"
            )
        );
    }
}
