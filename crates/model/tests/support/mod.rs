//! The building blocks of the small bulk models and queries the tests make by hand (shared by
//! `generate.rs` and `cross_platform.rs`; plain arithmetic only, so it compiles and gives the
//! same values natively and in wasm32)

#![allow(dead_code)]

use synthome_matrix::GeneTable;
use synthome_model::{AppliedPerturbation, Context, ModelCard, ProfileSex, TrainingCondition};
use synthome_query::{
    CanonicalValue, ConditionValue, Conditions, MetadataKey, SamplingStrategy, ValidInput,
    ValidQuery,
};
use synthome_vocab::QuantityUnit;

/// One query condition as given and as validated
pub type Term = (MetadataKey, ConditionValue);

/// `n_genes` genes `ENSG00000000001`, ... with symbols `G0`, ...
pub fn genes(n_genes: usize) -> GeneTable {
    let ids = (0..n_genes).map(|g| format!("ENSG{:011}", g + 1)).collect();
    let symbols = (0..n_genes).map(|g| format!("G{g}")).collect();
    GeneTable::new(ids, symbols).expect("test genes are valid")
}

/// A card with this id and alias, version 0 and no summary or licence
pub fn card(id: &str, alias: &str) -> ModelCard {
    ModelCard {
        id: id.into(),
        alias: alias.into(),
        version: "0".into(),
        summary: String::new(),
        licence: String::new(),
    }
}

/// A context of this name, profile (log CPM per gene) and profile sex
pub fn context(name: &str, log_cpm: Vec<f32>, profile_sex: ProfileSex) -> Context {
    Context {
        name: name.into(),
        log_cpm,
        profile_sex,
    }
}

/// Training metadata from `(key, value)` pairs
pub fn fields(pairs: &[(MetadataKey, &str)]) -> Vec<(MetadataKey, String)> {
    pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()
}

/// An unperturbed primary tissue sample of one sex in context `context`
pub fn tissue(context: usize, tissue: &str, sex: &str, weight: f64) -> TrainingCondition {
    TrainingCondition {
        context,
        fields: fields(&[
            (MetadataKey::SampleType, "primary tissue"),
            (MetadataKey::Sex, sex),
            (MetadataKey::TissueOntologyId, tissue),
        ]),
        perturbation: None,
        weight,
    }
}

/// A control of a female cell line in context `context`
pub fn cell_line_control(context: usize, cell_line: &str, weight: f64) -> TrainingCondition {
    TrainingCondition {
        context,
        fields: fields(&[
            (MetadataKey::CellLineOntologyId, cell_line),
            (MetadataKey::PerturbationType, "control"),
            (MetadataKey::SampleType, "cell line"),
            (MetadataKey::Sex, "female"),
        ]),
        perturbation: None,
        weight,
    }
}

/// A female cell line in context `context` treated 24 hours with perturbation 0, the compound
/// `compound`, at `dose` micromolar (written `dose_text`)
pub fn cell_line_treated(
    (context, cell_line): (usize, &str),
    compound: &str,
    (dose, dose_text): (f64, &str),
    weight: f64,
) -> TrainingCondition {
    TrainingCondition {
        context,
        fields: fields(&[
            (MetadataKey::CellLineOntologyId, cell_line),
            (MetadataKey::PerturbationDose, dose_text),
            (MetadataKey::PerturbationOntologyId, compound),
            (MetadataKey::PerturbationTime, "24 hours"),
            (MetadataKey::PerturbationType, "compound"),
            (MetadataKey::SampleType, "cell line"),
            (MetadataKey::Sex, "female"),
        ]),
        perturbation: Some(AppliedPerturbation {
            index: 0,
            dose_um: Some(dose),
            time_hours: Some(24.0),
        }),
        weight,
    }
}

/// A query condition on a term
pub fn term(key: MetadataKey, value: &str) -> Term {
    (
        key,
        ConditionValue {
            given: value.into(),
            canonical: CanonicalValue::Term(value.into()),
        },
    )
}

/// A query condition on the dose, `value` micromolar (given as `"{value} um"`)
pub fn dose(value: f64) -> Term {
    (
        MetadataKey::PerturbationDose,
        ConditionValue {
            given: format!("{value} um"),
            canonical: CanonicalValue::Quantity {
                value,
                unit: QuantityUnit::Micromolar,
            },
        },
    )
}

/// A validated query of these inputs (conditions, number of samples), total count 1e7
pub fn query(
    strategy: SamplingStrategy,
    deterministic: bool,
    inputs: Vec<(Vec<Term>, u32)>,
) -> ValidQuery {
    ValidQuery {
        sampling_strategy: strategy,
        inputs: inputs
            .into_iter()
            .map(|(pairs, num_samples)| {
                let mut metadata = Conditions::new();
                for (key, value) in pairs {
                    metadata.insert(key, value);
                }
                ValidInput {
                    metadata,
                    num_samples,
                    first_sample: 0,
                }
            })
            .collect(),
        total_count: 1e7,
        deterministic_latents: deterministic,
        seed: None,
    }
}
