//! Remote settings in local storage: read once at start, written on every change while
//! "remember" is ticked, removed as soon as it is not. Without "remember" the key lives only
//! in this page's memory. The page decides when; this only reads and writes.

use super::settings::{Remembered, RemoteSettings, STORAGE_KEY};
use crate::backend::Backend;
use crate::browser::storage;

/// The settings remembered on this device, if any.
pub fn remembered() -> Option<Remembered> {
    storage::read(STORAGE_KEY).and_then(|text| Remembered::from_storage(&text))
}

/// Stores the settings when "remember" is ticked, and forgets them when it is not.
pub fn keep(backend: Backend, settings: &RemoteSettings) {
    storage::write(
        STORAGE_KEY,
        Remembered::to_storage(backend, settings).as_deref(),
    );
}
