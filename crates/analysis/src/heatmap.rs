//! Heatmap data of the most variable genes: per-gene z-scores of log CPM, samples ordered by
//! group, genes ordered by average-linkage clustering on correlation.

use synthome_matrix::ExpressionMatrix;

use crate::cluster::average_linkage_order;
use crate::log_cpm::{at, cpm_scale};
use crate::moments::GeneMoments;
use crate::variable::top_by_variance;
use crate::{AnalysisError, Grouping, moments};

/// What to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeatmapConfig {
    /// Number of most variable genes (rows), 1 to [`MAX_HEATMAP_GENES`].
    pub n_genes: usize,
    /// Above this many samples, neighbouring samples of the same group are averaged into one
    /// column, so the heatmap keeps about this many columns (at least 1).
    pub max_columns: usize,
}

impl Default for HeatmapConfig {
    fn default() -> Self {
        Self {
            n_genes: 50,
            max_columns: 200,
        }
    }
}

/// The most genes a heatmap may have (clustering is cubic in it).
pub const MAX_HEATMAP_GENES: usize = 500;

/// One heatmap column: a sample, or consecutive samples of one group averaged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeatmapColumn {
    /// The group of every sample in the column.
    pub group: usize,
    /// The samples averaged into the column, in sample order.
    pub samples: Vec<usize>,
}

/// Row z-scores of the most variable genes.
#[derive(Debug, Clone, PartialEq)]
pub struct Heatmap {
    /// Genes (column indices of the matrix), in row order.
    pub genes: Vec<usize>,
    /// Columns, grouped by group in label order.
    pub columns: Vec<HeatmapColumn>,
    /// Group labels, indexed by [`HeatmapColumn::group`].
    pub group_labels: Vec<String>,
    /// z-score of every (row, column), row-major: `(log CPM - gene mean) / gene sd`, averaged
    /// over the column's samples.
    pub z: Vec<f64>,
}

impl Heatmap {
    /// The z-score at a row and column (0 outside the grid).
    pub fn value(&self, row: usize, column: usize) -> f64 {
        if column >= self.columns.len() {
            return 0.0;
        }
        self.z
            .get(row * self.columns.len() + column)
            .copied()
            .unwrap_or(0.0)
    }
}

/// The rows of a heatmap before its columns are chosen: the most variable genes, in clustered
/// order, with the z-score of every sample. Computed once per result; [`HeatmapRows::arrange`]
/// then groups the columns by any metadata field without another pass over the matrix.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct HeatmapRows {
    /// Genes (column indices of the matrix), in row order.
    pub genes: Vec<usize>,
    /// Per row, the z-score of log CPM of every sample, in sample order.
    pub z: Vec<Vec<f64>>,
    /// Samples of the result (also when no gene varies and there are no rows).
    pub n_samples: usize,
}

impl HeatmapRows {
    /// The heatmap with columns ordered by `grouping` (neighbouring samples of a group averaged
    /// above `max_columns` columns).
    pub fn arrange(
        &self,
        grouping: &Grouping,
        max_columns: usize,
    ) -> Result<Heatmap, AnalysisError> {
        grouping.check_samples(self.n_samples)?;
        if max_columns == 0 {
            return Err(AnalysisError::InvalidParameter {
                parameter: "max_columns",
                value: "0".into(),
                rule: "at least 1",
            });
        }
        let columns = columns_by_group(grouping, max_columns);
        let mut z = Vec::with_capacity(self.z.len() * columns.len());
        for row in &self.z {
            for column in &columns {
                let sum: f64 = column.samples.iter().map(|&s| row[s]).sum();
                z.push(sum / column.samples.len().max(1) as f64);
            }
        }
        Ok(Heatmap {
            genes: self.genes.clone(),
            columns,
            group_labels: grouping.labels().to_vec(),
            z,
        })
    }
}

/// Builds the heatmap of the most variable genes with columns ordered by `grouping`.
pub fn variable_gene_heatmap(
    matrix: &ExpressionMatrix,
    grouping: &Grouping,
    config: &HeatmapConfig,
) -> Result<Heatmap, AnalysisError> {
    grouping.check_samples(matrix.n_samples())?;
    variable_gene_rows(matrix, &moments::all_samples(matrix), config.n_genes)?
        .arrange(grouping, config.max_columns)
}

/// The `n_genes` most variable genes' z-scores, from per-gene moments over all samples.
pub(crate) fn variable_gene_rows(
    matrix: &ExpressionMatrix,
    stats: &GeneMoments,
    n_genes: usize,
) -> Result<HeatmapRows, AnalysisError> {
    if n_genes == 0 || n_genes > MAX_HEATMAP_GENES {
        return Err(AnalysisError::InvalidParameter {
            parameter: "n_genes",
            value: n_genes.to_string(),
            rule: "between 1 and 500",
        });
    }
    let picked = top_by_variance(&stats.variance, n_genes);
    let n_samples = matrix.n_samples();
    // z[gene][sample]
    let mut rows: Vec<Vec<f64>> = vec![Vec::with_capacity(n_samples); picked.len()];
    for row in matrix.rows() {
        let scale = cpm_scale(row.sum());
        for (values, &gene) in rows.iter_mut().zip(&picked) {
            values.push(at(row, gene, scale));
        }
    }
    for values in &mut rows {
        standardise(values);
    }
    let order = gene_order(&rows);
    let mut z = vec![Vec::new(); rows.len()];
    let genes = order
        .iter()
        .zip(&mut z)
        .map(|(&gene, out)| {
            *out = std::mem::take(&mut rows[gene]);
            picked[gene]
        })
        .collect();
    Ok(HeatmapRows {
        genes,
        z,
        n_samples,
    })
}

