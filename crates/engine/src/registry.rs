//! The models a front end offers: decoded from bundle bytes, looked up by id or alias.

use std::sync::Arc;

use synthome_bundle::{BundleKind, container, sha256_hex};

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
    /// Decodes a bundle of either kind (bulk or single cell) into an entry: the container's
    /// `KIND` section says which model's codec reads it.
    pub fn from_bundle(name: &str, bytes: &[u8]) -> Result<ModelEntry, BundleLoadError> {
        let unreadable = |message: String| BundleLoadError {
            name: name.to_string(),
            message,
        };
        let sections = container::read(bytes).map_err(|error| unreadable(error.to_string()))?;
        let kind = sections
            .kind()
            .map_err(|error| unreadable(error.to_string()))?;
        let engine: Arc<dyn Engine> = match kind {
            BundleKind::Bulk => Arc::new(
                synthome_model::bundle::read_sections(&sections)
                    .map_err(|error| unreadable(error.to_string()))?,
            ),
            BundleKind::SingleCell => Arc::new(
                synthome_sc_model::read_sections(&sections)
                    .map_err(|error| unreadable(error.to_string()))?,
            ),
        };
        Ok(ModelEntry {
            info: engine.info(),
            bundle_sha256: sha256_hex(bytes),
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

    /// Adds `entry` last, first dropping the entry with the same id if there is one (a bundle
    /// loaded again, or one that replaces an embedded model).
    pub fn insert_or_replace(&mut self, entry: ModelEntry) {
        self.entries.retain(|known| known.info.id != entry.info.id);
        self.entries.push(entry);
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use synthome_matrix::GeneTable;
    use synthome_query::{ModelTarget, ValidQuery};
    use synthome_vocab::Vocabulary;

    use super::{ModelEntry, ModelRegistry};
    use synthome_model::GenerateOutput;

    use crate::engine::{Engine, GenerateError, ModelInfo};

    /// A model that only has an identity.
    struct Named(ModelInfo, Vocabulary);

    impl Engine for Named {
        fn info(&self) -> ModelInfo {
            self.0.clone()
        }
        fn genes(&self) -> Arc<GeneTable> {
            unimplemented!("not needed by the registry")
        }
        fn vocabulary(&self) -> &Vocabulary {
            &self.1
        }
        fn target(&self) -> ModelTarget<'_> {
            unimplemented!("not needed by the registry")
        }
        fn example_query(&self) -> String {
            String::new()
        }
        fn generate(
            &self,
            _: &ValidQuery,
            _: u64,
            _: &mut dyn FnMut(u64, u64),
        ) -> Result<GenerateOutput, GenerateError> {
            unimplemented!("not needed by the registry")
        }
        fn training_view(&self) -> crate::families::view::TrainingView {
            unimplemented!("not needed by the registry")
        }
    }

    fn entry(id: &str, sha: &str) -> ModelEntry {
        let info = ModelInfo {
            id: id.into(),
            alias: format!("alias-{id}"),
            version: "1".into(),
            summary: String::new(),
            licence: String::new(),
        };
        ModelEntry {
            info: info.clone(),
            bundle_sha256: sha.into(),
            engine: Arc::new(Named(info, Vocabulary::new())),
        }
    }

    #[test]
    fn insert_or_replace_moves_a_replaced_model_to_the_end_or_appends() {
        let mut registry = ModelRegistry::new(vec![entry("a", "1"), entry("b", "1")]);
        registry.insert_or_replace(entry("a", "2"));
        registry.insert_or_replace(entry("c", "1"));
        let listed: Vec<(&str, &str)> = registry
            .entries()
            .iter()
            .map(|entry| (entry.info.id.as_str(), entry.bundle_sha256.as_str()))
            .collect();
        assert_eq!(listed, [("b", "1"), ("a", "2"), ("c", "1")]);
        assert_eq!(
            registry.get("ALIAS-B").map(|entry| entry.info.id.as_str()),
            Ok("b")
        );
    }
}
