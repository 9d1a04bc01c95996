//! The expression matrix: values, genes and samples checked to agree in shape.

use std::sync::Arc;

use crate::{Csr, Dense, GeneTable, MatrixError, Packed, SampleMetadata};

/// The values of a matrix, one row per sample and one column per gene.
#[derive(Debug, Clone, PartialEq)]
pub enum ExpressionValues {
    /// Integer counts (sample generation, bulk).
    Counts(Dense<u32>),
    /// Exact expected counts (mean estimation); JSON rounds them, files keep them.
    Expected(Dense<f32>),
    /// Sparse integer counts (single cell); never densified.
    SparseCounts(Csr),
}

impl ExpressionValues {
    /// Number of rows (samples or cells).
    pub fn n_rows(&self) -> usize {
        match self {
            Self::Counts(dense) => dense.n_rows(),
            Self::Expected(dense) => dense.n_rows(),
            Self::SparseCounts(csr) => csr.n_rows(),
        }
    }

    /// Number of columns (genes).
    pub fn n_cols(&self) -> usize {
        match self {
            Self::Counts(dense) => dense.n_cols(),
            Self::Expected(dense) => dense.n_cols(),
            Self::SparseCounts(csr) => csr.n_cols(),
        }
    }

    /// One row, or `None` when `row` is out of range.
    pub fn row(&self, row: usize) -> Option<Row<'_>> {
        match self {
            Self::Counts(dense) => dense.row(row).map(Row::Counts),
            Self::Expected(dense) => dense.row(row).map(Row::Expected),
            Self::SparseCounts(csr) => csr
                .row(row)
                .map(|(indices, values)| Row::Sparse { indices, values }),
        }
    }
}

/// A borrowed view of one row of values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Row<'a> {
    /// Dense integer counts, one per gene.
    Counts(&'a [u32]),
    /// Dense expected counts, one per gene.
    Expected(&'a [f32]),
    /// Sparse counts: strictly increasing gene indices and their non-zero values.
    Sparse {
        /// Gene (column) indices.
        indices: Packed<'a>,
        /// Counts at those genes.
        values: Packed<'a>,
    },
}

impl Row<'_> {
    /// Sum of the row's values (the library size).
    pub fn sum(&self) -> f64 {
        match self {
            Row::Counts(values) => values.iter().map(|&count| f64::from(count)).sum(),
            Row::Expected(values) => values.iter().map(|&value| f64::from(value)).sum(),
            Row::Sparse { values, .. } => values.iter().map(f64::from).sum(),
        }
    }

    /// Writes the row densely into `out` (one slot per gene), as f32.
    ///
    /// `out` must have one slot per gene; extra slots are left untouched.
    pub fn fill_dense(&self, out: &mut [f32]) {
        match self {
            Row::Counts(values) => {
                for (slot, &count) in out.iter_mut().zip(values.iter()) {
                    *slot = count as f32;
                }
            }
            Row::Expected(values) => {
                for (slot, &value) in out.iter_mut().zip(values.iter()) {
                    *slot = value;
                }
            }
            Row::Sparse { indices, values } => {
                out.fill(0.0);
                for (col, count) in indices.iter().zip(values.iter()) {
                    if let Some(slot) = out.get_mut(col as usize) {
                        *slot = count as f32;
                    }
                }
            }
        }
    }
}

/// A generated expression matrix: genes (columns), samples (rows) and values.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpressionMatrix {
    genes: Arc<GeneTable>,
    samples: Vec<SampleMetadata>,
    values: ExpressionValues,
}

impl ExpressionMatrix {
    /// Builds a matrix; the values must have one row per sample and one column per gene.
    pub fn new(
        genes: Arc<GeneTable>,
        samples: Vec<SampleMetadata>,
        values: ExpressionValues,
    ) -> Result<Self, MatrixError> {
        if values.n_rows() != samples.len() {
            return Err(MatrixError::SampleCount {
                rows: values.n_rows(),
                samples: samples.len(),
            });
        }
        if values.n_cols() != genes.len() {
            return Err(MatrixError::GeneCount {
                cols: values.n_cols(),
                genes: genes.len(),
            });
        }
        Ok(Self {
            genes,
            samples,
            values,
        })
    }

    /// The gene table (columns).
    pub fn genes(&self) -> &GeneTable {
        &self.genes
    }

    /// The shared gene table, for building another matrix over the same genes.
    pub fn genes_arc(&self) -> &Arc<GeneTable> {
        &self.genes
    }

    /// Sample metadata (rows), in output order.
    pub fn samples(&self) -> &[SampleMetadata] {
        &self.samples
    }

    /// The values.
    pub fn values(&self) -> &ExpressionValues {
        &self.values
    }

    /// Takes the matrix apart (for zero-copy transfer of the buffers).
    pub fn into_parts(self) -> (Arc<GeneTable>, Vec<SampleMetadata>, ExpressionValues) {
        (self.genes, self.samples, self.values)
    }

    /// Number of samples (rows).
    pub fn n_samples(&self) -> usize {
        self.samples.len()
    }

    /// Number of genes (columns).
    pub fn n_genes(&self) -> usize {
        self.genes.len()
    }

