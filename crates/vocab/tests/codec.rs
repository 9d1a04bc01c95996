//! The binary encoding: round trips, and no panic on garbage

use proptest::prelude::*;
use synthome_vocab::{KeyDomain, QuantityUnit, Term, TermIndex, VocabError, Vocabulary};

fn sample() -> Vocabulary {
    let mut vocabulary = Vocabulary::new();
    let terms = TermIndex::new(vec![
        Term::new("CHEMBL941", "IMATINIB")
            .with_synonyms(["Gleevec"])
            .with_alternative_ids(["CHEBI:45783"]),
        Term::new("ENSG00000141510", "TP53 ✓"),
    ])
    .expect("valid terms");
    vocabulary
        .insert("perturbation_ontology_id", KeyDomain::Terms(terms))
        .expect("new key");
    vocabulary
        .insert(
            "perturbation_dose",
            KeyDomain::Quantity {
                unit: QuantityUnit::Micromolar,
                min: 0.01,
                max: 10.0,
                known: vec![10.0, 0.01, 1.0],
            },
        )
        .expect("new key");
    vocabulary
        .insert(
            "age_years",
            KeyDomain::Number {
                min: 0.0,
                max: 90.0,
            },
        )
        .expect("new key");
    vocabulary
}

#[test]
fn round_trip_keeps_every_domain() {
    let original = sample();
    let bytes = original.encode();
    let decoded = Vocabulary::decode(&bytes).expect("decodes");
    assert_eq!(decoded.encode(), bytes);
    assert_eq!(
        decoded.keys().collect::<Vec<_>>(),
        original.keys().collect::<Vec<_>>()
    );
    let term = decoded
        .resolve("perturbation_ontology_id", "CHEBI:45783")
        .expect("alternative id survives");
    assert_eq!(term.synonyms, vec!["Gleevec".to_owned()]);
    match decoded.domain("perturbation_dose") {
        Some(KeyDomain::Quantity { unit, known, .. }) => {
            assert_eq!(*unit, QuantityUnit::Micromolar);
            assert_eq!(known, &vec![0.01, 1.0, 10.0]);
        }
        other => panic!("expected a quantity, got {other:?}"),
    }
}

#[test]
fn every_truncation_is_an_error() {
    let bytes = sample().encode();
    for end in 0..bytes.len() {
        assert!(
            Vocabulary::decode(&bytes[..end]).is_err(),
            "prefix of {end} bytes"
        );
    }
}

#[test]
fn header_errors_are_specific() {
    let bytes = sample().encode();
    assert_eq!(
        Vocabulary::decode(b"NOTVOCAB\x01\x00\x00").err(),
        Some(VocabError::BadMagic)
    );
    let mut newer = bytes.clone();
    newer[8] = 9;
    assert!(matches!(
        Vocabulary::decode(&newer),
        Err(VocabError::UnsupportedVersion { found: 9, .. })
    ));
    let mut longer = bytes;
    longer.push(0);
    assert_eq!(
        Vocabulary::decode(&longer).err(),
        Some(VocabError::TrailingBytes { count: 1 })
    );
}

#[test]
fn huge_counts_are_rejected_before_allocating() {
    let mut bytes = b"SYNVOCAB\x01\x00".to_vec();
    bytes.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0x0f]);
    assert!(matches!(
        Vocabulary::decode(&bytes),
        Err(VocabError::CountTooLarge { .. })
    ));
}

proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = Vocabulary::decode(&bytes);
    }

    #[test]
    fn corrupted_encodings_never_panic(position in 0usize..200, byte in any::<u8>()) {
        let mut bytes = sample().encode();
        let at = position % bytes.len();
        bytes[at] = byte;
        if let Ok(vocabulary) = Vocabulary::decode(&bytes) {
            // Whatever decodes is normalised: its encoding decodes to the same encoding
            let again = vocabulary.encode();
            let twice = Vocabulary::decode(&again).map(|v| v.encode());
            prop_assert_eq!(twice.ok(), Some(again));
        }
    }

    #[test]
    fn generated_vocabularies_round_trip(
        terms in proptest::collection::btree_map("[A-Z]{2,4}:[0-9]{1,5}", ("\\PC{0,12}", proptest::collection::vec("\\PC{0,8}", 0..3)), 0..20)
    ) {
        let terms: Vec<Term> = terms
            .into_iter()
            .map(|(id, (label, synonyms))| Term::new(id, label).with_synonyms(synonyms))
            .collect();
        let mut vocabulary = Vocabulary::new();
        vocabulary.insert("k", KeyDomain::Terms(TermIndex::new(terms.clone()).expect("unique ids"))).expect("new key");
        let decoded = Vocabulary::decode(&vocabulary.encode()).expect("decodes");
        let back = decoded.domain("k").and_then(KeyDomain::terms).map(|index| index.terms().to_vec());
        prop_assert_eq!(back, Some(terms));
    }
}
