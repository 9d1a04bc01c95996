//! How many cores the page may use: `navigator.hardwareConcurrency` (1 where the browser does
//! not say).

/// Logical cores the browser reports, at least 1.
pub fn logical_cores() -> usize {
    web_sys::window()
        .map(|window| window.navigator().hardware_concurrency())
        .filter(|cores| cores.is_finite() && *cores >= 1.0)
        .map_or(1, |cores| cores as usize)
}
