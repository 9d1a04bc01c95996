//! The model's example query (the equivalent of `get_example_query`), built from its own
//! training conditions so it is always valid for it

use synthome_query::{BULK_DEFAULT_TOTAL_COUNT, MetadataKey};

use crate::family::{ExampleInput, example_query_text};
use crate::model::BulkModel;
use crate::params::TrainingCondition;

impl BulkModel {
    /// A query valid for this model, as JSON text: a tissue (or the heaviest condition) and,
    /// when the model has one, a perturbed condition
    pub fn example_query(&self) -> String {
        let conditions = &self.params().conditions;
        let mut chosen: Vec<&TrainingCondition> = Vec::new();
        let tissue = conditions
            .iter()
            .find(|c| c.field(MetadataKey::TissueOntologyId).is_some() && c.perturbation.is_none())
            .or_else(|| conditions.first());
        chosen.extend(tissue);
        if let Some(perturbed) = conditions.iter().find(|c| c.perturbation.is_some()) {
            chosen.push(perturbed);
        }
        let inputs: Vec<ExampleInput<'_>> = chosen
            .iter()
            .map(|condition| ExampleInput {
                fields: condition
                    .fields
                    .iter()
                    .filter(|(key, _)| !key.is_technical())
                    .map(|(key, value)| (*key, value.as_str()))
                    .collect(),
                num_samples: 2,
            })
            .collect();
        example_query_text(&inputs, BULK_DEFAULT_TOTAL_COUNT)
    }
}
