//! Where a query runs: the embedded model in a Web Worker ([`embedded`]) or a server with the
//! hosted API's endpoints ([`remote`]), behind one interface: [`GenerationBackend::start`] takes
//! a [`RunQuery`] and a listener for [`RunUpdate`]s and returns a [`RunHandle`] whose
//! [`RunHandle::cancel`] stops the run at once. Nothing here knows the app's state: the
//! listener the page passes ([`crate::generation`]) turns updates into signals.

pub mod embedded;
pub mod remote;

use std::rc::Rc;

use serde::{Deserialize, Serialize};
use synthome_analysis::Umap;
use synthome_engine::ModelEntry;
use synthome_matrix::{ExpressionMatrix, Provenance};

use self::embedded::error::EmbeddedError;
use self::remote::error::RemoteError;
use crate::results::overview::ResultOverview;

/// Which backend generates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Backend {
    /// The embedded model, in this browser.
    #[default]
    Embedded,
    /// A server with the hosted API's endpoints.
    Remote,
}

/// A query to run, as the page hands it to a backend.
#[derive(Clone)]
pub struct RunQuery {
    /// The query JSON as the user wrote it (already validated on the page for the embedded
    /// backend; a remote server validates for itself).
    pub text: String,
    /// The model picked, by id or alias.
    pub model: String,
    /// The embedded copy of that model, when it is loaded.
    pub local_model: Option<ModelEntry>,
    /// The seed to run with when the query has none (drawn by the page; the embedded backend
    /// only: a remote server draws its own).
    pub fallback_seed: u64,
    /// Samples the validated query asks for (the embedded backend splits large generations
    /// across workers by it; 0 when unknown, for a remote server).
    pub total_samples: u64,
}

/// A finished generation.
#[derive(Debug, Clone)]
pub struct GenerationResult {
    /// The generated matrix.
    pub matrix: ExpressionMatrix,
    /// What produced it.
    pub provenance: Provenance,
    /// Milliseconds the generation took.
    pub elapsed_ms: f64,
    /// When it finished (ISO 8601), for file names.
    pub finished_at: String,
}

impl GenerationResult {
    /// A result that finished just now, after `elapsed_ms`.
    pub fn finished_now(matrix: ExpressionMatrix, provenance: Provenance, elapsed_ms: f64) -> Self {
        GenerationResult {
            matrix,
            provenance,
            elapsed_ms,
            finished_at: String::from(js_sys::Date::new_0().to_iso_string()),
        }
    }
}

/// What a run reports on its way; `Finished` and `Failed` are its last word.
#[derive(Debug, Clone)]
pub enum RunUpdate {
    /// Samples done of total (embedded).
    Progress {
        /// Samples done.
        done: u64,
        /// Samples in all.
        total: u64,
    },
    /// What the remote server is doing, for the progress line.
    Waiting(String),
    /// The result.
    Finished(Box<GenerationResult>),
    /// The result's overview, when the backend computed it (the embedded one does, in its
    /// worker, after `Finished`).
    Overview(Box<ResultOverview>),
    /// The result's UMAP, or why there is none (the embedded backend's, after `Overview`); it
    /// is the run's last update.
    Umap(Box<Result<Umap, String>>),
    /// The run failed.
    Failed(RunError),
}

/// Why a run failed, from whichever backend ran it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RunError {
    /// The embedded backend's failure.
    #[error(transparent)]
    Embedded(#[from] EmbeddedError),
    /// The remote backend's failure.
    #[error(transparent)]
    Remote(#[from] RemoteError),
}

/// Receives a run's updates.
pub type Listener = Rc<dyn Fn(RunUpdate)>;

/// A run in progress. Cancelling stops it at once; no update arrives after that.
pub struct RunHandle {
    cancel: Box<dyn FnOnce()>,
}

impl RunHandle {
    /// A handle that runs `cancel` to stop its run.
    pub fn new(cancel: impl FnOnce() + 'static) -> RunHandle {
        RunHandle {
            cancel: Box::new(cancel),
        }
    }

    /// Stops the run.
    pub fn cancel(self) {
        (self.cancel)();
    }
}

/// Something that runs queries.
pub trait GenerationBackend {
    /// Starts `query`; `listener` hears its progress and outcome.
    fn start(&self, query: RunQuery, listener: Listener) -> RunHandle;

    /// Whether a finished run is followed by its [`RunUpdate::Overview`]; when not, the page
    /// computes the overview itself.
    fn sends_overview(&self) -> bool;
}
