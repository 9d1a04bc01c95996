//! The Synthome bundle container: one versioned binary file per model, read by the same code
//! natively and in wasm.
//!
//! # Layout
//! A bundle is a [`container`] (magic, format version, section table, sections, sha256) whose
//! `KIND` section says which model it holds ([`BundleKind`], read by [`kind`]); what the other
//! sections hold is up to that model, whose crate owns the codec (`synthome_model::bundle` for
//! bulk, `synthome_sc_model::bundle` for single cell). Every kind has the sections of
//! [`shared`]:
//! - `KIND`: the kind name (a string: `bulk`, `single-cell`)
//! - `CARD`: the [`ModelCard`]: id, alias, version, summary, licence (strings)
//! - `GENE`: n, then n Ensembl ids, then n symbols (strings)
//!
//! and write training metadata with [`shared::write_fields`]. Strings are a u32 byte length then
//! UTF-8; large arrays are stored contiguously per section so the file compresses well with
//! gzip.
//!
//! ```
//! use synthome_bundle::{BundleKind, container::Writer};
//! # fn main() -> Result<(), synthome_bundle::container::ContainerError> {
//! let mut writer = Writer::new();
//! writer.section(synthome_bundle::KIND_TAG, BundleKind::SingleCell.section());
//! let bytes = writer.finish();
//! assert_eq!(synthome_bundle::kind(&bytes)?, BundleKind::SingleCell);
//! # Ok(()) }
//! ```

mod card;
pub mod container;
mod kind;
pub mod shared;

pub use card::ModelCard;
pub use container::{FORMAT_VERSION, MAGIC, sha256_hex};
pub use kind::{BundleKind, KIND_TAG, kind};
