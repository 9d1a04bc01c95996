//! Loading the embedded models at start-up: each bundle downloaded, decoded on the page (for
//! validation, vocabulary search and the model cards), then handed to the worker that decodes
//! its own copy for generation. The default model comes first, with progress, and makes the
//! page ready; the others follow in the background.

use std::rc::Rc;

use leptos::prelude::*;
use synthome_engine::ModelEntry;

use crate::backend::embedded::error::EmbeddedError;
use crate::backend::embedded::{EmbeddedBackend, NamedBundle};
use crate::browser::fetch::fetch_bytes;
use crate::generation::Generation;
use crate::state::{AppState, LoadStatus, RunStatus};

/// The bundles the app ships, relative to the page (Trunk copies `public/models` to `models/`).
/// The first is the default model: the page is ready when it is; the others load after it, in
/// the background, and appear in the model picker when they arrive.
pub const BUNDLES: [&str; 2] = [
    "models/synthome-bulk-v1.bundle",
    "models/synthome-sc-v1.bundle",
];

/// Downloads and decodes the default bundle, starts the embedded backend with it, then adds
/// the other bundles one by one.
pub fn load_models(state: AppState, generation: Generation) {
    leptos::task::spawn_local(async move {
        let [first, rest @ ..] = BUNDLES;
        let loading = state.loading;
        let progress: Rc<dyn Fn(f64, f64)> = Rc::new(move |received, total| {
            loading.set(LoadStatus::Downloading { received, total });
        });
        let bundle = match fetch_model(state, first, progress).await {
            Ok((bundle, _)) => bundle,
            Err(message) => {
                state.loading.set(LoadStatus::Failed(message));
                return;
            }
        };
        let on_failure: Rc<dyn Fn(EmbeddedError)> =
            Rc::new(move |error| state.run.set(RunStatus::Failed(error.to_string())));
        let backend = match EmbeddedBackend::start_worker(
            vec![bundle],
            state.models.get_untracked(),
            on_failure,
        ) {
            Ok(backend) => Rc::new(backend),
            Err(error) => {
                state.loading.set(LoadStatus::Failed(error.to_string()));
                return;
            }
        };
        generation.set_embedded(backend.clone());
        state.loading.set(LoadStatus::Ready);
        for name in rest {
            let quiet: Rc<dyn Fn(f64, f64)> = Rc::new(|_, _| {});
            match fetch_model(state, name, quiet).await {
                Ok((bundle, entry)) => backend.add_model(bundle, entry),
                Err(message) => state.run.set(RunStatus::Failed(message)),
            }
        }
    });
}

/// Fetches and decodes one bundle into `state.models`; the bundle and the decoded model come
/// back for the worker's side.
async fn fetch_model(
    state: AppState,
    name: &str,
    progress: Rc<dyn Fn(f64, f64)>,
) -> Result<(NamedBundle, ModelEntry), String> {
    let bytes = fetch_bytes(name, progress).await?;
    let entry = ModelEntry::from_bundle(name, &bytes).map_err(|error| error.to_string())?;
    let shown = entry.clone();
    state
        .models
        .update(|models| models.insert_or_replace(shown));
    Ok(((name.to_string(), Rc::new(bytes)), entry))
}
