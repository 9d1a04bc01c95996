//! Crohn disease colon (SRP055438, per-sample counts with age and sex): the shrunk Crohn
//! effect on the model's colon profile, the colon family's latent spread and a per-year age
//! effect on colon (fitted on both arms, adjusted for disease)

use synthome_model::AgeEffect;

use crate::assembly::BulkAssembly;
use crate::error::BuildError;
use crate::fit::disease::{fit_age, median, sparse};
use crate::read::sample_counts::GeneIds;
use crate::sources::per_sample_disease::{Base, DiseaseSet, add_set};

/// The set
const SET: DiseaseSet = DiseaseSet {
    source: "SRP055438 Crohn disease colon",
    family: "colon",
    disease: ("MONDO:0005011", "Crohn disease"),
    normal: synthome_model::HEALTHY,
    tissue: "UBERON:0001155",
    base: Base::Tissue,
};

/// Smallest stored age effect per year (natural log; 2 % per decade)
const MIN_PER_YEAR: f64 = 0.002;

/// Adds the set when its files are present
pub(crate) fn add(assembly: &mut BulkAssembly<'_>) -> Result<(), BuildError> {
    let Some(data) = assembly.read_set(
        "disease/crohns_colon_samples.tsv",
        "disease/crohns_colon_counts.tsv.gz",
        GeneIds::Ensembl,
    )?
    else {
        return Ok(());
    };
    let source = "crohns_colon_samples";
    let disease: Vec<bool> = data
        .column("disease_ontology_id", source)?
        .iter()
        .map(|id| id == SET.disease.0)
        .collect();
    let sexes = data.column("sex", source)?;
    let ages: Vec<f64> = data
        .column("age_years", source)?
        .iter()
        .map(|text| text.trim().parse::<f64>().unwrap_or(f64::NAN))
        .collect();
    let Some(added) = add_set(assembly, SET, &data, &disease, Some(&sexes)) else {
        return Ok(());
    };
    if ages.iter().any(|age| !age.is_finite()) {
        assembly
            .report
            .push(format!("{}: an age is missing; no age effect", SET.source));
        return Ok(());
    }
    let group: Vec<f64> = disease.iter().map(|&d| f64::from(u8::from(d))).collect();
    let slopes = fit_age(&added.log, &ages, &group);
    let (genes, per_year) = sparse(&added.rows, &slopes, MIN_PER_YEAR);
    let min = ages.iter().copied().fold(f64::INFINITY, f64::min);
    let max = ages.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let reference = median(ages.clone()).unwrap_or(min);
    assembly.report.push(format!(
        "{}: age effect on {} genes over ages {min}-{max} (reference {reference}; ages confounded with disease in this set: Crohn arm younger), shrunk",
        SET.source,
        genes.len()
    ));
    assembly.states.ages.push(AgeEffect {
        contexts: vec![added.context as u32],
        source: SET.source.to_owned(),
        min_years: min as f32,
        max_years: max as f32,
        reference_years: reference as f32,
        ages: ages.iter().map(|&a| a as f32).collect(),
        genes,
        per_year,
    });
    Ok(())
}
