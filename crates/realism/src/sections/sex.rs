//! Section 3 on tissues: the sex classifier fitted on real lymphoblastoid lines labels
//! generated male and female tissue samples

use synthome_model::BulkModel;
use synthome_query::SamplingStrategy;

use super::{allowed, mix};
use crate::error::RealismError;
use crate::generate::{Request, log_cpm, rows};
use crate::stats::centroid::NearestCentroid;

/// Tissues sampled from both sexes, checked when the model knows them: liver, lung, kidney,
/// thyroid gland, skin, adipose tissue
pub(crate) const TISSUES: [(&str, &str); 6] = [
    ("UBERON:0002107", "liver"),
    ("UBERON:0002048", "lung"),
    ("UBERON:0002113", "kidney"),
    ("UBERON:0002046", "thyroid gland"),
    ("UBERON:0002097", "skin"),
    ("UBERON:0001013", "adipose tissue"),
];

/// How much higher (log1p CPM) the male centroid must be for a gene to count as male-specific
pub(crate) const MALE_GENE_MARGIN: f64 = 1.0;

/// One tissue: correct calls among generated females and males
#[derive(Debug, Clone)]
pub(crate) struct SexRow {
    /// Tissue name
    pub tissue: String,
    /// (correct, total) for generated females
    pub female: (usize, usize),
    /// (correct, total) for generated males
    pub male: (usize, usize),
    /// Mean log1p CPM of the male-specific classifier genes in generated female samples
    pub female_male_gene_level: f64,
}

/// Classifies `samples` generated females and males per known tissue; `columns` are the
/// model genes the classifier's features index (the shared GEUVADIS genes)
pub(crate) fn evaluate(
    model: &BulkModel,
    classifier: &NearestCentroid,
    columns: &[usize],
    samples: u32,
    seed: u64,
) -> Result<Vec<SexRow>, RealismError> {
    let mut out = Vec::new();
    for (t, (uberon, name)) in TISSUES.iter().enumerate() {
        if model
            .vocabulary()
            .resolve("tissue_ontology_id", uberon)
            .is_none()
        {
            continue;
        }
        let mut row = SexRow {
            tissue: (*name).to_owned(),
            female: (0, 0),
            male: (0, 0),
            female_male_gene_level: f64::NAN,
        };
        let male_genes = classifier.higher_in_true(MALE_GENE_MARGIN);
        for male in [false, true] {
            let metadata = allowed(
                model,
                &[
                    ("sample_type", "primary tissue"),
                    ("tissue_ontology_id", uberon),
                    ("sex", if male { "male" } else { "female" }),
                ],
            );
            let generated = rows(
                model,
                &Request {
                    what: "generated tissue samples of one sex",
                    metadata: &metadata,
                    samples,
                    total_count: 2e7,
                    strategy: SamplingStrategy::SampleGeneration,
                    deterministic: false,
                    seed: mix(seed, 5, t as u64, u64::from(male)),
                },
            )?;
            let logs: Vec<Vec<f64>> = generated.iter().map(|s| log_cpm(s, columns)).collect();
            let correct = logs
                .iter()
                .filter(|log| classifier.classify(log) == male)
                .count();
            if !male && !logs.is_empty() && !male_genes.is_empty() {
                row.female_male_gene_level = logs
                    .iter()
                    .map(|log| classifier.mean_at(log, &male_genes))
                    .sum::<f64>()
                    / logs.len() as f64;
            }
            let slot = if male { &mut row.male } else { &mut row.female };
            *slot = (correct, generated.len());
        }
        out.push(row);
    }
    Ok(out)
}
