//! Per-sample metadata: the sample id and the metadata fields, given or inferred.

/// One metadata field of a sample.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetadataField {
    /// The query's metadata key name (`tissue_ontology_id`, `sex`, ...).
    pub key: String,
    /// The value, as the query gives it (ontology ids as CURIEs).
    pub value: String,
    /// True when the engine filled the value in (the query left the key unspecified).
    pub inferred: bool,
}

/// The metadata of one generated sample.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleMetadata {
    /// A unique sample id within the result (e.g. `sample_1`).
    pub sample_id: String,
    /// The metadata fields: the input's keys first, in input order, then the inferred keys.
    pub fields: Vec<MetadataField>,
}

impl SampleMetadata {
    /// Builds the metadata of one sample.
    pub fn new(sample_id: impl Into<String>, fields: Vec<MetadataField>) -> Self {
        Self {
            sample_id: sample_id.into(),
            fields,
        }
    }

    /// The value of a metadata key, if the sample has it.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|field| field.key == key)
            .map(|field| field.value.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_returns_the_value_of_a_key() {
        let sample = SampleMetadata::new(
            "sample_1",
            vec![MetadataField {
                key: "sex".into(),
                value: "female".into(),
                inferred: true,
            }],
        );
        assert_eq!(sample.get("sex"), Some("female"));
        assert_eq!(sample.get("tissue_ontology_id"), None);
    }
}
