//! Seeded samplers that give the same bits natively and in wasm: `libm` or fixed-order
//! polynomials (`elementary`) for `ln`/`exp`, `f64::sqrt` (exact in IEEE 754), no fused
//! multiply-add
//!
//! Public so that every model of the family draws from the same implementation of each
//! piece (the single-cell model's streams, uniforms and gamma draws are these).

mod counts;
mod elementary;
mod gamma;
mod normal;
mod seed;

pub use counts::{CountSampler, EXACT_BELOW_MEAN, MAX_APPROX_SKEWNESS};
pub use gamma::{GammaSource, ZigguratSource, gamma};
pub use normal::Ziggurat;
pub use seed::{sample_rng, uniform, uniform_open};
