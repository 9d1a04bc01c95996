//! The model card every bundle carries in its `CARD` section

/// Identity and description of a model (what `synthome models` and the app show)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelCard {
    /// The model id (`synthome-bulk-v1`)
    pub id: String,
    /// The alias accepted everywhere (`gem-1-bulk`)
    pub alias: String,
    /// The model version (`1.0.0`)
    pub version: String,
    /// One paragraph: what the model is, what it was built from, what it cannot do
    pub summary: String,
    /// Licence of the model's parameters (derived data inherit the sources' terms)
    pub licence: String,
}
