//! Validation: the issue's example queries, every key, alias and error path

mod common;

use common::{codes, messages, validate, validate_with, vocabulary, with_metadata};
use synthome_query::{CanonicalValue, Limits, MetadataKey, SamplingStrategy};
use synthome_vocab::QuantityUnit;

const ISSUE_EXAMPLE: &str = r#"{"sampling_strategy": "sample generation",
 "inputs": [{"metadata": {"cell_line_ontology_id": "CVCL_0023", "perturbation_ontology_id": "ENSG00000156127",
                          "perturbation_type": "crispr", "perturbation_time": "96 hours", "sample_type": "cell line"},
             "num_samples": 5},
            {"metadata": {"disease_ontology_id": "MONDO:0011719", "age_years": "65", "sex": "female",
                          "sample_type": "primary tissue", "tissue_ontology_id": "UBERON:0000945"},
             "num_samples": 5}],
 "total_count": 10000000, "deterministic_latents": false, "seed": 11}"#;

#[test]
fn issue_example_query_validates() {
    let valid = validate(ISSUE_EXAMPLE).expect("the issue's example is valid");
    assert_eq!(valid.sampling_strategy, SamplingStrategy::SampleGeneration);
    assert_eq!(valid.inputs.len(), 2);
    assert_eq!(valid.inputs[0].num_samples, 5);
    assert_eq!(valid.total_count, 1e7);
    assert!(!valid.deterministic_latents);
    assert_eq!(valid.seed, Some(11));
    let first = &valid.inputs[0].metadata;
    assert_eq!(first.len(), 5);
    let time = first
        .get(MetadataKey::PerturbationTime)
        .expect("time given");
    assert_eq!(time.given, "96 hours");
    assert_eq!(
        time.canonical,
        CanonicalValue::Quantity {
            value: 96.0,
            unit: QuantityUnit::Hours
        }
    );
    let age = valid.inputs[1]
        .metadata
        .get(MetadataKey::AgeYears)
        .expect("age given");
    assert_eq!(age.given, "65");
    assert_eq!(age.canonical, CanonicalValue::Number(65.0));
}

#[test]
fn mode_alias_source_and_modality_are_accepted() {
    let json = r#"{"mode": "mean estimation", "source": "x", "modality": "bulk",
                   "inputs": [{"metadata": {}, "num_samples": 1}]}"#;
    let valid = validate(json).expect("valid");
    assert_eq!(valid.sampling_strategy, SamplingStrategy::MeanEstimation);
    assert_eq!(valid.total_count, 1e7, "default from the target");
    assert_eq!(valid.seed, None);
}

#[test]
fn empty_metadata_and_nulls_for_optional_fields_are_valid() {
    let json = r#"{"sampling_strategy": "sample generation", "seed": null, "total_count": null,
                   "inputs": [{"num_samples": 3}]}"#;
    let valid = validate(json).expect("valid");
    assert!(valid.inputs[0].metadata.is_empty());
}

#[test]
fn ids_resolve_to_primary_ids() {
    let json = with_metadata(
        r#"{"perturbation_ontology_id": "chebi:45783", "cell_line_ontology_id": "cvcl_0030", "sex": "Female", "library_layout": "paired"}"#,
    );
    let valid = validate(&json).expect("valid");
    let metadata = &valid.inputs[0].metadata;
    let term = |key| {
        metadata
            .get(key)
            .and_then(|v| v.canonical.as_term().map(str::to_owned))
    };
    assert_eq!(
        term(MetadataKey::PerturbationOntologyId).as_deref(),
        Some("CHEMBL941")
    );
    assert_eq!(
        term(MetadataKey::CellLineOntologyId).as_deref(),
        Some("CVCL_0030")
    );
    assert_eq!(term(MetadataKey::Sex).as_deref(), Some("female"));
    assert_eq!(term(MetadataKey::LibraryLayout).as_deref(), Some("PAIRED"));
    assert_eq!(
        metadata.get(MetadataKey::Sex).map(|v| v.given.as_str()),
        Some("Female"),
        "given is echoed as written"
    );
}

