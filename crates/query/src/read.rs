//! The first pass over query JSON: its shape (fields, types, counts), collecting every problem
//! instead of stopping at the first; also how a wire [`Query`] is read (`Query::from_json`,
//! `Deserialize`)

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::{ErrorReason, QueryError, QueryErrors};
use crate::strategy::SamplingStrategy;
use crate::suggest::similar_names;
use crate::target::Limits;
use crate::wire::{Input, Query};

/// Longest value text echoed in an error, in characters
const MAX_ECHO_CHARS: usize = 200;
/// Largest accepted total_count
pub(crate) const MAX_TOTAL_COUNT: f64 = 1e12;

const TOP_FIELDS: &[&str] = &[
    "sampling_strategy",
    "inputs",
    "total_count",
    "deterministic_latents",
    "seed",
    "mode",
    "source",
    "modality",
];
const TOP_FIELDS_TEXT: &str = "sampling_strategy (or mode), inputs, total_count, deterministic_latents, seed, source, modality";
const INPUT_FIELDS: &[&str] = &["metadata", "num_samples"];
const STRATEGY_TEXT: &str = "\"sample generation\" or \"mean estimation\"";

/// Problems found so far, capped at a maximum
pub(crate) struct Report {
    errors: Vec<QueryError>,
    max: usize,
    full: bool,
}

impl Report {
    /// An empty report that keeps at most `max` errors (at least 1)
    pub(crate) fn new(max: usize) -> Report {
        Report {
            errors: Vec::new(),
            max: max.max(1),
            full: false,
        }
    }

    /// Records a problem; past the cap, records once that validation stopped
    pub(crate) fn push(&mut self, error: QueryError) {
        if self.full {
            return;
        }
        if self.errors.len() >= self.max {
            self.errors
                .push(QueryError::new(ErrorReason::TooManyErrors {
                    max: self.max,
                }));
            self.full = true;
            return;
        }
        self.errors.push(error);
    }

    /// Whether the cap was reached (further checks are pointless)
    pub(crate) fn is_full(&self) -> bool {
        self.full
    }

    /// Whether any problem was recorded
    pub(crate) fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// `Ok` when nothing was recorded, else every problem
    pub(crate) fn finish(self) -> Result<(), QueryErrors> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(QueryErrors(self.errors))
        }
    }
}

/// A query whose shape has been read; parts that could not be read are `None`
pub(crate) struct Draft<'a> {
    pub(crate) strategy: Option<SamplingStrategy>,
    pub(crate) inputs: Option<Vec<DraftInput<'a>>>,
    pub(crate) total_count: Option<f64>,
    pub(crate) deterministic_latents: Option<bool>,
    pub(crate) seed: Option<u64>,
}

/// One input whose shape has been read
pub(crate) struct DraftInput<'a> {
    pub(crate) metadata: Vec<(&'a str, &'a Value)>,
    pub(crate) num_samples: Option<u32>,
}

