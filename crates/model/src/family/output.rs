//! What a model's generation returns

use synthome_matrix::ExpressionMatrix;

/// A generated result: the matrix and the warnings raised while generating
#[derive(Debug, Clone)]
pub struct GenerateOutput {
    /// One row per sample (or cell), in input order; metadata echoes the inputs plus inferred
    /// keys
    pub matrix: ExpressionMatrix,
    /// Warnings (transferred perturbations, clamped doses, sparse groups, ...), each once, in
    /// the order raised
    pub warnings: Vec<String>,
}
