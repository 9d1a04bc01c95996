//! The shared data type of Synthome: a generated expression matrix with its gene table, per-sample
//! metadata and provenance.
//!
//! The model crate returns an [`ExpressionMatrix`]; the formats crate and the front ends read it.
//! Values come in three kinds ([`ExpressionValues`]): dense integer counts (bulk sample
//! generation), dense exact expected counts (mean estimation) and sparse CSR counts (single cell,
//! never densified). Every constructor checks its shape once, so readers can index without
//! re-checking. This crate does no I/O and has no serde: serialized shapes live in
//! `synthome-formats`.
//!
//! ```
//! use std::sync::Arc;
//! use synthome_matrix::{Dense, ExpressionMatrix, ExpressionValues, GeneTable, SampleMetadata};
//!
//! let genes = GeneTable::new(
//!     vec!["ENSG00000000003".into(), "ENSG00000000005".into()],
//!     vec!["TSPAN6".into(), "TNMD".into()],
//! )?;
//! let samples = vec![SampleMetadata::new("sample_1", vec![])];
//! let values = ExpressionValues::Counts(Dense::new(1, 2, vec![30, 10])?);
//! let matrix = ExpressionMatrix::new(Arc::new(genes), samples, values)?;
//! assert_eq!(matrix.library_sizes(), vec![40.0]);
//! # Ok::<(), synthome_matrix::MatrixError>(())
//! ```

mod csr;
mod dense;
mod error;
mod genes;
mod matrix;
mod packed;
mod provenance;
mod sample;

pub use csr::{Csr, CsrBuilder};
pub use dense::Dense;
pub use error::MatrixError;
pub use genes::GeneTable;
pub use matrix::{ExpressionMatrix, ExpressionValues, Row, Rows};
pub use packed::{Packed, PackedIter, PackedVec};
pub use provenance::{Provenance, merge_part_warnings};
pub use sample::{MetadataField, SampleMetadata};
