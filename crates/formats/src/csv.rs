//! Expression and metadata tables as CSV or TSV, shaped for `pandas.read_csv(path, index_col=0)`
//! and R's `read.csv(path, row.names = 1)`.
//!
//! - expression: one row per sample, one column per gene; the header is `sample_id` then the
//!   gene ids; counts as integers, expected counts (mean estimation) as shortest round-trip
//!   floats; sparse rows are written out densely one row at a time.
//! - metadata: one row per sample; the header is `sample_id` then every metadata key (first-seen
//!   order); a key a sample lacks is an empty cell.
//!
//! Fields holding the delimiter, a quote or a line break are quoted RFC 4180 style (in both
//! CSV and TSV, which pandas and R read back).

use std::io::Write;

use synthome_matrix::{ExpressionMatrix, GeneTable, Row, SampleMetadata};

use crate::FormatError;
use crate::buffer::{chunk_buffer, flush_if_full};
use crate::columns::metadata_keys;
use crate::numbers::{push_f32, push_u32};

/// The field separator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Delimiter {
    /// `,` (CSV).
    Comma,
    /// Tab (TSV).
    Tab,
}

impl Delimiter {
    fn byte(self) -> u8 {
        match self {
            Delimiter::Comma => b',',
            Delimiter::Tab => b'\t',
        }
    }
}

/// Writes the samples x genes expression table.
pub fn write_expression<W: Write>(
    out: W,
    matrix: &ExpressionMatrix,
    delimiter: Delimiter,
) -> Result<(), FormatError> {
    let mut stream = ExpressionStream::begin(out, matrix.genes(), delimiter)?;
    stream.part(matrix)?;
    stream.finish()?;
    Ok(())
}

/// The expression table of a result generated in parts (samples in order, same genes), written
/// as each part comes: [`ExpressionStream::begin`] (the header), an [`ExpressionStream::part`]
/// per matrix, [`ExpressionStream::finish`]. The bytes are those of [`write_expression`] on the
/// whole matrix.
pub struct ExpressionStream<W: Write> {
    out: W,
    buffer: Vec<u8>,
    separator: u8,
    n_genes: usize,
}

impl<W: Write> ExpressionStream<W> {
    /// Writes the header: `sample_id` then the gene ids.
    pub fn begin(mut out: W, genes: &GeneTable, delimiter: Delimiter) -> Result<Self, FormatError> {
        let separator = delimiter.byte();
        let mut buffer = chunk_buffer();
        buffer.extend_from_slice(b"sample_id");
        for id in genes.ids() {
            buffer.push(separator);
            push_field(&mut buffer, id, separator);
            flush_if_full(&mut buffer, &mut out)?;
        }
        buffer.push(b'\n');
        Ok(Self {
            out,
            buffer,
            separator,
            n_genes: genes.len(),
        })
    }

    /// Writes one row per sample of the next part.
    pub fn part(&mut self, matrix: &ExpressionMatrix) -> Result<(), FormatError> {
        let separator = self.separator;
        let buffer = &mut self.buffer;
        let out = &mut self.out;
        for (row, sample) in matrix.rows().zip(matrix.samples()) {
            push_field(buffer, &sample.sample_id, separator);
            match row {
                Row::Counts(values) => {
                    for &count in values {
                        buffer.push(separator);
                        push_u32(buffer, count);
                        flush_if_full(buffer, out)?;
                    }
                }
                Row::Expected(values) => {
                    for &value in values {
                        buffer.push(separator);
                        push_f32(buffer, value);
                        flush_if_full(buffer, out)?;
                    }
                }
                Row::Sparse { indices, values } => {
                    let mut stored = indices.iter().zip(values.iter()).peekable();
                    for gene in 0..self.n_genes {
                        buffer.push(separator);
                        match stored.peek() {
                            Some(&(index, count)) if index as usize == gene => {
                                push_u32(buffer, count);
                                stored.next();
                            }
                            _ => buffer.push(b'0'),
                        }
                        flush_if_full(buffer, out)?;
                    }
                }
            }
            buffer.push(b'\n');
        }
        Ok(())
    }

