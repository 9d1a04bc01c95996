//! "Use as reference": one sample of the table, perturbation metadata (the perturbation's id
//! found with the model's vocabulary search, dose, time) and a number of samples; the worker
//! generates them by reference conditioning, the result goes to the result viewer, and this
//! view compares it with the reference (log2 fold change against mean, and the genes that
//! changed most).

use std::collections::BTreeMap;
use std::sync::Arc;

use leptos::prelude::*;
use synthome_analysis::{DeColumn, SortOrder};

use super::YourData;
use crate::backend::embedded::DataAnswer;
use crate::backend::embedded::protocol::ConditionRequest;
use crate::browser::random::random_seed;
use crate::generation::{Generation, keep_result};
use crate::results::differential::DeTable;
use crate::results::differential::compare::compare_with_reference;
use crate::route::Route;
use crate::state::AppState;

/// The key of the perturbation's id.
const PERTURBATION_KEY: &str = "perturbation_ontology_id";
/// Most vocabulary hits shown.
const MAX_HITS: usize = 8;
/// Most samples asked for at once.
const MAX_SAMPLES: u32 = 200;

/// The metadata of a conditioning run: the form's fields, empty ones left out.
pub fn perturbation_metadata(id: &str, dose: &str, time: &str) -> BTreeMap<String, String> {
    [
        (PERTURBATION_KEY, id),
        ("perturbation_dose", dose),
        ("perturbation_time", time),
    ]
    .into_iter()
    .filter(|(_, value)| !value.trim().is_empty())
    .map(|(key, value)| (key.to_owned(), value.trim().to_owned()))
    .collect()
}

/// The number of samples typed, checked.
pub fn sample_count(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n) if (2..=MAX_SAMPLES).contains(&n) => Ok(n),
        _ => Err(format!(
            "num_samples must be a whole number from 2 to {MAX_SAMPLES} (got {:?})",
            text.trim()
        )),
    }
}

