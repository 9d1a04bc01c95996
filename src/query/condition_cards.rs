//! The query's conditions as cards: one field per metadata key the model knows (a list for
//! short enumerations, a search-as-you-type box over the vocabulary for ontology ids), the
//! sample count, add / duplicate / remove, and each validation error under its field. Every
//! edit rewrites the JSON view, which stays the one source of truth.

use leptos::prelude::*;
use synthome_query::QueryErrors;
use synthome_vocab::KeyDomain;

use super::edit::{
    EditError, add_input, conditions, remove_input, remove_metadata, set_metadata, set_num_samples,
};
use crate::state::AppState;

/// Enumerations up to this size are shown as a list; larger ones as a search box.
const MAX_LISTED: usize = 12;
/// Suggestions offered while typing in a search box.
const MAX_SUGGESTIONS: usize = 15;

/// The condition cards for the current query.
#[component]
pub fn ConditionCards(
    /// The current validation problems, shown under their fields.
    problems: Memo<Option<QueryErrors>>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let message = RwSignal::new(None::<String>);
    let apply = move |edit: Result<String, EditError>| match edit {
        Ok(text) => {
            state.query_text.set(text);
            message.set(None);
        }
        Err(error) => message.set(Some(error.to_string())),
    };
    let shown = Memo::new(move |_| conditions(&state.query_text.get()));
    view! {
        <section class="conditions" aria-label="Conditions">
            {move || match shown.get() {
                None => view! {
                    <p class="hint">"The cards appear when the JSON below is a query object with an inputs list."</p>
                }
                .into_any(),
                Some(list) => list
                    .into_iter()
                    .enumerate()
                    .map(|(index, condition)| view! { <ConditionCard index=index condition=condition problems=problems apply=apply /> })
                    .collect_view()
                    .into_any(),
            }}
            <button class="secondary" data-testid="add-condition" on:click=move |_| apply(add_input(&state.query_text.get_untracked(), None))>
                "Add a condition"
            </button>
            {move || message.get().map(|text| view! { <p class="error-text" role="alert">{text}</p> })}
        </section>
    }
}

