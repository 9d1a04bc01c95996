//! Filling unspecified keys from the training distribution: the training groups (cell type x
//! condition) consistent with every given key are candidates, and one is drawn by its number of
//! training cells (the largest with `deterministic_latents`)

use synthome_matrix::MetadataField;
use synthome_query::{CanonicalValue, ConditionValue, Conditions, MetadataKey, parse_quantity};

use synthome_model::family::{heaviest, merge_fields, pick_by_weight, same_quantity};

use crate::error::GenerateError;
use crate::params::Group;
use crate::sampler::Stream;

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
        if let Some(error) = not_in_tissue(groups, input, given) {
            return Err(error);
        }
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
            .is_ok_and(|quantity| quantity.unit == *unit && same_quantity(quantity.value, *amount)),
        CanonicalValue::Number(number) => known
            .parse::<f64>()
            .is_ok_and(|parsed| same_quantity(parsed, *number)),
    }
}

/// The largest candidate (the first on ties)
pub(crate) fn most_common(groups: &[Group], candidates: &[usize]) -> usize {
    heaviest(candidates, |c| f64::from(groups[c].n_cells))
}

/// A candidate drawn by number of training cells
pub(crate) fn draw(groups: &[Group], candidates: &[usize], stream: &mut Stream) -> usize {
    pick_by_weight(
        candidates,
        |c| f64::from(groups[c].n_cells),
        stream.uniform(),
    )
}

/// Output metadata of a cell of `group`: the given values as written, the group's other
/// fields marked inferred, in key order
pub(crate) fn fields(given: &Conditions, group: &Group) -> Vec<MetadataField> {
    merge_fields(given, group.fields.iter().cloned())
}

/// When the query names a cell type and a tissue and the type is known only in other tissues,
/// the error that lists those tissues
fn not_in_tissue(groups: &[Group], input: usize, given: &Conditions) -> Option<GenerateError> {
    let term = |key: MetadataKey| {
        given.iter().find_map(|(k, value)| match &value.canonical {
            CanonicalValue::Term(id) if k == key => Some(id.as_str()),
            _ => None,
        })
    };
    let cell_type = term(MetadataKey::CellTypeOntologyId)?;
    let tissue = term(MetadataKey::TissueOntologyId)?;
    let mut tissues: Vec<&str> = groups
        .iter()
        .filter(|group| group.field(MetadataKey::CellTypeOntologyId) == Some(cell_type))
        .filter_map(|group| group.field(MetadataKey::TissueOntologyId))
        .collect();
    tissues.sort_unstable();
    tissues.dedup();
    if tissues.is_empty() || tissues.contains(&tissue) {
        return None;
    }
    Some(GenerateError::NotInTissue {
        input,
        cell_type: cell_type.to_owned(),
        tissue: tissue.to_owned(),
        tissues: tissues.join(", "),
    })
}
