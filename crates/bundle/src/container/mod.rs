//! The bundle container shared by every bundle kind (bulk, single cell): tagged sections behind a
//! magic, a format version and a section table, sealed by a sha256 of everything before it.
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
//! What a section holds is up to the bundle kind; [`FieldWriter`] and [`FieldReader`] encode
//! the little-endian fields sections are made of (strings are a u32 byte length then UTF-8).
//!
//! ```
//! use synthome_bundle::container::{self, FieldReader, FieldWriter, Writer};
//! # fn main() -> Result<(), synthome_bundle::container::ContainerError> {
//! let mut fields = FieldWriter::default();
//! fields.str("hello");
//! fields.f32(1.5);
//! let mut writer = Writer::new();
//! writer.section(b"DEMO", fields.into_bytes());
//! let bytes = writer.finish();
//!
//! let sections = container::read(&bytes)?;
//! let Some(content) = sections.get(b"DEMO") else {
//!     panic!("the DEMO section was written")
//! };
//! let mut input = FieldReader::new(content, "DEMO");
//! assert_eq!(input.str()?, "hello");
//! assert_eq!(input.f32()?, 1.5);
//! input.finish()?;
//! # Ok(()) }
//! ```

mod error;
mod fields;
mod read;
mod write;

pub use error::ContainerError;
pub use fields::{FieldReader, FieldWriter};
pub use read::{Sections, read};
pub use write::Writer;

/// The first 8 bytes of every bundle
pub const MAGIC: &[u8; 8] = b"SYNBNDL\0";
/// The container format version this code writes and reads
pub const FORMAT_VERSION: u32 = 1;
/// Bytes before the section table: magic, version, section count
const HEADER_LEN: usize = 16;
/// Bytes of one section table entry: tag, offset, length
const ENTRY_LEN: usize = 20;
/// Bytes of the trailing sha256
const CHECKSUM_LEN: usize = 32;

/// Lower-case hex of `bytes`
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Lower-case hex sha256 of `bytes` (the `bundle_sha256` of provenance)
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(bytes))
}
