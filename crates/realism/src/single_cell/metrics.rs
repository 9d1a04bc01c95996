//! Statistics for the single-cell realism report: per-gene means and zero shares, correlation
//! over informative genes, k-NN classification with 5-fold cross-validation, nearest
//! centroids

use synthome_analysis::{DenseMatrix, auroc, pearson, squared_distance};
use synthome_sc_builder::Cells;
use synthome_sc_model::cell_stream;

/// Per-gene mean normalised expression (per 10^4 counts) and share of zero counts
pub(crate) struct GeneStats {
    /// Mean of 10^4 count / library
    pub mean: Vec<f64>,
    /// Mean raw count per cell
    pub mean_count: Vec<f64>,
    /// Share of cells with no count
    pub zeros: Vec<f64>,
}

/// Gene statistics of `cells` over `n_genes`
pub(crate) fn gene_stats(cells: &Cells, n_genes: usize) -> GeneStats {
    let mut mean = vec![0.0; n_genes];
    let mut mean_count = vec![0.0; n_genes];
    let mut nonzero = vec![0.0; n_genes];
    for (genes, counts) in cells {
        let library: f64 = counts.iter().map(|&c| f64::from(c)).sum::<f64>().max(1.0);
        for (&gene, &count) in genes.iter().zip(counts) {
            mean[gene as usize] += 1e4 * f64::from(count) / library;
            mean_count[gene as usize] += f64::from(count);
            nonzero[gene as usize] += 1.0;
        }
    }
    let n = cells.len().max(1) as f64;
    GeneStats {
        mean: mean.iter().map(|v| v / n).collect(),
        mean_count: mean_count.iter().map(|v| v / n).collect(),
        zeros: nonzero.iter().map(|v| 1.0 - v / n).collect(),
    }
}

/// Pearson correlation over the positions where `keep` holds
pub(crate) fn pearson_where(a: &[f64], b: &[f64], keep: impl Fn(usize) -> bool) -> f64 {
    let (x, y): (Vec<f64>, Vec<f64>) = (0..a.len())
        .filter(|&i| keep(i))
        .map(|i| (a[i], b[i]))
        .unzip();
    pearson(&x, &y).unwrap_or(0.0)
}

/// Neighbours used by the real-vs-synthetic classifier
pub(crate) const KNN: usize = 10;
/// Cross-validation folds
pub(crate) const FOLDS: usize = 5;

/// 5-fold cross-validated AUROC of a k-NN classifier separating `positive` rows of `points`
/// (score = share of positive neighbours among the training folds)
pub(crate) fn knn_auroc(points: &DenseMatrix, positive: &[bool], seed: u64) -> f64 {
    let n = points.rows;
    let mut order: Vec<usize> = (0..n).collect();
    let mut stream = cell_stream(seed, 2, 0);
    for i in (1..n).rev() {
        let j = ((stream.uniform() * (i + 1) as f64) as usize).min(i);
        order.swap(i, j);
    }
    let mut fold = vec![0usize; n];
    for (position, &row) in order.iter().enumerate() {
        fold[row] = position % FOLDS;
    }
    let mut scores = vec![0.0; n];
    for row in 0..n {
        let mut distances: Vec<(f64, usize)> = (0..n)
            .filter(|&other| fold[other] != fold[row])
            .map(|other| (squared_distance(points.row(row), points.row(other)), other))
            .collect();
        distances.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let neighbours = &distances[..KNN.min(distances.len())];
        let positives = neighbours
            .iter()
            .filter(|(_, other)| positive[*other])
            .count();
        scores[row] = positives as f64 / neighbours.len().max(1) as f64;
    }
    auroc(&scores, positive).unwrap_or(f64::NAN)
}

/// Index of the nearest centroid
pub(crate) fn nearest_centroid(point: &[f64], centroids: &[Vec<f64>]) -> usize {
    let mut best = (f64::INFINITY, 0);
    for (index, centroid) in centroids.iter().enumerate() {
        let distance = squared_distance(point, centroid);
        if distance < best.0 {
            best = (distance, index);
        }
    }
    best.1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knn_separates_distinct_clouds_and_not_identical_ones() {
        let mut stream = cell_stream(3, 0, 0);
        let n = 120;
        let mut apart = DenseMatrix::zeros(n, 2);
        let mut same = DenseMatrix::zeros(n, 2);
        let labels: Vec<bool> = (0..n).map(|i| i % 2 == 0).collect();
        for (i, &label) in labels.iter().enumerate() {
            let shift = if label { 5.0 } else { 0.0 };
            apart.data[2 * i] = stream.normal() + shift;
            apart.data[2 * i + 1] = stream.normal();
            same.data[2 * i] = stream.normal();
            same.data[2 * i + 1] = stream.normal();
        }
        assert!(knn_auroc(&apart, &labels, 1) > 0.95);
        let chance = knn_auroc(&same, &labels, 1);
        assert!((chance - 0.5).abs() < 0.15, "chance {chance}");
    }
}
