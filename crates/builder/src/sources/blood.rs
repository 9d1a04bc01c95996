//! HPA sorted blood cell types: one context each (tissue blood), kept as references for
//! completing partial profiles; their genes make part of the gene universe

use synthome_inputs::Inputs;
use synthome_model::ProfileSex;
use synthome_query::MetadataKey;

use crate::assembly::BulkAssembly;
use crate::error::BuildError;
use crate::fit::conditions::SexSplit;
use crate::fit::profiles::tpm_to_cpm;
use crate::read::mapping::{self, BLOOD_CELLS};
use crate::read::summary::SummaryTable;
use crate::sources::read_optional_wide;

/// Blood, the tissue of the sorted blood cell types
const BLOOD: &str = "UBERON:0000178";

/// The HPA blood cell type table, when present
#[derive(Debug)]
pub(crate) struct BloodCells {
    table: Option<SummaryTable>,
}

/// Reads the blood cell type table if present
pub(crate) fn read(files: &mut Inputs) -> Result<BloodCells, BuildError> {
    Ok(BloodCells {
        table: read_optional_wide(files, "bulk/hpa_blood_cell_types.tsv.gz")?,
    })
}

impl BloodCells {
    /// The genes the table measures (Ensembl ids)
    pub(crate) fn genes(&self) -> impl Iterator<Item = &str> {
        self.table
            .iter()
            .flat_map(|table| table.genes.iter().map(String::as_str))
    }

    /// Adds one context per mapped cell type and keeps its profile as a reference
    pub(crate) fn add(&self, assembly: &mut BulkAssembly<'_>) -> Result<(), BuildError> {
        let Some(table) = &self.table else {
            return Ok(());
        };
        let mut added = 0;
        for row in mapping::rows(BLOOD_CELLS, "mappings/blood_cells.tsv", 2)? {
            let Some(column) = table.column(&row[0]) else {
                continue;
            };
            let cpm = tpm_to_cpm(&table.genes, column, &assembly.universe);
            let context = assembly.parts.add_context(
                format!("HPA blood: {}", row[0]),
                &cpm,
                ProfileSex::Mixed,
            );
            let fields = vec![
                (MetadataKey::CellTypeOntologyId, row[1].clone()),
                (MetadataKey::SampleType, "primary cells".to_owned()),
                (MetadataKey::TissueOntologyId, BLOOD.to_owned()),
            ];
            assembly
                .parts
                .add_baseline(context, &fields, SexSplit::Even, 1.0);
            assembly
                .references
                .push((format!("HPA blood {}", row[0]), cpm));
            added += 1;
        }
        assembly.report.push(format!("blood cell types: {added}"));
        Ok(())
    }
}
