//! Fits the Synthome bulk model from the data tables and writes its bundle (native only).
//!
//! [`build_bulk`] reads a folder laid out like `shared/data` (HPA and GTEx summaries, the
//! per-sample sets, LINCS signatures, the reference tables) and, optionally, a per-sample
//! atlas (counts + metadata), fits the parameters described in `synthome_model` and returns
//! the bundle bytes with the sha256 of every input. The same inputs give the same bytes.
//! [`BuildOptions::exclude_samples`] leaves samples out, so a realism report can train on one
//! split and test on the other.
//!
//! Readers take `impl Read`; only the `files` module touches paths.

mod build;
mod error;
mod files;
mod fit;
mod read;

pub use build::{AtlasPaths, BuildOptions, BuildOutput, TissueSource, build_bulk};
pub use error::BuildError;
pub use files::InputFile;
