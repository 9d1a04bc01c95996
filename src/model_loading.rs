//! Loading the embedded models at start-up: each bundle downloaded with progress, decoded on
//! the page (for validation, vocabulary search and the model cards), then handed to a worker
//! that decodes its own copy for generation.

use std::rc::Rc;

use leptos::prelude::*;
use synthome_engine::ModelEntry;

use crate::backend::embedded::EmbeddedBackend;
use crate::backend::embedded::error::EmbeddedError;
use crate::browser::fetch::fetch_bytes;
use crate::generation::Generation;
use crate::state::{AppState, LoadStatus, RunStatus};

/// The bundles the app ships, relative to the page (Trunk copies `public/models` to `models/`).
pub const BUNDLES: [&str; 2] = [
    "models/synthome-bulk-v1.bundle",
    "models/synthome-sc-v1.bundle",
];

/// Downloads and decodes every bundle, then starts the embedded backend with them.
pub fn load_models(state: AppState, generation: Generation) {
    leptos::task::spawn_local(async move {
        let mut bundles = Vec::new();
        for name in BUNDLES {
            let loading = state.loading;
            let progress: Rc<dyn Fn(f64, f64)> = Rc::new(move |received, total| {
                loading.set(LoadStatus::Downloading { received, total });
            });
            let bytes = match fetch_bytes(name, progress).await {
                Ok(bytes) => bytes,
                Err(message) => {
                    state.loading.set(LoadStatus::Failed(message));
                    return;
                }
            };
            match ModelEntry::from_bundle(name, &bytes) {
                Ok(entry) => state
                    .models
                    .update(|models| models.insert_or_replace(entry)),
                Err(error) => {
                    state.loading.set(LoadStatus::Failed(error.to_string()));
                    return;
                }
            }
            bundles.push((name.to_string(), Rc::new(bytes)));
        }
        let on_failure: Rc<dyn Fn(EmbeddedError)> =
            Rc::new(move |error| state.run.set(RunStatus::Failed(error.to_string())));
        match EmbeddedBackend::start_worker(bundles, state.models.get_untracked(), on_failure) {
            Ok(backend) => {
                generation.set_embedded(backend);
                state.loading.set(LoadStatus::Ready);
            }
            Err(error) => state.loading.set(LoadStatus::Failed(error.to_string())),
        }
    });
}
