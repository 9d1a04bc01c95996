//! Sharing the query: the share link (and opening one), "copy as code" for Python, R and curl,
//! and import / export as a `.json` file. The logic is in [`crate::share`],
//! [`crate::code_snippets`] and [`crate::query_file`]; this only wires it to the page.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;

use crate::code_snippets::{Language, SnippetTarget, snippet};
use crate::download::save;
use crate::query_edit::pretty;
use crate::query_file::{ImportedKind, export_name, export_text, import};
use crate::remote::settings::Backend;
use crate::share::{LinkOutcome, SeedSource, SharedQuery, decode_fragment, link_query, share_url};
use crate::state::{AppState, LoadStatus};

/// Loads the share link in the page's URL into the editor, now and whenever the fragment
/// changes to another link (a link pasted into the same tab). A link is loaded once: going
/// back to it in the history keeps the edits made since.
pub fn follow_share_links(state: AppState) {
    let applied = StoredValue::new(String::new());
    let apply = move |fragment: String| {
        if applied.with_value(|last| *last == fragment) {
            return;
        }
        match decode_fragment(&fragment) {
            Ok(None) => return,
            Ok(Some(shared)) => {
                state.selected_model.set(shared.model.clone());
                state
                    .query_text
                    .set(pretty(&shared.query_json).unwrap_or_else(|_| shared.query_json.clone()));
                state.link.set(Some(LinkOutcome::Loaded(shared)));
            }
            Err(error) => state.link.set(Some(LinkOutcome::Damaged(error))),
        }
        applied.set_value(fragment);
    };
    apply(window().location().hash().unwrap_or_default());
    let handle = window_event_listener(leptos::ev::hashchange, move |_| {
        apply(window().location().hash().unwrap_or_default());
    });
    on_cleanup(move || handle.remove());
}

/// What happened to the share link the page was opened with.
#[component]
pub fn SharedLinkNotice() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let outcome = state.link.get()?;
        Some(match outcome {
            LinkOutcome::Damaged(error) => view! {
                <p class="notice error-text" role="alert" data-testid="share-link-error">{error.to_string()}</p>
            }
            .into_any(),
            LinkOutcome::Loaded(shared) => {
                let seed = crate::share::seed_of(&shared.query_json);
                let model = state.model();
                let mut text = match seed {
                    Some(seed) => format!(
                        "Loaded a shared query for {} with seed {seed}: press Generate to reproduce its data.",
                        shared.model
                    ),
                    None => format!(
                        "Loaded a shared query for {}. It has no seed, so each run gives new data.",
                        shared.model
                    ),
                };
                match (&model, &shared.model_version) {
                    (Some(model), Some(version)) if &model.info.version != version => {
                        text.push_str(&format!(
                            " The link was made with version {version} of the model; this app has {}, so the data may differ.",
                            model.info.version
                        ));
                    }
                    (None, _) if state.loading.get() == LoadStatus::Ready => {
                        text.push_str(" This app has no such model: choose one in the model picker.");
                    }
                    _ => {}
                }
                view! { <p class="notice" role="status" data-testid="share-link-loaded">{text}</p> }.into_any()
            }
        })
    }
}

