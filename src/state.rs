//! The app's shared state, as signals only: the embedded models, the query being edited, the
//! generation in progress and its result, the backend settings and the share link outcome.
//! What changes them lives with each feature ([`crate::model_loading`], [`crate::generation`],
//! [`crate::share::follow`], [`crate::query::backend_settings`]).

use std::sync::Arc;

use leptos::prelude::*;
use synthome_engine::{ModelEntry, ModelRegistry};
use synthome_query::QueryErrors;

use crate::backend::remote::settings::RemoteSettings;
use crate::backend::{Backend, GenerationResult};
use crate::results::overview::ResultOverview;
use crate::share::LinkOutcome;

/// How far the embedded models have loaded.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadStatus {
    /// Downloading: bytes received and expected (0 when unknown).
    Downloading {
        /// Bytes received so far.
        received: f64,
        /// Bytes expected.
        total: f64,
    },
    /// Every model is ready.
    Ready,
    /// A model could not be loaded.
    Failed(String),
}

/// An on-demand model on its way: downloading, or why it could not be loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct OnDemandLoad {
    /// The model id.
    pub id: &'static str,
    /// Downloading or failed.
    pub status: LoadStatus,
}

/// Where a generation stands.
#[derive(Debug, Clone, PartialEq)]
pub enum RunStatus {
    /// Nothing running.
    Idle,
    /// Running: samples done of total.
    Running {
        /// Samples done.
        done: u64,
        /// Samples in all.
        total: u64,
    },
    /// The query has problems; nothing ran.
    Invalid(QueryErrors),
    /// The run failed.
    Failed(String),
    /// The user cancelled the run.
    Cancelled,
    /// Waiting on the remote backend: what it is doing.
    Remote(String),
}

/// Shared state, provided as context by `App`.
#[derive(Clone, Copy)]
pub struct AppState {
    /// The decoded models: the default first, then on-demand ones as they arrive.
    pub models: RwSignal<ModelRegistry>,
    /// Loading progress of the default model (the page's readiness).
    pub loading: RwSignal<LoadStatus>,
    /// The on-demand models being downloaded, or that failed
    /// ([`crate::model_loading::want_model`]).
    pub on_demand: RwSignal<Vec<OnDemandLoad>>,
    /// The model id (or alias) the query is for.
    pub selected_model: RwSignal<String>,
    /// The query JSON in the editor.
    pub query_text: RwSignal<String>,
    /// The generation in progress.
    pub run: RwSignal<RunStatus>,
    /// The last result.
    pub result: RwSignal<Option<Arc<GenerationResult>>>,
    /// The last result's overview for the plots; `None` while it is being computed.
    pub overview: RwSignal<Option<Arc<ResultOverview>>>,
    /// Which backend generates.
    pub backend: RwSignal<Backend>,
    /// The remote backend's base URL and key.
    pub remote: RwSignal<RemoteSettings>,
    /// What became of the share link the page was opened with, if any.
    pub link: RwSignal<Option<LinkOutcome>>,
}

impl AppState {
    /// Fresh state with `query` in the editor and no models yet.
    pub fn new(query: String) -> AppState {
        AppState {
            models: RwSignal::new(ModelRegistry::default()),
            loading: RwSignal::new(LoadStatus::Downloading {
                received: 0.0,
                total: 0.0,
            }),
            on_demand: RwSignal::new(Vec::new()),
            selected_model: RwSignal::new(crate::model_loading::DEFAULT_MODEL.id.to_string()),
            query_text: RwSignal::new(query),
            run: RwSignal::new(RunStatus::Idle),
            result: RwSignal::new(None),
            overview: RwSignal::new(None),
            backend: RwSignal::new(Backend::Embedded),
            remote: RwSignal::new(RemoteSettings::default()),
            link: RwSignal::new(None),
        }
    }

    /// The selected model, when loaded (tracks both the selection and the models).
    pub fn model(&self) -> Option<ModelEntry> {
        let selected = self.selected_model.get();
        self.models
            .with(|models| models.get(&selected).ok().cloned())
    }
}
