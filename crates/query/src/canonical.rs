//! A validated query together with the JSON it was read from: parsed once, the JSON kept for
//! provenance (the query as written, with the seed that was used).

use serde_json::Value;

use crate::error::QueryErrors;
use crate::target::{Limits, ModelTarget};
use crate::valid::ValidQuery;

/// A query that passed validation, and the JSON it was parsed from.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedQuery {
    /// The validated query.
    pub valid: ValidQuery,
    /// The JSON document as parsed (a JSON object, since validation passed).
    json: Value,
}

impl CheckedQuery {
    /// The query as compact JSON with `seed` set to `seed` (keys sorted, numbers as written),
    /// the text outputs record as their query.
    pub fn json_with_seed(&self, seed: u64) -> String {
        let mut query = self.json.clone();
        if let Value::Object(fields) = &mut query {
            fields.insert("seed".into(), Value::from(seed));
        }
        query.to_string()
    }
}

/// Parses query JSON once and validates it for `target`, keeping the parsed JSON: every
/// problem at once, or the checked query.
///
/// The text's size is checked against `limits.max_query_bytes` before parsing.
pub fn parse_and_check(
    json: &str,
    target: &ModelTarget<'_>,
    limits: &Limits,
) -> Result<CheckedQuery, QueryErrors> {
    let value = crate::read::parse_json(json, limits)?;
    let mut report = crate::read::Report::new(limits.max_errors);
    crate::read::report_duplicates(json, &mut report);
    let draft = crate::read::read_query(&value, limits, &mut report);
    let valid = crate::check::check(draft, target, limits, &mut report);
    let valid = crate::finish(valid, report)?;
    Ok(CheckedQuery { valid, json: value })
}
