//! 10x Genomics Matrix Market exchange (MEX), as `scanpy.read_10x_mtx` and Seurat's `Read10X`
//! read it.
//!
//! - `matrix.mtx.gz`: `%%MatrixMarket matrix coordinate integer general` (or `real` for expected
//!   counts), genes x samples, 1-based, entries ordered by sample then gene, zeros omitted; a
//!   `%synthome:` comment line carries the provenance as JSON. The file is two gzip members
//!   (RFC 1952 allows any number; gzip, zlib, Python's `gzip` and R's `gzfile` read them as one
//!   stream): the header lines, then the entries. The header holds the non-zero count, known
//!   only after the last entry, so a result generated in parts writes the entries member first
//!   ([`MatrixEntries`], to a temporary file) and puts the header member ([`write_matrix_head`])
//!   before it at the end; [`MexFiles::build`] writes the same two members, so the bytes agree;
//! - `features.tsv.gz`: `gene_id<TAB>symbol<TAB>Gene Expression`;
//! - `barcodes.tsv.gz`: one sample id per line;
//! - plus `metadata.tsv` (the sample metadata table) and `provenance.json`.
//!
//! [`MexFiles::build`] makes the five files in memory (gzip level 1 with a zero timestamp, so the bytes
//! depend only on the data); the caller writes them into a directory, or [`MexFiles::write_zip`]
//! packs them into one zip (stored, since the big members are already compressed).

use std::io::{Read, Write};

use flate2::Compression;
use flate2::write::GzEncoder;
use synthome_matrix::{
    ExpressionMatrix, ExpressionValues, GeneTable, Provenance, Row, SampleMetadata,
};

use crate::FormatError;
use crate::buffer::push_unquoted_cell;
use crate::csv::{Delimiter, write_metadata};
use crate::numbers::{push_f32, push_u32, push_u64};
use crate::provenance::values_kind;

/// The `field` of the Matrix Market header for these values.
fn field_of(values: &ExpressionValues) -> &'static str {
    match values {
        ExpressionValues::Expected(_) => "real",
        _ => "integer",
    }
}

/// The entries of `matrix.mtx` for a result generated in parts (samples in order), gzipped as
/// they come into one gzip member: [`MatrixEntries::begin`], a [`MatrixEntries::part`] per
/// matrix, [`MatrixEntries::finish`] (the writer, the non-zero count and the header's
/// `field`). The bytes do not depend on how the samples were split into parts.
pub struct MatrixEntries<W: Write> {
    out: GzEncoder<W>,
    buffer: Vec<u8>,
    nnz: u64,
    samples: u64,
    field: Option<&'static str>,
}

impl<W: Write> MatrixEntries<W> {
    /// Starts the gzip member on `out`.
    pub fn begin(out: W) -> Self {
        Self {
            out: GzEncoder::new(out, Compression::fast()),
            buffer: Vec::with_capacity(1 << 17),
            nnz: 0,
            samples: 0,
            field: None,
        }
    }

    /// Writes the non-zero entries of the next part's samples.
    pub fn part(&mut self, matrix: &ExpressionMatrix) -> Result<(), FormatError> {
        self.field.get_or_insert(field_of(matrix.values()));
        let buffer = &mut self.buffer;
        for row in matrix.rows() {
            self.samples += 1;
            let mut sample_text = Vec::new();
            push_u64(&mut sample_text, self.samples);
            let mut entry = |buffer: &mut Vec<u8>, gene: usize| {
                push_u64(buffer, gene as u64 + 1);
                buffer.push(b' ');
                buffer.extend_from_slice(&sample_text);
                buffer.push(b' ');
                self.nnz += 1;
            };
            match row {
                Row::Counts(values) => {
                    for (gene, &count) in
                        values.iter().enumerate().filter(|(_, count)| **count != 0)
                    {
                        entry(buffer, gene);
                        push_u32(buffer, count);
                        buffer.push(b'\n');
                    }
                }
                Row::Expected(values) => {
                    for (gene, &value) in values
                        .iter()
                        .enumerate()
                        .filter(|(_, value)| **value != 0.0)
                    {
                        entry(buffer, gene);
                        push_f32(buffer, value);
                        buffer.push(b'\n');
                    }
                }
                Row::Sparse { indices, values } => {
                    for (gene, count) in indices
                        .iter()
                        .zip(values.iter())
                        .filter(|&(_, count)| count != 0)
                    {
                        entry(buffer, gene as usize);
                        push_u32(buffer, count);
                        buffer.push(b'\n');
                    }
                }
            }
            if buffer.len() >= 1 << 16 {
                self.out.write_all(buffer)?;
                buffer.clear();
            }
        }
        Ok(())
    }

