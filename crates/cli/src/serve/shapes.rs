//! The JSON shapes of the model API (a declared boundary: the hosted API's paths and fields).

use serde_json::{Value, json};
use synthome_query::{QueryErrors, SamplingStrategy};

use synthome_engine::ModelRegistry;

/// `GET /api/models`: `{"models": [{"model_id", "aliases", "version", ...}]}`.
pub fn models_document(registry: &ModelRegistry) -> Value {
    let models: Vec<Value> = registry
        .entries()
        .iter()
        .map(|entry| {
            let target = entry.engine.target();
            let strategies: Vec<&str> = target
                .strategies
                .iter()
                .map(|strategy| SamplingStrategy::as_str(*strategy))
                .collect();
            json!({
                "model_id": entry.info.id,
                "aliases": [entry.info.alias],
                "version": entry.info.version,
                "description": entry.info.summary,
                "licence": entry.info.licence,
                "bundle_sha256": entry.bundle_sha256,
                "sampling_strategies": strategies,
                "metadata_keys": entry.engine.vocabulary().keys().collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({ "models": models })
}

/// The 422 answer: `{"message": "...", "errors": [{"input", "key", "value", "reason", "suggestions", ...}]}`.
pub fn invalid_query_document(errors: &QueryErrors) -> Value {
    json!({ "message": invalid_query_message(errors), "errors": errors })
}

/// One message naming every problem: the summary, then each error, separated by `; `.
pub fn invalid_query_message(errors: &QueryErrors) -> String {
    let details: Vec<String> = errors.0.iter().map(ToString::to_string).collect();
    format!("{}: {}", errors.summary(), details.join("; "))
}

/// `{"message": ...}`, the body of every other error answer.
pub fn message_document(message: impl Into<String>) -> Value {
    json!({ "message": message.into() })
}

/// Whether the query comes from a client that adds its own `sample_id` column to the metadata
/// (rsynthbio, which marks its queries with `"source": "rsynthbio"` and numbers the rows
/// `sample_1`, `sample_2`, ...): its results then leave `sample_id` out of the metadata, which
/// the client would otherwise show a second time as `sample_id.1`.
pub fn client_adds_sample_id(query_text: &str) -> bool {
    #[derive(serde::Deserialize)]
    struct Source {
        source: Option<String>,
    }
    serde_json::from_str::<Source>(query_text)
        .is_ok_and(|query| query.source.as_deref() == Some("rsynthbio"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_rsynthbio_queries_drop_sample_id() {
        assert!(client_adds_sample_id(
            r#"{"inputs": [], "source": "rsynthbio"}"#
        ));
        assert!(!client_adds_sample_id(
            r#"{"inputs": [], "source": "pysynthbio"}"#
        ));
        assert!(!client_adds_sample_id(r#"{"inputs": []}"#));
        assert!(!client_adds_sample_id("not json"));
    }
}
