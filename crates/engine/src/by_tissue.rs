//! Which values of a key a model was trained on in each tissue, from its training conditions:
//! the Models view's "diseases by tissue" (bulk) and "cell types by tissue" (single cell).

use std::collections::{BTreeMap, BTreeSet};

use synthome_query::MetadataKey;

use crate::families::view::TrainingClass;

/// One tissue and the values of a key the model has there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TissueValues {
    /// The tissue's UBERON id.
    pub tissue: String,
    /// The values (canonical ids), sorted.
    pub values: Vec<String>,
}

/// The values of `key` other than `leave_out` (e.g. the healthy value every tissue has) in
/// each tissue of a model's training conditions (`Engine::training_view().classes`), tissues
/// sorted by id; conditions without a tissue (cell lines) are left out.
pub fn values_by_tissue(
    classes: &[TrainingClass],
    key: MetadataKey,
    leave_out: &[&str],
) -> Vec<TissueValues> {
    let mut tissues: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for class in classes {
        let field = |wanted: MetadataKey| {
            class
                .fields
                .iter()
                .find(|(field, _)| *field == wanted)
                .map(|(_, value)| value.clone())
        };
        let (Some(tissue), Some(value)) = (field(MetadataKey::TissueOntologyId), field(key)) else {
            continue;
        };
        if !leave_out.contains(&value.as_str()) {
            tissues.entry(tissue).or_default().insert(value);
        }
    }
    tissues
        .into_iter()
        .map(|(tissue, values)| TissueValues {
            tissue,
            values: values.into_iter().collect(),
        })
        .collect()
}
