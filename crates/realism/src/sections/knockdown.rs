//! Section 4, genetic perturbations: does the targeted gene go down in generated data? shRNA
//! against SRF, EGR1 and ATF3 in K562 and CRISPR knock-out of FOXA2 in PANC-1, with the
//! change the data themselves show (these data are trained on: too few runs to hold out)

use serde::Serialize;
use synthome_model::BulkModel;
use synthome_query::SamplingStrategy;

use super::{allowed, mix};
use crate::error::RealismError;
use crate::generate::{Request, rows};
use crate::read::folder::{Folder, K562_COUNTS, K562_SAMPLES, PANC1_DESIGN, PANC1_LOG2};
use crate::read::{k562, panc1};

/// The knock-downs: (target symbol, perturbation type, Cellosaurus id, cell line name)
const TARGETS: [(&str, &str, &str, &str); 4] = [
    ("SRF", "shrna", "CVCL_0004", "K562"),
    ("EGR1", "shrna", "CVCL_0004", "K562"),
    ("ATF3", "shrna", "CVCL_0004", "K562"),
    ("FOXA2", "crispr", "CVCL_0480", "PANC-1"),
];

/// One target
#[derive(Debug, Clone, Serialize)]
pub(crate) struct KnockdownRow {
    /// Target symbol
    pub target: String,
    /// `shrna` or `crispr`
    pub kind: String,
    /// Cell line name
    pub cell_line: String,
    /// log2 of the target's mean CPM, generated perturbed over generated control samples
    pub generated_log2: f64,
    /// The same from mean estimation (no latent draw, no noise)
    pub mean_log2: f64,
    /// The change in the data (K562: induced vs uninduced runs; PANC-1: KO vs WT log2)
    pub observed_log2: Option<f64>,
}

/// Generates `samples` control and perturbed samples per target the model knows
pub(crate) fn evaluate(
    model: &BulkModel,
    folder: &Folder,
    samples: u32,
    seed: u64,
) -> Result<Vec<KnockdownRow>, RealismError> {
    let mut out = Vec::new();
    for (t, (symbol, kind, cell_line, line_name)) in TARGETS.iter().enumerate() {
        let Some(gene) = model.genes().find(symbol) else {
            continue;
        };
        let ensembl = model.genes().ids()[gene].clone();
        if model
            .vocabulary()
            .resolve("perturbation_ontology_id", &ensembl)
            .is_none()
        {
            continue;
        }
        let control = allowed(
            model,
            &[
                ("cell_line_ontology_id", cell_line),
                ("perturbation_type", "control"),
            ],
        );
        let perturbed = allowed(
            model,
            &[
                ("cell_line_ontology_id", cell_line),
                ("perturbation_type", kind),
                ("perturbation_ontology_id", &ensembl),
            ],
        );
        let target_cpm = |metadata: &[(&str, String)], strategy, index: u64| {
            let generated = rows(
                model,
                &Request {
                    what: "knock-down samples",
                    metadata,
                    samples: if strategy == SamplingStrategy::SampleGeneration {
                        samples
                    } else {
                        1
                    },
                    total_count: 2e7,
                    strategy,
                    deterministic: strategy == SamplingStrategy::MeanEstimation,
                    seed: mix(seed, 6, t as u64, index),
                },
            )?;
            let cpm: Vec<f64> = generated
                .iter()
                .map(|row| row[gene] / row.iter().sum::<f64>().max(1.0) * 1e6)
                .collect();
            Ok::<f64, RealismError>(cpm.iter().sum::<f64>() / cpm.len().max(1) as f64)
        };
        let log2 = |up: f64, down: f64| ((up + 1e-3) / (down + 1e-3)).log2();
        let generated_log2 = log2(
            target_cpm(&perturbed, SamplingStrategy::SampleGeneration, 1)?,
            target_cpm(&control, SamplingStrategy::SampleGeneration, 0)?,
        );
        let mean_log2 = log2(
            target_cpm(&perturbed, SamplingStrategy::MeanEstimation, 1)?,
            target_cpm(&control, SamplingStrategy::MeanEstimation, 0)?,
        );
        let observed_log2 = if *kind == "shrna" {
            if folder.exists(K562_COUNTS) && folder.exists(K562_SAMPLES) {
                k562::observed_log2_change(folder, symbol, &ensembl)?
            } else {
                None
            }
        } else if folder.exists(PANC1_LOG2) && folder.exists(PANC1_DESIGN) {
            panc1::observed_log2_change(folder, symbol)?
        } else {
            None
        };
        out.push(KnockdownRow {
            target: (*symbol).to_owned(),
            kind: (*kind).to_owned(),
            cell_line: (*line_name).to_owned(),
            generated_log2,
            mean_log2,
            observed_log2,
        });
    }
    Ok(out)
}
