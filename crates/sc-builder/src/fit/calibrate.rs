//! Calibration of the latent spread on the training cells
//!
//! k-NN smoothing averages a cell with its neighbours, which shrinks the latent scores, so the
//! fitted scales understate the spread of real cells. For each multiplier of a grid, cells of
//! every training group are generated (as many as the group has, at most 300), projected on
//! the build's principal components, and their within-group variance along each component
//! compared with that of the real training cells; each cell type keeps the multiplier with the
//! smallest sum over components of squared log variance ratios (so a multiplier that inflates
//! one direction to make up for missing spread in others is penalised). Only training cells
//! are used.

use synthome_query::MetadataKey;
use synthome_sc_model::{ScModel, ScParams};

use crate::analysis::embed::Embedding;
use crate::dataset::Dataset;
use crate::error::BuildError;
use crate::synth::{Cells, generate};

/// Multipliers of the latent scales tried
pub(crate) const GRID: [f64; 7] = [0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0];
/// Most cells generated per group
const MAX_CELLS: usize = 300;
/// Seed of the calibration draws
const SEED: u64 = 99;

/// Variance of the points along each coordinate (empty for fewer than 2 points)
fn variances(points: &[Vec<f64>]) -> Vec<f64> {
    let n = points.len() as f64;
    if points.len() < 2 {
        return Vec::new();
    }
    let k = points[0].len();
    (0..k)
        .map(|j| {
            let mean = points.iter().map(|p| p[j]).sum::<f64>() / n;
            points.iter().map(|p| (p[j] - mean).powi(2)).sum::<f64>() / n
        })
        .collect()
}

fn project(embedding: &Embedding, cells: &Cells) -> Vec<Vec<f64>> {
    cells
        .iter()
        .map(|(genes, counts)| {
            let library: f64 = counts.iter().map(|&c| f64::from(c)).sum();
            embedding.project(genes, counts, library)
        })
        .collect()
}

/// Cell-weighted mean within-group variance of a type's groups, per component
fn type_variance(per_group: &[(Vec<f64>, usize)]) -> Vec<f64> {
    let k = per_group.iter().map(|(v, _)| v.len()).max().unwrap_or(0);
    let cells: usize = per_group
        .iter()
        .filter(|(v, _)| v.len() == k)
        .map(|(_, n)| n)
        .sum();
    (0..k)
        .map(|c| {
            per_group
                .iter()
                .filter(|(v, _)| v.len() == k)
                .map(|(v, n)| v[c] * *n as f64)
                .sum::<f64>()
                / cells.max(1) as f64
        })
        .collect()
}

/// Sum over components of squared log ratios
fn mismatch(generated: &[f64], real: &[f64]) -> f64 {
    generated
        .iter()
        .zip(real)
        .map(|(g, r)| (g.max(1e-12).ln() - r.max(1e-12).ln()).powi(2))
        .sum()
}

/// Scales every cell type's latent scores by its calibrated multiplier; returns the multipliers
/// (1 for types without factors). `group_cells[g]` are the training cells of `params.groups[g]`.
pub(crate) fn calibrate(
    params: &mut ScParams,
    dataset: &Dataset,
    embedding: &Embedding,
    group_cells: &[Vec<usize>],
) -> Result<Vec<f64>, BuildError> {
    let n_types = params.cell_types.len();
    let real_cells = |cells: &[usize]| -> Cells {
        cells
            .iter()
            .take(MAX_CELLS)
            .map(|&c| {
                let (genes, counts) = dataset.counts.row(c);
                (genes.to_vec(), counts.to_vec())
            })
            .collect()
    };
    let mut real: Vec<Vec<(Vec<f64>, usize)>> = vec![Vec::new(); n_types];
    for (group, cells) in params.groups.iter().zip(group_cells) {
        let points = project(embedding, &real_cells(cells));
        real[group.cell_type].push((variances(&points), points.len()));
    }
    let total_count = f64::from(params.mean_log_library).exp().round();
    let mut generated: Vec<Vec<Vec<f64>>> = vec![Vec::new(); n_types];
    for multiplier in GRID {
        let mut trial = params.clone();
        for cell_type in &mut trial.cell_types {
            scale(&mut cell_type.latent, multiplier);
        }
        let model = ScModel::new(trial)?;
        let mut per_type: Vec<Vec<(Vec<f64>, usize)>> = vec![Vec::new(); n_types];
        for (group, cells) in params.groups.iter().zip(group_cells) {
            let n = cells.len().min(MAX_CELLS);
            let cell_type = &params.cell_types[group.cell_type];
            let stimulated = group.field(MetadataKey::PerturbationOntologyId).is_some();
            let cells = generate(
                &model,
                &cell_type.id,
                stimulated,
                n,
                total_count,
                &dataset.measured,
                SEED,
            )?;
            let points = project(embedding, &cells);
            per_type[group.cell_type].push((variances(&points), n));
        }
        for (t, values) in per_type.iter().enumerate() {
            generated[t].push(type_variance(values));
        }
    }
    let mut chosen = Vec::with_capacity(n_types);
    for (t, cell_type) in params.cell_types.iter_mut().enumerate() {
        if cell_type.latent.n_factors == 0 {
            chosen.push(1.0);
            continue;
        }
        let target = type_variance(&real[t]);
        let best = GRID
            .iter()
            .zip(&generated[t])
            .map(|(m, v)| (*m, mismatch(v, &target)))
            .fold((1.0, f64::INFINITY), |best, (m, gap)| {
                if gap < best.1 { (m, gap) } else { best }
            });
        scale(&mut cell_type.latent, best.0);
        chosen.push(best.0);
    }
    Ok(chosen)
}

/// Multiplies the latent scores (scales and bank) by `multiplier`
fn scale(latent: &mut synthome_sc_model::Latent, multiplier: f64) {
    for value in latent.scales.iter_mut().chain(latent.bank.iter_mut()) {
        *value = (f64::from(*value) * multiplier) as f32;
    }
}
