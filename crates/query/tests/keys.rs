//! Every metadata key: its name round-trips, a valid value of its form validates against a
//! vocabulary that holds it, and a vocabulary without it rejects it as not modelled

use std::str::FromStr;

use proptest::prelude::*;
use synthome_query::{
    Input, Limits, MetadataKey, ModelTarget, Query, SamplingStrategy, parse_and_validate, validate,
};
use synthome_vocab::{KeyDomain, QuantityUnit, Term, TermIndex, Vocabulary};

/// A valid query value for each key, and the vocabulary id it resolves to
fn example(key: MetadataKey) -> (serde_json::Value, &'static str) {
    let text = |value: &'static str| (serde_json::Value::from(value), value);
    match key {
        MetadataKey::AgeYears => (serde_json::json!(65), ""),
        MetadataKey::CellLineOntologyId => text("CVCL_0023"),
        MetadataKey::CellTypeOntologyId => text("CL:0000236"),
        MetadataKey::DevelopmentalStage => text("adult"),
        MetadataKey::DiseaseOntologyId => text("MONDO:0011719"),
        MetadataKey::Ethnicity => text("HANCESTRO:0005"),
        MetadataKey::Genotype => text("wild type"),
        MetadataKey::Race => text("asian"),
        MetadataKey::SampleType => text("primary cells"),
        MetadataKey::Sex => text("male"),
        MetadataKey::TissueOntologyId => text("UBERON:0000945"),
        MetadataKey::PerturbationDose => (serde_json::json!("10 um"), ""),
        MetadataKey::PerturbationOntologyId => text("CHEBI:45783"),
        MetadataKey::PerturbationTime => (serde_json::json!("24 hours"), ""),
        MetadataKey::PerturbationType => text("peptide or biologic"),
        MetadataKey::Study => text("PRJEB3366"),
        MetadataKey::LibrarySelection => text("cDNA"),
        MetadataKey::LibraryLayout => text("SINGLE"),
        MetadataKey::Platform => text("illumina"),
    }
}

fn vocabulary_with(key: MetadataKey) -> Vocabulary {
    let (_, id) = example(key);
    let domain = match key {
        MetadataKey::AgeYears => KeyDomain::Number {
            min: 0.0,
            max: 100.0,
        },
        MetadataKey::PerturbationDose => KeyDomain::Quantity {
            unit: QuantityUnit::Micromolar,
            min: 0.0,
            max: 100.0,
            known: vec![10.0],
        },
        MetadataKey::PerturbationTime => KeyDomain::Quantity {
            unit: QuantityUnit::Hours,
            min: 0.0,
            max: 100.0,
            known: vec![24.0],
        },
        _ => KeyDomain::Terms(TermIndex::new(vec![Term::new(id, id)]).expect("one term")),
    };
    let mut vocabulary = Vocabulary::new();
    vocabulary.insert(key.as_str(), domain).expect("new key");
    vocabulary
}

fn query_with(key: MetadataKey, value: serde_json::Value) -> Query {
    Query {
        sampling_strategy: SamplingStrategy::SampleGeneration,
        inputs: vec![Input {
            metadata: [(key.as_str().to_owned(), value)].into_iter().collect(),
            num_samples: 3,
        }],
        total_count: None,
        deterministic_latents: Some(true),
        seed: Some(7),
    }
}

fn target(vocabulary: &Vocabulary) -> ModelTarget<'_> {
    ModelTarget {
        name: "bulk model",
        vocabulary,
        default_total_count: 1e7,
        strategies: &SamplingStrategy::ALL,
    }
}

#[test]
fn every_key_name_round_trips() {
    assert_eq!(MetadataKey::ALL.len(), 19);
    for key in MetadataKey::ALL {
        assert_eq!(MetadataKey::from_str(key.as_str()), Ok(key));
        assert_eq!(key.to_string(), key.as_str());
        let json = serde_json::to_string(&key).expect("serializes");
        assert_eq!(serde_json::from_str::<MetadataKey>(&json).ok(), Some(key));
    }
    assert!(MetadataKey::from_str("Sex").is_err());
    let technical: Vec<&str> = MetadataKey::ALL
        .iter()
        .filter(|key| key.is_technical())
        .map(|key| key.as_str())
        .collect();
    assert_eq!(
        technical,
        ["study", "library_selection", "library_layout", "platform"]
    );
}

