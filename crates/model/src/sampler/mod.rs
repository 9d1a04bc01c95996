//! Seeded samplers that give the same bits natively and in wasm: `libm` for `ln`/`exp`,
//! `f64::sqrt` (exact in IEEE 754), no fused multiply-add

mod counts;
mod gamma;
mod normal;
mod seed;

pub use counts::{CountSampler, EXACT_BELOW_MEAN, MAX_APPROX_SKEWNESS};
pub use normal::Ziggurat;
pub use seed::{sample_rng, uniform};
