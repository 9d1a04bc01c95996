//! Normalisation, interferon-responsive genes, variable genes and the PCA embedding of cells
//!
//! Values are `ln(1 + 10^4 * count / library)`. Genes whose mean changes more than two-fold
//! between stimulated and control cells are left out of the variable genes, so that cells
//! embed (and cluster) by type rather than by interferon response.

use crate::dataset::Dataset;

use super::linalg::{Matrix, Pca, pca};

/// Counts per cell after normalisation
pub(crate) const SCALE: f64 = 1e4;
/// Number of variable genes embedded
pub(crate) const N_VARIABLE: usize = 1_500;
/// Number of principal components kept
pub(crate) const N_COMPONENTS: usize = 20;
/// Genes whose stimulated/control mean ratio exceeds this (either way) count as IFN-responsive
pub(crate) const IFN_FOLD: f64 = 2.0;
/// Scaled values are clipped at this many standard deviations
const CLIP: f64 = 10.0;
/// Mean-bins for the dispersion z-scores
const BINS: usize = 20;
/// Seed of the randomized PCA
const PCA_SEED: u64 = 20_180_101;

/// The cells embedded in principal components of the variable genes
#[derive(Debug, Clone)]
pub struct Embedding {
    /// Library size (total count) of each cell
    pub libraries: Vec<f64>,
    /// Whether each universe gene is IFN-responsive
    pub ifn_responsive: Vec<bool>,
    /// The variable genes (universe indices, increasing)
    pub variable: Vec<u32>,
    /// Mean of each variable gene's log value over the cells
    pub centre: Vec<f64>,
    /// Its standard deviation
    pub spread: Vec<f64>,
    /// PCA of the cells
    pub pca: Pca,
}

/// Log-normalised value of a count
pub(crate) fn log_value(count: u32, library: f64) -> f64 {
    libm::log1p(SCALE * f64::from(count) / library.max(1.0))
}

impl Embedding {
    /// Embeds the cells of `counts` (all of them define the space)
    pub(crate) fn new(dataset: &Dataset) -> Embedding {
        let counts = &dataset.counts;
        let n_genes = dataset.gene_ids.len();
        let n_cells = counts.n_cells();
        let libraries: Vec<f64> = (0..n_cells).map(|cell| counts.library(cell)).collect();
        let mut sum = vec![0.0; n_genes];
        let mut sum2 = vec![0.0; n_genes];
        let mut by_condition = [vec![0.0; n_genes], vec![0.0; n_genes]];
        let mut n_condition = [0.0f64; 2];
        for cell in 0..n_cells {
            let condition = usize::from(dataset.cells[cell].stimulated);
            n_condition[condition] += 1.0;
            let (genes, values) = counts.row(cell);
            for (&gene, &count) in genes.iter().zip(values) {
                let v = SCALE * f64::from(count) / libraries[cell];
                sum[gene as usize] += v;
                sum2[gene as usize] += v * v;
                by_condition[condition][gene as usize] += v;
            }
        }
        let n = n_cells as f64;
        let ifn_responsive: Vec<bool> = (0..n_genes)
            .map(|gene| {
                let control = by_condition[0][gene] / n_condition[0].max(1.0) + 0.1;
                let stimulated = by_condition[1][gene] / n_condition[1].max(1.0) + 0.1;
                let ratio = stimulated / control;
                !(1.0 / IFN_FOLD..=IFN_FOLD).contains(&ratio)
            })
            .collect();
        let variable = variable_genes(&sum, &sum2, n, &ifn_responsive, &dataset.measured);
        let column: Vec<Option<usize>> = {
            let mut map = vec![None; n_genes];
            for (position, &gene) in variable.iter().enumerate() {
                map[gene as usize] = Some(position);
            }
            map
        };
        let mut x = Matrix::zeros(n_cells, variable.len());
        for cell in 0..n_cells {
            let (genes, values) = counts.row(cell);
            let row = x.row_mut(cell);
            for (&gene, &count) in genes.iter().zip(values) {
                if let Some(position) = column[gene as usize] {
                    row[position] = log_value(count, libraries[cell]);
                }
            }
        }
        let mut centre = vec![0.0; variable.len()];
        let mut spread = vec![0.0; variable.len()];
        for j in 0..variable.len() {
            let mean = (0..n_cells).map(|i| x.at(i, j)).sum::<f64>() / n;
            let variance = (0..n_cells)
                .map(|i| (x.at(i, j) - mean).powi(2))
                .sum::<f64>()
                / n;
            centre[j] = mean;
            spread[j] = variance.sqrt().max(1e-6);
        }
        for i in 0..n_cells {
            for (j, value) in x.row_mut(i).iter_mut().enumerate() {
                *value = ((*value - centre[j]) / spread[j]).clamp(-CLIP, CLIP);
            }
        }
        // the clipped columns are re-centred so the PCA sees centred data
        for j in 0..variable.len() {
            let mean = (0..n_cells).map(|i| x.at(i, j)).sum::<f64>() / n;
            for i in 0..n_cells {
                x.data[i * variable.len() + j] -= mean;
            }
        }
        let pca = pca(&x, N_COMPONENTS, PCA_SEED);
        Embedding {
            libraries,
            ifn_responsive,
            variable,
            centre,
            spread,
            pca,
        }
    }

