//! The bulk bundle codec: round trip, determinism and every loader error on a small hand-made
//! model

use synthome_bundle::container::{self, ContainerError, Writer};
use synthome_bundle::{BundleKind, FORMAT_VERSION, KIND_TAG, MAGIC, sha256_hex};
use synthome_matrix::GeneTable;
use synthome_model::bundle::{BundleError, read, write};
use synthome_model::{
    AppliedPerturbation, BulkParams, Context, Latent, ModelCard, Noise, Perturbation,
    PerturbationKind, ProfileSex, Response, TrainingCondition,
};
use synthome_query::MetadataKey;
use synthome_vocab::{KeyDomain, Term, TermIndex, Vocabulary};

const N_GENES: usize = 12;

fn params() -> BulkParams {
    let ids = (0..N_GENES).map(|g| format!("ENSG{:011}", g + 1)).collect();
    let symbols = (0..N_GENES).map(|g| format!("G{g}")).collect();
    let mut vocabulary = Vocabulary::new();
    let tissues = TermIndex::new(vec![Term::new("UBERON:0002107", "liver")]).expect("terms");
    vocabulary
        .insert("tissue_ontology_id", KeyDomain::Terms(tissues))
        .expect("insert");
    BulkParams {
        card: ModelCard {
            id: "synthome-bulk-v1".into(),
            alias: "gem-1-bulk".into(),
            version: "1.0.0".into(),
            summary: "a test model".into(),
            licence: "CC BY-SA 4.0".into(),
        },
        genes: GeneTable::new(ids, symbols).expect("genes"),
        vocabulary,
        contexts: vec![
            Context {
                name: "liver".into(),
                log_cpm: (0..N_GENES).map(|g| g as f32 * 0.37 - 2.0).collect(),
                profile_sex: ProfileSex::Mixed,
            },
            Context {
                name: "K562".into(),
                log_cpm: (0..N_GENES).map(|g| 5.0 - g as f32 * 0.11).collect(),
                profile_sex: ProfileSex::Female,
            },
        ],
        conditions: vec![
            TrainingCondition {
                context: 0,
                fields: vec![(MetadataKey::TissueOntologyId, "UBERON:0002107".into())],
                perturbation: None,
                weight: 1.0,
            },
            TrainingCondition {
                context: 1,
                fields: vec![(MetadataKey::PerturbationDose, "1 um".into())],
                perturbation: Some(AppliedPerturbation {
                    index: 0,
                    dose_um: Some(1.0),
                    time_hours: None,
                }),
                weight: 3.5,
            },
        ],
        sex_effect: (0..N_GENES)
            .map(|g| if g == 2 { 3.25 } else { 0.0 })
            .collect(),
        latent: Latent {
            n_factors: 2,
            loadings: (0..2 * N_GENES)
                .map(|i| (i as f32 * 0.731).sin() * 0.2)
                .collect(),
        },
        noise: Noise {
            technical: 0.03,
            technical_low_count: 0.5,
            biological: vec![0.02; N_GENES],
        },
        perturbations: vec![Perturbation {
            id: "CHEMBL941".into(),
            kind: PerturbationKind::Compound,
            measured_in: Some(1),
            source: "plate".into(),
            responses: vec![Response {
                dose_um: Some(1.0),
                time_hours: None,
                genes: vec![1, 4, 9],
                log_fold_changes: vec![-1.5, 0.25, 2.0],
            }],
        }],
    }
}

#[test]
fn round_trip_keeps_every_parameter_within_the_stored_precision() {
    let original = params();
    let bytes = write(&original);
    let model = read(&bytes).expect("reads");
    let loaded = model.params();
    assert_eq!(loaded.card, original.card);
    assert_eq!(loaded.genes, original.genes);
    assert_eq!(loaded.conditions, original.conditions);
    assert_eq!(loaded.sex_effect, original.sex_effect);
    // Loadings are stored in steps of 2^-8: within half a step
    assert_eq!(loaded.latent.n_factors, original.latent.n_factors);
    assert_eq!(loaded.latent.loadings.len(), original.latent.loadings.len());
    for (a, b) in loaded.latent.loadings.iter().zip(&original.latent.loadings) {
        assert!((a - b).abs() <= 0.5 / 256.0 + 1e-7, "loading {a} vs {b}");
    }
    assert_eq!(loaded.noise, original.noise);
    assert_eq!(
        loaded
            .vocabulary
            .resolve("tissue_ontology_id", "UBERON:0002107")
            .map(|t| t.label.as_str()),
        Some("liver")
    );
    // Profiles are stored rounded to steps of 2^-STORED_BITS: within half a step.
    let half_step = 0.5 / (1u32 << synthome_model::bundle::STORED_BITS) as f32;
    for (a, b) in loaded.contexts.iter().zip(&original.contexts) {
        assert_eq!(a.name, b.name);
        assert_eq!(a.profile_sex, b.profile_sex);
        for (x, y) in a.log_cpm.iter().zip(&b.log_cpm) {
            assert!((x - y).abs() <= half_step + 1e-6, "{x} vs {y}");
            assert_eq!(
                (x / (2.0 * half_step)).fract(),
                0.0,
                "{x} is not on the stored grid"
            );
        }
    }
    let response = &loaded.perturbations[0].responses[0];
    assert_eq!(response.genes, vec![1, 4, 9]);
    assert_eq!(response.log_fold_changes, vec![-1.5, 0.25, 2.0]);
    assert_eq!(loaded.perturbations[0].measured_in, Some(1));
}

