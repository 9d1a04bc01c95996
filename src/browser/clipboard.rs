//! Copying text to the clipboard, with a way out when the browser does not allow it.

use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// Puts `text` on the clipboard; says in `status` whether it worked, or how to copy by hand.
pub fn copy_text(text: String, status: RwSignal<Option<String>>) {
    let navigator = window().navigator();
    let has_clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into())
        .is_ok_and(|clipboard| !clipboard.is_undefined() && !clipboard.is_null());
    let manual =
        "This browser does not allow copying here: select the text and press Ctrl+C (⌘C on a Mac).";
    if !has_clipboard {
        status.set(Some(manual.into()));
        return;
    }
    let writing = JsFuture::from(navigator.clipboard().write_text(&text));
    leptos::task::spawn_local(async move {
        status.set(Some(match writing.await {
            Ok(_) => "Copied.".into(),
            Err(_) => manual.into(),
        }));
    });
}