    /// Writes what is left and flushes; returns the writer.
    pub fn finish(mut self) -> Result<W, FormatError> {
        self.out.write_all(&self.buffer)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Writes the sample metadata table.
pub fn write_metadata<W: Write>(
    out: W,
    matrix: &ExpressionMatrix,
    delimiter: Delimiter,
) -> Result<(), FormatError> {
    write_metadata_rows(out, matrix.samples(), delimiter)
}

/// Writes the sample metadata table of `samples` (those of every part of a result, in order).
pub fn write_metadata_rows<W: Write>(
    mut out: W,
    samples: &[SampleMetadata],
    delimiter: Delimiter,
) -> Result<(), FormatError> {
    let separator = delimiter.byte();
    let keys = metadata_keys(samples);
    let mut buffer = Vec::new();
    buffer.extend_from_slice(b"sample_id");
    for key in &keys {
        buffer.push(separator);
        push_field(&mut buffer, key, separator);
    }
    buffer.push(b'\n');
    for sample in samples {
        push_field(&mut buffer, &sample.sample_id, separator);
        for key in &keys {
            buffer.push(separator);
            push_field(&mut buffer, sample.get(key).unwrap_or(""), separator);
        }
        buffer.push(b'\n');
        flush_if_full(&mut buffer, &mut out)?;
    }
    out.write_all(&buffer)?;
    out.flush()?;
    Ok(())
}

/// Appends a field, quoting it when it holds the separator, a quote or a line break.
fn push_field(buffer: &mut Vec<u8>, text: &str, separator: u8) {
    let needs_quotes = text
        .bytes()
        .any(|byte| matches!(byte, b'"' | b'\n' | b'\r') || byte == separator);
    if !needs_quotes {
        buffer.extend_from_slice(text.as_bytes());
        return;
    }
    buffer.push(b'"');
    for byte in text.bytes() {
        if byte == b'"' {
            buffer.push(b'"');
        }
        buffer.push(byte);
    }
    buffer.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{matrix_with, ok};
    use synthome_matrix::{Csr, Dense, ExpressionValues};

    fn expression(values: ExpressionValues, delimiter: Delimiter) -> String {
        let mut out = Vec::new();
        ok(write_expression(&mut out, &matrix_with(values), delimiter));
        ok(String::from_utf8(out))
    }

    #[test]
    fn expression_is_samples_by_genes_for_every_kind() {
        let dense = ExpressionValues::Counts(ok(Dense::new(2, 3, vec![12, 0, 5, 1, 2, 3])));
        assert_eq!(
            expression(dense, Delimiter::Comma),
            "sample_id,ENSG1,ENSG2,ENSG3\nsample_1,12,0,5\nsample_2,1,2,3\n"
        );
        let expected =
            ExpressionValues::Expected(ok(Dense::new(2, 3, vec![0.5, 0.0, 2.25, 1.0, 1e-7, 3.0])));
        assert_eq!(
            expression(expected, Delimiter::Tab),
            "sample_id\tENSG1\tENSG2\tENSG3\nsample_1\t0.5\t0\t2.25\nsample_2\t1\t1e-7\t3\n"
        );
        let sparse = ExpressionValues::SparseCounts(ok(Csr::new(
            2,
            3,
            vec![0, 2, 3],
            vec![0, 2, 1],
            vec![4, 9, 1],
        )));
        assert_eq!(
            expression(sparse, Delimiter::Comma),
            "sample_id,ENSG1,ENSG2,ENSG3\nsample_1,4,0,9\nsample_2,0,1,0\n"
        );
    }

    #[test]
    fn expression_in_parts_is_that_of_the_whole_matrix() {
        let sparse = |rows, indptr, indices, values| {
            ExpressionValues::SparseCounts(ok(Csr::new(rows, 3, indptr, indices, values)))
        };
        let matrix = matrix_with(sparse(2, vec![0, 2, 3], vec![0, 2, 1], vec![4, 9, 1]));
        let genes = matrix.genes_arc().clone();
        let samples = matrix.samples();
        let first = ok(ExpressionMatrix::new(
            genes.clone(),
            samples[..1].to_vec(),
            sparse(1, vec![0, 2], vec![0, 2], vec![4, 9]),
        ));
        let second = ok(ExpressionMatrix::new(
            genes.clone(),
            samples[1..].to_vec(),
            sparse(1, vec![0, 1], vec![1], vec![1]),
        ));
        let mut stream = ok(ExpressionStream::begin(Vec::new(), &genes, Delimiter::Tab));
        ok(stream.part(&first));
        ok(stream.part(&second));
        let mut single = Vec::new();
        ok(write_expression(&mut single, &matrix, Delimiter::Tab));
        assert_eq!(ok(stream.finish()), single);
    }

    #[test]
    fn metadata_has_every_key_and_empty_cells_for_missing_ones() {
        let matrix = matrix_with(ExpressionValues::Counts(ok(Dense::new(2, 3, vec![0; 6]))));
        let mut out = Vec::new();
        ok(write_metadata(&mut out, &matrix, Delimiter::Comma));
        assert_eq!(
            ok(String::from_utf8(out)),
            "sample_id,sex,tissue_ontology_id\nsample_1,female,UBERON:0002107\nsample_2,male,\n"
        );
    }

    #[test]
    fn fields_are_quoted_only_when_needed() {
        let check = |text: &str, separator: u8, expected: &str| {
            let mut buffer = Vec::new();
            push_field(&mut buffer, text, separator);
            assert_eq!(String::from_utf8_lossy(&buffer), expected, "{text:?}");
        };
        check("plain", b',', "plain");
        check("a,b", b',', "\"a,b\"");
        check("a,b", b'\t', "a,b");
        check("a\tb", b'\t', "\"a\tb\"");
        check("say \"hi\"", b',', "\"say \"\"hi\"\"\"");
        check("two\nlines", b'\t', "\"two\nlines\"");
        check("", b',', "");
    }
}
