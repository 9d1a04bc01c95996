//! A user's counts table (CSV or TSV text, genes x samples or samples x genes) aligned to a
//! model's genes by Ensembl id (version suffix stripped) or symbol (case-insensitive): pure, so
//! the CLI and the browser read tables the same way.

use std::collections::HashMap;

use synthome_matrix::GeneTable;

/// A counts table aligned to a model's genes
#[derive(Debug, Clone, PartialEq)]
pub struct AlignedTable {
    /// Sample names, in table order
    pub samples: Vec<String>,
    /// One count vector per sample in the model's gene order (0 for genes the table lacks)
    pub counts: Vec<Vec<f64>>,
    /// Table genes that matched a model gene
    pub matched: usize,
    /// Genes (rows or columns) in the table
    pub table_genes: usize,
    /// Values that were not whole numbers and were rounded
    pub rounded: usize,
    /// Whether genes were the table's rows (else its columns)
    pub genes_are_rows: bool,
}

/// Why a table could not be read
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TableError {
    /// No header and data lines
    #[error("the table needs a header line and at least one data line")]
    Empty,
    /// A cell is not a number
    #[error(
        "line {line}, column {column}: {value:?} is not a number (counts must be non-negative numbers)"
    )]
    NotANumber {
        /// Line (from 1)
        line: usize,
        /// Column (from 1)
        column: usize,
        /// The cell
        value: String,
    },
    /// A count is negative
    #[error("line {line}, column {column}: {value} is negative (counts must be non-negative)")]
    Negative {
        /// Line (from 1)
        line: usize,
        /// Column (from 1)
        column: usize,
        /// The value
        value: f64,
    },
    /// Neither the first column nor the header names the model's genes
    #[error(
        "no gene of the table matches the model's genes (by Ensembl id or symbol) in either its first column or its header"
    )]
    NoGenes,
}

/// A model's gene lookup: unversioned Ensembl id, and upper-case symbol
struct GeneIndex(HashMap<String, usize>);

impl GeneIndex {
    fn new(genes: &GeneTable) -> GeneIndex {
        let mut map = HashMap::with_capacity(genes.len() * 2);
        for (index, symbol) in genes.symbols().iter().enumerate() {
            map.entry(symbol.to_ascii_uppercase()).or_insert(index);
        }
        for (index, id) in genes.ids().iter().enumerate() {
            map.insert(strip_version(id).to_ascii_uppercase(), index);
        }
        GeneIndex(map)
    }

    fn find(&self, name: &str) -> Option<usize> {
        let name = name.trim().trim_matches('"');
        let key = if name.to_ascii_uppercase().starts_with("ENS") {
            strip_version(name)
        } else {
            name
        };
        self.0.get(&key.to_ascii_uppercase()).copied()
    }
}

/// `ENSG00000141510.17` -> `ENSG00000141510`
fn strip_version(id: &str) -> &str {
    match id.split_once('.') {
        Some((stem, version)) if version.bytes().all(|b| b.is_ascii_digit()) => stem,
        _ => id,
    }
}

/// Splits a line at tabs when the text has them, else at commas (quotes trimmed per cell)
fn cells(line: &str, tab: bool) -> Vec<&str> {
    let parts: Vec<&str> = if tab {
        line.split('\t').collect()
    } else {
        line.split(',').collect()
    };
    parts
        .into_iter()
        .map(|cell| cell.trim().trim_matches('"'))
        .collect()
}

/// Reads a CSV/TSV counts table and aligns it to `genes`; the orientation is the one whose
/// gene names (first column, or header) match more of the model's genes. Several table genes
/// matching one model gene are summed.
pub fn align_table(text: &str, genes: &GeneTable) -> Result<AlignedTable, TableError> {
    let tab = text.lines().next().is_some_and(|line| line.contains('\t'));
    let lines: Vec<Vec<&str>> = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| cells(line, tab))
        .collect();
    if lines.len() < 2 {
        return Err(TableError::Empty);
    }
    let index = GeneIndex::new(genes);
    let header = &lines[0];
    let row_genes: Vec<Option<usize>> = lines[1..]
        .iter()
        .map(|row| row.first().and_then(|name| index.find(name)))
        .collect();
    let column_genes: Vec<Option<usize>> =
        header[1..].iter().map(|name| index.find(name)).collect();
    let by_rows = row_genes.iter().flatten().count();
    let by_columns = column_genes.iter().flatten().count();
    if by_rows == 0 && by_columns == 0 {
        return Err(TableError::NoGenes);
    }
    let genes_are_rows = by_rows >= by_columns;
    let n_genes = genes.len();
    let mut rounded = 0;
    let mut parse = |line: usize, column: usize, cell: &str| -> Result<f64, TableError> {
        let value: f64 = if cell.is_empty() || cell.eq_ignore_ascii_case("na") {
            0.0
        } else {
            cell.parse().map_err(|_| TableError::NotANumber {
                line: line + 1,
                column: column + 1,
                value: cell.to_owned(),
            })?
        };
        if !value.is_finite() || value < 0.0 {
            return Err(TableError::Negative {
                line: line + 1,
                column: column + 1,
                value,
            });
        }
        if value.fract() != 0.0 {
            rounded += 1;
        }
        Ok(value.round())
    };
    let (samples, counts, matched, table_genes) = if genes_are_rows {
        // Columns whose first cells are all empty or text (a symbol or description column)
        let annotation = |column: usize| {
            lines[1..].iter().take(20).all(|row| {
                row.get(column)
                    .is_none_or(|cell| cell.is_empty() || cell.parse::<f64>().is_err())
            })
        };
        let columns: Vec<usize> = (1..header.len())
            .filter(|&column| !annotation(column))
            .collect();
        let samples: Vec<String> = columns
            .iter()
            .map(|&column| header[column].to_owned())
            .collect();
        let mut counts = vec![vec![0.0f64; n_genes]; samples.len()];
        for (row_index, row) in lines[1..].iter().enumerate() {
            let Some(gene) = row_genes[row_index] else {
                continue;
            };
            for (sample, &column) in columns.iter().enumerate() {
                let cell = row.get(column).copied().unwrap_or_default();
                counts[sample][gene] += parse(row_index + 1, column, cell)?;
            }
        }
        (samples, counts, by_rows, lines.len() - 1)
    } else {
        let mut samples = Vec::new();
        let mut counts = Vec::new();
        for (row_index, row) in lines[1..].iter().enumerate() {
            samples.push(row.first().copied().unwrap_or_default().to_owned());
            let mut vector = vec![0.0f64; n_genes];
            for (column, cell) in row[1..].iter().enumerate() {
                if let Some(Some(gene)) = column_genes.get(column) {
                    vector[*gene] += parse(row_index + 1, column + 1, cell)?;
                }
            }
            counts.push(vector);
        }
        (samples, counts, by_columns, header.len() - 1)
    };
    Ok(AlignedTable {
        samples,
        counts,
        matched,
        table_genes,
        rounded,
        genes_are_rows,
    })
}