    /// Ends the gzip member; returns the writer, the number of entries written and the header
    /// `field` (`integer`, or `real` for expected counts).
    pub fn finish(mut self) -> Result<(W, u64, &'static str), FormatError> {
        self.out.write_all(&self.buffer)?;
        let out = self.out.finish()?;
        Ok((out, self.nnz, self.field.unwrap_or("integer")))
    }
}

/// Writes the header member of `matrix.mtx.gz` (a gzip member of its own, see the module
/// notes): the banner with `field`, the `%synthome:` provenance of `samples` and the size line.
pub fn write_matrix_head<W: Write>(
    out: W,
    field: &str,
    n_genes: usize,
    samples: &[SampleMetadata],
    nnz: u64,
    values: &str,
    provenance: &Provenance,
) -> Result<W, FormatError> {
    let document = crate::provenance::summary(samples, n_genes, values, provenance)?;
    let mut gz = GzEncoder::new(out, Compression::fast());
    let mut buffer = Vec::new();
    buffer.extend_from_slice(b"%%MatrixMarket matrix coordinate ");
    buffer.extend_from_slice(field.as_bytes());
    buffer.extend_from_slice(b" general\n%synthome: ");
    serde_json::to_writer(&mut buffer, &document).map_err(|error| FormatError::Io(error.into()))?;
    buffer.push(b'\n');
    push_u64(&mut buffer, n_genes as u64);
    buffer.push(b' ');
    push_u64(&mut buffer, samples.len() as u64);
    buffer.push(b' ');
    push_u64(&mut buffer, nnz);
    buffer.push(b'\n');
    gz.write_all(&buffer)?;
    Ok(gz.finish()?)
}

/// The five files of a MEX output, each as bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MexFiles {
    /// `matrix.mtx.gz`.
    pub matrix: Vec<u8>,
    /// `features.tsv.gz`.
    pub features: Vec<u8>,
    /// `barcodes.tsv.gz`.
    pub barcodes: Vec<u8>,
    /// `metadata.tsv` (not gzipped).
    pub metadata: Vec<u8>,
    /// `provenance.json`.
    pub provenance: Vec<u8>,
}

impl MexFiles {
    /// Builds every file of the MEX output of `matrix`.
    pub fn build(matrix: &ExpressionMatrix, provenance: &Provenance) -> Result<Self, FormatError> {
        let mut entries = MatrixEntries::begin(Vec::new());
        entries.part(matrix)?;
        let (entries, nnz, field) = entries.finish()?;
        let mut matrix_gz = write_matrix_head(
            Vec::new(),
            field,
            matrix.n_genes(),
            matrix.samples(),
            nnz,
            values_kind(matrix.values()),
            provenance,
        )?;
        matrix_gz.extend_from_slice(&entries);
        let mut features_gz = gzip_writer();
        write_features(&mut features_gz, matrix)?;
        let mut barcodes_gz = gzip_writer();
        write_barcodes(&mut barcodes_gz, matrix)?;
        let mut metadata = Vec::new();
        write_metadata(&mut metadata, matrix, Delimiter::Tab)?;
        let mut provenance_json = Vec::new();
        crate::provenance::write(&mut provenance_json, matrix, provenance)?;
        Ok(Self {
            matrix: matrix_gz,
            features: features_gz.finish()?,
            barcodes: barcodes_gz.finish()?,
            metadata,
            provenance: provenance_json,
        })
    }

