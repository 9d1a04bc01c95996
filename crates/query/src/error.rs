//! Structured validation errors: where (input, key), what (value), why (reason) and what would
//! be valid (suggestions), each with a one-line message

use serde::ser::SerializeStruct;
use synthome_vocab::QuantityUnit;

/// A valid value offered in place of a wrong one
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Suggestion {
    /// The value to write (an id, key name or enumeration value)
    pub id: String,
    /// Its human label (empty when the id says it all)
    pub label: String,
}

/// Why a part of a query is invalid
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorReason {
    /// The query text is larger than [`crate::Limits::max_query_bytes`]
    TooLarge {
        /// Size of the query in bytes
        bytes: usize,
        /// The limit
        max: usize,
    },
    /// The query text is not JSON
    InvalidJson {
        /// The parser's explanation, with line and column
        detail: String,
    },
    /// A value of the wrong JSON type
    WrongType {
        /// What was expected
        expected: &'static str,
        /// What was found ("a string", "null", ...)
        found: &'static str,
    },
    /// A required field is absent
    MissingField {
        /// What the field should hold
        expected: &'static str,
    },
    /// A field that the query format does not have
    UnknownField {
        /// The fields valid at this place
        valid: &'static str,
    },
    /// `sampling_strategy` and its alias `mode` disagree
    ConflictingAlias,
    /// A key written twice in one object (JSON keeps only the last)
    DuplicateKey,
    /// A metadata key that is not one of [`crate::MetadataKey::ALL`]
    UnknownKey,
    /// A sampling strategy name that does not exist
    UnknownStrategy,
    /// A sampling strategy the model cannot run
    StrategyNotSupported {
        /// The model's display name
        model: String,
    },
    /// `inputs` is an empty list
    NoInputs,
    /// More inputs than [`crate::Limits::max_inputs`]
    TooManyInputs {
        /// Number of inputs given
        count: usize,
        /// The limit
        max: usize,
    },
    /// A number outside what the field allows
    InvalidNumber {
        /// What is allowed
        expected: &'static str,
    },
    /// More samples in one input than [`crate::Limits::max_samples_per_input`]
    TooManySamples {
        /// The limit
        max: u32,
    },
    /// More samples in all than [`crate::Limits::max_total_samples`]
    TooManyTotalSamples {
        /// Samples asked for in all
        total: u64,
        /// The limit
        max: u64,
    },
    /// A metadata value that is JSON null
    NullValue,
    /// An id that does not have the key's syntax
    InvalidId {
        /// What a valid id looks like
        expected: &'static str,
    },
    /// A value that is not one of the key's fixed values
    NotInEnumeration {
        /// The valid values
        valid: &'static [&'static str],
    },
    /// A quantity that cannot be read
    InvalidQuantity {
        /// What was wrong with it
        problem: &'static str,
        /// What a valid quantity looks like
        expected: &'static str,
    },
    /// A key the model has no data for
    KeyNotModeled {
        /// The model's display name
        model: String,
    },
    /// A value the model was not built from
    NotInVocabulary {
        /// The model's display name
        model: String,
    },
    /// A quantity in a unit the model cannot convert to its own
    UnitNotAccepted {
        /// The model's display name
        model: String,
        /// The unit the model uses for this key
        unit: QuantityUnit,
    },
    /// A number outside the model's range
    OutOfRange {
        /// The model's display name
        model: String,
        /// Smallest accepted value
        min: f64,
        /// Largest accepted value
        max: f64,
        /// The unit of `min` and `max`, if any
        unit: Option<QuantityUnit>,
    },
    /// The model's vocabulary describes the key in a form the query format does not use
    VocabularyMismatch {
        /// The model's display name
        model: String,
    },
    /// Validation stopped after [`crate::Limits::max_errors`] problems
    TooManyErrors {
        /// The limit
        max: usize,
    },
}

