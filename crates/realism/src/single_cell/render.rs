//! The single-cell realism report as Markdown and JSON: per-type rows, the summary weighted by
//! held-out cells, the IFN-beta response table

use std::fmt::Write;

use serde_json::{Value, json};
use synthome_sc_builder::Prepared;

use super::{MIN_HELD_OUT, SC_REALISM_SVG, SEED, TypeReport};

/// Mean of `value` over types with enough held-out cells, weighted by held-out cells
fn weighted(reports: &[TypeReport], value: impl Fn(&TypeReport) -> Option<f64>) -> f64 {
    let (sum, weight) = reports
        .iter()
        .filter(|r| r.held_out >= MIN_HELD_OUT)
        .filter_map(|r| value(r).map(|v| (v * r.held_out as f64, r.held_out as f64)))
        .fold((0.0, 0.0), |acc, (v, w)| (acc.0 + v, acc.1 + w));
    if weight > 0.0 { sum / weight } else { f64::NAN }
}

fn optional(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.3}"))
}

/// The Markdown report
pub(crate) fn markdown(
    prepared: &Prepared,
    reports: &[TypeReport],
    total_count: f64,
    n_held_out: usize,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Realism report: synthome-sc-v1 (single cell)\n");
    let _ = writeln!(
        out,
        "Fitted on the {} Kang 2018 cells whose barcode hash falls in 7 of 10 buckets, with the healthy-blood means anchored to the PBMC atlases as in the model (see \"Kang types against independent PBMC profiles\"); compared with the {n_held_out} held-out cells. Cell types are the build's own cluster annotation (the same for both splits). For every held-out cell of a type and condition one cell was generated (sample generation, `total_count` {total_count}, the training cells' geometric mean depth, seed {SEED}); generated counts on genes the Kang data did not measure are dropped before comparing. Types with fewer than {MIN_HELD_OUT} held-out cells are listed but not averaged and get no classifier AUROC.\n",
        prepared.dataset.cells.len() - n_held_out
    );
    let _ = writeln!(
        out,
        "Summary (weighted by held-out cells, types with at least {MIN_HELD_OUT}): per-gene mean r {:.3}, zero-share r {:.3}, real-vs-synthetic AUROC {:.3} (real held-out vs real training cells: {:.3}; published single-cell generators reach 0.54-0.76), nearest-centroid accuracy on generated cells {:.3} (on held-out real cells {:.3}).\n",
        weighted(reports, |r| Some(r.mean_r)),
        weighted(reports, |r| Some(r.zero_r)),
        weighted(reports, |r| r.auroc),
        weighted(reports, |r| r.auroc_real),
        weighted(reports, |r| Some(r.centroid_generated)),
        weighted(reports, |r| Some(r.centroid_real)),
    );
    out.push_str("## Per cell type\n\n| type | CL id | held out | mean r | zero-share r | median library real / generated | AUROC real vs synthetic | AUROC real vs real | centroid accuracy generated / real | nearest-training distance ratio | spread PC1-5 generated / real |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
    for r in reports {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {:.3} | {:.3} | {:.0} / {:.0} | {} | {} | {:.2} / {:.2} | {:.2} | {} |",
            r.name,
            r.id,
            r.held_out,
            r.mean_r,
            r.zero_r,
            r.library_real,
            r.library_generated,
            optional(r.auroc),
            optional(r.auroc_real),
            r.centroid_generated,
            r.centroid_real,
            r.nearest_ratio,
            r.spread_ratio
                .iter()
                .map(|v| format!("{v:.2}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    out.push_str("\nmean r: Pearson r over genes of log(1 + mean of 10^4 count / library), real held-out vs generated; zero-share r: Pearson r of the per-gene share of cells with no count; genes with a count in either set. AUROC: k-NN (k = 10) on the build's 20 principal components, 5-fold cross-validation, 0.5 = indistinguishable. Nearest-training distance ratio: median distance of generated cells to their nearest real training cell over the same for held-out real cells (below 1 would suggest memorisation, or generated cells that are too typical). Spread: standard deviation of the generated cells' scores on each of the first 5 components over that of the held-out cells (1 = same spread; the components mix cell-type differences with within-type ones).\n\n");
    out.push_str("## IFN-beta response (log2 fold change, stimulated over control, of mean normalised expression + 0.1)\n\n| type | gene | real held out | generated |\n|---|---|---|---|\n");
    for r in reports {
        for (gene, real, generated) in &r.ifn {
            let _ = writeln!(
                out,
                "| {} | {gene} | {real:+.2} | {generated:+.2} |",
                r.name
            );
        }
    }
    let _ = writeln!(
        out,
        "\n## Mean versus zeros\n\n![mean count versus share of zeros per gene]({SC_REALISM_SVG})\n"
    );
    out
}

/// The JSON report
pub(crate) fn report_json(reports: &[TypeReport], total_count: f64) -> Value {
    let types: Vec<Value> = reports
        .iter()
        .map(|r| {
            json!({
                "cell_type": r.name, "cell_type_ontology_id": r.id, "held_out_cells": r.held_out,
                "generated_cells": r.generated, "mean_r": r.mean_r, "zero_share_r": r.zero_r,
                "median_library_real": r.library_real, "median_library_generated": r.library_generated,
                "auroc_real_vs_synthetic": r.auroc, "auroc_real_vs_real": r.auroc_real,
                "centroid_accuracy_generated": r.centroid_generated, "centroid_accuracy_real": r.centroid_real,
                "nearest_training_distance_ratio": r.nearest_ratio,
                "spread_ratio_pc1_5": r.spread_ratio,
                "ifn_log2_fold_change": r.ifn.iter().map(|(g, real, generated)| json!({"gene": g, "real": real, "generated": generated})).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "model_id": synthome_sc_model::SC_MODEL_ID,
        "total_count": total_count,
        "min_held_out_for_summary": MIN_HELD_OUT,
        "summary": {
            "mean_r": weighted(reports, |r| Some(r.mean_r)),
            "zero_share_r": weighted(reports, |r| Some(r.zero_r)),
            "auroc_real_vs_synthetic": weighted(reports, |r| r.auroc),
            "auroc_real_vs_real": weighted(reports, |r| r.auroc_real),
            "centroid_accuracy_generated": weighted(reports, |r| Some(r.centroid_generated)),
            "centroid_accuracy_real": weighted(reports, |r| Some(r.centroid_real)),
        },
        "cell_types": types,
    })
}
