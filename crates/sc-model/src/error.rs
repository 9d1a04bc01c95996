//! Errors of generation (bundle and parameter errors are `synthome_model::BundleError` and
//! `synthome_model::ParamsError`, shared by the model family)

use synthome_matrix::MatrixError;

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
    /// The cell type is known, but not in the tissue asked for
    #[error(
        "inputs[{input}]: the model has {cell_type} only in tissue_ontology_id {tissues}, not in {tissue}; use one of those or leave tissue_ontology_id out to draw from them"
    )]
    NotInTissue {
        /// Input index
        input: usize,
        /// The cell type asked for
        cell_type: String,
        /// The tissue asked for
        tissue: String,
        /// The tissues that have the cell type, joined by commas
        tissues: String,
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
