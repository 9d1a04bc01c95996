//! A resolved sample's disease, age, latent spread and family noise (after `resolve` chose its
//! context)
//!
//! - Disease: the plan's disease (given, or filled from the training condition) applies its
//!   effect when the model has it on the chosen context; a modelled disease asked for on
//!   another context is an error naming the contexts that have it. A per-sample disease's
//!   weight is drawn from five levels (normal quantiles, sd `severity_sd`); the arm's own
//!   noise replaces the context's when it has one, else its latent spread multiplies the
//!   context's.
//! - Age: on a context with an age effect, a given age is clamped to the data's range (with a
//!   warning) and an unspecified one is drawn from the training ages (the reference age with
//!   `deterministic_latents`) and echoed as inferred. On a tissue without age data the age is
//!   echoed with a warning and has no effect; on a cell line it is an error.
//!
//! Draws happen only for samples these effects concern, so other samples keep their bits.

use synthome_matrix::MetadataField;
use synthome_query::{CanonicalValue, Conditions, MetadataKey};

use crate::error::GenerateError;
use crate::model::BulkModel;
use crate::resolve::{Choice, Plan, choose};
use crate::states::HEALTHY;

/// Normal quantiles at (i + 0.5) / 5: the five severity levels of a disease arm
const SEVERITY_LEVELS: [f32; 5] = [-1.281_552, -0.524_401, 0.0, 0.524_401, 1.281_552];

/// Sets the plan's disease, age and latent scale (see the module header)
pub(crate) fn apply(
    model: &BulkModel,
    input: usize,
    given: &Conditions,
    plan: &mut Plan,
    mut choice: Choice<'_>,
) -> Result<(), GenerateError> {
    let states = model.states();
    plan.latent_scale = states.context_spread(plan.context);
    plan.noise = states.noise_of(plan.context);
    if let Some(id) = disease_of(given, plan) {
        let mut effects = states.disease(&id).peekable();
        if effects.peek().is_some() {
            let Some((index, effect)) = effects.find(|(_, effect)| effect.context == plan.context)
            else {
                return Err(wrong_tissue(model, input, given, &id));
            };
            let weight = if effect.per_sample && effect.severity_sd > 0.0 {
                let levels: Vec<usize> = (0..SEVERITY_LEVELS.len()).collect();
                let level = match &mut choice {
                    Choice::MostCommon => SEVERITY_LEVELS.len() / 2,
                    Choice::Draw(_) => choose(&levels, |_| 1.0, &mut choice),
                };
                (1.0 + effect.severity_sd * SEVERITY_LEVELS[level]).max(0.0)
            } else {
                1.0
            };
            plan.disease = Some((index, weight));
            match effect.noise {
                Some(noise) => {
                    plan.noise = Some(noise);
                    plan.latent_scale = 1.0;
                }
                None => plan.latent_scale *= effect.spread,
            }
        }
    }
    apply_age(model, input, given, plan, &mut choice)
}

/// The disease of the plan: the given canonical id, else the filled-in value
fn disease_of(given: &Conditions, plan: &Plan) -> Option<String> {
    given
        .get(MetadataKey::DiseaseOntologyId)
        .and_then(|value| value.canonical.as_term())
        .map(str::to_owned)
        .or_else(|| {
            plan.fields
                .iter()
                .find(|field| field.key == MetadataKey::DiseaseOntologyId.as_str())
                .map(|field| field.value.clone())
        })
        .filter(|id| id != HEALTHY)
}

