//! The model bundles embedded in the binary (see `build.rs`), plus any given with `--bundle`.

use std::path::PathBuf;

use anyhow::Context;
use synthome_engine::{ModelEntry, ModelRegistry};

include!(concat!(env!("OUT_DIR"), "/embedded_bundles.rs"));

/// Decodes every embedded bundle, then the extra bundle files; an extra bundle with the id of
/// an embedded one replaces it.
pub fn registry(extra: &[PathBuf]) -> anyhow::Result<ModelRegistry> {
    let mut entries: Vec<ModelEntry> = Vec::new();
    for (name, bytes) in EMBEDDED_BUNDLES {
        // A bundle this build cannot read (a model kind the engine does not know yet) is
        // reported, not fatal: the other models stay usable.
        match ModelEntry::from_bulk_bundle(name, bytes) {
            Ok(entry) => entries.push(entry),
            Err(error) => eprintln!("synthome: warning: skipping an embedded model: {error}"),
        }
    }
    for path in extra {
        let bytes = std::fs::read(path)
            .with_context(|| format!("could not read the bundle {}", path.display()))?;
        let entry = ModelEntry::from_bulk_bundle(&path.display().to_string(), &bytes)?;
        entries.retain(|existing| existing.info.id != entry.info.id);
        entries.push(entry);
    }
    Ok(ModelRegistry::new(entries))
}
