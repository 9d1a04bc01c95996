//! GCT 1.3 (the Broad's annotated expression table, read by Morpheus, GenePattern, cmapPy).
//!
//! Genes are rows (`id` = Ensembl id, one row annotation `Description` = gene symbol), samples
//! are columns (header = sample ids). Column annotations: every metadata key, then the
//! provenance as `synthome_model_id`, `synthome_model_version`, `synthome_bundle_sha256`,
//! `synthome_seed`, `synthome_sampling_strategy` and `synthome_query` (the same value in every
//! column, since GCT has no file-level header). Missing annotations are `na`; tabs and line
//! breaks inside text become spaces.
//!
//! A result generated in parts is assembled from [`write_head`] (the samples' ids and
//! metadata, kept), one column block per part ([`write_block`], written to a temporary file by
//! the caller) and [`write_rows`], which joins the blocks line by line: the bytes are those of
//! [`write`].

use std::io::{BufRead, Write};

use synthome_matrix::{
    Csr, ExpressionMatrix, ExpressionValues, GeneTable, Provenance, SampleMetadata,
};

use crate::FormatError;
use crate::buffer::{chunk_buffer, flush_if_full, push_unquoted_cell};
use crate::columns::metadata_keys;
use crate::numbers::{push_f32, push_u32, push_u64};

/// Writes `matrix` as GCT 1.3 with `provenance` in the column annotations.
pub fn write<W: Write>(
    mut out: W,
    matrix: &ExpressionMatrix,
    provenance: &Provenance,
) -> Result<(), FormatError> {
    let mut buffer = chunk_buffer();
    push_head(
        &mut buffer,
        &mut out,
        matrix.n_genes(),
        matrix.samples(),
        provenance,
    )?;
    let genes = matrix.genes();
    let columns = transposed(matrix);
    for (gene, (id, symbol)) in genes.ids().iter().zip(genes.symbols()).enumerate() {
        push_unquoted_cell(&mut buffer, id);
        buffer.push(b'\t');
        push_unquoted_cell(&mut buffer, symbol);
        push_gene_values(&mut buffer, matrix, columns.as_ref(), gene);
        buffer.push(b'\n');
        flush_if_full(&mut buffer, &mut out)?;
    }
    out.write_all(&buffer)?;
    out.flush()?;
    Ok(())
}

/// Writes the lines before the gene rows (version, dimensions, sample ids, the column
/// annotations) for a result of `n_genes` genes and these `samples` (those of every part, in
/// order): the head of [`write`], for a GCT assembled from parts with [`write_block`] and
/// [`write_rows`].
pub fn write_head<W: Write>(
    mut out: W,
    n_genes: usize,
    samples: &[SampleMetadata],
    provenance: &Provenance,
) -> Result<(), FormatError> {
    let mut buffer = chunk_buffer();
    push_head(&mut buffer, &mut out, n_genes, samples, provenance)?;
    out.write_all(&buffer)?;
    out.flush()?;
    Ok(())
}

/// Writes one part's column block: a line per gene holding the part's values for that gene,
/// each after a tab. GCT is genes x samples, so a row needs every part; [`write_rows`] joins
/// the blocks of all parts line by line.
pub fn write_block<W: Write>(mut out: W, matrix: &ExpressionMatrix) -> Result<(), FormatError> {
    let mut buffer = chunk_buffer();
    let columns = transposed(matrix);
    for gene in 0..matrix.n_genes() {
        push_gene_values(&mut buffer, matrix, columns.as_ref(), gene);
        buffer.push(b'\n');
        flush_if_full(&mut buffer, &mut out)?;
    }
    out.write_all(&buffer)?;
    out.flush()?;
    Ok(())
}

/// Writes the gene rows from the column blocks of every part ([`write_block`], in sample
/// order): per gene its id, its symbol, then that gene's line of each block. With
/// [`write_head`] before, the bytes are those of [`write`] on the whole matrix.
pub fn write_rows<W: Write, R: BufRead>(
    mut out: W,
    genes: &GeneTable,
    blocks: &mut [R],
) -> Result<(), FormatError> {
    let mut buffer = chunk_buffer();
    for (id, symbol) in genes.ids().iter().zip(genes.symbols()) {
        push_unquoted_cell(&mut buffer, id);
        buffer.push(b'\t');
        push_unquoted_cell(&mut buffer, symbol);
        for block in blocks.iter_mut() {
            let start = buffer.len();
            block.read_until(b'\n', &mut buffer)?;
            if buffer.last() != Some(&b'\n') || buffer.len() == start {
                return Err(FormatError::Io(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "a GCT column block has fewer lines than genes",
                )));
            }
            buffer.pop();
        }
        buffer.push(b'\n');
        flush_if_full(&mut buffer, &mut out)?;
    }
    out.write_all(&buffer)?;
    out.flush()?;
    Ok(())
}

