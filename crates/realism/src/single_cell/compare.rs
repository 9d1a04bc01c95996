//! One cell type compared: its held-out cells, as many generated cells per condition, and
//! every statistic of its report row

use synthome_analysis::DenseMatrix;
use synthome_sc_builder::{CANDIDATES, Cells, ISGS, Prepared, generate};
use synthome_sc_model::ScModel;

use super::metrics::{gene_stats, knn_auroc, nearest_centroid, pearson_where};
use super::training::{Training, project, real_cell};
use super::{MIN_HELD_OUT, SEED, TypeReport};
use crate::error::RealismError;

/// Principal components whose spread is compared
const SPREAD_COMPONENTS: usize = 5;

/// What every type's comparison shares
pub(crate) struct Comparison<'a> {
    /// The prepared data
    pub prepared: &'a Prepared,
    /// The model fitted on the training cells
    pub model: &'a ScModel,
    /// Whether each cell is held out
    pub test: &'a [bool],
    /// The training cells as reference
    pub training: &'a Training,
    /// Library size of the generated cells
    pub total_count: f64,
}

/// The held-out and generated cells of one type, pooled and per condition
pub(crate) struct TypeCells {
    /// Held-out cells
    pub real: Cells,
    /// Generated cells
    pub generated: Cells,
    /// (held out, generated) for control, then stimulated
    by_condition: [(Cells, Cells); 2],
}

impl Comparison<'_> {
    /// The held-out cells of type `type_index` (candidate `candidate`) and one generated
    /// cell for each, per condition the model has; `None` without held-out cells
    pub(crate) fn type_cells(
        &self,
        type_index: usize,
        candidate: usize,
    ) -> Result<Option<TypeCells>, RealismError> {
        let prepared = self.prepared;
        let mut cells = TypeCells {
            real: Vec::new(),
            generated: Vec::new(),
            by_condition: [(Vec::new(), Vec::new()), (Vec::new(), Vec::new())],
        };
        for stimulated in [false, true] {
            let held_out: Vec<usize> = (0..prepared.dataset.cells.len())
                .filter(|&c| {
                    self.test[c]
                        && prepared.annotation.cell_types[c] == candidate
                        && prepared.dataset.cells[c].stimulated == stimulated
                })
                .collect();
            let has_group = self.model.params().groups.iter().any(|g| {
                g.cell_type == type_index
                    && g.field(synthome_query::MetadataKey::PerturbationOntologyId)
                        .is_some()
                        == stimulated
            });
            if held_out.is_empty() || !has_group {
                continue;
            }
            let real_here: Cells = held_out.iter().map(|&c| real_cell(prepared, c)).collect();
            let generated_here = generate(
                self.model,
                CANDIDATES[candidate].id,
                stimulated,
                held_out.len(),
                self.total_count,
                &prepared.dataset.measured,
                SEED,
            )?;
            let slot = &mut cells.by_condition[usize::from(stimulated)];
            slot.0.extend(real_here.iter().cloned());
            slot.1.extend(generated_here.iter().cloned());
            cells.real.extend(real_here);
            cells.generated.extend(generated_here);
        }
        Ok((!cells.real.is_empty()).then_some(cells))
    }

    /// The report row of type `type_index` (candidate `candidate`) from its cells
    pub(crate) fn compare(
        &self,
        type_index: usize,
        candidate: usize,
        cells: &TypeCells,
    ) -> TypeReport {
        let prepared = self.prepared;
        let (real, generated) = (&cells.real, &cells.generated);
        let measured = &prepared.dataset.measured;
        let n_genes = prepared.dataset.gene_ids.len();
        let real_stats = gene_stats(real, n_genes);
        let generated_stats = gene_stats(generated, n_genes);
        let informative =
            |g: usize| measured[g] && (real_stats.zeros[g] < 1.0 || generated_stats.zeros[g] < 1.0);
        let log_real: Vec<f64> = real_stats.mean.iter().map(|m| m.ln_1p()).collect();
        let log_generated: Vec<f64> = generated_stats.mean.iter().map(|m| m.ln_1p()).collect();
        let real_points: Vec<Vec<f64>> = real.iter().map(|c| project(prepared, c)).collect();
        let generated_points: Vec<Vec<f64>> =
            generated.iter().map(|c| project(prepared, c)).collect();
        let enough = real.len() >= MIN_HELD_OUT;
        let auroc = enough.then(|| classifier_auroc(&real_points, &generated_points));
        let auroc_real = enough.then(|| {
            let reference: Vec<Vec<f64>> = self
                .training
                .points_of(prepared, candidate)
                .take(real_points.len())
                .cloned()
                .collect();
            classifier_auroc(&real_points, &reference)
        });
        let accuracy = |points: &[Vec<f64>]| {
            points
                .iter()
                .filter(|p| nearest_centroid(p, &self.training.centroids) == type_index)
                .count() as f64
                / points.len().max(1) as f64
        };
        let median_nearest = |points: &[Vec<f64>]| {
            let mut distances: Vec<f64> = points
                .iter()
                .map(|p| self.training.nearest_distance(p))
                .collect();
            distances.sort_by(f64::total_cmp);
            distances
                .get(distances.len() / 2)
                .copied()
                .unwrap_or(f64::NAN)
        };
        let spec = &CANDIDATES[candidate];
        TypeReport {
            name: spec.name,
            id: spec.id,
            held_out: real.len(),
            generated: generated.len(),
            mean_r: pearson_where(&log_real, &log_generated, informative),
            zero_r: pearson_where(&real_stats.zeros, &generated_stats.zeros, informative),
            library_real: median_library(real),
            library_generated: median_library(generated),
            auroc,
            auroc_real,
            centroid_generated: accuracy(&generated_points),
            centroid_real: accuracy(&real_points),
            ifn: ifn_response(prepared, &cells.by_condition),
            nearest_ratio: median_nearest(&generated_points) / median_nearest(&real_points),
            spread_ratio: spread_ratio(&real_points, &generated_points),
        }
    }
}

