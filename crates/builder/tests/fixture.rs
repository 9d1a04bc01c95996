//! The builder on a small data folder made here: determinism, recorded inputs, held-out
//! samples, the sex effect, shRNA responses and the atlas path

use std::path::PathBuf;

use synthome_builder::{AtlasPaths, BuildOptions, build_bulk};
use synthome_bulk_fixture::{
    SRF, Y_GENE, gene_id, gz, symbol, temp_folder, write_geuvadis, write_k562_srf,
    write_reference_genes,
};
use synthome_matrix::ExpressionValues;
use synthome_query::{
    CanonicalValue, ConditionValue, Conditions, MetadataKey, SamplingStrategy, ValidInput,
    ValidQuery,
};

const N_GENES: usize = 30;

/// A deterministic pseudo-random number in [0, 1)
fn noise(seed: usize) -> f64 {
    let x = (seed as u64)
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    ((x >> 11) as f64) / ((1u64 << 53) as f64)
}

fn fixture(name: &str) -> PathBuf {
    let root = temp_folder("builder", name);
    write_reference_genes(&root, N_GENES, 100);
    let mut tissues = "Gene\tGene.name\tTissue\tnTPM\n".to_owned();
    for g in 0..N_GENES {
        for (tissue, shift) in [("liver", 0.0), ("lung", 3.0), ("testis", 7.0)] {
            let value = if g == Y_GENE && tissue != "testis" {
                5.0
            } else {
                10.0 + ((g as f64 + shift) * 1.7) % 40.0
            };
            tissues.push_str(&format!(
                "{}\t{}\t{tissue}\t{value}\n",
                gene_id(g),
                symbol(g)
            ));
        }
    }
    gz(&root.join("bulk/hpa_consensus_tissue.tsv.gz"), &tissues);
    // GEUVADIS: 10 lines, 5 of each sex; the Y gene only in males
    write_geuvadis(&root, 10, N_GENES, |s, g, male| {
        if g == Y_GENE {
            if male { 800.0 } else { 2.0 }
        } else {
            (200.0 + 40.0 * g as f64) * (0.7 + 0.6 * noise(s * 97 + g))
        }
    });
    // K562: SRF shRNA, 2 uninduced and 2 induced runs; SRF drops 4-fold when induced
    write_k562_srf(&root, N_GENES, 100_000, |r, g| {
        3000.0 + 500.0 * g as f64 * (0.9 + 0.2 * noise(r * 31 + g))
    });
    root
}

fn term(key: MetadataKey, value: &str) -> (MetadataKey, ConditionValue) {
    (
        key,
        ConditionValue {
            given: value.into(),
            canonical: CanonicalValue::Term(value.into()),
        },
    )
}

fn mean_query(pairs: Vec<(MetadataKey, ConditionValue)>) -> ValidQuery {
    let mut metadata = Conditions::new();
    for (key, value) in pairs {
        metadata.insert(key, value);
    }
    ValidQuery {
        sampling_strategy: SamplingStrategy::MeanEstimation,
        inputs: vec![ValidInput {
            metadata,
            num_samples: 1,
            first_sample: 0,
        }],
        total_count: 1e6,
        deterministic_latents: true,
        seed: None,
    }
}

fn expected(model: &synthome_model::BulkModel, query: &ValidQuery) -> Vec<f32> {
    let output = model.generate(query, 1, &mut |_, _| {}).expect("generates");
    match output.matrix.values() {
        ExpressionValues::Expected(dense) => dense.row(0).expect("row").to_vec(),
        other => panic!("expected values, got {other:?}"),
    }
}

