//! Tissue profiles from the HPA and GTEx summary tables: one context per UBERON tissue, the
//! first source listed in [`BuildOptions::tissue_sources`] winning; their genes make part of
//! the gene universe

use std::collections::BTreeSet;

use synthome_inputs::Inputs;
use synthome_query::MetadataKey;

use crate::assembly::BulkAssembly;
use crate::build::BuildOptions;
use crate::error::BuildError;
use crate::fit::conditions::{SexSplit, profile_sex};
use crate::fit::profiles::tpm_to_cpm;
use crate::read::mapping::{self, TISSUES};
use crate::read::summary::{SummaryTable, read_long, read_wide};

/// A source of tissue profiles; earlier sources win when two give the same UBERON id
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TissueSource {
    /// HPA consensus (HPA + GTEx), nTPM
    Consensus,
    /// GTEx v8 as processed by HPA, TPM
    HpaGtex,
    /// GTEx median TPM (TissueEnrich)
    GtexMedian,
    /// HPA's own RNA-seq, TPM (independent of GTEx: keep it out to test against it)
    HpaRnaseq,
}

impl TissueSource {
    /// The file, the name in the mapping table and the label used in context names
    fn table(self) -> (&'static str, &'static str, &'static str) {
        match self {
            TissueSource::Consensus => (
                "bulk/hpa_consensus_tissue.tsv.gz",
                "consensus",
                "HPA consensus",
            ),
            TissueSource::HpaGtex => ("bulk/hpa_gtex_tissue.tsv.gz", "hpa_gtex", "GTEx (HPA)"),
            TissueSource::GtexMedian => {
                ("bulk/gtex_median_tpm.tsv.gz", "gtex_median", "GTEx median")
            }
            TissueSource::HpaRnaseq => {
                ("bulk/hpa_rnaseq_tissue.tsv.gz", "hpa_rnaseq", "HPA RNA-seq")
            }
        }
    }
}

/// Tissues sampled from one sex only
const MALE_TISSUES: [&str; 4] = [
    "UBERON:0000473",
    "UBERON:0002367",
    "UBERON:0000998",
    "UBERON:0001301",
];
/// Tissues sampled from one sex only
const FEMALE_TISSUES: [&str; 6] = [
    "UBERON:0000992",
    "UBERON:0001295",
    "UBERON:0000995",
    "UBERON:0000002",
    "UBERON:0000996",
    "UBERON:0003889",
];

/// The tissue tables present, in order of preference
#[derive(Debug)]
pub(crate) struct Tissues {
    tables: Vec<(TissueSource, SummaryTable)>,
}

/// Reads the tissue tables of `options.tissue_sources` that are present (an absent one is
/// reported and skipped)
pub(crate) fn read(
    files: &mut Inputs,
    options: &BuildOptions,
    report: &mut Vec<String>,
) -> Result<Tissues, BuildError> {
    let mut tables = Vec::new();
    for &source in &options.tissue_sources {
        let (file, _, _) = source.table();
        if !files.exists(file) {
            report.push(format!("tissues: {file} absent, skipped"));
            continue;
        }
        let bytes = files.bytes(file)?;
        let table = match source {
            TissueSource::Consensus => read_long(bytes.as_slice(), file, "Gene", "Tissue", "nTPM")?,
            TissueSource::HpaGtex | TissueSource::HpaRnaseq => {
                read_long(bytes.as_slice(), file, "Gene", "Tissue", "TPM")?
            }
            TissueSource::GtexMedian => read_wide(bytes.as_slice(), file)?,
        };
        tables.push((source, table));
    }
    Ok(Tissues { tables })
}

impl Tissues {
    /// The genes the tables measure (Ensembl ids)
    pub(crate) fn genes(&self) -> impl Iterator<Item = &str> {
        self.tables
            .iter()
            .flat_map(|(_, table)| table.genes.iter().map(String::as_str))
    }

    /// Adds one context per mapped tissue not given by an earlier source
    pub(crate) fn add(&self, assembly: &mut BulkAssembly<'_>) -> Result<(), BuildError> {
        let tissue_map = mapping::rows(TISSUES, "mappings/tissues.tsv", 3)?;
        let mut seen_tissues: BTreeSet<String> = BTreeSet::new();
        for (source, table) in &self.tables {
            let (_, key, label) = source.table();
            let mut added = 0;
            for row in tissue_map.iter().filter(|row| row[0] == key) {
                let (name, uberon) = (&row[1], &row[2]);
                let Some(column) = table.column(name) else {
                    continue;
                };
                if !seen_tissues.insert(uberon.clone()) {
                    continue;
                }
                let split = sampled_sexes(uberon);
                let cpm = tpm_to_cpm(&table.genes, column, &assembly.universe);
                let context = assembly.parts.add_context(
                    format!("{label}: {name}"),
                    &cpm,
                    profile_sex(split),
                );
                let fields = vec![
                    (MetadataKey::SampleType, "primary tissue".to_owned()),
                    (MetadataKey::TissueOntologyId, uberon.clone()),
                ];
                assembly.parts.add_baseline(context, &fields, split, 1.0);
                added += 1;
            }
            assembly
                .report
                .push(format!("tissues: {added} from {label}"));
        }
        Ok(())
    }
}

/// The sexes a tissue is sampled from
fn sampled_sexes(uberon: &str) -> SexSplit {
    if MALE_TISSUES.contains(&uberon) {
        SexSplit::Only("male")
    } else if FEMALE_TISSUES.contains(&uberon) {
        SexSplit::Only("female")
    } else {
        SexSplit::Even
    }
}
