//! The registry and the prepare/run steps on a tiny bulk bundle made here: lookup by id and
//! alias, seed choice, provenance, and precise errors for bad bundles and queries.

#[path = "support/tiny_bulk.rs"]
mod tiny_bulk;

use synthome_engine::{MAX_CHOSEN_SEED, ModelEntry, ModelRegistry, prepare, run};
use synthome_matrix::{ExpressionValues, GeneTable};
use synthome_model::{BulkParams, Context, ModelCard, ProfileSex, TrainingCondition};
use synthome_query::{Limits, MetadataKey};
use synthome_vocab::{KeyDomain, Term, TermIndex, Vocabulary};
use tiny_bulk::{little_noise, one_factor};

const N_GENES: usize = 12;
const LIVER: &str = "UBERON:0002107";

fn bundle() -> Vec<u8> {
    let genes = GeneTable::new(
        (0..N_GENES).map(|g| format!("ENSG{:011}", g + 1)).collect(),
        (0..N_GENES).map(|g| format!("G{g}")).collect(),
    )
    .expect("genes");
    let mut vocabulary = Vocabulary::new();
    let tissues = TermIndex::new(vec![Term::new(LIVER, "liver")]).expect("terms");
    vocabulary
        .insert("tissue_ontology_id", KeyDomain::Terms(tissues))
        .expect("insert");
    let params = BulkParams {
        card: ModelCard {
            id: "synthome-test-v1".into(),
            alias: "gem-test".into(),
            version: "0.0.1".into(),
            summary: "a test model".into(),
            licence: "CC0".into(),
        },
        genes,
        vocabulary,
        contexts: vec![Context {
            name: "liver".into(),
            log_cpm: (0..N_GENES).map(|g| 3.0 + g as f32 * 0.5).collect(),
            profile_sex: ProfileSex::Mixed,
        }],
        conditions: vec![TrainingCondition {
            context: 0,
            fields: vec![(MetadataKey::TissueOntologyId, LIVER.to_string())],
            perturbation: None,
            weight: 1.0,
        }],
        sex_effect: vec![0.0; N_GENES],
        latent: one_factor(N_GENES),
        noise: little_noise(N_GENES),
        perturbations: Vec::new(),
    };
    synthome_model::bundle::write(&params)
}

fn registry() -> ModelRegistry {
    let entry = ModelEntry::from_bundle("test.bundle", &bundle()).expect("a readable bundle");
    ModelRegistry::new(vec![entry])
}

const QUERY: &str = r#"{"sampling_strategy": "sample generation",
  "inputs": [{"metadata": {"tissue_ontology_id": "UBERON:0002107"}, "num_samples": 3}]}"#;

#[test]
fn models_are_found_by_id_and_alias_in_any_case() {
    let registry = registry();
    assert_eq!(
        registry.get("synthome-test-v1").expect("by id").info.alias,
        "gem-test"
    );
    assert_eq!(
        registry.get(" GEM-TEST ").expect("by alias").info.id,
        "synthome-test-v1"
    );
    let unknown = registry.get("gem-1-bulk").err().expect("unknown model");
    assert!(
        unknown
            .to_string()
            .contains("synthome-test-v1 (alias gem-test)"),
        "{unknown}"
    );
}

#[test]
fn a_damaged_bundle_is_reported_with_its_name() {
    let mut bytes = bundle();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    let error = ModelEntry::from_bundle("damaged.bundle", &bytes)
        .err()
        .expect("an error");
    assert!(
        error
            .to_string()
            .starts_with("the model bundle damaged.bundle is unreadable: "),
        "{error}"
    );
}

