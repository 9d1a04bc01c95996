//! The Synthome web app: a Leptos client-side app with a query editor, in-browser generation,
//! a result viewer and the model cards.
//!
//! `App` is the root component; [`route`] maps the URL fragment to a view, [`pages`] holds one
//! module per view and [`components`] the pieces shared between them.

pub mod code_snippets;
pub mod comparison;
pub mod components;
pub mod download;
pub mod downloads;
pub mod fetch;
pub mod ground_truth;
pub mod pages;
pub mod query_edit;
pub mod query_file;
pub mod remote;
pub mod result_plots;
pub mod route;
pub mod share;
pub mod state;
pub mod worker;

use leptos::prelude::*;

use crate::components::layout::{Footer, Header};
use crate::route::Route;
use crate::state::AppState;

/// The root component: header with navigation, the current view, footer.
#[component]
pub fn App() -> impl IntoView {
    let route = current_route_signal();
    let state = AppState::new(pages::query::STARTER_QUERY.to_string());
    provide_context(state);
    remote::storage::restore_and_keep(state);
    components::share_panel::follow_share_links(state);
    state.load_models();
    view! {
        <Header current=route />
        <main id="main" class="main" data-testid="main">
            {move || match route.get() {
                Route::Query => pages::query::QueryPage().into_any(),
                Route::Results => pages::results::ResultsPage().into_any(),
                Route::Models => pages::models::ModelsPage().into_any(),
                Route::About => pages::about::AboutPage().into_any(),
            }}
        </main>
        <Footer />
    }
}

/// A signal holding the route named by `window.location.hash`, kept up to date on `hashchange`.
fn current_route_signal() -> ReadSignal<Route> {
    let (route, set_route) = signal(Route::from_fragment(&location_hash()));
    let handle = window_event_listener(leptos::ev::hashchange, move |_| {
        set_route.set(Route::from_fragment(&location_hash()));
    });
    on_cleanup(move || handle.remove());
    route
}

fn location_hash() -> String {
    window().location().hash().unwrap_or_default()
}
