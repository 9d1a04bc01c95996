//! Mean expression profiles of metadata sets, computed by the model itself: each set is a
//! "mean estimation" query with `deterministic_latents` (z = 0, no noise), so every effect the
//! model has (context, sex, disease, age, perturbation) is in the profile exactly as generation
//! applies it.

use synthome_query::{Limits, MetadataKey, parse_and_check};

use crate::engine::Engine;
use crate::families::FamilyError;

/// Library size the profiles are computed at (counts per million)
const PROFILE_TOTAL: f64 = 1e6;
/// Smallest expected count (per million) a profile keeps, so its logarithm stays finite
const FLOOR_CPM: f32 = 1e-3;

/// The query text asking for the mean of each metadata set, one input each
fn query_text(sets: &[&[(MetadataKey, String)]]) -> String {
    let inputs: Vec<serde_json::Value> = sets
        .iter()
        .map(|fields| {
            let metadata: serde_json::Map<String, serde_json::Value> = fields
                .iter()
                .map(|(key, value)| (key.as_str().to_owned(), value.clone().into()))
                .collect();
            serde_json::json!({"metadata": metadata, "num_samples": 1})
        })
        .collect();
    serde_json::json!({
        "inputs": inputs,
        "sampling_strategy": "mean estimation",
        "deterministic_latents": true,
        "total_count": PROFILE_TOTAL,
        "seed": 0,
    })
    .to_string()
}

/// The natural-log proportion of every gene (`ln(expected / total)`) in the mean sample of each
/// metadata set, in order; a set the model rejects is an error naming its position and why
pub fn mean_log_profiles(
    engine: &dyn Engine,
    sets: &[&[(MetadataKey, String)]],
) -> Result<Vec<Vec<f32>>, FamilyError> {
    let limits = Limits::default();
    let target = engine.target();
    let mut profiles = Vec::with_capacity(sets.len());
    for (chunk_index, chunk) in sets.chunks(limits.max_inputs).enumerate() {
        let text = query_text(chunk);
        let checked = parse_and_check(&text, &target, &limits).map_err(|errors| {
            FamilyError::Model(format!(
                "metadata set {} cannot be generated: {errors}",
                chunk_index * limits.max_inputs
            ))
        })?;
        let output = engine
            .generate(&checked.valid, 0, &mut |_, _| {})
            .map_err(|error| FamilyError::Model(error.to_string()))?;
        let matrix = output.matrix;
        let mut dense = vec![0.0f32; matrix.n_genes()];
        for row in matrix.rows() {
            row.fill_dense(&mut dense);
            let total: f64 = dense.iter().map(|&value| f64::from(value)).sum();
            let scale = if total > 0.0 {
                (PROFILE_TOTAL / total) as f32
            } else {
                0.0
            };
            profiles.push(
                dense
                    .iter()
                    .map(|&value| ((value * scale).max(FLOOR_CPM) / PROFILE_TOTAL as f32).ln())
                    .collect(),
            );
        }
    }
    Ok(profiles)
}

/// Whether the model can generate this metadata set (its values are in the vocabulary)
pub fn generatable(engine: &dyn Engine, fields: &[(MetadataKey, String)]) -> bool {
    parse_and_check(&query_text(&[fields]), &engine.target(), &Limits::default()).is_ok()
}
