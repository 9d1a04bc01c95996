//! AnnData `.h5ad` (HDF5), written in pure Rust so the same code runs in the browser.
//!
//! Layout (anndata's on-disk spec, read back by `anndata.read_h5ad`):
//! - `X`: dense `n_samples x n_genes`, int32 for bulk counts and float32 for expected counts,
//!   or a CSR group (`data` int32, `indices` and `indptr` int32, as scipy expects) for sparse
//!   counts; compressed datasets use the shuffle filter before deflate (integer counts shrink
//!   by about a fifth more than without);
//! - `obs`: a dataframe indexed by sample id, one categorical column per metadata key;
//! - `var`: a dataframe indexed by Ensembl gene id with a `gene_symbols` column;
//! - `uns/synthome`: the provenance (`model_id`, `model_version`, `bundle_sha256`, `seed`,
//!   `sampling_strategy`, `query`, `warnings`, `values`);
//! - empty `obsm`, `varm`, `obsp`, `varp`, `layers`.
//!
//! Chunk dimensions stay at or below 65,535 (libhdf5 2.0 refuses larger ones). Deflate is on at
//! level 1 by default ([`H5adOptions`]). The file is assembled in memory, then written out.
//!
//! Written in parts (the CLI's `generate --format h5ad`, memory bounded by a part): `X` is CSR
//! for every kind of values, `data` int32 counts (float32 for expected counts), `indices` int32,
//! `indptr` int64, each a chunked 1-D dataset with an unlimited extent and shuffle + deflate,
//! appended in place a few hundred rows at a time ([`write_parts_start`], [`H5adParts`]); `obs`
//! and `uns` are added at the end, when every sample's metadata and the warnings are known. The
//! decoded content (values, `obs`, `var`, `uns`) is that of [`write`]; the layout of `X` differs.

use std::io::Write;

use hdf5_pure::{
    AttrValue, Dataset, DatasetBuilder, File, FileBuilder, GroupBuilder, MaxExtent, StagedGroup,
};
use synthome_matrix::{
    Csr, ExpressionMatrix, ExpressionValues, GeneTable, Provenance, Row, SampleMetadata,
};

use crate::FormatError;
use crate::columns::metadata_keys;
use crate::provenance::values_kind;

/// The largest chunk dimension libhdf5 accepts from us.
const MAX_CHUNK_DIM: u64 = 65_535;

/// Target size of one chunk of `X`, in elements (about 1 MiB of float32).
const CHUNK_ELEMENTS: u64 = 1 << 18;

/// Options of the h5ad writer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct H5adOptions {
    /// Deflate level (1-9) of the matrix datasets, or `None` to store them uncompressed.
    pub deflate_level: Option<u8>,
}

impl Default for H5adOptions {
    /// Deflate level 1: realistic counts shrink about 6x for little time.
    fn default() -> Self {
        Self {
            deflate_level: Some(1),
        }
    }
}

/// Writes `matrix` as an AnnData `.h5ad` file with `provenance` under `uns/synthome`.
pub fn write<W: Write>(
    out: W,
    matrix: &ExpressionMatrix,
    provenance: &Provenance,
    options: H5adOptions,
) -> Result<(), FormatError> {
    let mut file = FileBuilder::new();
    file.set_attr("encoding-type", text("anndata"));
    file.set_attr("encoding-version", text("0.1.0"));
    write_x(&mut file, matrix, options)?;
    let obs = obs_group(&mut file, matrix);
    file.add_group(obs);
    let var = var_group(&mut file, matrix.genes());
    file.add_group(var);
    let uns = uns_group(&mut file, values_kind(matrix.values()), provenance);
    file.add_group(uns);
    for name in ["obsm", "varm", "obsp", "varp", "layers"] {
        let mut group = file.create_group(name);
        mark(&mut group, "dict", "0.1.0");
        file.add_group(group.finish());
    }
    file.finish_to(out)
        .map_err(|error| FormatError::Hdf5(error.to_string()))
}

/// Rows converted to CSR and appended at a time by [`H5adParts`], so that the sparse copy
/// stays small beside a part's dense values. Rows are buffered across parts, so the appends
/// (and with them the file's bytes) do not depend on how the result was cut into parts.
const ROWS_PER_APPEND: usize = 256;

