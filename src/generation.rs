//! Generate and Cancel: hands the editor's query to the chosen backend and turns what the run
//! reports into the app's state. The query was validated once, by the editor's memo
//! ([`crate::query::validation`]); Generate takes that result instead of validating again.

use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;
use synthome_engine::ModelEntry;

use crate::backend::embedded::{EmbeddedBackend, NamedBundle};
use crate::backend::remote::RemoteBackend;
use crate::backend::{
    Backend, GenerationBackend, GenerationResult, Listener, RunHandle, RunQuery, RunUpdate,
};
use crate::browser::random::random_seed;
use crate::query::validation::Validation;
use crate::results::overview::{NO_PAGE_UMAP, ResultOverview};
use crate::route::Route;
use crate::state::{AppState, RunStatus};

/// The backends and the run in progress, provided as context by `App`.
#[derive(Clone, Copy)]
pub struct Generation {
    embedded: StoredValue<Option<Rc<EmbeddedBackend>>, LocalStorage>,
    /// On-demand models that arrived before the embedded backend started.
    pending: StoredValue<Vec<(NamedBundle, ModelEntry)>, LocalStorage>,
    current: StoredValue<Option<RunHandle>, LocalStorage>,
}

impl Default for Generation {
    fn default() -> Self {
        Generation {
            embedded: StoredValue::new_local(None),
            pending: StoredValue::new_local(Vec::new()),
            current: StoredValue::new_local(None),
        }
    }
}

impl Generation {
    /// Makes the embedded backend (its worker loaded with every model) the one to use.
    pub fn set_embedded(self, backend: Rc<EmbeddedBackend>) {
        for (bundle, entry) in self
            .pending
            .try_update_value(std::mem::take)
            .unwrap_or_default()
        {
            backend.add_model(bundle, entry);
        }
        self.embedded.set_value(Some(backend));
    }

    /// Hands a model loaded on demand to the embedded backend (kept until it starts).
    pub fn add_model(self, bundle: NamedBundle, entry: ModelEntry) {
        match self.embedded.get_value() {
            Some(backend) => backend.add_model(bundle, entry),
            None => self
                .pending
                .update_value(|pending| pending.push((bundle, entry))),
        }
    }

    /// The embedded backend, once the models are loaded.
    pub fn embedded(self) -> Option<Rc<EmbeddedBackend>> {
        self.embedded.get_value()
    }

    /// Runs the editor's query on the chosen backend. For the embedded one, `validation` is
    /// the editor's check of the query: only a valid query is run.
    pub fn generate(self, state: AppState, validation: Validation) {
        let text = state.query_text.get_untracked();
        let model = state.selected_model.get_untracked();
        let local_model = untrack(|| state.model());
        if state.backend.get_untracked() == Backend::Remote {
            let backend = RemoteBackend {
                settings: state.remote.get_untracked(),
            };
            let query = RunQuery {
                text,
                model,
                local_model,
                fallback_seed: 0,
                total_samples: 0,
            };
            self.start(state, &backend, query);
            return;
        }
        let (Some(embedded), Some(checked)) = (self.embedded(), validation) else {
            state
                .run
                .set(RunStatus::Failed("the model is still loading".into()));
            return;
        };
        let valid = match checked {
            Ok(valid) => valid,
            Err(errors) => {
                state.run.set(RunStatus::Invalid(errors));
                return;
            }
        };
        let total = valid.total_samples();
        // The seed rule (the query's, else this one, masked below 2^53) is engine::prepare's.
        let fallback_seed = random_seed();
        state.run.set(RunStatus::Running { done: 0, total });
        let query = RunQuery {
            text,
            model: local_model
                .as_ref()
                .map_or(model, |entry| entry.info.id.clone()),
            local_model,
            fallback_seed,
            total_samples: total,
        };
        self.start(state, embedded.as_ref(), query);
    }

    /// Stops the run in progress at once.
    pub fn cancel(self, state: AppState) {
        if let Some(handle) = self.current.try_update_value(Option::take).flatten() {
            handle.cancel();
        }
        state.run.set(RunStatus::Cancelled);
    }

    fn start(self, state: AppState, backend: &dyn GenerationBackend, query: RunQuery) {
        // One result at a time: the last one is released before the next is made.
        state.result.set(None);
        state.overview.set(None);
        let sends_overview = backend.sends_overview();
        let listener: Listener = Rc::new(move |update| match update {
            RunUpdate::Progress { done, total } => {
                if matches!(state.run.get_untracked(), RunStatus::Running { .. }) {
                    state.run.set(RunStatus::Running { done, total });
                }
            }
            RunUpdate::Waiting(text) => state.run.set(RunStatus::Remote(text)),
            RunUpdate::Finished(result) => show_result(state, Arc::new(*result), sends_overview),
            RunUpdate::Overview(overview) => state.overview.set(Some(Arc::new(*overview))),
            RunUpdate::Umap(umap) => state.overview.update(|overview| {
                if let Some(overview) = overview {
                    Arc::make_mut(overview).umap = Some(*umap);
                }
            }),
            RunUpdate::Failed(error) => state.run.set(RunStatus::Failed(error.to_string())),
        });
        let handle = backend.start(query, listener);
        self.current.set_value(Some(handle));
    }
}

/// Shows a finished result in the result viewer; when its backend sends no overview, works it
/// out once the summary has been drawn.
fn show_result(state: AppState, result: Arc<GenerationResult>, sends_overview: bool) {
    if sends_overview {
        state.result.set(Some(result));
    } else {
        keep_result(state, result);
    }
    state.run.set(RunStatus::Idle);
    let _ = window().location().set_hash(Route::Results.href());
}

/// Makes `result` the one the result viewer shows (the last one is released) and works out
/// its overview on the page once the summary has been drawn.
pub fn keep_result(state: AppState, result: Arc<GenerationResult>) {
    state.overview.set(None);
    state.result.set(Some(result.clone()));
    set_timeout(
        move || {
            let still_shown = state.result.with_untracked(|shown| {
                shown
                    .as_ref()
                    .is_some_and(|shown| Arc::ptr_eq(shown, &result))
            });
            if still_shown {
                let overview = ResultOverview {
                    umap: Some(Err(NO_PAGE_UMAP.into())),
                    ..ResultOverview::of(&result.matrix)
                };
                state.overview.set(Some(Arc::new(overview)));
            }
        },
        Duration::from_millis(0),
    );
}
