//! A sample's output metadata, and comparing the quantities a query gives with training values

use synthome_matrix::MetadataField;
use synthome_query::{Conditions, MetadataKey};

/// Relative tolerance when comparing quantities
const QUANTITY_TOLERANCE: f64 = 1e-6;

/// Whether two quantities are equal within a relative tolerance of 1e-6
pub fn same_quantity(a: f64, b: f64) -> bool {
    (a - b).abs() <= QUANTITY_TOLERANCE * a.abs().max(b.abs()).max(1e-12)
}

/// The output metadata of a sample: the given keys as written, then the filled keys (the first
/// value of each key not given) marked inferred, in key order
pub fn merge_fields(
    given: &Conditions,
    filled: impl Iterator<Item = (MetadataKey, String)>,
) -> Vec<MetadataField> {
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
    for (key, value) in filled {
        if !given.contains(key) && !fields.iter().any(|(known, _)| *known == key) {
            fields.push((
                key,
                MetadataField {
                    key: key.as_str().to_owned(),
                    value,
                    inferred: true,
                },
            ));
        }
    }
    fields.sort_by_key(|(key, _)| *key);
    fields.into_iter().map(|(_, field)| field).collect()
}
