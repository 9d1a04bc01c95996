//! The HTTP routes, the auth check, CORS, request logs and the static web app.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Path as UrlPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use serde_json::Value;
use tokio::sync::Semaphore;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;
use tracing::Span;

use super::arrow::ARROW_STREAM;
use super::auth::ApiKeys;
use super::body::{BodyError, read_body};
use super::guard::RequestGuard;
use super::jobs::{JobStatus, JobStore, SubmitError};
use super::shapes::{
    client_adds_sample_id, invalid_query_document, message_document, models_document,
};
use super::synchronous::{SyncFailure, answer};
use super::throttle::Throttle;
use synthome_engine::families::Family;
use synthome_engine::{ModelRegistry, prepare};

use crate::entropy::{random_hex, random_u64};
use synthome_query::Limits;

/// Everything the handlers share.
#[derive(Clone)]
pub struct AppState {
    /// The models.
    pub registry: ModelRegistry,
    /// Asynchronous jobs.
    pub jobs: Arc<JobStore>,
    /// Query limits (samples per query).
    pub limits: Limits,
    /// Base URL of download links, without a trailing slash.
    pub public_url: String,
    /// Generations running at once.
    pub permits: Arc<Semaphore>,
    /// Accepted API keys (auth off when empty).
    pub keys: ApiKeys,
    /// Largest request body.
    pub max_body_bytes: usize,
    /// Time a client has to send a request body.
    pub body_timeout: Duration,
    /// Hosts, origins and body types accepted when auth is off.
    pub guard: RequestGuard,
    /// How often a full queue is logged.
    pub queue_full_warnings: Arc<Throttle>,
}

/// Seconds a client refused by a full queue is asked to wait (`Retry-After`).
const RETRY_AFTER_SECS: u64 = 5;
/// Shortest time between two "queue full" warnings in the log.
pub const QUEUE_FULL_WARNING_INTERVAL: Duration = Duration::from_secs(60);

/// Builds the router: the API, auth on it (except downloads), CORS, logs, the web app.
pub fn router(state: AppState, app_dir: &Path, cors_origins: &[String]) -> anyhow::Result<Router> {
    let protected = Router::new()
        .route("/api/models", get(list_models))
        .route("/api/models/{model_id}/example-query", get(example_query))
        .route("/api/models/{model_id}/predict", post(predict))
        .route("/api/model-queries/{id}/status", get(status))
        .route_layer(middleware::from_fn_with_state(state.clone(), require_key));
    let open = Router::new()
        .route("/api/downloads/{token}", get(download))
        .route("/healthz", get(|| async { "ok" }))
        .route("/api", any(unknown_api))
        .route("/api/", any(unknown_api))
        .route("/api/{*rest}", any(unknown_api));
    let static_app = if app_dir.join("index.html").is_file() {
        // The build writes `.gz` copies of the model bundles beside them (Trunk.toml's hook).
        Router::new().fallback_service(ServeDir::new(app_dir).precompressed_gzip())
    } else {
        let note = format!(
            "<!doctype html><title>Synthome</title><p>The Synthome model API is running under /api. \
             The web app was not found in {}: build it with <code>./x serve</code> or pass \
             <code>--app-dir</code>.</p>",
            app_dir.display()
        );
        Router::new().fallback(move || async move { Html(note) })
    };
    let router = protected
        .merge(open)
        .with_state(state.clone())
        .merge(static_app)
        .layer(cors(&state.public_url, cors_origins)?)
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request<Body>| {
                    tracing::info_span!("request", method = %request.method(), path = %loggable_path(request.uri().path()))
                })
                .on_request(())
                // Every answer is logged once below; 500s log their detail where they arise.
                .on_failure(())
                .on_response(|response: &Response, latency: Duration, _span: &Span| {
                    tracing::info!(status = response.status().as_u16(), latency_ms = latency.as_secs_f64() * 1e3, "answered");
                }),
        );
    Ok(router)
}

/// The path with download tokens hidden (they are credentials of a kind).
fn loggable_path(path: &str) -> String {
    match path.strip_prefix("/api/downloads/") {
        Some(_) => "/api/downloads/<token>".to_string(),
        None => path.to_string(),
    }
}

