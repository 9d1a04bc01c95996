//! The Kang gene and cell lists and the HPA blood cell type table

use crate::error::BuildError;

/// Gene symbols in matrix row order (one per line)
pub(crate) fn gene_symbols(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| line.trim().to_owned())
        .filter(|line| !line.is_empty())
        .collect()
}

/// One cell: its barcode and whether it was stimulated
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellRecord {
    /// The 10x barcode
    pub barcode: String,
    /// True for `stim`, false for `ctrl`
    pub stimulated: bool,
}

/// Cells in matrix column order: `barcode<TAB>ctrl|stim`
pub(crate) fn cells(text: &str, file: &str) -> Result<Vec<CellRecord>, BuildError> {
    let mut cells = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.trim_end_matches('\r').split('\t').collect();
        let stimulated = match fields.get(1).map(|f| f.trim()) {
            Some("stim") => true,
            Some("ctrl") => false,
            other => {
                return Err(BuildError::Parse {
                    file: file.to_owned(),
                    line: number + 1,
                    detail: format!(
                        "expected \"barcode<TAB>ctrl\" or \"<TAB>stim\", found condition {other:?}"
                    ),
                });
            }
        };
        cells.push(CellRecord {
            barcode: fields[0].trim().to_owned(),
            stimulated,
        });
    }
    Ok(cells)
}

/// A wide table of expression values: gene ids by column names
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct WideTable {
    /// Column names after the gene id column
    pub columns: Vec<String>,
    /// Unversioned gene ids, in file order
    pub genes: Vec<String>,
    /// Values, gene-major: `values[gene * columns.len() + column]`
    pub values: Vec<f64>,
}

impl WideTable {
    /// Index of a column
    pub(crate) fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|column| column == name)
    }
}

/// A tab-separated table with a header `GeneID<TAB>name...` and numeric values
pub(crate) fn wide_table(text: &str, file: &str) -> Result<WideTable, BuildError> {
    let mut lines = text.lines().enumerate();
    let header = lines.next().map(|(_, line)| line).unwrap_or_default();
    let columns: Vec<String> = header
        .trim_end_matches('\r')
        .split('\t')
        .skip(1)
        .map(str::to_owned)
        .collect();
    if columns.is_empty() {
        return Err(BuildError::Parse {
            file: file.to_owned(),
            line: 1,
            detail: "expected a header \"GeneID<TAB>column...\"".to_owned(),
        });
    }
    let mut table = WideTable {
        columns,
        genes: Vec::new(),
        values: Vec::new(),
    };
    for (number, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.trim_end_matches('\r').split('\t').collect();
        if fields.len() != table.columns.len() + 1 {
            return Err(BuildError::Parse {
                file: file.to_owned(),
                line: number + 1,
                detail: format!(
                    "expected {} fields, found {}",
                    table.columns.len() + 1,
                    fields.len()
                ),
            });
        }
        let id = fields[0].split('.').next().unwrap_or_default().to_owned();
        for field in &fields[1..] {
            let value: f64 = field.trim().parse().map_err(|_| BuildError::Parse {
                file: file.to_owned(),
                line: number + 1,
                detail: format!("value {field:?} is not a number"),
            })?;
            table.values.push(value);
        }
        table.genes.push(id);
    }
    Ok(table)
}
