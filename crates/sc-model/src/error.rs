//! Errors of generation and bundle reading (parameter errors are `synthome_model::ParamsError`,
//! shared by the model family)

use synthome_bundle::container::ContainerError;
use synthome_matrix::MatrixError;
use synthome_model::ParamsError;
use synthome_vocab::VocabError;

/// A query the model cannot generate (valid against the vocabulary, but not combinable)
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GenerateError {
    /// No training group is consistent with the given conditions
    #[error(
        "inputs[{input}]: the model has no cells with {conditions}; combine values that occur together (control cells have no perturbation_ontology_id or perturbation_time) or remove one"
    )]
    NoGroup {
        /// Input index
        input: usize,
        /// The conditions given, `key=value` joined by commas
        conditions: String,
    },
    /// Mean estimation returns dense expected values, and the query asks for too many
    #[error(
        "mean estimation returns dense expected values and {cells} cells x {genes} genes is more than {max} values; ask for fewer cells or use \"sample generation\" (sparse counts)"
    )]
    TooLarge {
        /// Cells requested
        cells: u64,
        /// Genes per cell
        genes: usize,
        /// Most values allowed
        max: u64,
    },
    /// The result could not be assembled
    #[error("could not assemble the result: {0}")]
    Matrix(#[from] MatrixError),
}

/// Why bytes could not be read as a single-cell bundle
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BundleError {
    /// The container is damaged (truncated, wrong magic or version, checksum), holds another
    /// kind of model, or a section's fields are malformed
    #[error(transparent)]
    Container(#[from] ContainerError),
    /// The single-cell section format version is not one this code reads
    #[error(
        "single-cell section format version {found} is not supported; this build reads version {supported} (rebuild the bundle or update Synthome)"
    )]
    UnsupportedVersion {
        /// Version in the file
        found: u32,
        /// Version this code reads
        supported: u32,
    },
    /// A required section is absent
    #[error(
        "the bundle has no {0:?} section; is it a single-cell bundle (synthome-sc-v1)? a bulk bundle is read by synthome-model"
    )]
    MissingSection(String),
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
