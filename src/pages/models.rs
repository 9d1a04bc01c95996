//! The Models view: the models this app can run and what each one knows.

use leptos::prelude::*;

/// A model the app offers, as shown on its card.
struct ModelSummary {
    id: &'static str,
    alias: &'static str,
    title: &'static str,
    description: &'static str,
}

const MODELS: [ModelSummary; 2] = [
    ModelSummary {
        id: "synthome-bulk-v1",
        alias: "gem-1-bulk",
        title: "Bulk RNA-seq",
        description: "Tissues, sorted blood cell types and cell lines from the Human Protein Atlas and GTEx; \
                      donor-to-donor spread and sex effects from GEUVADIS lymphoblastoid lines; \
                      compound, overexpression, shRNA and CRISPR perturbations from LINCS and public experiments.",
    },
    ModelSummary {
        id: "synthome-sc-v1",
        alias: "gem-1-sc",
        title: "Single-cell RNA-seq",
        description: "Blood cell types learned from real PBMC UMI counts, with interferon-beta stimulation; \
                      sparse counts with realistic library sizes and dropout.",
    },
];

/// Cards for the embedded models.
#[component]
pub fn ModelsPage() -> impl IntoView {
    view! {
        <section class="page" data-testid="page-models" aria-labelledby="models-title">
            <h1 id="models-title">"Models"</h1>
            <p class="lead">"Each model accepts only the conditions it was built from; its card says which."</p>
            <div class="cards">
                {MODELS
                    .iter()
                    .map(|model| {
                        view! {
                            <article class="card" data-testid=format!("model-{}", model.id)>
                                <h2>{model.title}</h2>
                                <p class="model-ids">
                                    <code>{model.id}</code>
                                    " (alias "
                                    <code>{model.alias}</code>
                                    ")"
                                </p>
                                <p>{model.description}</p>
                            </article>
                        }
                    })
                    .collect_view()}
            </div>
        </section>
    }
}
