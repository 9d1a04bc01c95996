//! The table of per-sample metadata, values the model inferred marked; virtualised by rows.

use std::sync::Arc;

use leptos::prelude::*;

use super::virtual_scroll::{ScrollPosition, visible_range};
use crate::backend::GenerationResult;

/// Height of a row in pixels (fixed by the stylesheet's `.metadata-table tr`).
const ROW_HEIGHT: f64 = 30.0;
/// Height of the scrolled area in pixels.
const VIEW_HEIGHT: f64 = 352.0;
/// Rows rendered beyond each edge of the view.
const OVERSCAN: usize = 4;

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
    let n_rows = samples.len();
    let scroll = ScrollPosition::new(0.0);
    let rows_result = result.clone();
    // Only the rows in view exist in the DOM (10,000 cells stay fast); spacer rows keep the
    // scroll height of the whole table.
    let rows = move || {
        let samples = rows_result.matrix.samples();
        let range = visible_range(scroll.top.get(), VIEW_HEIGHT, ROW_HEIGHT, n_rows, OVERSCAN);
        let above = range.start as f64 * ROW_HEIGHT;
        let below = (n_rows - range.end) as f64 * ROW_HEIGHT;
        let shown: Vec<_> = samples[range]
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
            <tr class="spacer" aria-hidden="true" style=format!("height:{above}px")></tr>
            {shown}
            <tr class="spacer" aria-hidden="true" style=format!("height:{below}px")></tr>
        }
    };
    view! {
        <div
            class="table-scroll metadata-table"
            data-testid="metadata-table"
            style=format!("height:{VIEW_HEIGHT}px")
            on:scroll=move |event| scroll.follow(&event)
        >
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
