//! GTEx brain samples with donor age decades (anterior cingulate and frontal cortex,
//! per-sample counts): one context per region from its samples, the brain family's latent
//! spread and residuals (region means removed) and a per-year age effect (decade midpoints, adjusted for region) on the brain
//! contexts

use synthome_model::AgeEffect;
use synthome_query::MetadataKey;

use crate::assembly::BulkAssembly;
use crate::error::BuildError;
use crate::family_noise::{Arm, SetResiduals, SetSamples};
use crate::fit::conditions::SexSplit;
use crate::fit::disease::{fit_age, median, sparse, spread_ratio};
use crate::read::sample_counts::GeneIds;

/// The source, for messages
const SOURCE: &str = "GTEx brain age decades";

/// The regions of the set: UBERON id and context name
const REGIONS: [(&str, &str); 2] = [
    (
        "UBERON:0009835",
        "GTEx brain: anterior cingulate cortex (per-sample set)",
    ),
    (
        "UBERON:0001870",
        "GTEx brain: frontal cortex (per-sample set)",
    ),
];

/// Other brain contexts the age effect applies to (whole brain, cerebral cortex)
const OTHER_BRAIN: [&str; 2] = ["UBERON:0000955", "UBERON:0000956"];

/// Smallest stored age effect per year (natural log; 2 % per decade)
const MIN_PER_YEAR: f64 = 0.002;

/// Adds the set when its files are present
pub(crate) fn add(assembly: &mut BulkAssembly<'_>) -> Result<(), BuildError> {
    let Some(data) = assembly.read_set(
        "bulk/gtex_brain_age_samples.tsv",
        "bulk/gtex_brain_age_counts.tsv.gz",
        GeneIds::Ensembl,
    )?
    else {
        return Ok(());
    };
    let source = "gtex_brain_age_samples";
    let tissues = data.column("tissue_ontology_id", source)?;
    let sexes = data.column("sex", source)?;
    let number = |column: &str| -> Result<Vec<f64>, BuildError> {
        Ok(data
            .column(column, source)?
            .iter()
            .map(|text| text.trim().parse::<f64>().unwrap_or(f64::NAN))
            .collect())
    };
    let mids = number("age_years_mid")?;
    let lows = number("age_years_min")?;
    let highs = number("age_years_max")?;
    let log = data.counts.log_cpm();
    let rows = data.counts.genes.clone();
    let mut contexts = Vec::new();
    for (uberon, name) in REGIONS {
        let members: Vec<usize> = (0..log.len()).filter(|&s| tissues[s] == uberon).collect();
        if members.len() < 2 {
            continue;
        }
        let (context, note) = assembly.add_set_context(name, &log, &members, &rows);
        let female = members.iter().filter(|&&s| sexes[s] == "female").count();
        let fields = vec![
            (
                MetadataKey::DiseaseOntologyId,
                synthome_model::HEALTHY.to_owned(),
            ),
            (MetadataKey::SampleType, "primary tissue".to_owned()),
            (MetadataKey::TissueOntologyId, uberon.to_owned()),
        ];
        assembly.parts.add_baseline(
            context,
            &fields,
            SexSplit::Counts(female as f64, (members.len() - female) as f64),
            members.len() as f64,
        );
        assembly.report.push(format!(
            "{SOURCE}: {name}: {} samples ({note})",
            members.len()
        ));
        if let Some(reference) = &assembly.per_sample
            && let Some(ratio) = spread_ratio(&log, &members, &rows, reference)
        {
            assembly.report.push(format!(
                "{SOURCE}: latent spread of {uberon} x{ratio:.2} the GEUVADIS lines' (brain family)"
            ));
            assembly.family_spread.push(("brain", ratio));
        }
        contexts.push(context as u32);
    }
    let regions: Vec<Vec<usize>> = REGIONS
        .iter()
        .map(|(uberon, _)| (0..log.len()).filter(|&s| tissues[s] == *uberon).collect())
        .collect();
    let arms: Vec<Arm<'_>> = regions.iter().map(|members| Arm::plain(members)).collect();
    assembly.family_residuals.push(SetResiduals::from_arms(
        ("brain", SOURCE),
        contexts.iter().map(|&context| context as usize).collect(),
        true,
        SetSamples {
            log: &log,
            genes: &rows,
            libraries: &data.counts.libraries,
            sexes: Some(&sexes),
            sex_half: &assembly.sex.half,
        },
        &arms,
    ));
    if mids.iter().any(|age| !age.is_finite()) || contexts.is_empty() {
        return Ok(());
    }
    let group: Vec<f64> = tissues
        .iter()
        .map(|t| f64::from(u8::from(t == REGIONS[0].0)))
        .collect();
    let slopes = fit_age(&log, &mids, &group);
    let (genes, per_year) = sparse(&rows, &slopes, MIN_PER_YEAR);
    for uberon in OTHER_BRAIN {
        if let Some(context) = assembly.tissue_context(uberon) {
            contexts.push(context as u32);
        }
    }
    let min = lows.iter().copied().fold(f64::INFINITY, f64::min);
    let max = highs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let reference = median(mids.clone()).unwrap_or(min);
    assembly.report.push(format!(
        "{SOURCE}: age effect on {} genes over ages {min}-{max} (decade midpoints only, reference {reference}), shrunk; applied to {} brain contexts",
        genes.len(),
        contexts.len()
    ));
    assembly.states.ages.push(AgeEffect {
        contexts,
        source: SOURCE.to_owned(),
        min_years: min as f32,
        max_years: max as f32,
        reference_years: reference as f32,
        ages: mids.iter().map(|&a| a as f32).collect(),
        genes,
        per_year,
    });
    Ok(())
}
