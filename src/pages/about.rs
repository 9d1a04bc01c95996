//! The About view: what Synthome does, where its models come from, how to cite and licence.

use leptos::prelude::*;

/// What Synthome is and how it works.
#[component]
pub fn AboutPage() -> impl IntoView {
    view! {
        <section class="page" data-testid="page-about" aria-labelledby="about-title">
            <h1 id="about-title">"About Synthome"</h1>
            <p class="lead">
                "Synthome generates realistic synthetic gene-expression data from a description of the biology. "
                "You describe conditions with ontology ids (tissue, cell type, cell line, disease, perturbation "
                "with dose and time, sex, age, sample type, library layout), ask for a number of samples of each, "
                "and get back an expression table (samples x genes, counts) and a metadata table."
            </p>
            <div class="cards">
                <article class="card">
                    <h2>"Private and offline"</h2>
                    <p>
                        "The embedded models run inside your browser. Nothing is uploaded, and the page keeps working "
                        "without a network once it has loaded."
                    </p>
                </article>
                <article class="card">
                    <h2>"Compatible queries"</h2>
                    <p>
                        "Queries use the Synthesize Bio baseline-model format (sampling_strategy, inputs with metadata "
                        "and num_samples, total_count, deterministic_latents, seed), so queries and client code written "
                        "for that service work here wherever the model knows the conditions."
                    </p>
                </article>
                <article class="card">
                    <h2>"Reproducible"</h2>
                    <p>
                        "The same query, model bundle and seed give byte-identical counts in the browser, on the command "
                        "line and from the HTTP API. Every download records the model id, version, bundle checksum, "
                        "query and seed."
                    </p>
                </article>
                <article class="card">
                    <h2>"Built from real data"</h2>
                    <p>
                        "The bulk model combines per-condition atlases (Human Protein Atlas, GTEx) with per-sample "
                        "sets that show how samples spread and how counts are noisy. The single-cell model learns cell "
                        "types from real UMI counts. Each model card names its sources, licences and measured realism."
                    </p>
                </article>
            </div>
            <h2>"Use it your way"</h2>
            <ul class="plain-list">
                <li>"In this page: write a query, generate, explore the plots, download CSV, GCT, JSON or AnnData."</li>
                <li>"From the command line: " <code>"synthome generate --model gem-1-bulk --query query.json"</code></li>
                <li>"As an API: " <code>"synthome serve"</code> " speaks the hosted API, so the official Python and R clients work against it."</li>
            </ul>
            <h2>"Licences"</h2>
            <p>
                "Code: MIT OR Apache-2.0. Model bundles derived from Human Protein Atlas tables: CC BY-SA 4.0. "
                "LINCS data: CC BY 4.0. Ontologies: CC BY. See each model card for the full list of sources."
            </p>
        </section>
    }
}
