//! The Web Worker that generates off the main thread (built by Trunk as `worker.js`).

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    synthome_app::backend::embedded::host::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the Synthome worker runs only in a browser, as part of the web app");
}
