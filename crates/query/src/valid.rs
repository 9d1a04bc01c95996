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

    /// The samples numbered `samples` over the whole query (its inputs' samples one after
    /// another, in input order): each input keeps the samples of its own that fall in the
    /// range. As with [`ValidQuery::part`], generating consecutive spans and putting their
    /// samples end to end gives the whole query's samples; this is how the browser splits a
    /// generation across workers.
    pub fn span(&self, samples: Range<u64>) -> ValidQuery {
        let mut span = self.clone();
        let mut input_start = 0u64;
        for input in &mut span.inputs {
            let input_end = input_start + u64::from(input.num_samples);
            let start = samples.start.clamp(input_start, input_end);
            let end = samples.end.clamp(start, input_end);
            // Both offsets are within the input's u32 sample count.
            input.first_sample += u32::try_from(start - input_start).unwrap_or(u32::MAX);
            input.num_samples = u32::try_from(end - start).unwrap_or(0);
            input_start = input_end;
        }
        span
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

#[cfg(test)]
mod tests {
    use super::*;

    fn query(samples: &[u32]) -> ValidQuery {
        ValidQuery {
            sampling_strategy: SamplingStrategy::SampleGeneration,
            inputs: samples
                .iter()
                .map(|&num_samples| ValidInput {
                    metadata: Conditions::default(),
                    num_samples,
                    first_sample: 0,
                })
                .collect(),
            total_count: 1e6,
            deterministic_latents: false,
            seed: Some(1),
        }
    }

    /// Each input's `(first_sample, num_samples)`.
    fn shares(query: &ValidQuery) -> Vec<(u32, u32)> {
        query
            .inputs
            .iter()
            .map(|input| (input.first_sample, input.num_samples))
            .collect()
    }

    #[test]
    fn spans_cut_across_inputs_and_put_together_give_every_sample_once() {
        let whole = query(&[4, 5, 0, 2]);
        assert_eq!(shares(&whole.span(0..3)), [(0, 3), (0, 0), (0, 0), (0, 0)]);
        assert_eq!(shares(&whole.span(3..7)), [(3, 1), (0, 3), (0, 0), (0, 0)]);
        assert_eq!(shares(&whole.span(7..11)), [(4, 0), (3, 2), (0, 0), (0, 2)]);
        // Past the end: nothing; the whole range: the query itself
        assert_eq!(whole.span(11..20).total_samples(), 0);
        assert_eq!(whole.span(0..11), whole);
        let pieces: u64 = [0..3, 3..7, 7..11]
            .into_iter()
            .map(|range| whole.span(range).total_samples())
            .sum();
        assert_eq!(pieces, whole.total_samples());
    }

    #[test]
    fn a_span_of_a_part_counts_from_the_part() {
        let part = query(&[10, 6]).part(1, 2..6);
        assert_eq!(shares(&part.span(1..3)), [(0, 0), (3, 2)]);
    }
}