/// Turns values into z-scores in place (all zeros when they do not vary).
fn standardise(values: &mut [f64]) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let variance = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0);
    let sd = variance.sqrt();
    for value in values.iter_mut() {
        *value = if sd > 0.0 { (*value - mean) / sd } else { 0.0 };
    }
}

/// Row order from average linkage on `1 - Pearson correlation` of the z-scores.
fn gene_order(rows: &[Vec<f64>]) -> Vec<usize> {
    let n = rows.len();
    let denominator = rows
        .first()
        .map_or(1.0, |row| (row.len().max(2) - 1) as f64);
    let mut distance = vec![0.0; n * n];
    for i in 0..n {
        for j in i + 1..n {
            let r: f64 = rows[i]
                .iter()
                .zip(&rows[j])
                .map(|(a, b)| a * b)
                .sum::<f64>()
                / denominator;
            distance[i * n + j] = 1.0 - r;
            distance[j * n + i] = 1.0 - r;
        }
    }
    average_linkage_order(&distance, n)
}

/// Samples by group; when there are more than `max_columns`, each group's samples are split
/// into contiguous bins, about `max_columns * group size / samples` per group (at least one).
fn columns_by_group(grouping: &Grouping, max_columns: usize) -> Vec<HeatmapColumn> {
    let n_samples = grouping.n_samples();
    let mut columns = Vec::new();
    for group in 0..grouping.n_groups() {
        let members = grouping.members(group);
        if members.is_empty() {
            continue;
        }
        let bins = if n_samples <= max_columns {
            members.len()
        } else {
            (members.len() * max_columns)
                .div_ceil(n_samples)
                .clamp(1, members.len())
        };
        for bin in 0..bins {
            let start = bin * members.len() / bins;
            let end = (bin + 1) * members.len() / bins;
            columns.push(HeatmapColumn {
                group,
                samples: members[start..end].to_vec(),
            });
        }
    }
    columns
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_matrix::counts_matrix;

    fn grouping(assignment: Vec<usize>) -> Grouping {
        let labels = vec!["ctrl".into(), "treated".into()];
        Grouping::new(labels, assignment).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn rows_are_z_scores_and_columns_follow_groups() {
        // Genes 0 and 2 go up in the treated samples (1 and 3), gene 1 goes down, gene 3 is flat.
        let matrix = counts_matrix(&[
            vec![10, 90, 12, 100],
            vec![90, 10, 95, 100],
            vec![12, 88, 10, 100],
            vec![95, 12, 90, 100],
        ]);
        let config = HeatmapConfig {
            n_genes: 3,
            max_columns: 10,
        };
        let heatmap = variable_gene_heatmap(&matrix, &grouping(vec![0, 1, 0, 1]), &config)
            .unwrap_or_else(|e| panic!("{e}"));
        let samples: Vec<usize> = heatmap
            .columns
            .iter()
            .flat_map(|c| c.samples.clone())
            .collect();
        assert_eq!(samples, vec![0, 2, 1, 3]);
        assert_eq!(heatmap.z.len(), 12);
        assert!(!heatmap.genes.contains(&3));
        // The two up genes are adjacent in the row order.
        let position = |gene| heatmap.genes.iter().position(|&g| g == gene).unwrap_or(9);
        assert_eq!(position(0).abs_diff(position(2)), 1);
        for row in 0..3 {
            let values: Vec<f64> = (0..4).map(|col| heatmap.value(row, col)).collect();
            assert!(values.iter().sum::<f64>().abs() < 1e-9);
            let ss: f64 = values.iter().map(|v| v * v).sum();
            assert!((ss - 3.0).abs() < 1e-9);
            let up = heatmap.genes[row] != 1;
            assert_eq!(values[2] > 0.0, up);
        }
    }

    #[test]
    fn many_samples_are_binned_within_groups() {
        let columns = columns_by_group(&grouping([vec![0; 70], vec![1; 30]].concat()), 10);
        assert_eq!(columns.len(), 10);
        assert_eq!(columns.iter().filter(|c| c.group == 0).count(), 7);
        let total: usize = columns.iter().map(|c| c.samples.len()).sum();
        assert_eq!(total, 100);
        assert!(columns.iter().all(|c| c.samples.len() == 10));
    }

    #[test]
    fn rejects_bad_configs() {
        let matrix = counts_matrix(&[vec![1, 2], vec![2, 1]]);
        let bad = HeatmapConfig {
            n_genes: 0,
            max_columns: 10,
        };
        let error = variable_gene_heatmap(&matrix, &grouping(vec![0, 1]), &bad)
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            error.as_deref(),
            Some("n_genes is 0, but it must be between 1 and 500")
        );
        let short = grouping(vec![0]);
        assert!(variable_gene_heatmap(&matrix, &short, &HeatmapConfig::default()).is_err());
    }
}
