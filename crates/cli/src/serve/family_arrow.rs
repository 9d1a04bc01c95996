//! The synchronous Arrow answer of the model families (self-hosted form, as pysynthbio and
//! rsynthbio read it). Schema metadata: `request_type` (`predict_metadata` or
//! `reference_conditioned`), `model_version`, `gene_order` (JSON array), `model_id`,
//! `bundle_sha256`, `seed`.
//!
//! - `reference_conditioned`: `counts` list<int32>, `metadata` struct<utf8...>, and
//!   `biological_latent`, `technical_latent`, `perturbation_latent` list<float32>;
//! - `predict_metadata`: `metadata` struct<utf8...>, `latents` struct<biological, technical,
//!   perturbation: list<float32>>, `classifier_probs` struct<key: struct<value: float64>>,
//!   `decoder_sample` struct<counts: list<int32>>.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use arrow_array::builder::{
    Float32Builder, Float64Builder, Int32Builder, ListBuilder, StringBuilder,
};
use arrow_array::{Array, ArrayRef, RecordBatch, StructArray};
use arrow_schema::{ArrowError, DataType, Field, Fields, Schema};
use synthome_engine::families::{Family, FamilyResult, Latents};
use synthome_matrix::{Provenance, Row};

fn schema_metadata(
    family: Family,
    provenance: &Provenance,
    gene_ids: &[String],
) -> HashMap<String, String> {
    HashMap::from([
        (
            "request_type".to_string(),
            family.request_type().to_string(),
        ),
        (
            "model_version".to_string(),
            provenance.model_version.clone(),
        ),
        (
            "gene_order".to_string(),
            serde_json::to_string(gene_ids).unwrap_or_default(),
        ),
        ("model_id".to_string(), provenance.model_id.clone()),
        (
            "bundle_sha256".to_string(),
            provenance.bundle_sha256.clone(),
        ),
        ("seed".to_string(), provenance.seed.to_string()),
    ])
}

fn float_list_type() -> DataType {
    DataType::List(Arc::new(Field::new("item", DataType::Float32, true)))
}

fn int_list_type() -> DataType {
    DataType::List(Arc::new(Field::new("item", DataType::Int32, true)))
}

fn float_lists(rows: impl Iterator<Item = Vec<f32>>) -> ArrayRef {
    let mut builder = ListBuilder::new(Float32Builder::new());
    for row in rows {
        builder.values().append_slice(&row);
        builder.append(true);
    }
    Arc::new(builder.finish())
}

fn int_lists(rows: impl Iterator<Item = Vec<i32>>) -> ArrayRef {
    let mut builder = ListBuilder::new(Int32Builder::new());
    for row in rows {
        builder.values().append_slice(&row);
        builder.append(true);
    }
    Arc::new(builder.finish())
}

/// A struct<utf8...> column: one field per key, in the order given
fn string_struct(
    keys: &[String],
    rows: &[Vec<(String, String)>],
) -> Result<StructArray, ArrowError> {
    let fields: Fields = keys
        .iter()
        .map(|key| Field::new(key, DataType::Utf8, true))
        .collect::<Vec<_>>()
        .into();
    let columns: Vec<ArrayRef> = keys
        .iter()
        .map(|key| {
            let mut column = StringBuilder::new();
            for row in rows {
                column.append_option(row.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()));
            }
            Arc::new(column.finish()) as ArrayRef
        })
        .collect();
    StructArray::try_new(fields, columns, None)
}

fn rounded(value: f32) -> i32 {
    if value.is_nan() || value <= 0.0 {
        0
    } else {
        value.round().min(i32::MAX as f32) as i32
    }
}

fn latent_columns(latents: &[Latents]) -> [ArrayRef; 3] {
    [
        float_lists(latents.iter().map(|l| l.biological.clone())),
        float_lists(latents.iter().map(|l| l.technical.clone())),
        float_lists(latents.iter().map(|l| l.perturbation.clone())),
    ]
}

