//! The validated query: every value checked against the model, ids resolved to primary ids,
//! quantities in canonical units, defaults filled

use std::collections::BTreeMap;
use std::ops::Range;

use synthome_vocab::QuantityUnit;

use crate::key::MetadataKey;
use crate::strategy::SamplingStrategy;

/// A query that passed validation for one model
#[derive(Debug, Clone, PartialEq)]
pub struct ValidQuery {
    /// What to generate
    pub sampling_strategy: SamplingStrategy,
    /// The inputs, in query order
    pub inputs: Vec<ValidInput>,
    /// Library size (the model's default when the query gave none)
    pub total_count: f64,
    /// Whether to use the mean of p(z | metadata) instead of a draw (default false)
    pub deterministic_latents: bool,
    /// The query's seed; `None` lets the engine choose (and report) one
    pub seed: Option<u64>,
}

impl ValidQuery {
    /// Samples (or cells) the query asks for, over every input
    pub fn total_samples(&self) -> u64 {
        self.inputs
            .iter()
            .map(|input| u64::from(input.num_samples))
            .sum()
    }

    /// The samples `samples` (indices within the input) of input `input` alone: every other
    /// input generates none. A part's samples are numbered and seeded as in the whole query,
    /// so generating the parts in order gives the whole query's samples, which is how large
    /// jobs are written with bounded memory. An input index out of range gives a part that
    /// generates nothing.
    pub fn part(&self, input: usize, samples: Range<u32>) -> ValidQuery {
        let mut part = self.clone();
        for (index, part_input) in part.inputs.iter_mut().enumerate() {
            if index == input {
                part_input.first_sample = samples.start;
                part_input.num_samples = samples.end.saturating_sub(samples.start);
            } else {
                part_input.num_samples = 0;
            }
        }
        part
    }
}

/// One validated input
#[derive(Debug, Clone, PartialEq)]
pub struct ValidInput {
    /// The conditions the query gave (unspecified keys are for the model to fill)
    pub metadata: Conditions,
    /// Number of samples to generate: at least 1 in a checked query (a part may have none)
    pub num_samples: u32,
    /// Index within the input of the first sample to generate: 0, except in a part of the
    /// query ([`ValidQuery::part`])
    pub first_sample: u32,
}

/// Conditions by metadata key, in [`MetadataKey`] order
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Conditions(BTreeMap<MetadataKey, ConditionValue>);

/// One condition: the value as written and its canonical form
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionValue {
    /// The value as the query wrote it (echoed in outputs)
    pub given: String,
    /// The canonical value the model uses
    pub canonical: CanonicalValue,
}

/// The canonical form of a condition value
#[derive(Debug, Clone, PartialEq)]
pub enum CanonicalValue {
    /// A term's primary id (alternative ids and case variants resolved)
    Term(String),
    /// A quantity in the model's canonical unit
    Quantity {
        /// The amount
        value: f64,
        /// Its unit
        unit: QuantityUnit,
    },
    /// A plain number (age_years)
    Number(f64),
}

impl Conditions {
    /// No conditions
    pub fn new() -> Conditions {
        Conditions::default()
    }

    /// The condition on `key`, if any
    pub fn get(&self, key: MetadataKey) -> Option<&ConditionValue> {
        self.0.get(&key)
    }

    /// Sets the condition on `key` (models use this to add the values they fill in)
    pub fn insert(&mut self, key: MetadataKey, value: ConditionValue) {
        self.0.insert(key, value);
    }

    /// Whether `key` has a condition
    pub fn contains(&self, key: MetadataKey) -> bool {
        self.0.contains_key(&key)
    }

    /// The conditions in key order
    pub fn iter(&self) -> impl Iterator<Item = (MetadataKey, &ConditionValue)> {
        self.0.iter().map(|(key, value)| (*key, value))
    }

    /// Number of conditions
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no conditions
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl CanonicalValue {
    /// The term id, when the value is a term
    pub fn as_term(&self) -> Option<&str> {
        match self {
            CanonicalValue::Term(id) => Some(id),
            CanonicalValue::Quantity { .. } | CanonicalValue::Number(_) => None,
        }
    }
}
