//! Errors of reading reference tables

/// What went wrong while reading a reference table
#[derive(Debug, thiserror::Error)]
pub enum ReferenceError {
    /// The reader failed (or decompression failed)
    #[error("reading {table} failed: {source}")]
    Io {
        /// Which table was being read
        table: &'static str,
        /// The underlying error
        source: std::io::Error,
    },
    /// A line does not have the expected columns
    #[error("{table} line {line}: {detail}")]
    Line {
        /// Which table
        table: &'static str,
        /// 1-based line number
        line: usize,
        /// What is wrong and what was expected
        detail: String,
    },
    /// A header does not name the expected columns
    #[error("{table} header lacks column {column:?}; found {found:?}")]
    MissingColumn {
        /// Which table
        table: &'static str,
        /// The column looked for
        column: &'static str,
        /// The header as read
        found: String,
    },
    /// JSON that does not have the expected shape
    #[error("{table} is not the expected JSON: {detail}")]
    Json {
        /// Which table
        table: &'static str,
        /// The parser's explanation
        detail: String,
    },
}
