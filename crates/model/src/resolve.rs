//! Filling unspecified keys from the training distribution, and choosing the context and
//! perturbation of one sample
//!
//! 1. Training conditions consistent with every given key (quantities compared numerically)
//!    are candidates; one is drawn by weight (the heaviest with `deterministic_latents`) and
//!    fills the unspecified keys.
//! 2. If none is consistent (a new combination, such as liver + a compound measured in A375),
//!    the context is chosen among the unperturbed conditions consistent with the context keys
//!    (dropping, with a warning, first the technical keys and then `sex`, whose effect is then
//!    applied on top), and the perturbation among the model's perturbations with the given id
//!    and type (preferring one measured in the chosen context, then a consensus signature);
//!    a perturbation measured in another context is transferred as-is, with a warning.

use rand_pcg::Pcg64;
use synthome_matrix::MetadataField;
use synthome_query::{CanonicalValue, ConditionValue, Conditions, MetadataKey};

use crate::error::GenerateError;
use crate::family::{heaviest, merge_fields, pick_by_weight, same_quantity};
use crate::model::BulkModel;
use crate::params::{AppliedPerturbation, PerturbationKind, TrainingCondition};
use crate::sampler::uniform;
use crate::states::HEALTHY;

/// How to choose among candidates
pub(crate) enum Choice<'a> {
    /// Draw by weight
    Draw(&'a mut Pcg64),
    /// Take the most common (heaviest; the first on ties)
    MostCommon,
}

/// A sample's resolved conditions
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Plan {
    /// Context index
    pub context: usize,
    /// Sex sign: +1 male, -1 female
    pub sex_sign: f32,
    /// The perturbation, with the dose and time to apply
    pub perturbation: Option<AppliedPerturbation>,
    /// Output metadata (given and inferred), in key order
    pub fields: Vec<MetadataField>,
    /// Warnings about this sample's resolution
    pub warnings: Vec<String>,
    /// The disease effect (index into the model's diseases) and its weight for this sample
    pub disease: Option<(usize, f32)>,
    /// The age effect (index into the model's age effects) and the years from its reference
    pub age: Option<(usize, f32)>,
    /// Factor multiplying the latent scores (the context's and the disease arm's spread)
    pub latent_scale: f32,
    /// The family noise its context uses (index into the model's), `None` for the model's own
    /// factors and dispersion
    pub noise: Option<usize>,
}

/// Whether `key` describes the perturbation
fn is_perturbation_key(key: MetadataKey) -> bool {
    matches!(
        key,
        MetadataKey::PerturbationDose
            | MetadataKey::PerturbationOntologyId
            | MetadataKey::PerturbationTime
            | MetadataKey::PerturbationType
    )
}

/// Formats a dose in micromolar as the model echoes it
pub(crate) fn format_dose(dose_um: f64) -> String {
    format!("{} um", trim_number(dose_um))
}

/// Formats a time in hours as the model echoes it
pub(crate) fn format_time(hours: f64) -> String {
    format!("{} hours", trim_number(hours))
}

