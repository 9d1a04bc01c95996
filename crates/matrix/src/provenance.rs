//! Provenance: which model, bundle, query and seed produced a result.

/// Where a result came from; every output format embeds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// The model id (`synthome-bulk-v1`), never an alias.
    pub model_id: String,
    /// The model version (`1.0.0`).
    pub model_version: String,
    /// Lower-case hex sha256 of the bundle bytes.
    pub bundle_sha256: String,
    /// The query as JSON text, as it was run (with the seed used).
    pub query_json: String,
    /// The seed used.
    pub seed: u64,
    /// The sampling strategy (`sample generation` or `mean estimation`).
    pub sampling_strategy: String,
    /// Warnings raised while generating, in the order they were raised.
    pub warnings: Vec<String>,
}
