//! The metadata columns of a result: every key any sample has, in first-seen order.

use synthome_matrix::SampleMetadata;

/// Metadata keys in first-seen order across samples (input keys come first in each sample).
pub(crate) fn metadata_keys(samples: &[SampleMetadata]) -> Vec<&str> {
    let mut keys: Vec<&str> = Vec::new();
    for sample in samples {
        for field in &sample.fields {
            if !keys.contains(&field.key.as_str()) {
                keys.push(&field.key);
            }
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use synthome_matrix::MetadataField;

    fn field(key: &str) -> MetadataField {
        MetadataField {
            key: key.into(),
            value: "v".into(),
            inferred: false,
        }
    }

    #[test]
    fn keys_are_unique_in_first_seen_order() {
        let samples = vec![
            SampleMetadata::new("a", vec![field("sex"), field("age")]),
            SampleMetadata::new("b", vec![field("tissue"), field("sex")]),
        ];
        assert_eq!(metadata_keys(&samples), vec!["sex", "age", "tissue"]);
        assert!(metadata_keys(&[]).is_empty());
    }
}
