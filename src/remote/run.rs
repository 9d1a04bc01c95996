//! A generation on the remote backend, wired to the app state: the progress line, cancel, the
//! result (gene symbols from the embedded model when its gene ids match) and plain failures.

use std::sync::Arc;

use leptos::prelude::*;

use super::client::{Phase, run_job};
use super::result::{RequestContext, read_result};
use crate::state::{AppState, GenerationResult, RunStatus};

/// Starts the query in the editor on the remote server.
pub fn start(state: AppState) {
    let settings = state.remote.get_untracked();
    let base = match settings.base() {
        Ok(base) => base,
        Err(error) => {
            state.run.set(RunStatus::Failed(error.to_string()));
            return;
        }
    };
    let query = state.query_text.get_untracked();
    if !serde_json::from_str::<serde_json::Value>(&query).is_ok_and(|value| value.is_object()) {
        state.run.set(RunStatus::Failed(
            "the query is not a JSON object; fix it in the editor first".into(),
        ));
        return;
    }
    let local = state.model();
    // The hosted API knows the aliases (gem-1-bulk); a Synthome server knows both.
    let model = local.as_ref().map_or_else(
        || state.selected_model.get_untracked(),
        |entry| entry.info.alias.clone(),
    );
    let ticket = state.begin_run();
    state
        .run
        .set(RunStatus::Remote(Phase::Submitting.describe(&base)));
    leptos::task::spawn_local(async move {
        let cancelled = move || !state.is_current_run(ticket);
        let on_phase = |phase: Phase| {
            if !cancelled() {
                state.run.set(RunStatus::Remote(phase.describe(&base)));
            }
        };
        let started = js_sys::Date::now();
        let outcome = run_job(&settings, &model, &query, &on_phase, &cancelled).await;
        if cancelled() {
            return;
        }
        let body = match outcome {
            Ok(Some(body)) => body,
            Ok(None) => return,
            Err(error) => {
                state.run.set(RunStatus::Failed(error.to_string()));
                return;
            }
        };
        let context = RequestContext {
            model_id: local
                .as_ref()
                .map_or(model.as_str(), |entry| entry.info.id.as_str()),
            query_json: &query,
            local_genes: local.as_ref().map(|entry| entry.engine.genes()),
        };
        match read_result(&body, &context) {
            Ok((matrix, provenance)) => state.show_result(Arc::new(GenerationResult {
                matrix,
                provenance,
                elapsed_ms: js_sys::Date::now() - started,
                finished_at: String::from(js_sys::Date::new_0().to_iso_string()),
            })),
            Err(error) => state.run.set(RunStatus::Failed(error.to_string())),
        }
    });
}
