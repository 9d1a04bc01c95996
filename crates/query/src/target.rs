//! What a query is validated against: size limits and the model it is for

use synthome_vocab::Vocabulary;

use crate::strategy::SamplingStrategy;

/// Default `total_count` of bulk models (library size)
pub const BULK_DEFAULT_TOTAL_COUNT: f64 = 1e7;
/// Default `total_count` of single-cell models (counts per cell)
pub const SINGLE_CELL_DEFAULT_TOTAL_COUNT: f64 = 1e4;

/// Size limits that keep validation and generation bounded
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most inputs in one query
    pub max_inputs: usize,
    /// Most samples one input may ask for
    pub max_samples_per_input: u32,
    /// Most samples all inputs together may ask for
    pub max_total_samples: u64,
    /// Largest query text, in bytes, checked before parsing
    pub max_query_bytes: usize,
    /// Validation stops after this many problems (suggestions cost time)
    pub max_errors: usize,
}

impl Default for Limits {
    /// 1,000 inputs, 10,000 samples per input, 100,000 in all, 10 MB, 100 errors
    fn default() -> Limits {
        Limits {
            max_inputs: 1_000,
            max_samples_per_input: 10_000,
            max_total_samples: 100_000,
            max_query_bytes: 10 * 1024 * 1024,
            max_errors: 100,
        }
    }
}

/// The model a query is validated for
#[derive(Debug, Clone, Copy)]
pub struct ModelTarget<'a> {
    /// Display name used in messages ("bulk model")
    pub name: &'a str,
    /// The values the model accepts per key
    pub vocabulary: &'a Vocabulary,
    /// `total_count` used when the query gives none
    pub default_total_count: f64,
    /// The sampling strategies the model can run
    pub strategies: &'a [SamplingStrategy],
}
