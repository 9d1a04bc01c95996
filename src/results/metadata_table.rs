//! The table of per-sample metadata, values the model inferred marked.

use std::sync::Arc;

use leptos::prelude::*;

use crate::backend::GenerationResult;

/// The per-sample metadata, inferred values marked.
#[component]
pub fn MetadataTable(
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
