//! Loader errors: each says what is wrong with the bytes

use synthome_matrix::MatrixError;
use synthome_model::ModelError;
use synthome_vocab::VocabError;

/// Why bytes could not be read as a bundle
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BundleError {
    /// Fewer bytes than the header or a section needs
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
    /// The format version is not one this code reads
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
    /// A required section is absent
    #[error("the bundle has no {0:?} section")]
    MissingSection(String),
    /// A section's content is malformed
    #[error("section {section:?} is malformed: {detail}")]
    Corrupt {
        /// The section tag
        section: String,
        /// What is wrong
        detail: String,
    },
    /// The vocabulary section could not be decoded
    #[error("the vocabulary section could not be decoded: {0}")]
    Vocabulary(#[from] VocabError),
    /// The gene table is invalid
    #[error("the gene table is invalid: {0}")]
    Genes(#[from] MatrixError),
    /// The parameters do not fit together
    #[error("the model parameters are inconsistent: {0}")]
    Model(#[from] ModelError),
}
