//! The second pass: each metadata value's form (id syntax, enumeration, quantity, number), then
//! the model's vocabulary, then limits; builds the [`ValidQuery`]

use std::collections::HashMap;

use serde_json::Value;
use synthome_vocab::{KeyDomain, MatchKind, QuantityKind, TermIndex};

use crate::error::{ErrorReason, QueryError, Suggestion};
use crate::key::{KeyForm, MetadataKey};
use crate::quantity::{Quantity, QuantityError, format_quantity, parse_quantity};
use crate::read::{Draft, Report, echo, json_type};
use crate::suggest::similar_names;
use crate::target::{Limits, ModelTarget};
use crate::valid::{CanonicalValue, ConditionValue, Conditions, ValidInput, ValidQuery};

/// Suggestions offered for a value not in the vocabulary
const MAX_SUGGESTIONS: usize = 5;
/// Relative slack when comparing converted quantities with a range
const RANGE_SLACK: f64 = 1e-9;
/// Largest age accepted by the query format
const MAX_AGE_YEARS: f64 = 150.0;

/// Nearest-term suggestions already computed in this validation, by key and value (the same
/// wrong value in many inputs is looked up once)
type SuggestionCache = HashMap<(MetadataKey, String), Vec<Suggestion>>;

/// A value whose form is right, before the vocabulary check
enum FormValue {
    /// An id or text, in canonical form for its syntax
    Term(String),
    /// A quantity in its canonical unit
    Quantity(Quantity),
    /// A number
    Number(f64),
}

/// Checks a read draft against the model and the limits; `None` when anything is wrong
pub(crate) fn check(
    draft: Draft<'_>,
    target: &ModelTarget<'_>,
    limits: &Limits,
    report: &mut Report,
) -> Option<ValidQuery> {
    if let Some(strategy) = draft.strategy
        && !target.strategies.contains(&strategy)
    {
        report.push(
            QueryError::new(ErrorReason::StrategyNotSupported {
                model: target.name.to_owned(),
            })
            .at_key("sampling_strategy")
            .with_value(strategy.as_str()),
        );
    }
    let mut inputs = Vec::new();
    let mut total_samples: u64 = 0;
    let mut cache = SuggestionCache::new();
    for (index, input) in draft.inputs.iter().flatten().enumerate() {
        if report.is_full() {
            break;
        }
        if let Some(n) = input.num_samples {
            total_samples = total_samples.saturating_add(u64::from(n));
            if n > limits.max_samples_per_input {
                report.push(
                    QueryError::new(ErrorReason::TooManySamples {
                        max: limits.max_samples_per_input,
                    })
                    .at_input(index)
                    .at_key("num_samples")
                    .with_value(n.to_string()),
                );
            }
        }
        let mut metadata = Conditions::new();
        for &(name, value) in &input.metadata {
            if report.is_full() {
                break;
            }
            match check_condition(name, value, target, &mut cache) {
                Ok((key, condition)) => metadata.insert(key, condition),
                Err(error) => report.push(error.at_input(index)),
            }
        }
        inputs.push(ValidInput {
            metadata,
            num_samples: input.num_samples.unwrap_or(1),
            first_sample: 0,
        });
    }
    if total_samples > limits.max_total_samples {
        report.push(
            QueryError::new(ErrorReason::TooManyTotalSamples {
                total: total_samples,
                max: limits.max_total_samples,
            })
            .at_key("inputs"),
        );
    }
    if !report.is_empty() {
        return None;
    }
    Some(ValidQuery {
        sampling_strategy: draft.strategy?,
        inputs,
        total_count: draft.total_count.unwrap_or(target.default_total_count),
        deterministic_latents: draft.deterministic_latents.unwrap_or(false),
        seed: draft.seed,
    })
}

