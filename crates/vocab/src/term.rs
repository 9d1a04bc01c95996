//! One accepted value of a metadata key: its primary id, label, synonyms and alternative ids

/// One value a model accepts for a metadata key: an ontology term or an enumeration value
///
/// Enumeration values (sex, sample_type, ...) are terms too, with `id` equal to the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The primary id, the form the model reports (e.g. `UBERON:0002107`, `female`)
    pub id: String,
    /// Human-readable name (e.g. `liver`)
    pub label: String,
    /// Other names that search finds (e.g. gene aliases, drug trade names)
    pub synonyms: Vec<String>,
    /// Other ids accepted for the same thing, resolved to `id` (e.g. `CHEBI:45783` for `CHEMBL941`)
    pub alternative_ids: Vec<String>,
}

/// The synonym prefix under which a single-cell vocabulary lists the tissues that have a cell
/// type (`"tissues: blood, lung"`): search finds a type by its tissues, and the app shows them.
pub const TISSUES_PREFIX: &str = "tissues: ";

impl Term {
    /// The tissues listed among the synonyms ([`TISSUES_PREFIX`]), if any.
    pub fn tissues(&self) -> Option<&str> {
        self.synonyms
            .iter()
            .find_map(|synonym| synonym.strip_prefix(TISSUES_PREFIX))
    }

    /// A term with an id and a label, no synonyms and no alternative ids
    pub fn new(id: impl Into<String>, label: impl Into<String>) -> Term {
        Term {
            id: id.into(),
            label: label.into(),
            synonyms: Vec::new(),
            alternative_ids: Vec::new(),
        }
    }

    /// The same term with these synonyms
    pub fn with_synonyms<S: Into<String>>(mut self, synonyms: impl IntoIterator<Item = S>) -> Term {
        self.synonyms = synonyms.into_iter().map(Into::into).collect();
        self
    }

    /// The same term with these alternative ids
    pub fn with_alternative_ids<S: Into<String>>(
        mut self,
        alternative_ids: impl IntoIterator<Item = S>,
    ) -> Term {
        self.alternative_ids = alternative_ids.into_iter().map(Into::into).collect();
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tissues_are_read_from_their_synonym() {
        let typed = Term::new("CL:0000236", "B cell")
            .with_synonyms(["B lymphocyte", "tissues: blood, lung"]);
        assert_eq!(typed.tissues(), Some("blood, lung"));
        assert_eq!(Term::new("UBERON:0002107", "liver").tissues(), None);
    }
}
