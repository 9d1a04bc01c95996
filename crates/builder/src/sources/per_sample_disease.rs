//! What the per-sample disease sources (COVID-19 blood, Crohn disease colon, tuberculosis in
//! HIV+ blood) share: the disease contrast, the base context, the training conditions of both
//! arms, the set's latent spread and its residuals for the family's noise

use synthome_model::DiseaseEffect;
use synthome_query::MetadataKey;

use crate::assembly::BulkAssembly;
use crate::family_noise::{Arm, SetResiduals, SetSamples};
use crate::fit::conditions::SexSplit;
use crate::fit::disease::{MIN_EFFECT, fit_disease, sparse, spread_ratio};
use crate::read::sample_counts::PerSampleSet;

/// Where the disease arm's base profile comes from
#[derive(Debug, Clone, Copy)]
pub(crate) enum Base {
    /// The model's tissue context with this UBERON id
    Tissue,
    /// A new context from the set's normal arm, with this name
    NormalArm(&'static str),
}

/// One per-sample disease set
#[derive(Debug, Clone, Copy)]
pub(crate) struct DiseaseSet {
    /// The set, for messages (`GSE152641 COVID-19 blood`)
    pub source: &'static str,
    /// The context family whose latent spread the normal arm measures
    pub family: &'static str,
    /// The disease (MONDO) and its label
    pub disease: (&'static str, &'static str),
    /// The `disease_ontology_id` of the normal arm (`PATO:0000461`, or the shared condition)
    pub normal: &'static str,
    /// The tissue (UBERON)
    pub tissue: &'static str,
    /// The base profile
    pub base: Base,
}

/// What a disease set gave: its context, log CPM, rows (universe genes) and arms
pub(crate) struct AddedSet {
    /// The context the disease applies on
    pub context: usize,
    /// `log[sample][row]` log CPM
    pub log: Vec<Vec<f64>>,
    /// Universe gene per row
    pub rows: Vec<usize>,
}

/// Adds a set's disease effect, its context (if new) and the conditions of both arms;
/// `disease[sample]` marks the disease arm, `sexes` the samples' sexes if known
pub(crate) fn add_set(
    assembly: &mut BulkAssembly<'_>,
    spec: DiseaseSet,
    data: &PerSampleSet,
    disease: &[bool],
    sexes: Option<&[String]>,
) -> Option<AddedSet> {
    let log = data.counts.log_cpm();
    let rows = data.counts.genes.clone();
    let sick: Vec<usize> = (0..log.len()).filter(|&s| disease[s]).collect();
    let well: Vec<usize> = (0..log.len()).filter(|&s| !disease[s]).collect();
    if sick.len() < 2 || well.len() < 2 {
        assembly.report.push(format!(
            "{}: {} disease and {} normal samples, too few to fit a contrast; left out",
            spec.source,
            sick.len(),
            well.len()
        ));
        return None;
    }
    let (context, note) = match spec.base {
        Base::Tissue => (
            assembly.tissue_context(spec.tissue)?,
            "tissue profile".to_owned(),
        ),
        Base::NormalArm(name) => assembly.add_set_context(name, &log, &well, &rows),
    };
    let fit = fit_disease(&log, disease);
    let (genes, log_fold_changes) = sparse(&rows, &fit.effect, MIN_EFFECT);
    let strong = log_fold_changes
        .iter()
        .filter(|v| (**v as f64).abs() > 0.5 * std::f64::consts::LN_2)
        .count();
    assembly.report.push(format!(
        "{}: {} disease, {} normal samples, {} genes; context {} ({note}); effect on {} genes ({} with |log2FC| > 0.5), severity sd {:.2}, disease-arm spread x{:.2}",
        spec.source,
        sick.len(),
        well.len(),
        rows.len(),
        assembly.parts.contexts[context].name,
        genes.len(),
        strong,
        fit.severity_sd,
        fit.spread
    ));
    let samples = SetSamples {
        log: &log,
        genes: &rows,
        libraries: &data.counts.libraries,
        sexes,
        sex_half: &assembly.sex.half,
    };
    let residuals = SetResiduals::from_arms(
        (spec.family, spec.source),
        vec![context],
        spec.normal == synthome_model::HEALTHY,
        samples,
        &[
            Arm::plain(&well),
            Arm {
                members: &sick,
                scale: fit.spread,
                axis: Some(&fit.effect),
            },
        ],
    );
    // The disease arm's own noise: its residuals alone, unscaled and with the severity axis
    // left in (its spread and severity are in them: the noise fit then drops both)
    let mut arm_residuals = SetResiduals::from_arms(
        (spec.family, spec.source),
        Vec::new(),
        false,
        samples,
        &[Arm::plain(&sick)],
    );
    arm_residuals.disease = Some((assembly.states.diseases.len(), fit.spread));
    assembly.family_residuals.push(arm_residuals);
    assembly.states.diseases.push(DiseaseEffect {
        id: spec.disease.0.to_owned(),
        label: spec.disease.1.to_owned(),
        context,
        source: spec.source.to_owned(),
        per_sample: true,
        genes,
        log_fold_changes,
        severity_sd: fit.severity_sd as f32,
        spread: fit.spread as f32,
        noise: None,
    });
    for (members, value) in [(&well, spec.normal), (&sick, spec.disease.0)] {
        let split = match sexes {
            Some(sexes) => {
                let female = members.iter().filter(|&&s| sexes[s] == "female").count();
                SexSplit::Counts(female as f64, (members.len() - female) as f64)
            }
            None => SexSplit::Even,
        };
        let fields = vec![
            (MetadataKey::DiseaseOntologyId, value.to_owned()),
            (MetadataKey::SampleType, "primary tissue".to_owned()),
            (MetadataKey::TissueOntologyId, spec.tissue.to_owned()),
        ];
        assembly
            .parts
            .add_baseline(context, &fields, split, members.len() as f64);
    }
    if let Some(reference) = &assembly.per_sample
        && let Some(ratio) = spread_ratio(&log, &well, &rows, reference)
    {
        assembly.report.push(format!(
            "{}: latent spread of the normal arm x{ratio:.2} the GEUVADIS lines' ({})",
            spec.source,
            if spec.normal == synthome_model::HEALTHY {
                spec.family
            } else {
                "its own context only"
            }
        ));
        if spec.normal == synthome_model::HEALTHY {
            assembly.family_spread.push((spec.family, ratio));
        } else {
            // Not a healthy arm (HIV+ donors): its own context's spread, not the family's
            assembly.context_spread.push((context, ratio));
        }
    }
    assembly.family_residuals.push(residuals);
    Some(AddedSet { context, log, rows })
}
