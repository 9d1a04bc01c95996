//! The remote backend: instead of the embedded model, a server with the hosted API's
//! asynchronous endpoints (the Synthesize Bio API, or `synthome serve`) generates the data.
//!
//! POST `{base}/api/models/{model}/predict` with the query and `Authorization: Bearer <key>`
//! gives `{"modelQueryId": id}`; GET `{base}/api/model-queries/{id}/status` every 2 s until
//! `ready` with a `downloadUrl` (fetched without the key) or `failed` with a `message`. The
//! answer becomes the same [`GenerationResult`] as an in-browser run. The plain parts
//! ([`settings`], [`error`], [`jobs`], [`result`]) are tested on the host; [`client`] (HTTP with
//! `gloo-net`), [`storage`] and [`RemoteBackend`] are the thin browser side.

pub mod client;
pub mod error;
pub mod jobs;
pub mod result;
pub mod settings;
pub mod storage;

use std::cell::Cell;
use std::rc::Rc;

use self::client::{Phase, run_job};
use self::error::RemoteError;
use self::result::{RequestContext, read_result};
use self::settings::RemoteSettings;
use super::{GenerationBackend, GenerationResult, Listener, RunHandle, RunQuery, RunUpdate};

/// A remote server, as the settings name it.
pub struct RemoteBackend {
    /// Where the server is and the key.
    pub settings: RemoteSettings,
}

impl GenerationBackend for RemoteBackend {
    /// Sends the query as written (the server validates it); gene symbols come from the
    /// embedded model when its gene ids match.
    fn start(&self, query: RunQuery, listener: Listener) -> RunHandle {
        let cancelled = Rc::new(Cell::new(false));
        let handle = {
            let cancelled = cancelled.clone();
            RunHandle::new(move || cancelled.set(true))
        };
        let settings = self.settings.clone();
        let base = match settings.base() {
            Ok(base) => base,
            Err(error) => {
                listener(RunUpdate::Failed(error.into()));
                return handle;
            }
        };
        if !serde_json::from_str::<serde_json::Value>(&query.text)
            .is_ok_and(|value| value.is_object())
        {
            listener(RunUpdate::Failed(RemoteError::QueryNotAnObject.into()));
            return handle;
        }
        let local = query.local_model;
        // The hosted API knows the aliases (gem-1-bulk); a Synthome server knows both.
        let model = local
            .as_ref()
            .map_or_else(|| query.model.clone(), |entry| entry.info.alias.clone());
        listener(RunUpdate::Waiting(Phase::Submitting.describe(&base)));
        let text = query.text;
        leptos::task::spawn_local(async move {
            let is_cancelled = || cancelled.get();
            let on_phase = |phase: Phase| {
                if !is_cancelled() {
                    listener(RunUpdate::Waiting(phase.describe(&base)));
                }
            };
            let started = js_sys::Date::now();
            let outcome = run_job(&settings, &model, &text, &on_phase, &is_cancelled).await;
            if is_cancelled() {
                return;
            }
            let body = match outcome {
                Ok(Some(body)) => body,
                Ok(None) => return,
                Err(error) => {
                    listener(RunUpdate::Failed(error.into()));
                    return;
                }
            };
            let context = RequestContext {
                model_id: local
                    .as_ref()
                    .map_or(model.as_str(), |entry| entry.info.id.as_str()),
                query_json: &text,
                local_genes: local.as_ref().map(|entry| entry.engine.genes()),
            };
            listener(match read_result(&body, &context) {
                Ok((matrix, provenance)) => {
                    RunUpdate::Finished(Box::new(GenerationResult::finished_now(
                        matrix,
                        provenance,
                        js_sys::Date::now() - started,
                    )))
                }
                Err(error) => RunUpdate::Failed(error.into()),
            });
        });
        handle
    }

    /// A server's answer has counts only: the page works out the overview.
    fn sends_overview(&self) -> bool {
        false
    }
}
