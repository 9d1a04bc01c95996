//! The Results view: summary, tables and plots of the last generation.

use leptos::prelude::*;

use crate::route::Route;

/// The result viewer; until something has been generated it explains how to get a result.
#[component]
pub fn ResultsPage() -> impl IntoView {
    view! {
        <section class="page" data-testid="page-results" aria-labelledby="results-title">
            <h1 id="results-title">"Results"</h1>
            <div class="empty-state" data-testid="results-empty">
                <p>"Nothing generated yet."</p>
                <p>
                    "Write or load a query in the "
                    <a href=Route::Query.href()>"Query"</a>
                    " view and press Generate: the summary, metadata and expression tables, PCA, gene and "
                    "heatmap plots and downloads appear here."
                </p>
            </div>
        </section>
    }
}
