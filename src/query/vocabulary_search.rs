//! Search the selected model's vocabulary by label, synonym or id ("liver", "hela",
//! "imatinib", "TP53") and put a found term into the first condition of the query.

use leptos::prelude::*;

use super::edit::set_metadata;
use crate::state::AppState;

/// Most hits shown.
const MAX_HITS: usize = 12;

/// One search hit, owned so the view can keep it.
#[derive(Debug, Clone, PartialEq)]
struct Hit {
    key: String,
    id: String,
    label: String,
    matched: String,
}

/// The vocabulary search box and its results.
#[component]
pub fn VocabularySearch() -> impl IntoView {
    let state = expect_context::<AppState>();
    let text = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let hits = Memo::new(move |_| {
        let text = text.get();
        if text.trim().is_empty() {
            return Vec::new();
        }
        let Some(model) = state.model() else {
            return Vec::new();
        };
        model
            .engine
            .vocabulary()
            .search(None, &text, MAX_HITS)
            .into_iter()
            .map(|hit| Hit {
                key: hit.key.to_string(),
                id: hit.term.id.clone(),
                label: hit.term.label.clone(),
                matched: hit.matched.to_string(),
            })
            .collect::<Vec<_>>()
    });
    let use_hit =
        move |hit: Hit| match set_metadata(&state.query_text.get_untracked(), 0, &hit.key, &hit.id)
        {
            Ok(query) => {
                state.query_text.set(query);
                message.set(Some(format!(
                    "Set inputs[0].{} to {} ({}).",
                    hit.key, hit.id, hit.label
                )));
            }
            Err(error) => message.set(Some(error.to_string())),
        };
    view! {
        <section class="card vocab-search" aria-labelledby="vocab-title">
            <h2 id="vocab-title">"Find a term the model knows"</h2>
            <label class="field-label" for="vocab-text">"Tissue, cell type, cell line, compound, gene…"</label>
            <input
                id="vocab-text"
                type="search"
                data-testid="vocab-search"
                placeholder="liver, hela, imatinib, TP53"
                autocomplete="off"
                bind:value=text
            />
            <ul class="hits" data-testid="vocab-hits">
                <For each=move || hits.get() key=|hit| (hit.key.clone(), hit.id.clone()) let:hit>
                    {
                        let chosen = hit.clone();
                        view! {
                            <li>
                                <button
                                    class="hit"
                                    data-testid="vocab-hit"
                                    data-id=hit.id.clone()
                                    on:click=move |_| use_hit(chosen.clone())
                                >
                                    <span class="hit-label">{hit.label.clone()}</span>
                                    <code>{hit.id.clone()}</code>
                                    <span class="hit-key">{hit.key.clone()}</span>
                                    {(hit.matched != hit.label && hit.matched != hit.id)
                                        .then(|| view! { <span class="hit-matched">{format!("matched “{}”", hit.matched)}</span> })}
                                </button>
                            </li>
                        }
                    }
                </For>
            </ul>
            {move || message.get().map(|text| view! { <p class="hint" role="status">{text}</p> })}
        </section>
    }
}
