//! The synchronous answer of self-hosted deployments: an Apache Arrow IPC stream, as pysynthbio
//! reads it with `self_hosted=True`.
//!
//! Schema metadata: `request_type` = `baseline`, `model_version`, `gene_order` (a JSON array),
//! plus the provenance (`model_id`, `bundle_sha256`, `seed`, `sampling_strategy`, `query`).
//! Columns: `counts` list<int32> (one full gene vector per sample: sparse rows are expanded,
//! expected counts rounded as in the JSON form) and `metadata` struct<utf8...> (every metadata key
//! and `sample_id`, unless the client adds its own). Rows go out in record batches of
//! [`BATCH_ROWS`], each written to the answer's body as soon as it is encoded
//! ([`BodyWriter`]): the encoded answer is never held whole, and encoding stops when the client
//! has gone.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;

use axum::body::Bytes;
use tokio::sync::mpsc;

use arrow_array::builder::{Int32Builder, ListBuilder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch, StructArray};
use arrow_schema::{ArrowError, DataType, Field, Fields, Schema};
use synthome_matrix::{ExpressionMatrix, Provenance, Row};

/// The media type of the answer.
pub const ARROW_STREAM: &str = "application/vnd.apache.arrow.stream";

/// Rows per record batch.
const BATCH_ROWS: usize = 256;

/// Bytes of the answer sent to the client at once.
const BODY_CHUNK: usize = 1 << 16;

/// Writes `matrix` as an Arrow IPC stream to `out`, a record batch at a time; `sample_id`
/// joins the metadata columns when `with_sample_id`.
pub fn write_stream<W: Write>(
    out: W,
    matrix: &ExpressionMatrix,
    provenance: &Provenance,
    with_sample_id: bool,
) -> Result<(), ArrowError> {
    let mut keys: Vec<String> = Vec::new();
    for sample in matrix.samples() {
        for field in &sample.fields {
            if !keys.contains(&field.key) {
                keys.push(field.key.clone());
            }
        }
    }
    if with_sample_id {
        keys.push("sample_id".into());
    }
    let struct_fields: Fields = keys
        .iter()
        .map(|key| Field::new(key, DataType::Utf8, true))
        .collect::<Vec<_>>()
        .into();
    let counts_type = DataType::List(Arc::new(Field::new("item", DataType::Int32, true)));
    let metadata = HashMap::from([
        ("request_type".to_string(), "baseline".to_string()),
        (
            "model_version".to_string(),
            provenance.model_version.clone(),
        ),
        (
            "gene_order".to_string(),
            serde_json::to_string(matrix.genes().ids()).unwrap_or_default(),
        ),
        ("model_id".to_string(), provenance.model_id.clone()),
        (
            "bundle_sha256".to_string(),
            provenance.bundle_sha256.clone(),
        ),
        ("seed".to_string(), provenance.seed.to_string()),
        (
            "sampling_strategy".to_string(),
            provenance.sampling_strategy.clone(),
        ),
        ("query".to_string(), provenance.query_json.clone()),
    ]);
    let schema = Arc::new(
        Schema::new(vec![
            Field::new("counts", counts_type, false),
            Field::new("metadata", DataType::Struct(struct_fields.clone()), false),
        ])
        .with_metadata(metadata),
    );
    let mut writer = arrow_ipc::writer::StreamWriter::try_new(out, &schema)?;
    let n_genes = matrix.n_genes();
    let samples = matrix.samples();
    let mut start = 0;
    while start < samples.len() {
        let end = (start + BATCH_ROWS).min(samples.len());
        let mut counts = ListBuilder::with_capacity(
            Int32Builder::with_capacity((end - start) * n_genes),
            end - start,
        );
        let mut dense = vec![0i32; n_genes];
        for sample in start..end {
            fill_row(matrix.row(sample), &mut dense);
            counts.values().append_slice(&dense);
            counts.append(true);
        }
        let columns: Vec<ArrayRef> = keys
            .iter()
            .map(|key| {
                let mut column = StringBuilder::new();
                for sample in &samples[start..end] {
                    let value = if key == "sample_id" {
                        Some(sample.sample_id.as_str())
                    } else {
                        sample.get(key)
                    };
                    column.append_option(value);
                }
                Arc::new(column.finish()) as ArrayRef
            })
            .collect();
        let metadata_column = StructArray::try_new(struct_fields.clone(), columns, None)?;
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(counts.finish()) as ArrayRef,
                Arc::new(metadata_column) as ArrayRef,
            ],
        )?;
        writer.write(&batch)?;
        start = end;
    }
    writer.finish()?;
    writer.into_inner()?.flush()?;
    Ok(())
}

/// How long a client may leave the answer unread before it is treated as gone.
const STALL_LIMIT: std::time::Duration = std::time::Duration::from_secs(60);

/// A `Write` into an answer's body, used from a blocking task: bytes go to the client in chunks
/// of [`BODY_CHUNK`] (waiting while the client does not read, so at most a few chunks are held),
/// and a write fails with `BrokenPipe` once the client has gone or has not read for
/// [`STALL_LIMIT`].
pub struct BodyWriter {
    sender: mpsc::Sender<Result<Bytes, std::io::Error>>,
    pending: Vec<u8>,
    runtime: tokio::runtime::Handle,
}

