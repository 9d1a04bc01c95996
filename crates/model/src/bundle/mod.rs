//! The bulk bundle codec: a `synthome_bundle` container of kind `bulk` with the sections below
//!
//! Strings are a u32 byte length then UTF-8. Sections (all required):
//! - `KIND`, `CARD`, `GENE`: as `synthome_bundle` writes them (`KIND` names `bulk`)
//! - `VOCB`: the vocabulary, as `synthome_vocab::Vocabulary::encode` writes it
//! - `CTXS`: n contexts: name, profile sex (u8: 0 mixed, 1 female, 2 male), log CPM per gene as
//!   i16 fixed point in steps of 2^-10 (max error 0.0005 in natural log, 0.05 %)
//! - `CNDS`: n conditions: context (u32), weight (f64), metadata fields (as
//!   `synthome_bundle::shared` writes them), perturbation flag (u8), then if set its index
//!   (u32), dose and time (f64, NaN = none)
//! - `SEXE`: sex effect per gene (f32)
//! - `LATN`: number of factors K (u32), loadings K x genes (f32, factor-major)
//! - `NOIS`: technical and low-count technical dispersion (f32), biological dispersion per
//!   gene (f32)
//! - `PERT`: n perturbations: id, kind (u8: 0 shrna, 1 crispr, 2 compound, 3 overexpression),
//!   measured-in context (u32, u32::MAX = consensus), source; n responses, each dose and time
//!   (f64, NaN = none), n entries, gene indices (u32), log fold changes (i16, steps of 2^-10)
//! - `STAT` (optional, written when the model has any): diseases, age effects and latent
//!   spread per context, see `states.rs`
//! - `FNOI` (optional): latent factors and biological dispersion of the context families with
//!   their own per-sample data, see `family_noise.rs`
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