/// Checks one metadata entry: the key, the value's form, then the model's vocabulary (the error
/// is boxed: errors are large and success is the common case)
fn check_condition(
    name: &str,
    value: &Value,
    target: &ModelTarget<'_>,
    cache: &mut SuggestionCache,
) -> Result<(MetadataKey, ConditionValue), Box<QueryError>> {
    let Ok(key) = name.parse::<MetadataKey>() else {
        let names: Vec<&str> = MetadataKey::ALL.iter().map(|key| key.as_str()).collect();
        return Err(QueryError::new(ErrorReason::UnknownKey)
            .at_key(name)
            .with_suggestions(similar_names(&names, name, 3))
            .into());
    };
    let given = match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    let fail = |reason: ErrorReason| QueryError::new(reason).at_key(name).with_value(echo(value));
    if value.is_null() {
        return Err(fail(ErrorReason::NullValue).into());
    }
    let form = read_form(key, value, target)
        .map_err(|(reason, suggestions)| fail(reason).with_suggestions(suggestions))?;
    let domain = target
        .vocabulary
        .domain(key.as_str())
        .filter(|domain| !domain.is_empty())
        .ok_or_else(|| {
            fail(ErrorReason::KeyNotModeled {
                model: target.name.to_owned(),
            })
        })?;
    let model = || target.name.to_owned();
    let canonical = match (domain, form) {
        (KeyDomain::Terms(index), FormValue::Term(text)) => {
            let term = index
                .resolve(&text)
                .or_else(|| label_match(key, index, &text))
                .ok_or_else(|| {
                    fail(ErrorReason::NotInVocabulary { model: model() }).with_suggestions(
                        cache
                            .entry((key, given.trim().to_owned()))
                            .or_insert_with(|| term_suggestions(index, given.trim()))
                            .clone(),
                    )
                })?;
            CanonicalValue::Term(term.id.clone())
        }
        (
            KeyDomain::Quantity {
                unit,
                min,
                max,
                known,
            },
            FormValue::Quantity(quantity),
        ) => {
            if quantity.unit != *unit {
                // Distances across units mean nothing: offer the smallest known values
                let smallest = known_suggestions(known, f64::NEG_INFINITY, *unit);
                return Err(fail(ErrorReason::UnitNotAccepted {
                    model: model(),
                    unit: *unit,
                })
                .with_suggestions(smallest)
                .into());
            }
            let suggestions = || known_suggestions(known, quantity.value, *unit);
            if !within(quantity.value, *min, *max) {
                return Err(fail(ErrorReason::OutOfRange {
                    model: model(),
                    min: *min,
                    max: *max,
                    unit: Some(*unit),
                })
                .with_suggestions(suggestions())
                .into());
            }
            CanonicalValue::Quantity {
                value: quantity.value,
                unit: quantity.unit,
            }
        }
        (KeyDomain::Number { min, max }, FormValue::Number(number)) => {
            if !within(number, *min, *max) {
                return Err(fail(ErrorReason::OutOfRange {
                    model: model(),
                    min: *min,
                    max: *max,
                    unit: None,
                })
                .into());
            }
            CanonicalValue::Number(number)
        }
        _ => return Err(fail(ErrorReason::VocabularyMismatch { model: model() }).into()),
    };
    Ok((key, ConditionValue { given, canonical }))
}

/// Checks the value's form for its key; on failure the reason and suggestions
fn read_form(
    key: MetadataKey,
    value: &Value,
    target: &ModelTarget<'_>,
) -> Result<FormValue, (ErrorReason, Vec<Suggestion>)> {
    let wrong_type = |expected: &'static str| {
        (
            ErrorReason::WrongType {
                expected,
                found: json_type(value),
            },
            Vec::new(),
        )
    };
    match key.form() {
        KeyForm::Id(syntax) => {
            let text = match value {
                Value::String(text) if !text.trim().is_empty() => text.trim().to_owned(),
                // NCBI Taxonomy ids are numbers and may be written as JSON numbers
                Value::Number(number)
                    if number.is_u64() && key == MetadataKey::PerturbationOntologyId =>
                {
                    number.to_string()
                }
                _ => return Err(wrong_type(syntax.describe())),
            };
            syntax.canonical(&text).map(FormValue::Term).ok_or_else(|| {
                // A label typed where an id belongs: offer the ids whose labels match
                let suggestions = target
                    .vocabulary
                    .domain(key.as_str())
                    .and_then(KeyDomain::terms)
                    .map(|index| {
                        index
                            .search(&text, MAX_SUGGESTIONS)
                            .into_iter()
                            .map(|hit| suggestion(hit.term))
                            .collect()
                    })
                    .unwrap_or_default();
                (
                    ErrorReason::InvalidId {
                        expected: syntax.describe(),
                    },
                    suggestions,
                )
            })
        }
        KeyForm::Enumeration(valid) => {
            let Some(text) = value.as_str() else {
                return Err(wrong_type("one of the values listed for this key"));
            };
            valid
                .iter()
                .find(|candidate| candidate.eq_ignore_ascii_case(text.trim()))
                .map(|candidate| FormValue::Term((*candidate).to_owned()))
                .ok_or_else(|| {
                    (
                        ErrorReason::NotInEnumeration { valid },
                        similar_names(valid, text, 3),
                    )
                })
        }
        KeyForm::Text => match value.as_str().map(str::trim) {
            Some(text) if !text.is_empty() => Ok(FormValue::Term(text.to_owned())),
            _ => Err(wrong_type("a text value")),
        },
        KeyForm::Quantity(kind) => {
            let expected = match kind {
                QuantityKind::Time => "a number and a time unit such as \"24 hours\"",
                QuantityKind::Dose => {
                    "a number and a dose unit such as \"10 um\", \"100 nm\", \"1 mg/kg\" or \"5 ug/ml\""
                }
            };
            let Some(text) = value.as_str() else {
                return Err(wrong_type(expected));
            };
            let quantity = parse_quantity(text).map_err(|error| {
                (
                    ErrorReason::InvalidQuantity {
                        problem: quantity_problem(error),
                        expected,
                    },
                    Vec::new(),
                )
            })?;
            if quantity.unit.kind() != kind {
                let problem = match kind {
                    QuantityKind::Time => "is not a time",
                    QuantityKind::Dose => "is not a dose",
                };
                return Err((
                    ErrorReason::InvalidQuantity { problem, expected },
                    Vec::new(),
                ));
            }
            Ok(FormValue::Quantity(quantity))
        }
        KeyForm::Years => {
            let expected = "a number of years from 0 to 150 (a number, or a string such as \"60\" or \"60 years\")";
            let number = match value {
                Value::Number(number) => number.as_f64(),
                Value::String(text) => years_text(text),
                _ => return Err(wrong_type(expected)),
            };
            number
                .filter(|n| n.is_finite() && (0.0..=MAX_AGE_YEARS).contains(n))
                .map(FormValue::Number)
                .ok_or((ErrorReason::InvalidNumber { expected }, Vec::new()))
        }
    }
}

