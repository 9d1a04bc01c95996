//! Generating Kang cells (healthy blood) of one type and condition through the model's public
//! query path, for the latent calibration and the realism report

use serde_json::{Value, json};
use synthome_matrix::ExpressionValues;
use synthome_query::{Limits, parse_and_validate};
use synthome_sc_model::ScModel;

use crate::error::BuildError;

/// Sparse cells over the measured genes: (genes, counts) per cell
pub type Cells = Vec<(Vec<u32>, Vec<u32>)>;

/// Generates `n` cells of a type and condition with `seed` (stimulated cells with `seed + 1`);
/// keeps the measured genes
#[allow(clippy::too_many_arguments)]
pub fn generate(
    model: &ScModel,
    cell_type: &str,
    stimulated: bool,
    n: usize,
    total_count: f64,
    measured: &[bool],
    seed: u64,
) -> Result<Cells, BuildError> {
    let metadata = if stimulated {
        json!({"cell_type_ontology_id": cell_type, "perturbation_type": "peptide or biologic",
               "perturbation_ontology_id": "ENSG00000171855", "perturbation_time": "6 hours",
               "tissue_ontology_id": "UBERON:0000178", "disease_ontology_id": "PATO:0000461"})
    } else {
        json!({"cell_type_ontology_id": cell_type, "perturbation_type": "control",
               "tissue_ontology_id": "UBERON:0000178", "disease_ontology_id": "PATO:0000461"})
    };
    let query = json!({
        "sampling_strategy": "sample generation",
        "total_count": total_count,
        "seed": seed,
        "inputs": [{"metadata": metadata, "num_samples": n}],
    });
    let cells = generate_query(model, &query, seed + u64::from(stimulated)).map_err(|detail| {
        BuildError::Data {
            step: "generation",
            detail,
        }
    })?;
    Ok(cells
        .into_iter()
        .map(|(genes, counts)| {
            genes
                .iter()
                .zip(&counts)
                .filter(|(gene, _)| measured[**gene as usize])
                .map(|(&gene, &count)| (gene, count))
                .unzip()
        })
        .collect())
}

/// The cells of a sample-generation `query` run with `seed` through the model's public query
/// path (validation, then generation), as sparse (genes, counts) rows; the error is the
/// validation's or the model's message
pub fn generate_query(model: &ScModel, query: &Value, seed: u64) -> Result<Cells, String> {
    let valid = parse_and_validate(&query.to_string(), &model.target(), &Limits::default())
        .map_err(|errors| errors.to_string())?;
    let output = model
        .generate(&valid, seed, &mut |_, _| {})
        .map_err(|error| error.to_string())?;
    let ExpressionValues::SparseCounts(csr) = output.matrix.values() else {
        return Err("sample generation did not return sparse counts".to_owned());
    };
    Ok(csr
        .rows()
        .map(|(genes, counts)| (genes.to_vec(), counts.to_vec()))
        .collect())
}
