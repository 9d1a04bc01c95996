//! The single-cell realism report: fit on 70% of the Kang cells, generate as many cells of
//! each type and condition as were held out, and compare
//!
//! Per cell type: per-gene mean r (log of the mean normalised expression) and zero-share r
//! against the held-out cells of that type; a k-NN real-vs-synthetic classifier on the 20
//! principal components of the build's embedding (5-fold AUROC; 0.5 is indistinguishable),
//! next to the same classifier on held-out versus training real cells; a nearest-centroid
//! classifier trained on real training cells labelling generated cells; the IFN-beta response
//! of ISG15, IFI6 and MX1; and the distance of generated cells to their nearest training cell
//! against the same for held-out cells (a generator that memorises would be closer). With the
//! cell-profile library in the data folder, the Kang types' mean profiles against independent
//! PBMC atlases (`independent.rs`) and the atlas types' nearest-profile accuracy (`atlas.rs`).

mod atlas;
mod compare;
mod independent;
mod metrics;
mod render;
mod training;

use std::path::{Path, PathBuf};

use synthome_plots::{MeanZeroSeries, mean_zero_svg};
use synthome_sc_builder::{
    BuildError, BuildOptions, Cells, Prepared, add_atlas, fit_prepared, prepare,
};
use synthome_sc_model::ScModel;

use crate::error::RealismError;
use compare::Comparison;
use metrics::gene_stats;
use render::{markdown, report_json};
use training::Training;

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

/// Fits on 70% of the cells and writes [`SC_REALISM_MARKDOWN`], [`SC_REALISM_JSON`] and
/// [`SC_REALISM_SVG`] into `out_dir`
pub fn single_cell_report(
    data_dir: &Path,
    out_dir: &Path,
    options: &BuildOptions,
) -> Result<SingleCellOutput, RealismError> {
    let prepared = prepare(data_dir, options)?;
    let test: Vec<bool> = prepared
        .dataset
        .cells
        .iter()
        .map(|c| held_out(&c.barcode))
        .collect();
    let train: Vec<bool> = test.iter().map(|t| !t).collect();
    let fitted = fit_prepared(&prepared, &train)?;
    let model = ScModel::new(fitted.params.clone()).map_err(BuildError::from)?;
    let training = Training::new(&prepared, &fitted, &train);
    let comparison = Comparison {
        prepared: &prepared,
        model: &model,
        test: &test,
        training: &training,
        total_count: model.training_library_size().round(),
    };
    let mut reports = Vec::new();
    let mut pooled_real: Cells = Vec::new();
    let mut pooled_generated: Cells = Vec::new();
    for (type_index, &candidate) in fitted.type_candidates.iter().enumerate() {
        let Some(cells) = comparison.type_cells(type_index, candidate)? else {
            continue;
        };
        reports.push(comparison.compare(type_index, candidate, &cells));
        pooled_real.extend(cells.real);
        pooled_generated.extend(cells.generated);
    }
    let svg = mean_zero_plot(&prepared, &pooled_real, &pooled_generated);
    let n_held_out = test.iter().filter(|&&t| t).count();
    let mut markdown = markdown(&prepared, &reports, comparison.total_count, n_held_out);
    let mut json = report_json(&reports, comparison.total_count);
    if let Some(atlas_data) = &prepared.atlas {
        // the atlas keys are judged on the model as built: all Kang cells plus the atlases
        let mut full = fit_prepared(&prepared, &vec![true; prepared.dataset.cells.len()])?;
        add_atlas(&prepared, &mut full)?;
        let full = ScModel::new(full.params).map_err(BuildError::from)?;
        let independent = independent::report(&prepared, atlas_data, comparison.total_count, SEED)?;
        markdown.push_str(&independent::markdown(&independent, comparison.total_count));
        let atlas = atlas::report(&full, SEED)?;
        markdown.push_str(&atlas.markdown());
        if let serde_json::Value::Object(map) = &mut json {
            map.insert(
                "independent_pbmc".to_owned(),
                independent::json(&independent),
            );
            map.insert("atlas".to_owned(), atlas.json());
        }
    }
    let json = json.to_string();
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

/// Mean count against zero share per measured gene, pooled held-out cells against pooled
/// generated cells
fn mean_zero_plot(prepared: &Prepared, real: &Cells, generated: &Cells) -> String {
    let n_genes = prepared.dataset.gene_ids.len();
    let measured = &prepared.dataset.measured;
    let points = |cells: &Cells| -> Vec<(f64, f64)> {
        let stats = gene_stats(cells, n_genes);
        (0..n_genes)
            .filter(|&g| measured[g] && stats.mean_count[g] > 0.0)
            .map(|g| (stats.mean_count[g].log10(), stats.zeros[g]))
            .collect()
    };
    let real_points = points(real);
    let generated_points = points(generated);
    mean_zero_svg(
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
    )
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