/// The number of an age text: `"60"`, `"60 years"`, `"60 year"`, `"60y"` (case-insensitive)
fn years_text(text: &str) -> Option<f64> {
    let lower = text.trim().to_ascii_lowercase();
    let number = ["years", "year", "yrs", "yr", "y"]
        .iter()
        .find_map(|unit| lower.strip_suffix(unit))
        .unwrap_or(&lower);
    number.trim().parse::<f64>().ok()
}

/// A term of a free-text key whose label is exactly the text (ignoring case)
fn label_match<'a>(
    key: MetadataKey,
    index: &'a TermIndex,
    text: &str,
) -> Option<&'a synthome_vocab::Term> {
    if key.form() != KeyForm::Text {
        return None;
    }
    index
        .search(text, 1)
        .into_iter()
        .find(|hit| hit.kind == MatchKind::ExactLabel)
        .map(|hit| hit.term)
}

/// The nearest terms as suggestions
fn term_suggestions(index: &TermIndex, value: &str) -> Vec<Suggestion> {
    index
        .nearest(value, MAX_SUGGESTIONS)
        .into_iter()
        .map(suggestion)
        .collect()
}

/// A term as a suggestion
fn suggestion(term: &synthome_vocab::Term) -> Suggestion {
    Suggestion {
        id: term.id.clone(),
        label: term.label.clone(),
    }
}

/// The known values of a quantity closest to `value`, as query text (ascending when `value` is
/// minus infinity)
fn known_suggestions(
    known: &[f64],
    value: f64,
    unit: synthome_vocab::QuantityUnit,
) -> Vec<Suggestion> {
    let mut sorted: Vec<f64> = known.to_vec();
    if value.is_finite() {
        sorted.sort_by(|a, b| (a - value).abs().total_cmp(&(b - value).abs()));
    }
    sorted
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|known| Suggestion {
            id: format_quantity(known, unit),
            label: String::new(),
        })
        .collect()
}

/// Whether `value` lies in `[min, max]`, with a little slack for unit conversion
fn within(value: f64, min: f64, max: f64) -> bool {
    let slack = |bound: f64| bound.abs().max(1.0) * RANGE_SLACK;
    value >= min - slack(min) && value <= max + slack(max)
}

/// The problem of a quantity text, as a phrase
fn quantity_problem(error: QuantityError) -> &'static str {
    match error {
        QuantityError::NoNumber => "does not start with a number",
        QuantityError::BadNumber => "is not a finite, non-negative number",
        QuantityError::NoUnit => "has no unit",
        QuantityError::UnknownUnit => "has a unit that is not known",
    }
}

#[cfg(test)]
mod tests {
    use super::years_text;

    #[test]
    fn ages_read_with_or_without_a_years_unit() {
        for (text, years) in [
            ("60", Some(60.0)),
            ("60 years", Some(60.0)),
            (" 25 Years ", Some(25.0)),
            ("1 year", Some(1.0)),
            ("42.5y", Some(42.5)),
            ("old", None),
            ("years", None),
            ("60 months", None),
        ] {
            assert_eq!(years_text(text), years, "{text:?}");
        }
    }
}
