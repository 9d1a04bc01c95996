//! The model's example query (the equivalent of `get_example_query`), built from its own
//! training groups so it is always valid for it

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
        let inputs: Vec<String> = [largest(false), largest(true)]
            .into_iter()
            .flatten()
            .map(|group| {
                let fields: Vec<String> = EXAMPLE_KEYS
                    .iter()
                    .filter_map(|&key| group.field(key).map(|value| (key, value)))
                    .map(|(key, value)| {
                        format!("{}: {}", json_string(key.as_str()), json_string(value))
                    })
                    .collect();
                format!(
                    "    {{\"metadata\": {{{}}}, \"num_samples\": 100}}",
                    fields.join(", ")
                )
            })
            .collect();
        format!(
            "{{\n  \"sampling_strategy\": \"sample generation\",\n  \"inputs\": [\n{}\n  ],\n  \"total_count\": {},\n  \"deterministic_latents\": false,\n  \"seed\": 11\n}}\n",
            inputs.join(",\n"),
            SINGLE_CELL_DEFAULT_TOTAL_COUNT
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
