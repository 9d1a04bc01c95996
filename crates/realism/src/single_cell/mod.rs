//! The single-cell realism report: fit on 70% of the Kang cells, generate as many cells of
//! each type and condition as were held out, and compare
//!
//! Per cell type: per-gene mean r (log of the mean normalised expression) and zero-share r
//! against the held-out cells of that type; a k-NN real-vs-synthetic classifier on the 20
//! principal components of the build's embedding (5-fold AUROC; 0.5 is indistinguishable),
//! next to the same classifier on held-out versus training real cells; a nearest-centroid
//! classifier trained on real training cells labelling generated cells; the IFN-beta response
//! of ISG15, IFI6 and MX1; and the distance of generated cells to their nearest training cell
//! against the same for held-out cells (a generator that memorises would be closer).

mod metrics;
mod render;

use std::path::{Path, PathBuf};

use synthome_analysis::{DenseMatrix, squared_distance};
use synthome_plots::{MeanZeroSeries, mean_zero_svg};
use synthome_sc_builder::{
    BuildError, BuildOptions, CANDIDATES, Cells, ISGS, fit, generate, prepare,
};
use synthome_sc_model::ScModel;

use crate::error::RealismError;
use metrics::{gene_stats, knn_auroc, nearest_centroid, pearson_where};
use render::{markdown, report_json};

/// File name of the single-cell Markdown report
pub const SC_REALISM_MARKDOWN: &str = "REALISM-sc.md";
/// File name of the single-cell JSON report
pub const SC_REALISM_JSON: &str = "REALISM-sc.json";
/// File name of the single-cell mean versus zero-share plot
pub const SC_REALISM_SVG: &str = "REALISM-sc-mean-zero.svg";
/// Held-out share of the cells (by a hash of the barcode)
const HELD_OUT_TENTHS: u64 = 3;
/// Cell types with fewer held-out cells are reported but not averaged, and get no AUROC
const MIN_HELD_OUT: usize = 30;
/// Seed of the generation and the classifiers
const SEED: u64 = 2018;

/// What the report wrote
#[derive(Debug, Clone)]
pub struct SingleCellOutput {
    /// The Markdown report
    pub markdown: String,
    /// The JSON report
    pub json: String,
    /// The SVG plot
    pub svg: String,
    /// The files written
    pub paths: Vec<PathBuf>,
}

/// Whether a barcode is held out (FNV-1a hash, 3 in 10)
fn held_out(barcode: &str) -> bool {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in barcode.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash % 10 < HELD_OUT_TENTHS
}

/// Comparison of one cell type
struct TypeReport {
    name: &'static str,
    id: &'static str,
    held_out: usize,
    generated: usize,
    mean_r: f64,
    zero_r: f64,
    library_real: f64,
    library_generated: f64,
    auroc: Option<f64>,
    auroc_real: Option<f64>,
    centroid_generated: f64,
    centroid_real: f64,
    ifn: Vec<(String, f64, f64)>,
    nearest_ratio: f64,
    spread_ratio: Vec<f64>,
}

/// Principal components whose spread is compared
const SPREAD_COMPONENTS: usize = 5;

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