/// One condition.
#[component]
fn ConditionCard(
    /// Position in `inputs`.
    index: usize,
    /// What it holds now.
    condition: super::edit::ConditionView,
    /// Validation problems.
    problems: Memo<Option<QueryErrors>>,
    /// Applies an edit of the query text.
    apply: impl Fn(Result<String, EditError>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let text = move || state.query_text.get_untracked();
    let model = state.model();
    let mut keys: Vec<String> = model
        .as_ref()
        .map(|model| {
            model
                .engine
                .vocabulary()
                .keys()
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    for (key, _) in &condition.metadata {
        if !keys.contains(key) {
            keys.push(key.clone());
        }
    }
    let fields = keys
        .into_iter()
        .map(|key| {
            let value = condition.metadata.iter().find(|(known, _)| *known == key).map(|(_, value)| value.clone());
            view! { <ConditionField index=index key=key value=value problems=problems apply=apply /> }
        })
        .collect_view();
    view! {
        <article class="card condition" data-testid="condition-card">
            <header class="toolbar">
                <h3>{format!("Condition {}", index + 1)}</h3>
                <label class="inline-field">
                    "samples "
                    <input
                        type="number"
                        min="1"
                        data-testid="num-samples"
                        value=condition.num_samples.clone()
                        on:change=move |event| {
                            let wanted = event_target_value(&event).trim().parse::<u64>();
                            match wanted {
                                Ok(count) => apply(set_num_samples(&text(), index, count)),
                                Err(_) => apply(Err(EditError::NotJson("num_samples must be a whole number".into()))),
                            }
                        }
                    />
                </label>
                <button class="secondary small" data-testid="duplicate-condition" on:click=move |_| apply(add_input(&text(), Some(index)))>
                    "Duplicate"
                </button>
                <button class="secondary small" data-testid="remove-condition" on:click=move |_| apply(remove_input(&text(), index))>
                    "Remove"
                </button>
            </header>
            <FieldErrors index=index key=None problems=problems />
            <div class="condition-fields">{fields}</div>
        </article>
    }
}

/// One metadata key of one condition.
#[component]
fn ConditionField(
    /// Position in `inputs`.
    index: usize,
    /// The metadata key.
    key: String,
    /// Its value in the query, if set.
    value: Option<String>,
    /// Validation problems.
    problems: Memo<Option<QueryErrors>>,
    /// Applies an edit of the query text.
    apply: impl Fn(Result<String, EditError>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let field_id = format!("input{index}-{key}");
    let change_key = key.clone();
    let on_change = move |new_value: String| {
        let text = state.query_text.get_untracked();
        if new_value.trim().is_empty() {
            apply(remove_metadata(&text, index, &change_key));
        } else {
            apply(set_metadata(&text, index, &change_key, new_value.trim()));
        }
    };
    let model = state.model();
    let domain = model
        .as_ref()
        .and_then(|model| model.engine.vocabulary().domain(&key).cloned());
    let current = value.clone().unwrap_or_default();
    let control = match domain {
        Some(KeyDomain::Terms(index_of_terms)) if index_of_terms.len() <= MAX_LISTED => {
            let options = index_of_terms
                .terms()
                .iter()
                .map(|term| {
                    let selected = term.id == current;
                    view! { <option value=term.id.clone() selected=selected>{term.label.clone()}</option> }
                })
                .collect_view();
            view! {
                <select id=field_id.clone() data-key=key.clone() on:change=move |event| on_change(event_target_value(&event))>
                    <option value="" selected=current.is_empty()>"(not set: inferred)"</option>
                    {options}
                </select>
            }
            .into_any()
        }
        Some(KeyDomain::Terms(_)) => {
            let typed = RwSignal::new(current.clone());
            let list_id = format!("{field_id}-options");
            let search_key = key.clone();
            let suggestions = move || {
                let text = typed.get();
                state
                    .model()
                    .map(|model| {
                        model
                            .engine
                            .vocabulary()
                            .search(Some(&search_key), &text, MAX_SUGGESTIONS)
                            .into_iter()
                            .map(|hit| view! { <option value=hit.term.id.clone()>{suggestion_text(hit.term)}</option> })
                            .collect_view()
                    })
            };
            view! {
                <input
                    id=field_id.clone()
                    type="text"
                    data-key=key.clone()
                    list=list_id.clone()
                    placeholder="type a name or id"
                    autocomplete="off"
                    value=current.clone()
                    on:input=move |event| typed.set(event_target_value(&event))
                    on:change=move |event| on_change(event_target_value(&event))
                />
                <datalist id=list_id>{suggestions}</datalist>
            }
            .into_any()
        }
        _ => view! {
            <input
                id=field_id.clone()
                type="text"
                data-key=key.clone()
                placeholder=if domain_is_known(&state, &key) { "not set: inferred" } else { "not modelled: remove it" }
                value=current.clone()
                on:change=move |event| on_change(event_target_value(&event))
            />
        }
        .into_any(),
    };
    let label_id = field_id.clone();
    view! {
        <div class="condition-field">
            <label for=label_id>{key.clone()}</label>
            {control}
            <FieldErrors index=index key=Some(key) problems=problems />
        </div>
    }
}

/// A suggestion's text: the term's label, and the tissues that have it when the model lists
/// them (single-cell cell types).
fn suggestion_text(term: &synthome_vocab::Term) -> String {
    match term.tissues() {
        Some(tissues) => format!("{} (in {tissues})", term.label),
        None => term.label.clone(),
    }
}

fn domain_is_known(state: &AppState, key: &str) -> bool {
    state
        .model()
        .is_some_and(|model| model.engine.vocabulary().domain(key).is_some())
}

/// The validation errors of one input (and key), each as its one-line message.
#[component]
fn FieldErrors(
    /// Position in `inputs`.
    index: usize,
    /// The key, or `None` for errors about the input as a whole.
    key: Option<String>,
    /// Validation problems.
    problems: Memo<Option<QueryErrors>>,
) -> impl IntoView {
    move || {
        problems.with(|problems| {
            problems.as_ref().map(|errors| {
                errors
                    .0
                    .iter()
                    .filter(|error| error.input == Some(index))
                    .filter(|error| match &key {
                        Some(key) => error.key.as_deref() == Some(key.as_str()),
                        None => error.key.as_deref().is_none_or(|known| known == "num_samples"),
                    })
                    .map(|error| view! { <p class="field-error" data-testid="field-error">{error.to_string()}</p> })
                    .collect_view()
            })
        })
    }
}
