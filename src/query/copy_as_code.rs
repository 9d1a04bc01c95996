//! "Copy as code": tabs for Python, R and curl showing the current query as a program, with a
//! Copy button. The programs are written by [`super::snippets`].

use leptos::prelude::*;

use super::snippets::{Language, SnippetTarget, snippet};
use crate::backend::Backend;
use crate::browser::clipboard::copy_text;
use crate::state::AppState;

/// The query as Python, R or curl, with a Copy button.
#[component]
pub fn CopyAsCode() -> impl IntoView {
    let state = expect_context::<AppState>();
    let language = RwSignal::new(Language::Python);
    let status = RwSignal::new(None::<String>);
    let code = Memo::new(move |_| {
        let query = state.query_text.get();
        let model = state
            .model()
            .map_or_else(|| state.selected_model.get(), |entry| entry.info.alias);
        let base = (state.backend.get() == Backend::Remote)
            .then(|| state.remote.with(|remote| remote.base().ok()))
            .flatten();
        let target = SnippetTarget {
            model_id: &model,
            base_url: base.as_deref(),
        };
        snippet(language.get(), &query, &target).map_err(|error| error.to_string())
    });
    let copy = move |_| {
        if let Ok(text) = code.get_untracked() {
            copy_text(text, status);
        }
    };
    view! {
        <h3 id="code-title">"Copy as code"</h3>
        <p class="hint">
            "The same query for the official clients or curl. The key is read from SYNTHESIZE_API_KEY, never written into the code."
        </p>
        <div class="tabs" role="tablist" aria-labelledby="code-title">
            {Language::ALL
                .into_iter()
                .map(|choice| {
                    view! {
                        <button
                            role="tab"
                            class="tab"
                            data-testid=format!("code-tab-{}", choice.slug())
                            aria-selected=move || (language.get() == choice).to_string()
                            on:click=move |_| {
                                language.set(choice);
                                status.set(None);
                            }
                        >
                            {choice.label()}
                        </button>
                    }
                })
                .collect_view()}
        </div>
        {move || match code.get() {
            Ok(text) => view! {
                <pre class="code-snippet" tabindex="0" role="tabpanel" data-testid="code-snippet" data-language=language.get().slug()>
                    <code>{text}</code>
                </pre>
            }
            .into_any(),
            Err(message) => view! { <p class="error-text" data-testid="code-snippet-error">{message}</p> }.into_any(),
        }}
        <div class="toolbar">
            <button class="secondary" data-testid="copy-code" on:click=copy disabled=move || code.with(Result::is_err)>
                "Copy code"
            </button>
            {move || status.get().map(|text| view! { <span class="hint" role="status" data-testid="copy-status">{text}</span> })}
        </div>
    }
}
