//! Loading the embedded models: each bundle downloaded, decoded on the page (for validation,
//! vocabulary search and the model cards), then handed to the worker that decodes its own copy
//! for generation. The default model loads at start, with progress, and makes the page ready;
//! the others ([`ON_DEMAND`]) only when wanted: chosen in the model picker (or by a shared link
//! or a query file), or shown in the Models view ([`want_model`]).

use std::rc::Rc;

use leptos::prelude::*;
use synthome_engine::ModelEntry;

use crate::backend::embedded::error::EmbeddedError;
use crate::backend::embedded::{EmbeddedBackend, NamedBundle};
use crate::browser::fetch::fetch_bytes;
use crate::generation::Generation;
use crate::state::{AppState, LoadStatus, OnDemandLoad, RunStatus};

/// A model bundle the app ships (Trunk copies `public/models` to `models/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShippedModel {
    /// The model id.
    pub id: &'static str,
    /// Its alias (the hosted service's name).
    pub alias: &'static str,
    /// The bundle, relative to the page.
    pub path: &'static str,
}

/// The default model: loaded at start; the page is ready when it is.
pub const DEFAULT_MODEL: ShippedModel = ShippedModel {
    id: "synthome-bulk-v1",
    alias: "gem-1-bulk",
    path: "models/synthome-bulk-v1.bundle",
};

/// The models fetched only when wanted (the single-cell bundle is 5 MB the bulk user never
/// needs).
pub const ON_DEMAND: [ShippedModel; 1] = [ShippedModel {
    id: "synthome-sc-v1",
    alias: "gem-1-sc",
    path: "models/synthome-sc-v1.bundle",
}];

/// The on-demand model named by `id_or_alias`, if it is one.
pub fn on_demand_model(id_or_alias: &str) -> Option<ShippedModel> {
    ON_DEMAND
        .into_iter()
        .find(|shipped| shipped.id == id_or_alias || shipped.alias == id_or_alias)
}

/// Downloads and decodes the default bundle and starts the embedded backend with it; from then
/// on, choosing an on-demand model fetches it.
pub fn load_models(state: AppState, generation: Generation) {
    leptos::task::spawn_local(async move {
        let loading = state.loading;
        let progress: Rc<dyn Fn(f64, f64)> = Rc::new(move |received, total| {
            loading.set(LoadStatus::Downloading { received, total });
        });
        let bundle = match fetch_model(state, DEFAULT_MODEL.path, progress).await {
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
        generation.set_embedded(backend);
        state.loading.set(LoadStatus::Ready);
    });
    // The selection may name an on-demand model: the picker, a shared link, a query file.
    Effect::new(move |_| {
        if let Some(shipped) = on_demand_model(&state.selected_model.get()) {
            want_model(state, generation, shipped);
        }
    });
}

/// Fetches `shipped` for the page and the worker unless it is loaded or on its way; its
/// progress, or why it failed, is in `state.on_demand` until it is loaded. A failed model is
/// fetched again when wanted again.
pub fn want_model(state: AppState, generation: Generation, shipped: ShippedModel) {
    let loaded = state
        .models
        .with_untracked(|models| models.get(shipped.id).is_ok());
    let on_its_way = state.on_demand.with_untracked(|loads| {
        loads
            .iter()
            .any(|load| load.id == shipped.id && !matches!(load.status, LoadStatus::Failed(_)))
    });
    if loaded || on_its_way {
        return;
    }
    let set_status = move |status: LoadStatus| {
        state.on_demand.update(|loads| {
            loads.retain(|load| load.id != shipped.id);
            if status != LoadStatus::Ready {
                loads.push(OnDemandLoad {
                    id: shipped.id,
                    status,
                });
            }
        });
    };
    set_status(LoadStatus::Downloading {
        received: 0.0,
        total: 0.0,
    });
    leptos::task::spawn_local(async move {
        let progress: Rc<dyn Fn(f64, f64)> = Rc::new(move |received, total| {
            set_status(LoadStatus::Downloading { received, total });
        });
        match fetch_model(state, shipped.path, progress).await {
            Ok((bundle, entry)) => {
                generation.add_model(bundle, entry);
                set_status(LoadStatus::Ready);
            }
            Err(message) => set_status(LoadStatus::Failed(message)),
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
