//! The bundles committed under `public/models/`: each is a container whose `KIND` names its
//! model, each model's codec reads it and writes it back to the same bytes (the format has not
//! drifted), the other model's codec refuses it, and the registry loads it. Skipped, with a
//! message, where a file is absent.

use synthome_bundle::BundleKind;
use synthome_bundle::container::{self, ContainerError, Writer};
use synthome_engine::ModelEntry;

/// The committed bundles and the kind each holds
const COMMITTED: [(&str, BundleKind); 2] = [
    ("synthome-bulk-v1.bundle", BundleKind::Bulk),
    ("synthome-sc-v1.bundle", BundleKind::SingleCell),
];

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
    for (name, kind) in COMMITTED {
        let Some(bytes) = committed(name) else {
            continue;
        };
        let sections = container::read(&bytes).unwrap_or_else(|error| panic!("{name}: {error}"));
        assert_eq!(sections.kind(), Ok(kind), "{name}");
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
    let model = synthome_model::bundle::read(&bytes).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(model.params().card.id, "synthome-bulk-v1");
    let rewritten = synthome_model::bundle::write_with_states(model.params(), model.states());
    assert_eq!(rewritten.len(), bytes.len());
    assert!(rewritten == bytes, "read then write changed the bytes");
}

#[test]
fn the_committed_single_cell_bundle_reads_and_writes_back_to_the_same_bytes() {
    let Some(bytes) = committed("synthome-sc-v1.bundle") else {
        return;
    };
    let model = synthome_sc_model::read(&bytes).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(model.card().id, "synthome-sc-v1");
    let rewritten = synthome_sc_model::write(model.params());
    assert_eq!(rewritten.len(), bytes.len());
    assert!(rewritten == bytes, "read then write changed the bytes");
}

#[test]
fn each_committed_bundle_is_refused_by_the_other_model() {
    if let Some(bytes) = committed("synthome-sc-v1.bundle") {
        assert_eq!(
            synthome_model::bundle::read(&bytes).err(),
            Some(synthome_model::bundle::BundleError::Container(
                ContainerError::WrongKind {
                    expected: BundleKind::Bulk,
                    found: BundleKind::SingleCell
                }
            ))
        );
    }
    if let Some(bytes) = committed("synthome-bulk-v1.bundle") {
        assert_eq!(
            synthome_sc_model::read(&bytes).err(),
            Some(synthome_sc_model::BundleError::Container(
                ContainerError::WrongKind {
                    expected: BundleKind::SingleCell,
                    found: BundleKind::Bulk
                }
            ))
        );
    }
}

#[test]
fn the_registry_loads_each_committed_bundle_by_its_kind() {
    for (name, kind) in COMMITTED {
        let Some(bytes) = committed(name) else {
            continue;
        };
        let entry = ModelEntry::from_bundle(name, &bytes).unwrap_or_else(|error| panic!("{error}"));
        let expected_id = match kind {
            BundleKind::Bulk => synthome_model::BULK_MODEL_ID,
            BundleKind::SingleCell => synthome_sc_model::SC_MODEL_ID,
        };
        assert_eq!(entry.info.id, expected_id);
        assert_eq!(entry.bundle_sha256, synthome_bundle::sha256_hex(&bytes));
    }
}

#[test]
fn the_committed_models_say_which_diseases_and_cell_types_each_tissue_has() {
    use synthome_engine::values_by_tissue;
    use synthome_query::MetadataKey;
    let has = |list: &[synthome_engine::TissueValues], tissue: &str, value: &str| {
        list.iter()
            .any(|entry| entry.tissue == tissue && entry.values.iter().any(|v| v == value))
    };
    if let Some(bytes) = committed("synthome-bulk-v1.bundle") {
        let entry = ModelEntry::from_bundle("bulk", &bytes).unwrap_or_else(|e| panic!("{e}"));
        let diseases = values_by_tissue(
            &entry.engine.training_view().classes,
            MetadataKey::DiseaseOntologyId,
            &["PATO:0000461"],
        );
        assert!(
            has(&diseases, "UBERON:0002048", "MONDO:0005061"),
            "LUAD on lung"
        );
        assert!(
            has(&diseases, "UBERON:0000178", "MONDO:0100096"),
            "COVID-19 in blood"
        );
        assert!(
            !has(&diseases, "UBERON:0002048", "MONDO:0100096"),
            "COVID-19 is not on lung"
        );
        assert!(
            diseases
                .iter()
                .all(|entry| !entry.values.contains(&"PATO:0000461".into()))
        );
        let mut tissues: Vec<&str> = diseases.iter().map(|entry| entry.tissue.as_str()).collect();
        let before = tissues.len();
        tissues.dedup();
        assert_eq!(tissues.len(), before, "one entry per tissue");
    }
    if let Some(bytes) = committed("synthome-sc-v1.bundle") {
        let entry = ModelEntry::from_bundle("sc", &bytes).unwrap_or_else(|e| panic!("{e}"));
        let types = values_by_tissue(
            &entry.engine.training_view().classes,
            MetadataKey::CellTypeOntologyId,
            &[],
        );
        assert!(
            has(&types, "UBERON:0000178", "CL:0000236"),
            "B cells in blood"
        );
        assert!(
            has(&types, "UBERON:0002048", "CL:0002063"),
            "alveolar type 2 cells in lung"
        );
        assert!(types.len() >= 15, "{} tissues", types.len());
        let distinct: std::collections::BTreeSet<&String> =
            types.iter().flat_map(|entry| &entry.values).collect();
        assert!(distinct.len() >= 150, "{} cell types", distinct.len());
    }
}