/// The share link, the query as code, and import / export.
#[component]
pub fn SharePanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let link = Memo::new(move |_| {
        let query = state.query_text.get();
        let (model, version) = match state.model() {
            Some(entry) => (entry.info.alias, Some(entry.info.version)),
            None => (state.selected_model.get(), None),
        };
        let last = state.result.get();
        let last_run = last.as_ref().map(|result| {
            (
                result.provenance.query_json.as_str(),
                result.provenance.seed,
            )
        });
        let (query_json, seed) = link_query(&query, last_run).map_err(|error| error.to_string())?;
        let page = window().location().href().unwrap_or_default();
        let shared = SharedQuery {
            model,
            model_version: version,
            query_json,
        };
        share_url(&page, &shared)
            .map(|url| (url, seed))
            .map_err(|error| error.to_string())
    });
    let link_status = RwSignal::new(None::<String>);
    let copy_link = move |_| {
        if let Ok((url, _)) = link.get_untracked() {
            copy_text(url, link_status);
        }
    };
    view! {
        <section class="card share-panel" aria-labelledby="share-title">
            <h2 id="share-title">"Share"</h2>
            {move || match link.get() {
                Err(message) => view! { <p class="error-text" data-testid="share-unavailable">{message}</p> }.into_any(),
                Ok((url, seed)) => {
                    let length = url.len();
                    let note = match seed {
                        SeedSource::Query(seed) => format!("Opening it loads this query with seed {seed}, which reproduces the same data."),
                        SeedSource::LastResult(seed) => format!("The link fixes seed {seed}, the one your last run used, so it reproduces that data."),
                        SeedSource::Unset => "The query has no seed, so the link gives new data each time: press New seed (or generate first) to fix one.".to_string(),
                    };
                    view! {
                        <label class="field-label" for="share-link">"Link to this query"</label>
                        <div class="copy-row">
                            <input id="share-link" type="text" readonly data-testid="share-link" prop:value=url data-length=length.to_string() />
                            <button class="secondary" data-testid="copy-link" on:click=copy_link>"Copy link"</button>
                        </div>
                        <p class="hint" data-testid="share-seed-note">{format!("{note} {length} characters; the API key is never included.")}</p>
                    }
                    .into_any()
                }
            }}
            {move || link_status.get().map(|text| view! { <p class="hint" role="status">{text}</p> })}
            <QueryFiles />
            <CopyAsCode />
        </section>
    }
}

/// Import and export of the query as a `.json` file.
#[component]
fn QueryFiles() -> impl IntoView {
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

/// The query as Python, R or curl, with a Copy button.
#[component]
fn CopyAsCode() -> impl IntoView {
    let state = expect_context::<AppState>();
    let language = RwSignal::new(Language::Python);
    let status = RwSignal::new(None::<String>);
    let code = Memo::new(move |_| {
        let query = state.query_text.get();
        let model = state
            .model()
            .map_or_else(|| state.selected_model.get(), |entry| entry.info.alias);
        let base = (state.backend.get() == Backend::Remote)
            .then(|| state.remote.with(|remote| remote.base().ok()))
            .flatten();
        let target = SnippetTarget {
            model_id: &model,
            base_url: base.as_deref(),
        };
        snippet(language.get(), &query, &target).map_err(|error| error.to_string())
    });
    let copy = move |_| {
        if let Ok(text) = code.get_untracked() {
            copy_text(text, status);
        }
    };
    view! {
        <h3 id="code-title">"Copy as code"</h3>
        <p class="hint">
            "The same query for the official clients or curl. The key is read from SYNTHESIZE_API_KEY, never written into the code."
        </p>
        <div class="tabs" role="tablist" aria-labelledby="code-title">
            {Language::ALL
                .into_iter()
                .map(|choice| {
                    view! {
                        <button
                            role="tab"
                            class="tab"
                            data-testid=format!("code-tab-{}", choice.slug())
                            aria-selected=move || (language.get() == choice).to_string()
                            on:click=move |_| {
                                language.set(choice);
                                status.set(None);
                            }
                        >
                            {choice.label()}
                        </button>
                    }
                })
                .collect_view()}
        </div>
        {move || match code.get() {
            Ok(text) => view! {
                <pre class="code-snippet" tabindex="0" role="tabpanel" data-testid="code-snippet" data-language=language.get().slug()>
                    <code>{text}</code>
                </pre>
            }
            .into_any(),
            Err(message) => view! { <p class="error-text" data-testid="code-snippet-error">{message}</p> }.into_any(),
        }}
        <div class="toolbar">
            <button class="secondary" data-testid="copy-code" on:click=copy disabled=move || code.with(Result::is_err)>
                "Copy code"
            </button>
            {move || status.get().map(|text| view! { <span class="hint" role="status" data-testid="copy-status">{text}</span> })}
        </div>
    }
}

/// Puts `text` on the clipboard; says whether it worked, or how to copy by hand.
fn copy_text(text: String, status: RwSignal<Option<String>>) {
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