/// A number without trailing zeros (rounded to 6 significant decimals)
fn trim_number(value: f64) -> String {
    let text = format!("{value:.6}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    text.to_owned()
}

/// Whether `condition` agrees with the given condition on `key`
///
/// Age does not restrict the conditions (it is an effect on the chosen context, see
/// `state_plan`), and the healthy disease value agrees with conditions that record no disease
/// (cell lines).
fn agrees(condition: &TrainingCondition, key: MetadataKey, value: &ConditionValue) -> bool {
    if key == MetadataKey::AgeYears {
        return true;
    }
    if key == MetadataKey::DiseaseOntologyId
        && value.canonical.as_term() == Some(HEALTHY)
        && condition.field(key).is_none()
    {
        return true;
    }
    match (&value.canonical, key) {
        (CanonicalValue::Quantity { value: amount, .. }, MetadataKey::PerturbationDose) => {
            condition
                .perturbation
                .and_then(|applied| applied.dose_um)
                .is_some_and(|dose| same_quantity(dose, *amount))
        }
        (CanonicalValue::Quantity { value: amount, .. }, MetadataKey::PerturbationTime) => {
            condition
                .perturbation
                .and_then(|applied| applied.time_hours)
                .is_some_and(|time| same_quantity(time, *amount))
        }
        (CanonicalValue::Term(id), _) => condition.field(key) == Some(id.as_str()),
        (CanonicalValue::Number(number), _) => condition
            .field(key)
            .and_then(|text| text.parse::<f64>().ok())
            .is_some_and(|known| same_quantity(known, *number)),
        (CanonicalValue::Quantity { .. }, _) => false,
    }
}

/// Picks one index among candidates by weight
pub(crate) fn choose(
    candidates: &[usize],
    weight: impl Fn(usize) -> f64,
    choice: &mut Choice<'_>,
) -> usize {
    match choice {
        Choice::MostCommon => heaviest(candidates, weight),
        Choice::Draw(rng) => pick_by_weight(candidates, weight, uniform(rng)),
    }
}

/// Resolves one sample of input `input`
pub(crate) fn resolve(
    model: &BulkModel,
    input: usize,
    given: &Conditions,
    mut choice: Choice<'_>,
) -> Result<Plan, GenerateError> {
    let conditions = &model.params().conditions;
    let all: Vec<usize> = (0..conditions.len())
        .filter(|&index| {
            given
                .iter()
                .all(|(key, value)| agrees(&conditions[index], key, value))
        })
        .collect();
    if !all.is_empty() {
        let picked = choose(&all, |c| conditions[c].weight, &mut choice);
        let condition = &conditions[picked];
        let plan_fields = merge_fields(given, condition.fields.iter().cloned());
        return Ok(Plan {
            context: condition.context,
            sex_sign: sex_sign(&plan_fields),
            perturbation: condition.perturbation,
            fields: plan_fields,
            warnings: Vec::new(),
            disease: None,
            age: None,
            latent_scale: 1.0,
            noise: None,
        });
    }
    resolve_new_combination(model, input, given, choice)
}

/// Step 2 of the module docs: context and perturbation chosen separately
fn resolve_new_combination(
    model: &BulkModel,
    input: usize,
    given: &Conditions,
    mut choice: Choice<'_>,
) -> Result<Plan, GenerateError> {
    let conditions = &model.params().conditions;
    let mut warnings = Vec::new();
    let context_keys: Vec<(MetadataKey, &ConditionValue)> = given
        .iter()
        .filter(|(key, _)| !is_perturbation_key(*key))
        .collect();
    let baseline = |keys: &[(MetadataKey, &ConditionValue)]| -> Vec<usize> {
        (0..conditions.len())
            .filter(|&index| {
                let condition = &conditions[index];
                condition.perturbation.is_none()
                    && keys
                        .iter()
                        .all(|(key, value)| agrees(condition, *key, value))
            })
            .collect()
    };
    let mut keys = context_keys.clone();
    let mut candidates = baseline(&keys);
    if candidates.is_empty() {
        let dropped: Vec<String> = keys
            .iter()
            .filter(|(key, _)| key.is_technical())
            .map(|(key, value)| format!("{key}={}", value.given))
            .collect();
        keys.retain(|(key, _)| !key.is_technical());
        candidates = baseline(&keys);
        if !candidates.is_empty() && !dropped.is_empty() {
            warnings.push(format!(
                "inputs[{input}]: {} does not occur with the other conditions in the training data; it is echoed but has no effect on the profile",
                dropped.join(", ")
            ));
        }
    }
    let mut sex_dropped = false;
    if candidates.is_empty() && keys.iter().any(|(key, _)| *key == MetadataKey::Sex) {
        keys.retain(|(key, _)| *key != MetadataKey::Sex);
        candidates = baseline(&keys);
        sex_dropped = !candidates.is_empty();
    }
    if candidates.is_empty() {
        let described: Vec<String> = context_keys
            .iter()
            .map(|(key, value)| format!("{key}={}", value.given))
            .collect();
        return Err(GenerateError::NoContext {
            input,
            conditions: if described.is_empty() {
                "no conditions".to_owned()
            } else {
                described.join(", ")
            },
        });
    }
    let picked = choose(&candidates, |c| conditions[c].weight, &mut choice);
    let base = &conditions[picked];
    let context = base.context;
    if sex_dropped {
        warnings.push(format!(
            "inputs[{input}]: the training data has no {} sample of this context; the sex effect fitted on GEUVADIS was applied to its profile",
            given
                .get(MetadataKey::Sex)
                .map(|value| value.given.as_str())
                .unwrap_or_default()
        ));
    }
    let mut filled: Vec<(MetadataKey, String)> = base
        .fields
        .iter()
        .filter(|(key, _)| !is_perturbation_key(*key))
        .filter(|(key, _)| !(sex_dropped && *key == MetadataKey::Sex))
        .cloned()
        .collect();
    let perturbation = resolve_perturbation(
        model,
        input,
        given,
        context,
        &mut choice,
        &mut filled,
        &mut warnings,
    )?;
    let fields = merge_fields(given, filled.into_iter());
    Ok(Plan {
        context,
        sex_sign: sex_sign(&fields),
        perturbation,
        fields,
        warnings,
        disease: None,
        age: None,
        latent_scale: 1.0,
        noise: None,
    })
}

/// Chooses the perturbation for a new combination; adds the keys it fills to `filled`
fn resolve_perturbation(
    model: &BulkModel,
    input: usize,
    given: &Conditions,
    context: usize,
    choice: &mut Choice<'_>,
    filled: &mut Vec<(MetadataKey, String)>,
    warnings: &mut Vec<String>,
) -> Result<Option<AppliedPerturbation>, GenerateError> {
    let params = model.params();
    let term = |key: MetadataKey| given.get(key).and_then(|value| value.canonical.as_term());
    let quantity = |key: MetadataKey| match given.get(key).map(|value| &value.canonical) {
        Some(CanonicalValue::Quantity { value, .. }) => Some(*value),
        _ => None,
    };
    let given_type = term(MetadataKey::PerturbationType);
    let given_id = term(MetadataKey::PerturbationOntologyId);
    if given_type == Some("control") && given_id.is_none() {
        return Ok(None);
    }
    let kind = match given_type {
        Some(text) => Some(PerturbationKind::parse(text).ok_or_else(|| {
            GenerateError::PerturbationKind {
                input,
                id: given_id.unwrap_or("(none)").to_owned(),
                kind: text.to_owned(),
                known: PerturbationKind::ALL
                    .map(PerturbationKind::as_str)
                    .join(", "),
            }
        })?),
        None => None,
    };
    let records: Vec<usize> = match given_id {
        Some(id) => {
            let with_id: Vec<usize> = (0..params.perturbations.len())
                .filter(|&index| params.perturbations[index].id == id)
                .collect();
            if with_id.is_empty() {
                return Err(GenerateError::UnknownPerturbation {
                    input,
                    id: id.to_owned(),
                });
            }
            let of_kind: Vec<usize> = with_id
                .iter()
                .copied()
                .filter(|&index| kind.is_none_or(|kind| params.perturbations[index].kind == kind))
                .collect();
            if of_kind.is_empty() {
                let mut known: Vec<&str> = with_id
                    .iter()
                    .map(|&index| params.perturbations[index].kind.as_str())
                    .collect();
                known.dedup();
                return Err(GenerateError::PerturbationKind {
                    input,
                    id: id.to_owned(),
                    kind: given_type.unwrap_or_default().to_owned(),
                    known: known.join(", "),
                });
            }
            of_kind
        }
        None => match kind {
            Some(kind) => {
                // Draw a perturbation of this kind from the training conditions, weighted
                let perturbed: Vec<usize> = (0..params.conditions.len())
                    .filter(|&index| {
                        params.conditions[index]
                            .perturbation
                            .is_some_and(|applied| params.perturbations[applied.index].kind == kind)
                    })
                    .collect();
                if perturbed.is_empty() {
                    return Ok(None);
                }
                let picked = choose(&perturbed, |c| params.conditions[c].weight, choice);
                params.conditions[picked]
                    .perturbation
                    .map(|applied| vec![applied.index])
                    .unwrap_or_default()
            }
            None => return Ok(None),
        },
    };
    let in_context = records
        .iter()
        .copied()
        .find(|&index| params.perturbations[index].measured_in == Some(context));
    let consensus = records
        .iter()
        .copied()
        .find(|&index| params.perturbations[index].measured_in.is_none());
    let index = in_context.or(consensus).unwrap_or(records[0]);
    let record = &params.perturbations[index];
    if let Some(measured) = record.measured_in
        && measured != context
    {
        warnings.push(format!(
            "inputs[{input}]: the response to {} ({}) was measured in {} only; it was transferred as-is to {}",
            record.id,
            record.kind.as_str(),
            params.contexts[measured].name,
            params.contexts[context].name
        ));
    }
    if record.measured_in.is_none() {
        warnings.push(format!(
            "inputs[{input}]: the response to {} is a consensus signature over many cell lines ({}), applied as-is to {}",
            record.id,
            record.source,
            params.contexts[context].name
        ));
    }
    filled.push((MetadataKey::PerturbationOntologyId, record.id.clone()));
    filled.push((
        MetadataKey::PerturbationType,
        record.kind.as_str().to_owned(),
    ));
    let mut dose = quantity(MetadataKey::PerturbationDose);
    let mut time = quantity(MetadataKey::PerturbationTime);
    if !record.responses.is_empty() && (dose.is_none() || time.is_none()) {
        let responses: Vec<usize> = (0..record.responses.len()).collect();
        let picked = choose(&responses, |_| 1.0, choice);
        let response = &record.responses[picked];
        if dose.is_none()
            && let Some(value) = response.dose_um
        {
            dose = Some(value);
            filled.push((MetadataKey::PerturbationDose, format_dose(value)));
        }
        if time.is_none()
            && let Some(value) = response.time_hours
        {
            time = Some(value);
            filled.push((MetadataKey::PerturbationTime, format_time(value)));
        }
    }
    Ok(Some(AppliedPerturbation {
        index,
        dose_um: dose,
        time_hours: time,
    }))
}

/// +1 for male, -1 for female, 0 when the sex is not known
fn sex_sign(fields: &[MetadataField]) -> f32 {
    match fields
        .iter()
        .find(|field| field.key == MetadataKey::Sex.as_str())
        .map(|field| field.value.to_ascii_lowercase())
        .as_deref()
    {
        Some("male") => 1.0,
        Some("female") => -1.0,
        _ => 0.0,
    }
}
