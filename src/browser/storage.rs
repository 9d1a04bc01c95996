//! The browser's local storage, one text value per key; a browser that refuses storage (private
//! mode, disabled) simply remembers nothing.

use leptos::prelude::window;
use web_sys::Storage;

/// The text stored under `key`, if any.
pub fn read(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

/// Stores `text` under `key`, or removes the key when `text` is `None`.
pub fn write(key: &str, text: Option<&str>) {
    if let Some(storage) = local_storage() {
        let _ = match text {
            Some(text) => storage.set_item(key, text),
            None => storage.remove_item(key),
        };
    }
}

fn local_storage() -> Option<Storage> {
    window().local_storage().ok().flatten()
}
