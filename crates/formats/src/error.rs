//! The error type shared by every writer.

/// Why an output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    /// The underlying writer failed.
    #[error("could not write the output: {0}")]
    Io(#[from] std::io::Error),
    /// The provenance's `query_json` is not JSON, so it cannot be embedded as JSON.
    #[error("provenance query_json is not valid JSON ({0}); it must hold the query as JSON text")]
    QueryJson(String),
    /// The HDF5 library refused the AnnData layout.
    #[error("could not build the h5ad file: {0}")]
    Hdf5(String),
    /// The zip library failed.
    #[error("could not build the zip archive: {0}")]
    Zip(String),
    /// The matrix exceeds what a format can index.
    #[error("{format} output cannot hold this matrix: {reason}")]
    TooLarge {
        /// The format name.
        format: &'static str,
        /// The limit that was exceeded.
        reason: String,
    },
}
