//! PANC-1 FOXA2 CRISPR knock-out (log2 expression of wild type and knock-out clones): the
//! PANC-1 context, completed from the most similar HPA cell line, and the FOXA2 knock-out

use synthome_model::PerturbationKind;
use synthome_query::MetadataKey;

use crate::assembly::BulkAssembly;
use crate::error::BuildError;
use crate::fit::conditions::{SexSplit, profile_sex};
use crate::fit::perturb::{self, GroupFit};
use crate::fit::profiles::{Completed, complete};
use crate::read::counts::{Missing, TextTable, read_matrix, read_text_table};

/// Reads the PANC-1 matrix and design if present and adds what they give
pub(crate) fn add(assembly: &mut BulkAssembly<'_>) -> Result<(), BuildError> {
    let Some(bytes) = assembly
        .files
        .bytes_if_present("bulk/panc1_foxa2_ko_log2.tsv.gz")?
    else {
        return Ok(());
    };
    let mut matrix = read_matrix(bytes.as_slice(), "panc1_foxa2_ko_log2", Missing::Nan)?;
    matrix.retain_samples(|s| !assembly.options.exclude_samples.contains(s));
    let design = read_text_table(
        assembly
            .files
            .bytes("bulk/panc1_foxa2_ko_design.tsv.gz")?
            .as_slice(),
        "panc1_foxa2_ko_design",
    )?;
    let (wild_type, knock_out) = (samples_of(&design, ".WT")?, samples_of(&design, "KO")?);
    let genes = &assembly.tables.genes;
    let fit = perturb::fit_log2_groups(&matrix, &wild_type, &knock_out, &assembly.universe, genes);
    let line_references: Vec<(String, Vec<f64>)> = assembly
        .references
        .iter()
        .filter(|(name, _)| name.starts_with("HPA cell line"))
        .cloned()
        .collect();
    if let Some(completed) = complete(&fit.control, &line_references) {
        add_knock_out(assembly, &fit, &completed);
    }
    Ok(())
}

/// The samples whose design condition ends in `suffix`
fn samples_of(design: &TextTable, suffix: &str) -> Result<Vec<String>, BuildError> {
    let (sample_at, condition_at) = (
        design.column("sample", "design")?,
        design.column("condition", "design")?,
    );
    Ok(design
        .rows
        .iter()
        .filter(|r| r[condition_at].ends_with(suffix))
        .map(|r| r[sample_at].clone())
        .collect())
}

/// Adds the wild type context and, when the reference knows FOXA2, the knock-out
fn add_knock_out(assembly: &mut BulkAssembly<'_>, fit: &GroupFit, completed: &Completed) {
    let split = SexSplit::Only(assembly.cell_line_sex("PANC1", &completed.cpm));
    let context = assembly.parts.add_context(
        format!(
            "PANC-1 (wild type; genes outside the 11k completed from {})",
            completed.reference
        ),
        &completed.cpm,
        profile_sex(split),
    );
    let fields = vec![
        (MetadataKey::CellLineOntologyId, "CVCL_0480".to_owned()),
        (MetadataKey::PerturbationType, "control".to_owned()),
        (MetadataKey::SampleType, "cell line".to_owned()),
    ];
    assembly
        .parts
        .add_baseline(context, &fields, split, fit.sizes.0 as f64);
    let Some(foxa2) = assembly.tables.genes.resolve_symbol("FOXA2") else {
        return;
    };
    let target = assembly
        .universe
        .index(&foxa2.ensembl_id)
        .map_or(0.0, |g| fit.changes[g]);
    let response = perturb::sparse(&fit.changes, None, None);
    assembly.report.push(format!("PANC-1 FOXA2 KO: {} genes changed; FOXA2 itself log2 {:+.2} (the data show the transcript up); profile r {:.3} with {}", response.genes.len(), target / std::f64::consts::LN_2, completed.r, completed.reference));
    let index = assembly.parts.add_perturbation(
        foxa2.ensembl_id.clone(),
        PerturbationKind::Crispr,
        Some(context),
        "PANC-1 FOXA2 CRISPR knock-out (progeny vignette data)",
        vec![response],
    );
    assembly.parts.add_perturbed(
        context,
        &fields,
        split,
        index,
        None,
        None,
        fit.sizes.1 as f64,
    );
}
