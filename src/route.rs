//! The app's views and how they map to the URL fragment.
//!
//! Routes live in the fragment (`#/results`) rather than the path so that the release build works
//! from any static host at any sub-path and every view survives a reload without server rules.

/// One top-level view of the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// The query editor (the default view).
    Query,
    /// The result viewer.
    Results,
    /// A user's own counts table: predicted metadata and reference conditioning.
    YourData,
    /// The embedded models and their cards.
    Models,
    /// What Synthome is.
    About,
}

impl Route {
    /// Every route, in navigation order.
    pub const ALL: [Route; 5] = [
        Route::Query,
        Route::Results,
        Route::YourData,
        Route::Models,
        Route::About,
    ];

    /// The fragment that selects this route, e.g. `#/results`.
    pub fn href(self) -> &'static str {
        match self {
            Route::Query => "#/query",
            Route::Results => "#/results",
            Route::YourData => "#/your-data",
            Route::Models => "#/models",
            Route::About => "#/about",
        }
    }

    /// The label shown in the navigation.
    pub fn title(self) -> &'static str {
        match self {
            Route::Query => "Query",
            Route::Results => "Results",
            Route::YourData => "Your data",
            Route::Models => "Models",
            Route::About => "About",
        }
    }

    /// The route named by a URL fragment (`#/models?x=1` -> `Models`); unknown or empty fragments
    /// select the query editor.
    pub fn from_fragment(fragment: &str) -> Route {
        let path = fragment.trim_start_matches('#').trim_start_matches('/');
        let name = path.split(['?', '/']).next().unwrap_or_default();
        match name.to_ascii_lowercase().as_str() {
            "results" => Route::Results,
            "your-data" => Route::YourData,
            "models" => Route::Models,
            "about" => Route::About,
            _ => Route::Query,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Route;

    fn check(fragment: &str, expected: Route) {
        assert_eq!(
            Route::from_fragment(fragment),
            expected,
            "fragment {fragment:?}"
        );
    }

    #[test]
    fn fragments_select_routes() {
        check("", Route::Query);
        check("#", Route::Query);
        check("#/", Route::Query);
        check("#/query", Route::Query);
        check("#/results", Route::Results);
        check("#/Models", Route::Models);
        check("#/your-data", Route::YourData);
        check("#/about?from=share", Route::About);
        check("#/results/pca", Route::Results);
        check("#/nowhere", Route::Query);
    }

    #[test]
    fn every_href_round_trips() {
        for route in Route::ALL {
            assert_eq!(Route::from_fragment(route.href()), route);
        }
    }
}
