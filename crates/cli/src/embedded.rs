//! The model bundles embedded in the binary (see `build.rs`), plus any given with `--bundle`.

use std::path::PathBuf;

use anyhow::Context;
use synthome_engine::{ModelEntry, ModelRegistry};

include!(concat!(env!("OUT_DIR"), "/embedded_bundles.rs"));

/// Decodes the extra bundle files, then every embedded bundle whose model they do not replace.
///
/// Embedded bundles are named `<model id>.bundle`, so a replaced one is never decoded (decoding
/// a genome-wide bundle costs time in debug builds).
pub fn registry(extra: &[PathBuf]) -> anyhow::Result<ModelRegistry> {
    let mut extras = ModelRegistry::default();
    for path in extra {
        let bytes = std::fs::read(path)
            .with_context(|| format!("could not read the bundle {}", path.display()))?;
        extras.insert_or_replace(ModelEntry::from_bundle(
            &path.display().to_string(),
            &bytes,
        )?);
    }
    let mut registry = ModelRegistry::default();
    for (name, bytes) in EMBEDDED_BUNDLES {
        let replaced = extras
            .entries()
            .iter()
            .any(|entry| name.strip_suffix(".bundle") == Some(entry.info.id.as_str()));
        if replaced {
            continue;
        }
        // A bundle this build cannot read (a model kind the engine does not know yet) is
        // reported, not fatal: the other models stay usable.
        match ModelEntry::from_bundle(name, bytes) {
            Ok(entry) => registry.insert_or_replace(entry),
            Err(error) => eprintln!("synthome: warning: skipping an embedded model: {error}"),
        }
    }
    for entry in extras.entries() {
        registry.insert_or_replace(entry.clone());
    }
    Ok(registry)
}