    /// The files with their names, in the order they are written.
    pub fn files(&self) -> [(&'static str, &[u8]); 5] {
        [
            ("matrix.mtx.gz", &self.matrix),
            ("features.tsv.gz", &self.features),
            ("barcodes.tsv.gz", &self.barcodes),
            ("metadata.tsv", &self.metadata),
            ("provenance.json", &self.provenance),
        ]
    }

    /// Writes the files into a zip archive, inside the folder `folder` (e.g. the output name),
    /// so that unpacking gives a directory `scanpy.read_10x_mtx` reads.
    pub fn write_zip<W: Write>(&self, out: W, folder: &str) -> Result<(), FormatError> {
        let files = self.files();
        let mut readers: Vec<&[u8]> = files.iter().map(|(_, bytes)| *bytes).collect();
        let mut members: Vec<ZipMember<'_>> = files
            .iter()
            .zip(readers.iter_mut())
            .map(|((name, bytes), reader)| ZipMember {
                name,
                len: bytes.len() as u64,
                bytes: reader,
            })
            .collect();
        write_zip(out, folder, &mut members)
    }
}

/// One file of a MEX zip: its name, length and bytes (read once, in order).
pub struct ZipMember<'a> {
    /// The file name inside the folder (`matrix.mtx.gz`, ...).
    pub name: &'a str,
    /// Its length in bytes.
    pub len: u64,
    /// Its bytes.
    pub bytes: &'a mut dyn Read,
}

