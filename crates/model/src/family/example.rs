//! The text of a model's example query (the equivalent of `get_example_query`)

use synthome_query::MetadataKey;

/// One input of an example query: its metadata and sample count
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleInput<'a> {
    /// The keys the example names, with their values, in the order written
    pub fields: Vec<(MetadataKey, &'a str)>,
    /// Samples (or cells) to generate
    pub num_samples: u32,
}

/// A "sample generation" query of `inputs` at `total_count`, as indented JSON text (seed 11,
/// latents drawn)
pub fn example_query_text(inputs: &[ExampleInput<'_>], total_count: f64) -> String {
    let inputs: Vec<String> = inputs
        .iter()
        .map(|input| {
            let fields: Vec<String> = input
                .fields
                .iter()
                .map(|(key, value)| {
                    format!("{}: {}", json_string(key.as_str()), json_string(value))
                })
                .collect();
            format!(
                "    {{\"metadata\": {{{}}}, \"num_samples\": {}}}",
                fields.join(", "),
                input.num_samples
            )
        })
        .collect();
    format!(
        "{{\n  \"sampling_strategy\": \"sample generation\",\n  \"inputs\": [\n{}\n  ],\n  \"total_count\": {total_count},\n  \"deterministic_latents\": false,\n  \"seed\": 11\n}}\n",
        inputs.join(",\n")
    )
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
