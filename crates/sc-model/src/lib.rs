//! The Synthome single-cell model (`synthome-sc-v1`, alias `gem-1-sc`): PBMC cell types in
//! control and IFN-beta stimulated conditions, generated as sparse UMI counts.
//!
//! # Model
//! A training group is a cell type in one condition (control, or IFN-beta for 6 hours). For a
//! cell of group `t, c` with latent state `z` and library size `L`:
//!
//! ```text
//! eta[g]   = sum_k loadings_t[k][g] * z[k] - ln E[exp(..)]   latent genes only; z drawn from
//!            N(0, scales_t^2) or a kernel density over training cells' scores (the offset
//!            keeps each gene's mean at the profile)
//! rate[g]  = L * p_tc[g] * exp(eta[g]) / (1 + sum_h p_tc[h] (exp(eta[h]) - 1))
//! log L    ~ N(log total_count + offset_tc, sd_tc^2)      (sample generation)
//! count[g] ~ NegativeBinomial(rate[g], phi_t[g])           (variance rate + phi rate^2)
//! ```
//!
//! `p_tc` is the group's mean expression profile (proportions), `phi_t` the cell type's
//! over-dispersion beyond the latent factors, and the IFN-beta response of a cell type is the
//! difference between its two groups' profiles.
//!
//! # Semantics
//! - "mean estimation": `rate` at `L = total_count` (default 10,000 per cell), dense f32.
//! - "sample generation": sparse CSR counts; the library size is drawn per cell.
//! - Unspecified keys are filled by drawing a training group consistent with the given keys,
//!   weighted by its number of training cells (the largest with `deterministic_latents`, which
//!   also sets z = 0); they are echoed marked inferred.
//!
//! # Speed without visiting zeros
//! Per cell, only genes with latent factors or a non-negligible expected count (at most
//! [`MAX_EXACT_GENES`]) get their own negative binomial draw; the remaining genes share one
//! Poisson total spread over them by an alias table (see [`POOLED_BELOW_MEAN`] for the
//! accuracy). Rows are assembled from a reused per-gene scratch and a bit set, so memory grows
//! with the non-zeros only.
//!
//! # Determinism
//! One `Pcg64` per (seed, input, cell), seeded as the bulk model's samples (with a domain tag),
//! uniforms and gamma draws from `synthome_model::sampler`, `libm` (and, in the count sampler's inner loop, `exp`
//! and `log1p` written with IEEE basic operations only) for transcendental functions, no fused
//! multiply-add: the same bundle, query and seed give the same bytes natively and in wasm. The
//! crate does no I/O.
//!
//! ```
//! # fn demo(bundle_bytes: &[u8]) -> Result<(), Box<dyn std::error::Error>> {
//! use synthome_query::{Limits, parse_and_validate};
//! let model = synthome_sc_model::read(bundle_bytes)?;
//! let query = parse_and_validate(&model.example_query(), &model.target(), &Limits::default())?;
//! let output = model.generate(&query, 11, &mut |_, _| {})?;
//! assert_eq!(output.matrix.n_samples(), 200);
//! # Ok(()) }
//! ```

mod bundle;
mod error;
mod example;
mod generate;
mod model;
mod params;
mod plan;
mod resolve;
mod sampler;
mod target;

pub use bundle::{SC_FORMAT_VERSION, read, read_sections, write};
pub use error::GenerateError;
pub use generate::{FEW_CELLS, MAX_DENSE_VALUES};
pub use model::ScModel;
pub use params::{AtlasProfiles, CellType, DispersionTrend, Group, Latent, LibrarySize, ScParams};
pub use plan::{MAX_EXACT_GENES, POOLED_BELOW_MEAN};
pub use sampler::{AliasTable, INVERSION_BELOW_MEAN, NORMAL_FROM_MEAN, Stream, cell_stream};
pub use synthome_bundle::ModelCard;
pub use synthome_model::family::{BundleError, GenerateOutput, ParamsError};

/// The single-cell model's id
pub const SC_MODEL_ID: &str = "synthome-sc-v1";
/// The alias of the single-cell model accepted everywhere
pub const SC_MODEL_ALIAS: &str = "gem-1-sc";
/// The single-cell model's version
pub const SC_MODEL_VERSION: &str = "2.1.0";
