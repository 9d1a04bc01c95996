//! The models of the family as [`Engine`]s: `synthome-model`'s `BulkModel` and
//! `synthome-sc-model`'s `ScModel`, whose own methods have the engine's names.

use std::sync::Arc;

use synthome_matrix::GeneTable;
use synthome_model::{BulkModel, GenerateOutput};
use synthome_query::{ModelTarget, ValidQuery};
use synthome_sc_model::ScModel;
use synthome_vocab::Vocabulary;

use crate::engine::{Engine, GenerateError, ModelInfo};

/// Implements [`Engine`] for a model type by calling its methods of the same names
macro_rules! model_engine {
    ($model:ty) => {
        impl Engine for $model {
            fn info(&self) -> ModelInfo {
                ModelInfo::from_card(self.card())
            }

            fn genes(&self) -> Arc<GeneTable> {
                <$model>::genes(self).clone()
            }

            fn vocabulary(&self) -> &Vocabulary {
                <$model>::vocabulary(self)
            }

            fn target(&self) -> ModelTarget<'_> {
                <$model>::target(self)
            }

            fn example_query(&self) -> String {
                <$model>::example_query(self)
            }

            fn generate(
                &self,
                query: &ValidQuery,
                seed: u64,
                progress: &mut dyn FnMut(u64, u64),
            ) -> Result<GenerateOutput, GenerateError> {
                Ok(<$model>::generate(self, query, seed, progress)?)
            }

            fn training_view(&self) -> crate::families::view::TrainingView {
                crate::families::view::FamilySource::training_view(self)
            }
        }
    };
}

model_engine!(BulkModel);
model_engine!(ScModel);