#[test]
fn every_key_accepts_a_valid_value_the_model_knows() {
    for key in MetadataKey::ALL {
        let (value, id) = example(key);
        let vocabulary = vocabulary_with(key);
        let query = query_with(key, value.clone());
        let valid = validate(&query, &target(&vocabulary), &Limits::default())
            .unwrap_or_else(|errors| panic!("{key}: {errors}"));
        let condition = valid.inputs[0].metadata.get(key).expect("condition kept");
        if !id.is_empty() {
            assert_eq!(condition.canonical.as_term(), Some(id), "{key}");
        }
        assert!(valid.deterministic_latents);
        // The same query as JSON text validates the same way
        let json = query.to_json_pretty();
        let again = parse_and_validate(&json, &target(&vocabulary), &Limits::default())
            .unwrap_or_else(|errors| panic!("{key} from JSON: {errors}"));
        assert_eq!(again, valid, "{key}");
    }
}

#[test]
fn every_key_is_rejected_when_the_model_does_not_model_it() {
    let empty = Vocabulary::new();
    for key in MetadataKey::ALL {
        let (value, _) = example(key);
        let errors = validate(&query_with(key, value), &target(&empty), &Limits::default())
            .expect_err("not modelled");
        assert_eq!(errors.0.len(), 1, "{key}");
        assert_eq!(errors.0[0].reason.code(), "key_not_modeled", "{key}");
        assert_eq!(errors.0[0].key.as_deref(), Some(key.as_str()));
    }
}

#[test]
fn queries_serialize_in_the_api_shape_and_read_back() {
    let query = query_with(MetadataKey::Sex, serde_json::json!("female"));
    let json = serde_json::to_value(&query).expect("serializes");
    assert_eq!(json["sampling_strategy"], "sample generation");
    assert_eq!(json["inputs"][0]["metadata"]["sex"], "female");
    assert!(json.get("total_count").is_none());
    let with_count = Query {
        total_count: Some(1e7),
        ..query.clone()
    };
    assert!(
        with_count
            .to_json_pretty()
            .contains("\"total_count\": 10000000")
    );
    let back: Query = serde_json::from_str(&with_count.to_json_pretty()).expect("reads back");
    assert_eq!(back, with_count);
    let old: Query = serde_json::from_str(
        r#"{"mode": "mean estimation", "modality": "bulk", "inputs": [{"metadata": {}, "num_samples": 1}]}"#,
    )
    .expect("old spelling");
    assert_eq!(old.sampling_strategy, SamplingStrategy::MeanEstimation);
    let error = serde_json::from_str::<Query>(r#"{"inputs": 1}"#).expect_err("bad");
    assert!(error.to_string().contains("sampling_strategy: is missing"));
    assert!(Query::from_json(r#"{"sampling_strategy": "x"}"#, &Limits::default()).is_err());
}

proptest! {
    #[test]
    fn any_string_value_for_any_key_never_panics(index in 0usize..19, text in "\\PC{0,40}") {
        let key = MetadataKey::ALL[index];
        let vocabulary = vocabulary_with(key);
        let result = validate(&query_with(key, serde_json::Value::from(text.clone())), &target(&vocabulary), &Limits::default());
        if let Err(errors) = result {
            prop_assert!(!errors.0.is_empty());
            for error in &errors.0 {
                prop_assert!(error.suggestions.len() <= 5);
                prop_assert!(!error.to_string().contains('\n'));
            }
        }
    }

    #[test]
    fn strategy_names_parse_case_insensitively(upper in proptest::bool::ANY, mean in proptest::bool::ANY) {
        let name = if mean { "mean estimation" } else { "sample generation" };
        let name = if upper { name.to_uppercase() } else { name.to_owned() };
        let json = format!(r#"{{"sampling_strategy": "{name}", "inputs": [{{"num_samples": 1}}]}}"#);
        let vocabulary = Vocabulary::new();
        let valid = parse_and_validate(&json, &target(&vocabulary), &Limits::default());
        prop_assert!(valid.is_ok());
    }
}