#[test]
fn ensembl_versions_taxon_numbers_and_labels_of_text_keys_resolve() {
    let json = with_metadata(
        r#"{"perturbation_ontology_id": "ENSG00000141510.17", "developmental_stage": "Human Adult Stage"}"#,
    );
    let valid = validate(&json).expect("valid");
    let metadata = &valid.inputs[0].metadata;
    assert_eq!(
        metadata
            .get(MetadataKey::PerturbationOntologyId)
            .and_then(|v| v.canonical.as_term()),
        Some("ENSG00000141510")
    );
    assert_eq!(
        metadata
            .get(MetadataKey::DevelopmentalStage)
            .and_then(|v| v.canonical.as_term()),
        Some("HsapDv:0000087")
    );
    let taxon = with_metadata(r#"{"perturbation_ontology_id": 9606}"#);
    assert!(
        validate(&taxon).is_ok(),
        "a taxon number may be a JSON number"
    );
}

#[test]
fn quantities_convert_to_the_model_unit() {
    let json = with_metadata(r#"{"perturbation_dose": "500 nM", "perturbation_time": "1 day"}"#);
    let valid = validate(&json).expect("valid");
    let metadata = &valid.inputs[0].metadata;
    assert_eq!(
        metadata
            .get(MetadataKey::PerturbationDose)
            .map(|v| &v.canonical),
        Some(&CanonicalValue::Quantity {
            value: 0.5,
            unit: QuantityUnit::Micromolar
        })
    );
    assert_eq!(
        metadata
            .get(MetadataKey::PerturbationTime)
            .map(|v| &v.canonical),
        Some(&CanonicalValue::Quantity {
            value: 24.0,
            unit: QuantityUnit::Hours
        })
    );
}

#[test]
fn value_not_in_vocabulary_suggests_the_nearest() {
    let json = r#"{"sampling_strategy": "sample generation",
        "inputs": [{"metadata": {}, "num_samples": 1},
                   {"metadata": {"tissue_ontology_id": "UBERON:0002108"}, "num_samples": 1}]}"#;
    let errors = messages(json);
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].starts_with(
            "inputs[1].tissue_ontology_id: \"UBERON:0002108\" is not in the bulk model's vocabulary; did you mean UBERON:0002107 (liver)"
        ),
        "{}",
        errors[0]
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let json = r#"{"sampling_strategy": "sample generaton", "seeed": 1,
        "inputs": [{"metadata": {"tisue_ontology_id": "UBERON:0002107", "sex": "fmale", "race": "asian"}, "num_samples": 0},
                   {"metadata": {"age_years": "old", "perturbation_time": "24"}, "num_samples": 1}]}"#;
    let found = codes(json);
    for code in [
        "unknown_strategy",
        "unknown_field",
        "unknown_key",
        "not_in_enumeration",
        "key_not_modeled",
        "invalid_number",
        "invalid_quantity",
    ] {
        assert!(found.contains(&code), "{code} missing from {found:?}");
    }
    assert_eq!(found.len(), 8, "{found:?}");
}

fn single(json: &str) -> String {
    let errors = messages(json);
    assert_eq!(errors.len(), 1, "{errors:?}");
    errors.into_iter().next().unwrap_or_default()
}

