//! The bundle: round trip, determinism and precise errors for damaged bytes

mod common;

use common::{model, params, query};
use synthome_bundle::container::{self, ContainerError, Writer};
use synthome_bundle::{BundleKind, KIND_TAG};
use synthome_sc_model::{BundleError, read, write};

fn read_ok(bytes: &[u8]) -> synthome_sc_model::ScModel {
    read(bytes).unwrap_or_else(|error| panic!("{error}"))
}

#[test]
fn round_trip_keeps_the_model_and_the_bytes() {
    let bytes = write(&params(true));
    assert_eq!(bytes, write(&params(true)), "writing must be deterministic");
    let model = read_ok(&bytes);
    assert_eq!(
        write(model.params()),
        bytes,
        "read then write must give the same bytes"
    );
    assert_eq!(model.card().id, "synthome-sc-v1");
    assert_eq!(model.params().groups[1].n_cells, 200);
    let original = common::model(true);
    for (a, b) in model.params().groups.iter().zip(&original.params().groups) {
        for (x, y) in a.log_profile.iter().zip(&b.log_profile) {
            assert!((x - y).abs() <= 0.0005, "profile {x} vs {y}");
        }
    }
    let dispersion = model.params().cell_types[0].dispersion[3];
    assert!(
        (dispersion / 0.3 - 1.0).abs() < 0.001,
        "dispersion {dispersion}"
    );
    let json = r#"{"sampling_strategy": "sample generation", "inputs": [{"metadata": {}, "num_samples": 20}]}"#;
    let a = model.generate(&query(&model, json), 4, &mut |_, _| {});
    let b = read_ok(&bytes).generate(&query(&model, json), 4, &mut |_, _| {});
    assert_eq!(
        a.map(|o| o.matrix.values().clone()).ok(),
        b.map(|o| o.matrix.values().clone()).ok()
    );
}

#[test]
fn damaged_bytes_give_precise_errors() {
    let bytes = write(&params(false));
    let mut wrong_magic = bytes.clone();
    wrong_magic[0] = b'X';
    assert!(matches!(
        read(&wrong_magic),
        Err(BundleError::Container(ContainerError::BadMagic { .. }))
    ));
    assert!(matches!(
        read(&bytes[..5]),
        Err(BundleError::Container(ContainerError::Truncated { .. }))
    ));
    assert!(matches!(
        read(&bytes[..bytes.len() - 40]),
        Err(BundleError::Container(ContainerError::Truncated { .. }))
    ));
    let mut flipped = bytes.clone();
    let middle = bytes.len() / 2;
    flipped[middle] ^= 1;
    assert!(matches!(
        read(&flipped),
        Err(BundleError::Container(ContainerError::Checksum { .. }))
    ));
    let mut version = bytes.clone();
    version[8] = 9;
    let error = read(&version)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        error.contains("bundle format version 9 is not supported"),
        "{error}"
    );
}

/// The bundle of `params(false)` with each section passed through `edit` (the checksum still
/// holds)
fn rebuilt(edit: impl Fn(&[u8; 4], &[u8]) -> ([u8; 4], Vec<u8>)) -> Vec<u8> {
    let bytes = write(&params(false));
    let sections = container::read(&bytes).unwrap_or_else(|error| panic!("{error}"));
    let mut writer = Writer::new();
    for (tag, content) in sections.iter() {
        let (tag, content) = edit(&tag, content);
        writer.section(&tag, content);
    }
    writer.finish()
}

#[test]
fn a_bundle_without_single_cell_sections_is_named_as_such() {
    // rebuild the container with the SCMD tag renamed, so the checksum still holds
    let bytes = write(&params(false));
    let mut writer = Writer::new();
    for (tag, content) in container::read(&bytes)
        .unwrap_or_else(|error| panic!("{error}"))
        .iter()
    {
        writer.section(
            if &tag == b"SCMD" { b"CTXS" } else { &tag },
            content.to_vec(),
        );
    }
    let error = read(&writer.finish())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert_eq!(error, "the bundle has no \"SCMD\" section");
    let _ = model(false);
}

#[test]
fn a_bundle_of_another_kind_is_named_as_such() {
    // the same sections behind a bulk KIND: the kind is checked before any section
    let bytes = write(&params(false));
    let mut writer = Writer::new();
    for (tag, content) in container::read(&bytes)
        .unwrap_or_else(|error| panic!("{error}"))
        .iter()
    {
        if &tag == KIND_TAG {
            writer.section(KIND_TAG, BundleKind::Bulk.section());
        } else {
            writer.section(&tag, content.to_vec());
        }
    }
    let error = read(&writer.finish()).err();
    assert_eq!(
        error.as_ref().map(ToString::to_string).as_deref(),
        Some("this is a bulk bundle, not a single-cell bundle")
    );
    assert_eq!(
        error,
        Some(BundleError::Container(ContainerError::WrongKind {
            expected: BundleKind::SingleCell,
            found: BundleKind::Bulk
        }))
    );
}

#[test]
fn a_newer_single_cell_section_version_is_named() {
    let newer = rebuilt(|tag, content| {
        let mut content = content.to_vec();
        if tag == b"SCMD" {
            content[..4].copy_from_slice(&3u32.to_le_bytes());
        }
        (*tag, content)
    });
    assert_eq!(
        read(&newer).err(),
        Some(BundleError::UnsupportedVersion {
            model: "single-cell",
            found: 3,
            supported: synthome_sc_model::SC_FORMAT_VERSION
        })
    );
}

#[test]
fn atlas_profiles_and_the_dispersion_trend_round_trip() {
    let params = common::params_with_atlas();
    let bytes = write(&params);
    let model = read_ok(&bytes);
    assert_eq!(write(model.params()), bytes);
    assert_eq!(model.params().atlas, params.atlas);
    assert_eq!(model.params().dispersion_trend, params.dispersion_trend);
    assert!(model.params().cell_types[2].dispersion.is_empty());
    let original =
        synthome_sc_model::ScModel::new(params).unwrap_or_else(|error| panic!("{error}"));
    for group in [4, 5] {
        assert_eq!(
            model.group_proportions(group),
            original.group_proportions(group)
        );
    }
}
