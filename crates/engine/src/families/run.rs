//! The entry points of the families, as `prepare` / `run` are for baseline queries: parse and
//! check once and fix the seed ([`prepare_family`]), then answer ([`run_family`]).

use std::sync::{Arc, Mutex, PoisonError};

use synthome_matrix::{ExpressionMatrix, Provenance};
use synthome_query::{FamilyQuery, Limits, parse_family_query};

use crate::families::condition::condition;
use crate::families::predict::{Prediction, Predictor};
use crate::families::profiles::mean_log_profiles;
use crate::families::{Family, FamilyError, Latents};
use crate::registry::ModelEntry;
use crate::run::MAX_CHOSEN_SEED;

/// A family query that passed its checks, with the seed it runs with
#[derive(Debug, Clone)]
pub struct FamilyPrepared {
    /// Which family
    pub family: Family,
    /// The checked query
    pub query: FamilyQuery,
    /// The seed: the override, else the query's, else the invented one
    pub seed: u64,
    /// The query as JSON text with `seed` set (for provenance)
    pub query_json: String,
}

/// One predicted sample: the prediction and the decoder's mean for it
#[derive(Debug, Clone, PartialEq)]
pub struct PredictedSample {
    /// Metadata, class probabilities, latents
    pub prediction: Prediction,
    /// The model's decoding of the sample's latent state (best class, its latent scores) at the
    /// sample's library size, in gene order
    pub decoder_sample: Vec<f32>,
}

/// What a family query gives
pub enum FamilyResult {
    /// Metadata prediction: one entry per input
    Predicted {
        /// The predictions, in input order
        samples: Vec<PredictedSample>,
        /// Model, bundle, query, seed
        provenance: Provenance,
    },
    /// Reference conditioning: generated samples, as baseline results, with latents
    Conditioned {
        /// The samples
        matrix: ExpressionMatrix,
        /// Each sample's latents
        latents: Vec<Latents>,
        /// Model, bundle, query, seed
        provenance: Provenance,
    },
}

/// Checks `text` as a query of `family` for the model of `entry` and fixes the seed
/// (`seed_override`, else the query's, else `invent_seed()` masked below 2^53)
pub fn prepare_family(
    entry: &ModelEntry,
    family: Family,
    text: &str,
    seed_override: Option<u64>,
    invent_seed: impl FnOnce() -> u64,
    limits: &Limits,
) -> Result<FamilyPrepared, FamilyError> {
    if text.len() > limits.max_query_bytes {
        return Err(FamilyError::Query(vec![
            synthome_query::FamilyQueryError::at_key(
                "query",
                format!(
                    "{} bytes; at most {} bytes",
                    text.len(),
                    limits.max_query_bytes
                ),
            ),
        ]));
    }
    let query = parse_family_query(
        text,
        entry.engine.genes().len(),
        limits.max_inputs,
        limits.max_total_samples,
    )
    .map_err(FamilyError::Query)?;
    let seed = seed_override
        .or(query.seed)
        .unwrap_or_else(|| invent_seed() & MAX_CHOSEN_SEED);
    let query_json = match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(mut object)) => {
            object.insert("seed".into(), seed.into());
            serde_json::Value::Object(object).to_string()
        }
        _ => text.to_owned(),
    };
    Ok(FamilyPrepared {
        family,
        query,
        seed,
        query_json,
    })
}

/// Predictors already built, by bundle sha256 (building one asks the model for every class)
static PREDICTORS: Mutex<Vec<(String, Arc<Predictor>)>> = Mutex::new(Vec::new());

/// The predictor of a model, built once per bundle
pub fn predictor(entry: &ModelEntry) -> Result<Arc<Predictor>, FamilyError> {
    let mut cache = PREDICTORS.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, predictor)) = cache.iter().find(|(sha, _)| *sha == entry.bundle_sha256) {
        return Ok(Arc::clone(predictor));
    }
    let predictor = Arc::new(Predictor::new(&*entry.engine)?);
    cache.push((entry.bundle_sha256.clone(), Arc::clone(&predictor)));
    Ok(predictor)
}

/// Answers a prepared family query
pub fn run_family(
    entry: &ModelEntry,
    prepared: &FamilyPrepared,
) -> Result<FamilyResult, FamilyError> {
    let predictor = predictor(entry)?;
    let engine = &*entry.engine;
    let mut warnings = Vec::new();
    if predictor.skipped > 0 {
        warnings.push(format!(
            "{} training conditions the model cannot generate were left out of the classes",
            predictor.skipped
        ));
    }
    let provenance = Provenance {
        model_id: format!("{}{}", entry.info.id, prepared.family.suffix()),
        model_version: entry.info.version.clone(),
        bundle_sha256: entry.bundle_sha256.clone(),
        query_json: prepared.query_json.clone(),
        seed: prepared.seed,
        sampling_strategy: prepared.query.sampling_strategy.as_str().to_owned(),
        warnings,
    };
    match prepared.family {
        Family::PredictMetadata => {
            let mut samples = Vec::with_capacity(prepared.query.inputs.len());
            for (index, input) in prepared.query.inputs.iter().enumerate() {
                let prediction = predictor
                    .predict(&input.counts)
                    .map_err(|error| error.at_input(index))?;
                let decoder_sample =
                    decoder_sample(engine, &predictor, &prediction, &input.counts)?;
                samples.push(PredictedSample {
                    prediction,
                    decoder_sample,
                });
            }
            Ok(FamilyResult::Predicted {
                samples,
                provenance,
            })
        }
        Family::ReferenceConditioning => {
            let conditioned = condition(engine, &predictor, &prepared.query, prepared.seed)?;
            Ok(FamilyResult::Conditioned {
                matrix: conditioned.matrix,
                latents: conditioned.latents,
                provenance,
            })
        }
    }
}

/// The best class's profile plus its latent scores, at the sample's library size
fn decoder_sample(
    engine: &dyn crate::engine::Engine,
    predictor: &Predictor,
    prediction: &Prediction,
    counts: &[f64],
) -> Result<Vec<f32>, FamilyError> {
    let fields = &predictor.classes[prediction.best].fields;
    let profile = mean_log_profiles(engine, &[fields])?
        .pop()
        .unwrap_or_default();
    let n_genes = profile.len();
    let mut values: Vec<f64> = profile.iter().map(|&value| f64::from(value)).collect();
    if let Some(latent) = &predictor.view.latent {
        for (factor, &score) in prediction.fit.z.iter().enumerate() {
            let row = &latent.loadings[factor * n_genes..(factor + 1) * n_genes];
            for (value, &loading) in values.iter_mut().zip(row) {
                *value += f64::from(loading) * score;
            }
        }
    }
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let sum: f64 = values.iter().map(|value| (value - max).exp()).sum();
    let library: f64 = counts.iter().sum();
    Ok(values
        .iter()
        .map(|value| (library * (value - max).exp() / sum) as f32)
        .collect())
}
