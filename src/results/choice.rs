//! A labelled drop-down that sets a signal to one of a list of names (a metadata field, a
//! group): the one control the plots and the differential-expression panel choose with.

use leptos::prelude::*;

/// `label` then a `<select>` of `options`; choosing one sets `chosen`, which starts selected.
#[component]
pub fn Choice(
    /// The text before the drop-down.
    label: &'static str,
    /// The drop-down's `data-testid`.
    testid: &'static str,
    /// The chosen name.
    chosen: RwSignal<String>,
    /// The names to choose from (the drop-down follows when they change).
    #[prop(into)]
    options: Signal<Vec<String>>,
) -> impl IntoView {
    view! {
        <label class="inline-field">
            {label}
            <select data-testid=testid on:change=move |event| chosen.set(event_target_value(&event))>
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|option| {
                            let selected = option == chosen.get_untracked();
                            view! { <option value=option.clone() selected=selected>{option.clone()}</option> }
                        })
                        .collect_view()
                }}
            </select>
        </label>
    }
}
