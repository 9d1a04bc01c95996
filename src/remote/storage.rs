//! Remote settings in local storage: read once at start, written on every change while
//! "remember" is ticked, removed as soon as it is not. Without "remember" the key lives only
//! in this page's memory.

use leptos::prelude::*;
use web_sys::Storage;

use super::settings::{Remembered, STORAGE_KEY};
use crate::state::AppState;

/// Loads remembered settings into `state`, then keeps local storage in step with them.
pub fn restore_and_keep(state: AppState) {
    if let Some(remembered) = local_storage()
        .and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|text| Remembered::from_storage(&text))
    {
        state.backend.set(remembered.backend);
        state.remote.set(remembered.settings);
    }
    Effect::new(move |_| {
        let backend = state.backend.get();
        let stored = state
            .remote
            .with(|settings| Remembered::to_storage(backend, settings));
        if let Some(storage) = local_storage() {
            let _ = match stored {
                Some(text) => storage.set_item(STORAGE_KEY, &text),
                None => storage.remove_item(STORAGE_KEY),
            };
        }
    });
}

fn local_storage() -> Option<Storage> {
    window().local_storage().ok().flatten()
}
