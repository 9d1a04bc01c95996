//! The Synthome model bundle: one versioned binary file per model, read by the same code
//! natively and in wasm.
//!
//! # Layout
//! A bulk bundle is a [`container`] (magic, format version, section table, sections, sha256)
//! with the sections below; the container module is public so that other bundle kinds
//! (`synthome-sc-model`) share it, and [`shared`] holds the sections they have in common.
//!
//! Strings are a u32 byte length then UTF-8. Sections (all required):
//! - `CARD`, `GENE`: as [`shared`] writes them
//! - `VOCB`: the vocabulary, as `synthome_vocab::Vocabulary::encode` writes it
//! - `CTXS`: n contexts: name, profile sex (u8: 0 mixed, 1 female, 2 male), log CPM per gene as
//!   i16 fixed point in steps of 2^-10 (max error 0.0005 in natural log, 0.05 %)
//! - `CNDS`: n conditions: context (u32), weight (f64), metadata fields (as [`shared`] writes
//!   them), perturbation flag (u8), then if set its index (u32), dose and time (f64, NaN = none)
//! - `SEXE`: sex effect per gene (f32)
//! - `LATN`: number of factors K (u32), loadings K x genes (f32, factor-major)
//! - `NOIS`: technical and low-count technical dispersion (f32), biological dispersion per
//!   gene (f32)
//! - `PERT`: n perturbations: id, kind (u8: 0 shrna, 1 crispr, 2 compound, 3 overexpression),
//!   measured-in context (u32, u32::MAX = consensus), source; n responses, each dose and time
//!   (f64, NaN = none), n entries, gene indices (u32), log fold changes (i16, steps of 2^-10)
//!
//! Large arrays are stored contiguously per section so the file compresses well with gzip.
//!
//! ```
//! # fn demo(params: synthome_model::BulkParams) -> Result<(), synthome_bundle::BundleError> {
//! let bytes = synthome_bundle::write(&params);
//! let model = synthome_bundle::read(&bytes)?;
//! assert_eq!(model.n_genes(), params.genes.len());
//! # Ok(()) }
//! ```

pub mod container;
mod error;
mod read;
mod sections;
pub mod shared;
mod write;

pub use container::{FORMAT_VERSION, MAGIC, sha256_hex};
pub use error::BundleError;
pub use read::read;
pub use write::{write, write_to};

/// Fixed-point precision (bits after the binary point) of stored log values
pub const LOG_FIXED_BITS: i32 = 10;
