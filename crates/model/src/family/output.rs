//! What a model's generation returns, and how its rows become one

use std::sync::Arc;

use synthome_matrix::{
    Dense, ExpressionMatrix, ExpressionValues, GeneTable, MatrixError, SampleMetadata,
};

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

impl GenerateOutput {
    /// The result of generating one row per entry of `samples` over `genes`: the drawn
    /// `counts` when the query drew noise, else the `expected` values (row-major, one per gene)
    pub fn assemble(
        genes: &Arc<GeneTable>,
        samples: Vec<SampleMetadata>,
        counts: Option<ExpressionValues>,
        expected: Vec<f32>,
        warnings: Vec<String>,
    ) -> Result<GenerateOutput, MatrixError> {
        let values = match counts {
            Some(counts) => counts,
            None => ExpressionValues::Expected(Dense::new(samples.len(), genes.len(), expected)?),
        };
        let matrix = ExpressionMatrix::new(genes.clone(), samples, values)?;
        Ok(GenerateOutput { matrix, warnings })
    }
}