fn push_head<W: Write>(
    buffer: &mut Vec<u8>,
    out: &mut W,
    n_genes: usize,
    samples: &[SampleMetadata],
    provenance: &Provenance,
) -> Result<(), FormatError> {
    let keys = metadata_keys(samples);
    let provenance_rows: [(&str, String); 6] = [
        ("synthome_model_id", provenance.model_id.clone()),
        ("synthome_model_version", provenance.model_version.clone()),
        ("synthome_bundle_sha256", provenance.bundle_sha256.clone()),
        ("synthome_seed", provenance.seed.to_string()),
        (
            "synthome_sampling_strategy",
            provenance.sampling_strategy.clone(),
        ),
        ("synthome_query", provenance.query_json.clone()),
    ];
    buffer.extend_from_slice(b"#1.3\n");
    push_u64(buffer, n_genes as u64);
    buffer.push(b'\t');
    push_u64(buffer, samples.len() as u64);
    buffer.extend_from_slice(b"\t1\t");
    push_u64(buffer, (keys.len() + provenance_rows.len()) as u64);
    buffer.extend_from_slice(b"\nid\tDescription");
    for sample in samples {
        buffer.push(b'\t');
        push_unquoted_cell(buffer, &sample.sample_id);
        flush_if_full(buffer, out)?;
    }
    buffer.push(b'\n');
    for key in &keys {
        push_unquoted_cell(buffer, key);
        buffer.extend_from_slice(b"\tna");
        for sample in samples {
            buffer.push(b'\t');
            match sample.get(key) {
                Some(value) if !value.is_empty() => push_unquoted_cell(buffer, value),
                _ => buffer.extend_from_slice(b"na"),
            }
            flush_if_full(buffer, out)?;
        }
        buffer.push(b'\n');
    }
    for (name, value) in &provenance_rows {
        buffer.extend_from_slice(name.as_bytes());
        buffer.extend_from_slice(b"\tna");
        for _ in samples {
            buffer.push(b'\t');
            push_unquoted_cell(buffer, value);
            flush_if_full(buffer, out)?;
        }
        buffer.push(b'\n');
    }
    Ok(())
}

/// The genes x samples transpose of sparse values (`None` for dense ones).
fn transposed(matrix: &ExpressionMatrix) -> Option<Csr> {
    match matrix.values() {
        ExpressionValues::SparseCounts(csr) => Some(transpose(csr)),
        _ => None,
    }
}

/// Appends a tab and the value of every sample of `matrix` for `gene`.
fn push_gene_values(
    buffer: &mut Vec<u8>,
    matrix: &ExpressionMatrix,
    columns: Option<&Csr>,
    gene: usize,
) {
    match (matrix.values(), columns) {
        (ExpressionValues::Counts(dense), _) => {
            for row in dense.rows() {
                buffer.push(b'\t');
                push_u32(buffer, row[gene]);
            }
        }
        (ExpressionValues::Expected(dense), _) => {
            for row in dense.rows() {
                buffer.push(b'\t');
                push_f32(buffer, row[gene]);
            }
        }
        (ExpressionValues::SparseCounts(_), Some(columns)) => {
            let mut stored = columns
                .row(gene)
                .into_iter()
                .flat_map(|(samples, counts)| samples.iter().zip(counts.iter()))
                .peekable();
            for sample in 0..matrix.n_samples() {
                buffer.push(b'\t');
                match stored.peek() {
                    Some(&(index, count)) if index as usize == sample => {
                        push_u32(buffer, count);
                        stored.next();
                    }
                    _ => buffer.push(b'0'),
                }
            }
        }
        (ExpressionValues::SparseCounts(_), None) => {}
    }
}