/// Writes the start of an h5ad written in parts: the file attributes, `X` as an empty CSR
/// group whose `data` (int32 counts, or float32 expected counts when `expected`), `indices`
/// (int32) and `indptr` (int64, `[0]`) are chunked 1-D datasets with an unlimited extent (shuffle
/// and deflate when [`H5adOptions::deflate_level`] is set), `var`, and the empty `obsm`, `varm`,
/// `obsp`, `varp`, `layers`. The caller opens the written file for reading and writing
/// (`hdf5_pure::File::open_rw`), appends every part with [`H5adParts`] and ends with
/// [`H5adParts::finish`], which adds the `X` shape, `obs` and `uns`.
pub fn write_parts_start<W: Write>(
    out: W,
    genes: &GeneTable,
    expected: bool,
    options: H5adOptions,
) -> Result<(), FormatError> {
    let mut file = FileBuilder::new();
    file.set_attr("encoding-type", text("anndata"));
    file.set_attr("encoding-version", text("0.1.0"));
    let mut group = file.create_group("X");
    mark(&mut group, "csr_matrix", "0.1.0");
    group.set_attr("shape", AttrValue::I64Array(vec![0, genes.len() as i64]));
    let extendable = |dataset: &mut hdf5_pure::DatasetBuilder, len: u64| {
        dataset
            .with_shape(&[len])
            .with_maxshape(&[MaxExtent::Unlimited])
            .with_chunks(&[MAX_CHUNK_DIM]);
        if let Some(level) = options.deflate_level {
            dataset.with_shuffle().with_deflate(u32::from(level));
        }
    };
    let data = group.create_dataset("data");
    if expected {
        data.with_f32_data(&[]);
    } else {
        data.with_i32_data(&[]);
    }
    extendable(data, 0);
    extendable(group.create_dataset("indices").with_i32_data(&[]), 0);
    extendable(group.create_dataset("indptr").with_i64_data(&[0]), 1);
    file.add_group(group.finish());
    let var = var_group(&mut file, genes);
    file.add_group(var);
    for name in ["obsm", "varm", "obsp", "varp", "layers"] {
        let mut group = file.create_group(name);
        mark(&mut group, "dict", "0.1.0");
        file.add_group(group.finish());
    }
    file.finish_to(out)
        .map_err(|error| FormatError::Hdf5(error.to_string()))
}

/// The parts of an h5ad written in parts, appended to the open file's `X` (see
/// [`write_parts_start`]): rows of any kind of values become CSR rows, zeros left out.
pub struct H5adParts {
    data: Dataset,
    indices: Dataset,
    indptr: Dataset,
    nnz: i64,
    rows: u64,
    /// Rows converted but not yet appended (fewer than [`ROWS_PER_APPEND`]).
    pending: PendingRows,
}

/// CSR rows waiting to be appended.
#[derive(Default)]
struct PendingRows {
    counts: Vec<i32>,
    expected: Vec<f32>,
    indices: Vec<i32>,
    /// Each pending row's end, counted over the whole file.
    indptr: Vec<i64>,
}

impl H5adParts {
    /// The `X` datasets of `file`, opened for appending.
    pub fn open(file: &File) -> Result<Self, FormatError> {
        Ok(Self {
            data: file.dataset("X/data").map_err(hdf5_error)?,
            indices: file.dataset("X/indices").map_err(hdf5_error)?,
            indptr: file.dataset("X/indptr").map_err(hdf5_error)?,
            nnz: 0,
            rows: 0,
            pending: PendingRows::default(),
        })
    }

    /// Adds the rows of the next part, appending every full run of [`ROWS_PER_APPEND`] rows.
    pub fn part(&mut self, matrix: &ExpressionMatrix) -> Result<(), FormatError> {
        let too_large = |what: &str| FormatError::TooLarge {
            format: "h5ad",
            reason: format!("a CSR {what} value exceeds the int32 range scipy reads"),
        };
        for row in matrix.rows() {
            let pending = &mut self.pending;
            match row {
                Row::Counts(values) => {
                    for (gene, &count) in values.iter().enumerate().filter(|(_, c)| **c != 0) {
                        pending.indices.push(gene as i32);
                        pending
                            .counts
                            .push(i32::try_from(count).map_err(|_| too_large("count"))?);
                    }
                }
                Row::Expected(values) => {
                    for (gene, &value) in values.iter().enumerate().filter(|(_, v)| **v != 0.0) {
                        pending.indices.push(gene as i32);
                        pending.expected.push(value);
                    }
                }
                Row::Sparse {
                    indices: genes,
                    values,
                } => {
                    for (gene, count) in genes.iter().zip(values.iter()).filter(|&(_, c)| c != 0) {
                        pending
                            .indices
                            .push(i32::try_from(gene).map_err(|_| too_large("index"))?);
                        pending
                            .counts
                            .push(i32::try_from(count).map_err(|_| too_large("count"))?);
                    }
                }
            }
            pending.indptr.push(self.nnz + pending.indices.len() as i64);
            if pending.indptr.len() == ROWS_PER_APPEND {
                self.append_pending()?;
            }
        }
        Ok(())
    }

