//! What queries for this model are validated against

use synthome_query::{ModelTarget, SINGLE_CELL_DEFAULT_TOTAL_COUNT, SamplingStrategy};

use crate::model::ScModel;

impl ScModel {
    /// The validation target: this model's vocabulary, 10,000 counts per cell by default, both
    /// sampling strategies
    pub fn target(&self) -> ModelTarget<'_> {
        ModelTarget {
            name: "single-cell model",
            vocabulary: self.vocabulary(),
            default_total_count: SINGLE_CELL_DEFAULT_TOTAL_COUNT,
            strategies: &SamplingStrategy::ALL,
        }
    }
}
