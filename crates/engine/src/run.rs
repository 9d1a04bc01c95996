//! Validating and running a query: the steps every front end takes.

use serde_json::Value;
use synthome_matrix::{ExpressionMatrix, Provenance};
use synthome_query::{Limits, QueryErrors, ValidQuery, parse_and_validate};

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
pub fn prepare(
    entry: &ModelEntry,
    query_text: &str,
    seed_override: Option<u64>,
    invent_seed: impl FnOnce() -> u64,
    limits: &Limits,
) -> Result<Prepared, QueryErrors> {
    let valid = parse_and_validate(query_text, &entry.engine.target(), limits)?;
    let seed = seed_override
        .or(valid.seed)
        .unwrap_or_else(|| invent_seed() & MAX_CHOSEN_SEED);
    let mut query: Value = serde_json::from_str(query_text).unwrap_or(Value::Null);
    if let Value::Object(fields) = &mut query {
        fields.insert("seed".into(), Value::from(seed));
    }
    Ok(Prepared {
        valid,
        seed,
        query_json: query.to_string(),
    })
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
