//! Saving bytes as a file in the browser (a Blob behind a temporary link).

use js_sys::{Array, Uint8Array};
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// Offers `bytes` to the user as a download named `file_name`.
pub fn save(file_name: &str, media_type: &str, bytes: &[u8]) -> Result<(), String> {
    let parts = Array::new();
    parts.push(&Uint8Array::from(bytes));
    let options = BlobPropertyBag::new();
    options.set_type(media_type);
    let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|error| format!("the browser could not hold the file: {error:?}"))?;
    let url = Url::create_object_url_with_blob(&blob)
        .map_err(|error| format!("the browser could not link the file: {error:?}"))?;
    let document = leptos::prelude::document();
    let anchor: HtmlAnchorElement = document
        .create_element("a")
        .map_err(|error| format!("cannot create a link: {error:?}"))?
        .unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    let _ = Url::revoke_object_url(&url);
    Ok(())
}
