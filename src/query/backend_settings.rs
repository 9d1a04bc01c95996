//! The backend settings on the Query view: the embedded model (default) or a remote server
//! with its base URL and API key, "remember on this device", and a connection check; and the
//! start-up hook that restores remembered settings and keeps local storage in step.

use leptos::prelude::*;

use crate::backend::Backend;
use crate::backend::remote::client::check_connection;
use crate::backend::remote::settings::RemoteSettings;
use crate::backend::remote::storage;
use crate::state::AppState;

/// Loads remembered settings into `state`, then keeps local storage in step with them.
pub fn remember_settings(state: AppState) {
    if let Some(remembered) = storage::remembered() {
        state.backend.set(remembered.backend);
        state.remote.set(remembered.settings);
    }
    Effect::new(move |_| {
        let backend = state.backend.get();
        state
            .remote
            .with(|settings| storage::keep(backend, settings));
    });
}

/// Choose where the data is generated.
#[component]
pub fn RemoteSettingsPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let check = RwSignal::new(None::<Result<String, String>>);
    let remote = move || state.backend.get() == Backend::Remote;
    let run_check = move |_| {
        let settings = state.remote.get_untracked();
        check.set(Some(Ok("Checking…".into())));
        leptos::task::spawn_local(async move {
            let outcome = check_connection(&settings).await;
            check.set(Some(match outcome {
                Ok(models) => Ok(format!(
                    "Connected: the server lists {models} model(s) and accepts the key."
                )),
                Err(error) => Err(error.to_string()),
            }));
        });
    };
    let origin = window().location().origin().unwrap_or_default();
    view! {
        <section class="card backend" aria-labelledby="backend-title">
            <h2 id="backend-title">"Backend"</h2>
            <fieldset class="backend-choice">
                <legend>"Generate with"</legend>
                <label>
                    <input
                        type="radio"
                        name="backend"
                        data-testid="backend-embedded"
                        prop:checked=move || !remote()
                        on:change=move |_| state.backend.set(Backend::Embedded)
                    />
                    " the embedded model, in this browser (nothing leaves the page)"
                </label>
                <label>
                    <input
                        type="radio"
                        name="backend"
                        data-testid="backend-remote"
                        prop:checked=remote
                        on:change=move |_| state.backend.set(Backend::Remote)
                    />
                    " a remote server (the hosted API or a Synthome server)"
                </label>
            </fieldset>
            <Show when=remote>
                <div class="remote-fields">
                    <SettingsText label="Base URL" id="remote-base" testid="remote-base-url" kind="url"
                        inputmode="url" autocomplete="url" placeholder="http://127.0.0.1:8080" check=check
                        read=|remote| remote.base_url.clone() write=|remote, value| remote.base_url = value />
                    <SettingsText label="API key" id="remote-key" testid="remote-api-key" kind="password"
                        autocomplete="off" spellcheck="false" placeholder="sent as Authorization: Bearer …" check=check
                        read=|remote| remote.api_key.clone() write=|remote, value| remote.api_key = value />
                    <label class="check">
                        <input
                            type="checkbox"
                            data-testid="remote-remember"
                            prop:checked=move || state.remote.with(|remote| remote.remember)
                            on:change=move |event| {
                                let checked = event_target_checked(&event);
                                state.remote.update(|remote| remote.remember = checked);
                            }
                        />
                        " Remember on this device (keeps the key in this browser's local storage; otherwise it is forgotten when the page closes)"
                    </label>
                    <div class="toolbar">
                        <button class="secondary" data-testid="remote-check" on:click=run_check>"Test connection"</button>
                    </div>
                    {move || check.get().map(|outcome| match outcome {
                        Ok(text) => view! { <p class="status ok" role="status" data-testid="remote-check-result">{text}</p> }.into_any(),
                        Err(text) => view! { <p class="error-text" role="alert" data-testid="remote-check-result">{text}</p> }.into_any(),
                    })}
                    <p class="hint">
                        "A Synthome server answers this page when started with "
                        <code>{format!("synthome serve --cors-origin {origin}")}</code>
                        ". A server that does not allow this page's origin (CORS) cannot be used from here: copy the query as code below instead."
                    </p>
                </div>
            </Show>
        </section>
    }
}

/// One labelled text field of the remote settings: it shows `read` of them, and typing in it
/// sets them with `write` and forgets the last connection check.
#[component]
fn SettingsText(
    /// The field's label.
    label: &'static str,
    /// The input's element id.
    id: &'static str,
    /// The input's `data-testid`.
    testid: &'static str,
    /// The input's `type`.
    kind: &'static str,
    /// The input's `autocomplete`.
    autocomplete: &'static str,
    /// The input's `placeholder`.
    placeholder: &'static str,
    /// The input's `inputmode`, if any.
    #[prop(optional)]
    inputmode: Option<&'static str>,
    /// The input's `spellcheck`, if any.
    #[prop(optional)]
    spellcheck: Option<&'static str>,
    /// The field's value in the settings.
    read: fn(&RemoteSettings) -> String,
    /// Sets the field in the settings.
    write: fn(&mut RemoteSettings, String),
    /// The connection check's outcome, forgotten on an edit.
    check: RwSignal<Option<Result<String, String>>>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <label class="field-label" for=id>{label}</label>
        <input
            id=id
            type=kind
            inputmode=inputmode
            autocomplete=autocomplete
            spellcheck=spellcheck
            placeholder=placeholder
            data-testid=testid
            prop:value=move || state.remote.with(read)
            on:input=move |event| {
                let value = event_target_value(&event);
                state.remote.update(|remote| write(remote, value));
                check.set(None);
            }
        />
    }
}
