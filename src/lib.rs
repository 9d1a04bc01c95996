//! The Synthome web app: a Leptos client-side app with a query editor, in-browser generation,
//! a result viewer and the model cards.
//!
//! `App` is the root component; [`route`] maps the URL fragment to a view and [`pages`] holds
//! one module per view. The views are made of features: [`query`] (editor, validation, files,
//! code), [`share`] (links), [`results`] (downloads, ground truth, plots, differential
//! expression, tables), [`your_data`] (a user's counts table: predicted metadata, reference
//! conditioning). [`generation`] hands a query to a [`backend`] (the embedded model in a
//! worker, or a remote server) and [`model_loading`] fetches the embedded models; [`browser`]
//! wraps the browser's services. [`state`] holds the signals they share, and [`components`]
//! the page frame. Dependencies point down: pages -> features -> backend / browser.

pub mod backend;
pub mod browser;
pub mod components;
pub mod generation;
pub mod model_loading;
pub mod pages;
pub mod percent;
pub mod query;
pub mod results;
pub mod route;
pub mod share;
pub mod state;
pub mod your_data;

use leptos::prelude::*;

use crate::components::layout::{Footer, Header};
use crate::generation::Generation;
use crate::route::Route;
use crate::state::AppState;

/// The root component: header with navigation, the current view, footer.
#[component]
pub fn App() -> impl IntoView {
    let route = current_route_signal();
    let state = AppState::new(pages::query::STARTER_QUERY.to_string());
    let generation = Generation::default();
    provide_context(state);
    provide_context(generation);
    provide_context(your_data::YourData::default());
    query::backend_settings::remember_settings(state);
    share::follow::follow_share_links(state);
    model_loading::load_models(state, generation);
    view! {
        <Header current=route />
        <main id="main" class="main" data-testid="main">
            {move || match route.get() {
                Route::Query => pages::query::QueryPage().into_any(),
                Route::Results => pages::results::ResultsPage().into_any(),
                Route::YourData => pages::your_data::YourDataPage().into_any(),
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
