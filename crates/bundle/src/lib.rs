//! The Synthome model bundle: one versioned binary file per model, read by the same code
//! natively and in wasm.
//!
//! # Layout (format version 1, all integers little-endian)
//! ```text
//! offset 0   magic        8 bytes  "SYNBNDL\0"
//! offset 8   version      u32      1
//! offset 12  n_sections   u32
//! offset 16  table        n_sections x { tag: 4 ASCII bytes, offset: u64, length: u64 }
//!            sections     at the offsets in the table (from the file start), in table order
//! end - 32   sha256       of every byte before it
//! ```
//! Strings are a u32 byte length then UTF-8. Sections (all required):
//! - `CARD`: id, alias, version, summary, licence (strings)
//! - `GENE`: n, then n Ensembl ids, then n symbols
//! - `VOCB`: the vocabulary, as `synthome_vocab::Vocabulary::encode` writes it
//! - `CTXS`: n contexts: name, profile sex (u8: 0 mixed, 1 female, 2 male), log CPM per gene as
//!   i16 fixed point in steps of 2^-10 (max error 0.0005 in natural log, 0.05 %)
//! - `CNDS`: n conditions: context (u32), weight (f64), n fields, each key and value (strings),
//!   perturbation flag (u8), then if set its index (u32), dose and time (f64, NaN = none)
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

mod bytes;
mod error;
mod read;
mod sections;
mod write;

pub use error::BundleError;
pub use read::read;
pub use write::{write, write_to};

/// The first 8 bytes of every bundle
pub const MAGIC: &[u8; 8] = b"SYNBNDL\0";
/// The format version this code writes and reads
pub const FORMAT_VERSION: u32 = 1;
/// Fixed-point precision (bits after the binary point) of stored log values
pub const LOG_FIXED_BITS: i32 = 10;

/// Lower-case hex sha256 of `bytes` (the `bundle_sha256` of provenance)
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}
