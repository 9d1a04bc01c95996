//! Asks the model for samples the way a user would: query JSON, validation against the
//! model's vocabulary, `BulkModel::generate`

use synthome_matrix::ExpressionValues;
use synthome_model::BulkModel;
use synthome_query::{
    BULK_DEFAULT_TOTAL_COUNT, Limits, ModelTarget, SamplingStrategy, parse_and_validate,
};

use crate::error::RealismError;

/// One request: metadata, how many samples, depth, strategy
#[derive(Debug, Clone)]
pub(crate) struct Request<'a> {
    /// What the samples are for (error messages)
    pub what: &'a str,
    /// Metadata key and value pairs
    pub metadata: &'a [(&'a str, String)],
    /// Number of samples
    pub samples: u32,
    /// Library size
    pub total_count: f64,
    /// Counts with noise, or expected counts
    pub strategy: SamplingStrategy,
    /// Take the mean latent state (and the commonest inferred values)
    pub deterministic: bool,
    /// Seed
    pub seed: u64,
}

/// The samples as rows of f64 values (counts or expected counts), one per model gene
pub(crate) fn rows(
    model: &BulkModel,
    request: &Request<'_>,
) -> Result<Vec<Vec<f64>>, RealismError> {
    let metadata: serde_json::Map<String, serde_json::Value> = request
        .metadata
        .iter()
        .map(|(k, v)| ((*k).to_owned(), serde_json::Value::String(v.clone())))
        .collect();
    let query = serde_json::json!({
        "sampling_strategy": request.strategy.as_str(),
        "inputs": [{"metadata": metadata, "num_samples": request.samples}],
        "total_count": request.total_count,
        "deterministic_latents": request.deterministic,
        "seed": request.seed,
    });
    let target = ModelTarget {
        name: "bulk model",
        vocabulary: model.vocabulary(),
        default_total_count: BULK_DEFAULT_TOTAL_COUNT,
        strategies: &SamplingStrategy::ALL,
    };
    let valid =
        parse_and_validate(&query.to_string(), &target, &Limits::default()).map_err(|errors| {
            RealismError::Query {
                what: request.what.to_owned(),
                message: errors.to_string(),
            }
        })?;
    let output = model
        .generate(&valid, request.seed, &mut |_, _| {})
        .map_err(|source| RealismError::Generate {
            what: request.what.to_owned(),
            source,
        })?;
    Ok(match output.matrix.values() {
        ExpressionValues::Counts(dense) => dense
            .rows()
            .map(|row| row.iter().map(|&c| f64::from(c)).collect())
            .collect(),
        ExpressionValues::Expected(dense) => dense
            .rows()
            .map(|row| row.iter().map(|&c| f64::from(c)).collect())
            .collect(),
        ExpressionValues::SparseCounts(_) => {
            return Err(RealismError::Query {
                what: request.what.to_owned(),
                message: "the model returned sparse counts; the report needs dense bulk values"
                    .to_owned(),
            });
        }
    })
}

/// log1p(CPM) of a row over the columns `genes` (the library is the sum over those columns)
pub(crate) fn log_cpm(row: &[f64], genes: &[usize]) -> Vec<f64> {
    let library: f64 = genes.iter().map(|&g| row[g]).sum::<f64>().max(1e-12);
    genes
        .iter()
        .map(|&g| (row[g] / library * 1e6).ln_1p())
        .collect()
}
