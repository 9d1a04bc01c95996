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

/// Adds a later part's warnings to those of the parts before it, as a single run raises them:
/// each warning once, in the order first raised. A result generated in parts (the CLI's large
/// jobs, the browser's workers) merges its parts' warnings with this.
pub fn merge_part_warnings(merged: &mut Vec<String>, part: impl IntoIterator<Item = String>) {
    for warning in part {
        if !merged.contains(&warning) {
            merged.push(warning);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_adds_only_the_warnings_not_raised_before() {
        let mut merged = vec!["a".to_string(), "b".to_string()];
        merge_part_warnings(&mut merged, ["b", "c", "a", "d"].map(String::from));
        assert_eq!(merged, ["a", "b", "c", "d"]);
    }
}
