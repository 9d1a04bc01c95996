//! Seeded samplers that give the same bits natively and in wasm: `libm` or fixed-order
//! polynomials (`elementary`) for `ln`/`exp`, `f64::sqrt` (exact in IEEE 754), no fused
//! multiply-add

mod counts;
mod elementary;
mod gamma;
mod normal;
mod seed;

pub use counts::{CountSampler, EXACT_BELOW_MEAN, MAX_APPROX_SKEWNESS};
pub use normal::Ziggurat;
pub use seed::{sample_rng, uniform};