#[test]
fn each_invalid_variant_gets_its_message() {
    let cases: &[(&str, &str)] = &[
        (
            r#"{"tisue_ontology_id": "UBERON:0002107"}"#,
            "inputs[0].tisue_ontology_id: is not a metadata key; valid keys are age_years, ",
        ),
        (
            r#"{"tissue_ontology_id": "liver"}"#,
            "inputs[0].tissue_ontology_id: \"liver\" is not an UBERON id such as UBERON:0002107; did you mean UBERON:0002107 (liver)?",
        ),
        (
            r#"{"tissue_ontology_id": 5}"#,
            "inputs[0].tissue_ontology_id: \"5\" is a number; expected an UBERON id",
        ),
        (
            r#"{"cell_line_ontology_id": "CVCL_00230"}"#,
            "inputs[0].cell_line_ontology_id: \"CVCL_00230\" is not a Cellosaurus id",
        ),
        (
            r#"{"cell_type_ontology_id": "CL:123"}"#,
            "inputs[0].cell_type_ontology_id: \"CL:123\" is not a Cell Ontology id",
        ),
        (
            r#"{"disease_ontology_id": "DOID:1234"}"#,
            "inputs[0].disease_ontology_id: \"DOID:1234\" is not a MONDO id",
        ),
        (
            r#"{"perturbation_ontology_id": "TP53"}"#,
            "inputs[0].perturbation_ontology_id: \"TP53\" is not an Ensembl gene id",
        ),
        (
            r#"{"study": "GSE1234"}"#,
            "inputs[0].study: \"GSE1234\" is not a BioProject id",
        ),
        (
            r#"{"sex": "fmale"}"#,
            "inputs[0].sex: \"fmale\" is not one of \"male\", \"female\"; did you mean",
        ),
        (
            r#"{"sample_type": "tissue"}"#,
            "inputs[0].sample_type: \"tissue\" is not one of \"cell line\"",
        ),
        (
            r#"{"perturbation_type": "drug"}"#,
            "inputs[0].perturbation_type: \"drug\" is not one of \"coculture\"",
        ),
        (
            r#"{"library_layout": "TRIPLE"}"#,
            "inputs[0].library_layout: \"TRIPLE\" is not one of \"PAIRED\", \"SINGLE\"",
        ),
        (
            r#"{"perturbation_time": "24"}"#,
            "inputs[0].perturbation_time: \"24\" has no unit; expected a number and a time unit such as \"24 hours\"",
        ),
        (
            r#"{"perturbation_time": "10 um"}"#,
            "inputs[0].perturbation_time: \"10 um\" is not a time;",
        ),
        (
            r#"{"perturbation_dose": "24 hours"}"#,
            "inputs[0].perturbation_dose: \"24 hours\" is not a dose;",
        ),
        (
            r#"{"perturbation_dose": "ten um"}"#,
            "inputs[0].perturbation_dose: \"ten um\" does not start with a number;",
        ),
        (
            r#"{"perturbation_dose": "10 parsecs"}"#,
            "inputs[0].perturbation_dose: \"10 parsecs\" has a unit that is not known;",
        ),
        (
            r#"{"perturbation_dose": 10}"#,
            "inputs[0].perturbation_dose: \"10\" is a number; expected a number and a dose unit",
        ),
        (
            r#"{"perturbation_dose": "1 mg/kg"}"#,
            "inputs[0].perturbation_dose: \"1 mg/kg\" is in a unit the bulk model cannot use; it accepts amounts convertible to um; did you mean 0.04 um",
        ),
        (
            r#"{"perturbation_dose": "50 um"}"#,
            "inputs[0].perturbation_dose: \"50 um\" is outside the bulk model's range of 0.01 um to 10 um; did you mean 10 um, 3.33 um",
        ),
        (
            r#"{"perturbation_time": "2 weeks"}"#,
            "inputs[0].perturbation_time: \"2 weeks\" is outside the bulk model's range of 1 hours to 168 hours",
        ),
        (
            r#"{"age_years": "old"}"#,
            "inputs[0].age_years: \"old\" is not a number of years from 0 to 150",
        ),
        (
            r#"{"age_years": 200}"#,
            "inputs[0].age_years: \"200\" is not a number of years",
        ),
        (
            r#"{"age_years": 95}"#,
            "inputs[0].age_years: \"95\" is outside the bulk model's range of 0 to 90",
        ),
        (
            r#"{"age_years": true}"#,
            "inputs[0].age_years: \"true\" is a boolean; expected a number of years",
        ),
        (
            r#"{"sex": null}"#,
            "inputs[0].sex: \"null\" is not a value; remove the key to let the model fill it in",
        ),
        (
            r#"{"race": "asian"}"#,
            "inputs[0].race: \"asian\" cannot be used: the bulk model has no data for this key; remove it",
        ),
        (
            r#"{"ethnicity": "x"}"#,
            "inputs[0].ethnicity: \"x\" cannot be used: the bulk model has no data for this key",
        ),
        (
            r#"{"genotype": ""}"#,
            "inputs[0].genotype: \"\" is an empty string; expected a text value",
        ),
        (
            r#"{"cell_line_ontology_id": "CVCL_0031"}"#,
            "inputs[0].cell_line_ontology_id: \"CVCL_0031\" is not in the bulk model's vocabulary; did you mean CVCL_0030 (HeLa)",
        ),
        (
            r#"{"developmental_stage": "child"}"#,
            "inputs[0].developmental_stage: \"child\" is not in the bulk model's vocabulary; did you mean HsapDv:0000087 (human adult stage)?",
        ),
    ];
    for (metadata, expected) in cases {
        let message = single(&with_metadata(metadata));
        assert!(
            message.starts_with(expected),
            "{metadata}\n got: {message}\nwant: {expected}"
        );
    }
}