impl Draft<'_> {
    /// The wire query, when every required part was read
    pub(crate) fn into_query(self) -> Option<Query> {
        let inputs = self
            .inputs?
            .into_iter()
            .map(|input| {
                Some(Input {
                    metadata: input
                        .metadata
                        .into_iter()
                        .map(|(key, value)| (key.to_owned(), value.clone()))
                        .collect::<BTreeMap<_, _>>(),
                    num_samples: input.num_samples?,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Query {
            sampling_strategy: self.strategy?,
            inputs,
            total_count: self.total_count,
            deterministic_latents: self.deterministic_latents,
            seed: self.seed,
        })
    }
}

impl<'a> Draft<'a> {
    /// The draft of an already typed query
    pub(crate) fn of_query(query: &'a Query) -> Draft<'a> {
        Draft {
            strategy: Some(query.sampling_strategy),
            inputs: Some(
                query
                    .inputs
                    .iter()
                    .map(|input| DraftInput {
                        metadata: input
                            .metadata
                            .iter()
                            .map(|(key, value)| (key.as_str(), value))
                            .collect(),
                        num_samples: Some(input.num_samples),
                    })
                    .collect(),
            ),
            total_count: query.total_count,
            deterministic_latents: query.deterministic_latents,
            seed: query.seed,
        }
    }
}

impl Query {
    /// Reads the query's shape (fields, types, counts) without checking metadata values
    ///
    /// Fails with every shape problem when the JSON is not a query.
    pub fn from_json(json: &str, limits: &Limits) -> Result<Query, QueryErrors> {
        let value = parse_json(json, limits)?;
        let mut report = Report::new(limits.max_errors);
        report_duplicates(json, &mut report);
        let draft = read_query(&value, limits, &mut report);
        report.finish()?;
        draft.into_query().ok_or_else(|| {
            QueryErrors(vec![QueryError::new_at_key(
                ErrorReason::MissingField {
                    expected: "\"sample generation\" or \"mean estimation\"",
                },
                "sampling_strategy",
            )])
        })
    }
}

impl<'de> serde::Deserialize<'de> for Query {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Query, D::Error> {
        let value = Value::deserialize(deserializer)?;
        let limits = Limits::default();
        let mut report = Report::new(limits.max_errors);
        let draft = read_query(&value, &limits, &mut report);
        report.finish().map_err(serde::de::Error::custom)?;
        draft
            .into_query()
            .ok_or_else(|| serde::de::Error::custom("the query is incomplete"))
    }
}

/// Parses query text as JSON after checking its size (serde_json bounds nesting at 128 levels)
pub(crate) fn parse_json(json: &str, limits: &Limits) -> Result<Value, QueryErrors> {
    if json.len() > limits.max_query_bytes {
        return Err(QueryErrors(vec![QueryError::new(ErrorReason::TooLarge {
            bytes: json.len(),
            max: limits.max_query_bytes,
        })]));
    }
    serde_json::from_str(json).map_err(|error| {
        QueryErrors(vec![QueryError::new(ErrorReason::InvalidJson {
            detail: error.to_string(),
        })])
    })
}

/// Records the keys written twice at the top level, in an input or in its metadata
pub(crate) fn report_duplicates(json: &str, report: &mut Report) {
    use crate::duplicates::Step;
    for duplicate in crate::duplicates::duplicate_keys(json) {
        let error = QueryError::new(ErrorReason::DuplicateKey).at_key(&duplicate.key);
        match duplicate.path.as_slice() {
            [] => report.push(error),
            [Step::Key(inputs), Step::Index(index)] if inputs == "inputs" => {
                report.push(error.at_input(*index));
            }
            [Step::Key(inputs), Step::Index(index), Step::Key(metadata)]
                if inputs == "inputs" && metadata == "metadata" =>
            {
                report.push(error.at_input(*index));
            }
            _ => {}
        }
    }
}

/// Reads the query's top level and inputs, recording shape problems
pub(crate) fn read_query<'a>(value: &'a Value, limits: &Limits, report: &mut Report) -> Draft<'a> {
    let mut draft = Draft {
        strategy: None,
        inputs: None,
        total_count: None,
        deterministic_latents: None,
        seed: None,
    };
    let Some(fields) = value.as_object() else {
        report.push(QueryError::new(ErrorReason::WrongType {
            expected: "a JSON object with sampling_strategy and inputs",
            found: json_type(value),
        }));
        return draft;
    };
    let mut strategy_seen: Option<(&str, &Value)> = None;
    for (name, field) in fields {
        match name.as_str() {
            "sampling_strategy" | "mode" => {
                if let Some((other_name, other)) = strategy_seen {
                    if other != field {
                        report.push(
                            QueryError::new(ErrorReason::ConflictingAlias)
                                .at_key(if other_name == "mode" {
                                    other_name
                                } else {
                                    name
                                })
                                .with_value(echo(field)),
                        );
                    }
                    continue;
                }
                strategy_seen = Some((name, field));
                draft.strategy = read_strategy(name, field, report);
            }
            "inputs" => draft.inputs = read_inputs(field, limits, report),
            "total_count" => {
                draft.total_count = read_optional(name, field, report, |v| {
                    v.as_f64()
                        .filter(|n| n.is_finite() && *n > 0.0 && *n <= MAX_TOTAL_COUNT)
                        .ok_or(ErrorReason::InvalidNumber {
                            expected: "a positive number of counts up to 1e12",
                        })
                })
            }
            "deterministic_latents" => {
                draft.deterministic_latents = read_optional(name, field, report, |v| {
                    v.as_bool().ok_or(ErrorReason::WrongType {
                        expected: "true or false",
                        found: json_type(v),
                    })
                })
            }
            "seed" => {
                draft.seed = read_optional(name, field, report, |v| {
                    whole_number(v).ok_or(ErrorReason::InvalidNumber {
                        expected: "a whole number from 0 to 18446744073709551615",
                    })
                })
            }
            "source" | "modality" => {}
            _ => report.push(
                QueryError::new(ErrorReason::UnknownField {
                    valid: TOP_FIELDS_TEXT,
                })
                .at_key(name)
                .with_suggestions(similar_names(TOP_FIELDS, name, 3)),
            ),
        }
    }
    if strategy_seen.is_none() {
        report.push(
            QueryError::new(ErrorReason::MissingField {
                expected: STRATEGY_TEXT,
            })
            .at_key("sampling_strategy"),
        );
    }
    if !fields.contains_key("inputs") {
        report.push(
            QueryError::new(ErrorReason::MissingField {
                expected: "a list of {\"metadata\": {...}, \"num_samples\": n} objects",
            })
            .at_key("inputs"),
        );
    }
    draft
}

/// Reads `sampling_strategy` (or `mode`)
fn read_strategy(name: &str, value: &Value, report: &mut Report) -> Option<SamplingStrategy> {
    let Some(text) = value.as_str() else {
        report.push(
            QueryError::new(ErrorReason::WrongType {
                expected: STRATEGY_TEXT,
                found: json_type(value),
            })
            .at_key(name)
            .with_value(echo(value)),
        );
        return None;
    };
    match text.parse::<SamplingStrategy>() {
        Ok(strategy) => Some(strategy),
        Err(_) => {
            let names: Vec<&str> = SamplingStrategy::ALL.iter().map(|s| s.as_str()).collect();
            report.push(
                QueryError::new(ErrorReason::UnknownStrategy)
                    .at_key(name)
                    .with_value(echo(value))
                    .with_suggestions(similar_names(&names, text, 2)),
            );
            None
        }
    }
}

/// Reads an optional top-level field (null counts as absent)
fn read_optional<T>(
    name: &str,
    value: &Value,
    report: &mut Report,
    read: impl FnOnce(&Value) -> Result<T, ErrorReason>,
) -> Option<T> {
    if value.is_null() {
        return None;
    }
    match read(value) {
        Ok(read) => Some(read),
        Err(reason) => {
            report.push(QueryError::new(reason).at_key(name).with_value(echo(value)));
            None
        }
    }
}

/// Reads `inputs`: a list of objects, at most `limits.max_inputs` of them looked at
fn read_inputs<'a>(
    value: &'a Value,
    limits: &Limits,
    report: &mut Report,
) -> Option<Vec<DraftInput<'a>>> {
    let Some(items) = value.as_array() else {
        report.push(
            QueryError::new(ErrorReason::WrongType {
                expected: "a list of {\"metadata\": {...}, \"num_samples\": n} objects",
                found: json_type(value),
            })
            .at_key("inputs"),
        );
        return None;
    };
    if items.is_empty() {
        report.push(QueryError::new(ErrorReason::NoInputs).at_key("inputs"));
        return None;
    }
    if items.len() > limits.max_inputs {
        report.push(
            QueryError::new(ErrorReason::TooManyInputs {
                count: items.len(),
                max: limits.max_inputs,
            })
            .at_key("inputs"),
        );
    }
    let mut inputs = Vec::with_capacity(items.len().min(limits.max_inputs));
    for (index, item) in items.iter().take(limits.max_inputs).enumerate() {
        if report.is_full() {
            break;
        }
        inputs.push(read_input(index, item, report));
    }
    Some(inputs)
}

