//! Shape errors raised when a matrix, gene table or sparse structure is built.

/// Why a matrix part could not be built: each message names the part, what was found and what
/// was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MatrixError {
    /// The gene table's id and symbol lists differ in length.
    #[error(
        "gene table has {ids} gene ids but {symbols} symbols; both lists must have one entry per gene"
    )]
    GeneTableLength {
        /// Number of gene ids.
        ids: usize,
        /// Number of gene symbols.
        symbols: usize,
    },
    /// A dense value buffer does not hold `n_rows * n_cols` values.
    #[error("dense matrix of {n_rows} x {n_cols} needs {expected} values but got {actual}")]
    DenseLength {
        /// Rows (samples).
        n_rows: usize,
        /// Columns (genes).
        n_cols: usize,
        /// `n_rows * n_cols`.
        expected: usize,
        /// Length of the buffer given.
        actual: usize,
    },
    /// A dense matrix shape whose size overflows `usize`.
    #[error("dense matrix shape {n_rows} x {n_cols} is too large")]
    DenseTooLarge {
        /// Rows (samples).
        n_rows: usize,
        /// Columns (genes).
        n_cols: usize,
    },
    /// The CSR structure is inconsistent.
    #[error("sparse matrix is malformed: {0}")]
    Csr(String),
    /// The number of sample metadata rows differs from the number of value rows.
    #[error(
        "matrix has {rows} value rows but {samples} sample metadata entries; there must be one per sample"
    )]
    SampleCount {
        /// Rows in the values.
        rows: usize,
        /// Sample metadata entries.
        samples: usize,
    },
    /// The number of value columns differs from the number of genes.
    #[error(
        "matrix has {cols} value columns but the gene table has {genes} genes; there must be one column per gene"
    )]
    GeneCount {
        /// Columns in the values.
        cols: usize,
        /// Genes in the table.
        genes: usize,
    },
}