fn cors(public_url: &str, extra: &[String]) -> anyhow::Result<CorsLayer> {
    let layer = CorsLayer::new()
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT])
        .max_age(Duration::from_secs(3600));
    if extra.iter().any(|origin| origin == "*") {
        return Ok(layer.allow_origin(AllowOrigin::any()));
    }
    let mut origins = vec![origin_of(public_url)];
    origins.extend(
        extra
            .iter()
            .map(|origin| origin.trim_end_matches('/').to_string()),
    );
    let values = origins
        .iter()
        .map(|origin| {
            HeaderValue::from_str(origin)
                .map_err(|_| anyhow::anyhow!("invalid CORS origin {origin:?}"))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(layer.allow_origin(AllowOrigin::list(values)))
}

/// `scheme://host[:port]` of a URL.
fn origin_of(url: &str) -> String {
    let after_scheme = url.find("://").map_or(0, |index| index + 3);
    match url[after_scheme..].find('/') {
        Some(slash) => url[..after_scheme + slash].to_string(),
        None => url.to_string(),
    }
}

pub(super) fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(message_document(message))).into_response()
}

/// A 500 whose body gives a reference, not the detail (which can name files on the server):
/// the detail is logged under that reference.
pub(super) fn internal_error(detail: impl std::fmt::Display) -> Response {
    let reference = random_hex(6);
    tracing::error!(%reference, %detail, "internal error");
    error(
        StatusCode::INTERNAL_SERVER_ERROR,
        format!("internal server error (reference {reference}); the server's log has the details"),
    )
}

/// A 503 for a full queue or store (or a disk that refuses the record), with `Retry-After`;
/// logged as a warning at most once per interval.
pub(super) fn queue_full(state: &AppState, full: &SubmitError) -> Response {
    if let Some(held_back) = state.queue_full_warnings.admit() {
        match full {
            SubmitError::Store(detail) => {
                tracing::warn!(held_back, %detail, "could not store a job")
            }
            _ => tracing::warn!(held_back, "{full}"),
        }
    }
    let mut response = error(StatusCode::SERVICE_UNAVAILABLE, full.to_string());
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECS));
    response
}

/// Any path under `/api` that no route has.
async fn unknown_api(uri: Uri) -> Response {
    error(
        StatusCode::NOT_FOUND,
        format!(
            "no API route at {} (the API has /api/models, /api/models/<id>/example-query, \
             /api/models/<id>/predict, /api/model-queries/<id>/status and /api/downloads/<token>)",
            loggable_path(uri.path())
        ),
    )
}

async fn require_key(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !state.keys.enabled() {
        if let Err(refusal) = state.guard.check(request.method(), request.headers()) {
            return error(StatusCode::FORBIDDEN, refusal.to_string());
        }
    } else {
        let header = request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok());
        if !state.keys.accepts(header) {
            return error(
                StatusCode::UNAUTHORIZED,
                "missing or unknown API key: send the header Authorization: Bearer <key>",
            );
        }
    }
    next.run(request).await
}

async fn list_models(State(state): State<AppState>) -> Json<Value> {
    Json(models_document(&state.registry))
}

async fn example_query(
    State(state): State<AppState>,
    UrlPath(model_id): UrlPath<String>,
) -> Response {
    if let Some((base, family)) = Family::split(&model_id) {
        return match state.registry.get(base) {
            Ok(entry) => match super::families::example_family_query(entry, family) {
                Ok(query) => Json(serde_json::json!({ "example_query": query })).into_response(),
                Err(failure) => internal_error(failure),
            },
            Err(unknown) => error(StatusCode::NOT_FOUND, unknown.to_string()),
        };
    }
    match state.registry.get(&model_id) {
        Ok(entry) => match serde_json::from_str::<Value>(&entry.engine.example_query()) {
            Ok(query) => Json(serde_json::json!({ "example_query": query })).into_response(),
            Err(parse_error) => {
                internal_error(format!("the example query is not JSON: {parse_error}"))
            }
        },
        Err(unknown) => error(StatusCode::NOT_FOUND, unknown.to_string()),
    }
}

