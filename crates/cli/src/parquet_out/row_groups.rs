//! The expression file's row groups, written a column at a time: samples are buffered
//! (densely, in sample order, across parts and inputs) until a group is full, then the group is
//! written column after column through parquet's low-level writer, so only one column chunk is
//! ever being encoded. Memory is the buffer ([`GROUP_VALUES`] values) plus the footer's
//! column-chunk metadata, about 0.6 kB per column per group, which the writer keeps until it
//! closes: groups as large as the buffer allows keep that part small.

use std::fs::File;
use std::io::BufWriter;
use std::sync::Arc;

use arrow_schema::Schema;
use parquet::arrow::{ArrowSchemaConverter, add_encoded_arrow_schema_to_metadata};
use parquet::basic::Compression;
use parquet::data_type::{ByteArray, ByteArrayType, DataType, FloatType, Int32Type};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::file::writer::{
    SerializedColumnWriter, SerializedFileWriter, SerializedRowGroupWriter,
};
use synthome_formats::FormatError;
use synthome_matrix::{ExpressionMatrix, ExpressionValues};

use super::parquet_error;

/// Values (samples x genes) a row group holds at most: 64 Mi, 256 MB of buffered counts, so a
/// group of the bulk model is about 3,300 samples and 100,000 samples make 31 groups.
pub const GROUP_VALUES: usize = 1 << 26;

/// Samples per row group for `n_genes` genes (at least one).
pub fn rows_per_group(n_genes: usize) -> usize {
    (GROUP_VALUES / n_genes.max(1)).max(1)
}

/// The buffered samples of the group being filled, row-major.
enum Buffered {
    Counts(Vec<u32>),
    Expected(Vec<f32>),
}

/// Writes the expression table of `PATH.parquet` in row groups of [`rows_per_group`] samples.
pub struct RowGroupWriter {
    file: SerializedFileWriter<BufWriter<File>>,
    n_genes: usize,
    rows_per_group: usize,
    ids: Vec<String>,
    values: Buffered,
}

/// Snappy, plain encoding (a dictionary per column of 20,000 costs more than it saves), no
/// statistics or page indexes (each would add to the footer's per-column metadata).
fn properties(schema: &Schema) -> WriterProperties {
    let mut properties = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_statistics_enabled(EnabledStatistics::None)
        .set_dictionary_enabled(false)
        .set_offset_index_disabled(true)
        .build();
    // pandas and pyarrow read the column types from the Arrow schema, as for ArrowWriter.
    add_encoded_arrow_schema_to_metadata(schema, &mut properties);
    properties
}

/// Writes the gene columns of the row-major `buffer` (samples x `n_genes`), one after the
/// other, each value through `convert`.
fn write_gene_columns<T: DataType, V: Copy>(
    group: &mut SerializedRowGroupWriter<'_, BufWriter<File>>,
    buffer: &[V],
    n_genes: usize,
    convert: impl Fn(V) -> T::T,
) -> Result<(), FormatError> {
    let mut values = Vec::with_capacity(buffer.len() / n_genes.max(1));
    for gene in 0..n_genes {
        values.clear();
        values.extend(
            buffer
                .iter()
                .skip(gene)
                .step_by(n_genes)
                .map(|&v| convert(v)),
        );
        write_column::<T>(group, &values)?;
    }
    Ok(())
}

/// Writes `values` as the row group's next column.
fn write_column<T: DataType>(
    group: &mut SerializedRowGroupWriter<'_, BufWriter<File>>,
    values: &[T::T],
) -> Result<(), FormatError> {
    let mut column = next_column(group)?;
    column
        .typed::<T>()
        .write_batch(values, None, None)
        .map_err(parquet_error)?;
    column.close().map_err(parquet_error)
}

/// The row group's next column, which the schema has.
fn next_column<'a>(
    group: &'a mut SerializedRowGroupWriter<'_, BufWriter<File>>,
) -> Result<SerializedColumnWriter<'a>, FormatError> {
    group
        .next_column()
        .map_err(parquet_error)?
        .ok_or_else(|| FormatError::Io(std::io::Error::other("the schema has fewer columns")))
}

impl RowGroupWriter {
    /// A writer of `schema` (`sample_id`, then one int32 column per gene for counts, or one
    /// float32 column per gene for expected values) to `file`.
    pub fn new(file: File, schema: &Schema) -> Result<RowGroupWriter, FormatError> {
        let n_genes = schema.fields().len().saturating_sub(1);
        RowGroupWriter::with_group_size(file, schema, rows_per_group(n_genes))
    }

