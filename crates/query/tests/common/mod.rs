//! A small test vocabulary and target shared by the query tests

use synthome_query::{Limits, ModelTarget, QueryErrors, SamplingStrategy, ValidQuery};
use synthome_vocab::{KeyDomain, QuantityUnit, Term, TermIndex, Vocabulary};

/// A bulk-like vocabulary covering both issue examples, without `race`
pub fn vocabulary() -> Vocabulary {
    let mut vocabulary = Vocabulary::new();
    let terms = |list: Vec<Term>| KeyDomain::Terms(TermIndex::new(list).expect("valid terms"));
    let enumeration = |values: &[&str]| {
        terms(
            values
                .iter()
                .map(|value| Term::new(*value, *value))
                .collect(),
        )
    };
    let entries = vec![
        (
            "cell_line_ontology_id",
            terms(vec![
                Term::new("CVCL_0023", "A-549").with_synonyms(["A549"]),
                Term::new("CVCL_0030", "HeLa").with_synonyms(["HELA"]),
            ]),
        ),
        (
            "perturbation_ontology_id",
            terms(vec![
                Term::new("ENSG00000156127", "BATF"),
                Term::new("ENSG00000141510", "TP53").with_synonyms(["P53"]),
                Term::new("CHEMBL941", "IMATINIB").with_alternative_ids(["CHEBI:45783"]),
                Term::new("9606", "Homo sapiens"),
            ]),
        ),
        (
            "perturbation_type",
            enumeration(&["crispr", "compound", "control"]),
        ),
        (
            "perturbation_time",
            KeyDomain::Quantity {
                unit: QuantityUnit::Hours,
                min: 1.0,
                max: 168.0,
                known: vec![6.0, 24.0, 96.0],
            },
        ),
        (
            "perturbation_dose",
            KeyDomain::Quantity {
                unit: QuantityUnit::Micromolar,
                min: 0.01,
                max: 10.0,
                known: vec![0.04, 0.12, 0.37, 1.11, 3.33, 10.0],
            },
        ),
        ("sample_type", enumeration(&["cell line", "primary tissue"])),
        (
            "disease_ontology_id",
            terms(vec![
                Term::new("MONDO:0011719", "gastrointestinal stromal tumor"),
                Term::new("PATO:0000461", "normal"),
            ]),
        ),
        (
            "age_years",
            KeyDomain::Number {
                min: 0.0,
                max: 90.0,
            },
        ),
        ("sex", enumeration(&["female", "male"])),
        (
            "tissue_ontology_id",
            terms(vec![
                Term::new("UBERON:0000945", "stomach"),
                Term::new("UBERON:0002107", "liver"),
                Term::new("UBERON:0002048", "lung"),
            ]),
        ),
        ("library_layout", enumeration(&["PAIRED", "SINGLE"])),
        (
            "developmental_stage",
            terms(vec![Term::new("HsapDv:0000087", "human adult stage")]),
        ),
        ("ethnicity", terms(Vec::new())),
    ];
    for (key, domain) in entries {
        vocabulary.insert(key, domain).expect("new key");
    }
    vocabulary
}

/// Validates `json` for the test bulk model with default limits
pub fn validate_with(
    vocabulary: &Vocabulary,
    json: &str,
    limits: &Limits,
) -> Result<ValidQuery, QueryErrors> {
    let target = ModelTarget {
        name: "bulk model",
        vocabulary,
        default_total_count: 1e7,
        strategies: &SamplingStrategy::ALL,
    };
    synthome_query::parse_and_validate(json, &target, limits)
}

/// Validates `json` for the test bulk model with default limits
pub fn validate(json: &str) -> Result<ValidQuery, QueryErrors> {
    validate_with(&vocabulary(), json, &Limits::default())
}

/// The error messages of an invalid query (panics on a valid one)
pub fn messages(json: &str) -> Vec<String> {
    match validate(json) {
        Ok(valid) => panic!("expected errors for {json}, got {valid:?}"),
        Err(errors) => errors.0.iter().map(ToString::to_string).collect(),
    }
}

/// The reason codes of an invalid query (panics on a valid one)
pub fn codes(json: &str) -> Vec<&'static str> {
    match validate(json) {
        Ok(valid) => panic!("expected errors for {json}, got {valid:?}"),
        Err(errors) => errors.0.iter().map(|error| error.reason.code()).collect(),
    }
}

/// A one-input query with these metadata (a JSON object text)
pub fn with_metadata(metadata: &str) -> String {
    format!(
        r#"{{"sampling_strategy": "sample generation", "inputs": [{{"metadata": {metadata}, "num_samples": 2}}]}}"#
    )
}
