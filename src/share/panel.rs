//! The Share panel and notice: the link to the current query (with the note on its seed) and
//! what became of the share link the page was opened with.

use leptos::prelude::*;

use super::{LinkOutcome, SeedSource, SharedQuery, link_query, seed_of, share_url};
use crate::browser::clipboard::copy_text;
use crate::state::{AppState, LoadStatus};

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
                let seed = seed_of(&shared.query_json);
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

/// The share link, followed by `children` (the query file and code tools).
#[component]
pub fn SharePanel(
    /// What the panel shows below the link.
    children: Children,
) -> impl IntoView {
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
            {children()}
        </section>
    }
}
