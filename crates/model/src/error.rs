//! Errors of model construction and generation

use synthome_matrix::MatrixError;

/// Parameters that do not fit together (a builder or bundle bug, or a corrupt bundle)
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ModelError {
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
    /// The model has no training condition (nothing to fill unspecified keys from)
    #[error("the model has no training conditions; at least one is needed")]
    NoConditions,
}

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
