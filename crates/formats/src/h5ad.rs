//! AnnData `.h5ad` (HDF5), written in pure Rust so the same code runs in the browser.
//!
//! Layout (anndata's on-disk spec, read back by `anndata.read_h5ad`):
//! - `X`: dense float32 `n_samples x n_genes` for bulk counts and expected counts, or a CSR group
//!   (`data` float32, `indices` and `indptr` int32, as scipy expects) for sparse counts;
//! - `obs`: a dataframe indexed by sample id, one categorical column per metadata key;
//! - `var`: a dataframe indexed by Ensembl gene id with a `gene_symbols` column;
//! - `uns/synthome`: the provenance (`model_id`, `model_version`, `bundle_sha256`, `seed`,
//!   `sampling_strategy`, `query`, `warnings`, `values`);
//! - empty `obsm`, `varm`, `obsp`, `varp`, `layers`.
//!
//! Chunk dimensions stay at or below 65,535 (libhdf5 2.0 refuses larger ones). Deflate is on at
//! level 1 by default ([`H5adOptions`]). The file is assembled in memory, then written out.

use std::io::Write;

use hdf5_pure::{AttrValue, FileBuilder, GroupBuilder};
use synthome_matrix::{Csr, ExpressionMatrix, ExpressionValues, Provenance};

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
    let var = var_group(&mut file, matrix);
    file.add_group(var);
    let uns = uns_group(&mut file, matrix, provenance);
    file.add_group(uns);
    for name in ["obsm", "varm", "obsp", "varp", "layers"] {
        let mut group = file.create_group(name);
        mark(&mut group, "dict", "0.1.0");
        file.add_group(group.finish());
    }
    file.finish_to(out)
        .map_err(|error| FormatError::Hdf5(error.to_string()))
}

fn write_x(
    file: &mut FileBuilder,
    matrix: &ExpressionMatrix,
    options: H5adOptions,
) -> Result<(), FormatError> {
    let (n_rows, n_cols) = (matrix.n_samples() as u64, matrix.n_genes() as u64);
    let dense: Vec<f32> = match matrix.values() {
        ExpressionValues::Counts(dense) => dense.data().iter().map(|&count| count as f32).collect(),
        ExpressionValues::Expected(dense) => dense.data().to_vec(),
        ExpressionValues::SparseCounts(csr) => return write_csr(file, csr, options),
    };
    let dataset = file.create_dataset("X");
    dataset.with_f32_data(&dense).with_shape(&[n_rows, n_cols]);
    if let (Some(level), true) = (options.deflate_level, n_rows * n_cols > 0) {
        let chunk_cols = n_cols.min(MAX_CHUNK_DIM);
        let chunk_rows = (CHUNK_ELEMENTS / chunk_cols).clamp(1, n_rows.min(MAX_CHUNK_DIM));
        dataset
            .with_chunks(&[chunk_rows, chunk_cols])
            .with_deflate(u32::from(level));
    }
    dataset.set_attr("encoding-type", text("array"));
    dataset.set_attr("encoding-version", text("0.2.0"));
    Ok(())
}

