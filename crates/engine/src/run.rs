//! Validating and running a query: the steps every front end takes.
//!
//! [`prepare`] parses and validates the query text once and fixes the seed; the [`Prepared`]
//! query then crosses whatever boundary the front end has (a worker, a job queue) and [`run`]
//! generates it without reading the text again.

use synthome_matrix::{ExpressionMatrix, Provenance};
use synthome_query::{Limits, QueryErrors, ValidQuery, parse_and_check};

use crate::engine::GenerateError;
use crate::registry::ModelEntry;

/// Largest seed a front end should invent: 2^53 - 1, so it survives JSON in JavaScript.
pub const MAX_CHOSEN_SEED: u64 = (1 << 53) - 1;

/// A query that passed validation, with the seed it will run with.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The validated query.
    pub valid: ValidQuery,
    /// The seed: the override, else the query's, else the invented one.
    pub seed: u64,
    /// The query as JSON text with `seed` set to the seed used (for provenance).
    pub query_json: String,
}

/// Validates `query_text` for the model and fixes the seed: `seed_override`, else the query's
/// `seed`, else `invent_seed()` (masked below 2^53).
///
/// The text is parsed once: the provenance query JSON is the parsed document with `seed` set.
pub fn prepare(
    entry: &ModelEntry,
    query_text: &str,
    seed_override: Option<u64>,
    invent_seed: impl FnOnce() -> u64,
    limits: &Limits,
) -> Result<Prepared, QueryErrors> {
    let checked = parse_and_check(query_text, &entry.engine.target(), limits)?;
    let seed = seed_override
        .or(checked.valid.seed)
        .unwrap_or_else(|| invent_seed() & MAX_CHOSEN_SEED);
    let query_json = checked.json_with_seed(seed);
    Ok(Prepared {
        valid: checked.valid,
        seed,
        query_json,
    })
}

/// Runs the model's own checks on a prepared query without generating it at size: every input
/// once, with one sample. These are what the vocabulary cannot see (a disease asked for on a
/// tissue the model has it on, age on a cell line, a perturbation without a response, conditions
/// that never occur together). Returns the warnings a full run raises (an age clamped to the
/// observed range, ...); the draw of unspecified keys is the full run's for each input's first
/// sample.
pub fn check_conditions(
    entry: &ModelEntry,
    prepared: &Prepared,
) -> Result<Vec<String>, GenerateError> {
    let mut trial = prepared.valid.clone();
    for input in &mut trial.inputs {
        input.num_samples = 1;
    }
    let generated = entry
        .engine
        .generate(&trial, prepared.seed, &mut |_, _| {})?;
    Ok(generated.warnings)
}

/// Generates a prepared query; the provenance names model, bundle, query and seed.
pub fn run(
    entry: &ModelEntry,
    prepared: &Prepared,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<(ExpressionMatrix, Provenance), GenerateError> {
    let generated = entry
        .engine
        .generate(&prepared.valid, prepared.seed, progress)?;
    let provenance = Provenance {
        model_id: entry.info.id.clone(),
        model_version: entry.info.version.clone(),
        bundle_sha256: entry.bundle_sha256.clone(),
        query_json: prepared.query_json.clone(),
        seed: prepared.seed,
        sampling_strategy: prepared.valid.sampling_strategy.as_str().to_string(),
        warnings: generated.warnings,
    };
    Ok((generated.matrix, provenance))
}
