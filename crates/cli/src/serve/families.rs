//! `POST /api/models/<model>_predict-metadata/predict` and `..._reference-conditioning/predict`:
//! the family query is checked at once (422 with `{"message", "errors": [{"input", "key",
//! "reason"}]}`), then answered synchronously as Arrow (self-hosted form) or stored as a
//! finished job whose id the client polls (hosted form; the answer is computed before the id
//! is returned, so the job is ready at the first poll).

use axum::Json;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use synthome_engine::ModelEntry;
use synthome_engine::families::predict::is_perturbed;
use synthome_engine::families::{Family, FamilyError, prepare_family, run_family};

use super::arrow::ARROW_STREAM;
use super::family_arrow::encode_family;
use super::routes::AppState;
use crate::entropy::random_u64;
use crate::family_output::family_json;

/// The 422 body of a family error
fn invalid(error: &FamilyError) -> Response {
    let errors: Vec<serde_json::Value> = match error {
        FamilyError::Query(errors) => errors
            .iter()
            .map(|error| json!({"input": error.input, "key": error.key, "reason": error.reason}))
            .collect(),
        _ => Vec::new(),
    };
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({"message": error.to_string(), "errors": errors})),
    )
        .into_response()
}

/// What a family request ends in
enum Outcome {
    /// The answer bytes
    Answer(Vec<u8>),
    /// The query cannot be answered (the client's to fix)
    Invalid(FamilyError),
    /// The server failed
    Internal(String),
}

/// Answers a family query for `entry`
pub async fn predict_family(
    state: &AppState,
    entry: ModelEntry,
    family: Family,
    headers: &HeaderMap,
    text: &str,
) -> Response {
    let prepared = match prepare_family(&entry, family, text, None, random_u64, &state.limits) {
        Ok(prepared) => prepared,
        Err(error) => return invalid(&error),
    };
    let wants_arrow = headers
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|accept| accept.contains(ARROW_STREAM));
    let Ok(permit) = state.permits.clone().acquire_owned().await else {
        return super::routes::error(
            StatusCode::SERVICE_UNAVAILABLE,
            "the server is shutting down",
        );
    };
    let answer_entry = entry.clone();
    let answer_prepared = prepared.clone();
    let outcome = tokio::task::spawn_blocking(move || {
        let result = match run_family(&answer_entry, &answer_prepared) {
            Ok(result) => result,
            Err(error) if error.is_client_error() => return Outcome::Invalid(error),
            Err(error) => return Outcome::Internal(error.to_string()),
        };
        let genes = answer_entry.engine.genes();
        let bytes = if wants_arrow {
            encode_family(family, &result, genes.ids()).map_err(|error| error.to_string())
        } else {
            family_json(&result, genes.ids(), genes.symbols()).map_err(|error| error.to_string())
        };
        match bytes {
            Ok(bytes) => Outcome::Answer(bytes),
            Err(detail) => Outcome::Internal(detail),
        }
    })
    .await
    .unwrap_or_else(|error| {
        Outcome::Internal(format!("the family query stopped unexpectedly: {error}"))
    });
    drop(permit);
    let bytes = match outcome {
        Outcome::Answer(bytes) => bytes,
        Outcome::Invalid(error) => return invalid(&error),
        Outcome::Internal(detail) => return super::routes::internal_error(detail),
    };
    if wants_arrow {
        return ([(header::CONTENT_TYPE, ARROW_STREAM)], bytes).into_response();
    }
    let model_id = format!("{}{}", entry.info.id, family.suffix());
    match state
        .jobs
        .submit_finished(&model_id, text, prepared.seed, &bytes)
    {
        Ok(id) => Json(json!({ "modelQueryId": id })).into_response(),
        Err(full) => super::routes::queue_full(state, &full),
    }
}

/// The example query of a family for `entry`: one input with a sample the model generates
/// (seed 42) for its first unperturbed training condition; for reference conditioning, the
/// perturbation of its first perturbed condition
pub fn example_family_query(
    entry: &ModelEntry,
    family: Family,
) -> Result<serde_json::Value, FamilyError> {
    let view = entry.engine.training_view();
    let perturbation = |fields: &[(synthome_query::MetadataKey, String)]| -> Vec<(synthome_query::MetadataKey, String)> {
        fields.iter().filter(|(key, _)| key.is_perturbation()).cloned().collect()
    };
    let reference = view
        .classes
        .iter()
        .find(|class| !is_perturbed(&class.fields))
        .ok_or(FamilyError::NoClasses)?;
    let metadata: serde_json::Map<String, serde_json::Value> = reference
        .fields
        .iter()
        .map(|(key, value)| (key.as_str().to_owned(), value.clone().into()))
        .collect();
    let baseline = json!({
        "inputs": [{"metadata": metadata, "num_samples": 1}],
        "sampling_strategy": "sample generation",
        "seed": 42,
    })
    .to_string();
    let failed = |message: String| FamilyError::Model(message);
    let prepared = synthome_engine::prepare(
        entry,
        &baseline,
        None,
        || 42,
        &synthome_query::Limits::default(),
    )
    .map_err(|errors| failed(errors.to_string()))?;
    let (matrix, _) = synthome_engine::run(entry, &prepared, &mut |_, _| {})
        .map_err(|error| failed(error.to_string()))?;
    let mut dense = vec![0.0f32; matrix.n_genes()];
    if let Some(row) = matrix.row(0) {
        row.fill_dense(&mut dense);
    }
    let counts: Vec<u64> = dense
        .iter()
        .map(|&value| value.round().max(0.0) as u64)
        .collect();
    let treatment: serde_json::Map<String, serde_json::Value> = view
        .classes
        .iter()
        .filter(|class| is_perturbed(&class.fields))
        .map(|class| perturbation(&class.fields))
        .next()
        .unwrap_or_default()
        .into_iter()
        .map(|(key, value)| (key.as_str().to_owned(), value.into()))
        .collect();
    Ok(match family {
        Family::PredictMetadata => json!({"inputs": [{"counts": counts}], "seed": 42}),
        Family::ReferenceConditioning => json!({
            "inputs": [{"counts": counts, "metadata": treatment, "num_samples": 2}],
            "conditioning": ["biological", "technical"],
            "sampling_strategy": "mean estimation",
            "fixed_total_count": false,
            "deterministic_latents": true,
            "seed": 42,
        }),
    })
}
