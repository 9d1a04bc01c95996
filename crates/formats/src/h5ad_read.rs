//! Reading the expression of an `.h5ad` file (AnnData): `X` dense or CSR/CSC, the observation
//! names (`obs/_index`) and every string column of `var` (its index and e.g. `gene_ids`,
//! `feature_name`), so a caller can match genes by whichever column names them.

use hdf5_pure::{AttrValue, File, Group};

/// An h5ad file's counts: one row per observation (sample or cell)
#[derive(Debug, Clone, PartialEq)]
pub struct H5adCounts {
    /// Observation names
    pub obs_names: Vec<String>,
    /// The string columns of `var` (name, one value per variable), the index first
    pub var_columns: Vec<(String, Vec<String>)>,
    /// Row-major values, `obs_names.len() x n_vars`
    pub values: Vec<f64>,
    /// Number of variables (genes)
    pub n_vars: usize,
}

/// Why an h5ad file could not be read
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("not a readable h5ad file: {0}")]
pub struct H5adReadError(pub String);

fn fail(error: impl std::fmt::Display) -> H5adReadError {
    H5adReadError(error.to_string())
}

/// The `_index` attribute of a dataframe group (the name of its index dataset), else `_index`
fn index_name(group: &Group) -> String {
    match group
        .attrs()
        .ok()
        .and_then(|attrs| attrs.get("_index").cloned())
    {
        Some(AttrValue::String(name)) => name,
        _ => "_index".to_owned(),
    }
}

fn string_attr(group: &Group, name: &str) -> Option<String> {
    match group.attrs().ok()?.get(name)? {
        AttrValue::String(value) => Some(value.clone()),
        _ => None,
    }
}

/// Reads the counts of an h5ad file from its bytes
pub fn read_h5ad(bytes: Vec<u8>) -> Result<H5adCounts, H5adReadError> {
    let file = File::from_bytes(bytes).map_err(fail)?;
    let obs = file.group("obs").map_err(fail)?;
    let obs_names = obs
        .dataset(&index_name(&obs))
        .and_then(|dataset| dataset.read_string())
        .map_err(fail)?;
    let var = file.group("var").map_err(fail)?;
    let var_index = index_name(&var);
    let mut var_columns = vec![(
        var_index.clone(),
        var.dataset(&var_index)
            .and_then(|dataset| dataset.read_string())
            .map_err(fail)?,
    )];
    if let Ok(names) = var.datasets() {
        for name in names {
            if name == var_index {
                continue;
            }
            if let Ok(values) = var.dataset(&name).and_then(|dataset| dataset.read_string()) {
                var_columns.push((name, values));
            }
        }
    }
    let n_obs = obs_names.len();
    let n_vars = var_columns[0].1.len();
    let values = match file.dataset("X") {
        Ok(dense) => dense.read_f64().map_err(fail)?,
        Err(_) => {
            let x = file.group("X").map_err(fail)?;
            let encoding = string_attr(&x, "encoding-type").unwrap_or_else(|| "csr_matrix".into());
            let data = x.dataset("data").and_then(|d| d.read_f64()).map_err(fail)?;
            let indices = x
                .dataset("indices")
                .and_then(|d| d.read_i64())
                .map_err(fail)?;
            let indptr = x
                .dataset("indptr")
                .and_then(|d| d.read_i64())
                .map_err(fail)?;
            let mut values = vec![0.0f64; n_obs * n_vars];
            let by_rows = encoding != "csc_matrix";
            for outer in 0..indptr.len().saturating_sub(1) {
                let (start, end) = (
                    indptr[outer].max(0) as usize,
                    indptr[outer + 1].max(0) as usize,
                );
                let stored = data
                    .iter()
                    .zip(&indices)
                    .take(end.min(data.len()))
                    .skip(start);
                for (&value, &inner) in stored {
                    let inner = inner.max(0) as usize;
                    let (row, column) = if by_rows {
                        (outer, inner)
                    } else {
                        (inner, outer)
                    };
                    if row < n_obs && column < n_vars {
                        values[row * n_vars + column] = value;
                    }
                }
            }
            values
        }
    };
    if values.len() != n_obs * n_vars {
        return Err(H5adReadError(format!(
            "X has {} values; obs x var is {n_obs} x {n_vars}",
            values.len()
        )));
    }
    Ok(H5adCounts {
        obs_names,
        var_columns,
        values,
        n_vars,
    })
}