    /// [`RowGroupWriter::new`] with row groups of `rows_per_group` samples (at least 1).
    fn with_group_size(
        file: File,
        schema: &Schema,
        rows_per_group: usize,
    ) -> Result<RowGroupWriter, FormatError> {
        let descriptor = ArrowSchemaConverter::new()
            .convert(schema)
            .map_err(parquet_error)?;
        let out = BufWriter::with_capacity(1 << 20, file);
        let writer = SerializedFileWriter::new(
            out,
            descriptor.root_schema_ptr(),
            Arc::new(properties(schema)),
        )
        .map_err(parquet_error)?;
        let n_genes = schema.fields().len().saturating_sub(1);
        let float = schema
            .fields()
            .get(1)
            .is_some_and(|gene| gene.data_type() == &arrow_schema::DataType::Float32);
        let values = if float {
            Buffered::Expected(Vec::new())
        } else {
            Buffered::Counts(Vec::new())
        };
        Ok(RowGroupWriter {
            file: writer,
            n_genes,
            rows_per_group: rows_per_group.max(1),
            ids: Vec::new(),
            values,
        })
    }

    /// Buffers a part's samples, writing every row group that fills up.
    pub fn push(&mut self, matrix: &ExpressionMatrix) -> Result<(), FormatError> {
        let n_genes = self.n_genes;
        for (row, sample) in matrix.samples().iter().enumerate() {
            self.ids.push(sample.sample_id.clone());
            match (&mut self.values, matrix.values()) {
                (Buffered::Counts(buffer), ExpressionValues::Counts(dense)) => {
                    buffer.extend_from_slice(&dense.data()[row * n_genes..(row + 1) * n_genes]);
                }
                (Buffered::Counts(buffer), ExpressionValues::SparseCounts(csr)) => {
                    let start = buffer.len();
                    buffer.resize(start + n_genes, 0);
                    if let Some((indices, values)) = csr.row(row) {
                        indices.for_each_with(values, |gene, count| {
                            buffer[start + gene as usize] = count;
                        });
                    }
                }
                (Buffered::Expected(buffer), ExpressionValues::Expected(dense)) => {
                    buffer.extend_from_slice(&dense.data()[row * n_genes..(row + 1) * n_genes]);
                }
                _ => {
                    return Err(FormatError::Io(std::io::Error::other(
                        "a part's values are of another kind than the first part's",
                    )));
                }
            }
            if self.ids.len() == self.rows_per_group {
                self.write_group()?;
            }
        }
        Ok(())
    }

    /// Writes what is buffered, adds the key-value `metadata` and closes the file.
    pub fn finish(mut self, metadata: Vec<KeyValue>) -> Result<(), FormatError> {
        if !self.ids.is_empty() {
            self.write_group()?;
        }
        for pair in metadata {
            self.file.append_key_value_metadata(pair);
        }
        self.file.close().map_err(parquet_error)?;
        Ok(())
    }

