//! The page frame: header with navigation, and footer.

use leptos::prelude::*;

use crate::route::Route;

/// The site header: product name and the navigation between views.
#[component]
pub fn Header(
    /// The view currently shown; its link is marked as the current page.
    current: ReadSignal<Route>,
) -> impl IntoView {
    view! {
        <header class="site-header">
            <a class="brand" href=Route::Query.href() aria-label="Synthome home">
                <span class="brand-mark" aria-hidden="true">"◆"</span>
                <span class="brand-name">"Synthome"</span>
            </a>
            <nav class="site-nav" aria-label="Main">
                {Route::ALL
                    .into_iter()
                    .map(|route| {
                        view! {
                            <a
                                href=route.href()
                                data-testid=format!("nav-{}", route.title().to_lowercase().replace(' ', "-"))
                                aria-current=move || (current.get() == route).then_some("page")
                            >
                                {route.title()}
                            </a>
                        }
                    })
                    .collect_view()}
            </nav>
        </header>
    }
}

/// The site footer: licence and provenance notes.
#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>
                "Synthome "{env!("CARGO_PKG_VERSION")}
                " · synthetic RNA-seq from a description of the biology · code MIT OR Apache-2.0 · "
                "model bundles derived from the Human Protein Atlas are CC BY-SA 4.0"
            </p>
            <p>"Runs entirely in your browser: your queries never leave this page unless you choose a remote model."</p>
        </footer>
    }
}
