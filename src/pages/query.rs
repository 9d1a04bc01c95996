//! The Query view: model picker, backend settings, the query as editable JSON with live
//! validation, the Generate / Cancel controls, sharing (link, code, file) and a vocabulary
//! search that inserts terms.

use leptos::prelude::*;
use synthome_query::QueryErrors;

use crate::backend::Backend;
use crate::generation::Generation;
use crate::model_loading::{ON_DEMAND, on_demand_model};
use crate::query::backend_settings::RemoteSettingsPanel;
use crate::query::condition_cards::ConditionCards;
use crate::query::copy_as_code::CopyAsCode;
use crate::query::edit::{pretty, set_seed};
use crate::query::file_buttons::QueryFiles;
use crate::query::options::QueryOptions;
use crate::query::validation::{problems_of, validate_query};
use crate::query::vocabulary_search::VocabularySearch;
use crate::share::panel::{SharePanel, SharedLinkNotice};
use crate::state::{AppState, LoadStatus, RunStatus};

/// The query the editor starts with: the Synthesize Bio baseline-model shape.
pub const STARTER_QUERY: &str = r#"{
  "inputs": [
    {
      "metadata": {
        "sample_type": "primary tissue",
        "sex": "female",
        "tissue_ontology_id": "UBERON:0002107"
      },
      "num_samples": 5
    }
  ],
  "sampling_strategy": "sample generation",
  "seed": 11
}"#;

/// The query editor.
#[component]
pub fn QueryPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let generation = expect_context::<Generation>();
    let validation = validate_query(state);
    let problems = problems_of(validation);
    let edit_message = RwSignal::new(None::<String>);
    let load_example = move |_| {
        if let Some(model) = state.model() {
            let example = model.engine.example_query();
            state.query_text.set(pretty(&example).unwrap_or(example));
            edit_message.set(None);
        }
    };
    let new_seed = move |_| {
        let seed = js_sys::Math::random() * 1e9;
        match set_seed(&state.query_text.get_untracked(), seed as u64) {
            Ok(text) => {
                state.query_text.set(text);
                edit_message.set(None);
            }
            Err(error) => edit_message.set(Some(error.to_string())),
        }
    };
    // The page is ready and the chosen model has arrived (an on-demand one loads when chosen).
    let ready = move || state.loading.get() == LoadStatus::Ready && state.model().is_some();
    let running = move || {
        matches!(
            state.run.get(),
            RunStatus::Running { .. } | RunStatus::Remote(_)
        )
    };
    let remote = move || state.backend.get() == Backend::Remote;
    // The remote server validates for itself (its vocabulary may differ from the embedded one).
    let can_generate =
        move || !running() && (remote() || (ready() && problems.with(Option::is_none)));

    view! {
        <section class="page" data-testid="page-query" aria-labelledby="query-title">
            <h1 id="query-title">"Query"</h1>
            <p class="lead">
                "Describe the conditions you want, with ontology ids, and how many samples of each. "
                "The model accepts only the values it was built from; search its vocabulary below."
            </p>
            <SharedLinkNotice />
            <ModelStatus />
            <div class="toolbar">
                <label class="inline-field">
                    "Model "
                    <select
                        data-testid="model-picker"
                        on:change=move |event| state.selected_model.set(event_target_value(&event))
                        prop:value=move || {
                            state
                                .model()
                                .map_or_else(|| state.selected_model.get(), |entry| entry.info.id)
                        }
                    >
                        {move || {
                            let models = state.models.get();
                            let loaded = models.entries().iter().map(|entry| {
                                let label = format!("{} ({})", entry.info.id, entry.info.alias);
                                (entry.info.id.clone(), label)
                            });
                            let to_load = ON_DEMAND
                                .into_iter()
                                .filter(|shipped| models.get(shipped.id).is_err())
                                .map(|shipped| {
                                    let label =
                                        format!("{} ({}), loads when chosen", shipped.id, shipped.alias);
                                    (shipped.id.to_string(), label)
                                });
                            loaded
                                .chain(to_load)
                                .map(|(id, label)| view! { <option value=id>{label}</option> })
                                .collect_view()
                        }}
                    </select>
                </label>
                <button class="secondary" data-testid="load-example" on:click=load_example disabled=move || !ready()>
                    "Load example query"
                </button>
                <button class="secondary" data-testid="new-seed" on:click=new_seed>
                    "New seed"
                </button>
            </div>
            <RemoteSettingsPanel />
            <QueryOptions />
            <h2>"Conditions"</h2>
            <ConditionCards problems=problems />
            <label class="field-label" for="query-json">"Query (JSON)"</label>
            <textarea
                id="query-json"
                class="code-editor"
                data-testid="query-json"
                spellcheck="false"
                rows="18"
                aria-describedby="query-problems"
                bind:value=state.query_text
            ></textarea>
            {move || edit_message.get().map(|message| view! { <p class="error-text" role="alert">{message}</p> })}
            <QueryProblems problems=problems />
            <div class="toolbar">
                <button
                    data-testid="generate"
                    on:click=move |_| generation.generate(state, validation.get_untracked())
                    disabled=move || !can_generate()
                >
                    {move || if remote() { "Generate on the server" } else { "Generate" }}
                </button>
                <Show when=running>
                    <button class="secondary" data-testid="cancel" on:click=move |_| generation.cancel(state)>
                        "Cancel"
                    </button>
                </Show>
                <RunProgress />
            </div>
            <Show when=move || remote() && problems.with(Option::is_some)>
                <p class="hint" data-testid="remote-validation-note">
                    "The embedded model's checks above may not apply to the remote server's model; the server validates the query itself."
                </p>
            </Show>
            <SharePanel>
                <QueryFiles />
                <CopyAsCode />
            </SharePanel>
            <VocabularySearch />
        </section>
    }
}

