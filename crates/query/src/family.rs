//! The queries of the two other model families of the hosted API, whose inputs carry a
//! sample's counts instead of (or beside) metadata:
//!
//! - metadata prediction: `{"inputs": [{"counts": [...]}, ...], "seed": N}`;
//! - reference conditioning: `{"inputs": [{"counts": [...], "metadata": {perturbation_* keys},
//!   "num_samples": N}], "conditioning": ["biological", "technical"], "sampling_strategy": ...,
//!   "fixed_total_count": false, "total_count": ..., "deterministic_latents": ..., "seed": ...}`.
//!
//! [`parse_family_query`] reads either shape and checks every count vector against the model's
//! gene count: non-negative whole numbers (whole-number floats accepted), of the model's
//! length, not all zero. Metadata values are kept as JSON: the engine validates them against
//! the model (they must be `perturbation_*` keys, [`MetadataKey::is_perturbation`]).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::key::MetadataKey;
use crate::strategy::SamplingStrategy;

/// A latent group a reference-conditioning query can keep from its reference
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LatentGroup {
    /// The reference's biological state: its context and latent factor scores
    Biological,
    /// The reference's technical character: its per-gene residual from the model's decoding
    Technical,
}

impl LatentGroup {
    /// The group with this name (`"biological"`, `"technical"`)
    pub fn parse(text: &str) -> Option<LatentGroup> {
        match text {
            "biological" => Some(LatentGroup::Biological),
            "technical" => Some(LatentGroup::Technical),
            _ => None,
        }
    }
}

/// One input of a family query: a sample's counts, metadata (conditioning only) and how many
/// samples to make from it
#[derive(Debug, Clone, PartialEq)]
pub struct CountsInput {
    /// The counts in the model's gene order, checked: whole, non-negative, not all zero
    pub counts: Vec<f64>,
    /// Metadata key to value as JSON (validated by the engine)
    pub metadata: BTreeMap<String, serde_json::Value>,
    /// Samples to generate (conditioning; 1 when absent)
    pub num_samples: u32,
}

/// A metadata-prediction or reference-conditioning query, read and with its counts checked
#[derive(Debug, Clone, PartialEq)]
pub struct FamilyQuery {
    /// The inputs, in order
    pub inputs: Vec<CountsInput>,
    /// Random seed; the engine picks one when absent
    pub seed: Option<u64>,
    /// What to generate (conditioning); "sample generation" when absent
    pub sampling_strategy: SamplingStrategy,
    /// Latent groups kept from the reference (default both)
    pub conditioning: Vec<LatentGroup>,
    /// Whether the library size is `total_count` (true) or the reference's sum (false, default)
    pub fixed_total_count: bool,
    /// Library size when `fixed_total_count` is true; the model's default when absent
    pub total_count: Option<f64>,
    /// Use the latent means instead of draws
    pub deterministic_latents: bool,
}

/// What is wrong with a family query: where (input index from 0, key) and why
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}: {reason}", location(*input, key))]
pub struct FamilyQueryError {
    /// The input's index (from 0), when the problem is in one input
    pub input: Option<usize>,
    /// The key (`counts`, `metadata.sex`, `conditioning`, ...)
    pub key: String,
    /// What is wrong and what would be valid
    pub reason: String,
}

fn location(input: Option<usize>, key: &str) -> String {
    match input {
        Some(index) => format!("inputs[{index}].{key}"),
        None => key.to_owned(),
    }
}

impl FamilyQueryError {
    /// A problem in input `input` at `key`
    pub fn at_input(input: usize, key: impl Into<String>, reason: impl Into<String>) -> Self {
        FamilyQueryError {
            input: Some(input),
            key: key.into(),
            reason: reason.into(),
        }
    }

    /// A problem with a top-level key
    pub fn at_key(key: impl Into<String>, reason: impl Into<String>) -> Self {
        FamilyQueryError {
            input: None,
            key: key.into(),
            reason: reason.into(),
        }
    }
}

