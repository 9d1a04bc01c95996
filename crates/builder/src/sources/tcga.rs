//! TCGA tumour-vs-normal summaries (19 cancer types, OncoDB export; licence not stated by its
//! source): each cancer's log fold change on its tissue's profile, significant genes only. No
//! per-sample data: the tumour arm gets the tissue's latent spread and no severity spread.
//! `BuildOptions::without_tcga` leaves the table out.

use std::collections::BTreeMap;

use synthome_model::DiseaseEffect;
use synthome_query::MetadataKey;

use crate::assembly::BulkAssembly;
use crate::error::BuildError;
use crate::fit::conditions::SexSplit;
use crate::read::tsv::{for_each_row, number};

/// The table
const FILE: &str = "disease/tcga_tumor_vs_normal_19types.tsv.gz";

/// Largest FDR of a kept gene
const MAX_FDR: f64 = 0.01;

/// Smallest kept |log2 fold change|
const MIN_LOG2FC: f64 = 0.5;

/// Smallest kept tumour or normal median (TPM-like; the normal median is floored at 1)
const MIN_MEDIAN: f64 = 1.0;

/// Weight of a tumour condition in the training mix: the tissue summaries are normal tissue,
/// so a tissue query without a disease is a tumour only this often per cancer type
const TUMOUR_WEIGHT: f64 = 0.05;

/// One cancer type being read
struct Cancer {
    disease: String,
    label: String,
    tissue: String,
    changes: Vec<(u32, f32)>,
    rows: usize,
}

/// Adds the cancers whose tissue the model has, unless left out
pub(crate) fn add(assembly: &mut BulkAssembly<'_>) -> Result<(), BuildError> {
    if assembly.options.without_tcga {
        assembly
            .report
            .push("TCGA tumour-vs-normal: left out (--without-tcga)".to_owned());
        return Ok(());
    }
    let Some(bytes) = assembly.files.bytes_if_present(FILE)? else {
        return Ok(());
    };
    let mut cancers: BTreeMap<String, Cancer> = BTreeMap::new();
    let mut header: Vec<String> = Vec::new();
    let universe = &assembly.universe;
    let genes = &assembly.tables.genes;
    for_each_row(bytes.as_slice(), FILE, false, |line, fields| {
        if header.is_empty() {
            header = fields.iter().map(|f| (*f).to_owned()).collect();
            return Ok(());
        }
        let at = |name: &str| -> Result<&str, BuildError> {
            header
                .iter()
                .position(|h| h == name)
                .and_then(|i| fields.get(i).copied())
                .ok_or_else(|| BuildError::parse(FILE, line, format!("no {name:?} field")))
        };
        let project = at("tcga_project")?;
        let cancer = cancers.entry(project.to_owned()).or_insert_with(|| Cancer {
            disease: String::new(),
            label: String::new(),
            tissue: String::new(),
            changes: Vec::new(),
            rows: 0,
        });
        if cancer.disease.is_empty() {
            // PCPG names two MONDO ids: the first (pheochromocytoma) is the modelled one
            cancer.disease = at("disease_ontology_id")?
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_owned();
            cancer.label = at("disease_label")?.to_owned();
            cancer.tissue = at("tissue_ontology_id")?.to_owned();
        }
        cancer.rows += 1;
        let fdr = at("fdr")?.trim().parse::<f64>().unwrap_or(1.0);
        let log2fc = number(at("log2_fold_change")?, FILE, line)?;
        let tumour = number(at("tumor_median")?, FILE, line)?;
        let normal = number(at("normal_median")?, FILE, line)?;
        if fdr > MAX_FDR || log2fc.abs() < MIN_LOG2FC || tumour.max(normal) < MIN_MEDIAN {
            return Ok(());
        }
        let Some(gene) = at("entrez_id")?
            .trim()
            .parse::<u64>()
            .ok()
            .and_then(|id| genes.by_entrez(id))
            .and_then(|gene| universe.index(&gene.ensembl_id))
        else {
            return Ok(());
        };
        cancer
            .changes
            .push((gene as u32, (log2fc * std::f64::consts::LN_2) as f32));
        Ok(())
    })?;
    let mut added = Vec::new();
    let mut missing = Vec::new();
    for (project, mut cancer) in cancers {
        let Some(context) = assembly.tissue_context(&cancer.tissue) else {
            missing.push(format!("{project} ({})", cancer.tissue));
            continue;
        };
        cancer.changes.sort_by_key(|(gene, _)| *gene);
        cancer.changes.dedup_by_key(|(gene, _)| *gene);
        let (genes, log_fold_changes): (Vec<u32>, Vec<f32>) = cancer.changes.into_iter().unzip();
        added.push(format!("{project} {} genes", genes.len()));
        assembly.states.diseases.push(DiseaseEffect {
            id: cancer.disease.clone(),
            label: cancer.label.clone(),
            context,
            source: format!("TCGA {project} tumour vs normal (OncoDB export, licence not stated)"),
            per_sample: false,
            genes,
            log_fold_changes,
            severity_sd: 0.0,
            spread: 1.0,
            noise: None,
        });
        let fields = vec![
            (MetadataKey::DiseaseOntologyId, cancer.disease),
            (MetadataKey::SampleType, "primary tissue".to_owned()),
            (MetadataKey::TissueOntologyId, cancer.tissue),
        ];
        assembly
            .parts
            .add_baseline(context, &fields, SexSplit::Even, TUMOUR_WEIGHT);
    }
    assembly.report.push(format!(
        "TCGA tumour-vs-normal (FDR < {MAX_FDR}, |log2FC| >= {MIN_LOG2FC}): {} cancers on the model's tissues ({}); left out, tissue not in the model: {}",
        added.len(),
        added.join(", "),
        if missing.is_empty() { "none".to_owned() } else { missing.join(", ") }
    ));
    Ok(())
}
