//! Downloading a model bundle with progress. It stays on XMLHttpRequest (not `gloo-net`, which
//! the remote API client uses) because the model picker shows a progress bar for the ~100 MB
//! bundles: XHR's `progress` events report bytes received as they arrive, which `fetch` gives
//! only through a `ReadableStream` reader loop and a copy per chunk.

use std::rc::Rc;

use js_sys::{ArrayBuffer, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ProgressEvent, XmlHttpRequest, XmlHttpRequestResponseType};

/// Fetches `url` as bytes; `on_progress(received, total)` as bytes arrive (`total` 0 when the
/// server does not say).
pub async fn fetch_bytes(url: &str, on_progress: Rc<dyn Fn(f64, f64)>) -> Result<Vec<u8>, String> {
    let request =
        XmlHttpRequest::new().map_err(|_| "this browser cannot make requests".to_string())?;
    request
        .open("GET", url)
        .map_err(|error| format!("cannot request {url}: {error:?}"))?;
    request.set_response_type(XmlHttpRequestResponseType::Arraybuffer);
    let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |event: ProgressEvent| {
        let total = if event.length_computable() {
            event.total()
        } else {
            0.0
        };
        on_progress(event.loaded(), total);
    });
    request.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    let done_request = request.clone();
    let finished = Promise::new(&mut |resolve, reject| {
        let on_load = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let on_error = Closure::once_into_js(move || {
            let _ = reject.call0(&JsValue::NULL);
        });
        done_request.set_onload(Some(on_load.unchecked_ref()));
        done_request.set_onerror(Some(on_error.unchecked_ref()));
    });
    request
        .send()
        .map_err(|error| format!("cannot request {url}: {error:?}"))?;
    let outcome = JsFuture::from(finished).await;
    drop(progress);
    outcome.map_err(|_| format!("the download of {url} failed (network error)"))?;
    let status = request.status().unwrap_or(0);
    if status != 200 {
        return Err(format!(
            "the download of {url} failed with HTTP status {status}"
        ));
    }
    let body: ArrayBuffer = request
        .response()
        .ok()
        .and_then(|response| response.dyn_into().ok())
        .ok_or_else(|| format!("the download of {url} returned no data"))?;
    Ok(Uint8Array::new(&body).to_vec())
}
