//! The bulk model (`synthome-model`'s `BulkModel`) as an [`Engine`].

use std::sync::Arc;

use synthome_matrix::GeneTable;
use synthome_model::BulkModel;
use synthome_query::{BULK_DEFAULT_TOTAL_COUNT, ModelTarget, SamplingStrategy, ValidQuery};
use synthome_vocab::Vocabulary;

use crate::engine::{Engine, GenerateError, Generated, ModelInfo};

impl Engine for BulkModel {
    fn info(&self) -> ModelInfo {
        ModelInfo::from_card(self.card())
    }

    fn genes(&self) -> Arc<GeneTable> {
        BulkModel::genes(self).clone()
    }

    fn vocabulary(&self) -> &Vocabulary {
        BulkModel::vocabulary(self)
    }

    fn target(&self) -> ModelTarget<'_> {
        ModelTarget {
            name: "bulk model",
            vocabulary: BulkModel::vocabulary(self),
            default_total_count: BULK_DEFAULT_TOTAL_COUNT,
            strategies: &SamplingStrategy::ALL,
        }
    }

    fn example_query(&self) -> String {
        BulkModel::example_query(self)
    }

    fn generate(
        &self,
        query: &ValidQuery,
        seed: u64,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<Generated, GenerateError> {
        let output = BulkModel::generate(self, query, seed, progress)?;
        Ok(Generated {
            matrix: output.matrix,
            warnings: output.warnings,
        })
    }
}