/// The form, and the comparison of the last run with its reference.
#[component]
pub fn UseAsReference() -> impl IntoView {
    let data = expect_context::<YourData>();
    let generation = expect_context::<Generation>();
    let state = expect_context::<AppState>();
    let perturbation = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let dose = RwSignal::new(String::new());
    let time = RwSignal::new(String::new());
    let count = RwSignal::new("10".to_string());
    let hits = Memo::new(move |_| {
        let text = search.get();
        if text.trim().is_empty() {
            return Vec::new();
        }
        state.model().map_or_else(Vec::new, |model| {
            model
                .engine
                .vocabulary()
                .search(Some(PERTURBATION_KEY), &text, MAX_HITS)
                .into_iter()
                .map(|hit| (hit.term.id.clone(), hit.term.label.clone()))
                .collect::<Vec<_>>()
        })
    });
    let run = move |_| {
        let Some(backend) = generation.embedded() else {
            return;
        };
        let num_samples = match sample_count(&count.get_untracked()) {
            Ok(n) => n,
            Err(message) => {
                data.fail(message);
                return;
            }
        };
        let sample = data.selected.get_untracked();
        let reference_name = data
            .table
            .with_untracked(|table| table.as_ref().and_then(|t| t.samples.get(sample).cloned()))
            .unwrap_or_default();
        let request = ConditionRequest {
            sample,
            metadata: perturbation_metadata(
                &perturbation.get_untracked(),
                &dose.get_untracked(),
                &time.get_untracked(),
            ),
            num_samples,
            seed: random_seed(),
        };
        data.error.set(None);
        data.comparison.set(None);
        data.busy
            .set(Some("Generating samples conditioned on the reference…"));
        backend.condition_on(
            request,
            Box::new(move |answer| match answer {
                Ok(DataAnswer::Conditioned { result, reference }) => {
                    let result = Arc::new(*result);
                    match compare_with_reference(&result.matrix, &reference, &reference_name) {
                        Ok(comparison) => data.comparison.set(Some(comparison)),
                        Err(message) => data.error.set(Some(message)),
                    }
                    keep_result(state, result);
                    data.busy.set(None);
                }
                Ok(_) => data.fail("the worker answered with something else".into()),
                Err(error) => data.fail(error.to_string()),
            }),
        );
    };
    let sort = move |column: DeColumn| {
        data.comparison.update(|comparison| {
            if let Some(comparison) = comparison {
                let order = match column {
                    DeColumn::Symbol | DeColumn::GeneId => SortOrder::Ascending,
                    _ => SortOrder::Descending,
                };
                comparison.table.sort_by(column, order);
            }
        });
    };
    view! {
        <div class="reference-form">
            <label class="inline-field">
                "Reference sample "
                <select
                    data-testid="reference-sample"
                    on:change=move |event| {
                        if let Ok(index) = event_target_value(&event).parse() {
                            data.selected.set(index);
                        }
                    }
                    prop:value=move || data.selected.get().to_string()
                >
                    {move || data.table.get().map(|table| table.samples.into_iter().enumerate().map(|(index, name)| {
                        view! { <option value=index.to_string()>{name}</option> }
                    }).collect_view())}
                </select>
            </label>
            <label class="field-label" for="perturbation-search">"perturbation_ontology_id (search: compound, gene, …)"</label>
            <input id="perturbation-search" type="search" data-testid="perturbation-search" placeholder="imatinib, TP53" autocomplete="off" bind:value=search />
            <ul class="hits" data-testid="perturbation-hits">
                <For each=move || hits.get() key=|(id, _)| id.clone() let:hit>
                    {
                        let (id, label) = hit;
                        let chosen = id.clone();
                        view! {
                            <li>
                                <button class="hit" data-testid="perturbation-hit" data-id=id.clone() on:click=move |_| {
                                    perturbation.set(chosen.clone());
                                    search.set(String::new());
                                }>
                                    <span class="hit-label">{label}</span>
                                    <code>{id.clone()}</code>
                                </button>
                            </li>
                        }
                    }
                </For>
            </ul>
            <div class="toolbar">
                <label class="inline-field">"perturbation_ontology_id "<input data-testid="perturbation-id" bind:value=perturbation placeholder="none: the reference as it is" /></label>
                <label class="inline-field">"perturbation_dose "<input data-testid="perturbation-dose" bind:value=dose placeholder="10 uM" /></label>
                <label class="inline-field">"perturbation_time "<input data-testid="perturbation-time" bind:value=time placeholder="24 h" /></label>
                <label class="inline-field">"num_samples "<input type="number" min="2" max=MAX_SAMPLES data-testid="reference-count" bind:value=count /></label>
                <button data-testid="condition" on:click=run disabled=move || data.busy.get().is_some()>"Generate from the reference"</button>
            </div>
        </div>
        {move || data.comparison.get().map(|comparison| view! {
            <p class="hint" data-testid="reference-summary">
                {format!(
                    "{} generated samples; {} genes at least two-fold away from the reference. ",
                    comparison.table.n_test(),
                    comparison.n_significant
                )}
                <a href=Route::Results.href() data-testid="open-results">"Open the samples in the result viewer"</a>
            </p>
            <figure class="plot"><div class="plot-svg" inner_html=comparison.plot.clone()></div></figure>
            <DeTable comparison=comparison sort=sort />
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_leaves_out_empty_fields_and_checks_the_count() {
        let metadata = perturbation_metadata("CHEMBL941", " 10 uM ", "");
        assert_eq!(
            metadata.into_iter().collect::<Vec<_>>(),
            [
                ("perturbation_dose".to_string(), "10 uM".to_string()),
                (
                    "perturbation_ontology_id".to_string(),
                    "CHEMBL941".to_string()
                ),
            ]
        );
        assert_eq!(sample_count(" 12 "), Ok(12));
        assert!(sample_count("1").is_err());
        assert!(sample_count("many").is_err_and(|m| m.contains("\"many\"")));
    }
}
