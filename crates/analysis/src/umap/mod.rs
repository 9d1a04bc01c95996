//! UMAP (McInnes, Healy & Melville 2018, arXiv:1802.03426) of points in a few dimensions,
//! typically the PCA scores of cells ([`cell_umap`]): exact k nearest neighbours
//! ([`neighbours`]), the fuzzy simplicial set by smooth kNN distances and fuzzy union
//! ([`fuzzy_graph`]), the similarity curve's `a, b` fitted from `min_dist` ([`curve`]), and
//! the layout by SGD with negative sampling from a PCA start ([`layout`]).
//!
//! Deterministic and the same on every platform: one seeded `Pcg64` for every random draw,
//! `libm` and plain f32 polynomials ([`power`]) for `exp`, `pow` and `ln`, fixed loop orders,
//! no threads, no hashing; native and wasm32 give the same bytes for the same input and seed.

mod curve;
mod fuzzy_graph;
mod layout;
mod neighbours;
mod power;

use synthome_matrix::ExpressionMatrix;

use self::curve::fit_curve;
use self::fuzzy_graph::fuzzy_graph;
use self::layout::{generator, initial_layout, optimise_layout};
use self::neighbours::exact_neighbours;
use crate::AnalysisError;
use crate::dense::DenseMatrix;
use crate::pca::{Pca, PcaConfig, pca};

/// Distance scale of the embedding (umap-learn's `spread`).
const SPREAD: f64 = 1.0;

/// What to compute.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UmapConfig {
    /// Neighbourhood size, counting the point itself (umap-learn's convention): each point is
    /// joined to its `n_neighbors - 1` nearest others. At least 2.
    pub n_neighbors: usize,
    /// How tightly close points may pack in the embedding, in `[0, 1]`.
    pub min_dist: f64,
    /// Optimisation epochs (at least 1; 200 suits up to about 10,000 points).
    pub n_epochs: usize,
    /// Seed of the layout's random draws.
    pub seed: u64,
}

impl Default for UmapConfig {
    fn default() -> Self {
        Self {
            n_neighbors: 15,
            min_dist: 0.1,
            n_epochs: 200,
            seed: 42,
        }
    }
}

/// A two-dimensional embedding.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Umap {
    /// Coordinates of every point, in input order.
    pub embedding: Vec<[f32; 2]>,
}

/// The PCA a [`cell_umap`] starts from: 20 components of the 2,000 most variable genes.
pub const CELL_UMAP_PCA: PcaConfig = PcaConfig {
    n_components: 20,
    n_top_genes: 2_000,
};

/// UMAP of the rows of `points`, whose columns should come most important first (PCA
/// scores): the layout starts from the first two.
///
/// ```
/// use synthome_analysis::{DenseMatrix, UmapConfig, umap};
///
/// // Two tight groups of 20 points, far apart on the first axis.
/// let data = (0..40).flat_map(|i| {
///     let centre = if i < 20 { -5.0 } else { 5.0 };
///     [centre + 0.01 * (i % 7) as f64, 0.01 * (i % 5) as f64]
/// }).collect();
/// let points = DenseMatrix { rows: 40, cols: 2, data };
/// let config = UmapConfig { n_neighbors: 5, ..UmapConfig::default() };
/// let layout = umap(&points, &config).map_err(|e| e.to_string());
/// assert!(layout.is_ok_and(|u| (u.embedding[0][0] < u.embedding[39][0])));
/// ```
pub fn umap(points: &DenseMatrix, config: &UmapConfig) -> Result<Umap, AnalysisError> {
    check(points, config)?;
    let neighbours = exact_neighbours(points, config.n_neighbors - 1);
    let edges = fuzzy_graph(&neighbours, config.n_neighbors);
    let curve = fit_curve(config.min_dist, SPREAD);
    let mut rng = generator(config.seed);
    let mut embedding = initial_layout(points, &mut rng);
    optimise_layout(&mut embedding, &edges, curve, config.n_epochs, &mut rng);
    Ok(Umap { embedding })
}

/// UMAP of the cells (samples) of `matrix` on their [`CELL_UMAP_PCA`] scores.
pub fn cell_umap(matrix: &ExpressionMatrix, config: &UmapConfig) -> Result<Umap, AnalysisError> {
    if matrix.n_samples() < config.n_neighbors {
        return Err(too_few(matrix.n_samples(), config.n_neighbors));
    }
    umap_of_pca(&pca(matrix, &CELL_UMAP_PCA)?, config)
}

/// UMAP of the samples of a PCA already computed (e.g. the viewer's overview of a single-cell
/// result, [`overview_pca`](crate::overview_pca)), on all its components' scores.
pub fn umap_of_pca(pcs: &Pca, config: &UmapConfig) -> Result<Umap, AnalysisError> {
    let cols = pcs.components.len();
    let rows = pcs
        .components
        .first()
        .map_or(0, |component| component.scores.len());
    let mut scores = DenseMatrix::zeros(rows, cols);
    for (col, component) in pcs.components.iter().enumerate() {
        for (row, &score) in component.scores.iter().enumerate().take(rows) {
            scores.data[row * cols + col] = score;
        }
    }
    umap(&scores, config)
}

fn too_few(size: usize, n_neighbors: usize) -> AnalysisError {
    AnalysisError::TooFewSamples {
        what: "the UMAP (one point and its n_neighbors - 1 neighbours)",
        size,
        minimum: n_neighbors,
    }
}

fn check(points: &DenseMatrix, config: &UmapConfig) -> Result<(), AnalysisError> {
    if config.n_neighbors < 2 {
        return Err(AnalysisError::InvalidParameter {
            parameter: "n_neighbors",
            value: config.n_neighbors.to_string(),
            rule: "at least 2 (the point and one neighbour)",
        });
    }
    if !(0.0..=SPREAD).contains(&config.min_dist) {
        return Err(AnalysisError::InvalidParameter {
            parameter: "min_dist",
            value: config.min_dist.to_string(),
            rule: "between 0 and 1",
        });
    }
    if config.n_epochs == 0 {
        return Err(AnalysisError::InvalidParameter {
            parameter: "n_epochs",
            value: "0".into(),
            rule: "at least 1",
        });
    }
    if points.cols == 0 {
        return Err(AnalysisError::InvalidParameter {
            parameter: "points",
            value: "0 coordinates".into(),
            rule: "at least 1 coordinate per point (no gene varies, so the PCA is empty)",
        });
    }
    if points.rows < config.n_neighbors {
        return Err(too_few(points.rows, config.n_neighbors));
    }
    if let Some(at) = points.data.iter().position(|value| !value.is_finite()) {
        return Err(AnalysisError::InvalidParameter {
            parameter: "points",
            value: format!("{} at row {}", points.data[at], at / points.cols),
            rule: "finite in every coordinate",
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests;