/// Writes `members` into a zip archive, stored (the big members are already compressed),
/// inside the folder `folder`; the bytes are read as they are copied, so a member may be a
/// file of any size. [`MexFiles::write_zip`] is this on the files in memory.
pub fn write_zip<W: Write>(
    out: W,
    folder: &str,
    members: &mut [ZipMember<'_>],
) -> Result<(), FormatError> {
    let zip_error = |error: zip::result::ZipError| FormatError::Zip(error.to_string());
    let mut zip = zip::ZipWriter::new_stream(out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(
            members
                .iter()
                .any(|member| member.len >= u64::from(u32::MAX)),
        );
    for member in members.iter_mut() {
        let path = if folder.is_empty() {
            member.name.to_string()
        } else {
            format!("{folder}/{}", member.name)
        };
        zip.start_file(path, options).map_err(zip_error)?;
        std::io::copy(&mut member.bytes, &mut zip)?;
    }
    let mut out = zip.finish().map_err(zip_error)?;
    out.flush()?;
    Ok(())
}

/// `bytes` gzipped as every MEX file is (level 1, zero timestamp).
pub fn gzip(bytes: &[u8]) -> Result<Vec<u8>, FormatError> {
    let mut encoder = gzip_writer();
    encoder.write_all(bytes)?;
    // The writers flush when done; the flush is part of the bytes.
    encoder.flush()?;
    Ok(encoder.finish()?)
}

fn gzip_writer() -> GzEncoder<Vec<u8>> {
    GzEncoder::new(Vec::new(), Compression::fast())
}

/// Writes the uncompressed `matrix.mtx` (genes x samples, 1-based, ordered by sample).
pub fn write_matrix<W: Write>(
    mut out: W,
    matrix: &ExpressionMatrix,
    provenance: &Provenance,
) -> Result<(), FormatError> {
    let field = match matrix.values() {
        synthome_matrix::ExpressionValues::Expected(_) => "real",
        _ => "integer",
    };
    let nnz: u64 = matrix
        .rows()
        .map(|row| match row {
            Row::Counts(values) => values.iter().filter(|&&count| count != 0).count() as u64,
            Row::Expected(values) => values.iter().filter(|&&value| value != 0.0).count() as u64,
            Row::Sparse { values, .. } => values.iter().filter(|&count| count != 0).count() as u64,
        })
        .sum();
    let document = crate::provenance::document(matrix, provenance)?;
    let mut buffer = Vec::with_capacity(1 << 17);
    buffer.extend_from_slice(b"%%MatrixMarket matrix coordinate ");
    buffer.extend_from_slice(field.as_bytes());
    buffer.extend_from_slice(b" general\n%synthome: ");
    serde_json::to_writer(&mut buffer, &document).map_err(|error| FormatError::Io(error.into()))?;
    buffer.push(b'\n');
    push_u64(&mut buffer, matrix.n_genes() as u64);
    buffer.push(b' ');
    push_u64(&mut buffer, matrix.n_samples() as u64);
    buffer.push(b' ');
    push_u64(&mut buffer, nnz);
    buffer.push(b'\n');
    for (sample, row) in matrix.rows().enumerate() {
        let mut sample_text = Vec::new();
        push_u64(&mut sample_text, sample as u64 + 1);
        let entry = |buffer: &mut Vec<u8>, gene: usize| {
            push_u64(buffer, gene as u64 + 1);
            buffer.push(b' ');
            buffer.extend_from_slice(&sample_text);
            buffer.push(b' ');
        };
        match row {
            Row::Counts(values) => {
                for (gene, &count) in values.iter().enumerate().filter(|(_, count)| **count != 0) {
                    entry(&mut buffer, gene);
                    push_u32(&mut buffer, count);
                    buffer.push(b'\n');
                }
            }
            Row::Expected(values) => {
                for (gene, &value) in values
                    .iter()
                    .enumerate()
                    .filter(|(_, value)| **value != 0.0)
                {
                    entry(&mut buffer, gene);
                    push_f32(&mut buffer, value);
                    buffer.push(b'\n');
                }
            }
            Row::Sparse { indices, values } => {
                for (gene, count) in indices
                    .iter()
                    .zip(values.iter())
                    .filter(|&(_, count)| count != 0)
                {
                    entry(&mut buffer, gene as usize);
                    push_u32(&mut buffer, count);
                    buffer.push(b'\n');
                }
            }
        }
        if buffer.len() >= 1 << 16 {
            out.write_all(&buffer)?;
            buffer.clear();
        }
    }
    out.write_all(&buffer)?;
    out.flush()?;
    Ok(())
}

/// Writes the uncompressed `features.tsv`.
pub fn write_features<W: Write>(out: W, matrix: &ExpressionMatrix) -> Result<(), FormatError> {
    write_features_of(out, matrix.genes())
}

/// Writes the uncompressed `features.tsv` of `genes`.
pub fn write_features_of<W: Write>(mut out: W, genes: &GeneTable) -> Result<(), FormatError> {
    let mut buffer = Vec::new();
    for (id, symbol) in genes.ids().iter().zip(genes.symbols()) {
        push_unquoted_cell(&mut buffer, id);
        buffer.push(b'\t');
        push_unquoted_cell(&mut buffer, symbol);
        buffer.extend_from_slice(b"\tGene Expression\n");
    }
    out.write_all(&buffer)?;
    out.flush()?;
    Ok(())
}

/// Writes the uncompressed `barcodes.tsv` (sample ids).
pub fn write_barcodes<W: Write>(out: W, matrix: &ExpressionMatrix) -> Result<(), FormatError> {
    write_barcodes_of(out, matrix.samples())
}

/// Writes the uncompressed `barcodes.tsv` of `samples` (their ids).
pub fn write_barcodes_of<W: Write>(
    mut out: W,
    samples: &[SampleMetadata],
) -> Result<(), FormatError> {
    let mut buffer = Vec::new();
    for sample in samples {
        push_unquoted_cell(&mut buffer, &sample.sample_id);
        buffer.push(b'\n');
    }
    out.write_all(&buffer)?;
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;
    use crate::test_support::{matrix_with, ok, provenance};
    use synthome_matrix::{Csr, Dense, ExpressionValues};

    fn gunzip(bytes: &[u8]) -> String {
        let mut text = String::new();
        ok(flate2::read::MultiGzDecoder::new(bytes).read_to_string(&mut text));
        text
    }

    fn body(mtx: &str) -> String {
        mtx.lines()
            .filter(|line| !line.starts_with('%'))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn sparse_and_dense_counts_give_the_same_coordinates() {
        let sparse = matrix_with(ExpressionValues::SparseCounts(ok(Csr::new(
            2,
            3,
            vec![0, 2, 3],
            vec![0, 2, 1],
            vec![4, 9, 1],
        ))));
        let dense = matrix_with(ExpressionValues::Counts(ok(Dense::new(
            2,
            3,
            vec![4, 0, 9, 0, 1, 0],
        ))));
        for matrix in [&sparse, &dense] {
            let files = ok(MexFiles::build(matrix, &provenance()));
            let mtx = gunzip(&files.matrix);
            assert!(
                mtx.starts_with("%%MatrixMarket matrix coordinate integer general\n%synthome: {")
            );
            assert_eq!(body(&mtx), "3 2 3\n1 1 4\n3 1 9\n2 2 1");
            assert_eq!(
                gunzip(&files.features),
                "ENSG1\tA1\tGene Expression\nENSG2\tB\"2\tGene Expression\nENSG3\tC3\tGene Expression\n"
            );
            assert_eq!(gunzip(&files.barcodes), "sample_1\nsample_2\n");
            assert!(String::from_utf8_lossy(&files.metadata).starts_with("sample_id\tsex\t"));
        }
    }

    #[test]
    fn expected_counts_are_real_entries() {
        let matrix = matrix_with(ExpressionValues::Expected(ok(Dense::new(
            2,
            3,
            vec![0.5, 0.0, 0.0, 0.0, 0.0, 2.0],
        ))));
        let mut out = Vec::new();
        ok(write_matrix(&mut out, &matrix, &provenance()));
        let text = ok(String::from_utf8(out));
        assert!(text.starts_with("%%MatrixMarket matrix coordinate real general\n"));
        assert_eq!(body(&text), "3 2 2\n1 1 0.5\n3 2 2");
    }

    #[test]
    fn entries_written_in_parts_give_the_bytes_of_one_build() {
        use crate::test_support::{every_kind, one_part_per_sample};
        for matrix in every_kind() {
            let single = ok(MexFiles::build(&matrix, &provenance()));
            let mut entries = MatrixEntries::begin(Vec::new());
            for part in one_part_per_sample(&matrix) {
                ok(entries.part(&part));
            }
            let (entries, nnz, field) = ok(entries.finish());
            let mut streamed = ok(write_matrix_head(
                Vec::new(),
                field,
                matrix.n_genes(),
                matrix.samples(),
                nnz,
                values_kind(matrix.values()),
                &provenance(),
            ));
            streamed.extend_from_slice(&entries);
            assert_eq!(streamed, single.matrix);
            // The two members read as one stream, the same text as the plain writer's.
            let mut plain = Vec::new();
            ok(write_matrix(&mut plain, &matrix, &provenance()));
            let mut text = Vec::new();
            ok(flate2::read::MultiGzDecoder::new(&single.matrix[..]).read_to_end(&mut text));
            assert_eq!(
                String::from_utf8_lossy(&text),
                String::from_utf8_lossy(&plain)
            );
        }
    }

    #[test]
    fn the_same_input_gives_the_same_zip_bytes() {
        let matrix = matrix_with(ExpressionValues::Counts(ok(Dense::new(2, 3, vec![1; 6]))));
        let zip_bytes = || {
            let mut out = Vec::new();
            ok(ok(MexFiles::build(&matrix, &provenance())).write_zip(&mut out, "result"));
            out
        };
        let first = zip_bytes();
        assert_eq!(first, zip_bytes());
        assert!(first.starts_with(b"PK\x03\x04"));
        let text = String::from_utf8_lossy(&first);
        for name in [
            "result/matrix.mtx.gz",
            "result/features.tsv.gz",
            "result/barcodes.tsv.gz",
        ] {
            assert!(text.contains(name), "{name} missing");
        }
    }
}
