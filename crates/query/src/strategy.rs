//! The sampling strategy of a query

/// What to generate: noisy samples, or the mean of the distribution
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum SamplingStrategy {
    /// `"sample generation"`: realistic data with measurement noise
    #[serde(rename = "sample generation")]
    SampleGeneration,
    /// `"mean estimation"`: the mean of the distribution consistent with the metadata
    #[serde(rename = "mean estimation")]
    MeanEstimation,
}

impl SamplingStrategy {
    /// Both strategies
    pub const ALL: [SamplingStrategy; 2] = [
        SamplingStrategy::SampleGeneration,
        SamplingStrategy::MeanEstimation,
    ];

    /// The strategy as written in queries
    pub fn as_str(self) -> &'static str {
        match self {
            SamplingStrategy::SampleGeneration => "sample generation",
            SamplingStrategy::MeanEstimation => "mean estimation",
        }
    }
}

impl std::fmt::Display for SamplingStrategy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A sampling strategy name that is neither "sample generation" nor "mean estimation"
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{name:?} is not a sampling strategy; valid values are \"sample generation\" and \"mean estimation\""
)]
pub struct UnknownStrategy {
    /// The name given
    pub name: String,
}

impl std::str::FromStr for SamplingStrategy {
    type Err = UnknownStrategy;

    /// Parses a strategy name, ignoring case and surrounding spaces
    fn from_str(name: &str) -> Result<SamplingStrategy, UnknownStrategy> {
        SamplingStrategy::ALL
            .into_iter()
            .find(|strategy| strategy.as_str().eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| UnknownStrategy {
                name: name.to_owned(),
            })
    }
}
