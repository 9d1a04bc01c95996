//! The API result JSON of the contract, streamed row by row.
//!
//! ```json
//! {"outputs": [{"counts": [12, 0, 5], "metadata": {"sex": "female", "sample_id": "sample_1"},
//!               "inferred_keys": ["sex"]}],
//!  "gene_order": ["ENSG00000000003", ...], "gene_symbols": ["TSPAN6", ...],
//!  "model_id": "synthome-bulk-v1", "model_version": "1.0.0", "bundle_sha256": "...",
//!  "seed": 11, "sampling_strategy": "sample generation", "warnings": [], "query": {...}}
//! ```
//! Counts are always plain lists in `gene_order` order, for every model: sparse rows are
//! written with their zeros (rsynthbio did not finish reading a 200-cell result with
//! `{gene_id: count}` objects in 5 minutes; sparse forms belong to MEX and h5ad). Expected counts
//! (mean estimation) are rounded to integers here (client compatibility; the file formats keep
//! the floats). `metadata` holds the sample's fields (given and inferred) and `sample_id`
//! (unless [`Shape::sample_id_in_metadata`] is off); `inferred_keys` names the keys the engine
//! filled in. Never builds the whole document in memory.

use std::io::Write;

use synthome_matrix::{ExpressionMatrix, GeneTable, Provenance, Row, SampleMetadata};

use crate::FormatError;
use crate::buffer::{chunk_buffer, flush_if_full};
use crate::numbers::{push_u64, round_count};

/// Choices in the document's shape that depend on the client reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// Whether each sample's `metadata` carries `sample_id` (off for rsynthbio, which adds its
    /// own `sample_id` column and would otherwise show ours as `sample_id.1`).
    pub sample_id_in_metadata: bool,
}

impl Default for Shape {
    fn default() -> Self {
        Shape {
            sample_id_in_metadata: true,
        }
    }
}

/// Writes the result JSON of `matrix` with its `provenance`, in the default [`Shape`].
pub fn write<W: Write>(
    out: W,
    matrix: &ExpressionMatrix,
    provenance: &Provenance,
) -> Result<(), FormatError> {
    write_shaped(out, matrix, provenance, Shape::default())
}

/// Writes the result JSON of `matrix` with its `provenance`, in `shape`.
pub fn write_shaped<W: Write>(
    out: W,
    matrix: &ExpressionMatrix,
    provenance: &Provenance,
    shape: Shape,
) -> Result<(), FormatError> {
    let mut stream = JsonStream::begin(out, &provenance.query_json, shape)?;
    stream.part(matrix)?;
    stream.finish(matrix.genes(), provenance)?;
    Ok(())
}

/// The result JSON of a result generated in parts (samples in order, same genes), written as
/// each part comes: [`JsonStream::begin`], a [`JsonStream::part`] per matrix,
/// [`JsonStream::finish`]. The bytes are those of [`write_shaped`] on the whole matrix.
pub struct JsonStream<W: Write> {
    out: W,
    buffer: Vec<u8>,
    query: serde_json::Value,
    shape: Shape,
    samples: usize,
}

impl<W: Write> JsonStream<W> {
    /// Starts the document; `query_json` is the provenance's query (refused when not JSON,
    /// before anything is written).
    pub fn begin(out: W, query_json: &str, shape: Shape) -> Result<Self, FormatError> {
        let query = parse_query(query_json)?;
        let mut buffer = chunk_buffer();
        buffer.extend_from_slice(b"{\"outputs\":[");
        Ok(Self {
            out,
            buffer,
            query,
            shape,
            samples: 0,
        })
    }

    /// Writes the samples of the next part.
    pub fn part(&mut self, matrix: &ExpressionMatrix) -> Result<(), FormatError> {
        let n_genes = matrix.genes().len();
        let buffer = &mut self.buffer;
        for (row, sample) in matrix.rows().zip(matrix.samples()) {
            if self.samples > 0 {
                buffer.push(b',');
            }
            self.samples += 1;
            buffer.extend_from_slice(b"{\"counts\":");
            push_counts(buffer, row, n_genes, &mut self.out)?;
            buffer.extend_from_slice(b",\"metadata\":");
            push_metadata(buffer, sample, self.shape.sample_id_in_metadata)?;
            buffer.extend_from_slice(b",\"inferred_keys\":");
            let inferred: Vec<&str> = sample
                .fields
                .iter()
                .filter(|field| field.inferred)
                .map(|field| field.key.as_str())
                .collect();
            push_json(buffer, &inferred)?;
            buffer.push(b'}');
            flush_if_full(buffer, &mut self.out)?;
        }
        Ok(())
    }

