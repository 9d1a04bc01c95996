//! The per-sample disease sets (COVID-19 blood, Crohn disease colon, tuberculosis in HIV+
//! blood): their sample tables (arms) and, once a model's genes are known, their counts on
//! those genes

use std::collections::HashMap;

use synthome_reference::GeneTable as ReferenceGenes;

use crate::error::RealismError;
use crate::read::folder::{Folder, column, number};

/// How a set's count table names its genes
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ids {
    /// Ensembl ids
    Ensembl,
    /// Entrez numbers
    Entrez,
    /// Symbols
    Symbol,
}

/// One per-sample disease set as the report uses it
#[derive(Debug, Clone, Copy)]
pub(crate) struct SetSpec {
    /// Name in the report
    pub name: &'static str,
    /// Sample table
    pub samples: &'static str,
    /// Count table
    pub counts: &'static str,
    /// Gene ids of the count table
    pub ids: Ids,
    /// The disease (MONDO) a sample of the disease arm has in its `disease_ontology_id`
    pub disease: &'static str,
    /// The `disease_ontology_id` of the normal arm, as the model takes it
    pub normal: &'static str,
    /// The tissue
    pub tissue: &'static str,
}

/// The sets
pub(crate) const SETS: [SetSpec; 3] = [
    SetSpec {
        name: "COVID-19 blood (GSE152641)",
        samples: "disease/covid19_blood_samples.tsv",
        counts: "disease/covid19_blood_counts.tsv.gz",
        ids: Ids::Entrez,
        disease: "MONDO:0100096",
        normal: "PATO:0000461",
        tissue: "UBERON:0000178",
    },
    SetSpec {
        name: "Crohn disease colon (SRP055438)",
        samples: "disease/crohns_colon_samples.tsv",
        counts: "disease/crohns_colon_counts.tsv.gz",
        ids: Ids::Ensembl,
        disease: "MONDO:0005011",
        normal: "PATO:0000461",
        tissue: "UBERON:0001155",
    },
    SetSpec {
        name: "tuberculosis in HIV+ blood (Verma 2018)",
        samples: "disease/tb_hiv_blood_samples.tsv",
        counts: "disease/tb_hiv_blood_counts.tsv.gz",
        ids: Ids::Symbol,
        disease: "MONDO:0018076",
        normal: "MONDO:0005109",
        tissue: "UBERON:0000178",
    },
];

/// A set's samples and arms
#[derive(Debug, Clone)]
pub(crate) struct Arms {
    /// The set
    pub spec: SetSpec,
    /// Sample ids
    pub samples: Vec<String>,
    /// Whether each sample is in the disease arm
    pub disease: Vec<bool>,
}

/// The sets whose files are present, with their arms
pub(crate) fn read_arms(folder: &Folder) -> Result<Vec<Arms>, RealismError> {
    let mut sets = Vec::new();
    for spec in SETS {
        if !folder.exists(spec.samples) || !folder.exists(spec.counts) {
            continue;
        }
        let text = folder.text(spec.samples)?;
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
        let id_at = column(&header, "sample_id", spec.samples)?;
        let disease_at = column(&header, "disease_ontology_id", spec.samples)?;
        let mut arms = Arms {
            spec,
            samples: Vec::new(),
            disease: Vec::new(),
        };
        for line in lines.filter(|l| !l.trim().is_empty()) {
            let fields: Vec<&str> = line.split('\t').collect();
            arms.samples
                .push(fields.get(id_at).copied().unwrap_or_default().to_owned());
            arms.disease.push(
                fields
                    .get(disease_at)
                    .is_some_and(|ids| ids.split(';').any(|id| id == spec.disease)),
            );
        }
        sets.push(arms);
    }
    Ok(sets)
}

/// A set's counts on a model's genes: `counts[sample][model gene]` (0 where the set has no
/// row), in the order of `Arms::samples`, and which model genes the set measures
#[derive(Debug, Clone)]
pub(crate) struct SetCounts {
    /// Counts per sample
    pub counts: Vec<Vec<f64>>,
    /// Model genes the table measures
    pub measured: Vec<usize>,
}

/// Reads a set's counts onto the model genes `model_genes` (Ensembl ids, in model order)
pub(crate) fn read_counts(
    folder: &Folder,
    arms: &Arms,
    model_genes: &[String],
    reference: &ReferenceGenes,
) -> Result<SetCounts, RealismError> {
    let spec = arms.spec;
    let index: HashMap<&str, usize> = model_genes
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let text = folder.text(spec.counts)?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let positions: Vec<usize> = arms
        .samples
        .iter()
        .map(|sample| column(&header, sample, spec.counts))
        .collect::<Result<_, _>>()?;
    let mut counts = vec![vec![0.0; model_genes.len()]; arms.samples.len()];
    let mut measured = vec![false; model_genes.len()];
    for (line_number, line) in lines.enumerate() {
        let fields: Vec<&str> = line.split('\t').collect();
        let id = fields.first().copied().unwrap_or_default().trim();
        let ensembl = match spec.ids {
            Ids::Ensembl => Some(id.split('.').next().unwrap_or(id).to_owned()),
            Ids::Entrez => id
                .parse::<u64>()
                .ok()
                .and_then(|n| reference.by_entrez(n))
                .map(|g| g.ensembl_id.clone()),
            Ids::Symbol => reference.resolve_symbol(id).map(|g| g.ensembl_id.clone()),
        };
        let Some(gene) = ensembl.and_then(|e| index.get(e.as_str()).copied()) else {
            continue;
        };
        measured[gene] = true;
        for (sample, &at) in positions.iter().enumerate() {
            let text = fields.get(at).copied().unwrap_or("0");
            counts[sample][gene] += number(text, spec.counts, line_number + 2)?.max(0.0);
        }
    }
    Ok(SetCounts {
        counts,
        measured: (0..model_genes.len()).filter(|&g| measured[g]).collect(),
    })
}