/// Reads one input object
fn read_input<'a>(index: usize, value: &'a Value, report: &mut Report) -> DraftInput<'a> {
    let mut input = DraftInput {
        metadata: Vec::new(),
        num_samples: None,
    };
    let Some(fields) = value.as_object() else {
        report.push(
            QueryError::new(ErrorReason::WrongType {
                expected: "an object {\"metadata\": {...}, \"num_samples\": n}",
                found: json_type(value),
            })
            .at_input(index),
        );
        return input;
    };
    for (name, field) in fields {
        match name.as_str() {
            "metadata" => match field.as_object() {
                Some(metadata) => {
                    input.metadata = metadata.iter().map(|(k, v)| (k.as_str(), v)).collect();
                }
                None if field.is_null() => {}
                None => report.push(
                    QueryError::new(ErrorReason::WrongType {
                        expected: "an object of metadata keys and values",
                        found: json_type(field),
                    })
                    .at_input(index)
                    .at_key(name),
                ),
            },
            "num_samples" => {
                match whole_number(field)
                    .and_then(|n| u32::try_from(n).ok())
                    .filter(|n| *n >= 1)
                {
                    Some(n) => input.num_samples = Some(n),
                    None => report.push(
                        QueryError::new(ErrorReason::InvalidNumber {
                            expected: "a whole number of samples, 1 or more",
                        })
                        .at_input(index)
                        .at_key(name)
                        .with_value(echo(field)),
                    ),
                }
            }
            _ => report.push(
                QueryError::new(ErrorReason::UnknownField {
                    valid: "metadata and num_samples",
                })
                .at_input(index)
                .at_key(name)
                .with_suggestions(similar_names(INPUT_FIELDS, name, 2)),
            ),
        }
    }
    if !fields.contains_key("num_samples") {
        report.push(
            QueryError::new(ErrorReason::MissingField {
                expected: "the number of samples to generate",
            })
            .at_input(index)
            .at_key("num_samples"),
        );
    }
    input
}

/// A non-negative whole number, written as an integer or as a float without fraction
pub(crate) fn whole_number(value: &Value) -> Option<u64> {
    if let Some(n) = value.as_u64() {
        return Some(n);
    }
    let float = value.as_f64()?;
    (float.fract() == 0.0 && (0.0..=9.007_199_254_740_992e15).contains(&float))
        .then_some(float as u64)
}

/// The JSON type of a value, as a phrase
pub(crate) fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(text) if text.trim().is_empty() => "an empty string",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A value as text for an error message: strings as they are, other values as JSON; cut to
/// 200 characters
pub(crate) fn echo(value: &Value) -> String {
    match value {
        Value::String(text) => cut(text),
        other => cut(&other.to_string()),
    }
}

/// `text` cut to at most 200 characters, with an ellipsis when cut
fn cut(text: &str) -> String {
    match text.char_indices().nth(MAX_ECHO_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}