#[test]
fn shape_errors_have_their_messages() {
    let strategy_missing = r#"{"inputs": [{"metadata": {}, "num_samples": 1}]}"#;
    assert_eq!(
        single(strategy_missing),
        "sampling_strategy: is missing; it is required and holds \"sample generation\" or \"mean estimation\""
    );
    let cases: &[(&str, &str)] = &[
        (
            "[1, 2]",
            "query: is a list; expected a JSON object with sampling_strategy and inputs",
        ),
        (
            "{",
            "query: not valid JSON: EOF while parsing an object at line 1 column 1",
        ),
        (
            r#"{"sampling_strategy": "sample generation"}"#,
            "inputs: is missing; it is required",
        ),
        (
            r#"{"sampling_strategy": 1, "inputs": [{"num_samples": 1}]}"#,
            "sampling_strategy: \"1\" is a number; expected",
        ),
        (
            r#"{"sampling_strategy": "sampling", "inputs": [{"num_samples": 1}]}"#,
            "sampling_strategy: \"sampling\" is not a sampling strategy; valid values are \"sample generation\" and \"mean estimation\"; did you mean sample generation?",
        ),
        (
            r#"{"sampling_strategy": "sample generation", "mode": "mean estimation", "inputs": [{"num_samples": 1}]}"#,
            "mode: \"sample generation\" differs from sampling_strategy",
        ),
        (
            r#"{"sampling_strategy": "sample generation", "inputs": []}"#,
            "inputs: is empty; a query needs at least one input",
        ),
        (
            r#"{"sampling_strategy": "sample generation", "inputs": {}}"#,
            "inputs: is an object; expected a list",
        ),
        (
            r#"{"sampling_strategy": "sample generation", "inputs": [3]}"#,
            "inputs[0]: is a number; expected an object",
        ),
        (
            r#"{"sampling_strategy": "sample generation", "inputs": [{}]}"#,
            "inputs[0].num_samples: is missing; it is required and holds the number of samples to generate",
        ),
        (
            r#"{"sampling_strategy": "sample generation", "inputs": [{"num_samples": -1}]}"#,
            "inputs[0].num_samples: \"-1\" is not a whole number of samples, 1 or more",
        ),
        (
            r#"{"sampling_strategy": "sample generation", "inputs": [{"num_samples": 2.5}]}"#,
            "inputs[0].num_samples: \"2.5\" is not a whole number",
        ),
        (
            r#"{"sampling_strategy": "sample generation", "inputs": [{"num_samples": 1, "metdata": {}}]}"#,
            "inputs[0].metdata: is not a field here; valid fields are metadata and num_samples; did you mean metadata?",
        ),
        (
            r#"{"sampling_strategy": "sample generation", "inputs": [{"num_samples": 1, "metadata": []}]}"#,
            "inputs[0].metadata: is a list; expected an object of metadata keys and values",
        ),
        (
            r#"{"sampling_strategy": "sample generation", "inputs": [{"num_samples": 20000}]}"#,
            "inputs[0].num_samples: \"20000\" is more than the limit of 10000 samples per input",
        ),
        (
            r#"{"sampling_strategy": "sample generation", "total_count": 0, "inputs": [{"num_samples": 1}]}"#,
            "total_count: \"0\" is not a positive number",
        ),
        (
            r#"{"sampling_strategy": "sample generation", "seed": -3, "inputs": [{"num_samples": 1}]}"#,
            "seed: \"-3\" is not a whole number from 0",
        ),
        (
            r#"{"sampling_strategy": "sample generation", "deterministic_latents": "yes", "inputs": [{"num_samples": 1}]}"#,
            "deterministic_latents: \"yes\" is a string; expected true or false",
        ),
        (
            r#"{"sampling_strategy": "sample generation", "sed": 1, "inputs": [{"num_samples": 1}]}"#,
            "sed: is not a field here; valid fields are sampling_strategy (or mode), inputs",
        ),
    ];
    for (json, expected) in cases {
        let message = single(json);
        assert!(
            message.starts_with(expected),
            "{json}\n got: {message}\nwant: {expected}"
        );
    }
}

#[test]
fn keys_written_twice_are_errors() {
    let json = r#"{"sampling_strategy": "sample generation", "seed": 1, "seed": 2,
        "inputs": [{"metadata": {"sex": "male", "sex": "female"}, "num_samples": 1, "num_samples": 2}]}"#;
    let errors = messages(json);
    assert_eq!(
        errors,
        vec![
            "seed: appears more than once in the same object; give each key once",
            "inputs[0].sex: appears more than once in the same object; give each key once",
            "inputs[0].num_samples: appears more than once in the same object; give each key once",
        ]
    );
}