/// Encodes a family result as an Arrow IPC stream
pub fn encode_family(
    family: Family,
    result: &FamilyResult,
    gene_ids: &[String],
) -> Result<Vec<u8>, ArrowError> {
    let (schema, columns) = match result {
        FamilyResult::Conditioned {
            matrix,
            latents,
            provenance,
        } => {
            let mut keys: Vec<String> = Vec::new();
            for sample in matrix.samples() {
                for field in &sample.fields {
                    if !keys.contains(&field.key) {
                        keys.push(field.key.clone());
                    }
                }
            }
            keys.push("sample_id".into());
            let rows: Vec<Vec<(String, String)>> = matrix
                .samples()
                .iter()
                .map(|sample| {
                    let mut row: Vec<(String, String)> = sample
                        .fields
                        .iter()
                        .map(|field| (field.key.clone(), field.value.clone()))
                        .collect();
                    row.push(("sample_id".into(), sample.sample_id.clone()));
                    row
                })
                .collect();
            let metadata = string_struct(&keys, &rows)?;
            let counts = int_lists((0..matrix.n_samples()).map(|sample| {
                match matrix.row(sample) {
                    Some(Row::Counts(values)) => values
                        .iter()
                        .map(|&v| i32::try_from(v).unwrap_or(i32::MAX))
                        .collect(),
                    Some(Row::Expected(values)) => values.iter().map(|&v| rounded(v)).collect(),
                    Some(Row::Sparse { indices, values }) => {
                        let mut dense = vec![0i32; matrix.n_genes()];
                        for (gene, count) in indices.iter().zip(values.iter()) {
                            if let Some(slot) = dense.get_mut(gene as usize) {
                                *slot = i32::try_from(count).unwrap_or(i32::MAX);
                            }
                        }
                        dense
                    }
                    None => vec![0; matrix.n_genes()],
                }
            }));
            let [biological, technical, perturbation] = latent_columns(latents);
            let schema = Schema::new(vec![
                Field::new("counts", int_list_type(), false),
                Field::new("metadata", metadata.data_type().clone(), false),
                Field::new("biological_latent", float_list_type(), false),
                Field::new("technical_latent", float_list_type(), false),
                Field::new("perturbation_latent", float_list_type(), false),
            ])
            .with_metadata(schema_metadata(family, provenance, gene_ids));
            let columns = vec![
                counts,
                Arc::new(metadata) as ArrayRef,
                biological,
                technical,
                perturbation,
            ];
            (schema, columns)
        }
        FamilyResult::Predicted {
            samples,
            provenance,
        } => {
            let mut keys: Vec<String> = Vec::new();
            let mut values: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for sample in samples {
                for (key, _) in &sample.prediction.metadata {
                    if !keys.iter().any(|known| known == key.as_str()) {
                        keys.push(key.as_str().to_owned());
                    }
                }
                for (key, probabilities) in &sample.prediction.classifier_probs {
                    let known = values.entry(key.clone()).or_default();
                    for value in probabilities.keys() {
                        if !known.contains(value) {
                            known.push(value.clone());
                        }
                    }
                }
            }
            let rows: Vec<Vec<(String, String)>> = samples
                .iter()
                .map(|sample| {
                    sample
                        .prediction
                        .metadata
                        .iter()
                        .map(|(key, value)| (key.as_str().to_owned(), value.clone()))
                        .collect()
                })
                .collect();
            let metadata = string_struct(&keys, &rows)?;
            let latents: Vec<Latents> = samples
                .iter()
                .map(|s| s.prediction.latents.clone())
                .collect();
            let [biological, technical, perturbation] = latent_columns(&latents);
            let latent_fields: Fields = vec![
                Field::new("biological", float_list_type(), false),
                Field::new("technical", float_list_type(), false),
                Field::new("perturbation", float_list_type(), false),
            ]
            .into();
            let latents_column = StructArray::try_new(
                latent_fields,
                vec![biological, technical, perturbation],
                None,
            )?;
            let mut key_fields = Vec::new();
            let mut key_columns: Vec<ArrayRef> = Vec::new();
            for (key, known) in &values {
                let value_fields: Fields = known
                    .iter()
                    .map(|value| Field::new(value, DataType::Float64, true))
                    .collect::<Vec<_>>()
                    .into();
                let value_columns: Vec<ArrayRef> = known
                    .iter()
                    .map(|value| {
                        let mut column = Float64Builder::new();
                        for sample in samples {
                            column.append_option(
                                sample
                                    .prediction
                                    .classifier_probs
                                    .get(key)
                                    .and_then(|p| p.get(value))
                                    .copied(),
                            );
                        }
                        Arc::new(column.finish()) as ArrayRef
                    })
                    .collect();
                let column = StructArray::try_new(value_fields, value_columns, None)?;
                key_fields.push(Field::new(key, column.data_type().clone(), false));
                key_columns.push(Arc::new(column));
            }
            let probs = StructArray::try_new(key_fields.into(), key_columns, None)?;
            let decoder_counts = int_lists(
                samples
                    .iter()
                    .map(|sample| sample.decoder_sample.iter().map(|&v| rounded(v)).collect()),
            );
            let decoder = StructArray::try_new(
                vec![Field::new("counts", int_list_type(), false)].into(),
                vec![decoder_counts],
                None,
            )?;
            let schema = Schema::new(vec![
                Field::new("metadata", metadata.data_type().clone(), false),
                Field::new("latents", latents_column.data_type().clone(), false),
                Field::new("classifier_probs", probs.data_type().clone(), false),
                Field::new("decoder_sample", decoder.data_type().clone(), false),
            ])
            .with_metadata(schema_metadata(family, provenance, gene_ids));
            let columns: Vec<ArrayRef> = vec![
                Arc::new(metadata),
                Arc::new(latents_column),
                Arc::new(probs),
                Arc::new(decoder),
            ];
            (schema, columns)
        }
    };
    let schema = Arc::new(schema);
    let batch = RecordBatch::try_new(schema.clone(), columns)?;
    let mut out = Vec::new();
    let mut writer = arrow_ipc::writer::StreamWriter::try_new(&mut out, &schema)?;
    writer.write(&batch)?;
    writer.finish()?;
    drop(writer);
    Ok(out)
}
