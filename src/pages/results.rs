//! The Results view: summary, downloads, metadata table and expression table of the last
//! generation.

use std::sync::Arc;

use leptos::prelude::*;

use crate::components::differential::Differential;
use crate::components::expression_table::ExpressionTable;
use crate::components::plots::ResultPlots;
use crate::download::save;
use crate::downloads::Download;
use crate::ground_truth::ground_truth_tsv;
use crate::route::Route;
use crate::state::{AppState, GenerationResult};

/// The result viewer; until something has been generated it explains how to get a result.
#[component]
pub fn ResultsPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <section class="page" data-testid="page-results" aria-labelledby="results-title">
            <h1 id="results-title">"Results"</h1>
            {move || match state.result.get() {
                None => view! {
                    <div class="empty-state" data-testid="results-empty">
                        <p>"Nothing generated yet."</p>
                        <p>
                            "Write or load a query in the "
                            <a href=Route::Query.href()>"Query"</a>
                            " view and press Generate: the summary, tables and downloads appear here."
                        </p>
                    </div>
                }
                .into_any(),
                Some(result) => view! { <ResultView result=result /> }.into_any(),
            }}
        </section>
    }
}

/// Everything shown for one result.
#[component]
fn ResultView(
    /// The result to show.
    result: Arc<GenerationResult>,
) -> impl IntoView {
    let matrix = &result.matrix;
    let provenance = &result.provenance;
    let warnings = provenance.warnings.clone();
    view! {
        <dl class="summary" data-testid="result-summary">
            <div><dt>"Samples"</dt><dd data-testid="summary-samples">{matrix.n_samples()}</dd></div>
            <div><dt>"Genes"</dt><dd data-testid="summary-genes">{matrix.n_genes()}</dd></div>
            <div><dt>"Model"</dt><dd>{format!("{} {}", provenance.model_id, provenance.model_version)}</dd></div>
            <div><dt>"Strategy"</dt><dd>{provenance.sampling_strategy.clone()}</dd></div>
            <div><dt>"Seed"</dt><dd data-testid="summary-seed">{provenance.seed}</dd></div>
            <div><dt>"Time"</dt><dd data-testid="summary-time">{format!("{:.0} ms", result.elapsed_ms)}</dd></div>
        </dl>
        {(!warnings.is_empty()).then(|| view! {
            <ul class="warnings" data-testid="result-warnings">
                {warnings.into_iter().map(|warning| view! { <li>{warning}</li> }).collect_view()}
            </ul>
        })}
        <Downloads result=result.clone() />
        <h2>"Plots"</h2>
        <ResultPlots result=result.clone() />
        <h2>"Differential expression"</h2>
        <Differential result=result.clone() />
        <h2>"Samples"</h2>
        <MetadataTable result=result.clone() />
        <h2>"Expression"</h2>
        <ExpressionTable result=result.clone() />
    }
}

/// One button per download format.
#[component]
fn Downloads(
    /// The result to save.
    result: Arc<GenerationResult>,
) -> impl IntoView {
    let failure = RwSignal::new(None::<String>);
    let state = expect_context::<AppState>();
    let truth_result = result.clone();
    let save_ground_truth = move |_| {
        let provenance = &truth_result.provenance;
        let model = state.models.with_untracked(|models| {
            models
                .iter()
                .find(|entry| entry.info.id == provenance.model_id)
                .cloned()
        });
        let outcome = model
            .ok_or_else(|| {
                format!(
                    "the model {} is not loaded in this page",
                    provenance.model_id
                )
            })
            .and_then(|model| ground_truth_tsv(&model, provenance))
            .and_then(|bytes| {
                let stamp = truth_result.finished_at.replace([':', '.'], "-");
                save(
                    &format!("{}_{stamp}.ground-truth.tsv", provenance.model_id),
                    "text/tab-separated-values",
                    &bytes,
                )
            });
        failure.set(outcome.err());
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
                            .and_then(|bytes| save(&name, download.media_type(), &bytes));
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

/// The per-sample metadata, inferred values marked.
#[component]
fn MetadataTable(
    /// The result whose samples are listed.
    result: Arc<GenerationResult>,
) -> impl IntoView {
    let samples = result.matrix.samples();
    let mut keys: Vec<String> = Vec::new();
    for sample in samples {
        for field in &sample.fields {
            if !keys.contains(&field.key) {
                keys.push(field.key.clone());
            }
        }
    }
    let header = keys.clone();
    let rows: Vec<_> = samples
        .iter()
        .map(|sample| {
            let cells: Vec<_> = keys
                .iter()
                .map(|key| {
                    let field = sample.fields.iter().find(|field| &field.key == key);
                    let value = field.map(|field| field.value.clone()).unwrap_or_default();
                    let inferred = field.is_some_and(|field| field.inferred);
                    view! {
                        <td class:inferred=inferred title=if inferred { "inferred from the training distribution" } else { "" }>
                            {value}
                        </td>
                    }
                })
                .collect();
            view! { <tr><th scope="row">{sample.sample_id.clone()}</th>{cells}</tr> }
        })
        .collect();
    view! {
        <div class="table-scroll" data-testid="metadata-table">
            <table>
                <thead>
                    <tr>
                        <th scope="col">"sample_id"</th>
                        {header.into_iter().map(|key| view! { <th scope="col">{key}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <p class="hint">"Values in italics were not given in the query: the model filled them in from its training distribution."</p>
    }
}
