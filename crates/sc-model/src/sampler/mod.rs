//! Seeded samplers that give the same bits natively and in wasm: `libm` for `ln`/`exp`,
//! `f64::sqrt` (exact in IEEE 754), no fused multiply-add

mod alias;
mod counts;
mod fastmath;
mod stream;

pub use alias::AliasTable;
pub use counts::{INVERSION_BELOW_MEAN, NORMAL_FROM_MEAN};
pub use stream::{Stream, cell_stream};
