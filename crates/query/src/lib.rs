//! The Synthome query: the baseline-model API's JSON shape, and its validation against one
//! model into a [`ValidQuery`].
//!
//! Validation parses loosely and converts once (the ripgrep `LowArgs -> HiArgs` idea): the JSON
//! is read into a shape draft that records every problem instead of stopping at the first,
//! then each metadata value is checked for its form (id syntax, enumeration, quantity, number)
//! and against the model's [`synthome_vocab::Vocabulary`]. Every problem comes back at once as a
//! [`QueryError`] with input index, key, value, reason and up to 5 nearest valid values. Sizes
//! are checked before parsing and the work is capped by [`Limits`], so no input panics or
//! allocates without bound. No I/O; builds for `wasm32-unknown-unknown`. The fuzz target lives
//! in `fuzz/` (its own workspace): `cd crates/query/fuzz && cargo +nightly fuzz run
//! parse_and_validate`.
//!
//! ```
//! use synthome_query::{Limits, ModelTarget, SamplingStrategy, parse_and_validate};
//! use synthome_vocab::{KeyDomain, Term, TermIndex, Vocabulary};
//!
//! let mut vocabulary = Vocabulary::new();
//! let tissues = TermIndex::new(vec![Term::new("UBERON:0002107", "liver")])?;
//! vocabulary.insert("tissue_ontology_id", KeyDomain::Terms(tissues))?;
//! let target = ModelTarget {
//!     name: "bulk model",
//!     vocabulary: &vocabulary,
//!     default_total_count: 1e7,
//!     strategies: &SamplingStrategy::ALL,
//! };
//! let json = r#"{"sampling_strategy": "sample generation",
//!                "inputs": [{"metadata": {"tissue_ontology_id": "UBERON:0002108"}, "num_samples": 2}]}"#;
//! let errors = parse_and_validate(json, &target, &Limits::default()).unwrap_err();
//! assert_eq!(
//!     errors.to_string(),
//!     "inputs[0].tissue_ontology_id: \"UBERON:0002108\" is not in the bulk model's vocabulary; did you mean UBERON:0002107 (liver)?"
//! );
//! # Ok::<(), synthome_vocab::VocabError>(())
//! ```

mod canonical;
mod check;
mod duplicates;
mod error;
mod family;
mod key;
mod quantity;
mod read;
mod strategy;
mod suggest;
mod target;
mod valid;
mod wire;

pub use canonical::{CheckedQuery, parse_and_check};
pub use error::{ErrorReason, QueryError, QueryErrors, Suggestion};
pub use family::{CountsInput, FamilyQuery, FamilyQueryError, LatentGroup, parse_family_query};
pub use key::{
    IdSyntax, KeyForm, LIBRARY_LAYOUTS, MetadataKey, PERTURBATION_TYPES, SAMPLE_TYPES, SEXES,
    UnknownKey,
};
pub use quantity::{Quantity, QuantityError, format_quantity, parse_quantity};
pub use strategy::{SamplingStrategy, UnknownStrategy};
pub use target::{BULK_DEFAULT_TOTAL_COUNT, Limits, ModelTarget, SINGLE_CELL_DEFAULT_TOTAL_COUNT};
pub use valid::{CanonicalValue, ConditionValue, Conditions, ValidInput, ValidQuery};
pub use wire::{Input, Query};

/// Parses query JSON and validates it for `target`: every problem at once, or the valid query
///
/// The text's size is checked against `limits.max_query_bytes` before parsing.
pub fn parse_and_validate(
    json: &str,
    target: &ModelTarget<'_>,
    limits: &Limits,
) -> Result<ValidQuery, QueryErrors> {
    parse_and_check(json, target, limits).map(|checked| checked.valid)
}

/// Validates an already typed query for `target` (metadata values, vocabulary and limits)
pub fn validate(
    query: &Query,
    target: &ModelTarget<'_>,
    limits: &Limits,
) -> Result<ValidQuery, QueryErrors> {
    let mut report = read::Report::new(limits.max_errors);
    if query.inputs.is_empty() {
        report.push(QueryError::new_at_key(ErrorReason::NoInputs, "inputs"));
    }
    if query.inputs.len() > limits.max_inputs {
        report.push(QueryError::new_at_key(
            ErrorReason::TooManyInputs {
                count: query.inputs.len(),
                max: limits.max_inputs,
            },
            "inputs",
        ));
    }
    let mut draft = read::Draft::of_query(query);
    if let Some(inputs) = draft.inputs.as_mut() {
        inputs.truncate(limits.max_inputs);
    }
    if let Some(total_count) = query.total_count
        && !(total_count.is_finite() && total_count > 0.0 && total_count <= read::MAX_TOTAL_COUNT)
    {
        report.push(
            QueryError::new_at_key(
                ErrorReason::InvalidNumber {
                    expected: "a positive number of counts up to 1e12",
                },
                "total_count",
            )
            .with_value(total_count.to_string()),
        );
    }
    let valid = check::check(draft, target, limits, &mut report);
    finish(valid, report)
}

/// The valid query when no problem was recorded, else every problem
fn finish(valid: Option<ValidQuery>, report: read::Report) -> Result<ValidQuery, QueryErrors> {
    report.finish()?;
    valid.ok_or_else(|| {
        QueryErrors(vec![QueryError::new_at_key(
            ErrorReason::MissingField {
                expected: "\"sample generation\" or \"mean estimation\"",
            },
            "sampling_strategy",
        )])
    })
}
