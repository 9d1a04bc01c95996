//! `synthome models`: the embedded models.

use crate::args::ModelsArgs;
use crate::serve::shapes::models_document;
use synthome_engine::ModelRegistry;

/// Prints the models as a table, or as the `GET /api/models` JSON.
pub fn run(registry: &ModelRegistry, args: &ModelsArgs) -> anyhow::Result<()> {
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&models_document(registry))?
        );
        return Ok(());
    }
    println!("id\talias\tversion\tbundle_sha256\tsummary");
    for entry in registry.entries() {
        let info = &entry.info;
        println!(
            "{}\t{}\t{}\t{}\t{}",
            info.id,
            info.alias,
            info.version,
            entry.bundle_sha256,
            info.summary.replace(['\t', '\n'], " ")
        );
    }
    Ok(())
}
