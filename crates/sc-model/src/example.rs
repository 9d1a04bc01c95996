//! The model's example query (the equivalent of `get_example_query`), built from its own
//! training groups so it is always valid for it

use synthome_model::family::{ExampleInput, example_query_text};
use synthome_query::{MetadataKey, SINGLE_CELL_DEFAULT_TOTAL_COUNT};

use crate::model::ScModel;
use crate::params::Group;

/// Keys the example names (the rest are filled in and echoed as inferred)
const EXAMPLE_KEYS: [MetadataKey; 4] = [
    MetadataKey::CellTypeOntologyId,
    MetadataKey::PerturbationType,
    MetadataKey::PerturbationOntologyId,
    MetadataKey::PerturbationTime,
];

impl ScModel {
    /// A query valid for this model, as JSON text: the largest unperturbed group and the
    /// largest perturbed group, 100 cells each, sample generation at the default depth
    pub fn example_query(&self) -> String {
        let groups = &self.params().groups;
        let largest = |perturbed: bool| -> Option<&Group> {
            groups
                .iter()
                .filter(|group| {
                    group.field(MetadataKey::PerturbationOntologyId).is_some() == perturbed
                })
                .fold(None, |best: Option<&Group>, group| match best {
                    Some(best) if best.n_cells >= group.n_cells => Some(best),
                    _ => Some(group),
                })
        };
        let inputs: Vec<ExampleInput<'_>> = [largest(false), largest(true)]
            .into_iter()
            .flatten()
            .map(|group| ExampleInput {
                fields: EXAMPLE_KEYS
                    .iter()
                    .filter_map(|&key| group.field(key).map(|value| (key, value)))
                    .collect(),
                num_samples: 100,
            })
            .collect();
        example_query_text(&inputs, SINGLE_CELL_DEFAULT_TOTAL_COUNT)
    }
}
