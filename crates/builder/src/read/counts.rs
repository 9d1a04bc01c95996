//! Per-sample tables: a gene x sample matrix (counts or log values) and a sample metadata
//! table

use std::io::Read;

use crate::error::BuildError;
use crate::read::tsv::{for_each_row, number};

/// A gene x sample matrix, stored per sample
#[derive(Debug, Clone, Default)]
pub(crate) struct SampleMatrix {
    /// Row ids as written (Ensembl ids, possibly versioned, or symbols)
    pub genes: Vec<String>,
    /// Sample ids
    pub samples: Vec<String>,
    /// `values[sample][gene]`
    pub values: Vec<Vec<f64>>,
}

impl SampleMatrix {
    /// Keeps only the samples `keep` accepts (used to hold samples out of training)
    pub(crate) fn retain_samples(&mut self, keep: impl Fn(&str) -> bool) {
        let samples = std::mem::take(&mut self.samples);
        let values = std::mem::take(&mut self.values);
        for (sample, column) in samples.into_iter().zip(values) {
            if keep(&sample) {
                self.samples.push(sample);
                self.values.push(column);
            }
        }
    }

    /// The column of `sample`
    pub(crate) fn sample(&self, sample: &str) -> Option<&[f64]> {
        self.samples
            .iter()
            .position(|name| name == sample)
            .map(|index| self.values[index].as_slice())
    }
}

/// Whether `NA` is accepted in a matrix
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Missing {
    /// Every value must be a number (count tables)
    Error,
    /// `NA` reads as NaN (log tables with unreported values)
    Nan,
}

/// Reads a matrix whose first column is the row id and whose header names the samples
pub(crate) fn read_matrix<R: Read>(
    reader: R,
    source_name: &str,
    missing: Missing,
) -> Result<SampleMatrix, BuildError> {
    let mut matrix = SampleMatrix::default();
    for_each_row(reader, source_name, false, |line, fields| {
        if matrix.samples.is_empty() {
            if fields.len() < 2 {
                return Err(BuildError::parse(
                    source_name,
                    line,
                    "the header needs a gene column and at least one sample",
                ));
            }
            matrix.samples = fields[1..].iter().map(|name| (*name).to_owned()).collect();
            matrix.values = vec![Vec::new(); matrix.samples.len()];
            return Ok(());
        }
        if fields.len() != matrix.samples.len() + 1 {
            return Err(BuildError::parse(
                source_name,
                line,
                format!(
                    "expected {} fields, found {}",
                    matrix.samples.len() + 1,
                    fields.len()
                ),
            ));
        }
        matrix.genes.push(fields[0].to_owned());
        for (column, text) in matrix.values.iter_mut().zip(&fields[1..]) {
            let value = if missing == Missing::Nan && text.trim() == "NA" {
                f64::NAN
            } else {
                number(text, source_name, line)?
            };
            column.push(value);
        }
        Ok(())
    })?;
    if matrix.samples.is_empty() {
        return Err(BuildError::parse(source_name, 0, "the table is empty"));
    }
    Ok(matrix)
}

/// A table with a header row: column names and rows of text
#[derive(Debug, Clone, Default)]
pub(crate) struct TextTable {
    /// Column names
    pub columns: Vec<String>,
    /// Rows, each as long as `columns`
    pub rows: Vec<Vec<String>>,
}

impl TextTable {
    /// The index of column `name`, or an error naming the table
    pub(crate) fn column(&self, name: &str, source_name: &str) -> Result<usize, BuildError> {
        self.columns
            .iter()
            .position(|column| column == name)
            .ok_or_else(|| {
                BuildError::parse(
                    source_name,
                    1,
                    format!(
                        "no {name:?} column; the columns are {}",
                        self.columns.join(", ")
                    ),
                )
            })
    }
}

/// Reads a headed table; short rows are padded with empty fields
pub(crate) fn read_text_table<R: Read>(
    reader: R,
    source_name: &str,
) -> Result<TextTable, BuildError> {
    let mut table = TextTable::default();
    for_each_row(reader, source_name, false, |line, fields| {
        if table.columns.is_empty() {
            table.columns = fields.iter().map(|name| (*name).to_owned()).collect();
            return Ok(());
        }
        if fields.len() > table.columns.len() {
            return Err(BuildError::parse(
                source_name,
                line,
                format!(
                    "expected at most {} fields, found {}",
                    table.columns.len(),
                    fields.len()
                ),
            ));
        }
        let mut row: Vec<String> = fields.iter().map(|field| (*field).to_owned()).collect();
        row.resize(table.columns.len(), String::new());
        table.rows.push(row);
        Ok(())
    })?;
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_and_table_read_and_filter() {
        let text = "id\ts1\ts2\nENSG1\t1\t2\nENSG2\t3\t4\n";
        let mut matrix = read_matrix(text.as_bytes(), "m", Missing::Error).expect("matrix");
        assert_eq!(matrix.sample("s2"), Some(&[2.0, 4.0][..]));
        matrix.retain_samples(|s| s != "s1");
        assert_eq!(matrix.samples, vec!["s2"]);
        assert_eq!(matrix.values, vec![vec![2.0, 4.0]]);
        assert!(read_matrix("id\ts1\nENSG1\tx\n".as_bytes(), "m", Missing::Nan).is_err());
        assert!(read_matrix("id\ts1\nENSG1\tNA\n".as_bytes(), "m", Missing::Error).is_err());
        let log = read_matrix("id\ts1\nENSG1\tNA\n".as_bytes(), "m", Missing::Nan).expect("NA");
        assert!(log.values[0][0].is_nan());
        let table = read_text_table("sample\tsex\nA\tfemale\nB\n".as_bytes(), "t").expect("table");
        assert_eq!(table.rows[1], vec!["B".to_owned(), String::new()]);
        assert_eq!(table.column("sex", "t").expect("sex"), 1);
        assert!(table.column("age", "t").is_err());
    }
}
