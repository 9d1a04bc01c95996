//! The report's sections, each evaluated on one model build

pub(crate) mod disease;
pub(crate) mod knockdown;
pub(crate) mod lcl;
pub(crate) mod plate;
pub(crate) mod sampler;
pub(crate) mod sex;
pub(crate) mod tissues;

use std::collections::HashMap;

use synthome_model::BulkModel;

/// Position of each of the model's genes by its id
pub(crate) fn gene_index(model: &BulkModel) -> HashMap<&str, usize> {
    model
        .genes()
        .ids()
        .iter()
        .enumerate()
        .map(|(g, id)| (id.as_str(), g))
        .collect()
}

/// The metadata pairs whose keys the model's vocabulary has (the report asks for what the
/// model can be asked)
pub(crate) fn allowed(
    model: &BulkModel,
    pairs: &[(&'static str, &str)],
) -> Vec<(&'static str, String)> {
    pairs
        .iter()
        .filter(|(key, _)| model.vocabulary().domain(key).is_some())
        .map(|(key, value)| (*key, (*value).to_owned()))
        .collect()
}

/// A seed mixed from a base seed and up to three indices
pub(crate) fn mix(seed: u64, a: u64, b: u64, c: u64) -> u64 {
    let mut x = seed ^ 0x5851_F42D_4C95_7F2D;
    for v in [a, b, c] {
        x = (x ^ v.wrapping_add(0x9E37_79B9_7F4A_7C15)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x ^= x >> 31;
    }
    x
}
