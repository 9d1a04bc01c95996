//! The Models view: the embedded models' cards, what each knows (its vocabulary per key) and
//! where it comes from.

use leptos::prelude::*;
use synthome_engine::families::view::TrainingClass;
use synthome_engine::{ModelEntry, values_by_tissue};
use synthome_query::MetadataKey;
use synthome_vocab::{KeyDomain, Vocabulary};

use crate::generation::Generation;
use crate::model_loading::{ON_DEMAND, want_model};
use crate::state::{AppState, LoadStatus};

/// Cards for the embedded models, from the loaded bundles; showing the view fetches the
/// on-demand models, whose cards appear as they arrive.
#[component]
pub fn ModelsPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let generation = expect_context::<Generation>();
    for shipped in ON_DEMAND {
        want_model(state, generation, shipped);
    }
    view! {
        <section class="page" data-testid="page-models" aria-labelledby="models-title">
            <h1 id="models-title">"Models"</h1>
            <p class="lead">
                "Each model accepts only the conditions it was built from; its card says which. "
                "Full model cards, with sources, licences and measured realism, sit beside the bundles in "
                <a href="models/MODEL_CARD-bulk.md">"MODEL_CARD-bulk.md"</a>" and "
                <a href="models/MODEL_CARD-sc.md">"MODEL_CARD-sc.md"</a>"."
            </p>
            {move || match state.loading.get() {
                LoadStatus::Failed(message) => view! { <p class="error-text" role="alert">{message}</p> }.into_any(),
                _ => ().into_any(),
            }}
            {move || {
                state
                    .on_demand
                    .get()
                    .into_iter()
                    .map(|load| match load.status {
                        LoadStatus::Failed(message) => view! {
                            <p class="error-text" role="alert">{format!("{}: {message}", load.id)}</p>
                        }
                        .into_any(),
                        LoadStatus::Downloading { received, .. } => view! {
                            <p class="status" data-testid=format!("model-loading-{}", load.id)>
                                {format!("Loading {}… {:.1} MB", load.id, received / 1e6)}
                            </p>
                        }
                        .into_any(),
                        LoadStatus::Ready => ().into_any(),
                    })
                    .collect_view()
            }}
            <div class="cards two">
                <For each=move || state.models.get().entries().to_vec() key=|entry| entry.bundle_sha256.clone() let:entry>
                    <ModelCard entry=entry />
                </For>
            </div>
        </section>
    }
}

/// One model's card.
#[component]
fn ModelCard(
    /// The loaded model.
    entry: ModelEntry,
) -> impl IntoView {
    let vocabulary = entry.engine.vocabulary();
    let known: Vec<(String, String)> = vocabulary
        .iter()
        .map(|(key, domain)| {
            let extent = match domain {
                KeyDomain::Terms(index) => format!("{} values", index.len()),
                KeyDomain::Quantity { unit, min, max, .. } => {
                    format!("{min} to {max} {}", unit.symbol())
                }
                KeyDomain::Number { min, max } => format!("{min} to {max}"),
            };
            (key.to_string(), extent)
        })
        .collect();
    let classes = entry.engine.training_view().classes;
    let diseases = by_tissue(&entry, &classes, MetadataKey::DiseaseOntologyId, &[HEALTHY]);
    let cell_types = by_tissue(&entry, &classes, MetadataKey::CellTypeOntologyId, &[]);
    let info = entry.info;
    view! {
        <article class="card" data-testid=format!("model-{}", info.id)>
            <h2>{info.id.clone()}</h2>
            <p class="model-ids">
                "version "{info.version.clone()}" · alias "<code>{info.alias.clone()}</code>
            </p>
            <p>{info.summary.clone()}</p>
            <h3>"What it knows"</h3>
            <ul class="plain-list">
                {known.into_iter().map(|(key, extent)| view! { <li><code>{key}</code>": "{extent}</li> }).collect_view()}
            </ul>
            <ByTissue
                title="Diseases by tissue (with normal, PATO:0000461, on every tissue)"
                slug="diseases"
                tissues=diseases
            />
            <ByTissue title="Cell types by tissue" slug="cell-types" tissues=cell_types />
            <p class="hint">"Licence of the parameters: "{info.licence.clone()}</p>
            <p class="hint">"Bundle sha256: "<code>{entry.bundle_sha256.clone()}</code></p>
        </article>
    }
}

/// The healthy value, which every tissue has (left out of the diseases by tissue).
const HEALTHY: &str = "PATO:0000461";

/// A tissue's label and its values' labels (id and label each).
type LabelledTissue = ((String, String), Vec<(String, String)>);

/// The values of `key` per tissue in `entry`'s training conditions `classes`, with labels.
fn by_tissue(
    entry: &ModelEntry,
    classes: &[TrainingClass],
    key: MetadataKey,
    leave_out: &[&str],
) -> Vec<LabelledTissue> {
    let vocabulary = entry.engine.vocabulary();
    let labelled = |key: &str, id: &str| -> (String, String) {
        (id.to_string(), label_of(vocabulary, key, id))
    };
    values_by_tissue(classes, key, leave_out)
        .into_iter()
        .map(|tissue| {
            let values = tissue
                .values
                .iter()
                .map(|value| labelled(key.as_str(), value))
                .collect();
            (labelled("tissue_ontology_id", &tissue.tissue), values)
        })
        .collect()
}

fn label_of(vocabulary: &Vocabulary, key: &str, id: &str) -> String {
    vocabulary
        .resolve(key, id)
        .map_or_else(|| id.to_string(), |term| term.label.clone())
}

/// A card's list of what each tissue has, a collapsed section per tissue; nothing when the
/// model has none.
#[component]
fn ByTissue(
    /// The list's heading.
    title: &'static str,
    /// Its test id part (`by-tissue-<slug>`).
    slug: &'static str,
    /// Tissues and their values.
    tissues: Vec<LabelledTissue>,
) -> impl IntoView {
    (!tissues.is_empty()).then(|| {
        let n_values: usize = tissues.iter().map(|(_, values)| values.len()).sum();
        view! {
            <h3>{title}</h3>
            <div data-testid=format!("by-tissue-{slug}")>
                <p class="hint">{format!("{n_values} in {} tissues", tissues.len())}</p>
                {tissues
                    .into_iter()
                    .map(|((tissue, tissue_label), values)| {
                        view! {
                            <details data-tissue=tissue.clone()>
                                <summary>{format!("{tissue_label} ({tissue}): {}", values.len())}</summary>
                                <ul class="plain-list">
                                    {values
                                        .into_iter()
                                        .map(|(id, label)| view! { <li><code>{id}</code>" "{label}</li> })
                                        .collect_view()}
                                </ul>
                            </details>
                        }
                    })
                    .collect_view()}
            </div>
        }
    })
}
