//! Why an analysis could not run: each message names the input, what was wrong and what is valid.

/// An analysis input that cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AnalysisError {
    /// A sample index is not a row of the matrix.
    #[error(
        "{what} names sample {index}, but the matrix has {n_samples} samples (valid indices are below {n_samples})"
    )]
    SampleOutOfRange {
        /// Which input held the index.
        what: &'static str,
        /// The index given.
        index: usize,
        /// Number of samples in the matrix.
        n_samples: usize,
    },
    /// A gene index is not a column of the matrix.
    #[error(
        "{what} names gene {index}, but the matrix has {n_genes} genes (valid indices are below {n_genes})"
    )]
    GeneOutOfRange {
        /// Which input held the index.
        what: &'static str,
        /// The index given.
        index: usize,
        /// Number of genes in the matrix.
        n_genes: usize,
    },
    /// A group has too few samples for the analysis.
    #[error("{what} has {size} samples; at least {minimum} are needed")]
    TooFewSamples {
        /// Which group or input.
        what: &'static str,
        /// Samples it has.
        size: usize,
        /// Samples it needs.
        minimum: usize,
    },
    /// The same sample is in both groups of a comparison.
    #[error(
        "sample {sample} is in both the test and the reference group; the groups must not overlap"
    )]
    GroupsOverlap {
        /// The sample index in both groups.
        sample: usize,
    },
    /// A sample is listed twice in one group.
    #[error("{what} lists sample {sample} twice; each sample may appear once")]
    DuplicateSample {
        /// Which group.
        what: &'static str,
        /// The repeated sample index.
        sample: usize,
    },
    /// Two inputs that must have one entry per item differ in length.
    #[error("{what} has {actual} entries but {expected} are needed (one per {per})")]
    LengthMismatch {
        /// The input.
        what: &'static str,
        /// Entries needed.
        expected: usize,
        /// Entries given.
        actual: usize,
        /// What each entry stands for.
        per: &'static str,
    },
    /// A grouping assigns a sample to a group that has no label.
    #[error("grouping puts sample {sample} in group {group}, but there are only {n_groups} labels")]
    GroupOutOfRange {
        /// The sample.
        sample: usize,
        /// The group index given.
        group: usize,
        /// Number of group labels.
        n_groups: usize,
    },
    /// A configuration value is outside its valid range.
    #[error("{parameter} is {value}, but it must be {rule}")]
    InvalidParameter {
        /// The parameter name.
        parameter: &'static str,
        /// The value given, as text.
        value: String,
        /// The valid range, in words.
        rule: &'static str,
    },
}
