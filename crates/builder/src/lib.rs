//! Fits the Synthome bulk model from the data tables and writes its bundle (native only).
//!
//! [`build_bulk`] reads a folder laid out like `shared/data` (HPA and GTEx summaries, the
//! per-sample sets, LINCS signatures, the reference tables) and, optionally, a per-sample
//! atlas (counts + metadata), fits the parameters described in `synthome_model` and returns
//! the bundle bytes with the sha256 of every input. The same inputs give the same bytes.
//! [`BuildOptions::exclude_samples`] leaves samples out, so a realism report can train on one
//! split and test on the other.
//!
//! One module per data source (`sources/*`, see there how to add one) adds its contexts,
//! conditions and perturbations to a shared assembly; `build_bulk` orchestrates them. Readers
//! take `impl Read`; only `synthome-inputs` touches paths.

mod assembly;
mod build;
mod error;
mod family_noise;
mod fit;
mod noise;
mod read;
mod reference;
mod sources;

pub use build::{AtlasPaths, BuildOptions, BuildOutput, build_bulk};
pub use error::BuildError;
pub use sources::tissues::TissueSource;
pub use synthome_inputs::{InputError, InputFile};
