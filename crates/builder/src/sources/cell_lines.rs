//! HPA cell lines: their profiles complete partial profiles and stand in for lines without
//! RNA-seq; each becomes a context whose sex the sex markers tell, and together they extend
//! the sex effect to genes without per-sample data. Their genes make part of the gene universe.
//!
//! Two steps: [`CellLines::add_references`] before the per-sample sex fit (GEUVADIS completes
//! its profile from them), [`CellLines::add`] after the sex markers are known.

use synthome_inputs::Inputs;
use synthome_query::MetadataKey;

use crate::assembly::{BulkAssembly, LineProfile};
use crate::error::BuildError;
use crate::fit::conditions::{SexSplit, profile_sex};
use crate::fit::profiles::{log_cpm, tpm_to_cpm};
use crate::fit::sex;
use crate::read::mapping::{self, CELL_LINES};
use crate::read::summary::SummaryTable;
use crate::sources::read_optional_wide;

/// The HPA cell line table, when present
#[derive(Debug)]
pub(crate) struct CellLines {
    table: Option<SummaryTable>,
}

/// Reads the HPA cell line table if present
pub(crate) fn read(files: &mut Inputs) -> Result<CellLines, BuildError> {
    Ok(CellLines {
        table: read_optional_wide(files, "bulk/hpa_cell_lines_and_tissues.tsv.gz")?,
    })
}

impl CellLines {
    /// The genes the table measures (Ensembl ids)
    pub(crate) fn genes(&self) -> impl Iterator<Item = &str> {
        self.table
            .iter()
            .flat_map(|table| table.genes.iter().map(String::as_str))
    }

    /// Keeps each mapped line's profile as a reference and as a line profile
    pub(crate) fn add_references(&self, assembly: &mut BulkAssembly<'_>) -> Result<(), BuildError> {
        let Some(table) = &self.table else {
            return Ok(());
        };
        for row in mapping::rows(CELL_LINES, "mappings/cell_lines.tsv", 2)? {
            let Some(column) = table.column(&row[0]) else {
                continue;
            };
            let cpm = tpm_to_cpm(&table.genes, column, &assembly.universe);
            assembly
                .references
                .push((format!("HPA cell line {}", row[0]), cpm.clone()));
            assembly.line_profiles.push(LineProfile {
                name: row[0].clone(),
                cellosaurus: row[1].clone(),
                cpm,
            });
        }
        Ok(())
    }

    /// Adds one context per line (sex from the markers), then the sex effect of the genes
    /// without per-sample data from the lines' profiles
    pub(crate) fn add(&self, assembly: &mut BulkAssembly<'_>) {
        let mut line_sexes = Vec::new();
        for line in &assembly.line_profiles {
            let male = assembly.looks_male(&line.cpm);
            line_sexes.push(male);
            let split = SexSplit::Only(if male { "male" } else { "female" });
            let context = assembly.parts.add_context(
                format!("HPA cell line: {}", line.name),
                &line.cpm,
                profile_sex(split),
            );
            let fields = vec![
                (MetadataKey::CellLineOntologyId, line.cellosaurus.clone()),
                (MetadataKey::SampleType, "cell line".to_owned()),
            ];
            assembly.parts.add_baseline(context, &fields, split, 1.0);
        }
        if assembly.line_profiles.is_empty() {
            return;
        }
        assembly.report.push(format!(
            "HPA cell lines: {} ({} classified male by the sex markers)",
            assembly.line_profiles.len(),
            line_sexes.iter().filter(|&&m| m).count()
        ));
        let logs: Vec<Vec<f32>> = assembly
            .line_profiles
            .iter()
            .map(|line| log_cpm(&line.cpm))
            .collect();
        let views: Vec<&[f32]> = logs.iter().map(Vec::as_slice).collect();
        let evidence = &mut assembly.sex;
        let added =
            sex::extend_from_profiles(&mut evidence.half, &evidence.known, &views, &line_sexes);
        assembly.report.push(format!(
            "sex effect from cell lines for genes without per-sample data: {}",
            added
                .iter()
                .map(|&g| format!("{} {:+.2}", assembly.universe.symbols[g], evidence.half[g]))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
}