/// 5-fold k-NN AUROC telling the `first` points from the `second`
fn classifier_auroc(first: &[Vec<f64>], second: &[Vec<f64>]) -> f64 {
    let points = stack(first, second);
    let labels: Vec<bool> = (0..points.rows).map(|row| row >= first.len()).collect();
    knn_auroc(&points, &labels, SEED)
}

/// log2 fold change (stimulated over control, pseudo-count 0.1) of each interferon-stimulated
/// gene, (symbol, real, generated); empty without both conditions held out
fn ifn_response(
    prepared: &Prepared,
    by_condition: &[(Cells, Cells); 2],
) -> Vec<(String, f64, f64)> {
    let n_genes = prepared.dataset.gene_ids.len();
    ISGS.iter()
        .filter_map(|symbol| {
            let gene = prepared
                .dataset
                .gene_symbols
                .iter()
                .position(|s| s == symbol)?;
            let fold = |cells: &Cells, stimulated: &Cells| {
                let control = gene_stats(cells, n_genes).mean[gene];
                let stim = gene_stats(stimulated, n_genes).mean[gene];
                ((stim + 0.1) / (control + 0.1)).log2()
            };
            let [
                (control_real, control_generated),
                (stim_real, stim_generated),
            ] = by_condition;
            if control_real.is_empty() || stim_real.is_empty() {
                return None;
            }
            Some((
                (*symbol).to_owned(),
                fold(control_real, stim_real),
                fold(control_generated, stim_generated),
            ))
        })
        .collect()
}

/// Median library size of `cells` (the upper middle on even counts; 0 when empty)
fn median_library(cells: &Cells) -> f64 {
    let mut sizes: Vec<f64> = cells
        .iter()
        .map(|(_, c)| c.iter().map(|&v| f64::from(v)).sum())
        .collect();
    sizes.sort_by(f64::total_cmp);
    sizes.get(sizes.len() / 2).copied().unwrap_or(0.0)
}

/// Standard deviation of generated over real scores, per leading component
fn spread_ratio(real: &[Vec<f64>], generated: &[Vec<f64>]) -> Vec<f64> {
    let sd = |points: &[Vec<f64>], k: usize| -> f64 {
        let n = points.len().max(1) as f64;
        let mean = points.iter().map(|p| p[k]).sum::<f64>() / n;
        (points.iter().map(|p| (p[k] - mean).powi(2)).sum::<f64>() / n).sqrt()
    };
    let k = real.first().map_or(0, |p| p.len()).min(SPREAD_COMPONENTS);
    (0..k)
        .map(|c| sd(generated, c) / sd(real, c).max(1e-12))
        .collect()
}

/// Rows of `a` then rows of `b`
fn stack(a: &[Vec<f64>], b: &[Vec<f64>]) -> DenseMatrix {
    let cols = a.first().or(b.first()).map_or(0, |row| row.len());
    let mut out = DenseMatrix::zeros(a.len() + b.len(), cols);
    for (row, values) in a.iter().chain(b).enumerate() {
        out.row_mut(row).copy_from_slice(values);
    }
    out
}
