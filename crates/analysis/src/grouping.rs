//! Samples grouped by a metadata field (condition, cell type, sex, ...): the axis of every
//! per-group plot and the colour of the PCA.

use synthome_matrix::SampleMetadata;

use crate::AnalysisError;

/// The label of the group of samples that lack the grouping key.
pub const MISSING_LABEL: &str = "(not set)";

/// Every sample assigned to one of a list of labelled groups.
///
/// Invariant (checked at construction): every assignment is below the number of labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grouping {
    labels: Vec<String>,
    assignment: Vec<usize>,
}

impl Grouping {
    /// Groups samples by the value of a metadata key, labels in order of first appearance.
    ///
    /// Samples without the key form a group labelled [`MISSING_LABEL`].
    ///
    /// ```
    /// use synthome_analysis::Grouping;
    /// use synthome_matrix::{MetadataField, SampleMetadata};
    ///
    /// let sample = |id: &str, sex: &str| SampleMetadata::new(id, vec![MetadataField {
    ///     key: "sex".into(), value: sex.into(), inferred: false,
    /// }]);
    /// let samples = [sample("s1", "male"), sample("s2", "female"), sample("s3", "male")];
    /// let grouping = Grouping::by_field(&samples, "sex");
    /// assert_eq!(grouping.labels(), ["male", "female"]);
    /// assert_eq!(grouping.assignment(), [0, 1, 0]);
    /// ```
    pub fn by_field(samples: &[SampleMetadata], key: &str) -> Self {
        Self::by_label(samples, |sample| {
            sample.get(key).unwrap_or(MISSING_LABEL).to_owned()
        })
    }

    /// Groups samples by the combination of several keys' values (joined with `" | "`), labels
    /// in order of first appearance; a missing key contributes [`MISSING_LABEL`].
    pub fn by_fields(samples: &[SampleMetadata], keys: &[&str]) -> Self {
        Self::by_label(samples, |sample| {
            keys.iter()
                .map(|key| sample.get(key).unwrap_or(MISSING_LABEL))
                .collect::<Vec<_>>()
                .join(" | ")
        })
    }

    /// Groups samples by the conditions the query gave them: every field that was not
    /// inferred, as `key: value` pairs joined with `" | "` in the sample's field order. Samples
    /// of one query input (and of inputs with the same metadata) share a group; samples with
    /// no given field form one group labelled [`MISSING_LABEL`].
    pub fn by_given_fields(samples: &[SampleMetadata]) -> Self {
        Self::by_label(samples, |sample| {
            let given: Vec<String> = sample
                .fields
                .iter()
                .filter(|field| !field.inferred)
                .map(|field| format!("{}: {}", field.key, field.value))
                .collect();
            if given.is_empty() {
                MISSING_LABEL.to_owned()
            } else {
                given.join(" | ")
            }
        })
    }

    fn by_label(samples: &[SampleMetadata], label_of: impl Fn(&SampleMetadata) -> String) -> Self {
        let mut labels: Vec<String> = Vec::new();
        let assignment = samples
            .iter()
            .map(|sample| {
                let label = label_of(sample);
                match labels.iter().position(|known| *known == label) {
                    Some(group) => group,
                    None => {
                        labels.push(label);
                        labels.len() - 1
                    }
                }
            })
            .collect();
        Self { labels, assignment }
    }

    /// Builds a grouping from labels and one group index per sample.
    pub fn new(labels: Vec<String>, assignment: Vec<usize>) -> Result<Self, AnalysisError> {
        if let Some((sample, &group)) = assignment
            .iter()
            .enumerate()
            .find(|&(_, &group)| group >= labels.len())
        {
            return Err(AnalysisError::GroupOutOfRange {
                sample,
                group,
                n_groups: labels.len(),
            });
        }
        Ok(Self { labels, assignment })
    }

    /// The group labels, indexed by group.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// The group of every sample, in sample order.
    pub fn assignment(&self) -> &[usize] {
        &self.assignment
    }

