//! The Synthome bulk RNA-seq model: known contexts, a latent state for biological
//! heterogeneity, perturbation effects and count noise; `generate(&ValidQuery, seed)`.
//!
//! # Model
//! For a sample with resolved metadata (unspecified keys filled from the training
//! distribution, see below) the log CPM of gene g is
//!
//! ```text
//! log_cpm[g] = base[context][g]                      typical sample of the context
//!            + (sex - profile_sex) * sex_effect[g]    sex = +1 male, -1 female
//!            + sum of perturbation log fold changes   additive in log space
//!            + sum_k loadings[k][g] * z[k]            z ~ N(0, I): biological heterogeneity
//! expected[g] = total_count * exp(log_cpm[g]) / sum_h exp(log_cpm[h])
//! count[g] ~ NegativeBinomial(mean expected[g],
//!              dispersion technical + technical_low_count / expected[g] + biological[g])
//! ```
//!
//! p(z | metadata) is the standard normal for every context (the factors were fitted on
//! per-sample data, so the same heterogeneity is applied everywhere); its mean is z = 0.
//! Gene-wise biological variance that the factors do not carry is part of the negative
//! binomial dispersion, so "mean estimation" (no measurement noise) omits it.
//!
//! # Semantics (issue 4)
//! - "mean estimation": draw z (z = 0 with `deterministic_latents`), decode, return expected
//!   counts at `total_count` as f32 ([`synthome_matrix::ExpressionValues::Expected`]).
//! - "sample generation": the same, then negative binomial counts (u32).
//! - Unspecified keys: drawn per sample from the training conditions consistent with the given
//!   keys, by weight (the heaviest with `deterministic_latents`); echoed marked inferred.
//! - Same model + query + seed give the same bytes natively and in wasm: one `Pcg64` per
//!   (seed, input, sample), `libm` or fixed-order polynomials (never std) for `exp`/`ln`,
//!   fixed-order f32/f64 arithmetic without fused multiply-add; `tests/cross_platform.sh`
//!   compares hashes of native and wasm output.
//!
//! The crate does no I/O: [`bundle`] reads a [`BulkModel`] from bundle bytes and writes its
//! parameters back; [`family`] holds what every model of the family shares (accessors, parameter
//! checks, choice by weight, output metadata and assembly, example query text) and [`sampler`]
//! the seeded draws (per-sample streams, uniforms, normals, gamma, counts); both are used by
//! `synthome-sc-model` too.

pub mod bundle;
mod decode;
mod effects;
mod error;
mod example;
pub mod family;
mod generate;
mod model;
mod params;
mod plans;
mod resolve;
pub mod sampler;
mod state_plan;
mod states;
mod target;

pub use error::GenerateError;
pub use family::{GenerateOutput, ParamsError};
pub use model::BulkModel;
pub use params::{
    AppliedPerturbation, BulkParams, Context, Latent, ModelCard, Noise, Perturbation,
    PerturbationKind, ProfileSex, Response, TrainingCondition,
};
pub use sampler::{EXACT_BELOW_MEAN, MAX_APPROX_SKEWNESS};
pub use states::{AgeEffect, DiseaseEffect, FamilyNoise, HEALTHY, States};

/// The bulk model's id
pub const BULK_MODEL_ID: &str = "synthome-bulk-v1";
/// The alias of the bulk model accepted everywhere
pub const BULK_MODEL_ALIAS: &str = "gem-1-bulk";
/// The bulk model's version
pub const BULK_MODEL_VERSION: &str = "1.0.0";