/// The wire shape, before checking
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire {
    inputs: Vec<WireInput>,
    #[serde(default)]
    seed: Option<u64>,
    #[serde(default, alias = "mode")]
    sampling_strategy: Option<String>,
    #[serde(default)]
    conditioning: Option<Vec<String>>,
    #[serde(default)]
    fixed_total_count: Option<bool>,
    #[serde(default)]
    total_count: Option<f64>,
    #[serde(default)]
    deterministic_latents: Option<bool>,
    /// Accepted and ignored, as in baseline queries
    #[serde(default, rename = "source")]
    _source: Option<serde_json::Value>,
    /// Accepted and ignored, as in baseline queries
    #[serde(default, rename = "modality")]
    _modality: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WireInput {
    counts: Vec<serde_json::Value>,
    #[serde(default)]
    metadata: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    num_samples: Option<u32>,
}

/// Reads a family query and checks its counts for a model of `n_genes` genes; at most
/// `max_inputs` inputs and `max_samples` samples in all
pub fn parse_family_query(
    text: &str,
    n_genes: usize,
    max_inputs: usize,
    max_samples: u64,
) -> Result<FamilyQuery, Vec<FamilyQueryError>> {
    let wire: Wire = serde_json::from_str(text).map_err(|error| {
        vec![FamilyQueryError::at_key(
            "query",
            format!("not a valid query: {error}"),
        )]
    })?;
    let mut errors = Vec::new();
    if wire.inputs.is_empty() {
        errors.push(FamilyQueryError::at_key(
            "inputs",
            "at least one input with counts is needed",
        ));
    }
    if wire.inputs.len() > max_inputs {
        errors.push(FamilyQueryError::at_key(
            "inputs",
            format!("{} inputs; at most {max_inputs}", wire.inputs.len()),
        ));
    }
    let sampling_strategy = match wire.sampling_strategy.as_deref() {
        None => SamplingStrategy::SampleGeneration,
        Some(text) => match text.parse::<SamplingStrategy>() {
            Ok(strategy) => strategy,
            Err(unknown) => {
                errors.push(FamilyQueryError::at_key(
                    "sampling_strategy",
                    unknown.to_string(),
                ));
                SamplingStrategy::SampleGeneration
            }
        },
    };
    let mut conditioning = Vec::new();
    for name in wire
        .conditioning
        .unwrap_or_else(|| vec!["biological".into(), "technical".into()])
    {
        match LatentGroup::parse(&name) {
            Some(group) if !conditioning.contains(&group) => conditioning.push(group),
            Some(_) => {}
            None => errors.push(FamilyQueryError::at_key(
                "conditioning",
                format!("{name:?} is not a latent group; valid: \"biological\", \"technical\""),
            )),
        }
    }
    if let Some(total) = wire.total_count
        && !(total.is_finite() && total > 0.0 && total <= 1e12)
    {
        errors.push(FamilyQueryError::at_key(
            "total_count",
            format!("{total} is not a positive number of counts up to 1e12"),
        ));
    }
    let mut inputs = Vec::with_capacity(wire.inputs.len());
    let mut total_samples = 0u64;
    for (index, input) in wire.inputs.into_iter().enumerate() {
        let num_samples = input.num_samples.unwrap_or(1);
        if num_samples == 0 {
            errors.push(FamilyQueryError::at_input(
                index,
                "num_samples",
                "must be at least 1",
            ));
        }
        total_samples += u64::from(num_samples);
        match check_counts(&input.counts, n_genes) {
            Ok(counts) => inputs.push(CountsInput {
                counts,
                metadata: input.metadata,
                num_samples,
            }),
            Err(reason) => errors.push(FamilyQueryError::at_input(index, "counts", reason)),
        }
    }
    if total_samples > max_samples {
        errors.push(FamilyQueryError::at_key(
            "inputs",
            format!("{total_samples} samples in all; at most {max_samples}"),
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(FamilyQuery {
        inputs,
        seed: wire.seed,
        sampling_strategy,
        conditioning,
        fixed_total_count: wire.fixed_total_count.unwrap_or(false),
        total_count: wire.total_count,
        deterministic_latents: wire.deterministic_latents.unwrap_or(false),
    })
}

/// Checks one count vector: length, numbers, whole, non-negative, not all zero
fn check_counts(values: &[serde_json::Value], n_genes: usize) -> Result<Vec<f64>, String> {
    if values.len() != n_genes {
        return Err(format!(
            "{} values; the model has {n_genes} genes (its gene_order), one count per gene",
            values.len()
        ));
    }
    let mut counts = Vec::with_capacity(n_genes);
    for (gene, value) in values.iter().enumerate() {
        let Some(number) = value.as_f64() else {
            return Err(format!("value {gene} ({value}) is not a number"));
        };
        if !number.is_finite() || number < 0.0 {
            return Err(format!(
                "value {gene} ({number}) is negative; counts are non-negative integers"
            ));
        }
        if number.fract() != 0.0 {
            return Err(format!(
                "value {gene} ({number}) is not a whole number; counts are non-negative integers"
            ));
        }
        counts.push(number);
    }
    if counts.iter().all(|&count| count == 0.0) {
        return Err("every count is zero; a sample needs some expressed genes".into());
    }
    Ok(counts)
}

impl MetadataKey {
    /// Whether the key describes the perturbation (the only keys a reference-conditioning
    /// input may give: the reference defines the rest)
    pub fn is_perturbation(self) -> bool {
        matches!(
            self,
            MetadataKey::PerturbationDose
                | MetadataKey::PerturbationOntologyId
                | MetadataKey::PerturbationTime
                | MetadataKey::PerturbationType
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<String> {
        parse_family_query(text, 3, 10, 100)
            .err()
            .unwrap_or_default()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn bad_counts_name_the_input_and_the_problem() {
        assert_eq!(
            errors(r#"{"inputs": [{"counts": [1, 2]}]}"#),
            [
                "inputs[0].counts: 2 values; the model has 3 genes (its gene_order), one count per gene"
            ]
        );
        assert_eq!(
            errors(r#"{"inputs": [{"counts": [1, 2, 3]}, {"counts": [1, -2, 3]}]}"#),
            ["inputs[1].counts: value 1 (-2) is negative; counts are non-negative integers"]
        );
        assert_eq!(
            errors(r#"{"inputs": [{"counts": [1, 2.5, 3]}]}"#),
            [
                "inputs[0].counts: value 1 (2.5) is not a whole number; counts are non-negative integers"
            ]
        );
        assert_eq!(
            errors(r#"{"inputs": [{"counts": [0, 0, 0]}]}"#),
            ["inputs[0].counts: every count is zero; a sample needs some expressed genes"]
        );
        assert_eq!(
            errors(r#"{"inputs": [{"counts": [0, "a", 0]}]}"#),
            ["inputs[0].counts: value 1 (\"a\") is not a number"]
        );
    }

    #[test]
    fn whole_floats_and_defaults_are_accepted() -> Result<(), Vec<FamilyQueryError>> {
        let query = parse_family_query(
            r#"{"inputs": [{"counts": [1.0, 0, 7]}], "seed": 4, "mode": "mean estimation"}"#,
            3,
            10,
            100,
        )?;
        assert_eq!(query.inputs[0].counts, [1.0, 0.0, 7.0]);
        assert_eq!(query.inputs[0].num_samples, 1);
        assert_eq!(query.seed, Some(4));
        assert_eq!(query.sampling_strategy, SamplingStrategy::MeanEstimation);
        assert_eq!(
            query.conditioning,
            [LatentGroup::Biological, LatentGroup::Technical]
        );
        assert!(!query.fixed_total_count);
        Ok(())
    }

    #[test]
    fn unknown_groups_and_fields_are_errors() {
        assert_eq!(
            errors(r#"{"inputs": [{"counts": [1, 2, 3]}], "conditioning": ["bio"]}"#),
            ["conditioning: \"bio\" is not a latent group; valid: \"biological\", \"technical\""]
        );
        assert!(errors(r#"{"inputs": [{"counts": [1, 2, 3], "cells": 2}]}"#)[0].contains("cells"));
    }
}
