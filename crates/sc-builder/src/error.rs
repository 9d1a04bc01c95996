//! Build errors: each names the file or step, what was wrong and what was expected

use synthome_reference::ReferenceError;
use synthome_sc_model::ParamsError;
use synthome_vocab::VocabError;

/// Why the single-cell model could not be built
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// An input could not be read or an output written
    #[error(transparent)]
    Inputs(#[from] synthome_inputs::InputError),
    /// A line of an input table is malformed
    #[error("{file} line {line}: {detail}")]
    Parse {
        /// The file (relative to the data folder)
        file: String,
        /// 1-based line number
        line: usize,
        /// What is wrong and what was expected
        detail: String,
    },
    /// The data do not support a step of the build
    #[error("{step}: {detail}")]
    Data {
        /// The step (`annotation`, `gene mapping`, ...)
        step: &'static str,
        /// What is missing
        detail: String,
    },
    /// A reference table could not be parsed
    #[error("reference table: {0}")]
    Reference(#[from] ReferenceError),
    /// The vocabulary could not be built
    #[error("vocabulary: {0}")]
    Vocabulary(#[from] VocabError),
    /// The fitted parameters are inconsistent (a builder bug)
    #[error("fitted parameters: {0}")]
    Params(#[from] ParamsError),
}
