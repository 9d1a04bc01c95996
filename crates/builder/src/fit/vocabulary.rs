//! The vocabulary: exactly the values the model's training conditions and perturbations use,
//! labelled from the reference tables; keys the model does not model are absent

use std::collections::{BTreeMap, BTreeSet, HashMap};

use synthome_model::States;
use synthome_query::MetadataKey;
use synthome_reference::{ReferenceTables, vocabulary_terms};
use synthome_vocab::{KeyDomain, QuantityUnit, TermIndex, Vocabulary};

use crate::error::BuildError;
use crate::fit::conditions::Assembly;

/// Most MONDO ancestor ids a disease term carries as synonyms
const MAX_ANCESTORS: usize = 24;

/// The vocabulary, and the ids no reference table could label (reported by the build)
///
/// Disease terms carry their MONDO ancestors' ids as synonyms, so an unmodelled ancestor
/// (`MONDO:0004992` cancer) finds the modelled diseases below it as suggestions; `age_years`
/// is a number (0 to 150) when the model has an age effect (clamped to the data per context).
pub(crate) fn build(
    assembly: &Assembly,
    tables: &ReferenceTables,
    states: &States,
    disease_ancestors: &HashMap<String, Vec<String>>,
) -> Result<(Vocabulary, Vec<String>), BuildError> {
    let mut ids: BTreeMap<MetadataKey, BTreeSet<String>> = BTreeMap::new();
    let mut doses: BTreeSet<u64> = BTreeSet::new();
    let mut times: BTreeSet<u64> = BTreeSet::new();
    for condition in &assembly.conditions {
        for (key, value) in &condition.fields {
            if !matches!(
                key,
                MetadataKey::PerturbationDose | MetadataKey::PerturbationTime
            ) {
                ids.entry(*key).or_default().insert(value.clone());
            }
        }
    }
    for perturbation in &assembly.perturbations {
        ids.entry(MetadataKey::PerturbationOntologyId)
            .or_default()
            .insert(perturbation.id.clone());
        ids.entry(MetadataKey::PerturbationType)
            .or_default()
            .insert(perturbation.kind.as_str().to_owned());
        for response in &perturbation.responses {
            if let Some(dose) = response.dose_um {
                doses.insert(dose.to_bits());
            }
            if let Some(time) = response.time_hours {
                times.insert(time.to_bits());
            }
        }
    }
    let mut vocabulary = Vocabulary::new();
    let mut unlabelled = Vec::new();
    for (key, values) in &ids {
        let mut labelled = vocabulary_terms(*key, values.iter().map(String::as_str), tables);
        unlabelled.extend(labelled.unlabelled.iter().map(|id| format!("{key}: {id}")));
        if *key == MetadataKey::DiseaseOntologyId {
            for term in &mut labelled.terms {
                if let Some(ancestors) = disease_ancestors.get(&term.id) {
                    term.synonyms
                        .extend(ancestors.iter().take(MAX_ANCESTORS).cloned());
                }
            }
        }
        vocabulary.insert(
            key.as_str(),
            KeyDomain::Terms(TermIndex::new(labelled.terms)?),
        )?;
    }
    if !states.ages.is_empty() {
        vocabulary.insert(
            MetadataKey::AgeYears.as_str(),
            KeyDomain::Number {
                min: 0.0,
                max: 150.0,
            },
        )?;
    }
    for (key, unit, values) in [
        (
            MetadataKey::PerturbationDose,
            QuantityUnit::Micromolar,
            doses,
        ),
        (MetadataKey::PerturbationTime, QuantityUnit::Hours, times),
    ] {
        let known: Vec<f64> = values.into_iter().map(f64::from_bits).collect();
        if let (Some(min), Some(max)) = (
            known.iter().copied().reduce(f64::min),
            known.iter().copied().reduce(f64::max),
        ) {
            vocabulary.insert(
                key.as_str(),
                KeyDomain::Quantity {
                    unit,
                    min,
                    max,
                    known,
                },
            )?;
        }
    }
    Ok((vocabulary, unlabelled))
}