/// The transpose of a CSR matrix (genes x cells), built by counting sort in O(nnz).
fn transpose(csr: &Csr) -> Csr {
    let mut counts = vec![0u32; csr.n_cols() + 1];
    for col in csr.indices() {
        counts[col as usize + 1] += 1;
    }
    for col in 0..csr.n_cols() {
        counts[col + 1] += counts[col];
    }
    let indptr = counts.clone();
    let mut next = counts;
    let mut indices = vec![0u32; csr.nnz()];
    let mut data = vec![0u32; csr.nnz()];
    for (row, (cols, values)) in csr.rows().enumerate() {
        for (col, value) in cols.iter().zip(values.iter()) {
            let slot = next[col as usize] as usize;
            indices[slot] = row as u32;
            data[slot] = value;
            next[col as usize] += 1;
        }
    }
    let mut builder =
        synthome_matrix::CsrBuilder::with_capacity(csr.n_rows(), csr.n_cols(), csr.nnz());
    for gene in 0..csr.n_cols() {
        let (start, end) = (indptr[gene] as usize, indptr[gene + 1] as usize);
        // Rows were visited in increasing order, so each column's rows are increasing.
        if builder
            .push_row(&indices[start..end], &data[start..end])
            .is_err()
        {
            break;
        }
    }
    builder.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{matrix_with, ok, provenance};
    use synthome_matrix::Dense;

    fn gct(values: ExpressionValues) -> String {
        let mut out = Vec::new();
        ok(write(&mut out, &matrix_with(values), &provenance()));
        ok(String::from_utf8(out))
    }

    const HEAD: &str = "#1.3\n3\t2\t1\t8\nid\tDescription\tsample_1\tsample_2\nsex\tna\tfemale\tmale\ntissue_ontology_id\tna\tUBERON:0002107\tna\nsynthome_model_id\tna\tsynthome-bulk-v1\tsynthome-bulk-v1\nsynthome_model_version\tna\t1.0.0\t1.0.0\nsynthome_bundle_sha256\tna\tabc\tabc\nsynthome_seed\tna\t11\t11\nsynthome_sampling_strategy\tna\tsample generation\tsample generation\nsynthome_query\tna\t{\"inputs\": []}\t{\"inputs\": []}\n";

    #[test]
    fn dense_counts_are_genes_by_samples() {
        let text = gct(ExpressionValues::Counts(ok(Dense::new(
            2,
            3,
            vec![12, 0, 5, 1, 2, 3],
        ))));
        assert_eq!(
            text,
            format!("{HEAD}ENSG1\tA1\t12\t1\nENSG2\tB\"2\t0\t2\nENSG3\tC3\t5\t3\n")
        );
    }

    #[test]
    fn sparse_and_expected_values_match_their_dense_forms() {
        let sparse = gct(ExpressionValues::SparseCounts(ok(Csr::new(
            2,
            3,
            vec![0, 2, 3],
            vec![0, 2, 1],
            vec![4, 9, 1],
        ))));
        assert_eq!(
            sparse,
            format!("{HEAD}ENSG1\tA1\t4\t0\nENSG2\tB\"2\t0\t1\nENSG3\tC3\t9\t0\n")
        );
        let expected = gct(ExpressionValues::Expected(ok(Dense::new(
            2,
            3,
            vec![0.5, 0.0, 2.0, 1.0, 1.25, 3.0],
        ))));
        assert!(
            expected.ends_with("ENSG1\tA1\t0.5\t1\nENSG2\tB\"2\t0\t1.25\nENSG3\tC3\t2\t3\n"),
            "{expected}"
        );
    }

    #[test]
    fn a_gct_assembled_from_column_blocks_is_that_of_the_whole_matrix() {
        use crate::test_support::{every_kind, one_part_per_sample};
        for matrix in every_kind() {
            let mut single = Vec::new();
            ok(write(&mut single, &matrix, &provenance()));
            let blocks: Vec<Vec<u8>> = one_part_per_sample(&matrix)
                .iter()
                .map(|part| {
                    let mut block = Vec::new();
                    ok(write_block(&mut block, part));
                    block
                })
                .collect();
            let mut readers: Vec<&[u8]> = blocks.iter().map(Vec::as_slice).collect();
            let mut parts = Vec::new();
            ok(write_head(
                &mut parts,
                matrix.n_genes(),
                matrix.samples(),
                &provenance(),
            ));
            ok(write_rows(&mut parts, matrix.genes(), &mut readers));
            assert_eq!(
                String::from_utf8_lossy(&parts),
                String::from_utf8_lossy(&single)
            );
        }
        let mut short: [&[u8]; 1] = [b"\t1\n"];
        let genes = every_kind()[0].genes_arc().clone();
        assert!(write_rows(Vec::new(), &genes, &mut short).is_err());
    }

    #[test]
    fn transpose_swaps_rows_and_columns() {
        let csr = ok(Csr::new(2, 3, vec![0, 2, 3], vec![0, 2, 1], vec![4, 9, 1]));
        let transposed = transpose(&csr);
        assert_eq!(
            transposed,
            ok(Csr::new(
                3,
                2,
                vec![0, 1, 2, 3],
                vec![0, 1, 0],
                vec![4, 1, 9]
            ))
        );
        assert_eq!(transpose(&transposed), csr);
    }

    #[test]
    fn text_loses_tabs_and_line_breaks() {
        let mut buffer = Vec::new();
        push_unquoted_cell(&mut buffer, "a\tb\nc");
        assert_eq!(buffer, b"a b c");
    }
}
