//! The Results view: summary, downloads, metadata table and expression table of the last
//! generation.

use std::sync::Arc;

use leptos::prelude::*;

use crate::backend::GenerationResult;
use crate::results::differential::Differential;
use crate::results::download_buttons::Downloads;
use crate::results::expression_table::ExpressionTable;
use crate::results::metadata_table::MetadataTable;
use crate::results::overview::ResultOverview;
use crate::results::plots::ResultPlots;
use crate::route::Route;
use crate::state::AppState;

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
                Some(result) => view! { <ResultView result=result overview=state.overview.into() /> }.into_any(),
            }}
        </section>
    }
}

/// Everything shown for one result.
#[component]
fn ResultView(
    /// The result to show.
    result: Arc<GenerationResult>,
    /// Its overview for the plots, `None` while it is computed.
    overview: Signal<Option<Arc<ResultOverview>>>,
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
        <ResultPlots result=result.clone() overview=overview />
        <h2>"Differential expression"</h2>
        <Differential result=result.clone() />
        <h2>"Samples"</h2>
        <MetadataTable result=result.clone() />
        <h2>"Expression"</h2>
        <ExpressionTable result=result.clone() />
    }
}