    /// Ends the document with the genes and the provenance (its warnings those of every part);
    /// returns the writer, flushed.
    pub fn finish(mut self, genes: &GeneTable, provenance: &Provenance) -> Result<W, FormatError> {
        let buffer = &mut self.buffer;
        let out = &mut self.out;
        buffer.extend_from_slice(b"],\"gene_order\":");
        push_string_list(buffer, genes.ids(), out)?;
        buffer.extend_from_slice(b",\"gene_symbols\":");
        push_string_list(buffer, genes.symbols(), out)?;
        buffer.extend_from_slice(b",\"model_id\":");
        push_json(buffer, &provenance.model_id)?;
        buffer.extend_from_slice(b",\"model_version\":");
        push_json(buffer, &provenance.model_version)?;
        buffer.extend_from_slice(b",\"bundle_sha256\":");
        push_json(buffer, &provenance.bundle_sha256)?;
        buffer.extend_from_slice(b",\"seed\":");
        push_u64(buffer, provenance.seed);
        buffer.extend_from_slice(b",\"sampling_strategy\":");
        push_json(buffer, &provenance.sampling_strategy)?;
        buffer.extend_from_slice(b",\"warnings\":");
        push_json(buffer, &provenance.warnings)?;
        buffer.extend_from_slice(b",\"query\":");
        push_json(buffer, &self.query)?;
        buffer.extend_from_slice(b"}");
        out.write_all(buffer)?;
        out.flush()?;
        Ok(self.out)
    }
}

/// Parses the provenance's query text so it can be embedded as a JSON value.
pub(crate) fn parse_query(query_json: &str) -> Result<serde_json::Value, FormatError> {
    serde_json::from_str(query_json).map_err(|error| FormatError::QueryJson(error.to_string()))
}

fn push_counts<W: Write>(
    buffer: &mut Vec<u8>,
    row: Row<'_>,
    n_genes: usize,
    out: &mut W,
) -> Result<(), FormatError> {
    match row {
        Row::Counts(values) => {
            buffer.reserve(values.len() * 11 + 2);
            buffer.push(b'[');
            let mut digits = itoa::Buffer::new();
            for (gene, &count) in values.iter().enumerate() {
                if gene > 0 {
                    buffer.push(b',');
                }
                buffer.extend_from_slice(digits.format(count).as_bytes());
            }
            buffer.push(b']');
            flush_if_full(buffer, out)?;
        }
        Row::Expected(values) => {
            buffer.reserve(values.len() * 11 + 2);
            buffer.push(b'[');
            let mut digits = itoa::Buffer::new();
            for (gene, &value) in values.iter().enumerate() {
                if gene > 0 {
                    buffer.push(b',');
                }
                buffer.extend_from_slice(digits.format(round_count(value)).as_bytes());
            }
            buffer.push(b']');
            flush_if_full(buffer, out)?;
        }
        Row::Sparse { indices, values } => {
            buffer.reserve(n_genes * 2 + 2);
            buffer.push(b'[');
            let mut digits = itoa::Buffer::new();
            let mut stored = indices.iter().zip(values.iter()).peekable();
            for gene in 0..n_genes {
                if gene > 0 {
                    buffer.push(b',');
                }
                match stored.next_if(|&(index, _)| index as usize == gene) {
                    Some((_, count)) => buffer.extend_from_slice(digits.format(count).as_bytes()),
                    None => buffer.push(b'0'),
                }
                if gene % 4096 == 4095 {
                    flush_if_full(buffer, out)?;
                }
            }
            buffer.push(b']');
            flush_if_full(buffer, out)?;
        }
    }
    Ok(())
}

fn push_metadata(
    buffer: &mut Vec<u8>,
    sample: &SampleMetadata,
    with_sample_id: bool,
) -> Result<(), FormatError> {
    buffer.push(b'{');
    for (index, field) in sample.fields.iter().enumerate() {
        if index > 0 {
            buffer.push(b',');
        }
        push_json(buffer, &field.key)?;
        buffer.push(b':');
        push_json(buffer, &field.value)?;
    }
    if with_sample_id {
        if !sample.fields.is_empty() {
            buffer.push(b',');
        }
        buffer.extend_from_slice(b"\"sample_id\":");
        push_json(buffer, &sample.sample_id)?;
    }
    buffer.push(b'}');
    Ok(())
}

fn push_string_list<W: Write>(
    buffer: &mut Vec<u8>,
    values: &[String],
    out: &mut W,
) -> Result<(), FormatError> {
    buffer.push(b'[');
    for (index, value) in values.iter().enumerate() {
        if index > 0 {
            buffer.push(b',');
        }
        push_json(buffer, value)?;
        flush_if_full(buffer, out)?;
    }
    buffer.push(b']');
    Ok(())
}

