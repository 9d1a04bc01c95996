//! What every front end needs from a model, whichever kind it is (bulk, single cell).

use std::sync::Arc;

use synthome_bundle::ModelCard;
use synthome_matrix::GeneTable;
use synthome_model::GenerateOutput;
use synthome_query::{ModelTarget, ValidQuery};
use synthome_vocab::Vocabulary;

/// Identity of a model, as model lists and cards show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelInfo {
    /// The model id (`synthome-bulk-v1`).
    pub id: String,
    /// The alias accepted everywhere (`gem-1-bulk`).
    pub alias: String,
    /// The model version.
    pub version: String,
    /// One paragraph about the model.
    pub summary: String,
    /// Licence of the model's parameters.
    pub licence: String,
}

impl ModelInfo {
    /// The identity a model card states.
    pub fn from_card(card: &ModelCard) -> ModelInfo {
        ModelInfo {
            id: card.id.clone(),
            alias: card.alias.clone(),
            version: card.version.clone(),
            summary: card.summary.clone(),
            licence: card.licence.clone(),
        }
    }
}

/// A model that can be listed, validated for and generated from.
pub trait Engine: Send + Sync {
    /// Id, alias, version, summary, licence.
    fn info(&self) -> ModelInfo;
    /// The genes of every result, in column order.
    fn genes(&self) -> Arc<GeneTable>;
    /// The values the model accepts, per metadata key.
    fn vocabulary(&self) -> &Vocabulary;
    /// What queries are validated against.
    fn target(&self) -> ModelTarget<'_>;
    /// A query valid for this model, as JSON text.
    fn example_query(&self) -> String;
    /// Generates a validated query with `seed`; `progress(done, total)` after each sample.
    fn generate(
        &self,
        query: &ValidQuery,
        seed: u64,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<GenerateOutput, GenerateError>;
    /// What the model families read from the model: training conditions, latent factors,
    /// dispersion
    fn training_view(&self) -> crate::families::view::TrainingView;
}

/// Why a model could not generate a validated query (each model's own reason, its message
/// unchanged)
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GenerateError {
    /// The bulk model could not generate it (no such context, result too large, ...)
    #[error(transparent)]
    Bulk(#[from] synthome_model::GenerateError),
    /// The single-cell model could not generate it (no such cells, too many dense values, ...)
    #[error(transparent)]
    SingleCell(#[from] synthome_sc_model::GenerateError),
}