/// Fits on 70% of the cells and writes [`SC_REALISM_MARKDOWN`], [`SC_REALISM_JSON`] and
/// [`SC_REALISM_SVG`] into `out_dir`
pub fn single_cell_report(
    data_dir: &Path,
    out_dir: &Path,
    options: &BuildOptions,
) -> Result<SingleCellOutput, RealismError> {
    let prepared = prepare(data_dir, options)?;
    let n_cells = prepared.dataset.cells.len();
    let test: Vec<bool> = prepared
        .dataset
        .cells
        .iter()
        .map(|c| held_out(&c.barcode))
        .collect();
    let train: Vec<bool> = test.iter().map(|t| !t).collect();
    let fitted = fit(
        &prepared.dataset,
        &prepared.embedding,
        &prepared.annotation,
        &train,
    )?;
    let model = ScModel::new(fitted.params.clone()).map_err(BuildError::from)?;
    let measured = &prepared.dataset.measured;
    let real_cell = |cell: usize| -> (Vec<u32>, Vec<u32>) {
        let (genes, counts) = prepared.dataset.counts.row(cell);
        (genes.to_vec(), counts.to_vec())
    };
    // nearest-centroid classifier and memorisation reference: real training cells
    let project = |cell: &(Vec<u32>, Vec<u32>)| -> Vec<f64> {
        let library: f64 = cell.1.iter().map(|&c| f64::from(c)).sum();
        prepared.embedding.project(&cell.0, &cell.1, library)
    };
    let training_cells: Vec<usize> = (0..n_cells)
        .filter(|&c| {
            train[c]
                && fitted
                    .type_candidates
                    .contains(&prepared.annotation.cell_types[c])
        })
        .collect();
    let training_points: Vec<Vec<f64>> = training_cells
        .iter()
        .map(|&c| project(&real_cell(c)))
        .collect();
    let centroids: Vec<Vec<f64>> = fitted
        .type_candidates
        .iter()
        .map(|&candidate| {
            let members: Vec<&Vec<f64>> = training_cells
                .iter()
                .zip(&training_points)
                .filter(|(c, _)| prepared.annotation.cell_types[**c] == candidate)
                .map(|(_, p)| p)
                .collect();
            let k = members.first().map_or(0, |p| p.len());
            (0..k)
                .map(|j| members.iter().map(|p| p[j]).sum::<f64>() / members.len() as f64)
                .collect()
        })
        .collect();
    let nearest_training = |point: &[f64]| -> f64 {
        training_points
            .iter()
            .map(|other| squared_distance(point, other))
            .fold(f64::INFINITY, f64::min)
            .sqrt()
    };
    let total_count = model.training_library_size().round();
    let mut reports = Vec::new();
    let mut pooled_real: Cells = Vec::new();
    let mut pooled_generated: Cells = Vec::new();
    for (type_index, &candidate) in fitted.type_candidates.iter().enumerate() {
        let spec = &CANDIDATES[candidate];
        let mut real: Cells = Vec::new();
        let mut generated: Cells = Vec::new();
        let mut by_condition: [(Cells, Cells); 2] =
            [(Vec::new(), Vec::new()), (Vec::new(), Vec::new())];
        for stimulated in [false, true] {
            let cells: Vec<usize> = (0..n_cells)
                .filter(|&c| {
                    test[c]
                        && prepared.annotation.cell_types[c] == candidate
                        && prepared.dataset.cells[c].stimulated == stimulated
                })
                .collect();
            let has_group = model.params().groups.iter().any(|g| {
                g.cell_type == type_index
                    && g.field(synthome_query::MetadataKey::PerturbationOntologyId)
                        .is_some()
                        == stimulated
            });
            if cells.is_empty() || !has_group {
                continue;
            }
            let real_here: Cells = cells.iter().map(|&c| real_cell(c)).collect();
            let generated_here = generate(
                &model,
                spec.id,
                stimulated,
                cells.len(),
                total_count,
                measured,
                SEED,
            )?;
            let slot = &mut by_condition[usize::from(stimulated)];
            slot.0.extend(real_here.iter().cloned());
            slot.1.extend(generated_here.iter().cloned());
            real.extend(real_here);
            generated.extend(generated_here);
        }
        if real.is_empty() {
            continue;
        }
        let n_genes = prepared.dataset.gene_ids.len();
        let real_stats = gene_stats(&real, n_genes);
        let generated_stats = gene_stats(&generated, n_genes);
        let informative =
            |g: usize| measured[g] && (real_stats.zeros[g] < 1.0 || generated_stats.zeros[g] < 1.0);
        let log_real: Vec<f64> = real_stats.mean.iter().map(|m| m.ln_1p()).collect();
        let log_generated: Vec<f64> = generated_stats.mean.iter().map(|m| m.ln_1p()).collect();
        let real_points: Vec<Vec<f64>> = real.iter().map(&project).collect();
        let generated_points: Vec<Vec<f64>> = generated.iter().map(&project).collect();
        let auroc = (real.len() >= MIN_HELD_OUT).then(|| {
            let points = stack(&real_points, &generated_points);
            let labels: Vec<bool> = (0..points.rows)
                .map(|row| row >= real_points.len())
                .collect();
            knn_auroc(&points, &labels, SEED)
        });
        let auroc_real = (real.len() >= MIN_HELD_OUT).then(|| {
            let reference: Vec<Vec<f64>> = training_cells
                .iter()
                .zip(&training_points)
                .filter(|(c, _)| prepared.annotation.cell_types[**c] == candidate)
                .map(|(_, p)| p.clone())
                .take(real_points.len())
                .collect();
            let points = stack(&real_points, &reference);
            let labels: Vec<bool> = (0..points.rows)
                .map(|row| row >= real_points.len())
                .collect();
            knn_auroc(&points, &labels, SEED)
        });
        let accuracy = |points: &[Vec<f64>]| {
            points
                .iter()
                .filter(|p| nearest_centroid(p, &centroids) == type_index)
                .count() as f64
                / points.len().max(1) as f64
        };
        let median_nearest = |points: &[Vec<f64>]| {
            let mut distances: Vec<f64> = points.iter().map(|p| nearest_training(p)).collect();
            distances.sort_by(f64::total_cmp);
            distances
                .get(distances.len() / 2)
                .copied()
                .unwrap_or(f64::NAN)
        };
        let ifn = ISGS
            .iter()
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
                ] = &by_condition;
                if control_real.is_empty() || stim_real.is_empty() {
                    return None;
                }
                Some((
                    (*symbol).to_owned(),
                    fold(control_real, stim_real),
                    fold(control_generated, stim_generated),
                ))
            })
            .collect();
        let library = |cells: &Cells| {
            let mut sizes: Vec<f64> = cells
                .iter()
                .map(|(_, c)| c.iter().map(|&v| f64::from(v)).sum())
                .collect();
            sizes.sort_by(f64::total_cmp);
            sizes.get(sizes.len() / 2).copied().unwrap_or(0.0)
        };
        reports.push(TypeReport {
            name: spec.name,
            id: spec.id,
            held_out: real.len(),
            generated: generated.len(),
            mean_r: pearson_where(&log_real, &log_generated, informative),
            zero_r: pearson_where(&real_stats.zeros, &generated_stats.zeros, informative),
            library_real: library(&real),
            library_generated: library(&generated),
            auroc,
            auroc_real,
            centroid_generated: accuracy(&generated_points),
            centroid_real: accuracy(&real_points),
            ifn,
            nearest_ratio: median_nearest(&generated_points) / median_nearest(&real_points),
            spread_ratio: spread_ratio(&real_points, &generated_points),
        });
        pooled_real.extend(real);
        pooled_generated.extend(generated);
    }
    let n_genes = prepared.dataset.gene_ids.len();
    let points = |cells: &Cells| -> Vec<(f64, f64)> {
        let stats = gene_stats(cells, n_genes);
        (0..n_genes)
            .filter(|&g| measured[g] && stats.mean_count[g] > 0.0)
            .map(|g| (stats.mean_count[g].log10(), stats.zeros[g]))
            .collect()
    };
    let real_points = points(&pooled_real);
    let generated_points = points(&pooled_generated);
    let svg = mean_zero_svg(
        "Held-out Kang cells vs generated cells: mean count and zeros per gene",
        &[
            MeanZeroSeries {
                name: "real (held out)",
                colour: "#1f77b4",
                points: &real_points,
            },
            MeanZeroSeries {
                name: "generated",
                colour: "#d62728",
                points: &generated_points,
            },
        ],
    );
    let markdown = markdown(
        &prepared,
        &reports,
        total_count,
        test.iter().filter(|&&t| t).count(),
    );
    let json = report_json(&reports, total_count).to_string();
    let paths = vec![
        out_dir.join(SC_REALISM_MARKDOWN),
        out_dir.join(SC_REALISM_JSON),
        out_dir.join(SC_REALISM_SVG),
    ];
    write(&paths[0], markdown.as_bytes())?;
    write(&paths[1], json.as_bytes())?;
    write(&paths[2], svg.as_bytes())?;
    Ok(SingleCellOutput {
        markdown,
        json,
        svg,
        paths,
    })
}

/// Writes `bytes` to `path`, creating its folder
fn write(path: &Path, bytes: &[u8]) -> Result<(), RealismError> {
    let failed = |path: &Path| {
        let path = path.display().to_string();
        move |source| RealismError::Write { path, source }
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(failed(parent))?;
    }
    std::fs::write(path, bytes).map_err(failed(path))
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
