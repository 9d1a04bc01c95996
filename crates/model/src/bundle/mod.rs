//! The bulk bundle codec: a `synthome_bundle` container of kind `bulk` with the sections below
//!
//! Strings are a u32 byte length then UTF-8. Sections (all required):
//! - `KIND`, `CARD`, `GENE`: as `synthome_bundle` writes them (`KIND` names `bulk`)
//! - `VOCB`: the vocabulary, as `synthome_vocab::Vocabulary::encode` writes it
//! - `CTXS`: n contexts: name, profile sex (u8: 0 mixed, 1 female, 2 male), log CPM per gene as
//!   i16 fixed point in steps of 2^-10, the values written rounded to steps of
//!   2^-[`STORED_BITS`] (max error 0.004 in natural log, 0.4 %, far below any gene's spread
//!   between samples): the low bits are then zero and the gzip copy 0.9 MB smaller, while
//!   every bundle reads the same way
//! - `CNDS`: n conditions: context (u32), weight (f64), metadata fields (as
//!   `synthome_bundle::shared` writes them), perturbation flag (u8), then if set its index
//!   (u32), dose and time (f64, NaN = none)
//! - `SEXE`: sex effect per gene (f32)
//! - `LATN`: number of factors K (u32), loadings K x genes (i16 fixed point in steps of
//!   2^-8, factor-major; f32 in bundles written before 2026-12-03, which still read)
//! - `NOIS`: technical and low-count technical dispersion (f32), biological dispersion per
//!   gene (f32)
//! - `PERT`: n perturbations: id, kind (u8: 0 shrna, 1 crispr, 2 compound, 3 overexpression),
//!   measured-in context (u32, u32::MAX = consensus), source; n responses, each dose and time
//!   (f64, NaN = none), n entries, gene indices (u32), log fold changes (i16, steps of 2^-10,
//!   written rounded to 2^-[`STORED_BITS`] as the profiles)
//! - `STAT` (optional, written when the model has any): diseases, age effects and latent
//!   spread per context, see `states.rs`
//! - `FNOI` (optional): latent factors and biological dispersion of the context families with
//!   their own per-sample data, see `family_noise.rs`
//! - `DNOI` (optional): which disease arms have their own noise (a family of `FNOI`), see
//!   `family_noise.rs`
//!
//! A single-cell bundle read here fails with a [`BundleKind`](synthome_bundle::BundleKind)
//! mismatch.
//!
//! ```
//! # fn demo(params: synthome_model::BulkParams) -> Result<(), synthome_model::bundle::BundleError> {
//! let bytes = synthome_model::bundle::write(&params);
//! let model = synthome_model::bundle::read(&bytes)?;
//! assert_eq!(model.n_genes(), params.genes.len());
//! # Ok(()) }
//! ```

mod family_noise;
mod read;
mod sections;
mod states;
mod write;

pub use crate::family::BundleError;
pub use read::{read, read_sections};
pub use write::{write, write_to, write_with_states};

/// Fixed-point precision (bits after the binary point) of stored log values
pub const LOG_FIXED_BITS: i32 = 10;

/// Bits after the binary point the context profiles and perturbation responses keep when
/// written (rounded to steps of 2^-7 inside the 2^-10 fixed point); the realism report's
/// figures move within their spreads at this step (MODEL_CARD-bulk.md).
pub const STORED_BITS: i32 = 7;

/// Fixed-point bits of latent loadings (`LATN`, `FNOI`): steps of 0.004 in natural log (a
/// quantisation variance of about 1e-6 per loading, far below any gene's dispersion), range
/// +-128; coarse steps keep the gzip copy small
pub(crate) const LOADING_BITS: i32 = 8;

/// `values` rounded to steps of 2^-[`STORED_BITS`], as the writer stores them.
pub(crate) fn stored_values(values: &[f32]) -> Vec<f32> {
    let step = (1u32 << STORED_BITS) as f32;
    values
        .iter()
        .map(|&value| (value * step).round() / step)
        .collect()
}
