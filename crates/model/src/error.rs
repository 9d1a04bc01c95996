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