/// Download progress or failure of the embedded models.
#[component]
fn ModelStatus() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        // An on-demand model, once chosen, reports its own download.
        let selected = state.selected_model.get();
        let shipped = on_demand_model(&selected);
        let on_demand = shipped.and_then(|shipped| {
            state.on_demand.with(|loads| {
                loads
                    .iter()
                    .find(|load| load.id == shipped.id)
                    .map(|load| load.status.clone())
            })
        });
        match on_demand.unwrap_or_else(|| state.loading.get()) {
        LoadStatus::Downloading { received, total } => {
            let percent = if total > 0.0 { (received / total * 100.0).round() } else { 0.0 };
            view! {
                <div class="status" data-testid="model-loading">
                    <span>{format!("Loading {}… {:.1} MB", if shipped.is_some() { selected.as_str() } else { "the embedded model" }, received / 1e6)}</span>
                    <progress max="100" value=percent aria-label="model download"></progress>
                </div>
            }
            .into_any()
        }
        LoadStatus::Ready => view! {
            <p class="status ok" data-testid="model-ready">
                {move || state.model().map(|model| format!("{} {} is ready, running in your browser.", model.info.id, model.info.version))}
            </p>
        }
        .into_any(),
        LoadStatus::Failed(message) => view! {
            <p class="status error-text" role="alert" data-testid="model-failed">{message}</p>
        }
        .into_any(),
    }
    }
}

/// Every problem of the query, one per line, as the query crate words them.
#[component]
fn QueryProblems(
    /// The current problems, `None` when the query is valid (or no model is loaded yet).
    problems: Memo<Option<QueryErrors>>,
) -> impl IntoView {
    view! {
        <div id="query-problems" aria-live="polite">
            {move || match problems.get() {
                None => view! { <p class="status ok" data-testid="query-valid">"The query is valid for this model."</p> }.into_any(),
                Some(errors) => view! {
                    <ul class="problems" data-testid="query-problems">
                        {errors
                            .0
                            .iter()
                            .map(|error| {
                                let key = error.key.clone().unwrap_or_default();
                                view! { <li data-testid="query-error" data-key=key>{error.to_string()}</li> }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any(),
            }}
        </div>
    }
}

/// Progress of a running generation and the outcome of the last one.
#[component]
fn RunProgress() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        match state.run.get() {
        RunStatus::Idle => ().into_any(),
        RunStatus::Running { done, total } => view! {
            <span class="status" data-testid="run-progress">
                <progress max=total.max(1) value=done aria-label="generation progress"></progress>
                {format!(" {done} of {total} samples")}
            </span>
        }
        .into_any(),
        RunStatus::Invalid(errors) => view! {
            <span class="error-text" role="alert">{format!("Not run: {} problem(s) in the query.", errors.0.len())}</span>
        }
        .into_any(),
        RunStatus::Failed(message) => view! { <span class="error-text" role="alert" data-testid="run-failed">{message}</span> }.into_any(),
        RunStatus::Cancelled => view! { <span class="status" data-testid="run-cancelled">"Cancelled."</span> }.into_any(),
        RunStatus::Remote(text) => view! { <span class="status" role="status" data-testid="remote-progress">{text}</span> }.into_any(),
    }
    }
}
