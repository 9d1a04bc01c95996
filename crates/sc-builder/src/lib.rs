//! Builds the Synthome single-cell model (`synthome-sc-v1`) from the Kang 2018 PBMC UMI
//! counts, and its realism report (native only).
//!
//! The cells carry no labels, so the build first finds them: log-normalised counts, 1,500
//! variable genes (interferon-responsive genes excluded, so stimulated cells cluster with
//! their type), 20 principal components, k-means with seeded k-means++ starts, then each
//! cluster is annotated with a Cell Ontology type from CL consensus markers and HPA sorted
//! blood-cell profiles (see the model card for the evidence). The fit then estimates, per cell
//! type and condition, the mean profile, library sizes, latent factors and negative binomial
//! dispersions described in `synthome_sc_model`.
//!
//! [`build_single_cell`] writes the bundle and the model card; [`realism_report`] fits on 70%
//! of the cells and compares generated cells with the held-out 30%. Both are deterministic
//! (same inputs, same bytes) and record the sha256 of every input. Only `synthome-inputs`
//! touches paths.

// Numerical loops over several parallel arrays read more clearly with an index
#![allow(clippy::needless_range_loop)]

mod analysis;
mod build;
mod card;
mod dataset;
mod error;
mod fit;
mod prepare;
mod read;
mod realism;
mod synth;

// The realism report writes its files through `files::write`
use synthome_inputs as files;

pub use build::{BUNDLE_FILE, BuildOutput, CARD_FILE, build_single_cell, data_available};
pub use error::BuildError;
pub use prepare::BuildOptions;
pub use realism::{REALISM_JSON, REALISM_MARKDOWN, REALISM_SVG, RealismOutput, realism_report};
pub use synthome_inputs::{InputError, InputFile};
