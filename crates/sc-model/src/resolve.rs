//! Filling unspecified keys from the training distribution: the training groups (cell type x
//! condition) consistent with every given key are candidates, and one is drawn by its number of
//! training cells (the largest with `deterministic_latents`)

use synthome_matrix::MetadataField;
use synthome_query::{CanonicalValue, ConditionValue, Conditions, MetadataKey, parse_quantity};

use crate::error::GenerateError;
use crate::params::Group;
use crate::sampler::Stream;

/// Relative tolerance when comparing quantities
const QUANTITY_TOLERANCE: f64 = 1e-6;

/// The groups consistent with the given conditions, in group order
pub(crate) fn candidates(
    groups: &[Group],
    input: usize,
    given: &Conditions,
) -> Result<Vec<usize>, GenerateError> {
    let found: Vec<usize> = (0..groups.len())
        .filter(|&index| {
            given
                .iter()
                .all(|(key, value)| agrees(&groups[index], key, value))
        })
        .collect();
    if found.is_empty() {
        let described: Vec<String> = given
            .iter()
            .map(|(key, value)| format!("{key}={}", value.given))
            .collect();
        return Err(GenerateError::NoGroup {
            input,
            conditions: described.join(", "),
        });
    }
    Ok(found)
}

/// Whether `group` agrees with the given condition on `key`
fn agrees(group: &Group, key: MetadataKey, value: &ConditionValue) -> bool {
    let Some(known) = group.field(key) else {
        return false;
    };
    match &value.canonical {
        CanonicalValue::Term(id) => known == id,
        CanonicalValue::Quantity {
            value: amount,
            unit,
        } => parse_quantity(known)
            .is_ok_and(|quantity| quantity.unit == *unit && same(quantity.value, *amount)),
        CanonicalValue::Number(number) => known
            .parse::<f64>()
            .is_ok_and(|parsed| same(parsed, *number)),
    }
}

/// Whether two numbers are equal within tolerance
fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= QUANTITY_TOLERANCE * a.abs().max(b.abs()).max(1e-12)
}

/// The largest candidate (the first on ties)
pub(crate) fn most_common(groups: &[Group], candidates: &[usize]) -> usize {
    let mut best = candidates[0];
    for &candidate in &candidates[1..] {
        if groups[candidate].n_cells > groups[best].n_cells {
            best = candidate;
        }
    }
    best
}

/// A candidate drawn by number of training cells
pub(crate) fn draw(groups: &[Group], candidates: &[usize], stream: &mut Stream) -> usize {
    let total: f64 = candidates
        .iter()
        .map(|&c| f64::from(groups[c].n_cells))
        .sum();
    let mut target = stream.uniform() * total;
    for &candidate in candidates {
        target -= f64::from(groups[candidate].n_cells);
        if target < 0.0 {
            return candidate;
        }
    }
    candidates[candidates.len() - 1]
}

/// Output metadata of a cell of `group`: the given values as written, the group's other
/// fields marked inferred, in key order
pub(crate) fn fields(given: &Conditions, group: &Group) -> Vec<MetadataField> {
    let mut fields: Vec<(MetadataKey, MetadataField)> = given
        .iter()
        .map(|(key, value)| {
            (
                key,
                MetadataField {
                    key: key.as_str().to_owned(),
                    value: value.given.clone(),
                    inferred: false,
                },
            )
        })
        .collect();
    for (key, value) in &group.fields {
        if !given.contains(*key) {
            fields.push((
                *key,
                MetadataField {
                    key: key.as_str().to_owned(),
                    value: value.clone(),
                    inferred: true,
                },
            ));
        }
    }
    fields.sort_by_key(|(key, _)| *key);
    fields.into_iter().map(|(_, field)| field).collect()
}
