//! What can go wrong while making the report

use synthome_builder::BuildError;
use synthome_model::GenerateError;
use synthome_sc_builder::BuildError as ScBuildError;

/// An error of the realism report
#[derive(Debug, thiserror::Error)]
pub enum RealismError {
    /// A data file could not be read
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file
        path: String,
        /// The cause
        source: std::io::Error,
    },
    /// A data file's content is not what the report expects
    #[error("{file} line {line}: {message}")]
    Parse {
        /// The file
        file: String,
        /// 1-based line number (0 when it concerns the whole file)
        line: usize,
        /// What was wrong and what was expected
        message: String,
    },
    /// A file the report needs is absent
    #[error("{path} is absent; the report needs it for {needed_for}")]
    Missing {
        /// The file, relative to the data folder
        path: String,
        /// What it is needed for
        needed_for: String,
    },
    /// The data are too few for an evaluation step
    #[error("{0}")]
    TooFew(String),
    /// Building a model for one split failed
    #[error("building the model for {what} failed: {source}")]
    Build {
        /// Which build
        what: String,
        /// The builder's error
        source: BuildError,
    },
    /// The model rejected a query the report made
    #[error("the model rejected the query for {what}: {message}")]
    Query {
        /// Which query
        what: String,
        /// The validation errors
        message: String,
    },
    /// Generation failed
    #[error("generating {what} failed: {source}")]
    Generate {
        /// Which generation
        what: String,
        /// The model's error
        source: GenerateError,
    },
    /// The sampler check's model could not be made
    #[error("the sampler check model is invalid: {0}")]
    SamplerModel(String),
    /// Reading, annotating, fitting or generating single cells failed (the single-cell
    /// builder's error, unchanged)
    #[error(transparent)]
    SingleCell(#[from] ScBuildError),
    /// A report file could not be written
    #[error("{path}: {source}")]
    Write {
        /// The file or folder
        path: String,
        /// The operating system's error
        source: std::io::Error,
    },
}

impl RealismError {
    /// A parse error in `file` at `line`
    pub(crate) fn parse(file: &str, line: usize, message: impl Into<String>) -> RealismError {
        RealismError::Parse {
            file: file.to_owned(),
            line,
            message: message.into(),
        }
    }
}
