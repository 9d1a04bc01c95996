//! The Your data view: a user's own counts table, its samples' predicted metadata, and new
//! samples conditioned on one of them. Runs in the embedded model's worker; nothing is
//! uploaded.

use leptos::prelude::*;

use crate::state::{AppState, LoadStatus};
use crate::your_data::predictions::Predictions;
use crate::your_data::reference::UseAsReference;
use crate::your_data::upload::TableUpload;
use crate::your_data::{YourData, unsupported_model};

/// The view.
#[component]
pub fn YourDataPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let data = expect_context::<YourData>();
    let model = Signal::derive(move || {
        state
            .model()
            .map_or_else(|| state.selected_model.get(), |entry| entry.info.id)
    });
    let ready = move || state.loading.get() == LoadStatus::Ready;
    view! {
        <section class="page" data-testid="page-your-data" aria-labelledby="your-data-title">
            <h1 id="your-data-title">"Your data"</h1>
            <p class="lead">
                "Read your own RNA-seq counts with the model: predict each sample's metadata, or "
                "generate new samples that keep a sample's character with a perturbation applied. "
                "The file is read in this page and the model runs in your browser: nothing is uploaded."
            </p>
            {move || match (ready(), unsupported_model(&model.get())) {
                (false, _) => view! { <p class="hint" data-testid="your-data-loading">"The model is loading…"</p> }.into_any(),
                (true, Some(message)) => view! {
                    <p class="error-text" role="alert" data-testid="needs-bulk">{message}</p>
                    <button data-testid="use-bulk" on:click=move |_| state.selected_model.set("synthome-bulk-v1".into())>
                        "Use the bulk model"
                    </button>
                }.into_any(),
                (true, None) => view! {
                    <TableUpload model=model />
                    {move || data.busy.get().map(|text| view! { <p class="hint" role="status" data-testid="your-data-busy"><span class="spinner" aria-hidden="true"></span>{text}</p> })}
                    {move || data.error.get().map(|text| view! { <p class="error-text" role="alert" data-testid="your-data-error">{text}</p> })}
                    <Show when=move || data.table.with(Option::is_some)>
                        <h2>"Predicted metadata"</h2>
                        <Predictions />
                        <h2>"Use a sample as reference"</h2>
                        <UseAsReference />
                    </Show>
                }.into_any(),
            }}
        </section>
    }
}
