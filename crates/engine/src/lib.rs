//! Running a query on a model, the same way in the browser, the CLI and the HTTP server.
//!
//! A [`ModelRegistry`] holds the models decoded from bundle bytes, each behind the [`Engine`]
//! trait (bulk and single cell alike, see [`ModelEntry::from_bundle`]) and found by id or alias. [`prepare`] validates query
//! text for a model and fixes the seed; [`run`] generates and attaches the [`Provenance`]
//! (model id, version, bundle sha256, query and seed) every output carries.
//!
//! The crate does no I/O: where a seed must be invented (the query has none), the caller passes
//! one drawn from its own entropy source (OS entropy natively, `crypto.getRandomValues` in the
//! browser).

mod bulk;
mod engine;
mod registry;
mod run;
mod single_cell;

pub use engine::{Engine, Generated, ModelInfo};
pub use registry::{BundleLoadError, ModelEntry, ModelRegistry, UnknownModel};
pub use run::{MAX_CHOSEN_SEED, Prepared, RunError, prepare, run};
pub use synthome_matrix::Provenance;
