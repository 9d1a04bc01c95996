//! Search, resolution and "did you mean" behaviour on a small mixed vocabulary

use synthome_vocab::{KeyDomain, MatchKind, Term, TermIndex, Vocabulary};

fn vocabulary() -> Vocabulary {
    let mut vocabulary = Vocabulary::new();
    let tissues = TermIndex::new(vec![
        Term::new("UBERON:0002107", "liver"),
        Term::new("UBERON:0002048", "lung"),
        Term::new("UBERON:0000945", "stomach"),
        Term::new("UBERON:0001114", "right lobe of liver"),
        Term::new("UBERON:0000178", "blood").with_synonyms(["whole blood"]),
    ])
    .expect("valid tissues");
    let cell_lines = TermIndex::new(vec![
        Term::new("CVCL_0030", "HeLa").with_synonyms(["HELA", "Hela cells"]),
        Term::new("CVCL_0023", "A-549").with_synonyms(["A549"]),
        Term::new("CVCL_1922", "HeLa S3").with_synonyms(["HELAS3"]),
    ])
    .expect("valid cell lines");
    let perturbations = TermIndex::new(vec![
        Term::new("CHEMBL941", "IMATINIB")
            .with_synonyms(["Gleevec", "STI-571"])
            .with_alternative_ids(["CHEBI:45783"]),
        Term::new("ENSG00000141510", "TP53").with_synonyms(["P53", "LFS1"]),
        Term::new("ENSG00000156127", "BATF"),
    ])
    .expect("valid perturbations");
    let sex = TermIndex::new(vec![
        Term::new("female", "female"),
        Term::new("male", "male"),
    ])
    .expect("valid sexes");
    for (key, index) in [
        ("tissue_ontology_id", tissues),
        ("cell_line_ontology_id", cell_lines),
        ("perturbation_ontology_id", perturbations),
        ("sex", sex),
    ] {
        vocabulary
            .insert(key, KeyDomain::Terms(index))
            .expect("new key");
    }
    vocabulary
}

fn first(vocabulary: &Vocabulary, key: Option<&str>, text: &str) -> Option<(String, MatchKind)> {
    vocabulary
        .search(key, text, 5)
        .first()
        .map(|hit| (hit.term.id.clone(), hit.kind))
}

#[test]
fn issue_examples_find_their_terms() {
    let v = vocabulary();
    let check = |key: &str, text: &str, id: &str| {
        let found = first(&v, Some(key), text).map(|(found, _)| found);
        assert_eq!(found.as_deref(), Some(id), "{text:?} in {key}");
    };
    check("tissue_ontology_id", "livr", "UBERON:0002107");
    check("cell_line_ontology_id", "hela", "CVCL_0030");
    check("perturbation_ontology_id", "imatinib", "CHEMBL941");
    check("perturbation_ontology_id", "TP53", "ENSG00000141510");
    check("perturbation_ontology_id", "imatnib", "CHEMBL941");
    check("perturbation_ontology_id", "gleevec", "CHEMBL941");
}

#[test]
fn ranking_follows_match_kinds() {
    let v = vocabulary();
    let check = |text: &str, id: &str, kind: MatchKind| {
        assert_eq!(
            first(&v, None, text),
            Some((id.to_owned(), kind)),
            "{text:?}"
        );
    };
    check("CVCL_0030", "CVCL_0030", MatchKind::ExactId);
    check("cvcl0030", "CVCL_0030", MatchKind::ExactId);
    check("CHEBI:45783", "CHEMBL941", MatchKind::ExactId);
    check("liver", "UBERON:0002107", MatchKind::ExactLabel);
    check("a549", "CVCL_0023", MatchKind::ExactLabel);
    check("sti571", "CHEMBL941", MatchKind::ExactSynonym);
    check("ENSG000001415", "ENSG00000141510", MatchKind::IdPrefix);
    check("stom", "UBERON:0000945", MatchKind::LabelPrefix);
    check("lobe liv", "UBERON:0001114", MatchKind::LabelWords);
    check("whole", "UBERON:0000178", MatchKind::SynonymPrefix);
    check("blod", "UBERON:0000178", MatchKind::Fuzzy);
}

#[test]
fn shorter_labels_rank_before_longer_ones_of_the_same_kind() {
    let v = vocabulary();
    let hits = v.search(Some("tissue_ontology_id"), "liv", 5);
    let ids: Vec<&str> = hits.iter().map(|hit| hit.term.id.as_str()).collect();
    assert_eq!(ids.first(), Some(&"UBERON:0002107"));
    assert!(ids.contains(&"UBERON:0001114"));
    let hela = v.search(Some("cell_line_ontology_id"), "hela", 5);
    assert_eq!(hela.len(), 2, "HeLa and HeLa S3");
    assert!(hela[0].score > hela[1].score);
}

