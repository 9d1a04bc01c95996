//! The single-cell bundle codec: a `synthome_bundle::container` (magic, container version,
//! section table, sections, trailing sha256) of kind `single-cell` with single-cell sections
//!
//! Sections (all required; strings are a u32 length then UTF-8):
//! - `KIND`, `CARD`, `GENE`: as `synthome_bundle` writes them (`KIND` names `single-cell`)
//! - `VOCB`: the vocabulary, as `synthome_vocab::Vocabulary::encode` writes it
//! - `SCMD`: single-cell section format version (u32, [`SC_FORMAT_VERSION`]), mean log
//!   library size of the training cells (f32)
//! - `SCTY`: n cell types: id, label, then per type: latent genes (n, u32 indices), factors K
//!   (u32), scales (K f32), loadings (K x n f32), bank rows (u32) and values (rows x K f32),
//!   jitter (f32), whether it has per-gene dispersions (u8 0/1); then the dispersions of every
//!   type that has them as i16 fixed point of log(phi) in steps of 2^-10
//! - `SCGR`: n groups: cell type (u32), cells (u32), log library offset and sd (f32), metadata
//!   fields (as `synthome_bundle::shared` writes them); then every group's log profile as i16 fixed point in steps
//!   of 2^-10 (max error 0.0005 in natural log); an atlas group (empty profile) stores none
//! - `SCDT`: the dispersion trend: n knots (u32), ln means (n f32), ln phi (n f32)
//! - `SCAP`: the atlas profiles: columns (u32), then one code per gene and column, gene-major,
//!   four codes per little-endian u32 (zero-padded): gene-major bytes put each gene's values
//!   in all atlas groups side by side, which is what makes them compress
//!
//! The `KIND` section tells the two apart: a bulk bundle read here, or this bundle read by
//! `synthome_model::bundle::read`, fails with a kind mismatch.

mod read;
mod write;

pub use read::{read, read_sections};
pub use write::write;

/// Version of the single-cell sections this code writes and reads
pub const SC_FORMAT_VERSION: u32 = 2;
/// Fixed-point precision (bits after the binary point) of stored log values
const LOG_FIXED_BITS: i32 = 10;
/// Smallest stored dispersion (log of 0 is not representable)
const MIN_DISPERSION: f32 = 1e-6;
/// Section tags of the single-cell model, in the order they are written (after `KIND`)
const TAGS: [&[u8; 4]; 8] = [
    b"CARD", b"GENE", b"VOCB", b"SCMD", b"SCTY", b"SCGR", b"SCDT", b"SCAP",
];
