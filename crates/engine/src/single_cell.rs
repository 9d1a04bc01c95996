//! The single-cell model (`synthome-sc-model`'s `ScModel`) as an [`Engine`].

use std::sync::Arc;

use synthome_matrix::GeneTable;
use synthome_query::{ModelTarget, ValidQuery};
use synthome_sc_model::ScModel;
use synthome_vocab::Vocabulary;

use crate::engine::{Engine, GenerateError, Generated, ModelInfo};

impl Engine for ScModel {
    fn info(&self) -> ModelInfo {
        ModelInfo::from_card(self.card())
    }

    fn genes(&self) -> Arc<GeneTable> {
        ScModel::genes(self).clone()
    }

    fn vocabulary(&self) -> &Vocabulary {
        ScModel::vocabulary(self)
    }

    fn target(&self) -> ModelTarget<'_> {
        ScModel::target(self)
    }

    fn example_query(&self) -> String {
        ScModel::example_query(self)
    }

    fn generate(
        &self,
        query: &ValidQuery,
        seed: u64,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<Generated, GenerateError> {
        let output = ScModel::generate(self, query, seed, progress)?;
        Ok(Generated {
            matrix: output.matrix,
            warnings: output.warnings,
        })
    }
}
