//! GCT 1.3: a matrix with row and column metadata
//!
//! ```text
//! #1.3
//! n_rows  n_cols  n_row_meta  n_col_meta
//! id  row-meta names...  sample ids...
//! col-meta name  na x n_row_meta  values...     (n_col_meta lines)
//! row id  row-meta values...  data...           (n_rows lines)
//! ```

use std::collections::HashMap;
use std::io::Read;

use crate::error::BuildError;
use crate::read::tsv::{for_each_row, number};

/// A parsed GCT file
#[derive(Debug, Clone, Default)]
pub(crate) struct Gct {
    /// Row ids
    pub row_ids: Vec<String>,
    /// Row metadata by field name
    pub row_meta: HashMap<String, Vec<String>>,
    /// Column (sample) ids
    pub col_ids: Vec<String>,
    /// Column metadata by field name
    pub col_meta: HashMap<String, Vec<String>>,
    /// `values[row][col]`
    pub values: Vec<Vec<f64>>,
}

/// Reads a GCT 1.3 file
pub(crate) fn read_gct<R: Read>(reader: R, source_name: &str) -> Result<Gct, BuildError> {
    let mut gct = Gct::default();
    let mut dims: Option<[usize; 4]> = None;
    let mut row_meta_names: Vec<String> = Vec::new();
    let mut header_seen = false;
    let mut col_meta_seen = 0usize;
    let mut version_seen = false;
    for_each_row(reader, source_name, false, |line, fields| {
        if !version_seen {
            if fields[0].trim() != "#1.3" {
                return Err(BuildError::parse(
                    source_name,
                    line,
                    format!("expected \"#1.3\", found {:?}", fields[0]),
                ));
            }
            version_seen = true;
            return Ok(());
        }
        let Some([n_rows, n_cols, n_row_meta, n_col_meta]) = dims else {
            let parsed: Vec<usize> = fields
                .iter()
                .filter_map(|f| f.trim().parse().ok())
                .collect();
            if parsed.len() != 4 {
                return Err(BuildError::parse(
                    source_name,
                    line,
                    "expected four dimensions",
                ));
            }
            dims = Some([parsed[0], parsed[1], parsed[2], parsed[3]]);
            return Ok(());
        };
        let width = 1 + n_row_meta + n_cols;
        if fields.len() != width {
            return Err(BuildError::parse(
                source_name,
                line,
                format!("expected {width} fields, found {}", fields.len()),
            ));
        }
        if !header_seen {
            row_meta_names = fields[1..=n_row_meta]
                .iter()
                .map(|s| (*s).to_owned())
                .collect();
            gct.col_ids = fields[1 + n_row_meta..]
                .iter()
                .map(|s| (*s).to_owned())
                .collect();
            header_seen = true;
            return Ok(());
        }
        if col_meta_seen < n_col_meta {
            gct.col_meta.insert(
                fields[0].to_owned(),
                fields[1 + n_row_meta..]
                    .iter()
                    .map(|s| (*s).to_owned())
                    .collect(),
            );
            col_meta_seen += 1;
            return Ok(());
        }
        if gct.row_ids.len() == n_rows {
            return Err(BuildError::parse(
                source_name,
                line,
                format!("more than the declared {n_rows} rows"),
            ));
        }
        gct.row_ids.push(fields[0].to_owned());
        for (name, value) in row_meta_names.iter().zip(&fields[1..=n_row_meta]) {
            gct.row_meta
                .entry(name.clone())
                .or_default()
                .push((*value).to_owned());
        }
        let row = fields[1 + n_row_meta..]
            .iter()
            .map(|text| number(text, source_name, line))
            .collect::<Result<Vec<f64>, _>>()?;
        gct.values.push(row);
        Ok(())
    })?;
    match dims {
        Some([n_rows, ..]) if gct.row_ids.len() == n_rows => Ok(gct),
        Some([n_rows, ..]) => Err(BuildError::parse(
            source_name,
            0,
            format!("declared {n_rows} rows, found {}", gct.row_ids.len()),
        )),
        None => Err(BuildError::parse(source_name, 0, "no dimensions line")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_metadata_and_values() {
        let text = "#1.3\n2\t2\t1\t1\nid\tpr_gene_id\tS1\tS2\npert_dose\tna\t10\t-666\nP1\t5290\t1.5\t2\nP2\t207\t3\t4\n";
        let gct = read_gct(text.as_bytes(), "g").expect("gct");
        assert_eq!(gct.col_ids, vec!["S1", "S2"]);
        assert_eq!(gct.col_meta["pert_dose"], vec!["10", "-666"]);
        assert_eq!(gct.row_meta["pr_gene_id"], vec!["5290", "207"]);
        assert_eq!(gct.values[1], vec![3.0, 4.0]);
        assert!(read_gct("#1.2\n".as_bytes(), "g").is_err());
        assert!(
            read_gct(
                "#1.3\n3\t2\t1\t1\nid\tx\tS1\tS2\nm\tna\t1\t2\nP1\t1\t1\t2\n".as_bytes(),
                "g"
            )
            .is_err()
        );
    }
}
