//! HPA's own tissue RNA-seq (TPM), mapped to UBERON with the builder's reviewed table and
//! converted to read-count CPM over the model's genes the way the builder converts TPM

use std::collections::BTreeMap;

use synthome_reference::GeneTable as ReferenceGenes;

use super::folder::{Folder, GENCODE, HPA_RNASEQ, column, number};
use crate::error::RealismError;

/// The builder's reviewed tissue name -> UBERON table (source, name, UBERON id)
const TISSUES: &str = include_str!("../../../builder/mappings/tissues.tsv");

/// The UBERON ids the mapping table gives one source's tissues (name, UBERON id)
pub(crate) fn mapped_tissues(source: &str) -> Vec<(String, String)> {
    TISSUES
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| line.split('\t').collect::<Vec<_>>())
        .filter(|fields| fields.len() >= 3 && fields[0] == source)
        .map(|fields| (fields[1].to_owned(), fields[2].to_owned()))
        .collect()
}

/// One HPA RNA-seq tissue as log1p CPM over the model's genes
#[derive(Debug, Clone)]
pub(crate) struct TissueProfile {
    /// UBERON id
    pub uberon: String,
    /// HPA's tissue name
    pub name: String,
    /// log1p(CPM) per model gene; `None` where HPA has no value
    pub log_cpm: Vec<Option<f64>>,
}

/// Reads HPA's RNA-seq tissues that map to UBERON, converted over `model_genes`
/// (unversioned Ensembl ids in model order): CPM = TPM x gene length, renormalised to 1e6
pub(crate) fn read_rnaseq(
    folder: &Folder,
    model_genes: &[String],
    reference: &ReferenceGenes,
) -> Result<Vec<TissueProfile>, RealismError> {
    let text = folder.text(HPA_RNASEQ)?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let (gene_at, tissue_at, tpm_at) = (
        column(&header, "Gene", HPA_RNASEQ)?,
        column(&header, "Tissue", HPA_RNASEQ)?,
        column(&header, "TPM", HPA_RNASEQ)?,
    );
    let index: std::collections::HashMap<&str, usize> = model_genes
        .iter()
        .enumerate()
        .map(|(g, id)| (id.as_str(), g))
        .collect();
    let mapped: BTreeMap<String, String> = mapped_tissues("hpa_rnaseq").into_iter().collect();
    let mut reads: BTreeMap<&str, Vec<Option<f64>>> = BTreeMap::new();
    for (number_at, line) in lines.enumerate() {
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() <= gene_at.max(tissue_at).max(tpm_at) {
            continue;
        }
        let tissue = fields[tissue_at];
        let Some(&g) = index.get(fields[gene_at]) else {
            continue;
        };
        if !mapped.contains_key(tissue) {
            continue;
        }
        let tpm = number(fields[tpm_at], HPA_RNASEQ, number_at + 2)?.max(0.0);
        let length = reference
            .by_ensembl(&model_genes[g])
            .map_or(0.0, |gene| gene.length as f64);
        let slot = reads
            .entry(tissue)
            .or_insert_with(|| vec![None; model_genes.len()]);
        slot[g] = Some(slot[g].unwrap_or(0.0) + tpm * length);
    }
    let mut profiles = Vec::new();
    for (name, values) in reads {
        let total: f64 = values.iter().flatten().sum();
        if total <= 0.0 {
            continue;
        }
        profiles.push(TissueProfile {
            uberon: mapped[name].clone(),
            name: name.to_owned(),
            log_cpm: values
                .iter()
                .map(|v| v.map(|r| (r / total * 1e6).ln_1p()))
                .collect(),
        });
    }
    Ok(profiles)
}

/// GENCODE genes joined with HGNC (gene lengths, Entrez ids)
pub(crate) fn reference_genes(folder: &Folder) -> Result<ReferenceGenes, RealismError> {
    let parse = |file: &str, error: synthome_reference::ReferenceError| {
        RealismError::parse(file, 0, error.to_string())
    };
    let mut genes = ReferenceGenes::from_gencode(folder.text(GENCODE)?.as_bytes())
        .map_err(|e| parse(GENCODE, e))?;
    if folder.exists(super::folder::HGNC) {
        genes
            .add_hgnc(folder.text(super::folder::HGNC)?.as_bytes())
            .map_err(|e| parse(super::folder::HGNC, e))?;
    }
    Ok(genes)
}
