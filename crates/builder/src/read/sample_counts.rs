//! Per-sample count tables of the disease and age sets: a gene id column, optional annotation
//! columns (a symbol), then one column per sample listed in the set's sample table; the gene
//! ids are mapped onto the universe (Ensembl ids, Entrez ids or symbols)

use std::io::Read;

use synthome_reference::GeneTable as ReferenceGenes;

use crate::error::BuildError;
use crate::fit::universe::Universe;
use crate::read::counts::TextTable;
use crate::read::tsv::{for_each_row, number, unversioned};

/// How a count table names its genes (its first column)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GeneIds {
    /// Ensembl gene ids (versions dropped)
    Ensembl,
    /// NCBI Entrez gene numbers
    Entrez,
    /// HGNC symbols (current, previous or alias)
    Symbol,
}

/// The counts of a per-sample set over the universe genes it measures
#[derive(Debug, Clone)]
pub(crate) struct SetCounts {
    /// Sample ids, in column order
    pub samples: Vec<String>,
    /// Universe index per kept row
    pub genes: Vec<usize>,
    /// `counts[sample][kept row]`
    pub counts: Vec<Vec<f64>>,
    /// Library size per sample (every row of the table, mapped or not)
    pub libraries: Vec<f64>,
}

impl SetCounts {
    /// log CPM with a pseudo count of 0.5 reads: `log[sample][kept row]`
    pub(crate) fn log_cpm(&self) -> Vec<Vec<f64>> {
        self.counts
            .iter()
            .zip(&self.libraries)
            .map(|(column, &library)| {
                column
                    .iter()
                    .map(|&count| ((count + 0.5) / library.max(1.0) * 1e6).ln())
                    .collect()
            })
            .collect()
    }
}

/// Reads a count table whose sample columns are the `sample_id`s of `samples`; rows mapping to
/// the same universe gene are summed
pub(crate) fn read_set_counts<R: Read>(
    reader: R,
    source_name: &str,
    ids: GeneIds,
    samples: &TextTable,
    universe: &Universe,
    reference: &ReferenceGenes,
) -> Result<SetCounts, BuildError> {
    let id_at = samples.column("sample_id", source_name)?;
    let listed: Vec<&str> = samples.rows.iter().map(|row| row[id_at].as_str()).collect();
    let mut columns: Vec<usize> = Vec::new();
    let mut set = SetCounts {
        samples: Vec::new(),
        genes: Vec::new(),
        counts: Vec::new(),
        libraries: Vec::new(),
    };
    let mut row_of_gene: std::collections::HashMap<usize, usize> = Default::default();
    for_each_row(reader, source_name, false, |line, fields| {
        if columns.is_empty() && set.samples.is_empty() {
            for (at, name) in fields.iter().enumerate().skip(1) {
                if listed.contains(name) {
                    columns.push(at);
                    set.samples.push((*name).to_owned());
                }
            }
            if columns.is_empty() {
                return Err(BuildError::parse(
                    source_name,
                    line,
                    "no column is a sample of the sample table",
                ));
            }
            set.counts = vec![Vec::new(); columns.len()];
            set.libraries = vec![0.0; columns.len()];
            return Ok(());
        }
        let mut values = Vec::with_capacity(columns.len());
        for &at in &columns {
            let text = fields.get(at).copied().unwrap_or("");
            values.push(number(text, source_name, line)?.max(0.0));
        }
        for (library, value) in set.libraries.iter_mut().zip(&values) {
            *library += value;
        }
        let Some(gene) = map_gene(fields[0], ids, universe, reference) else {
            return Ok(());
        };
        match row_of_gene.get(&gene) {
            Some(&row) => {
                for (column, value) in set.counts.iter_mut().zip(&values) {
                    column[row] += value;
                }
            }
            None => {
                row_of_gene.insert(gene, set.genes.len());
                set.genes.push(gene);
                for (column, value) in set.counts.iter_mut().zip(values) {
                    column.push(value);
                }
            }
        }
        Ok(())
    })?;
    Ok(set)
}

/// The universe index of a table's gene id
fn map_gene(
    id: &str,
    ids: GeneIds,
    universe: &Universe,
    reference: &ReferenceGenes,
) -> Option<usize> {
    match ids {
        GeneIds::Ensembl => universe.index(unversioned(id.trim())),
        GeneIds::Entrez => {
            let number = id.trim().parse::<u64>().ok()?;
            universe.index(&reference.by_entrez(number)?.ensembl_id)
        }
        GeneIds::Symbol => universe.index(&reference.resolve_symbol(id.trim())?.ensembl_id),
    }
}

/// A per-sample set: its sample table (held-out samples dropped) and its counts
#[derive(Debug, Clone)]
pub(crate) struct PerSampleSet {
    /// The sample table, one row per kept sample
    pub table: TextTable,
    /// The counts, columns in the order of `counts.samples`
    pub counts: SetCounts,
}

impl PerSampleSet {
    /// The value of `column` for each counted sample, in count column order
    pub(crate) fn column(
        &self,
        column: &str,
        source_name: &str,
    ) -> Result<Vec<String>, BuildError> {
        let at = self.table.column(column, source_name)?;
        let id_at = self.table.column("sample_id", source_name)?;
        Ok(self
            .counts
            .samples
            .iter()
            .map(|sample| {
                self.table
                    .rows
                    .iter()
                    .find(|row| &row[id_at] == sample)
                    .map(|row| row[at].clone())
                    .unwrap_or_default()
            })
            .collect())
    }
}

/// Drops the rows of held-out samples from a sample table
pub(crate) fn drop_samples(
    mut table: TextTable,
    source_name: &str,
    excluded: impl Fn(&str) -> bool,
) -> Result<TextTable, BuildError> {
    let id_at = table.column("sample_id", source_name)?;
    table.rows.retain(|row| !excluded(&row[id_at]));
    Ok(table)
}