#[test]
fn limits_are_enforced() {
    let limits = Limits {
        max_inputs: 2,
        max_samples_per_input: 10,
        max_total_samples: 15,
        max_query_bytes: 10_000,
        max_errors: 3,
    };
    let v = vocabulary();
    let input = r#"{"metadata": {}, "num_samples": 8}"#;
    let query = |n: usize| {
        format!(
            r#"{{"sampling_strategy": "sample generation", "inputs": [{}]}}"#,
            vec![input; n].join(",")
        )
    };
    let code_list = |json: &str, limits: &Limits| -> Vec<&'static str> {
        validate_with(&v, json, limits)
            .err()
            .map(|errors| errors.0.iter().map(|e| e.reason.code()).collect())
            .unwrap_or_default()
    };
    assert_eq!(code_list(&query(1), &limits), Vec::<&str>::new());
    assert_eq!(
        code_list(&query(2), &limits),
        vec!["too_many_total_samples"]
    );
    assert_eq!(
        code_list(&query(3), &limits),
        vec!["too_many_inputs", "too_many_total_samples"]
    );
    let big = format!("{}{}", query(1), " ".repeat(10_000));
    assert_eq!(code_list(&big, &limits), vec!["too_large"]);
    let many_errors = with_metadata(r#"{"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}"#);
    assert_eq!(
        code_list(&many_errors, &limits),
        vec![
            "unknown_key",
            "unknown_key",
            "unknown_key",
            "too_many_errors"
        ]
    );
}

#[test]
fn unsupported_strategy_is_rejected() {
    let v = vocabulary();
    let target = synthome_query::ModelTarget {
        name: "single-cell model",
        vocabulary: &v,
        default_total_count: 1e4,
        strategies: &[SamplingStrategy::SampleGeneration],
    };
    let json = r#"{"sampling_strategy": "mean estimation", "inputs": [{"num_samples": 1}]}"#;
    let errors = synthome_query::parse_and_validate(json, &target, &Limits::default())
        .expect_err("not supported");
    assert_eq!(
        errors.to_string(),
        "sampling_strategy: \"mean estimation\" is not supported by the single-cell model"
    );
    let ok = r#"{"sampling_strategy": "sample generation", "inputs": [{"num_samples": 1}]}"#;
    let valid = synthome_query::parse_and_validate(ok, &target, &Limits::default()).expect("valid");
    assert_eq!(valid.total_count, 1e4);
}

#[test]
fn deeply_nested_json_is_an_error_not_a_crash() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(codes(&deep), vec!["invalid_json"]);
    let deep_value = with_metadata(&format!(
        r#"{{"sex": {}{}}}"#,
        "[".repeat(120),
        "]".repeat(120)
    ));
    assert!(validate(&deep_value).is_err());
}

#[test]
fn errors_serialize_in_the_contract_shape() {
    let json = with_metadata(r#"{"tissue_ontology_id": "UBERON:0002108"}"#);
    let errors = validate(&json).expect_err("invalid");
    let value = serde_json::to_value(&errors).expect("serializes");
    let first = &value[0];
    assert_eq!(first["input"], 0);
    assert_eq!(first["key"], "tissue_ontology_id");
    assert_eq!(first["value"], "UBERON:0002108");
    assert_eq!(first["reason"], "is not in the bulk model's vocabulary");
    assert_eq!(first["code"], "not_in_vocabulary");
    assert_eq!(first["suggestions"][0]["id"], "UBERON:0002107");
    assert_eq!(first["suggestions"][0]["label"], "liver");
    assert_eq!(first["message"], errors.0[0].to_string());
    assert_eq!(errors.summary(), "the query has 1 problem");
}

#[test]
fn huge_objects_are_checked_in_bounded_work() {
    // 100k distinct unknown keys and 100k repeats of one key: quadratic work would hang here
    let distinct: Vec<String> = (0..100_000).map(|n| format!("\"k{n}\": 1")).collect();
    let repeated: Vec<String> = (0..100_000)
        .map(|_| "\"sex\": \"male\"".to_owned())
        .collect();
    for metadata in [distinct, repeated] {
        let json = with_metadata(&format!("{{{}}}", metadata.join(",")));
        let errors = validate(&json).expect_err("invalid");
        assert!(errors.0.len() <= Limits::default().max_errors + 1);
    }
}
