//! The app's shared state: the embedded models (downloaded, decoded on the page for validation
//! and vocabulary search, and in the worker for generation), the query being edited, the
//! generation in progress and its result.

use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use synthome_engine::{ModelEntry, prepare};
use synthome_matrix::{ExpressionMatrix, Provenance};
use synthome_query::{Limits, QueryErrors};

use crate::fetch::fetch_bytes;
use crate::remote::settings::{Backend, RemoteSettings};
use crate::share::LinkOutcome;
use crate::worker::client::{ClientEvent, WorkerClient};
use crate::worker::protocol::reassemble;

/// The bundles the app ships, relative to the page (Trunk copies `public/models` to `models/`).
pub const BUNDLES: [&str; 2] = [
    "models/synthome-bulk-v1.bundle",
    "models/synthome-sc-v1.bundle",
];

/// Query limits in the browser for a model: a dense bulk result of 5,000 x 20,000 counts is
/// 400 MB, about what a tab can hold next to its copies for plots and downloads; sparse
/// single-cell results hold only their non-zeros (about 2,000 per cell), so 20,000 cells fit.
pub fn browser_limits(model_id: &str) -> Limits {
    let most = if model_id.starts_with("synthome-sc") {
        20_000
    } else {
        5_000
    };
    Limits {
        max_total_samples: most,
        max_samples_per_input: most as u32,
        ..Limits::default()
    }
}

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

/// A finished generation.
#[derive(Debug, Clone)]
pub struct GenerationResult {
    /// The generated matrix.
    pub matrix: ExpressionMatrix,
    /// What produced it.
    pub provenance: Provenance,
    /// Milliseconds the worker spent generating.
    pub elapsed_ms: f64,
    /// When it finished (ISO 8601), for file names.
    pub finished_at: String,
}

/// A downloaded bundle: its name and bytes (kept to reload a restarted worker).
type NamedBundle = (String, Rc<Vec<u8>>);

/// Shared state, provided as context by `App`.
#[derive(Clone, Copy)]
pub struct AppState {
    /// The decoded models, in [`BUNDLES`] order.
    pub models: RwSignal<Vec<ModelEntry>>,
    /// Loading progress of the models.
    pub loading: RwSignal<LoadStatus>,
    /// The model id the query is for.
    pub selected_model: RwSignal<String>,
    /// The query JSON in the editor.
    pub query_text: RwSignal<String>,
    /// The generation in progress.
    pub run: RwSignal<RunStatus>,
    /// The last result.
    pub result: RwSignal<Option<Arc<GenerationResult>>>,
    /// Which backend generates.
    pub backend: RwSignal<Backend>,
    /// The remote backend's base URL and key.
    pub remote: RwSignal<RemoteSettings>,
    /// What became of the share link the page was opened with, if any.
    pub link: RwSignal<Option<LinkOutcome>>,
    run_ticket: StoredValue<u64>,
    worker: StoredValue<Option<Rc<WorkerClient>>, LocalStorage>,
    bundles: StoredValue<Vec<NamedBundle>, LocalStorage>,
}

impl AppState {
    /// Fresh state with `query` in the editor; call [`AppState::load_models`] next.
    pub fn new(query: String) -> AppState {
        AppState {
            models: RwSignal::new(Vec::new()),
            loading: RwSignal::new(LoadStatus::Downloading {
                received: 0.0,
                total: 0.0,
            }),
            selected_model: RwSignal::new("synthome-bulk-v1".to_string()),
            query_text: RwSignal::new(query),
            run: RwSignal::new(RunStatus::Idle),
            result: RwSignal::new(None),
            backend: RwSignal::new(Backend::Embedded),
            remote: RwSignal::new(RemoteSettings::default()),
            link: RwSignal::new(None),
            run_ticket: StoredValue::new(0),
            worker: StoredValue::new_local(None),
            bundles: StoredValue::new_local(Vec::new()),
        }
    }

    /// The selected model, when loaded.
    pub fn model(&self) -> Option<ModelEntry> {
        let selected = self.selected_model.get();
        self.models.with(|models| {
            models
                .iter()
                .find(|entry| entry.info.id == selected || entry.info.alias == selected)
                .cloned()
        })
    }

    /// Downloads and decodes every bundle, then starts the worker with them.
    pub fn load_models(self) {
        leptos::task::spawn_local(async move {
            for name in BUNDLES {
                let loading = self.loading;
                let progress: Rc<dyn Fn(f64, f64)> = Rc::new(move |received, total| {
                    loading.set(LoadStatus::Downloading { received, total });
                });
                let bytes = match fetch_bytes(name, progress).await {
                    Ok(bytes) => bytes,
                    Err(message) => {
                        self.loading.set(LoadStatus::Failed(message));
                        return;
                    }
                };
                match ModelEntry::from_bundle(name, &bytes) {
                    Ok(entry) => self.models.update(|models| models.push(entry)),
                    Err(error) => {
                        self.loading.set(LoadStatus::Failed(error.to_string()));
                        return;
                    }
                }
                self.bundles
                    .update_value(|bundles| bundles.push((name.to_string(), Rc::new(bytes))));
            }
            self.restart_worker();
            self.loading.set(LoadStatus::Ready);
        });
    }