impl ErrorReason {
    /// A stable snake_case code for programs
    pub fn code(&self) -> &'static str {
        match self {
            ErrorReason::TooLarge { .. } => "too_large",
            ErrorReason::InvalidJson { .. } => "invalid_json",
            ErrorReason::WrongType { .. } => "wrong_type",
            ErrorReason::MissingField { .. } => "missing_field",
            ErrorReason::UnknownField { .. } => "unknown_field",
            ErrorReason::ConflictingAlias => "conflicting_alias",
            ErrorReason::DuplicateKey => "duplicate_key",
            ErrorReason::UnknownKey => "unknown_key",
            ErrorReason::UnknownStrategy => "unknown_strategy",
            ErrorReason::StrategyNotSupported { .. } => "strategy_not_supported",
            ErrorReason::NoInputs => "no_inputs",
            ErrorReason::TooManyInputs { .. } => "too_many_inputs",
            ErrorReason::InvalidNumber { .. } => "invalid_number",
            ErrorReason::TooManySamples { .. } => "too_many_samples",
            ErrorReason::TooManyTotalSamples { .. } => "too_many_total_samples",
            ErrorReason::NullValue => "null_value",
            ErrorReason::InvalidId { .. } => "invalid_id",
            ErrorReason::NotInEnumeration { .. } => "not_in_enumeration",
            ErrorReason::InvalidQuantity { .. } => "invalid_quantity",
            ErrorReason::KeyNotModeled { .. } => "key_not_modeled",
            ErrorReason::NotInVocabulary { .. } => "not_in_vocabulary",
            ErrorReason::UnitNotAccepted { .. } => "unit_not_accepted",
            ErrorReason::OutOfRange { .. } => "out_of_range",
            ErrorReason::VocabularyMismatch { .. } => "vocabulary_mismatch",
            ErrorReason::TooManyErrors { .. } => "too_many_errors",
        }
    }
}