    /// Appends the pending rows.
    fn append_pending(&mut self) -> Result<(), FormatError> {
        let pending = &mut self.pending;
        if pending.indptr.is_empty() {
            return Ok(());
        }
        if pending.expected.is_empty() {
            self.data.append(&pending.counts).map_err(hdf5_error)?;
        } else {
            self.data.append(&pending.expected).map_err(hdf5_error)?;
        }
        self.indices.append(&pending.indices).map_err(hdf5_error)?;
        self.indptr.append(&pending.indptr).map_err(hdf5_error)?;
        self.nnz += pending.indices.len() as i64;
        self.rows += pending.indptr.len() as u64;
        pending.counts.clear();
        pending.expected.clear();
        pending.indices.clear();
        pending.indptr.clear();
        Ok(())
    }

    /// Ends the file: the `X` shape, then `obs` for `samples` (those of every part, in order)
    /// and `uns/synthome` (`values`: a [`values_kind`]), committed.
    pub fn finish(
        mut self,
        file: &File,
        samples: &[SampleMetadata],
        n_genes: usize,
        values: &str,
        provenance: &Provenance,
    ) -> Result<(), FormatError> {
        self.append_pending()?;
        let Self {
            data,
            indices,
            indptr,
            rows,
            ..
        } = self;
        drop((data, indices, indptr));
        let root = file.root();
        root.group("X")
            .and_then(|x| {
                x.set_attr(
                    "shape",
                    AttrValue::I64Array(vec![rows as i64, n_genes as i64]),
                )
            })
            .map_err(hdf5_error)?;
        root.create_group_with("obs", |obs| obs_content(obs, samples))
            .map_err(hdf5_error)?;
        root.create_group_with("uns", |uns| uns_content(uns, values, provenance))
            .map_err(hdf5_error)?;
        file.commit().map_err(hdf5_error)
    }
}

fn hdf5_error(error: hdf5_pure::Error) -> FormatError {
    FormatError::Hdf5(error.to_string())
}

fn write_x(
    file: &mut FileBuilder,
    matrix: &ExpressionMatrix,
    options: H5adOptions,
) -> Result<(), FormatError> {
    let (n_rows, n_cols) = (matrix.n_samples() as u64, matrix.n_genes() as u64);
    let dataset = match matrix.values() {
        ExpressionValues::Counts(dense) => {
            let counts = to_i32(dense.data().iter().copied(), "count")?;
            file.create_dataset("X").with_i32_data(&counts)
        }
        ExpressionValues::Expected(dense) => file.create_dataset("X").with_f32_data(dense.data()),
        ExpressionValues::SparseCounts(csr) => return write_csr(file, csr, options),
    };
    dataset.with_shape(&[n_rows, n_cols]);
    if let (Some(level), true) = (options.deflate_level, n_rows * n_cols > 0) {
        let chunk_cols = n_cols.min(MAX_CHUNK_DIM);
        let chunk_rows = (CHUNK_ELEMENTS / chunk_cols).clamp(1, n_rows.min(MAX_CHUNK_DIM));
        dataset
            .with_chunks(&[chunk_rows, chunk_cols])
            .with_shuffle()
            .with_deflate(u32::from(level));
    }
    dataset.set_attr("encoding-type", text("array"));
    dataset.set_attr("encoding-version", text("0.2.0"));
    Ok(())
}

/// `values` as int32, the integer type anndata and scipy read; a value beyond it is an error
/// naming `what` it is.
fn to_i32(values: impl IntoIterator<Item = u32>, what: &str) -> Result<Vec<i32>, FormatError> {
    values
        .into_iter()
        .map(i32::try_from)
        .collect::<Result<Vec<i32>, _>>()
        .map_err(|_| FormatError::TooLarge {
            format: "h5ad",
            reason: format!("a {what} value exceeds the int32 range anndata reads"),
        })
}