async fn predict(
    State(state): State<AppState>,
    UrlPath(model_id): UrlPath<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let family = Family::split(&model_id);
    let entry = match state
        .registry
        .get(family.map_or(model_id.as_str(), |(base, _)| base))
    {
        Ok(entry) => entry.clone(),
        Err(unknown) => return error(StatusCode::NOT_FOUND, unknown.to_string()),
    };
    let body = match read_body(body, state.max_body_bytes, state.body_timeout).await {
        Ok(body) => body,
        Err(failure) => {
            let status = match failure {
                BodyError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
                BodyError::TooSlow(_) => StatusCode::REQUEST_TIMEOUT,
                BodyError::Broken(_) => StatusCode::BAD_REQUEST,
            };
            return error(status, failure.to_string());
        }
    };
    let Ok(text) = std::str::from_utf8(&body) else {
        return error(
            StatusCode::BAD_REQUEST,
            "the request body is not UTF-8 JSON",
        );
    };
    if let Some((_, family)) = family {
        return super::families::predict_family(&state, entry, family, &headers, text).await;
    }
    let prepared = match prepare(&entry, text, None, random_u64, &state.limits) {
        Ok(prepared) => prepared,
        Err(errors) => {
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(invalid_query_document(&errors)),
            )
                .into_response();
        }
    };
    let wants_arrow = headers
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|accept| accept.contains(ARROW_STREAM));
    let with_sample_id = !client_adds_sample_id(text);
    if !wants_arrow {
        return match state.jobs.submit(&entry.info.id, text, prepared) {
            Ok(id) => Json(serde_json::json!({ "modelQueryId": id })).into_response(),
            Err(full) => queue_full(&state, &full),
        };
    }
    let Ok(permit) = state.permits.clone().acquire_owned().await else {
        return error(
            StatusCode::SERVICE_UNAVAILABLE,
            "the server is shutting down",
        );
    };
    match answer(permit, entry, prepared, with_sample_id).await {
        Ok(response) => response,
        Err(failure @ SyncFailure::Stopped) => {
            internal_error(format!("generation stopped unexpectedly: {failure:?}"))
        }
        Err(SyncFailure::Generate(message)) => error(StatusCode::UNPROCESSABLE_ENTITY, message),
    }
}

async fn status(State(state): State<AppState>, UrlPath(id): UrlPath<String>) -> Response {
    let Some(record) = state.jobs.get(&id) else {
        return error(
            StatusCode::NOT_FOUND,
            format!("no model query with id {id:?} (finished ones expire)"),
        );
    };
    let body = match (record.status, &record.download_token) {
        (JobStatus::Ready, Some(token)) => serde_json::json!({
            "status": "ready",
            "downloadUrl": format!("{}/api/downloads/{token}", state.public_url),
        }),
        (JobStatus::Failed, _) | (JobStatus::Ready, None) => serde_json::json!({
            "status": "failed",
            "message": record.message.unwrap_or_else(|| "the job failed without a message".into()),
        }),
        (JobStatus::Queued | JobStatus::Running, _) => serde_json::json!({ "status": "running" }),
    };
    Json(body).into_response()
}

async fn download(State(state): State<AppState>, UrlPath(token): UrlPath<String>) -> Response {
    let Some(path) = state.jobs.result_path(&token) else {
        return error(
            StatusCode::NOT_FOUND,
            "no such download (results expire; run the query again)",
        );
    };
    match tokio::fs::File::open(&path).await {
        Ok(file) => {
            let stream = tokio_util::io::ReaderStream::with_capacity(file, 1 << 16);
            (
                [(header::CONTENT_TYPE, "application/json")],
                Body::from_stream(stream),
            )
                .into_response()
        }
        Err(_) => error(
            StatusCode::NOT_FOUND,
            "no such download (results expire; run the query again)",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_and_log_paths() {
        assert_eq!(
            origin_of("http://127.0.0.1:8080/synthome/"),
            "http://127.0.0.1:8080"
        );
        assert_eq!(origin_of("https://example.org"), "https://example.org");
        assert_eq!(
            loggable_path("/api/downloads/abcdef"),
            "/api/downloads/<token>"
        );
        assert_eq!(loggable_path("/api/models"), "/api/models");
    }
}
