//! Errors of model construction, generation and bundle reading

use synthome_bundle::container::ContainerError;
use synthome_matrix::MatrixError;
use synthome_vocab::VocabError;

/// Parameters that do not fit together (a builder bug or a corrupt bundle)
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParamsError {
    /// A per-gene vector has the wrong length
    #[error("{what} has {actual} values but the model has {expected} genes")]
    GeneCount {
        /// Which vector
        what: String,
        /// Its length
        actual: usize,
        /// The number of genes
        expected: usize,
    },
    /// An index points past the end of a table
    #[error("{what} refers to index {index} but there are only {len}")]
    Index {
        /// Which reference
        what: String,
        /// The index
        index: usize,
        /// The table length
        len: usize,
    },
    /// A value is not a finite number, or out of its range
    #[error("{what} is {value}, which is not valid: {rule}")]
    Value {
        /// Which value
        what: String,
        /// The offending value
        value: f64,
        /// What would be valid
        rule: String,
    },
    /// The model has no training group (nothing to generate or fill unspecified keys from)
    #[error("the model has no training groups; at least one cell type in one condition is needed")]
    NoGroups,
}

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
    /// The container is damaged (truncated, wrong magic or version, checksum), or a section's
    /// fields are malformed
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
        "the bundle has no {0:?} section; is it a single-cell bundle (synthome-sc-v1)? a bulk bundle is read by synthome-bundle"
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
