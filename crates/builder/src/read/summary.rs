//! Per-context summary tables (HPA, GTEx): long (gene, context, value) or wide (gene x
//! context) layouts, into one dense table

use std::collections::HashMap;
use std::io::Read;

use crate::error::BuildError;
use crate::read::tsv::{for_each_row, number, unversioned};

/// Values per gene and context (TPM or nTPM); genes absent from a context are 0
#[derive(Debug, Clone, Default)]
pub(crate) struct SummaryTable {
    /// Unversioned Ensembl ids, in first-seen order
    pub genes: Vec<String>,
    /// Context names (tissue, cell type or cell line), in first-seen order
    pub contexts: Vec<String>,
    /// `values[context][gene]`
    pub values: Vec<Vec<f64>>,
}

impl SummaryTable {
    /// The column of `context`
    pub(crate) fn column(&self, context: &str) -> Option<&[f64]> {
        self.contexts
            .iter()
            .position(|name| name == context)
            .map(|index| self.values[index].as_slice())
    }
}

/// A summary value: a number, or `NA`/empty for a value the source did not report (read as 0,
/// like a gene absent from the table)
fn summary_value(text: &str, source_name: &str, line: usize) -> Result<f64, BuildError> {
    match text.trim() {
        "" | "NA" => Ok(0.0),
        other => number(other, source_name, line),
    }
}

/// A long table with header columns `gene_column`, `context_column`, `value_column`
pub(crate) fn read_long<R: Read>(
    reader: R,
    source_name: &str,
    gene_column: &str,
    context_column: &str,
    value_column: &str,
) -> Result<SummaryTable, BuildError> {
    let mut columns: Option<(usize, usize, usize)> = None;
    let mut gene_index: HashMap<String, usize> = HashMap::new();
    let mut context_index: HashMap<String, usize> = HashMap::new();
    let mut table = SummaryTable::default();
    let mut entries: Vec<(usize, usize, f64)> = Vec::new();
    for_each_row(reader, source_name, false, |line, fields| {
        let Some((gene_at, context_at, value_at)) = columns else {
            let find = |name: &str| {
                fields
                    .iter()
                    .position(|field| *field == name)
                    .ok_or_else(|| {
                        BuildError::parse(
                            source_name,
                            line,
                            format!("the header has no {name:?} column"),
                        )
                    })
            };
            columns = Some((
                find(gene_column)?,
                find(context_column)?,
                find(value_column)?,
            ));
            return Ok(());
        };
        let field = |at: usize| {
            fields.get(at).copied().ok_or_else(|| {
                BuildError::parse(
                    source_name,
                    line,
                    format!("expected at least {} fields", at + 1),
                )
            })
        };
        let gene = unversioned(field(gene_at)?).to_owned();
        let context = field(context_at)?.to_owned();
        let value = summary_value(field(value_at)?, source_name, line)?;
        let next_gene = gene_index.len();
        let g = *gene_index.entry(gene.clone()).or_insert_with(|| {
            table.genes.push(gene);
            next_gene
        });
        let next_context = context_index.len();
        let c = *context_index.entry(context.clone()).or_insert_with(|| {
            table.contexts.push(context);
            next_context
        });
        entries.push((c, g, value));
        Ok(())
    })?;
    table.values = vec![vec![0.0; table.genes.len()]; table.contexts.len()];
    for (c, g, value) in entries {
        table.values[c][g] = value;
    }
    Ok(table)
}

/// A wide table: first column the gene id, one column per context
pub(crate) fn read_wide<R: Read>(reader: R, source_name: &str) -> Result<SummaryTable, BuildError> {
    let mut table = SummaryTable::default();
    let mut columns: Vec<Vec<f64>> = Vec::new();
    for_each_row(reader, source_name, false, |line, fields| {
        if table.contexts.is_empty() {
            if fields.len() < 2 {
                return Err(BuildError::parse(
                    source_name,
                    line,
                    "the header needs a gene column and at least one context",
                ));
            }
            table.contexts = fields[1..].iter().map(|name| (*name).to_owned()).collect();
            columns = vec![Vec::new(); table.contexts.len()];
            return Ok(());
        }
        if fields.len() != table.contexts.len() + 1 {
            return Err(BuildError::parse(
                source_name,
                line,
                format!(
                    "expected {} fields, found {}",
                    table.contexts.len() + 1,
                    fields.len()
                ),
            ));
        }
        table.genes.push(unversioned(fields[0]).to_owned());
        for (column, text) in columns.iter_mut().zip(&fields[1..]) {
            column.push(summary_value(text, source_name, line)?);
        }
        Ok(())
    })?;
    table.values = columns;
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_and_wide_give_the_same_table() {
        let long = "Gene\tGene.name\tTissue\tnTPM\nENSG1.2\tA\tliver\t3.5\nENSG1.2\tA\tlung\t1\nENSG2\tB\tliver\t0\n";
        let table = read_long(long.as_bytes(), "long", "Gene", "Tissue", "nTPM").expect("long");
        assert_eq!(table.genes, vec!["ENSG1", "ENSG2"]);
        assert_eq!(table.column("liver"), Some(&[3.5, 0.0][..]));
        assert_eq!(table.column("lung"), Some(&[1.0, 0.0][..]));
        let wide = "GeneID\tliver\tlung\nENSG1\t3.5\t1\nENSG2\t0\t0\n";
        let table = read_wide(wide.as_bytes(), "wide").expect("wide");
        assert_eq!(table.column("lung"), Some(&[1.0, 0.0][..]));
        assert!(read_wide("id\ta\nENSG1\t1\t2\n".as_bytes(), "bad").is_err());
        let missing = read_wide("id\ta\nENSG1\tNA\n".as_bytes(), "na").expect("NA reads as 0");
        assert_eq!(missing.values[0], vec![0.0]);
        assert!(read_wide("id\ta\nENSG1\tx\n".as_bytes(), "bad").is_err());
        assert!(read_long("Gene\tTissue\n".as_bytes(), "bad", "Gene", "Tissue", "nTPM").is_err());
    }
}
