//! `provenance.json`: the small file written beside CSV, TSV and MEX outputs.
//!
//! ```json
//! {"format": "synthome-provenance", "format_version": 1,
//!  "model_id": "...", "model_version": "...", "bundle_sha256": "...", "seed": 11,
//!  "sampling_strategy": "...", "warnings": [], "query": {...},
//!  "n_samples": 2, "n_genes": 3, "values": "counts",
//!  "inferred_metadata": {"sample_1": ["tissue_ontology_id"]}}
//! ```
//! `values` is `counts`, `expected counts` (mean estimation, kept as floats) or `sparse counts`;
//! `inferred_metadata` lists, per sample that has any, the keys the engine filled in.

use std::io::Write;

use serde_json::{Map, Value, json};
use synthome_matrix::{ExpressionMatrix, ExpressionValues, Provenance, SampleMetadata};

use crate::FormatError;
use crate::json::parse_query;

/// Writes `provenance.json` for a result.
pub fn write<W: Write>(
    mut out: W,
    matrix: &ExpressionMatrix,
    provenance: &Provenance,
) -> Result<(), FormatError> {
    let document = document(matrix, provenance)?;
    serde_json::to_writer_pretty(&mut out, &document)
        .map_err(|error| FormatError::Io(error.into()))?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(())
}

/// Writes `provenance.json` for a result generated in parts: its `samples` (those of every
/// part, in order), `n_genes` and `values` (a [`values_kind`]); the bytes are those of [`write`]
/// on the whole matrix.
pub fn write_summary<W: Write>(
    mut out: W,
    samples: &[SampleMetadata],
    n_genes: usize,
    values: &str,
    provenance: &Provenance,
) -> Result<(), FormatError> {
    let document = summary(samples, n_genes, values, provenance)?;
    serde_json::to_writer_pretty(&mut out, &document)
        .map_err(|error| FormatError::Io(error.into()))?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(())
}

/// The provenance document as a JSON value (also embedded by other formats).
pub(crate) fn document(
    matrix: &ExpressionMatrix,
    provenance: &Provenance,
) -> Result<Value, FormatError> {
    summary(
        matrix.samples(),
        matrix.n_genes(),
        values_kind(matrix.values()),
        provenance,
    )
}

pub(crate) fn summary(
    samples: &[SampleMetadata],
    n_genes: usize,
    values: &str,
    provenance: &Provenance,
) -> Result<Value, FormatError> {
    let mut inferred = Map::new();
    for sample in samples {
        let keys: Vec<&str> = sample
            .fields
            .iter()
            .filter(|field| field.inferred)
            .map(|field| field.key.as_str())
            .collect();
        if !keys.is_empty() {
            inferred.insert(sample.sample_id.clone(), json!(keys));
        }
    }
    Ok(json!({
        "format": "synthome-provenance",
        "format_version": 1,
        "model_id": provenance.model_id,
        "model_version": provenance.model_version,
        "bundle_sha256": provenance.bundle_sha256,
        "seed": provenance.seed,
        "sampling_strategy": provenance.sampling_strategy,
        "warnings": provenance.warnings,
        "query": parse_query(&provenance.query_json)?,
        "n_samples": samples.len(),
        "n_genes": n_genes,
        "values": values,
        "inferred_metadata": inferred,
    }))
}

/// What the values of a matrix are, in words (`provenance.json`'s `values`).
pub fn values_kind(values: &ExpressionValues) -> &'static str {
    match values {
        ExpressionValues::Counts(_) => "counts",
        ExpressionValues::Expected(_) => "expected counts",
        ExpressionValues::SparseCounts(_) => "sparse counts",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{matrix_with, provenance};
    use synthome_matrix::Dense;

    #[test]
    fn provenance_names_model_query_seed_and_inferred_keys() {
        let matrix = matrix_with(ExpressionValues::Expected(
            Dense::new(2, 3, vec![0.0; 6]).unwrap_or_else(|error| panic!("{error}")),
        ));
        let mut out = Vec::new();
        write(&mut out, &matrix, &provenance()).unwrap_or_else(|error| panic!("{error}"));
        let parsed: Value = serde_json::from_slice(&out).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(parsed["model_id"], "synthome-bulk-v1");
        assert_eq!(parsed["bundle_sha256"], "abc");
        assert_eq!(parsed["seed"], 11);
        assert_eq!(parsed["query"], json!({"inputs": []}));
        assert_eq!(parsed["values"], "expected counts");
        assert_eq!(
            parsed["inferred_metadata"],
            json!({"sample_1": ["tissue_ontology_id"]})
        );
        assert_eq!(parsed["warnings"], json!(["w1"]));
    }
}