fn write_csr(file: &mut FileBuilder, csr: &Csr, options: H5adOptions) -> Result<(), FormatError> {
    let indptr = to_i32(csr.indptr().iter().copied(), "CSR indptr")?;
    let indices = to_i32(csr.indices(), "CSR indices")?;
    let data = to_i32(csr.data(), "count")?;
    let mut group = file.create_group("X");
    mark(&mut group, "csr_matrix", "0.1.0");
    group.set_attr(
        "shape",
        AttrValue::I64Array(vec![csr.n_rows() as i64, csr.n_cols() as i64]),
    );
    let compress = |dataset: &mut hdf5_pure::DatasetBuilder, len: usize| {
        if let (Some(level), true) = (options.deflate_level, len > 0) {
            dataset
                .with_chunks(&[(len as u64).min(MAX_CHUNK_DIM)])
                .with_shuffle()
                .with_deflate(u32::from(level));
        }
    };
    compress(
        group.create_dataset("data").with_i32_data(&data),
        data.len(),
    );
    compress(
        group.create_dataset("indices").with_i32_data(&indices),
        indices.len(),
    );
    compress(
        group.create_dataset("indptr").with_i32_data(&indptr),
        indptr.len(),
    );
    file.add_group(group.finish());
    Ok(())
}

/// A group being built: one in a new file ([`GroupBuilder`]) or one staged in an open file
/// ([`StagedGroup`], the end of a streamed write); the layout below is written once for both.
trait Node {
    fn attr(&mut self, name: &str, value: AttrValue);
    fn dataset(&mut self, name: &str, build: &mut dyn FnMut(&mut DatasetBuilder));
    fn group(&mut self, name: &str, build: &mut dyn FnMut(&mut dyn Node));
}

impl Node for GroupBuilder {
    fn attr(&mut self, name: &str, value: AttrValue) {
        self.set_attr(name, value);
    }

    fn dataset(&mut self, name: &str, build: &mut dyn FnMut(&mut DatasetBuilder)) {
        build(self.create_dataset(name));
    }

    fn group(&mut self, name: &str, build: &mut dyn FnMut(&mut dyn Node)) {
        let mut child = self.create_group(name);
        build(&mut child);
        self.add_group(child.finish());
    }
}

impl Node for StagedGroup<'_> {
    fn attr(&mut self, name: &str, value: AttrValue) {
        self.set_attr(name, value);
    }

    fn dataset(&mut self, name: &str, build: &mut dyn FnMut(&mut DatasetBuilder)) {
        self.create_dataset(name, |dataset| build(dataset));
    }

    fn group(&mut self, name: &str, build: &mut dyn FnMut(&mut dyn Node)) {
        self.create_group_with(name, |child| build(child));
    }
}

fn obs_group(file: &mut FileBuilder, matrix: &ExpressionMatrix) -> hdf5_pure::FinishedGroup {
    let mut obs = file.create_group("obs");
    obs_content(&mut obs, matrix.samples());
    obs.finish()
}

fn obs_content(obs: &mut dyn Node, samples: &[SampleMetadata]) {
    let keys = metadata_keys(samples);
    mark_dataframe(obs, &keys);
    let sample_ids: Vec<&str> = samples
        .iter()
        .map(|sample| sample.sample_id.as_str())
        .collect();
    string_array(obs, "_index", &sample_ids);
    for key in keys {
        let values: Vec<Option<&str>> = samples.iter().map(|sample| sample.get(key)).collect();
        categorical(obs, key, &values);
    }
}

fn var_group(file: &mut FileBuilder, genes: &GeneTable) -> hdf5_pure::FinishedGroup {
    let mut var = file.create_group("var");
    mark_dataframe(&mut var, &["gene_symbols"]);
    let ids: Vec<&str> = genes.ids().iter().map(String::as_str).collect();
    let symbols: Vec<&str> = genes.symbols().iter().map(String::as_str).collect();
    string_array(&mut var, "_index", &ids);
    string_array(&mut var, "gene_symbols", &symbols);
    var.finish()
}

fn uns_group(
    file: &mut FileBuilder,
    values: &str,
    provenance: &Provenance,
) -> hdf5_pure::FinishedGroup {
    let mut uns = file.create_group("uns");
    uns_content(&mut uns, values, provenance);
    uns.finish()
}

