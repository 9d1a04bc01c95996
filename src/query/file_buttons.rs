//! The query file buttons: export the query as a `.json` file and import one (a query, or a
//! result or provenance file whose query is taken). The formats are in [`super::file`].

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;

use super::file::{ImportedKind, export_name, export_text, import};
use crate::browser::save::save;
use crate::state::AppState;

/// Import and export of the query as a `.json` file.
#[component]
pub fn QueryFiles() -> impl IntoView {
    let state = expect_context::<AppState>();
    let message = RwSignal::new(None::<Result<String, String>>);
    let export = move |_| {
        let model = state.model().map_or_else(
            || state.selected_model.get_untracked(),
            |entry| entry.info.alias,
        );
        let stamp = String::from(js_sys::Date::new_0().to_iso_string());
        let name = export_name(&model, &stamp);
        let text = export_text(&state.query_text.get_untracked());
        message.set(Some(
            save(&name, "application/json", text.as_bytes()).map(|()| format!("Saved {name}.")),
        ));
    };
    let on_import = move |event: leptos::ev::Event| {
        let Some(input) = event
            .target()
            .and_then(|target| target.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        let name = file.name();
        let reading = JsFuture::from(file.text());
        input.set_value("");
        leptos::task::spawn_local(async move {
            let Some(text) = reading.await.ok().and_then(|text| text.as_string()) else {
                message.set(Some(Err(format!("the browser could not read {name}"))));
                return;
            };
            match import(&name, &text) {
                Ok(imported) => {
                    if let Some(model) = &imported.model {
                        state.selected_model.set(model.clone());
                    }
                    state.query_text.set(imported.query_text);
                    let what = match imported.kind {
                        ImportedKind::Query => format!("Imported the query from {name}."),
                        ImportedKind::Embedded => {
                            format!("Imported the query that produced {name}.")
                        }
                    };
                    message.set(Some(Ok(what)));
                }
                Err(error) => message.set(Some(Err(error.to_string()))),
            }
        });
    };
    view! {
        <div class="toolbar" role="group" aria-label="Query file">
            <button class="secondary" data-testid="export-query" on:click=export>"Export query (.json)"</button>
            <label class="file-button secondary">
                "Import query (.json)"
                <input type="file" accept=".json,application/json" data-testid="import-query" on:change=on_import />
            </label>
        </div>
        {move || message.get().map(|outcome| match outcome {
            Ok(text) => view! { <p class="hint" role="status" data-testid="query-file-message">{text}</p> }.into_any(),
            Err(text) => view! { <p class="error-text" role="alert" data-testid="query-file-message">{text}</p> }.into_any(),
        })}
    }
}
