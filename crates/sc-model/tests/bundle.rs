//! The bundle: round trip, determinism and precise errors for damaged bytes

mod common;

use common::{model, params, query};
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
        Err(BundleError::BadMagic { .. })
    ));
    assert!(matches!(
        read(&bytes[..5]),
        Err(BundleError::Truncated { .. })
    ));
    assert!(matches!(
        read(&bytes[..bytes.len() - 40]),
        Err(BundleError::Truncated { .. })
    ));
    let mut flipped = bytes.clone();
    let middle = bytes.len() / 2;
    flipped[middle] ^= 1;
    assert!(matches!(read(&flipped), Err(BundleError::Checksum { .. })));
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

#[test]
fn a_bundle_without_single_cell_sections_is_named_as_such() {
    // rebuild the container with the SCMD tag renamed, so the checksum still holds
    let bytes = write(&params(false));
    let mut renamed = bytes[..bytes.len() - 32].to_vec();
    let n_sections =
        u32::from_le_bytes([renamed[12], renamed[13], renamed[14], renamed[15]]) as usize;
    for index in 0..n_sections {
        let at = 16 + index * 20;
        if &renamed[at..at + 4] == b"SCMD" {
            renamed[at..at + 4].copy_from_slice(b"CTXS");
        }
    }
    use sha2::Digest;
    let digest = sha2::Sha256::digest(&renamed);
    renamed.extend_from_slice(&digest);
    let error = read(&renamed)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(error.contains("no \"SCMD\" section"), "{error}");
    assert!(error.contains("single-cell bundle"), "{error}");
    let _ = model(false);
}