    /// Principal component scores of a cell given by its (gene, count) pairs and library size
    /// (the same scaling as the embedded cells; not re-centred for clipping)
    pub fn project(&self, genes: &[u32], counts: &[u32], library: f64) -> Vec<f64> {
        let k = self.pca.loadings.cols;
        let mut scores = vec![0.0; k];
        let mut values = vec![0.0; self.variable.len()];
        for (&gene, &count) in genes.iter().zip(counts) {
            if let Ok(position) = self.variable.binary_search(&gene) {
                values[position] = log_value(count, library);
            }
        }
        for (j, &value) in values.iter().enumerate() {
            let scaled = ((value - self.centre[j]) / self.spread[j]).clamp(-CLIP, CLIP);
            for (score, &loading) in scores.iter_mut().zip(self.pca.loadings.row(j)) {
                *score += scaled * loading;
            }
        }
        scores
    }
}

/// Top genes by dispersion z-score within mean bins (measured, not IFN-responsive, mean > 0.01)
fn variable_genes(sum: &[f64], sum2: &[f64], n: f64, ifn: &[bool], measured: &[bool]) -> Vec<u32> {
    let eligible: Vec<usize> = (0..sum.len())
        .filter(|&g| measured[g] && !ifn[g] && sum[g] / n > 0.01)
        .collect();
    if eligible.is_empty() {
        return Vec::new();
    }
    let log_mean = |g: usize| (sum[g] / n).ln();
    let log_dispersion = |g: usize| {
        let mean = sum[g] / n;
        let variance = (sum2[g] / n - mean * mean).max(1e-12);
        (variance / mean).ln()
    };
    let mut by_mean = eligible.clone();
    by_mean.sort_by(|&a, &b| log_mean(a).total_cmp(&log_mean(b)).then(a.cmp(&b)));
    let mut z = vec![f64::NEG_INFINITY; sum.len()];
    let per_bin = by_mean.len().div_ceil(BINS);
    for bin in by_mean.chunks(per_bin.max(1)) {
        let values: Vec<f64> = bin.iter().map(|&g| log_dispersion(g)).collect();
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        let sd =
            (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / values.len() as f64).sqrt();
        for (&g, &value) in bin.iter().zip(&values) {
            z[g] = if sd > 1e-9 { (value - mean) / sd } else { 0.0 };
        }
    }
    let mut ranked = eligible;
    ranked.sort_by(|&a, &b| z[b].total_cmp(&z[a]).then(a.cmp(&b)));
    ranked.truncate(N_VARIABLE);
    let mut chosen: Vec<u32> = ranked.into_iter().map(|g| g as u32).collect();
    chosen.sort_unstable();
    chosen
}