/// Aligns a samples x genes matrix (row-major `values`) whose genes are named by one of
/// `gene_columns` (e.g. an h5ad file's `var` index and its `gene_ids`, `feature_name` columns):
/// the column that matches the most model genes is used
pub fn align_matrix(
    samples: Vec<String>,
    gene_columns: &[(String, Vec<String>)],
    values: &[f64],
    genes: &GeneTable,
) -> Result<AlignedTable, TableError> {
    let index = GeneIndex::new(genes);
    let best = gene_columns
        .iter()
        .map(|(_, names)| {
            names
                .iter()
                .map(|name| index.find(name))
                .collect::<Vec<_>>()
        })
        .max_by_key(|found| found.iter().flatten().count())
        .ok_or(TableError::NoGenes)?;
    let matched = best.iter().flatten().count();
    if matched == 0 {
        return Err(TableError::NoGenes);
    }
    let n_table = best.len();
    let mut rounded = 0;
    let mut counts = Vec::with_capacity(samples.len());
    for (row, chunk) in values
        .chunks(n_table.max(1))
        .take(samples.len())
        .enumerate()
    {
        let mut vector = vec![0.0f64; genes.len()];
        for (column, (&value, gene)) in chunk.iter().zip(&best).enumerate() {
            if !value.is_finite() || value < 0.0 {
                return Err(TableError::Negative {
                    line: row + 1,
                    column: column + 1,
                    value,
                });
            }
            if let Some(gene) = gene {
                if value.fract() != 0.0 {
                    rounded += 1;
                }
                vector[*gene] += value.round();
            }
        }
        counts.push(vector);
    }
    Ok(AlignedTable {
        samples,
        counts,
        matched,
        table_genes: n_table,
        rounded,
        genes_are_rows: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn genes() -> GeneTable {
        GeneTable::new(
            vec!["ENSG1".into(), "ENSG2".into(), "ENSG3".into()],
            vec!["TP53".into(), "MYC".into(), "XIST".into()],
        )
        .unwrap_or_else(|error| panic!("{error}"))
    }

    #[test]
    fn genes_by_rows_with_versions_and_symbols() -> Result<(), TableError> {
        let table = align_table(
            "gene,symbol,s1,s2\nENSG1.5,TP53,1,2\nmyc,,3,4\nOTHER,,9,9\n",
            &genes(),
        )?;
        assert!(table.genes_are_rows);
        assert_eq!(table.samples, ["s1", "s2"]);
        assert_eq!(table.counts, [vec![1.0, 3.0, 0.0], vec![2.0, 4.0, 0.0]]);
        assert_eq!((table.matched, table.table_genes), (2, 3));
        Ok(())
    }

    #[test]
    fn samples_by_rows_in_tsv_and_errors_name_the_cell() -> Result<(), TableError> {
        let table = align_table("sample\tXIST\tENSG2\nA\t5\t6.4\n", &genes())?;
        assert!(!table.genes_are_rows);
        assert_eq!(table.counts, [vec![0.0, 6.0, 5.0]]);
        assert_eq!(table.rounded, 1);
        assert_eq!(
            align_table("gene,s1\nTP53,-1\n", &genes())
                .err()
                .map(|e| e.to_string()),
            Some("line 2, column 2: -1 is negative (counts must be non-negative)".into())
        );
        assert_eq!(
            align_table("a,b\nc,d\n", &genes()),
            Err(TableError::NoGenes)
        );
        Ok(())
    }

    #[test]
    fn a_matrix_uses_the_gene_column_that_matches_most() -> Result<(), TableError> {
        let columns = vec![
            ("_index".to_owned(), vec!["a".to_owned(), "b".to_owned()]),
            (
                "gene_ids".to_owned(),
                vec!["ENSG3.1".to_owned(), "ENSG1".to_owned()],
            ),
        ];
        let table = align_matrix(vec!["cell1".into()], &columns, &[4.0, 2.0], &genes())?;
        assert_eq!(table.counts, [vec![2.0, 0.0, 4.0]]);
        assert_eq!(table.matched, 2);
        Ok(())
    }
}
