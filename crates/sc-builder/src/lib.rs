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
//! [`build_single_cell`] writes the bundle and the model card, deterministically (same inputs,
//! same bytes), recording the sha256 of every input. Only `synthome-inputs` touches paths. The
//! steps the realism report (in `synthome-realism`) repeats on a training share of the cells are
//! public: [`prepare`] (read and annotate every cell), [`fit`] (fit on the cells of a mask) and
//! [`generate`] (cells through the model's query path).

// Numerical loops over several parallel arrays read more clearly with an index
#![allow(clippy::needless_range_loop)]

mod analysis;
mod atlas;
mod build;
mod card;
mod dataset;
mod error;
mod fit;
mod prepare;
mod read;
mod synth;
pub use analysis::annotate::{Annotation, CANDIDATES, Candidate, ClusterEvidence, Score};
pub use analysis::embed::Embedding;
pub use atlas::{
    ANCHOR_WEIGHT, Anchored, AtlasColumn, AtlasData, AtlasSummary, FULL_LENGTH_ATLASES, KEY_WEIGHT,
    MappedColumn, PBMC_ATLASES,
};
pub use build::{
    BUNDLE_FILE, BuildOutput, CARD_FILE, add_atlas, build_single_cell, data_available,
    fit_anchored, fit_prepared,
};
pub use card::ISGS;
pub use dataset::{CellCounts, Dataset};
pub use error::BuildError;
pub use fit::vocabulary::{BLOOD, HEALTHY};
pub use fit::{Fitted, fit};
pub use prepare::{BuildOptions, Prepared, prepare};
pub use synth::{Cells, generate, generate_query};
pub use synthome_inputs::{InputError, InputFile};
