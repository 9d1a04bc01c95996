//! The download buttons of a result: one per file format ([`super::downloads`]), and the
//! ground truth, which the worker computes on demand ([`super::ground_truth`]).

use std::sync::Arc;

use leptos::prelude::*;

use super::downloads::{Download, file_stem};
use super::ground_truth::{ground_truth_tsv, truth_query};
use crate::backend::GenerationResult;
use crate::backend::embedded::TruthOutcome;
use crate::browser::save::save;
use crate::generation::Generation;
use crate::state::AppState;

/// One button per download format.
#[component]
pub fn Downloads(
    /// The result to save.
    result: Arc<GenerationResult>,
) -> impl IntoView {
    let failure = RwSignal::new(None::<String>);
    let state = expect_context::<AppState>();
    let generation = expect_context::<Generation>();
    let truth_result = result.clone();
    let save_ground_truth = move |_| {
        let result = truth_result.clone();
        let provenance = &result.provenance;
        let loaded = state
            .models
            .with_untracked(|models| models.get(&provenance.model_id).is_ok());
        let (Some(embedded), true) = (generation.embedded(), loaded) else {
            failure.set(Some(format!(
                "the model {} is not loaded in this page",
                provenance.model_id
            )));
            return;
        };
        let query = match truth_query(provenance) {
            Ok(query) => query,
            Err(message) => {
                failure.set(Some(message));
                return;
            }
        };
        let model_id = provenance.model_id.clone();
        let seed = provenance.seed;
        let done = Box::new(move |outcome: TruthOutcome| {
            let provenance = &result.provenance;
            let saved = outcome
                .map_err(|error| error.to_string())
                .and_then(|(truth, _)| ground_truth_tsv(&truth, provenance))
                .and_then(|bytes| {
                    let stem = file_stem(&provenance.model_id, &result.finished_at);
                    save(
                        &format!("{stem}.ground-truth.tsv"),
                        "text/tab-separated-values",
                        &bytes,
                    )
                });
            failure.set(saved.err());
        });
        embedded.run_ground_truth(&model_id, &query, seed, done);
    };
    view! {
        <div class="downloads" role="group" aria-label="Downloads">
            {Download::ALL
                .into_iter()
                .map(|download| {
                    let result = result.clone();
                    let on_click = move |_| {
                        let name = download.file_name(&result.provenance.model_id, &result.finished_at);
                        let outcome = download
                            .write(&result.matrix, &result.provenance, &name)
                            .map_err(|error| error.to_string())
                            .and_then(|bytes| save(&name, download.file().media_type(), &bytes));
                        failure.set(outcome.err());
                    };
                    view! {
                        <button class="secondary" data-testid=format!("download-{}", download.slug()) on:click=on_click>
                            {download.label()}
                        </button>
                    }
                })
                .collect_view()}
            <button
                class="secondary"
                data-testid="download-ground-truth"
                title="Each condition's expected log2(CPM + 1): the truth to benchmark methods against"
                on:click=save_ground_truth
            >
                "Ground truth (expected expression)"
            </button>
        </div>
        {move || failure.get().map(|message| view! { <p class="error-text" role="alert">{message}</p> })}
    }
}