#[test]
fn the_seed_comes_from_the_override_then_the_query_then_the_inventor() {
    let registry = registry();
    let entry = registry.get("gem-test").expect("model");
    let limits = Limits::default();
    let with_seed = QUERY.replacen('{', r#"{"seed": 7, "#, 1);
    let never = || -> u64 { panic!("no seed should be invented") };
    assert_eq!(
        prepare(entry, &with_seed, Some(3), never, &limits)
            .expect("valid")
            .seed,
        3
    );
    assert_eq!(
        prepare(entry, &with_seed, None, never, &limits)
            .expect("valid")
            .seed,
        7
    );
    let invented = prepare(entry, QUERY, None, || u64::MAX, &limits).expect("valid");
    assert_eq!(
        invented.seed, MAX_CHOSEN_SEED,
        "invented seeds are masked below 2^53"
    );
    let recorded: serde_json::Value = serde_json::from_str(&invented.query_json).expect("json");
    assert_eq!(recorded["seed"], serde_json::Value::from(MAX_CHOSEN_SEED));
}

#[test]
fn running_twice_with_one_seed_gives_the_same_counts_and_full_provenance() {
    let registry = registry();
    let entry = registry.get("synthome-test-v1").expect("model");
    let prepared = prepare(entry, QUERY, Some(42), || 0, &Limits::default()).expect("valid");
    let mut calls = Vec::new();
    let (first, provenance) = run(entry, &prepared, &mut |done, total| {
        calls.push((done, total))
    })
    .expect("generated");
    let (second, _) = run(entry, &prepared, &mut |_, _| {}).expect("generated");
    assert_eq!(calls.last(), Some(&(3, 3)));
    let (ExpressionValues::Counts(a), ExpressionValues::Counts(b)) =
        (first.values(), second.values())
    else {
        panic!("sample generation gives counts");
    };
    assert_eq!(a.data(), b.data());
    assert_eq!(first.n_samples(), 3);
    assert_eq!(provenance.model_id, "synthome-test-v1");
    assert_eq!(
        provenance.bundle_sha256,
        synthome_bundle::sha256_hex(&bundle())
    );
    assert_eq!(provenance.seed, 42);
    assert_eq!(provenance.sampling_strategy, "sample generation");
}

#[test]
fn spans_run_one_after_another_give_the_whole_runs_samples() {
    let registry = registry();
    let entry = registry.get("synthome-test-v1").expect("model");
    let two_inputs = r#"{"sampling_strategy": "sample generation", "inputs": [
      {"metadata": {"tissue_ontology_id": "UBERON:0002107"}, "num_samples": 4},
      {"metadata": {"tissue_ontology_id": "UBERON:0002107"}, "num_samples": 3}]}"#;
    let whole = prepare(entry, two_inputs, Some(9), || 0, &Limits::default()).expect("valid");
    let (matrix, _) = run(entry, &whole, &mut |_, _| {}).expect("generated");
    let (mut counts, mut samples) = (Vec::new(), Vec::new());
    // The middle span crosses from the first input into the second
    for span in [0..2, 2..6, 6..7] {
        let mut part = whole.clone();
        part.valid = whole.valid.span(span);
        let (piece, _) = run(entry, &part, &mut |_, _| {}).expect("generated");
        let ExpressionValues::Counts(piece_counts) = piece.values() else {
            panic!("sample generation gives counts");
        };
        counts.extend_from_slice(piece_counts.data());
        samples.extend_from_slice(piece.samples());
    }
    let ExpressionValues::Counts(whole_counts) = matrix.values() else {
        panic!("sample generation gives counts");
    };
    assert_eq!(counts, whole_counts.data());
    assert_eq!(samples, matrix.samples());
}

#[test]
fn an_invalid_query_gets_every_error_and_runs_nothing() {
    let registry = registry();
    let entry = registry.get("gem-test").expect("model");
    let query = r#"{"sampling_strategy": "sample generation",
      "inputs": [{"metadata": {"tissue_ontology_id": "UBERON:0002108", "disease_ontology_id": "MONDO:0005148"}, "num_samples": 1}]}"#;
    let errors = prepare(entry, query, None, || 1, &Limits::default()).expect_err("invalid");
    let text = errors.to_string();
    assert!(text.contains("inputs[0].tissue_ontology_id"), "{text}");
    assert!(text.contains("inputs[0].disease_ontology_id"), "{text}");
}

#[test]
fn the_recorded_query_is_the_text_as_written_with_the_seed_set() {
    let registry = registry();
    let entry = registry.get("gem-test").expect("model");
    let query = r#"{"mode": "sample generation", "source": "x", "total_count": 1e7, "seed": 5,
      "inputs": [{"num_samples": 1, "metadata": {"tissue_ontology_id": "UBERON:0002107"}}]}"#;
    let prepared = prepare(entry, query, Some(9), || 1, &Limits::default()).expect("valid");
    assert_eq!(
        prepared.query_json,
        r#"{"inputs":[{"metadata":{"tissue_ontology_id":"UBERON:0002107"},"num_samples":1}],"mode":"sample generation","seed":9,"source":"x","total_count":10000000.0}"#,
        "keys sorted, fields and numbers kept as written, the seed replaced"
    );
}
