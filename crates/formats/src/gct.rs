//! GCT 1.3 (the Broad's annotated expression table, read by Morpheus, GenePattern, cmapPy).
//!
//! Genes are rows (`id` = Ensembl id, one row annotation `Description` = gene symbol), samples
//! are columns (header = sample ids). Column annotations: every metadata key, then the
//! provenance as `synthome_model_id`, `synthome_model_version`, `synthome_bundle_sha256`,
//! `synthome_seed`, `synthome_sampling_strategy` and `synthome_query` (the same value in every
//! column, since GCT has no file-level header). Missing annotations are `na`; tabs and line
//! breaks inside text become spaces.

use std::io::Write;

use synthome_matrix::{Csr, ExpressionMatrix, ExpressionValues, Provenance};

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
    let keys = metadata_keys(matrix.samples());
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
    let mut buffer = chunk_buffer();
    buffer.extend_from_slice(b"#1.3\n");
    push_u64(&mut buffer, matrix.n_genes() as u64);
    buffer.push(b'\t');
    push_u64(&mut buffer, matrix.n_samples() as u64);
    buffer.extend_from_slice(b"\t1\t");
    push_u64(&mut buffer, (keys.len() + provenance_rows.len()) as u64);
    buffer.extend_from_slice(b"\nid\tDescription");
    for sample in matrix.samples() {
        buffer.push(b'\t');
        push_unquoted_cell(&mut buffer, &sample.sample_id);
    }
    buffer.push(b'\n');
    for key in &keys {
        push_unquoted_cell(&mut buffer, key);
        buffer.extend_from_slice(b"\tna");
        for sample in matrix.samples() {
            buffer.push(b'\t');
            match sample.get(key) {
                Some(value) if !value.is_empty() => push_unquoted_cell(&mut buffer, value),
                _ => buffer.extend_from_slice(b"na"),
            }
        }
        buffer.push(b'\n');
        flush_if_full(&mut buffer, &mut out)?;
    }
    for (name, value) in &provenance_rows {
        buffer.extend_from_slice(name.as_bytes());
        buffer.extend_from_slice(b"\tna");
        for _ in 0..matrix.n_samples() {
            buffer.push(b'\t');
            push_unquoted_cell(&mut buffer, value);
        }
        buffer.push(b'\n');
        flush_if_full(&mut buffer, &mut out)?;
    }
    let genes = matrix.genes();
    let columns = match matrix.values() {
        ExpressionValues::SparseCounts(csr) => Some(transpose(csr)),
        _ => None,
    };
    for (gene, (id, symbol)) in genes.ids().iter().zip(genes.symbols()).enumerate() {
        push_unquoted_cell(&mut buffer, id);
        buffer.push(b'\t');
        push_unquoted_cell(&mut buffer, symbol);
        match (matrix.values(), &columns) {
            (ExpressionValues::Counts(dense), _) => {
                for row in dense.rows() {
                    buffer.push(b'\t');
                    push_u32(&mut buffer, row[gene]);
                }
            }
            (ExpressionValues::Expected(dense), _) => {
                for row in dense.rows() {
                    buffer.push(b'\t');
                    push_f32(&mut buffer, row[gene]);
                }
            }
            (ExpressionValues::SparseCounts(_), Some(columns)) => {
                let mut stored = columns
                    .row(gene)
                    .into_iter()
                    .flat_map(|(samples, counts)| samples.iter().zip(counts))
                    .peekable();
                for sample in 0..matrix.n_samples() {
                    buffer.push(b'\t');
                    match stored.peek() {
                        Some(&(&index, &count)) if index as usize == sample => {
                            push_u32(&mut buffer, count);
                            stored.next();
                        }
                        _ => buffer.push(b'0'),
                    }
                }
            }
            (ExpressionValues::SparseCounts(_), None) => {}
        }
        buffer.push(b'\n');
        flush_if_full(&mut buffer, &mut out)?;
    }
    out.write_all(&buffer)?;
    out.flush()?;
    Ok(())
}

/// The transpose of a CSR matrix (genes x cells), built by counting sort in O(nnz).
fn transpose(csr: &Csr) -> Csr {
    let mut counts = vec![0u32; csr.n_cols() + 1];
    for &col in csr.indices() {
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
        for (&col, &value) in cols.iter().zip(values) {
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