impl BodyWriter {
    /// A writer into the body fed by `sender` (the receiver is the body's stream); call from a
    /// task of the runtime (a blocking one).
    pub fn new(sender: mpsc::Sender<Result<Bytes, std::io::Error>>) -> Self {
        Self {
            sender,
            pending: Vec::with_capacity(BODY_CHUNK),
            runtime: tokio::runtime::Handle::current(),
        }
    }

    /// Ends the body with an error, so the client sees a broken answer, not a short one.
    pub fn fail(self, message: String) {
        let _ = self
            .sender
            .blocking_send(Err(std::io::Error::other(message)));
    }

    fn send_pending(&mut self) -> std::io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.pending,
            Vec::with_capacity(BODY_CHUNK),
        ));
        let sent = self.runtime.block_on(tokio::time::timeout(
            STALL_LIMIT,
            self.sender.send(Ok(chunk)),
        ));
        match sent {
            Ok(Ok(())) => Ok(()),
            _ => Err(std::io::Error::new(
                std::io::ErrorKind::BrokenPipe,
                "the client has gone or stopped reading",
            )),
        }
    }
}

impl Write for BodyWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(bytes);
        if self.pending.len() >= BODY_CHUNK {
            self.send_pending()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send_pending()
    }
}

/// One row as a full int32 gene vector.
fn fill_row(row: Option<Row<'_>>, dense: &mut [i32]) {
    match row {
        Some(Row::Counts(values)) => {
            for (slot, &count) in dense.iter_mut().zip(values) {
                *slot = i32::try_from(count).unwrap_or(i32::MAX);
            }
        }
        Some(Row::Expected(values)) => {
            for (slot, &value) in dense.iter_mut().zip(values) {
                *slot = if value.is_nan() || value <= 0.0 {
                    0
                } else {
                    value.round().min(i32::MAX as f32) as i32
                };
            }
        }
        Some(Row::Sparse { indices, values }) => {
            dense.fill(0);
            for (gene, count) in indices.iter().zip(values.iter()) {
                if let Some(slot) = dense.get_mut(gene as usize) {
                    *slot = i32::try_from(count).unwrap_or(i32::MAX);
                }
            }
        }
        None => dense.fill(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::Array;
    use arrow_array::cast::AsArray;
    use arrow_array::types::Int32Type;
    use synthome_matrix::{Dense, ExpressionValues, GeneTable, MetadataField, SampleMetadata};

    #[tokio::test]
    async fn the_body_writer_stops_once_the_client_has_gone() {
        let (sender, mut receiver) = mpsc::channel(1);
        let written = tokio::task::spawn_blocking(move || {
            let mut out = BodyWriter::new(sender);
            out.write_all(&vec![1u8; BODY_CHUNK])?;
            out.write_all(&vec![2u8; BODY_CHUNK])?;
            out.write_all(&vec![3u8; BODY_CHUNK])
        });
        let first = receiver.recv().await;
        assert!(matches!(first, Some(Ok(chunk)) if chunk.len() == BODY_CHUNK));
        drop(receiver);
        let outcome = written.await.unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(
            outcome.map_err(|error| error.kind()),
            Err(std::io::ErrorKind::BrokenPipe)
        );
    }

    #[test]
    fn the_stream_reads_back_with_counts_metadata_and_gene_order()
    -> Result<(), Box<dyn std::error::Error>> {
        let genes = Arc::new(GeneTable::new(
            vec!["ENSG1".into(), "ENSG2".into()],
            vec!["A".into(), "B".into()],
        )?);
        let samples = vec![
            SampleMetadata::new(
                "sample_1",
                vec![MetadataField {
                    key: "sex".into(),
                    value: "female".into(),
                    inferred: false,
                }],
            ),
            SampleMetadata::new("sample_2", vec![]),
        ];
        let matrix = ExpressionMatrix::new(
            genes,
            samples,
            ExpressionValues::Expected(Dense::new(2, 2, vec![1.4, 2.5, 0.0, 7.0])?),
        )?;
        let provenance = Provenance {
            model_id: "synthome-bulk-v1".into(),
            model_version: "1.0.0".into(),
            bundle_sha256: "ab".into(),
            query_json: "{}".into(),
            seed: 5,
            sampling_strategy: "mean estimation".into(),
            warnings: vec![],
        };
        let mut bytes = Vec::new();
        write_stream(&mut bytes, &matrix, &provenance, true)?;
        let reader = arrow_ipc::reader::StreamReader::try_new(std::io::Cursor::new(bytes), None)?;
        let schema = reader.schema();
        assert_eq!(
            schema.metadata().get("request_type").map(String::as_str),
            Some("baseline")
        );
        assert_eq!(
            schema.metadata().get("gene_order").map(String::as_str),
            Some("[\"ENSG1\",\"ENSG2\"]")
        );
        let batches: Vec<RecordBatch> = reader.collect::<Result<_, _>>()?;
        let counts = batches[0].column(0).as_list::<i32>();
        let first = counts.value(0);
        assert_eq!(
            first.as_primitive::<Int32Type>().values().to_vec(),
            vec![1, 3]
        );
        let metadata = batches[0].column(1).as_struct();
        let sex = metadata
            .column_by_name("sex")
            .ok_or("no sex column")?
            .as_string::<i32>();
        assert_eq!(sex.value(0), "female");
        assert!(sex.is_null(1));
        let ids = metadata
            .column_by_name("sample_id")
            .ok_or("no sample_id")?
            .as_string::<i32>();
        assert_eq!(ids.value(1), "sample_2");
        Ok(())
    }
}
