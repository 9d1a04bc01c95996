//! Builder errors: which input, where, what was wrong

use synthome_model::ParamsError;
use synthome_reference::ReferenceError;
use synthome_vocab::VocabError;

/// Why a build failed
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// An input file could not be read
    #[error(transparent)]
    Inputs(#[from] synthome_inputs::InputError),
    /// A table has an unexpected shape or value
    #[error("{source_name} line {line}: {detail}")]
    Parse {
        /// The table (file name or description)
        source_name: String,
        /// 1-based line number (0 when not tied to a line)
        line: usize,
        /// What was wrong
        detail: String,
    },
    /// Something the model needs is absent from the inputs
    #[error("{0}")]
    Missing(String),
    /// A reference table could not be parsed
    #[error("reference table: {0}")]
    Reference(#[from] ReferenceError),
    /// The vocabulary could not be assembled
    #[error("vocabulary: {0}")]
    Vocabulary(#[from] VocabError),
    /// The fitted parameters do not fit together (a builder bug)
    #[error("fitted model is inconsistent: {0}")]
    Model(#[from] ParamsError),
    /// The written bundle could not be read back (a builder or bundle bug)
    #[error("the written bundle does not read back: {0}")]
    Bundle(#[from] synthome_model::bundle::BundleError),
}

impl BuildError {
    /// A parse error in `source_name` at `line`
    pub(crate) fn parse(source_name: &str, line: usize, detail: impl Into<String>) -> BuildError {
        BuildError::Parse {
            source_name: source_name.to_owned(),
            line,
            detail: detail.into(),
        }
    }
}
