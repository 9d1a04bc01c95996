//! The bundles committed under `public/models/`: the container and the bulk reader read them,
//! and writing what was read gives the same bytes (the format has not drifted). Skipped, with a
//! message, where a file is absent.

use synthome_bundle::container::{self, Writer};
use synthome_bundle::{BundleError, read, write};

/// The bytes of `public/models/<name>`, or `None` (said on stderr) when the file is absent
fn committed(name: &str) -> Option<Vec<u8>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../public/models")
        .join(name);
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(error) => {
            eprintln!("skipped: {} cannot be read ({error})", path.display());
            None
        }
    }
}

#[test]
fn both_committed_bundles_are_containers_that_rewrite_to_the_same_bytes() {
    for name in ["synthome-bulk-v1.bundle", "synthome-sc-v1.bundle"] {
        let Some(bytes) = committed(name) else {
            continue;
        };
        let sections = container::read(&bytes).unwrap_or_else(|error| panic!("{name}: {error}"));
        let mut writer = Writer::new();
        for (tag, content) in sections.iter() {
            writer.section(&tag, content.to_vec());
        }
        assert!(
            writer.finish() == bytes,
            "{name}: the container rewrites differently"
        );
    }
}

#[test]
fn the_committed_bulk_bundle_reads_and_writes_back_to_the_same_bytes() {
    let Some(bytes) = committed("synthome-bulk-v1.bundle") else {
        return;
    };
    let model = read(&bytes).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(model.params().card.id, "synthome-bulk-v1");
    let rewritten = write(model.params());
    assert_eq!(rewritten.len(), bytes.len());
    assert!(rewritten == bytes, "read then write changed the bytes");
}

#[test]
fn the_committed_single_cell_bundle_is_not_a_bulk_bundle() {
    let Some(bytes) = committed("synthome-sc-v1.bundle") else {
        return;
    };
    assert_eq!(
        read(&bytes).err(),
        Some(BundleError::MissingSection("CTXS".into()))
    );
}