#[test]
fn empty_and_unknown_queries_find_nothing() {
    let v = vocabulary();
    assert!(v.search(None, "", 5).is_empty());
    assert!(v.search(None, " -:- ", 5).is_empty());
    assert!(v.search(None, "zzzzzz", 5).is_empty());
    assert!(v.search(Some("no_such_key"), "liver", 5).is_empty());
    assert!(v.search(None, "liver", 0).is_empty());
}

#[test]
fn limit_caps_the_hits() {
    let v = vocabulary();
    assert_eq!(v.search(None, "l", 2).len(), 2);
}

#[test]
fn resolve_accepts_alternative_ids_and_any_case() {
    let v = vocabulary();
    let id = |key: &str, value: &str| v.resolve(key, value).map(|term| term.id.clone());
    assert_eq!(
        id("perturbation_ontology_id", "CHEBI:45783").as_deref(),
        Some("CHEMBL941")
    );
    assert_eq!(
        id("perturbation_ontology_id", "chembl941").as_deref(),
        Some("CHEMBL941")
    );
    assert_eq!(
        id("cell_line_ontology_id", "cvcl_0030").as_deref(),
        Some("CVCL_0030")
    );
    assert_eq!(id("sex", "Female").as_deref(), Some("female"));
    assert_eq!(
        id("tissue_ontology_id", "liver"),
        None,
        "labels are not ids"
    );
    assert_eq!(id("race", "female"), None, "unmodelled key");
}

#[test]
fn nearest_suggests_close_ids_and_labels() {
    let v = vocabulary();
    let ids = |key: &str, value: &str| -> Vec<String> {
        v.nearest(key, value, 3)
            .into_iter()
            .map(|term| term.id.clone())
            .collect()
    };
    assert_eq!(
        ids("tissue_ontology_id", "UBERON:0002108")[0],
        "UBERON:0002107"
    );
    assert_eq!(ids("tissue_ontology_id", "liver")[0], "UBERON:0002107");
    assert_eq!(ids("cell_line_ontology_id", "CVCL_0031")[0], "CVCL_0030");
    assert_eq!(ids("sex", "femail")[0], "female");
    assert_eq!(ids("sex", "x").len(), 2, "all terms when fewer than asked");
    assert!(ids("age_years", "1").is_empty());
}

#[test]
fn invalid_term_sets_are_rejected() {
    assert!(TermIndex::new(vec![Term::new("", "nothing")]).is_err());
    assert!(TermIndex::new(vec![Term::new("A", "a"), Term::new("A", "b")]).is_err());
    assert!(
        TermIndex::new(vec![
            Term::new("A", "a"),
            Term::new("B", "b").with_alternative_ids(["A"])
        ])
        .is_err()
    );
    let mut v = Vocabulary::new();
    assert!(
        v.insert("age_years", KeyDomain::Number { min: 5.0, max: 1.0 })
            .is_err()
    );
    assert!(
        v.insert(
            "age_years",
            KeyDomain::Number {
                min: f64::NAN,
                max: 1.0
            }
        )
        .is_err()
    );
    assert!(
        v.insert("age_years", KeyDomain::Number { min: 0.0, max: 1.0 })
            .is_ok()
    );
    assert!(
        v.insert("age_years", KeyDomain::Number { min: 0.0, max: 1.0 })
            .is_err()
    );
}

proptest::proptest! {
    #[test]
    fn search_never_panics_and_ranks_best_first(text in "\\PC{0,30}", limit in 0usize..8) {
        let v = vocabulary();
        let hits = v.search(None, &text, limit);
        proptest::prop_assert!(hits.len() <= limit);
        for pair in hits.windows(2) {
            proptest::prop_assert!(pair[0].score >= pair[1].score);
        }
        for hit in &hits {
            let term = hit.term;
            let owned = std::iter::once(&term.id)
                .chain(&term.alternative_ids)
                .chain(std::iter::once(&term.label))
                .chain(&term.synonyms)
                .any(|text| text == hit.matched);
            proptest::prop_assert!(owned, "matched text belongs to the term");
        }
        let near = v.nearest("tissue_ontology_id", &text, 3);
        proptest::prop_assert!(near.len() <= 3);
    }
}