fn push_json<T: serde::Serialize + ?Sized>(
    buffer: &mut Vec<u8>,
    value: &T,
) -> Result<(), FormatError> {
    serde_json::to_writer(&mut *buffer, value).map_err(|error| FormatError::Io(error.into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::buffer::FLUSH_AT;
    use crate::test_support::{matrix_with, provenance};
    use synthome_matrix::{Csr, Dense, ExpressionValues};

    fn json_text(values: ExpressionValues) -> String {
        let matrix = matrix_with(values);
        let mut out = Vec::new();
        write(&mut out, &matrix, &provenance()).unwrap_or_else(|error| panic!("{error}"));
        String::from_utf8(out).unwrap_or_else(|error| panic!("{error}"))
    }

    const TAIL: &str = r#""gene_order":["ENSG1","ENSG2","ENSG3"],"gene_symbols":["A1","B\"2","C3"],"model_id":"synthome-bulk-v1","model_version":"1.0.0","bundle_sha256":"abc","seed":11,"sampling_strategy":"sample generation","warnings":["w1"],"query":{"inputs":[]}}"#;

    #[test]
    fn dense_counts_give_the_contract_shape_exactly() {
        let text = json_text(ExpressionValues::Counts(
            Dense::new(2, 3, vec![12, 0, 5, 1, 2, 3]).unwrap_or_else(|error| panic!("{error}")),
        ));
        let expected = format!(
            "{{\"outputs\":[{{\"counts\":[12,0,5],\"metadata\":{{\"sex\":\"female\",\"tissue_ontology_id\":\"UBERON:0002107\",\"sample_id\":\"sample_1\"}},\"inferred_keys\":[\"tissue_ontology_id\"]}},{{\"counts\":[1,2,3],\"metadata\":{{\"sex\":\"male\",\"sample_id\":\"sample_2\"}},\"inferred_keys\":[]}}],{TAIL}"
        );
        assert_eq!(text, expected);
    }

    #[test]
    fn expected_counts_are_rounded_and_sparse_counts_are_plain_lists() {
        let text = json_text(ExpressionValues::Expected(
            Dense::new(2, 3, vec![0.4, 0.5, 2.6, 0.0, 1.49, 7.0])
                .unwrap_or_else(|error| panic!("{error}")),
        ));
        assert!(text.contains("\"counts\":[0,1,3]"), "{text}");
        assert!(text.contains("\"counts\":[0,1,7]"), "{text}");
        let text = json_text(ExpressionValues::SparseCounts(
            Csr::new(2, 3, vec![0, 2, 2], vec![0, 2], vec![4, 9])
                .unwrap_or_else(|error| panic!("{error}")),
        ));
        assert!(text.contains("\"counts\":[4,0,9]"), "{text}");
        assert!(text.contains("\"counts\":[0,0,0]"), "{text}");
        let parsed: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(parsed["gene_symbols"][1], "B\"2");
    }

    #[test]
    fn the_rsynthbio_shape_leaves_sample_id_out_of_metadata() {
        let matrix = matrix_with(ExpressionValues::Counts(
            Dense::new(2, 3, vec![1, 2, 3, 4, 5, 6]).unwrap_or_else(|error| panic!("{error}")),
        ));
        let mut out = Vec::new();
        let shape = Shape {
            sample_id_in_metadata: false,
        };
        write_shaped(&mut out, &matrix, &provenance(), shape)
            .unwrap_or_else(|error| panic!("{error}"));
        let text = String::from_utf8(out).unwrap_or_else(|error| panic!("{error}"));
        assert!(
            text.contains(
                "\"metadata\":{\"sex\":\"female\",\"tissue_ontology_id\":\"UBERON:0002107\"}"
            ),
            "{text}"
        );
        assert!(!text.contains("sample_id"), "{text}");
    }

    #[test]
    fn a_query_that_is_not_json_is_refused() {
        let matrix = matrix_with(ExpressionValues::Counts(
            Dense::new(2, 3, vec![0; 6]).unwrap_or_else(|error| panic!("{error}")),
        ));
        let mut bad = provenance();
        bad.query_json = "{not json".into();
        assert!(matches!(
            write(Vec::new(), &matrix, &bad),
            Err(FormatError::QueryJson(_))
        ));
    }

    #[test]
    fn large_outputs_stream_through_small_writes_and_parse() {
        let n_genes = 40_000;
        let ids: Vec<String> = (0..n_genes).map(|gene| format!("ENSG{gene}")).collect();
        let genes = std::sync::Arc::new(
            synthome_matrix::GeneTable::new(ids.clone(), ids)
                .unwrap_or_else(|error| panic!("{error}")),
        );
        let values = ExpressionValues::Counts(
            Dense::new(2, n_genes, (0..2 * n_genes as u32).collect())
                .unwrap_or_else(|error| panic!("{error}")),
        );
        let samples = vec![
            synthome_matrix::SampleMetadata::new("s1", vec![]),
            synthome_matrix::SampleMetadata::new("s2", vec![]),
        ];
        let matrix =
            ExpressionMatrix::new(genes, samples, values).unwrap_or_else(|error| panic!("{error}"));
        let mut writes = CountingWriter::default();
        write(&mut writes, &matrix, &provenance()).unwrap_or_else(|error| panic!("{error}"));
        assert!(
            writes.calls > 5,
            "expected streaming writes, got {}",
            writes.calls
        );
        assert!(
            writes.largest < FLUSH_AT + 11 * n_genes,
            "a write of {} bytes",
            writes.largest
        );
        let parsed: serde_json::Value =
            serde_json::from_slice(&writes.bytes).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(parsed["outputs"][1]["counts"][n_genes - 1], 2 * n_genes - 1);
    }

    #[derive(Default)]
    struct CountingWriter {
        bytes: Vec<u8>,
        calls: usize,
        largest: usize,
    }

    impl Write for CountingWriter {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.calls += 1;
            self.largest = self.largest.max(bytes.len());
            self.bytes.extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
}