#[test]
fn same_inputs_same_bytes_and_every_input_is_recorded() {
    let root = fixture("determinism");
    let first = build_bulk(&root, &BuildOptions::default()).expect("builds");
    let second = build_bulk(&root, &BuildOptions::default()).expect("builds again");
    assert_eq!(first.bundle, second.bundle);
    assert_eq!(first.sha256, second.sha256);
    assert_eq!(first.sha256.len(), 64);
    let paths: Vec<&str> = first.inputs.iter().map(|i| i.path.as_str()).collect();
    assert!(
        paths.contains(&"bulk/geuvadis_lcl_counts.tsv.gz"),
        "{paths:?}"
    );
    assert!(
        first
            .inputs
            .iter()
            .all(|i| i.sha256.len() == 64 && i.bytes > 0)
    );
    assert_eq!(first.model.n_genes(), N_GENES);
    assert_eq!(first.model.card().id, "synthome-bulk-v1");
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn fitted_model_knows_its_conditions_and_effects() {
    let root = fixture("effects");
    let output = build_bulk(&root, &BuildOptions::default()).expect("builds");
    let model = &output.model;
    let vocabulary = model.vocabulary();
    assert!(
        vocabulary
            .resolve("tissue_ontology_id", "UBERON:0002107")
            .is_some(),
        "liver"
    );
    assert!(
        vocabulary
            .resolve("cell_line_ontology_id", "CVCL_0004")
            .is_some(),
        "K562"
    );
    assert!(
        vocabulary
            .resolve("perturbation_ontology_id", &gene_id(SRF))
            .is_some(),
        "SRF"
    );
    assert!(
        vocabulary
            .resolve("disease_ontology_id", "MONDO:0005015")
            .is_none()
    );
    // Sex: the Y gene is much higher in male liver than in female liver
    let liver = |sex: &str| {
        expected(
            model,
            &mean_query(vec![
                term(MetadataKey::TissueOntologyId, "UBERON:0002107"),
                term(MetadataKey::Sex, sex),
            ]),
        )
    };
    let (male, female) = (liver("male"), liver("female"));
    assert!(
        male[Y_GENE] > 20.0 * female[Y_GENE],
        "male {} female {}",
        male[Y_GENE],
        female[Y_GENE]
    );
    // shRNA: SRF goes down against the K562 control
    let control = expected(
        model,
        &mean_query(vec![
            term(MetadataKey::CellLineOntologyId, "CVCL_0004"),
            term(MetadataKey::PerturbationType, "control"),
        ]),
    );
    let knocked = expected(
        model,
        &mean_query(vec![term(
            MetadataKey::PerturbationOntologyId,
            &gene_id(SRF),
        )]),
    );
    let change = (knocked[SRF] / control[SRF]).log2() - (knocked[5] / control[5]).log2();
    assert!(change < -1.0, "SRF log2 change {change}");
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn excluded_samples_are_not_trained_on() {
    let root = fixture("exclude");
    let all = build_bulk(&root, &BuildOptions::default()).expect("builds");
    let mut options = BuildOptions::default();
    options.exclude_samples.extend([
        "NA00000".to_owned(),
        "NA00001".to_owned(),
        "NA00002".to_owned(),
    ]);
    let fewer = build_bulk(&root, &options).expect("builds");
    assert_ne!(all.bundle, fewer.bundle);
    let line = |output: &synthome_builder::BuildOutput| {
        output
            .report
            .iter()
            .find(|l| l.starts_with("GEUVADIS"))
            .cloned()
            .unwrap_or_default()
    };
    assert!(line(&all).contains("10 lines"), "{}", line(&all));
    assert!(line(&fewer).contains("7 lines"), "{}", line(&fewer));
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn an_atlas_adds_its_contexts_and_fits_the_factors() {
    let root = fixture("atlas");
    let samples: Vec<String> = (0..8).map(|s| format!("A{s}")).collect();
    let mut counts = format!("gene\t{}\n", samples.join("\t"));
    for g in 0..N_GENES {
        let row: Vec<String> = (0..8)
            .map(|s| {
                format!(
                    "{}",
                    (100.0
                        + 30.0
                            * g as f64
                            * (if s < 4 { 1.0 } else { 0.3 })
                            * (0.8 + 0.4 * noise(s * 13 + g)))
                    .round()
                )
            })
            .collect();
        counts.push_str(&format!("{}\t{}\n", gene_id(g), row.join("\t")));
    }
    let counts_path = root.join("atlas_counts.tsv");
    std::fs::write(&counts_path, counts).expect("counts");
    let mut metadata = "sample\ttissue_ontology_id\tsample_type\tsex\n".to_owned();
    for (s, sample) in samples.iter().enumerate() {
        let tissue = if s < 4 {
            "UBERON:0002048"
        } else {
            "UBERON:0000955"
        };
        metadata.push_str(&format!(
            "{sample}\t{tissue}\tprimary tissue\t{}\n",
            if s % 2 == 0 { "female" } else { "male" }
        ));
    }
    let metadata_path = root.join("atlas_samples.tsv");
    std::fs::write(&metadata_path, metadata).expect("metadata");
    let options = BuildOptions {
        atlas: Some(AtlasPaths {
            counts: counts_path,
            metadata: metadata_path,
        }),
        ..BuildOptions::default()
    };
    let output = build_bulk(&root, &options).expect("builds with an atlas");
    assert!(
        output
            .report
            .iter()
            .any(|l| l.starts_with("atlas: 8 samples in 2 contexts")),
        "{:?}",
        output.report
    );
    assert!(
        output
            .model
            .vocabulary()
            .resolve("tissue_ontology_id", "UBERON:0000955")
            .is_some(),
        "brain from the atlas"
    );
    assert!(
        output
            .inputs
            .iter()
            .any(|i| i.path.ends_with("atlas_counts.tsv"))
    );
    let brain = expected(
        &output.model,
        &mean_query(vec![term(MetadataKey::TissueOntologyId, "UBERON:0000955")]),
    );
    assert!((brain.iter().map(|&v| f64::from(v)).sum::<f64>() - 1e6).abs() < 10.0);
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn missing_reference_genes_are_a_clear_error() {
    let root = std::env::temp_dir().join(format!("synthome-builder-empty-{}", std::process::id()));
    std::fs::create_dir_all(&root).expect("dir");
    let error = build_bulk(&root, &BuildOptions::default()).expect_err("no genes");
    assert!(error.to_string().contains("genes_homo_sapiens"), "{error}");
    let _ = std::fs::remove_dir_all(root);
}
