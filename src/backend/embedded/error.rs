//! Everything that can go wrong with the embedded backend, as the page sees it. What fails
//! inside the worker arrives as the worker's own message ([`EmbeddedError::Worker`]): it crosses
//! `postMessage` as text.

use super::protocol::ReassemblyError;

/// A generation, ground truth or worker start that did not succeed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmbeddedError {
    /// The browser did not start the worker.
    #[error("the browser refused to start the generation worker: {0}")]
    Start(String),
    /// The worker failed to load a bundle or to run a query; its message.
    #[error("{0}")]
    Worker(String),
    /// The worker sent a message the page cannot read.
    #[error("unreadable worker message: {0}")]
    Unreadable(String),
    /// A result arrived without its value buffers.
    #[error("the worker's result came without its values")]
    MissingValues,
    /// A result named a model the page has not loaded.
    #[error("a result came for an unknown model {0}")]
    UnknownModel(String),
    /// A result's parts do not fit together.
    #[error(transparent)]
    Reassembly(#[from] ReassemblyError),
    /// The worker died: its files did not load or its wasm stopped with an error.
    #[error(
        "the generation worker stopped ({0}); generating again starts a new one. If this repeats, \
         the app's files may be blocked or damaged: reload the page, or choose the remote model \
         API in the backend settings"
    )]
    Crashed(String),
    /// A ground-truth or "Your data" run was stopped by cancelling the generation.
    #[error("stopped: a generation was cancelled and the worker restarted; try again")]
    Stopped,
}
