//! "Did you mean" suggestions among fixed names (keys, fields, enumeration values), using the
//! vocabulary crate's search so that typos and prefixes are handled the same way everywhere

use synthome_vocab::{Term, TermIndex};

use crate::error::Suggestion;

/// Up to `n` of `candidates` that look like `given`: the search hits (prefix or typo), or else
/// the single closest name
pub(crate) fn similar_names(candidates: &[&str], given: &str, n: usize) -> Vec<Suggestion> {
    let terms = candidates
        .iter()
        .map(|name| Term::new(*name, *name))
        .collect();
    let Ok(index) = TermIndex::new(terms) else {
        return Vec::new();
    };
    let mut found: Vec<&Term> = index
        .search(given, n)
        .into_iter()
        .map(|hit| hit.term)
        .collect();
    if found.is_empty() {
        found = index.nearest(given, 1);
    }
    found
        .into_iter()
        .map(|term| Suggestion {
            id: term.id.clone(),
            label: String::new(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(candidates: &[&str], given: &str) -> Vec<String> {
        similar_names(candidates, given, 3)
            .into_iter()
            .map(|s| s.id)
            .collect()
    }

    #[test]
    fn finds_typos_and_prefixes() {
        let keys = [
            "tissue_ontology_id",
            "cell_type_ontology_id",
            "sex",
            "age_years",
        ];
        assert_eq!(ids(&keys, "tisue_ontology_id"), vec!["tissue_ontology_id"]);
        assert_eq!(ids(&keys, "age"), vec!["age_years"]);
        assert_eq!(ids(&["male", "female"], "Femal"), vec!["female"]);
        assert_eq!(ids(&["metadata", "num_samples"], "zzz").len(), 1);
        assert!(ids(&[], "x").is_empty());
    }
}