    /// Writes the buffered samples as one row group, a column at a time, and empties the
    /// buffer.
    fn write_group(&mut self) -> Result<(), FormatError> {
        let n_genes = self.n_genes;
        let mut group = self.file.next_row_group().map_err(parquet_error)?;
        let ids: Vec<ByteArray> = self
            .ids
            .iter()
            .map(|id| ByteArray::from(id.as_str()))
            .collect();
        write_column::<ByteArrayType>(&mut group, &ids)?;
        match &self.values {
            Buffered::Counts(buffer) => {
                write_gene_columns::<Int32Type, _>(&mut group, buffer, n_genes, |count| {
                    i32::try_from(count).unwrap_or(i32::MAX)
                })?
            }
            Buffered::Expected(buffer) => {
                write_gene_columns::<FloatType, _>(&mut group, buffer, n_genes, |value| value)?;
            }
        }
        group.close().map_err(parquet_error)?;
        self.ids.clear();
        match &mut self.values {
            Buffered::Counts(buffer) => buffer.clear(),
            Buffered::Expected(buffer) => buffer.clear(),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::{Array, Float32Array, Int32Array, StringArray};
    use arrow_schema::{DataType, Field};
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    use synthome_matrix::{CsrBuilder, Dense, GeneTable, SampleMetadata};

    use super::*;

    const GENES: usize = 3;

    fn schema(kind: DataType) -> Schema {
        let genes = (0..GENES).map(|g| Field::new(format!("ENSG{g}"), kind.clone(), false));
        Schema::new(
            std::iter::once(Field::new("sample_id", DataType::Utf8, false))
                .chain(genes)
                .collect::<Vec<_>>(),
        )
    }

    fn matrix(first: usize, values: ExpressionValues) -> ExpressionMatrix {
        let genes = GeneTable::new(
            (0..GENES).map(|g| format!("ENSG{g}")).collect(),
            (0..GENES).map(|g| format!("G{g}")).collect(),
        )
        .expect("genes");
        let n = match &values {
            ExpressionValues::Counts(dense) => dense.data().len() / GENES,
            ExpressionValues::Expected(dense) => dense.data().len() / GENES,
            ExpressionValues::SparseCounts(csr) => csr.n_rows(),
        };
        let samples = (first..first + n)
            .map(|s| SampleMetadata::new(format!("s{s}"), vec![]))
            .collect();
        ExpressionMatrix::new(Arc::new(genes), samples, values).expect("matrix")
    }

    fn counts(first: usize, n: usize) -> ExpressionMatrix {
        let data = (first * GENES..(first + n) * GENES)
            .map(|v| v as u32)
            .collect();
        matrix(
            first,
            ExpressionValues::Counts(Dense::new(n, GENES, data).expect("dense")),
        )
    }

    /// Writes `parts` in groups of `rows`; returns the rows per group read back, the ids and
    /// the gene columns as f64.
    fn round_trip(
        parts: &[ExpressionMatrix],
        kind: DataType,
        rows: usize,
    ) -> (Vec<i64>, Vec<String>, Vec<Vec<f64>>) {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("x.parquet");
        let file = File::create(&path).expect("file");
        let mut writer =
            RowGroupWriter::with_group_size(file, &schema(kind), rows).expect("writer");
        for part in parts {
            writer.push(part).expect("push");
        }
        writer
            .finish(vec![KeyValue::new("k".into(), "v".to_string())])
            .expect("finish");
        let builder = ParquetRecordBatchReaderBuilder::try_new(File::open(&path).expect("open"))
            .expect("read");
        let metadata = builder.metadata().clone();
        let groups = metadata.row_groups().iter().map(|g| g.num_rows()).collect();
        let key_value = metadata
            .file_metadata()
            .key_value_metadata()
            .cloned()
            .unwrap_or_default();
        assert!(key_value.iter().any(|pair| pair.key == "k"));
        let (mut ids, mut columns) = (Vec::new(), vec![Vec::new(); GENES]);
        for batch in builder.build().expect("reader") {
            let batch = batch.expect("batch");
            let id_column = batch
                .column(0)
                .as_any()
                .downcast_ref::<StringArray>()
                .expect("ids");
            ids.extend(
                id_column
                    .iter()
                    .map(|id| id.unwrap_or_default().to_string()),
            );
            for (gene, column) in columns.iter_mut().enumerate() {
                let array = batch.column(gene + 1);
                if let Some(ints) = array.as_any().downcast_ref::<Int32Array>() {
                    column.extend(ints.values().iter().map(|&v| f64::from(v)));
                } else if let Some(floats) = array.as_any().downcast_ref::<Float32Array>() {
                    column.extend(floats.values().iter().map(|&v| f64::from(v)));
                } else {
                    panic!("column {gene} is {:?}", array.data_type());
                }
            }
        }
        (groups, ids, columns)
    }

    #[test]
    fn groups_span_parts_and_keep_every_sample_in_order() {
        let parts = [counts(0, 3), counts(3, 4), counts(7, 2)];
        let (groups, ids, columns) = round_trip(&parts, DataType::Int32, 4);
        assert_eq!(groups, vec![4, 4, 1]);
        assert_eq!(ids, (0..9).map(|s| format!("s{s}")).collect::<Vec<_>>());
        for (gene, column) in columns.iter().enumerate() {
            let expected: Vec<f64> = (0..9).map(|s| (s * GENES + gene) as f64).collect();
            assert_eq!(column, &expected, "gene {gene}");
        }
        // One group when everything fits.
        assert_eq!(round_trip(&parts, DataType::Int32, 100).0, vec![9]);
    }

    #[test]
    fn sparse_counts_are_written_dense_and_expected_values_as_float32() {
        let mut builder = CsrBuilder::new(GENES);
        builder.push_row(&[2], &[7]).expect("row");
        builder.push_row(&[], &[]).expect("row");
        builder.push_row(&[0, 1], &[1, 5]).expect("row");
        let sparse = matrix(0, ExpressionValues::SparseCounts(builder.finish()));
        let (groups, _, columns) = round_trip(&[sparse], DataType::Int32, 2);
        assert_eq!(groups, vec![2, 1]);
        assert_eq!(
            columns,
            vec![
                vec![0.0, 0.0, 1.0],
                vec![0.0, 0.0, 5.0],
                vec![7.0, 0.0, 0.0]
            ]
        );
        let dense = Dense::new(1, GENES, vec![0.5f32, 1.25, 2.0]).expect("dense");
        let expected = matrix(0, ExpressionValues::Expected(dense));
        let (_, _, columns) = round_trip(&[expected], DataType::Float32, 4);
        assert_eq!(columns, vec![vec![0.5], vec![1.25], vec![2.0]]);
    }

    #[test]
    fn a_part_of_another_kind_is_refused() {
        let dir = tempfile::tempdir().expect("dir");
        let file = File::create(dir.path().join("x.parquet")).expect("file");
        let mut writer =
            RowGroupWriter::with_group_size(file, &schema(DataType::Int32), 4).expect("writer");
        let dense = Dense::new(1, GENES, vec![0.5f32, 1.25, 2.0]).expect("dense");
        let error = writer.push(&matrix(0, ExpressionValues::Expected(dense)));
        assert!(error.is_err_and(|e| e.to_string().contains("another kind")));
    }

    #[test]
    fn a_bulk_group_holds_thousands_of_samples() {
        assert_eq!(rows_per_group(20_357), 3_296);
        assert_eq!(rows_per_group(0), GROUP_VALUES);
        assert_eq!(rows_per_group(usize::MAX), 1);
    }
}
