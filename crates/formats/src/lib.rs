//! Output formats for generated expression matrices: one module per format, each writing to any
//! `W: Write` (a file natively, a `Vec<u8>` in the browser), each embedding the provenance.
//!
//! | module | what it writes |
//! |---|---|
//! | [`json`] | the API result JSON of the contract (counts per sample, gene order, provenance) |
//! | [`csv`] | samples x genes expression table and a metadata table, comma or tab separated |
//! | [`provenance`] | the small `provenance.json` written beside CSV and MEX outputs |
//! | [`gct`] | GCT 1.3: genes x samples, sample metadata and provenance as column annotations |
//! | [`h5ad`] | AnnData: `X` dense float32 or CSR, `obs` categoricals, `var` ids and symbols, `uns` provenance |
//! | [`mex`] | 10x Matrix Market (`matrix.mtx.gz`, `features.tsv.gz`, `barcodes.tsv.gz`), optionally zipped |
//!
//! A result as named files is [`Format::files`]: the [`ResultFile`]s of a format, each with its
//! name's suffix, media type and bytes ([`ResultFile::write`]); front ends only choose where the
//! bytes go.
//!
//! Nothing here touches files, clocks or the environment, so every writer runs unchanged in wasm.
//!
//! ```
//! use std::sync::Arc;
//! use synthome_matrix::{Dense, ExpressionMatrix, ExpressionValues, GeneTable, Provenance, SampleMetadata};
//!
//! let genes = Arc::new(GeneTable::new(vec!["ENSG00000000003".into()], vec!["TSPAN6".into()])?);
//! let values = ExpressionValues::Counts(Dense::new(1, 1, vec![12])?);
//! let matrix = ExpressionMatrix::new(genes, vec![SampleMetadata::new("sample_1", vec![])], values)?;
//! let provenance = Provenance {
//!     model_id: "synthome-bulk-v1".into(),
//!     model_version: "1.0.0".into(),
//!     bundle_sha256: "ab".into(),
//!     query_json: "{}".into(),
//!     seed: 11,
//!     sampling_strategy: "sample generation".into(),
//!     warnings: vec![],
//! };
//! let mut out = Vec::new();
//! synthome_formats::csv::write_expression(&mut out, &matrix, synthome_formats::csv::Delimiter::Comma)?;
//! assert_eq!(out, b"sample_id,ENSG00000000003\nsample_1,12\n");
//! synthome_formats::json::write(&mut Vec::new(), &matrix, &provenance)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod buffer;
mod columns;
mod error;
mod files;
mod format;
mod numbers;

pub mod csv;
pub mod gct;
pub mod h5ad;
pub mod h5ad_read;
pub mod json;
pub mod mex;
pub mod provenance;

pub use error::FormatError;
pub use files::{FormatFiles, MexPackaging, ResultFile};
pub use format::{Format, UnknownFormat};

#[cfg(test)]
mod test_support;
