//! Running a query on a model, the same way in the browser, the CLI and the HTTP server.
//!
//! A [`ModelRegistry`] holds the models decoded from bundle bytes, each behind the [`Engine`]
//! trait (bulk and single cell alike: [`ModelEntry::from_bundle`] reads the bundle's kind and
//! hands it to that model's codec), found by id or alias and replaced by id. [`prepare`]
//! validates query text for a model and fixes the seed; [`run`] generates (failing with a
//! [`GenerateError`]) and attaches the [`Provenance`] (model id, version, bundle sha256, query
//! and seed) every output carries.
//!
//! The crate does no I/O: where a seed must be invented (the query has none), the caller passes
//! one drawn from its own entropy source (OS entropy natively, `crypto.getRandomValues` in the
//! browser).

mod by_tissue;
mod engine;
pub mod families;
mod models;
mod registry;
mod run;

pub use by_tissue::{TissueValues, values_by_tissue};
pub use engine::{Engine, GenerateError, ModelInfo};
pub use registry::{BundleLoadError, ModelEntry, ModelRegistry, UnknownModel};
pub use run::{MAX_CHOSEN_SEED, Prepared, check_conditions, prepare, run};
pub use synthome_matrix::Provenance;
pub use synthome_model::GenerateOutput;
