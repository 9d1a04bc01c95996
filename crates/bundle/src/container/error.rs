//! Container errors: each says what is wrong with the bytes and where

use crate::kind::BundleKind;

/// Why bytes are not a well-formed container, or a section's fields could not be read
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ContainerError {
    /// Fewer bytes than the header, the section table or a section needs
    #[error(
        "the bundle is truncated: {what} needs {needed} bytes at offset {offset} but the file has {available}"
    )]
    Truncated {
        /// What was being read
        what: String,
        /// Bytes needed
        needed: u64,
        /// Where
        offset: u64,
        /// Bytes in the file
        available: u64,
    },
    /// The file does not start with the bundle magic
    #[error("not a Synthome bundle: the file starts with {found:?}, expected {expected:?}")]
    BadMagic {
        /// First bytes of the file
        found: Vec<u8>,
        /// The magic
        expected: Vec<u8>,
    },
    /// The container format version is not one this code reads
    #[error(
        "bundle format version {found} is not supported; this build reads version {supported} (rebuild the bundle or update Synthome)"
    )]
    UnsupportedVersion {
        /// Version in the file
        found: u32,
        /// Version this code reads
        supported: u32,
    },
    /// The trailing checksum does not match the content
    #[error(
        "bundle checksum mismatch: the file says sha256 {stored} but its content hashes to {computed} (the file is corrupt)"
    )]
    Checksum {
        /// Stored checksum (hex)
        stored: String,
        /// Computed checksum (hex)
        computed: String,
    },
    /// A section's content is malformed
    #[error("section {section:?} is malformed: {detail}")]
    Corrupt {
        /// The section tag
        section: String,
        /// What is wrong
        detail: String,
    },
    /// The bundle has no `KIND` section
    #[error(
        "the bundle has no \"KIND\" section saying which model it holds; it was written by an older Synthome (rebuild it with `synthome build-model`)"
    )]
    MissingKind,
    /// The `KIND` section names a model this code does not know
    #[error(
        "the bundle holds a {found:?} model, which this build does not know (it knows bulk and single-cell); update Synthome"
    )]
    UnknownKind {
        /// The kind name in the file
        found: String,
    },
    /// The bundle holds another model than the one reading it
    #[error("this is a {found} bundle, not a {expected} bundle")]
    WrongKind {
        /// The kind the reader reads
        expected: BundleKind,
        /// The kind the bundle holds
        found: BundleKind,
    },
}
