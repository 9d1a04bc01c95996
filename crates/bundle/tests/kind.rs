//! The `KIND` section: every kind round-trips, and an absent, unknown or unexpected kind is
//! named

use synthome_bundle::container::{self, ContainerError, FieldWriter, Writer};
use synthome_bundle::{BundleKind, KIND_TAG, kind};

/// A container with only a `KIND` section of `content`
fn with_kind(content: Vec<u8>) -> Vec<u8> {
    let mut writer = Writer::new();
    writer.section(KIND_TAG, content);
    writer.finish()
}

#[test]
fn every_kind_is_read_back() {
    for expected in BundleKind::ALL {
        assert_eq!(kind(&with_kind(expected.section())), Ok(expected));
    }
}

#[test]
fn the_kind_is_stored_as_its_name() {
    let mut name = FieldWriter::default();
    name.str("single-cell");
    assert_eq!(BundleKind::SingleCell.section(), name.into_bytes());
    assert_eq!(BundleKind::Bulk.to_string(), "bulk");
}

#[test]
fn a_container_without_a_kind_says_to_rebuild() {
    let mut writer = Writer::new();
    writer.section(b"CARD", Vec::new());
    let error = kind(&writer.finish()).expect_err("no kind");
    assert_eq!(error, ContainerError::MissingKind);
    assert!(
        error.to_string().contains("synthome build-model"),
        "{error}"
    );
}

#[test]
fn an_unknown_kind_is_named() {
    let mut name = FieldWriter::default();
    name.str("spatial");
    assert_eq!(
        kind(&with_kind(name.into_bytes())),
        Err(ContainerError::UnknownKind {
            found: "spatial".into()
        })
    );
}

#[test]
fn an_unexpected_kind_is_a_mismatch() {
    let bytes = with_kind(BundleKind::Bulk.section());
    let sections = container::read(&bytes).expect("a container");
    assert_eq!(sections.expect_kind(BundleKind::Bulk), Ok(()));
    assert_eq!(
        sections.expect_kind(BundleKind::SingleCell),
        Err(ContainerError::WrongKind {
            expected: BundleKind::SingleCell,
            found: BundleKind::Bulk
        })
    );
}
