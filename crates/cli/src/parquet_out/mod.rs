//! `synthome generate --format parquet` (cargo feature `parquet`, native CLI only): a result
//! written in parts as two Parquet files, for `pandas.read_parquet` / `pyarrow`.
//!
//! - `PATH.parquet`: the wide expression table, one row per sample: `sample_id` (utf8), then one
//!   column per gene named by its Ensembl id, int32 counts (float32 for expected counts, mean
//!   estimation), plain-encoded (a dictionary per column of 20,000 costs more memory than it
//!   saves), snappy-compressed, without statistics; row groups of
//!   [`rows_per_group`](row_groups::rows_per_group) samples (about 3,300 for the bulk model),
//!   which may span parts and inputs, each written a column at a time ([`row_groups`]). The
//!   key-value metadata
//!   `synthome` holds the provenance document (that of `provenance.json`) and `gene_symbols`
//!   the gene symbols as a JSON list in column order.
//! - `PATH.metadata.parquet`: the sample metadata table (`sample_id`, then every metadata key in
//!   first-seen order, utf8, null where a sample lacks the key), written at the end. It is a
//!   file of its own because a Parquet schema is fixed before the first row group, while the keys
//!   a sample has are known only once it is generated.
//!
//! Memory: one part's matrix, one row group's buffered values and the footer's metadata
//! (measured in `examples/streams.rs`).

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use synthome_engine::{ModelEntry, Prepared};
use synthome_formats::FormatError;
use synthome_formats::provenance::{values_kind, write_summary};
use synthome_matrix::{ExpressionValues, GeneTable, Provenance, SampleMetadata};

use crate::in_parts::{PartsError, run_in_parts};

mod row_groups;

use self::row_groups::RowGroupWriter;

/// The two files of a Parquet result at PATH (a trailing `.parquet` dropped first).
pub fn parquet_paths(path: &Path) -> [PathBuf; 2] {
    let text = path.to_string_lossy();
    let stem = text
        .strip_suffix(".parquet")
        .map_or_else(|| text.to_string(), str::to_string);
    [
        PathBuf::from(format!("{stem}.parquet")),
        PathBuf::from(format!("{stem}.metadata.parquet")),
    ]
}

fn parquet_error(error: parquet::errors::ParquetError) -> FormatError {
    FormatError::Io(std::io::Error::other(error.to_string()))
}

fn arrow_error(error: arrow_schema::ArrowError) -> FormatError {
    FormatError::Io(std::io::Error::other(error.to_string()))
}

/// Generates `prepared` a part at a time and writes the two Parquet files of `path`
/// ([`parquet_paths`]); returns them and the provenance.
pub fn write_parquet_in_parts(
    entry: &ModelEntry,
    prepared: &Prepared,
    threads: usize,
    path: &Path,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<(Vec<PathBuf>, Provenance), PartsError> {
    let [expression_path, metadata_path] = parquet_paths(path);
    let genes = entry.engine.genes();
    let mut writer: Option<RowGroupWriter> = None;
    let mut samples: Vec<SampleMetadata> = Vec::new();
    let mut values = None;
    let provenance = run_in_parts(entry, prepared, threads, progress, &mut |matrix| {
        if writer.is_none() {
            let float = matches!(matrix.values(), ExpressionValues::Expected(_));
            let schema = expression_schema(&genes, float);
            let file = File::create(&expression_path)?;
            writer = Some(RowGroupWriter::new(file, &schema)?);
        }
        if let Some(writer) = writer.as_mut() {
            writer.push(matrix)?;
        }
        samples.extend_from_slice(matrix.samples());
        values.get_or_insert(values_kind(matrix.values()));
        Ok(())
    })?;
    let Some(writer) = writer else {
        return Err(FormatError::Io(std::io::Error::other("the query generated no part")).into());
    };
    let mut document = Vec::new();
    write_summary(
        &mut document,
        &samples,
        genes.len(),
        values.unwrap_or("counts"),
        &provenance,
    )?;
    let document = String::from_utf8_lossy(&document).trim_end().to_string();
    let symbols = serde_json::to_string(genes.symbols()).unwrap_or_default();
    writer.finish(vec![
        KeyValue::new("synthome".into(), document.clone()),
        KeyValue::new("gene_symbols".into(), symbols),
    ])?;
    write_metadata(&metadata_path, &samples, document)?;
    Ok((vec![expression_path, metadata_path], provenance))
}

fn expression_schema(genes: &GeneTable, float: bool) -> Schema {
    let kind = if float {
        DataType::Float32
    } else {
        DataType::Int32
    };
    let fields: Vec<Field> = std::iter::once(Field::new("sample_id", DataType::Utf8, false))
        .chain(
            genes
                .ids()
                .iter()
                .map(|id| Field::new(id.as_str(), kind.clone(), false)),
        )
        .collect();
    Schema::new(fields)
}

/// The sample metadata table (`sample_id`, then every key in first-seen order).
fn write_metadata(
    path: &Path,
    samples: &[SampleMetadata],
    document: String,
) -> Result<(), FormatError> {
    let mut keys: Vec<&str> = Vec::new();
    for sample in samples {
        for field in &sample.fields {
            if !keys.contains(&field.key.as_str()) {
                keys.push(&field.key);
            }
        }
    }
    let fields: Vec<Field> = std::iter::once(Field::new("sample_id", DataType::Utf8, false))
        .chain(
            keys.iter()
                .map(|key| Field::new(*key, DataType::Utf8, true)),
        )
        .collect();
    let schema = Arc::new(Schema::new(fields));
    let mut columns: Vec<ArrayRef> = vec![Arc::new(StringArray::from_iter_values(
        samples.iter().map(|sample| sample.sample_id.as_str()),
    ))];
    for key in &keys {
        columns.push(Arc::new(StringArray::from_iter(
            samples.iter().map(|sample| sample.get(key)),
        )));
    }
    let batch = RecordBatch::try_new(schema.clone(), columns).map_err(arrow_error)?;
    let out = BufWriter::new(File::create(path)?);
    let properties = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .build();
    let mut writer = ArrowWriter::try_new(out, schema, Some(properties)).map_err(parquet_error)?;
    writer.write(&batch).map_err(parquet_error)?;
    writer.append_key_value_metadata(KeyValue::new("synthome".into(), document));
    writer.close().map_err(parquet_error)?;
    Ok(())
}
