//! The query's options: sampling strategy (only those the model supports), total_count and
//! deterministic_latents, each written straight into the JSON view.

use leptos::prelude::*;
use serde_json::Value;

use super::edit::{options, set_option};
use crate::state::AppState;

/// The options row.
#[component]
pub fn QueryOptions() -> impl IntoView {
    let state = expect_context::<AppState>();
    let current = Memo::new(move |_| options(&state.query_text.get()));
    let message = RwSignal::new(None::<String>);
    let apply = move |key: &str, value: Option<Value>| match set_option(
        &state.query_text.get_untracked(),
        key,
        value,
    ) {
        Ok(text) => {
            state.query_text.set(text);
            message.set(None);
        }
        Err(error) => message.set(Some(error.to_string())),
    };
    let strategies = move || {
        state
            .model()
            .map(|model| {
                model
                    .engine
                    .target()
                    .strategies
                    .iter()
                    .map(|strategy| strategy.as_str())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    view! {
        <div class="toolbar" role="group" aria-label="Options">
            <label class="inline-field">
                "Sampling strategy "
                <select
                    data-testid="strategy"
                    on:change=move |event| apply("sampling_strategy", Some(Value::from(event_target_value(&event))))
                >
                    {move || {
                        let chosen = current.get().map(|(strategy, _, _)| strategy).unwrap_or_default();
                        strategies()
                            .into_iter()
                            .map(|strategy| view! { <option value=strategy selected=strategy == chosen>{strategy}</option> })
                            .collect_view()
                    }}
                </select>
            </label>
            <label class="inline-field">
                "total_count "
                <input
                    type="number"
                    min="1"
                    data-testid="total-count"
                    placeholder="model default"
                    prop:value=move || current.get().map(|(_, total, _)| total).unwrap_or_default()
                    on:change=move |event| {
                        let text = event_target_value(&event);
                        match text.trim().parse::<f64>() {
                            Ok(total) if total > 0.0 => apply("total_count", Some(Value::from(total))),
                            _ if text.trim().is_empty() => apply("total_count", None),
                            _ => message.set(Some(format!("total_count must be a positive number, not {text:?}"))),
                        }
                    }
                />
            </label>
            <label class="inline-field">
                <input
                    type="checkbox"
                    data-testid="deterministic-latents"
                    prop:checked=move || current.get().is_some_and(|(_, _, deterministic)| deterministic)
                    on:change=move |event| apply("deterministic_latents", Some(Value::from(event_target_checked(&event))))
                />
                " deterministic_latents"
            </label>
        </div>
        {move || message.get().map(|text| view! { <p class="error-text" role="alert">{text}</p> })}
    }
}