/// The age part of [`apply`]
fn apply_age(
    model: &BulkModel,
    input: usize,
    given: &Conditions,
    plan: &mut Plan,
    choice: &mut Choice<'_>,
) -> Result<(), GenerateError> {
    let states = model.states();
    let given_age = match given
        .get(MetadataKey::AgeYears)
        .map(|value| &value.canonical)
    {
        Some(CanonicalValue::Number(years)) => Some(*years as f32),
        _ => None,
    };
    let Some((index, effect)) = states.age_on(plan.context) else {
        if let Some(years) = given_age {
            let context = &model.params().contexts[plan.context];
            if field(plan, MetadataKey::SampleType) == Some("cell line") {
                return Err(GenerateError::AgeNotModelled {
                    input,
                    age: format_years(years),
                    context: context.name.clone(),
                    modelled: modelled_age_contexts(model),
                });
            }
            plan.warnings.push(format!(
                "inputs[{input}]: the model has no age data for {}; age_years={} is echoed but has no effect (age is modelled on {})",
                context.name,
                format_years(years),
                modelled_age_contexts(model)
            ));
        }
        return Ok(());
    };
    let years = match given_age {
        Some(years) => {
            let clamped = years.clamp(effect.min_years, effect.max_years);
            if clamped != years {
                plan.warnings.push(format!(
                    "inputs[{input}]: age_years={} is outside the ages of {} ({} to {} years); the age effect of {} years was applied",
                    format_years(years),
                    effect.source,
                    format_years(effect.min_years),
                    format_years(effect.max_years),
                    format_years(clamped)
                ));
            }
            clamped
        }
        None => {
            let drawn = match choice {
                Choice::MostCommon => effect.reference_years,
                Choice::Draw(_) if effect.ages.is_empty() => effect.reference_years,
                Choice::Draw(_) => {
                    let positions: Vec<usize> = (0..effect.ages.len()).collect();
                    effect.ages[choose(&positions, |_| 1.0, choice)]
                }
            };
            plan.fields.push(MetadataField {
                key: MetadataKey::AgeYears.as_str().to_owned(),
                value: format_years(drawn),
                inferred: true,
            });
            plan.fields
                .sort_by_key(|field| field.key.parse::<MetadataKey>().ok());
            drawn
        }
    };
    plan.age = Some((index, years - effect.reference_years));
    Ok(())
}

/// The value of `key` in the plan's fields
fn field(plan: &Plan, key: MetadataKey) -> Option<&str> {
    plan.fields
        .iter()
        .find(|field| field.key == key.as_str())
        .map(|field| field.value.as_str())
}

/// "colon (HPA consensus: colon; Crohn disease set ages 20 to 70)" for every age effect
fn modelled_age_contexts(model: &BulkModel) -> String {
    let states = model.states();
    if states.ages.is_empty() {
        return "no context".to_owned();
    }
    states
        .ages
        .iter()
        .map(|age| {
            let names: Vec<&str> = age
                .contexts
                .iter()
                .filter_map(|&c| model.params().contexts.get(c as usize))
                .map(|context| context.name.as_str())
                .collect();
            format!(
                "{} ({}, {} to {} years)",
                names.join(", "),
                age.source,
                format_years(age.min_years),
                format_years(age.max_years)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Years as echoed: whole numbers without decimals, else one decimal
fn format_years(years: f32) -> String {
    if years.fract() == 0.0 {
        format!("{years:.0}")
    } else {
        format!("{years:.1}")
    }
}

/// The tissue (or, failing that, the context name) of a context, from its training conditions
fn context_place(model: &BulkModel, context: usize) -> String {
    let params = model.params();
    let name = &params.contexts[context].name;
    params
        .conditions
        .iter()
        .filter(|condition| condition.context == context)
        .find_map(|condition| condition.field(MetadataKey::TissueOntologyId))
        .map(|tissue| format!("{tissue} ({name})"))
        .unwrap_or_else(|| name.clone())
}

/// The error for a modelled disease asked for on a context the model does not have it on
pub(crate) fn wrong_tissue(
    model: &BulkModel,
    input: usize,
    given: &Conditions,
    id: &str,
) -> GenerateError {
    let states = model.states();
    let mut places: Vec<String> = states
        .disease(id)
        .map(|(_, effect)| context_place(model, effect.context))
        .collect();
    places.dedup();
    let label = states
        .disease(id)
        .map(|(_, effect)| effect.label.clone())
        .next()
        .unwrap_or_default();
    let asked: Vec<String> = given
        .iter()
        .filter(|(key, _)| {
            matches!(
                key,
                MetadataKey::TissueOntologyId
                    | MetadataKey::CellTypeOntologyId
                    | MetadataKey::CellLineOntologyId
                    | MetadataKey::SampleType
            )
        })
        .map(|(key, value)| format!("{key}={}", value.given))
        .collect();
    GenerateError::DiseaseTissue {
        input,
        disease: format!("{id} ({label})"),
        asked: if asked.is_empty() {
            "the chosen context".to_owned()
        } else {
            asked.join(", ")
        },
        tissues: places.join(", "),
    }
}

/// A `NoContext` error caused by a modelled disease on the wrong tissue, as that error
pub(crate) fn explain(
    model: &BulkModel,
    input: usize,
    given: &Conditions,
    error: GenerateError,
) -> GenerateError {
    let disease = given
        .get(MetadataKey::DiseaseOntologyId)
        .and_then(|value| value.canonical.as_term())
        .filter(|id| *id != HEALTHY);
    match (&error, disease) {
        (GenerateError::NoContext { .. }, Some(id))
            if model.states().disease(id).next().is_some() =>
        {
            wrong_tissue(model, input, given, id)
        }
        _ => error,
    }
}
