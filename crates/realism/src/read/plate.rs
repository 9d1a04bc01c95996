//! The A375 L1000 plate (GCT 1.3): landmark genes x wells, log2 values, with each well's
//! perturbation and dose

use super::folder::{Folder, PLATE, number};
use crate::error::RealismError;

/// The builder's reviewed table of plate compounds with a ChEMBL id (pert_id, name, ChEMBL)
const COMPOUNDS: &str = include_str!("../../../builder/mappings/a375_compounds.tsv");

/// One well
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Well {
    /// The GCT column id (what `BuildOptions::exclude_samples` takes)
    pub id: String,
    /// `ctl_vehicle` for DMSO, `trt_cp` for compounds
    pub pert_type: String,
    /// The BRD id
    pub pert_id: String,
    /// Dose in micromolar, for treated wells
    pub dose: Option<f64>,
}

/// The plate
#[derive(Debug, Clone)]
pub(crate) struct Plate {
    /// Entrez id of each row (landmark gene)
    pub entrez: Vec<Option<u64>>,
    /// `values[row][well]`, log2
    pub values: Vec<Vec<f64>>,
    /// The wells, in column order
    pub wells: Vec<Well>,
}

impl Plate {
    /// Indices of the DMSO wells
    pub(crate) fn controls(&self) -> Vec<usize> {
        (0..self.wells.len())
            .filter(|&w| self.wells[w].pert_type == "ctl_vehicle")
            .collect()
    }
}

/// The plate's compounds that have a ChEMBL id: (pert_id, name, ChEMBL id)
pub(crate) fn compounds() -> Vec<(String, String, String)> {
    COMPOUNDS
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| line.split('\t').collect::<Vec<_>>())
        .filter(|fields| fields.len() >= 3)
        .map(|f| (f[0].to_owned(), f[1].to_owned(), f[2].to_owned()))
        .collect()
}

/// Reads the plate
pub(crate) fn read(folder: &Folder) -> Result<Plate, RealismError> {
    let text = folder.text(PLATE)?;
    let lines: Vec<&str> = text.lines().collect();
    let dims: Vec<usize> = lines
        .get(1)
        .unwrap_or(&"")
        .split_whitespace()
        .filter_map(|d| d.parse().ok())
        .collect();
    let [n_rows, n_cols, n_row_meta, n_col_meta] = dims.as_slice() else {
        return Err(RealismError::parse(
            PLATE,
            2,
            "expected 4 dimensions (rows, columns, row and column metadata counts)",
        ));
    };
    let header: Vec<&str> = lines.get(2).unwrap_or(&"").split('\t').collect();
    let first = 1 + n_row_meta;
    if header.len() != first + n_cols {
        return Err(RealismError::parse(
            PLATE,
            3,
            format!(
                "{} header fields; expected {} (id, {n_row_meta} row metadata, {n_cols} wells)",
                header.len(),
                first + n_cols
            ),
        ));
    }
    let gene_id_at = header
        .iter()
        .position(|h| *h == "pr_gene_id")
        .ok_or_else(|| RealismError::parse(PLATE, 3, "no pr_gene_id row metadata"))?;
    let mut meta = std::collections::HashMap::new();
    for line in lines.iter().skip(3).take(*n_col_meta) {
        let fields: Vec<&str> = line.split('\t').collect();
        if let Some(name) = fields.first() {
            meta.insert(*name, fields.get(first..).unwrap_or(&[]).to_vec());
        }
    }
    let field = |name: &str, w: usize| -> String {
        meta.get(name)
            .and_then(|values| values.get(w))
            .map_or(String::new(), |v| (*v).to_owned())
    };
    let wells = (0..*n_cols)
        .map(|w| Well {
            id: header[first + w].to_owned(),
            pert_type: field("pert_type", w),
            pert_id: field("pert_id", w),
            dose: field("pert_dose", w)
                .parse::<f64>()
                .ok()
                .filter(|d| *d > 0.0),
        })
        .collect();
    let mut entrez = Vec::with_capacity(*n_rows);
    let mut values = Vec::with_capacity(*n_rows);
    for (offset, line) in lines.iter().skip(3 + n_col_meta).enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let at = 4 + n_col_meta + offset;
        if fields.len() != first + n_cols {
            return Err(RealismError::parse(
                PLATE,
                at,
                format!("{} fields; expected {}", fields.len(), first + n_cols),
            ));
        }
        entrez.push(fields[gene_id_at].parse().ok());
        values.push(
            fields[first..]
                .iter()
                .map(|v| number(v, PLATE, at))
                .collect::<Result<Vec<_>, _>>()?,
        );
    }
    Ok(Plate {
        entrez,
        values,
        wells,
    })
}