    /// Validates the query on the page; runs it in the worker only when it is valid.
    pub fn generate(self) {
        if self.backend.get_untracked() == Backend::Remote {
            crate::remote::run::start(self);
            return;
        }
        let Some(model) = self.model() else {
            self.run
                .set(RunStatus::Failed("the model is still loading".into()));
            return;
        };
        let query = self.query_text.get_untracked();
        let prepared = match prepare(
            &model,
            &query,
            None,
            random_seed,
            &browser_limits(&model.info.id),
        ) {
            Ok(prepared) => prepared,
            Err(errors) => {
                self.run.set(RunStatus::Invalid(errors));
                return;
            }
        };
        let total = prepared.valid.total_samples();
        self.run.set(RunStatus::Running { done: 0, total });
        if let Some(worker) = self.worker.get_value() {
            worker.generate(&model.info.id, &query, prepared.seed);
        }
    }

    /// Stops a running generation at once and gets a fresh worker ready.
    pub fn cancel(self) {
        self.run_ticket.update_value(|ticket| *ticket += 1);
        if matches!(self.run.get_untracked(), RunStatus::Remote(_)) {
            self.run.set(RunStatus::Cancelled);
            return;
        }
        if let Some(worker) = self.worker.get_value() {
            worker.terminate();
        }
        self.restart_worker();
        self.run.set(RunStatus::Cancelled);
    }

    /// Starts counting a new run; [`AppState::cancel`] makes its ticket stale.
    pub fn begin_run(self) -> u64 {
        self.run_ticket.update_value(|ticket| *ticket += 1);
        self.run_ticket.get_value()
    }

    /// Whether the run holding `ticket` is still the current one (not cancelled).
    pub fn is_current_run(self, ticket: u64) -> bool {
        self.run_ticket.get_value() == ticket
    }

    /// Shows a finished result in the result viewer.
    pub fn show_result(self, result: Arc<GenerationResult>) {
        self.result.set(Some(result));
        self.run.set(RunStatus::Idle);
        let _ = window()
            .location()
            .set_hash(crate::route::Route::Results.href());
    }

    fn restart_worker(self) {
        let on_event: Rc<dyn Fn(ClientEvent)> = Rc::new(move |event| self.on_worker_event(event));
        match WorkerClient::spawn(on_event) {
            Ok(worker) => {
                self.bundles.with_value(|bundles| {
                    for (name, bytes) in bundles {
                        worker.load(name, bytes);
                    }
                });
                self.worker.set_value(Some(Rc::new(worker)));
            }
            Err(message) => self.loading.set(LoadStatus::Failed(message)),
        }
    }

    fn on_worker_event(self, event: ClientEvent) {
        match event {
            ClientEvent::Loaded { .. } => {}
            ClientEvent::Progress { done, total } => {
                if matches!(self.run.get_untracked(), RunStatus::Running { .. }) {
                    self.run.set(RunStatus::Running { done, total });
                }
            }
            ClientEvent::Failed { message } => self.run.set(RunStatus::Failed(message)),
            ClientEvent::Finished { header, values } => {
                let Some(model) = self.models.with_untracked(|models| {
                    models
                        .iter()
                        .find(|entry| entry.info.id == header.model_id)
                        .cloned()
                }) else {
                    self.run.set(RunStatus::Failed(format!(
                        "a result came for an unknown model {}",
                        header.model_id
                    )));
                    return;
                };
                let elapsed_ms = header.elapsed_ms;
                let genes = model.engine.genes();
                match reassemble(*header, values, genes) {
                    Ok((matrix, provenance)) => {
                        let finished_at = String::from(js_sys::Date::new_0().to_iso_string());
                        self.show_result(Arc::new(GenerationResult {
                            matrix,
                            provenance,
                            elapsed_ms,
                            finished_at,
                        }));
                    }
                    Err(error) => self.run.set(RunStatus::Failed(error.to_string())),
                }
            }
        }
    }
}

/// A seed from the browser's cryptographic random source (falls back to the clock).
fn random_seed() -> u64 {
    let mut bytes = [0u8; 8];
    let filled = window()
        .crypto()
        .ok()
        .and_then(|crypto| crypto.get_random_values_with_u8_array(&mut bytes).ok())
        .is_some();
    if filled {
        u64::from_le_bytes(bytes)
    } else {
        js_sys::Date::now() as u64
    }
}
