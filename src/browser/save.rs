//! Saving bytes as a file in the browser (a Blob behind a temporary link), and an SVG plot as
//! a PNG.

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

/// Offers an SVG plot as a PNG: the browser draws it on a canvas at twice its size.
pub fn save_svg_as_png(file_name: &str, svg: &str) -> Result<(), String> {
    use wasm_bindgen::prelude::*;
    use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlImageElement};

    let document = leptos::prelude::document();
    let image =
        HtmlImageElement::new().map_err(|error| format!("cannot create an image: {error:?}"))?;
    let canvas: HtmlCanvasElement = document
        .create_element("canvas")
        .map_err(|error| format!("cannot create a canvas: {error:?}"))?
        .unchecked_into();
    let name = file_name.to_string();
    let drawn = image.clone();
    let on_load = Closure::once_into_js(move || {
        let (width, height) = (
            drawn.natural_width().max(1) * 2,
            drawn.natural_height().max(1) * 2,
        );
        canvas.set_width(width);
        canvas.set_height(height);
        let context = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|context| context.dyn_into::<CanvasRenderingContext2d>().ok());
        if let Some(context) = context {
            let _ = context.draw_image_with_html_image_element_and_dw_and_dh(
                &drawn,
                0.0,
                0.0,
                f64::from(width),
                f64::from(height),
            );
            if let Ok(url) = canvas.to_data_url_with_type("image/png") {
                let anchor: Result<HtmlAnchorElement, _> = leptos::prelude::document()
                    .create_element("a")
                    .map(JsCast::unchecked_into);
                if let Ok(anchor) = anchor {
                    anchor.set_href(&url);
                    anchor.set_download(&name);
                    anchor.click();
                }
            }
        }
    });
    image.set_onload(Some(on_load.unchecked_ref()));
    let encoded = js_sys::encode_uri_component(svg);
    image.set_src(&format!("data:image/svg+xml;charset=utf-8,{encoded}"));
    Ok(())
}
