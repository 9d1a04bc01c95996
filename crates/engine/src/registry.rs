//! The models a front end offers: decoded from bundle bytes, looked up by id or alias.

use std::sync::Arc;

use crate::engine::{Engine, ModelInfo};

/// One registered model.
#[derive(Clone)]
pub struct ModelEntry {
    /// Identity.
    pub info: ModelInfo,
    /// Lower-case hex sha256 of the bundle bytes.
    pub bundle_sha256: String,
    /// The model.
    pub engine: Arc<dyn Engine>,
}

impl ModelEntry {
    /// Decodes a bundle of either kind (bulk or single cell) into an entry.
    ///
    /// Both kinds share the container format; a bundle that is neither says why for each.
    pub fn from_bundle(name: &str, bytes: &[u8]) -> Result<ModelEntry, BundleLoadError> {
        let engine: Arc<dyn Engine> = match synthome_bundle::read(bytes) {
            Ok(bulk) => Arc::new(bulk),
            Err(bulk_error) => match synthome_sc_model::read(bytes) {
                Ok(single_cell) => Arc::new(single_cell),
                Err(single_cell_error) => {
                    return Err(BundleLoadError {
                        name: name.to_string(),
                        message: format!(
                            "not a bulk bundle ({bulk_error}) nor a single-cell bundle ({single_cell_error})"
                        ),
                    });
                }
            },
        };
        Ok(ModelEntry {
            info: engine.info(),
            bundle_sha256: synthome_bundle::sha256_hex(bytes),
            engine,
        })
    }
}

/// A bundle that could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the model bundle {name} is unreadable: {message}")]
pub struct BundleLoadError {
    /// The bundle's name (file name or URL).
    pub name: String,
    /// What is wrong with it.
    pub message: String,
}

/// The models, in a fixed order.
#[derive(Clone, Default)]
pub struct ModelRegistry {
    entries: Vec<ModelEntry>,
}

/// A model id or alias that no registered model has.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown model {given:?}; available models: {available}")]
pub struct UnknownModel {
    /// What was asked for.
    pub given: String,
    /// The ids and aliases there are, joined by commas (or "none").
    pub available: String,
}

impl ModelRegistry {
    /// A registry of these models.
    pub fn new(entries: Vec<ModelEntry>) -> Self {
        Self { entries }
    }

    /// Every model.
    pub fn entries(&self) -> &[ModelEntry] {
        &self.entries
    }

    /// The model with this id or alias (ASCII case-insensitive).
    pub fn get(&self, id_or_alias: &str) -> Result<&ModelEntry, UnknownModel> {
        let wanted = id_or_alias.trim();
        self.entries
            .iter()
            .find(|entry| {
                entry.info.id.eq_ignore_ascii_case(wanted)
                    || entry.info.alias.eq_ignore_ascii_case(wanted)
            })
            .ok_or_else(|| UnknownModel {
                given: id_or_alias.to_string(),
                available: self.available(),
            })
    }

    fn available(&self) -> String {
        if self.entries.is_empty() {
            return "none (built without model bundles in public/models)".into();
        }
        self.entries
            .iter()
            .map(|entry| format!("{} (alias {})", entry.info.id, entry.info.alias))
            .collect::<Vec<_>>()
            .join(", ")
    }
}