impl std::fmt::Display for ErrorReason {
    /// The reason as a phrase that follows the quoted value (or stands alone after the place)
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ErrorReason::TooLarge { bytes, max } => write!(
                f,
                "the query is {bytes} bytes, more than the limit of {max} bytes"
            ),
            ErrorReason::InvalidJson { detail } => write!(f, "not valid JSON: {detail}"),
            ErrorReason::WrongType { expected, found } => {
                write!(f, "is {found}; expected {expected}")
            }
            ErrorReason::MissingField { expected } => {
                write!(f, "is missing; it is required and holds {expected}")
            }
            ErrorReason::UnknownField { valid } => {
                write!(f, "is not a field here; valid fields are {valid}")
            }
            ErrorReason::ConflictingAlias => write!(
                f,
                "differs from sampling_strategy; mode is an old name for it, give only one"
            ),
            ErrorReason::DuplicateKey => write!(
                f,
                "appears more than once in the same object; give each key once"
            ),
            ErrorReason::UnknownKey => write!(
                f,
                "is not a metadata key; valid keys are {}",
                crate::key::MetadataKey::ALL
                    .iter()
                    .map(|key| key.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            ErrorReason::UnknownStrategy => write!(
                f,
                "is not a sampling strategy; valid values are \"sample generation\" and \"mean estimation\""
            ),
            ErrorReason::StrategyNotSupported { model } => {
                write!(f, "is not supported by the {model}")
            }
            ErrorReason::NoInputs => write!(f, "is empty; a query needs at least one input"),
            ErrorReason::TooManyInputs { count, max } => {
                write!(f, "has {count} inputs, more than the limit of {max}")
            }
            ErrorReason::InvalidNumber { expected } => write!(f, "is not {expected}"),
            ErrorReason::TooManySamples { max } => {
                write!(f, "is more than the limit of {max} samples per input")
            }
            ErrorReason::TooManyTotalSamples { total, max } => write!(
                f,
                "together ask for {total} samples, more than the limit of {max}"
            ),
            ErrorReason::NullValue => write!(
                f,
                "is not a value; remove the key to let the model fill it in"
            ),
            ErrorReason::InvalidId { expected } => write!(f, "is not {expected}"),
            ErrorReason::NotInEnumeration { valid } => write!(
                f,
                "is not one of {}",
                valid
                    .iter()
                    .map(|value| format!("{value:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            ErrorReason::InvalidQuantity { problem, expected } => {
                write!(f, "{problem}; expected {expected}")
            }
            ErrorReason::KeyNotModeled { model } => write!(
                f,
                "cannot be used: the {model} has no data for this key; remove it"
            ),
            ErrorReason::NotInVocabulary { model } => {
                write!(f, "is not in the {model}'s vocabulary")
            }
            ErrorReason::UnitNotAccepted { model, unit } => write!(
                f,
                "is in a unit the {model} cannot use; it accepts amounts convertible to {unit}"
            ),
            ErrorReason::OutOfRange {
                model,
                min,
                max,
                unit,
            } => {
                let unit = unit.map(|u| format!(" {}", u.symbol())).unwrap_or_default();
                write!(
                    f,
                    "is outside the {model}'s range of {min}{unit} to {max}{unit}"
                )
            }
            ErrorReason::VocabularyMismatch { model } => write!(
                f,
                "cannot be checked: the {model}'s vocabulary describes this key in another form; the model bundle needs fixing"
            ),
            ErrorReason::TooManyErrors { max } => write!(
                f,
                "has more than {max} problems; fix these and validate again"
            ),
        }
    }
}

/// One problem in a query
#[derive(Debug, Clone, PartialEq)]
pub struct QueryError {
    /// Index of the input it is in, if any
    pub input: Option<usize>,
    /// The field or metadata key, if any
    pub key: Option<String>,
    /// The offending value as text, if any
    pub value: Option<String>,
    /// Why it is wrong
    pub reason: ErrorReason,
    /// Up to 5 valid values close to the wrong one
    pub suggestions: Vec<Suggestion>,
}

impl QueryError {
    /// An error at the whole query
    pub(crate) fn new(reason: ErrorReason) -> QueryError {
        QueryError {
            input: None,
            key: None,
            value: None,
            reason,
            suggestions: Vec::new(),
        }
    }

    /// An error at a top-level field
    pub(crate) fn new_at_key(reason: ErrorReason, key: &str) -> QueryError {
        QueryError::new(reason).at_key(key)
    }

    /// The same error in input `input`
    pub(crate) fn at_input(mut self, input: usize) -> QueryError {
        self.input = Some(input);
        self
    }

    /// The same error at field or key `key`
    pub(crate) fn at_key(mut self, key: &str) -> QueryError {
        self.key = Some(key.to_owned());
        self
    }

    /// The same error about value `value`
    pub(crate) fn with_value(mut self, value: impl Into<String>) -> QueryError {
        self.value = Some(value.into());
        self
    }

    /// The same error with suggestions
    pub(crate) fn with_suggestions(mut self, suggestions: Vec<Suggestion>) -> QueryError {
        self.suggestions = suggestions;
        self
    }

    /// Where the problem is: `inputs[1].tissue_ontology_id`, `inputs[1]`, `seed` or `query`
    pub fn location(&self) -> String {
        match (&self.input, &self.key) {
            (Some(input), Some(key)) => format!("inputs[{input}].{key}"),
            (Some(input), None) => format!("inputs[{input}]"),
            (None, Some(key)) => key.clone(),
            (None, None) => "query".to_owned(),
        }
    }
}

impl std::fmt::Display for QueryError {
    /// One line: place, quoted value, reason and "did you mean" suggestions
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: ", self.location())?;
        if let Some(value) = &self.value {
            let quoted = serde_json::to_string(value).unwrap_or_default();
            write!(f, "{quoted} ")?;
        }
        write!(f, "{}", self.reason)?;
        if !self.suggestions.is_empty() {
            let shown: Vec<String> = self
                .suggestions
                .iter()
                .map(|s| {
                    if s.label.is_empty() || s.label == s.id {
                        s.id.clone()
                    } else {
                        format!("{} ({})", s.id, s.label)
                    }
                })
                .collect();
            let list = match shown.split_last() {
                Some((last, rest)) if !rest.is_empty() => {
                    format!("{} or {last}", rest.join(", "))
                }
                _ => shown.join(""),
            };
            write!(f, "; did you mean {list}?")?;
        }
        Ok(())
    }
}

impl serde::Serialize for QueryError {
    /// `{"input", "key", "value", "reason", "code", "message", "suggestions"}`: the contract's
    /// 422 error shape, plus a stable `code` and the one-line `message`
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut state = serializer.serialize_struct("QueryError", 7)?;
        state.serialize_field("input", &self.input)?;
        state.serialize_field("key", &self.key)?;
        state.serialize_field("value", &self.value)?;
        state.serialize_field("reason", &self.reason.to_string())?;
        state.serialize_field("code", self.reason.code())?;
        state.serialize_field("message", &self.to_string())?;
        state.serialize_field("suggestions", &self.suggestions)?;
        state.end()
    }
}

/// Every problem found in a query (never empty when returned as an error)
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(transparent)]
pub struct QueryErrors(pub Vec<QueryError>);

impl QueryErrors {
    /// A one-line summary for the `message` of an error response
    pub fn summary(&self) -> String {
        match self.0.len() {
            1 => "the query has 1 problem".to_owned(),
            n => format!("the query has {n} problems"),
        }
    }
}

impl std::fmt::Display for QueryErrors {
    /// One error per line
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (n, error) in self.0.iter().enumerate() {
            if n > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for QueryErrors {}
