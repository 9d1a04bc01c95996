//! The Query view: the query editor.

use leptos::prelude::*;

/// The query the editor starts with: the Synthesize Bio baseline-model shape.
const STARTER_QUERY: &str = r#"{
  "sampling_strategy": "sample generation",
  "inputs": [
    {"metadata": {"tissue_ontology_id": "UBERON:0002107", "sex": "female", "sample_type": "primary tissue"},
     "num_samples": 5}
  ],
  "total_count": 10000000,
  "deterministic_latents": false,
  "seed": 11
}"#;

/// The query editor: a JSON view of the query.
#[component]
pub fn QueryPage() -> impl IntoView {
    let (query_text, set_query_text) = signal(STARTER_QUERY.to_string());
    view! {
        <section class="page" data-testid="page-query" aria-labelledby="query-title">
            <h1 id="query-title">"Query"</h1>
            <p class="lead">
                "Describe the conditions you want, with ontology ids, and how many samples of each."
            </p>
            <label class="field-label" for="query-json">"Query (JSON)"</label>
            <textarea
                id="query-json"
                class="code-editor"
                data-testid="query-json"
                spellcheck="false"
                rows="14"
                prop:value=query_text
                on:input=move |event| set_query_text.set(event_target_value(&event))
            ></textarea>
            <p class="hint">
                <span data-testid="query-size">{move || query_text.with(|text| text.len())}</span>
                " characters"
            </p>
        </section>
    }
}
