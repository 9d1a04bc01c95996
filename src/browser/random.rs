//! Random numbers from the browser, for seeds the user did not choose.

use leptos::prelude::window;

/// A seed from the browser's cryptographic random source (falls back to the clock).
pub fn random_seed() -> u64 {
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
