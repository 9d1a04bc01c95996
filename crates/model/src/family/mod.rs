//! What every model of the Synthome family shares, whatever its parameters: its accessors
//! ([`model_accessors!`](crate::model_accessors)), the errors of
//! reading its bundle, the parameter errors and checks of a model's constructor, the choice of a training condition by weight,
//! the output metadata of a sample (given keys, then inferred ones), what generation returns and
//! the example query text.
//!
//! The bulk model uses these itself; `synthome-sc-model` (and each model to come) uses them
//! instead of its own copy, so the same rule gives the same message in every model.

mod accessors;
mod bundle_error;
mod check;
mod choice;
mod example;
mod fields;
mod output;

pub use bundle_error::BundleError;
pub use check::{ParamsCheck, ParamsError};
pub use choice::{heaviest, pick_by_weight};
pub use example::{ExampleInput, example_query_text};
pub use fields::{merge_fields, same_quantity};
pub use output::GenerateOutput;
