//! The result JSON of the model families (a declared boundary: the hosted API's shapes).
//!
//! Metadata prediction:
//! ```json
//! {"outputs": [{"metadata": {"tissue_ontology_id": "UBERON:0002107", "sex": "female", ...},
//!               "classifier_probs": {"sex": {"female": 0.97, "male": 0.03}, ...},
//!               "latents": {"biological": [...], "technical": [...], "perturbation": []},
//!               "decoder_sample": {"counts": [...]}}],
//!  "gene_order": [...], "gene_symbols": [...], "model_id": "synthome-bulk-v1_predict-metadata",
//!  "model_version": "...", "bundle_sha256": "...", "seed": 3, "warnings": [], "query": {...}}
//! ```
//! Reference conditioning: the baseline result JSON (`synthome_formats::json`), each output
//! with `latents` added.

use serde_json::{Map, Value, json};
use synthome_engine::families::{FamilyResult, Latents};

/// `{"biological": [...], "technical": [...], "perturbation": [...]}`
pub fn latents_json(latents: &Latents) -> Value {
    json!({
        "biological": latents.biological,
        "technical": latents.technical,
        "perturbation": latents.perturbation,
    })
}

/// The result JSON of a family query, as bytes
pub fn family_json(
    result: &FamilyResult,
    gene_ids: &[String],
    symbols: &[String],
) -> anyhow::Result<Vec<u8>> {
    match result {
        FamilyResult::Predicted {
            samples,
            provenance,
        } => {
            let outputs: Vec<Value> = samples
                .iter()
                .map(|sample| {
                    let prediction = &sample.prediction;
                    let metadata: Map<String, Value> = prediction
                        .metadata
                        .iter()
                        .map(|(key, value)| (key.as_str().to_owned(), Value::from(value.clone())))
                        .collect();
                    let counts: Vec<u64> = sample
                        .decoder_sample
                        .iter()
                        .map(|&value| if value > 0.0 { value.round() as u64 } else { 0 })
                        .collect();
                    json!({
                        "metadata": metadata,
                        "classifier_probs": prediction.classifier_probs,
                        "latents": latents_json(&prediction.latents),
                        "decoder_sample": {"counts": counts},
                    })
                })
                .collect();
            let query: Value = serde_json::from_str(&provenance.query_json).unwrap_or(Value::Null);
            let document = json!({
                "outputs": outputs,
                "gene_order": gene_ids,
                "gene_symbols": symbols,
                "model_id": provenance.model_id,
                "model_version": provenance.model_version,
                "bundle_sha256": provenance.bundle_sha256,
                "seed": provenance.seed,
                "warnings": provenance.warnings,
                "query": query,
            });
            Ok(serde_json::to_vec(&document)?)
        }
        FamilyResult::Conditioned {
            matrix,
            latents,
            provenance,
        } => {
            let mut bytes = Vec::new();
            synthome_formats::json::write(&mut bytes, matrix, provenance)?;
            let mut document: Value = serde_json::from_slice(&bytes)?;
            if let Some(outputs) = document.get_mut("outputs").and_then(Value::as_array_mut) {
                for (output, latents) in outputs.iter_mut().zip(latents) {
                    if let Some(object) = output.as_object_mut() {
                        object.insert("latents".into(), latents_json(latents));
                    }
                }
            }
            Ok(serde_json::to_vec(&document)?)
        }
    }
}
