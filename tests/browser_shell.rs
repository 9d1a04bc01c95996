//! Component behaviour in a real browser (wasm-bindgen-test in headless Chromium): the shell
//! renders every view and the navigation follows the URL fragment.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use synthome_app::App;
use synthome_app::route::Route;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|window| window.document())
        .expect("a browser document")
}

fn shown_page() -> Option<String> {
    document()
        .query_selector("[data-testid^='page-']")
        .ok()
        .flatten()
        .and_then(|element| element.get_attribute("data-testid"))
}

/// Leptos updates the DOM asynchronously: give it a timer tick after an event.
async fn tick() {
    gloo_timers::future::sleep(Duration::from_millis(20)).await;
}

/// Sets the URL fragment to `hash`, mounts the app in a fresh container and lets it render.
async fn mount_app_at(
    hash: &str,
) -> (
    web_sys::Window,
    web_sys::Element,
    leptos::mount::UnmountHandle<impl leptos::tachys::view::Mountable>,
) {
    let window = web_sys::window().expect("a window");
    window.location().set_hash(hash).expect("hash set");
    let container = document().create_element("div").expect("a div");
    document()
        .body()
        .expect("a body")
        .append_child(&container)
        .expect("attached");
    let handle = leptos::mount::mount_to(container.clone().unchecked_into(), App);
    tick().await;
    (window, container, handle)
}

#[wasm_bindgen_test]
async fn the_shell_follows_the_fragment_through_every_view() {
    let (window, _container, handle) = mount_app_at("").await;
    assert_eq!(shown_page().as_deref(), Some("page-query"));

    for route in Route::ALL {
        window.location().set_hash(route.href()).expect("hash set");
        tick().await;
        let expected = format!("page-{}", route.title().to_lowercase().replace(' ', "-"));
        assert_eq!(
            shown_page(),
            Some(expected),
            "after navigating to {}",
            route.href()
        );
        let current = document()
            .query_selector("[aria-current='page']")
            .ok()
            .flatten()
            .map(|link| link.text_content().unwrap_or_default());
        assert_eq!(current.as_deref(), Some(route.title()));
    }
    drop(handle);
}

#[wasm_bindgen_test]
async fn the_results_view_explains_how_to_get_a_result_before_any_run() {
    let (_window, container, handle) = mount_app_at("#/results").await;
    let empty = container
        .query_selector("[data-testid='results-empty']")
        .ok()
        .flatten()
        .and_then(|element| element.text_content())
        .unwrap_or_default();
    assert!(empty.contains("Nothing generated yet"), "{empty}");
    drop(handle);
}