fn write_csr(file: &mut FileBuilder, csr: &Csr, options: H5adOptions) -> Result<(), FormatError> {
    let to_i32 = |values: &[u32], what: &str| -> Result<Vec<i32>, FormatError> {
        values
            .iter()
            .map(|&value| i32::try_from(value))
            .collect::<Result<Vec<i32>, _>>()
            .map_err(|_| FormatError::TooLarge {
                format: "h5ad",
                reason: format!("a CSR {what} value exceeds the int32 range scipy reads"),
            })
    };
    let indptr = to_i32(csr.indptr(), "indptr")?;
    let indices = to_i32(csr.indices(), "indices")?;
    let data: Vec<f32> = csr.data().iter().map(|&count| count as f32).collect();
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
                .with_deflate(u32::from(level));
        }
    };
    compress(
        group.create_dataset("data").with_f32_data(&data),
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

fn obs_group(file: &mut FileBuilder, matrix: &ExpressionMatrix) -> hdf5_pure::FinishedGroup {
    let keys = metadata_keys(matrix.samples());
    let mut obs = file.create_group("obs");
    mark_dataframe(&mut obs, &keys);
    let sample_ids: Vec<&str> = matrix
        .samples()
        .iter()
        .map(|sample| sample.sample_id.as_str())
        .collect();
    string_array(&mut obs, "_index", &sample_ids);
    for key in keys {
        let values: Vec<Option<&str>> = matrix
            .samples()
            .iter()
            .map(|sample| sample.get(key))
            .collect();
        let column = categorical(&mut obs, key, &values);
        obs.add_group(column);
    }
    obs.finish()
}

fn var_group(file: &mut FileBuilder, matrix: &ExpressionMatrix) -> hdf5_pure::FinishedGroup {
    let mut var = file.create_group("var");
    mark_dataframe(&mut var, &["gene_symbols"]);
    let ids: Vec<&str> = matrix.genes().ids().iter().map(String::as_str).collect();
    let symbols: Vec<&str> = matrix
        .genes()
        .symbols()
        .iter()
        .map(String::as_str)
        .collect();
    string_array(&mut var, "_index", &ids);
    string_array(&mut var, "gene_symbols", &symbols);
    var.finish()
}

fn uns_group(
    file: &mut FileBuilder,
    matrix: &ExpressionMatrix,
    provenance: &Provenance,
) -> hdf5_pure::FinishedGroup {
    let mut uns = file.create_group("uns");
    mark(&mut uns, "dict", "0.1.0");
    let mut synthome = uns.create_group("synthome");
    mark(&mut synthome, "dict", "0.1.0");
    for (name, value) in [
        ("model_id", provenance.model_id.as_str()),
        ("model_version", provenance.model_version.as_str()),
        ("bundle_sha256", provenance.bundle_sha256.as_str()),
        ("sampling_strategy", provenance.sampling_strategy.as_str()),
        ("query", provenance.query_json.as_str()),
        ("values", values_kind(matrix.values())),
    ] {
        synthome
            .create_dataset(name)
            .with_vlen_strings(&[value])
            .with_shape(&[])
            .set_attr("encoding-type", text("string"))
            .set_attr("encoding-version", text("0.2.0"));
    }
    synthome
        .create_dataset("seed")
        .with_u64_data(&[provenance.seed])
        .with_shape(&[])
        .set_attr("encoding-type", text("numeric-scalar"))
        .set_attr("encoding-version", text("0.2.0"));
    let warnings: Vec<&str> = provenance.warnings.iter().map(String::as_str).collect();
    string_array(&mut synthome, "warnings", &warnings);
    uns.add_group(synthome.finish());
    uns.finish()
}

/// A categorical column: `categories` in first-seen order and int codes (-1 = missing).
fn categorical(
    parent: &mut GroupBuilder,
    name: &str,
    values: &[Option<&str>],
) -> hdf5_pure::FinishedGroup {
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
    let mut group = parent.create_group(name);
    mark(&mut group, "categorical", "0.2.0");
    group.set_attr("ordered", AttrValue::U8(0));
    string_array(&mut group, "categories", &categories);
    group
        .create_dataset("codes")
        .with_i32_data(&codes)
        .set_attr("encoding-type", text("array"))
        .set_attr("encoding-version", text("0.2.0"));
    group.finish()
}

fn string_array(group: &mut GroupBuilder, name: &str, values: &[&str]) {
    group
        .create_dataset(name)
        .with_vlen_strings(values)
        .set_attr("encoding-type", text("string-array"))
        .set_attr("encoding-version", text("0.2.0"));
}

fn mark_dataframe(group: &mut GroupBuilder, columns: &[&str]) {
    mark(group, "dataframe", "0.2.0");
    group.set_attr("_index", text("_index"));
    let order = if columns.is_empty() {
        AttrValue::F64Array(Vec::new())
    } else {
        AttrValue::StringArray(columns.iter().map(|column| column.to_string()).collect())
    };
    group.set_attr("column-order", order);
}

fn mark(group: &mut GroupBuilder, encoding_type: &str, encoding_version: &str) {
    group.set_attr("encoding-type", text(encoding_type));
    group.set_attr("encoding-version", text(encoding_version));
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
            assert_eq!(ok(x.read::<f32>()), vec![12.0, 0.0, 5.0, 1.0, 2.0, 3.0]);
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
        assert_eq!(
            ok(ok(file.dataset("X/data")).read::<f32>()),
            vec![4.0, 9.0, 1.0]
        );
        let attrs = ok(ok(file.group("X")).attrs());
        assert_eq!(attrs.get("shape"), Some(&AttrValue::I64Array(vec![2, 3])));
    }
}
