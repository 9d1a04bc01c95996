//! Shared by the CLI, server and client (pysynthbio, rsynthbio: `clients`) tests: a tiny bulk bundle made here with the real
//! model and bundle code (id `synthome-bulk-v1`, alias `gem-1-bulk`, 20 genes, liver and brain
//! primary tissue from both sexes; `cell line` is a valid sample_type with no training data), passed to the binary with `--bundle`; and helpers to run the binary.

#![allow(dead_code)]

pub mod clients;
pub mod server;
#[path = "../../../engine/tests/support/tiny_bulk.rs"]
mod tiny_bulk;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use synthome_matrix::GeneTable;
use synthome_model::{BulkParams, Context, ModelCard, ProfileSex, TrainingCondition};
use synthome_query::MetadataKey;
use synthome_vocab::{KeyDomain, Term, TermIndex, Vocabulary};
use tiny_bulk::{little_noise, one_factor};

/// Genes in the test bundle.
pub const N_GENES: usize = 20;
/// Liver.
pub const LIVER: &str = "UBERON:0002107";
/// Brain.
pub const BRAIN: &str = "UBERON:0000955";

/// A query that passes validation but that the model cannot generate: no brain cell line.
pub const UNGENERATABLE_QUERY: &str = r#"{"sampling_strategy": "sample generation",
  "inputs": [{"metadata": {"tissue_ontology_id": "UBERON:0000955", "sample_type": "cell line"}, "num_samples": 1}]}"#;

/// A valid query: two inputs, 3 + 2 samples, sex left to the model in the second.
pub const QUERY: &str = r#"{"sampling_strategy": "sample generation", "seed": 11,
  "inputs": [{"metadata": {"tissue_ontology_id": "UBERON:0002107", "sex": "female"}, "num_samples": 3},
             {"metadata": {"tissue_ontology_id": "UBERON:0000955"}, "num_samples": 2}]}"#;

/// An invalid query: a tissue the model does not know, and a key it does not model.
pub const INVALID_QUERY: &str = r#"{"sampling_strategy": "sample generation", "inputs": [{"metadata": {"tissue_ontology_id": "UBERON:0002108", "disease_ontology_id": "MONDO:0005148"}, "num_samples": 1}]}"#;

/// A scratch directory unique to this test process and `name`.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("synthome-cli-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|error| panic!("scratch dir: {error}"));
    dir
}

/// The test bundle file (written once per test process).
pub fn bundle_path() -> &'static Path {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let path =
            std::env::temp_dir().join(format!("synthome-cli-test-{}.bundle", std::process::id()));
        std::fs::write(&path, synthome_model::bundle::write(&params()))
            .unwrap_or_else(|error| panic!("bundle: {error}"));
        path
    })
}

fn params() -> BulkParams {
    let genes = GeneTable::new(
        (0..N_GENES)
            .map(|gene| format!("ENSG{:011}", gene + 1))
            .collect(),
        (0..N_GENES).map(|gene| format!("GENE{gene}")).collect(),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let mut vocabulary = Vocabulary::new();
    let terms = |terms: Vec<Term>| TermIndex::new(terms).unwrap_or_else(|error| panic!("{error}"));
    let insert = |vocabulary: &mut Vocabulary, key: &str, domain: KeyDomain| {
        vocabulary
            .insert(key, domain)
            .unwrap_or_else(|error| panic!("{error}"));
    };
    insert(
        &mut vocabulary,
        "tissue_ontology_id",
        KeyDomain::Terms(terms(vec![
            Term::new(LIVER, "liver").with_synonyms(["hepar"]),
            Term::new(BRAIN, "brain"),
        ])),
    );
    insert(
        &mut vocabulary,
        "sex",
        KeyDomain::Terms(terms(vec![
            Term::new("female", "female"),
            Term::new("male", "male"),
        ])),
    );
    insert(
        &mut vocabulary,
        "sample_type",
        KeyDomain::Terms(terms(vec![
            Term::new("cell line", "cell line"),
            Term::new("primary tissue", "primary tissue"),
        ])),
    );
    let condition = |context: usize, tissue: &str, sex: &str, weight: f64| TrainingCondition {
        context,
        fields: vec![
            (MetadataKey::TissueOntologyId, tissue.to_string()),
            (MetadataKey::Sex, sex.to_string()),
            (MetadataKey::SampleType, "primary tissue".to_string()),
        ],
        perturbation: None,
        weight,
    };
    BulkParams {
        card: ModelCard {
            id: "synthome-bulk-v1".into(),
            alias: "gem-1-bulk".into(),
            version: "0.0.1-test".into(),
            summary: "a tiny test model".into(),
            licence: "CC0-1.0".into(),
        },
        genes,
        vocabulary,
        contexts: vec![
            Context {
                name: "liver".into(),
                log_cpm: (0..N_GENES).map(|gene| 2.0 + gene as f32 * 0.4).collect(),
                profile_sex: ProfileSex::Mixed,
            },
            Context {
                name: "brain".into(),
                log_cpm: (0..N_GENES).map(|gene| 9.0 - gene as f32 * 0.3).collect(),
                profile_sex: ProfileSex::Mixed,
            },
        ],
        conditions: vec![
            condition(0, LIVER, "female", 2.0),
            condition(0, LIVER, "male", 1.0),
            condition(1, BRAIN, "female", 1.0),
            condition(1, BRAIN, "male", 1.0),
        ],
        sex_effect: (0..N_GENES)
            .map(|gene| if gene == 0 { 1.0 } else { 0.0 })
            .collect(),
        latent: one_factor(N_GENES),
        noise: little_noise(N_GENES),
        perturbations: Vec::new(),
    }
}

/// The `synthome` binary with `--bundle` set to the test bundle.
pub fn synthome() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_synthome"));
    command.env("SYNTHOME_BUNDLES", bundle_path());
    command.env_remove("SYNTHOME_API_KEYS");
    command
}

/// Runs `synthome ARGS` with `stdin` as standard input.
pub fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let mut command = synthome();
    command
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command
        .spawn()
        .unwrap_or_else(|error| panic!("spawn synthome: {error}"));
    if let Some(mut input) = child.stdin.take() {
        use std::io::Write;
        if let Some(text) = stdin {
            input
                .write_all(text.as_bytes())
                .unwrap_or_else(|error| panic!("stdin: {error}"));
        }
    }
    child
        .wait_with_output()
        .unwrap_or_else(|error| panic!("wait: {error}"))
}

/// Text of standard output.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Text of standard error.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Checks the 422 answer (or `validate --json`) for [`INVALID_QUERY`]: its tissue error is at
/// input 0, echoes the value and suggests liver first. Returns that error.
pub fn assert_the_tissue_error_suggests_liver(answer: &serde_json::Value) -> serde_json::Value {
    let errors = answer["errors"].as_array().cloned().unwrap_or_default();
    let tissue = errors
        .iter()
        .find(|error| error["key"] == "tissue_ontology_id")
        .cloned()
        .unwrap_or_default();
    assert_eq!(tissue["input"], 0, "{answer}");
    assert_eq!(tissue["value"], "UBERON:0002108");
    assert_eq!(tissue["suggestions"][0]["id"], "UBERON:0002107");
    tissue
}
