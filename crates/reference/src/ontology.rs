//! Ontology terms from the zstd JSON files `{CURIE: {label, synonyms, deprecated, replaced_by, ...}}`

use std::collections::HashMap;

use crate::error::ReferenceError;

/// A term of an ontology: its label and synonyms
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OntologyTerm {
    /// The label
    pub label: String,
    /// Exact and related synonyms
    pub synonyms: Vec<String>,
}

/// Non-deprecated terms of one or more ontologies by CURIE, and the replacements of deprecated ones
#[derive(Debug, Clone, Default)]
pub struct OntologyTerms {
    terms: HashMap<String, OntologyTerm>,
    replaced_by: HashMap<String, String>,
}

/// One entry of the JSON file; other fields (ancestors, description, ...) are skipped
#[derive(serde::Deserialize)]
struct RawTerm {
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    synonyms: Vec<String>,
    #[serde(default)]
    deprecated: bool,
    #[serde(default)]
    replaced_by: Option<String>,
}

impl OntologyTerms {
    /// No terms
    pub fn new() -> OntologyTerms {
        OntologyTerms::default()
    }

    /// Adds the terms of one ontology JSON document (already decompressed); deprecated terms
    /// are skipped, their `replaced_by` kept; terms without a label are skipped
    pub fn add_json(&mut self, json: &[u8], table: &'static str) -> Result<(), ReferenceError> {
        let raw: HashMap<String, RawTerm> =
            serde_json::from_slice(json).map_err(|error| ReferenceError::Json {
                table,
                detail: error.to_string(),
            })?;
        for (id, term) in raw {
            if term.deprecated {
                if let Some(replacement) = term.replaced_by {
                    self.replaced_by.insert(id, replacement);
                }
                continue;
            }
            let Some(label) = term.label else {
                continue;
            };
            let mut synonyms = term.synonyms;
            synonyms.retain(|synonym| synonym != &label);
            synonyms.dedup();
            self.terms.insert(id, OntologyTerm { label, synonyms });
        }
        Ok(())
    }

    /// The term with this CURIE, if present and not deprecated
    pub fn get(&self, id: &str) -> Option<&OntologyTerm> {
        self.terms.get(id)
    }

    /// The label of this CURIE
    pub fn label(&self, id: &str) -> Option<&str> {
        self.get(id).map(|term| term.label.as_str())
    }

    /// The replacement of a deprecated CURIE, if the ontology names one
    pub fn replacement(&self, id: &str) -> Option<&str> {
        self.replaced_by.get(id).map(String::as_str)
    }

    /// Number of (non-deprecated) terms
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether there are no terms
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// All terms, in no particular order
    pub fn iter(&self) -> impl Iterator<Item = (&str, &OntologyTerm)> {
        self.terms.iter().map(|(id, term)| (id.as_str(), term))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_labels_synonyms_and_skips_deprecated() {
        let json = br#"{
            "UBERON:0002107": {"label": "liver", "synonyms": ["iecur", "liver"], "deprecated": false,
                               "ancestors": {"UBERON:0002365": 1}, "description": "An exocrine gland"},
            "UBERON:0000001": {"label": "obsolete thing", "deprecated": true, "replaced_by": "UBERON:0002107"},
            "UBERON:0000002": {"deprecated": false}
        }"#;
        let mut terms = OntologyTerms::new();
        terms.add_json(json, "test").expect("valid JSON");
        assert_eq!(terms.len(), 1);
        assert_eq!(terms.label("UBERON:0002107"), Some("liver"));
        assert_eq!(
            terms.get("UBERON:0002107").map(|t| t.synonyms.clone()),
            Some(vec!["iecur".to_owned()])
        );
        assert_eq!(terms.get("UBERON:0000001"), None);
        assert_eq!(terms.replacement("UBERON:0000001"), Some("UBERON:0002107"));
    }

    #[test]
    fn bad_json_is_an_error() {
        let mut terms = OntologyTerms::new();
        assert!(terms.add_json(b"[1, 2]", "test").is_err());
        assert!(
            terms
                .add_json(b"{\"A:1\": {\"label\": 3}}", "test")
                .is_err()
        );
    }
}
