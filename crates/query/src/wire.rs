//! The query as sent over the wire (the baseline-model API shape), before validation

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::QueryErrors;
use crate::strategy::SamplingStrategy;
use crate::target::Limits;

/// A query in the baseline-model API shape
///
/// Serializes as the API expects (for publishing example queries). Deserializing goes through
/// the same reader as [`crate::parse_and_validate`]: `mode` is read as `sampling_strategy`,
/// `source` and `modality` are ignored, unknown fields are errors; metadata values are kept as
/// JSON so that validation can report every problem.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Query {
    /// What to generate
    pub sampling_strategy: SamplingStrategy,
    /// The conditions and how many samples of each
    pub inputs: Vec<Input>,
    /// Library size; the model's default when absent
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "whole_if_possible"
    )]
    pub total_count: Option<f64>,
    /// Use the mean of p(z | metadata) instead of a draw; false when absent
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deterministic_latents: Option<bool>,
    /// Random seed; the engine picks one when absent
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
}

/// One input of a query: metadata conditions and a sample count
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Input {
    /// Metadata key to value, as JSON (validated later)
    pub metadata: BTreeMap<String, serde_json::Value>,
    /// Number of samples to generate
    pub num_samples: u32,
}

impl Query {
    /// Reads the query's shape (fields, types, counts) without checking metadata values
    ///
    /// Fails with every shape problem when the JSON is not a query.
    pub fn from_json(json: &str, limits: &Limits) -> Result<Query, QueryErrors> {
        let value = crate::read::parse_json(json, limits)?;
        let mut report = crate::read::Report::new(limits.max_errors);
        crate::read::report_duplicates(json, &mut report);
        let draft = crate::read::read_query(&value, limits, &mut report);
        report.finish()?;
        draft.into_query().ok_or_else(|| {
            QueryErrors(vec![crate::error::QueryError::new_at_key(
                crate::error::ErrorReason::MissingField {
                    expected: "\"sample generation\" or \"mean estimation\"",
                },
                "sampling_strategy",
            )])
        })
    }

    /// The query as indented JSON
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

impl<'de> serde::Deserialize<'de> for Query {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Query, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        let limits = Limits::default();
        let mut report = crate::read::Report::new(limits.max_errors);
        let draft = crate::read::read_query(&value, &limits, &mut report);
        report.finish().map_err(serde::de::Error::custom)?;
        draft
            .into_query()
            .ok_or_else(|| serde::de::Error::custom("the query is incomplete"))
    }
}

/// Writes a whole number without a fraction (10000000, not 10000000.0)
fn whole_if_possible<S: serde::Serializer>(
    value: &Option<f64>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(number) if number.fract() == 0.0 && number.abs() < 9.0e15 => {
            serializer.serialize_some(&(*number as i64))
        }
        Some(number) => serializer.serialize_some(number),
        None => serializer.serialize_none(),
    }
}
