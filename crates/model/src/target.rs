//! What queries for this model are validated against

use synthome_query::{BULK_DEFAULT_TOTAL_COUNT, ModelTarget, SamplingStrategy};

use crate::model::BulkModel;

impl BulkModel {
    /// The validation target: this model's vocabulary, 10,000,000 counts per sample by default,
    /// both sampling strategies
    pub fn target(&self) -> ModelTarget<'_> {
        ModelTarget {
            name: "bulk model",
            vocabulary: self.vocabulary(),
            default_total_count: BULK_DEFAULT_TOTAL_COUNT,
            strategies: &SamplingStrategy::ALL,
        }
    }
}
