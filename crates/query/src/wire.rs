//! The query as sent over the wire (the baseline-model API shape), before validation

use std::collections::BTreeMap;

use serde::Serialize;

use crate::strategy::SamplingStrategy;

/// A query in the baseline-model API shape
///
/// Serializes as the API expects (for publishing example queries). Reading (`Query::from_json`
/// and `Deserialize`, in the `read` module) goes through the same reader as
/// [`crate::parse_and_validate`]: `mode` is read as `sampling_strategy`,
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
    /// The query as indented JSON
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
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