fn uns_content(uns: &mut dyn Node, values: &str, provenance: &Provenance) {
    mark(uns, "dict", "0.1.0");
    uns.group("synthome", &mut |synthome| {
        mark(synthome, "dict", "0.1.0");
        for (name, value) in [
            ("model_id", provenance.model_id.as_str()),
            ("model_version", provenance.model_version.as_str()),
            ("bundle_sha256", provenance.bundle_sha256.as_str()),
            ("sampling_strategy", provenance.sampling_strategy.as_str()),
            ("query", provenance.query_json.as_str()),
            ("values", values),
        ] {
            synthome.dataset(name, &mut |dataset| {
                dataset
                    .with_vlen_strings(&[value])
                    .with_shape(&[])
                    .set_attr("encoding-type", text("string"))
                    .set_attr("encoding-version", text("0.2.0"));
            });
        }
        synthome.dataset("seed", &mut |dataset| {
            dataset
                .with_u64_data(&[provenance.seed])
                .with_shape(&[])
                .set_attr("encoding-type", text("numeric-scalar"))
                .set_attr("encoding-version", text("0.2.0"));
        });
        let warnings: Vec<&str> = provenance.warnings.iter().map(String::as_str).collect();
        string_array(synthome, "warnings", &warnings);
    });
}

/// A categorical column: `categories` in first-seen order and int codes (-1 = missing).
fn categorical(parent: &mut dyn Node, name: &str, values: &[Option<&str>]) {
    let mut categories: Vec<&str> = Vec::new();
    let codes: Vec<i32> = values
        .iter()
        .map(|value| match value {
            None => -1,
            Some(value) => match categories.iter().position(|category| category == value) {
                Some(code) => code as i32,
                None => {
                    categories.push(value);
                    categories.len() as i32 - 1
                }
            },
        })
        .collect();
    parent.group(name, &mut |group| {
        mark(group, "categorical", "0.2.0");
        group.attr("ordered", AttrValue::U8(0));
        string_array(group, "categories", &categories);
        group.dataset("codes", &mut |dataset| {
            dataset
                .with_i32_data(&codes)
                .set_attr("encoding-type", text("array"))
                .set_attr("encoding-version", text("0.2.0"));
        });
    });
}

fn string_array(group: &mut dyn Node, name: &str, values: &[&str]) {
    group.dataset(name, &mut |dataset| {
        dataset
            .with_vlen_strings(values)
            .set_attr("encoding-type", text("string-array"))
            .set_attr("encoding-version", text("0.2.0"));
    });
}

fn mark_dataframe(group: &mut dyn Node, columns: &[&str]) {
    mark(group, "dataframe", "0.2.0");
    group.attr("_index", text("_index"));
    let order = if columns.is_empty() {
        AttrValue::F64Array(Vec::new())
    } else {
        AttrValue::StringArray(columns.iter().map(|column| column.to_string()).collect())
    };
    group.attr("column-order", order);
}

fn mark(group: &mut dyn Node, encoding_type: &str, encoding_version: &str) {
    group.attr("encoding-type", text(encoding_type));
    group.attr("encoding-version", text(encoding_version));
}