    /// One row of values, or `None` when `sample` is out of range.
    pub fn row(&self, sample: usize) -> Option<Row<'_>> {
        self.values.row(sample)
    }

    /// The rows in sample order.
    pub fn rows(&self) -> Rows<'_> {
        Rows {
            values: &self.values,
            next: 0,
        }
    }

    /// Library size (sum of values) of every sample.
    pub fn library_sizes(&self) -> Vec<f64> {
        self.rows().map(|row| row.sum()).collect()
    }

    /// Log CPM of one sample, densely: `log2(value / library_size * 1e6 + 1)` per gene.
    ///
    /// A sample with library size 0 gives all zeros. `None` when `sample` is out of range.
    pub fn log_cpm(&self, sample: usize) -> Option<Vec<f32>> {
        let row = self.row(sample)?;
        let mut out = vec![0.0f32; self.n_genes()];
        row.fill_dense(&mut out);
        let library_size = row.sum();
        let scale = if library_size > 0.0 {
            1e6 / library_size
        } else {
            0.0
        };
        for value in &mut out {
            *value = (f64::from(*value) * scale + 1.0).log2() as f32;
        }
        Some(out)
    }

    /// Log CPM of one gene across all samples (for per-gene plots), in sample order.
    ///
    /// `None` when `gene` is out of range.
    pub fn gene_log_cpm(&self, gene: usize) -> Option<Vec<f32>> {
        if gene >= self.n_genes() {
            return None;
        }
        let values = self
            .rows()
            .map(|row| {
                let value = match row {
                    Row::Counts(values) => f64::from(values[gene]),
                    Row::Expected(values) => f64::from(values[gene]),
                    Row::Sparse { indices, values } => indices
                        .position_sorted(gene as u32)
                        .and_then(|position| values.get(position))
                        .map_or(0.0, f64::from),
                };
                let library_size = row.sum();
                let cpm = if library_size > 0.0 {
                    value * 1e6 / library_size
                } else {
                    0.0
                };
                (cpm + 1.0).log2() as f32
            })
            .collect();
        Some(values)
    }
}

/// Iterator over the rows of an [`ExpressionMatrix`], in sample order.
#[derive(Debug, Clone)]
pub struct Rows<'a> {
    values: &'a ExpressionValues,
    next: usize,
}

impl<'a> Iterator for Rows<'a> {
    type Item = Row<'a>;

    fn next(&mut self) -> Option<Row<'a>> {
        let row = self.values.row(self.next)?;
        self.next += 1;
        Some(row)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.values.n_rows().saturating_sub(self.next);
        (left, Some(left))
    }
}

impl ExactSizeIterator for Rows<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MetadataField;

    fn genes(n: usize) -> Arc<GeneTable> {
        let ids = (0..n).map(|gene| format!("ENSG{gene:011}")).collect();
        let symbols = (0..n).map(|gene| format!("G{gene}")).collect();
        Arc::new(GeneTable::new(ids, symbols).unwrap_or_else(|error| panic!("{error}")))
    }

    fn samples(n: usize) -> Vec<SampleMetadata> {
        (0..n)
            .map(|sample| {
                SampleMetadata::new(
                    format!("sample_{}", sample + 1),
                    vec![MetadataField {
                        key: "sex".into(),
                        value: "male".into(),
                        inferred: false,
                    }],
                )
            })
            .collect()
    }

    fn ok<T>(result: Result<T, MatrixError>) -> T {
        result.unwrap_or_else(|error| panic!("{error}"))
    }

    #[test]
    fn rejects_mismatched_shapes() {
        let values = ExpressionValues::Counts(ok(Dense::new(2, 3, vec![0; 6])));
        assert_eq!(
            ExpressionMatrix::new(genes(3), samples(1), values.clone()).err(),
            Some(MatrixError::SampleCount {
                rows: 2,
                samples: 1
            })
        );
        assert_eq!(
            ExpressionMatrix::new(genes(4), samples(2), values).err(),
            Some(MatrixError::GeneCount { cols: 3, genes: 4 })
        );
    }

    #[test]
    fn library_sizes_and_log_cpm_agree_across_kinds() {
        let dense = ExpressionValues::Counts(ok(Dense::new(2, 3, vec![1, 0, 3, 0, 0, 0])));
        let sparse = ExpressionValues::SparseCounts(ok(Csr::new(
            2,
            3,
            vec![0, 2, 2],
            vec![0, 2],
            vec![1, 3],
        )));
        let expected =
            ExpressionValues::Expected(ok(Dense::new(2, 3, vec![1.0, 0.0, 3.0, 0.0, 0.0, 0.0])));
        let matrices: Vec<ExpressionMatrix> = [dense, sparse, expected]
            .into_iter()
            .map(|values| ok(ExpressionMatrix::new(genes(3), samples(2), values)))
            .collect();
        for matrix in &matrices {
            assert_eq!(matrix.library_sizes(), vec![4.0, 0.0]);
            let log_cpm = matrix.log_cpm(0).unwrap_or_default();
            assert!((log_cpm[0] - (250_001.0f64).log2() as f32).abs() < 1e-4);
            assert_eq!(log_cpm[1], 0.0);
            assert_eq!(matrix.log_cpm(1), Some(vec![0.0; 3]));
            assert_eq!(matrix.log_cpm(2), None);
            assert_eq!(
                matrix.gene_log_cpm(2).map(|values| values[0]),
                Some(log_cpm[2])
            );
            assert_eq!(matrix.gene_log_cpm(3), None);
        }
    }

    #[test]
    fn rows_come_in_sample_order() {
        let values = ExpressionValues::Counts(ok(Dense::new(2, 1, vec![7, 9])));
        let matrix = ok(ExpressionMatrix::new(genes(1), samples(2), values));
        let rows: Vec<Row<'_>> = matrix.rows().collect();
        assert_eq!(rows, vec![Row::Counts(&[7]), Row::Counts(&[9])]);
        assert_eq!(matrix.samples()[1].sample_id, "sample_2");
    }
}
