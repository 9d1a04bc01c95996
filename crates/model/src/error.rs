//! Errors of generation (parameter errors are [`crate::family::ParamsError`])

use synthome_matrix::MatrixError;

/// A query the model cannot generate (valid against the vocabulary, but not combinable)
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GenerateError {
    /// No training context is consistent with the given context keys
    #[error(
        "inputs[{input}]: the model has no context with {conditions}; combine values that occur together (see the vocabulary) or remove one"
    )]
    NoContext {
        /// Input index
        input: usize,
        /// The conditions given, `key=value` joined by commas
        conditions: String,
    },
    /// The perturbation exists, but not with the requested perturbation_type
    #[error(
        "inputs[{input}]: perturbation {id} is not known as perturbation_type {kind:?}; known types for it: {known}"
    )]
    PerturbationKind {
        /// Input index
        input: usize,
        /// The perturbation id
        id: String,
        /// The requested type
        kind: String,
        /// The types the model has for this id
        known: String,
    },
    /// The perturbation id is not one the model has responses for
    #[error(
        "inputs[{input}]: perturbation_ontology_id {id} has no response in the model; choose one from the vocabulary"
    )]
    UnknownPerturbation {
        /// Input index
        input: usize,
        /// The perturbation id
        id: String,
    },
    /// A disease the model has, asked for on a tissue or context it was not measured on
    #[error(
        "inputs[{input}]: disease_ontology_id {disease} is not modelled with {asked}; the model has it only on {tissues} (a disease signature is not transferred to another tissue): use one of those tissues or remove disease_ontology_id"
    )]
    DiseaseTissue {
        /// Input index
        input: usize,
        /// The disease id and label
        disease: String,
        /// The context keys given, `key=value` joined by commas
        asked: String,
        /// The tissues (UBERON id and context) the model has the disease on
        tissues: String,
    },
    /// An age asked for on a context where age means nothing to the model (a cell line)
    #[error(
        "inputs[{input}]: age_years {age} cannot be used with {context}: the model has no age data for cell lines; age is modelled on {modelled}; remove age_years"
    )]
    AgeNotModelled {
        /// Input index
        input: usize,
        /// The age given
        age: String,
        /// The context chosen
        context: String,
        /// Where age is modelled
        modelled: String,
    },
    /// The query asks for more values than fit in memory addressing
    #[error(
        "the query asks for {samples} samples x {genes} genes, more than this platform can address"
    )]
    TooLarge {
        /// Samples requested
        samples: u64,
        /// Genes per sample
        genes: usize,
    },
    /// The result could not be assembled
    #[error("could not assemble the result: {0}")]
    Matrix(#[from] MatrixError),
}
