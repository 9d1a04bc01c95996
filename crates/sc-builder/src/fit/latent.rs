//! Within-type heterogeneity: a few factors over the type's most over-dispersed variable genes
//! (the embedding's variable genes, so the factors act where cells differ in the embedding)
//!
//! Per cell, the rates `count / library` of the latent genes are averaged over the cell and
//! its nearest neighbours of the same type and condition in the embedding (k-NN smoothing,
//! which removes most of the counting noise and keeps the biological state), logged, centred
//! per condition, and decomposed by PCA. The factors' loadings (unit vectors) act on the log
//! rate; the scores' standard deviations are the scales of `z`. The training cells' scores
//! are kept as a bank for kernel density draws (bandwidth by Silverman's rule), so the latent
//! distribution keeps its sub-populations.

use synthome_sc_model::Latent;

use crate::analysis::linalg::{Matrix, pca};
use crate::dataset::Dataset;

/// Latent genes per cell type
pub(crate) const LATENT_GENES: usize = 200;
/// Factors per cell type
pub(crate) const FACTORS: usize = 5;
/// Cells a type needs for factors
pub(crate) const MIN_CELLS: usize = 30;
/// Neighbours averaged per cell
pub(crate) const NEIGHBOURS: usize = 15;
/// Genes need this mean count per cell to carry factors
const MIN_MEAN_COUNT: f64 = 0.2;
/// Seed of the PCA
const SEED: u64 = 7;

/// The cells of one cell type for the latent fit
pub(crate) struct TypeCells<'a> {
    /// Training cells of the type
    pub cells: &'a [usize],
    /// Condition of each (true = stimulated)
    pub stimulated: &'a [bool],
    /// Library size of each
    pub libraries: &'a [f64],
    /// Embedding coordinates of each (rows in `cells` order)
    pub coordinates: &'a Matrix,
    /// Over-dispersion (variance / mean - 1 beyond Poisson) per gene
    pub excess: &'a [f64],
    /// Mean count per cell per gene
    pub mean_count: &'a [f64],
    /// The embedding's variable genes
    pub variable: &'a [u32],
}

/// Fits the latent factors of one type (no factors below [`MIN_CELLS`] cells)
pub(crate) fn fit(dataset: &Dataset, input: &TypeCells<'_>) -> Latent {
    let n = input.cells.len();
    let none = Latent::none();
    if n < MIN_CELLS {
        return none;
    }
    let mut ranked: Vec<usize> = (0..dataset.gene_ids.len())
        .filter(|&g| {
            dataset.measured[g]
                && input.mean_count[g] >= MIN_MEAN_COUNT
                && input.excess[g] > 0.0
                && input.variable.binary_search(&(g as u32)).is_ok()
        })
        .collect();
    ranked.sort_by(|&a, &b| input.excess[b].total_cmp(&input.excess[a]).then(a.cmp(&b)));
    ranked.truncate(LATENT_GENES);
    ranked.sort_unstable();
    if ranked.len() < 2 * FACTORS {
        return none;
    }
    let genes = ranked;
    // dense rates of the latent genes
    let mut rates = Matrix::zeros(n, genes.len());
    for (row, &cell) in input.cells.iter().enumerate() {
        let (indices, counts) = dataset.counts.row(cell);
        for (&gene, &count) in indices.iter().zip(counts) {
            if let Ok(position) = genes.binary_search(&(gene as usize)) {
                rates.data[row * genes.len() + position] = f64::from(count) / input.libraries[row];
            }
        }
    }
    let typical_library = (input.libraries.iter().map(|l| l.ln()).sum::<f64>() / n as f64).exp();
    let floor = 0.1 / typical_library;
    let mut logs = Matrix::zeros(n, genes.len());
    for row in 0..n {
        let neighbours = nearest(input, row);
        let out = logs.row_mut(row);
        for &other in &neighbours {
            for (value, &rate) in out.iter_mut().zip(rates.row(other)) {
                *value += rate;
            }
        }
        for value in out.iter_mut() {
            *value = (*value / neighbours.len() as f64 + floor).ln();
        }
    }
    for condition in [false, true] {
        let rows: Vec<usize> = (0..n)
            .filter(|&r| input.stimulated[r] == condition)
            .collect();
        if rows.is_empty() {
            continue;
        }
        for j in 0..genes.len() {
            let mean = rows.iter().map(|&r| logs.at(r, j)).sum::<f64>() / rows.len() as f64;
            for &r in &rows {
                logs.data[r * genes.len() + j] -= mean;
            }
        }
    }
    let n_factors = FACTORS.min(n / 10);
    let result = pca(&logs, n_factors, SEED);
    let mut loadings = Vec::with_capacity(n_factors * genes.len());
    for factor in 0..n_factors {
        for j in 0..genes.len() {
            loadings.push(result.loadings.at(j, factor) as f32);
        }
    }
    let bank = result.scores.data.iter().map(|&v| v as f32).collect();
    let dimensions = n_factors as f64;
    let jitter = ((4.0 / (dimensions + 2.0)).powf(1.0 / (dimensions + 4.0))
        * (n as f64).powf(-1.0 / (dimensions + 4.0))) as f32;
    Latent {
        genes: genes.iter().map(|&g| g as u32).collect(),
        n_factors,
        loadings,
        scales: result.variances.iter().map(|v| v.sqrt() as f32).collect(),
        bank,
        jitter,
    }
}

/// The row itself and its nearest neighbours of the same condition
fn nearest(input: &TypeCells<'_>, row: usize) -> Vec<usize> {
    let here = input.coordinates.row(row);
    let mut others: Vec<(f64, usize)> = (0..input.cells.len())
        .filter(|&other| other != row && input.stimulated[other] == input.stimulated[row])
        .map(|other| {
            let distance: f64 = here
                .iter()
                .zip(input.coordinates.row(other))
                .map(|(a, b)| (a - b) * (a - b))
                .sum();
            (distance, other)
        })
        .collect();
    others.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut chosen = vec![row];
    chosen.extend(others.into_iter().take(NEIGHBOURS).map(|(_, other)| other));
    chosen
}

/// Variance of each latent gene's log rate under the factors: sum_k loading^2 scale^2
pub(crate) fn log_variances(latent: &Latent) -> Vec<f64> {
    let n = latent.genes.len();
    (0..n)
        .map(|j| {
            (0..latent.n_factors)
                .map(|k| {
                    let loading = f64::from(latent.loadings[k * n + j]);
                    let scale = f64::from(latent.scales[k]);
                    loading * loading * scale * scale
                })
                .sum()
        })
        .collect()
}
