//! The model's example query (the equivalent of `get_example_query`), built from its own
//! training conditions so it is always valid for it

use synthome_query::MetadataKey;

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
        let inputs: Vec<String> = chosen
            .iter()
            .map(|condition| {
                let fields: Vec<String> = condition
                    .fields
                    .iter()
                    .filter(|(key, _)| !key.is_technical())
                    .map(|(key, value)| {
                        format!("{}: {}", json_string(key.as_str()), json_string(value))
                    })
                    .collect();
                format!(
                    "    {{\"metadata\": {{{}}}, \"num_samples\": 2}}",
                    fields.join(", ")
                )
            })
            .collect();
        format!(
            "{{\n  \"sampling_strategy\": \"sample generation\",\n  \"inputs\": [\n{}\n  ],\n  \"total_count\": 10000000,\n  \"deterministic_latents\": false,\n  \"seed\": 11\n}}\n",
            inputs.join(",\n")
        )
    }
}

/// A JSON string literal
fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for character in text.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            control if (control as u32) < 0x20 => {
                out.push_str(&format!("\\u{:04x}", control as u32))
            }
            other => out.push(other),
        }
    }
    out.push('"');
    out
}