    /// Number of groups.
    pub fn n_groups(&self) -> usize {
        self.labels.len()
    }

    /// Number of samples.
    pub fn n_samples(&self) -> usize {
        self.assignment.len()
    }

    /// The samples of one group, in sample order (empty for an unknown group).
    pub fn members(&self, group: usize) -> Vec<usize> {
        self.assignment
            .iter()
            .enumerate()
            .filter(|&(_, &g)| g == group)
            .map(|(sample, _)| sample)
            .collect()
    }

    /// The index of the group with this label.
    pub fn group_index(&self, label: &str) -> Option<usize> {
        self.labels.iter().position(|known| known == label)
    }

    /// Samples ordered by group (groups in label order), keeping sample order within a group.
    pub fn samples_by_group(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.assignment.len()).collect();
        order.sort_by_key(|&sample| self.assignment[sample]);
        order
    }

    /// Checks that the grouping has one entry per sample of a matrix with `n_samples` rows.
    pub(crate) fn check_samples(&self, n_samples: usize) -> Result<(), AnalysisError> {
        if self.assignment.len() != n_samples {
            return Err(AnalysisError::LengthMismatch {
                what: "grouping",
                expected: n_samples,
                actual: self.assignment.len(),
                per: "sample",
            });
        }
        Ok(())
    }
}

/// The metadata keys present in any sample, in order of first appearance (for "colour by").
pub fn metadata_keys(samples: &[SampleMetadata]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for field in samples.iter().flat_map(|sample| &sample.fields) {
        if !keys.contains(&field.key) {
            keys.push(field.key.clone());
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use synthome_matrix::MetadataField;

    fn sample(id: &str, fields: &[(&str, &str)]) -> SampleMetadata {
        SampleMetadata::new(
            id,
            fields
                .iter()
                .map(|&(key, value)| MetadataField {
                    key: key.into(),
                    value: value.into(),
                    inferred: key == "sex",
                })
                .collect(),
        )
    }

    #[test]
    fn combined_and_given_fields() {
        let samples = [
            sample("a", &[("tissue", "liver"), ("sex", "male")]),
            sample("b", &[("tissue", "liver"), ("sex", "female")]),
            sample("c", &[("sex", "male")]),
            sample("d", &[("tissue", "liver"), ("sex", "male")]),
        ];
        let both = Grouping::by_fields(&samples, &["tissue", "sex"]);
        assert_eq!(
            both.labels(),
            ["liver | male", "liver | female", "(not set) | male"]
        );
        assert_eq!(both.assignment(), [0, 1, 2, 0]);
        // "sex" is inferred in these fixtures, so only the tissue was given.
        let given = Grouping::by_given_fields(&samples);
        assert_eq!(given.labels(), ["tissue: liver", MISSING_LABEL]);
        assert_eq!(given.assignment(), [0, 0, 1, 0]);
    }

    #[test]
    fn missing_keys_form_their_own_group() {
        let samples = [
            sample("a", &[("tissue", "liver")]),
            sample("b", &[]),
            sample("c", &[("tissue", "lung"), ("sex", "male")]),
            sample("d", &[("tissue", "liver")]),
        ];
        let grouping = Grouping::by_field(&samples, "tissue");
        assert_eq!(grouping.labels(), ["liver", MISSING_LABEL, "lung"]);
        assert_eq!(grouping.members(0), vec![0, 3]);
        assert_eq!(grouping.samples_by_group(), vec![0, 3, 1, 2]);
        assert_eq!(grouping.group_index("lung"), Some(2));
        assert_eq!(metadata_keys(&samples), vec!["tissue", "sex"]);
    }

    #[test]
    fn new_rejects_unlabelled_groups() {
        let error = Grouping::new(vec!["a".into()], vec![0, 1]).err();
        assert_eq!(
            error,
            Some(AnalysisError::GroupOutOfRange {
                sample: 1,
                group: 1,
                n_groups: 1
            })
        );
        assert!(Grouping::new(vec!["a".into()], vec![0, 0]).is_ok());
    }
}
