//! Statistics for the realism report: per-gene means and zero shares, AUROC, k-NN
//! classification with 5-fold cross-validation, nearest centroids

use synthome_sc_model::cell_stream;

use crate::analysis::linalg::Matrix;

use crate::synth::Cells;

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
    crate::analysis::annotate::pearson(&x, &y)
}

/// Area under the ROC curve of `scores` for `positive` labels (ties count one half)
pub(crate) fn auroc(scores: &[f64], positive: &[bool]) -> f64 {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]).then(a.cmp(&b)));
    let mut ranks = vec![0.0; scores.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && scores[order[end]] == scores[order[start]] {
            end += 1;
        }
        let rank = (start + end + 1) as f64 / 2.0;
        for &index in &order[start..end] {
            ranks[index] = rank;
        }
        start = end;
    }
    let n_positive = positive.iter().filter(|&&p| p).count() as f64;
    let n_negative = positive.len() as f64 - n_positive;
    if n_positive == 0.0 || n_negative == 0.0 {
        return f64::NAN;
    }
    let rank_sum: f64 = ranks
        .iter()
        .zip(positive)
        .filter(|(_, p)| **p)
        .map(|(r, _)| r)
        .sum();
    (rank_sum - n_positive * (n_positive + 1.0) / 2.0) / (n_positive * n_negative)
}

/// Neighbours used by the real-vs-synthetic classifier
pub(crate) const KNN: usize = 10;
/// Cross-validation folds
pub(crate) const FOLDS: usize = 5;

/// 5-fold cross-validated AUROC of a k-NN classifier separating `positive` rows of `points`
/// (score = share of positive neighbours among the training folds)
pub(crate) fn knn_auroc(points: &Matrix, positive: &[bool], seed: u64) -> f64 {
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
    auroc(&scores, positive)
}

/// Squared Euclidean distance
pub(crate) fn squared_distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
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
    fn auroc_is_one_half_for_ties_and_one_for_perfect_order() {
        assert_eq!(
            auroc(&[0.1, 0.2, 0.8, 0.9], &[false, false, true, true]),
            1.0
        );
        assert_eq!(auroc(&[0.5; 4], &[false, true, false, true]), 0.5);
        assert_eq!(auroc(&[0.9, 0.1], &[false, true]), 0.0);
        assert!(auroc(&[0.5], &[true]).is_nan());
    }

    #[test]
    fn knn_separates_distinct_clouds_and_not_identical_ones() {
        let mut stream = cell_stream(3, 0, 0);
        let n = 120;
        let mut apart = Matrix::zeros(n, 2);
        let mut same = Matrix::zeros(n, 2);
        let labels: Vec<bool> = (0..n).map(|i| i % 2 == 0).collect();
        for i in 0..n {
            let shift = if labels[i] { 5.0 } else { 0.0 };
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
