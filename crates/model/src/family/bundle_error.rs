//! Bundle reading errors, the same for every model's codec: each says what is wrong with the
//! bytes

use synthome_bundle::container::ContainerError;
use synthome_matrix::MatrixError;
use synthome_vocab::VocabError;

use super::ParamsError;

/// Why bytes could not be read as a model's bundle
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BundleError {
    /// The container is damaged (truncated, wrong magic or version, checksum), holds another
    /// kind of model, or a section's fields are malformed
    #[error(transparent)]
    Container(#[from] ContainerError),
    /// A required section is absent
    #[error("the bundle has no {0:?} section")]
    MissingSection(String),
    /// The model's own sections are in a format version this code does not read
    #[error(
        "{model} section format version {found} is not supported; this build reads version {supported} (rebuild the bundle or update Synthome)"
    )]
    UnsupportedVersion {
        /// The model (`single-cell`)
        model: &'static str,
        /// Version in the file
        found: u32,
        /// Version this code reads
        supported: u32,
    },
    /// The vocabulary section could not be decoded
    #[error("the vocabulary section could not be decoded: {0}")]
    Vocabulary(#[from] VocabError),
    /// The gene table is invalid
    #[error("the gene table is invalid: {0}")]
    Genes(#[from] MatrixError),
    /// The parameters do not fit together
    #[error("the model parameters are inconsistent: {0}")]
    Params(#[from] ParamsError),
}