#[test]
fn writing_is_deterministic() {
    assert_eq!(write(&params()), write(&params()));
}

#[test]
fn every_truncation_is_an_error_not_a_panic() {
    let bytes = write(&params());
    for cut in 0..bytes.len() {
        let error = read(&bytes[..cut]).expect_err("truncated");
        assert!(
            matches!(
                error,
                BundleError::Container(
                    ContainerError::Truncated { .. } | ContainerError::Checksum { .. }
                )
            ),
            "cut at {cut}: {error}"
        );
    }
    let error = read(&bytes[..4]).expect_err("short");
    assert!(error.to_string().contains("truncated"), "{error}");
}

#[test]
fn wrong_magic_and_version_are_named() {
    let mut bytes = write(&params());
    bytes[0] = b'X';
    assert!(matches!(
        read(&bytes),
        Err(BundleError::Container(ContainerError::BadMagic { .. }))
    ));
    let mut bytes = write(&params());
    bytes[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    let error = read(&bytes).expect_err("version");
    assert!(
        matches!(error, BundleError::Container(ContainerError::UnsupportedVersion { found, supported }) if found == FORMAT_VERSION + 1 && supported == FORMAT_VERSION)
    );
    assert_eq!(&write(&params())[..8], MAGIC);
}

#[test]
fn any_flipped_byte_in_the_content_fails_the_checksum() {
    let clean = write(&params());
    for position in (16..clean.len() - 32).step_by(7) {
        let mut bytes = clean.clone();
        bytes[position] ^= 0x40;
        let error = read(&bytes).expect_err("corrupt");
        assert!(
            matches!(
                error,
                BundleError::Container(
                    ContainerError::Checksum { .. } | ContainerError::Truncated { .. }
                )
            ),
            "flip at {position}: {error}"
        );
    }
}

#[test]
fn sha256_matches_the_standard_test_vector() {
    assert_eq!(
        sha256_hex(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

/// The bundle of `params()` with each section passed through `edit` (the checksum still holds)
fn rebuilt(edit: impl Fn(&[u8; 4], &[u8]) -> Option<Vec<u8>>) -> Vec<u8> {
    let bytes = write(&params());
    let sections = container::read(&bytes).expect("a container");
    let mut writer = Writer::new();
    for (tag, content) in sections.iter() {
        if let Some(content) = edit(&tag, content) {
            writer.section(&tag, content);
        }
    }
    writer.finish()
}

#[test]
fn the_container_round_trip_gives_the_same_bytes() {
    assert_eq!(
        rebuilt(|_, content| Some(content.to_vec())),
        write(&params())
    );
}

#[test]
fn a_missing_section_is_named() {
    let bytes = rebuilt(|tag, content| (tag != b"PERT").then(|| content.to_vec()));
    let error = read(&bytes).expect_err("no PERT");
    assert_eq!(error, BundleError::MissingSection("PERT".into()));
    assert_eq!(error.to_string(), "the bundle has no \"PERT\" section");
}

#[test]
fn a_short_section_names_the_field_and_the_offset() {
    let bytes = rebuilt(|tag, content| {
        Some(if tag == b"NOIS" {
            content[..content.len() - 2].to_vec()
        } else {
            content.to_vec()
        })
    });
    let error = read(&bytes).expect_err("short NOIS");
    let expected_end = 4 + 4 + 4 * N_GENES - 2;
    assert_eq!(
        error.to_string(),
        format!(
            "section \"NOIS\" is malformed: reading {N_GENES} f32 values needs {} bytes at offset 8 but the section ends at {expected_end}",
            4 * N_GENES
        )
    );
}

#[test]
fn the_kind_section_says_bulk() {
    assert_eq!(
        synthome_bundle::kind(&write(&params())),
        Ok(BundleKind::Bulk)
    );
}

#[test]
fn a_bundle_without_a_kind_is_named() {
    let bytes = rebuilt(|tag, content| (tag != KIND_TAG).then(|| content.to_vec()));
    assert_eq!(
        read(&bytes).err(),
        Some(BundleError::Container(ContainerError::MissingKind))
    );
}

#[test]
fn a_single_cell_kind_is_not_read_as_bulk() {
    let bytes = rebuilt(|tag, content| {
        Some(if tag == KIND_TAG {
            BundleKind::SingleCell.section()
        } else {
            content.to_vec()
        })
    });
    let error = read(&bytes).expect_err("single cell");
    assert_eq!(
        error,
        BundleError::Container(ContainerError::WrongKind {
            expected: BundleKind::Bulk,
            found: BundleKind::SingleCell
        })
    );
    assert_eq!(
        error.to_string(),
        "this is a single-cell bundle, not a bulk bundle"
    );
}
