//! The drop zone: a counts table dropped or picked is read by the browser and its bytes are
//! transferred to the worker, which aligns it to the model's genes; the summary (genes
//! matched, samples, orientation) is shown.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, HtmlInputElement};

use super::YourData;
use crate::backend::embedded::DataAnswer;
use crate::backend::embedded::protocol::TableSummary;
use crate::generation::Generation;

/// Largest file read (the page holds it once, then the worker).
const MAX_FILE_BYTES: f64 = 512.0 * 1024.0 * 1024.0;

/// The file input, its drop zone and the table's summary.
#[component]
pub fn TableUpload(
    /// The model to align to (id).
    model: Signal<String>,
) -> impl IntoView {
    let data = expect_context::<YourData>();
    let generation = expect_context::<Generation>();
    let dragging = RwSignal::new(false);
    let take = move |file: File| {
        let Some(backend) = generation.embedded() else {
            data.fail("the model is still loading".into());
            return;
        };
        let name = file.name();
        if file.size() > MAX_FILE_BYTES {
            data.fail(format!(
                "{name} is {:.0} MB; at most {:.0} MB can be read in the browser",
                file.size() / 1e6,
                MAX_FILE_BYTES / 1e6
            ));
            return;
        }
        data.clear();
        data.error.set(None);
        data.busy.set(Some("Reading the table…"));
        let model = model.get_untracked();
        leptos::task::spawn_local(async move {
            let Some(bytes) = JsFuture::from(file.array_buffer())
                .await
                .ok()
                .and_then(|value| value.dyn_into::<js_sys::ArrayBuffer>().ok())
            else {
                data.fail(format!("the browser could not read {name}"));
                return;
            };
            backend.align_table(
                &model,
                &name,
                bytes,
                Box::new(move |answer| match answer {
                    Ok(DataAnswer::Aligned(summary)) => {
                        data.busy.set(None);
                        data.table.set(Some(*summary));
                    }
                    Ok(_) => data.fail("the worker answered with something else".into()),
                    Err(error) => data.fail(error.to_string()),
                }),
            );
        });
    };
    let on_pick = move |event: leptos::ev::Event| {
        let Some(input) = event
            .target()
            .and_then(|target| target.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            take(file);
        }
        input.set_value("");
    };
    let on_drop = move |event: leptos::ev::DragEvent| {
        event.prevent_default();
        dragging.set(false);
        if let Some(file) = event
            .data_transfer()
            .and_then(|transfer| transfer.files())
            .and_then(|files| files.get(0))
        {
            take(file);
        }
    };
    view! {
        <div
            class="drop-zone"
            class:dragging=move || dragging.get()
            data-testid="drop-zone"
            on:dragover=move |event: leptos::ev::DragEvent| {
                event.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <p>"Drop a counts table here: CSV or TSV (genes x samples or samples x genes, Ensembl ids or symbols) or .h5ad."</p>
            <label class="file-button secondary">
                "Choose a file"
                <input type="file" accept=".csv,.tsv,.txt,.h5ad" data-testid="counts-file" on:change=on_pick />
            </label>
        </div>
        {move || data.table.get().map(|summary| view! { <Summary summary=summary /> })}
    }
}

/// What the worker found in the table.
#[component]
fn Summary(summary: TableSummary) -> impl IntoView {
    let orientation = if summary.genes_are_rows {
        "genes are rows, samples columns"
    } else {
        "samples are rows, genes columns"
    };
    view! {
        <dl class="summary" data-testid="table-summary">
            <div><dt>"File"</dt><dd>{format!("{} ({})", summary.file_name, summary.format)}</dd></div>
            <div>
                <dt>"Genes matched"</dt>
                <dd data-testid="genes-matched" data-matched=summary.matched data-total=summary.table_genes>
                    {format!("{} of {} (model: {})", summary.matched, summary.table_genes, summary.model_genes)}
                </dd>
            </div>
            <div><dt>"Samples"</dt><dd data-testid="samples-found">{summary.samples.len()}</dd></div>
            <div><dt>"Orientation"</dt><dd data-testid="orientation">{orientation}</dd></div>
        </dl>
        {(summary.rounded > 0).then(|| view! {
            <p class="hint">{format!("{} values were not whole numbers and were rounded.", summary.rounded)}</p>
        })}
    }
}
