//! Cell-line names to Cellosaurus ids: Cellosaurus labels plus DepMap names and synonyms,
//! compared ignoring case and punctuation ("HeLa", "HELA", "hela" -> CVCL_0030)

use std::collections::HashMap;
use std::io::Read;

use crate::error::ReferenceError;
use crate::ontology::OntologyTerms;
use crate::text::{columns, normalise_name, read_text};

/// Cell-line names and synonyms by Cellosaurus id, and the reverse look-up
#[derive(Debug, Clone, Default)]
pub struct CellLineNames {
    by_name: HashMap<String, String>,
    labels: HashMap<String, String>,
    synonyms: HashMap<String, Vec<String>>,
}

impl CellLineNames {
    /// Builds the look-up from the Cellosaurus terms (ids `CVCL_...`; other ids are ignored),
    /// the DepMap synonyms table (header text, curie, ...) and the DepMap mappings table (header
    /// subject_id, object_id, ...; objects `cellosaurus:NNNN`)
    ///
    /// DepMap names win over Cellosaurus labels when both normalise to the same text; among
    /// Cellosaurus labels the smallest id wins.
    pub fn new<S: Read, M: Read>(
        cellosaurus: &OntologyTerms,
        depmap_synonyms: S,
        depmap_mappings: M,
    ) -> Result<CellLineNames, ReferenceError> {
        let mut names = CellLineNames::default();
        let mut cell_lines: Vec<(&str, &str)> = cellosaurus
            .iter()
            .filter(|(id, _)| id.starts_with("CVCL_"))
            .map(|(id, term)| (id, term.label.as_str()))
            .collect();
        cell_lines.sort_unstable();
        for (id, label) in &cell_lines {
            names.labels.insert((*id).to_owned(), (*label).to_owned());
        }

        let mapping_text = read_text(depmap_mappings, "DepMap mappings")?;
        let mut mapping_lines = mapping_text.lines();
        let [subject_col, object_col] = columns(
            mapping_lines.next().unwrap_or_default(),
            '\t',
            ["subject_id", "object_id"],
            "DepMap mappings",
        )?;
        let mut depmap_to_cvcl: HashMap<String, String> = HashMap::new();
        for line in mapping_lines {
            let cells: Vec<&str> = line.trim_end_matches('\r').split('\t').collect();
            let cell = |column: usize| cells.get(column).copied().unwrap_or_default().trim();
            if let Some(number) = cell(object_col).strip_prefix("cellosaurus:") {
                depmap_to_cvcl
                    .entry(cell(subject_col).to_owned())
                    .or_insert_with(|| format!("CVCL_{number}"));
            }
        }

        let synonym_text = read_text(depmap_synonyms, "DepMap synonyms")?;
        let mut synonym_lines = synonym_text.lines();
        let [text_col, curie_col] = columns(
            synonym_lines.next().unwrap_or_default(),
            '\t',
            ["text", "curie"],
            "DepMap synonyms",
        )?;
        for line in synonym_lines {
            let cells: Vec<&str> = line.trim_end_matches('\r').split('\t').collect();
            let cell = |column: usize| cells.get(column).copied().unwrap_or_default().trim();
            let Some(cvcl) = depmap_to_cvcl.get(cell(curie_col)) else {
                continue;
            };
            let text = cell(text_col);
            let key = normalise_name(text);
            if key.is_empty() {
                continue;
            }
            names
                .by_name
                .entry(key.clone())
                .or_insert_with(|| cvcl.clone());
            let label_key = names.labels.get(cvcl).map(|label| normalise_name(label));
            let list = names.synonyms.entry(cvcl.clone()).or_default();
            let known = label_key.as_deref() == Some(key.as_str())
                || list.iter().any(|existing| normalise_name(existing) == key);
            if !known {
                list.push(text.to_owned());
            }
        }
        for (id, label) in cell_lines {
            let key = normalise_name(label);
            if !key.is_empty() {
                names.by_name.entry(key).or_insert_with(|| id.to_owned());
            }
        }
        Ok(names)
    }

    /// The Cellosaurus id of a cell-line name or synonym, ignoring case and punctuation
    pub fn lookup(&self, name: &str) -> Option<&str> {
        self.by_name.get(&normalise_name(name)).map(String::as_str)
    }

    /// The Cellosaurus label of an id
    pub fn label(&self, cvcl_id: &str) -> Option<&str> {
        self.labels.get(cvcl_id).map(String::as_str)
    }

    /// DepMap names of an id that differ from its label
    pub fn synonyms(&self, cvcl_id: &str) -> &[String] {
        self.synonyms.get(cvcl_id).map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> CellLineNames {
        let mut cellosaurus = OntologyTerms::new();
        cellosaurus
            .add_json(
                br#"{"CVCL_0030": {"label": "HeLa", "deprecated": false},
                     "CVCL_0465": {"label": "NIH:OVCAR-3", "deprecated": false},
                     "CVCL_9999": {"label": "He-La", "deprecated": false},
                     "CVCL_0004": {"label": "K-562", "deprecated": false}}"#,
                "test",
            )
            .expect("json");
        let synonyms = "text\tcurie\tname\tpredicate\tsource\nHeLa\tdepmap:ACH-001086\tHELA\tx\tdepmap\nHELA\tdepmap:ACH-001086\tHELA\tx\tdepmap\nOVCAR3\tdepmap:ACH-000001\tNIH:OVCAR-3\tx\tdepmap\nNOPE\tdepmap:ACH-999\tN\tx\tdepmap\n";
        let mappings = "subject_id\tobject_id\tpredicate_id\tmapping_justification\ndepmap:ACH-001086\tcellosaurus:0030\tskos:exactMatch\tx\ndepmap:ACH-000001\tcosmic.cell:905933\tskos:exactMatch\tx\ndepmap:ACH-000001\tcellosaurus:0465\tskos:exactMatch\tx\n";
        CellLineNames::new(&cellosaurus, synonyms.as_bytes(), mappings.as_bytes()).expect("tables")
    }

    #[test]
    fn names_resolve_ignoring_case_and_punctuation() {
        let names = names();
        for name in ["HeLa", "HELA", "hela", "He La"] {
            assert_eq!(names.lookup(name), Some("CVCL_0030"), "{name}");
        }
        assert_eq!(names.lookup("ovcar-3"), Some("CVCL_0465"));
        assert_eq!(names.lookup("NIH:OVCAR-3"), Some("CVCL_0465"));
        assert_eq!(names.lookup("k562"), Some("CVCL_0004"));
        assert_eq!(names.lookup("nope"), None);
        assert_eq!(names.label("CVCL_0030"), Some("HeLa"));
        assert_eq!(names.synonyms("CVCL_0465"), ["OVCAR3".to_owned()]);
        assert!(
            names.synonyms("CVCL_0030").is_empty(),
            "HELA equals the label once normalised"
        );
    }
}
