//! Fuzzes `parse_and_validate` with arbitrary bytes against a small vocabulary of every domain
//! kind: it must never panic, and an accepted query must respect the limits

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use synthome_query::{Limits, ModelTarget, SamplingStrategy, parse_and_validate};
use synthome_vocab::{KeyDomain, QuantityUnit, Term, TermIndex, Vocabulary};

fn vocabulary() -> &'static Vocabulary {
    static VOCABULARY: OnceLock<Vocabulary> = OnceLock::new();
    VOCABULARY.get_or_init(|| {
        let mut vocabulary = Vocabulary::new();
        let terms = |list: Vec<Term>| {
            KeyDomain::Terms(TermIndex::new(list).unwrap_or_else(|e| panic!("fixture: {e}")))
        };
        let domains = vec![
            ("tissue_ontology_id", terms(vec![Term::new("UBERON:0002107", "liver"), Term::new("UBERON:0002048", "lung")])),
            ("cell_line_ontology_id", terms(vec![Term::new("CVCL_0030", "HeLa").with_synonyms(["HELA"])])),
            ("perturbation_ontology_id", terms(vec![
                Term::new("CHEMBL941", "IMATINIB").with_alternative_ids(["CHEBI:45783"]),
                Term::new("ENSG00000141510", "TP53"),
                Term::new("9606", "Homo sapiens"),
            ])),
            ("sex", terms(vec![Term::new("female", "female"), Term::new("male", "male")])),
            ("sample_type", terms(vec![Term::new("cell line", "cell line")])),
            ("developmental_stage", terms(vec![Term::new("HsapDv:0000087", "human adult stage")])),
            ("race", terms(Vec::new())),
            ("perturbation_time", KeyDomain::Quantity { unit: QuantityUnit::Hours, min: 1.0, max: 96.0, known: vec![6.0, 24.0] }),
            ("perturbation_dose", KeyDomain::Quantity { unit: QuantityUnit::Micromolar, min: 0.01, max: 10.0, known: vec![0.1, 1.0] }),
            ("age_years", KeyDomain::Number { min: 0.0, max: 90.0 }),
        ];
        for (key, domain) in domains {
            vocabulary.insert(key, domain).unwrap_or_else(|e| panic!("fixture: {e}"));
        }
        vocabulary
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(json) = std::str::from_utf8(data) else {
        return;
    };
    let limits = Limits {
        max_inputs: 50,
        max_samples_per_input: 1_000,
        max_total_samples: 5_000,
        max_query_bytes: 64 * 1024,
        max_errors: 20,
    };
    let target = ModelTarget {
        name: "fuzz model",
        vocabulary: vocabulary(),
        default_total_count: 1e7,
        strategies: &SamplingStrategy::ALL,
    };
    match parse_and_validate(json, &target, &limits) {
        Ok(valid) => {
            assert!(!valid.inputs.is_empty() && valid.inputs.len() <= limits.max_inputs);
            let total = valid.total_samples();
            assert!(total <= limits.max_total_samples);
            assert!(valid.total_count.is_finite() && valid.total_count > 0.0);
        }
        Err(errors) => {
            assert!(!errors.0.is_empty() && errors.0.len() <= limits.max_errors + 1);
            let _ = errors.to_string();
            let _ = serde_json::to_string(&errors);
        }
    }
});