fn text(value: &str) -> AttrValue {
    AttrValue::String(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{matrix_with, ok, provenance};
    use hdf5_pure::File;
    use synthome_matrix::Dense;

    fn h5ad(values: ExpressionValues, options: H5adOptions) -> File {
        let mut out = Vec::new();
        ok(write(
            &mut out,
            &matrix_with(values),
            &provenance(),
            options,
        ));
        ok(File::from_bytes(out))
    }

    #[test]
    fn dense_counts_read_back_with_obs_var_and_provenance() {
        for options in [
            H5adOptions::default(),
            H5adOptions {
                deflate_level: None,
            },
        ] {
            let file = h5ad(
                ExpressionValues::Counts(ok(Dense::new(2, 3, vec![12, 0, 5, 1, 2, 3]))),
                options,
            );
            let x = ok(file.dataset("X"));
            assert_eq!(ok(x.shape()), vec![2, 3]);
            // Counts are stored as int32, shuffled before deflate when compressed
            assert_eq!(ok(x.dtype()), hdf5_pure::DType::I32);
            let filters = if options.deflate_level.is_some() {
                vec![2, 1]
            } else {
                Vec::new()
            };
            assert_eq!(x.filters(), filters);
            assert_eq!(ok(x.read::<i32>()), vec![12, 0, 5, 1, 2, 3]);
            assert_eq!(
                ok(ok(file.dataset("obs/_index")).read_string()),
                ["sample_1", "sample_2"]
            );
            assert_eq!(
                ok(ok(file.dataset("obs/sex/categories")).read_string()),
                ["female", "male"]
            );
            assert_eq!(
                ok(ok(file.dataset("obs/tissue_ontology_id/codes")).read::<i32>()),
                vec![0, -1]
            );
            assert_eq!(
                ok(ok(file.dataset("var/gene_symbols")).read_string()),
                ["A1", "B\"2", "C3"]
            );
            assert_eq!(
                ok(ok(file.dataset("uns/synthome/model_id")).read_string()),
                ["synthome-bulk-v1"]
            );
            assert_eq!(
                ok(ok(file.dataset("uns/synthome/seed")).read::<u64>()),
                vec![11]
            );
        }
    }

    #[test]
    fn sparse_counts_are_csr_with_int32_indices() {
        let file = h5ad(
            ExpressionValues::SparseCounts(ok(Csr::new(
                2,
                3,
                vec![0, 2, 3],
                vec![0, 2, 1],
                vec![4, 9, 1],
            ))),
            H5adOptions::default(),
        );
        assert_eq!(
            ok(ok(file.dataset("X/indptr")).read::<i32>()),
            vec![0, 2, 3]
        );
        assert_eq!(
            ok(ok(file.dataset("X/indices")).read::<i32>()),
            vec![0, 2, 1]
        );
        let data = ok(file.dataset("X/data"));
        assert_eq!(ok(data.dtype()), hdf5_pure::DType::I32);
        assert_eq!(ok(data.read::<i32>()), vec![4, 9, 1]);
        let attrs = ok(ok(file.group("X")).attrs());
        assert_eq!(attrs.get("shape"), Some(&AttrValue::I64Array(vec![2, 3])));
    }

    #[test]
    fn an_h5ad_written_in_parts_holds_the_whole_matrix_as_csr() {
        use crate::test_support::{every_kind, one_part_per_sample};
        let dir = std::env::temp_dir().join(format!("synthome-h5ad-parts-{}", std::process::id()));
        ok(std::fs::create_dir_all(&dir));
        for (case, matrix) in every_kind().iter().enumerate() {
            let path = dir.join(format!("{case}.h5ad"));
            let expected = matches!(matrix.values(), ExpressionValues::Expected(_));
            let out = ok(std::fs::File::create(&path));
            ok(write_parts_start(
                out,
                matrix.genes(),
                expected,
                H5adOptions::default(),
            ));
            let file = ok(File::open_rw(&path));
            let mut parts = ok(H5adParts::open(&file));
            for part in one_part_per_sample(matrix) {
                ok(parts.part(&part));
            }
            ok(parts.finish(
                &file,
                matrix.samples(),
                matrix.n_genes(),
                values_kind(matrix.values()),
                &provenance(),
            ));
            ok(file.close());
            let file = ok(File::open(&path));
            let indptr = ok(ok(file.dataset("X/indptr")).read::<i64>());
            let indices = ok(ok(file.dataset("X/indices")).read::<i32>());
            let data: Vec<f64> = if expected {
                ok(ok(file.dataset("X/data")).read::<f32>())
                    .into_iter()
                    .map(f64::from)
                    .collect()
            } else {
                ok(ok(file.dataset("X/data")).read::<i32>())
                    .into_iter()
                    .map(f64::from)
                    .collect()
            };
            let mut dense = vec![0.0f64; matrix.n_samples() * matrix.n_genes()];
            for row in 0..matrix.n_samples() {
                for slot in indptr[row] as usize..indptr[row + 1] as usize {
                    dense[row * matrix.n_genes() + indices[slot] as usize] = data[slot];
                }
            }
            let whole: Vec<f64> = matrix
                .rows()
                .flat_map(|row| {
                    let mut values = vec![0.0f32; matrix.n_genes()];
                    row.fill_dense(&mut values);
                    values.into_iter().map(f64::from)
                })
                .collect();
            assert_eq!(dense, whole, "case {case}");
            let attrs = ok(ok(file.group("X")).attrs());
            assert_eq!(attrs.get("shape"), Some(&AttrValue::I64Array(vec![2, 3])));
            assert_eq!(
                ok(ok(file.dataset("obs/_index")).read_string()),
                ["sample_1", "sample_2"]
            );
            assert_eq!(
                ok(ok(file.dataset("obs/tissue_ontology_id/codes")).read::<i32>()),
                vec![0, -1]
            );
            assert_eq!(
                ok(ok(file.dataset("var/gene_symbols")).read_string()),
                ["A1", "B\"2", "C3"]
            );
            assert_eq!(
                ok(ok(file.dataset("uns/synthome/seed")).read::<u64>()),
                vec![11]
            );
            assert_eq!(ok(file.dataset("X/data")).filters(), vec![2, 1]);
        }
        ok(std::fs::remove_dir_all(&dir));
    }
}
