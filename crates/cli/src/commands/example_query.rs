//! `synthome example-query ID`: a query valid for the model.

use crate::args::ExampleQueryArgs;
use crate::failure::invalid;
use synthome_engine::ModelRegistry;

/// Prints the model's example query as pretty JSON.
pub fn run(registry: &ModelRegistry, args: &ExampleQueryArgs) -> anyhow::Result<()> {
    let entry = registry
        .get(&args.model)
        .map_err(|error| invalid(error.to_string()))?;
    let query: serde_json::Value = serde_json::from_str(&entry.engine.example_query())?;
    println!("{}", serde_json::to_string_pretty(&query)?);
    Ok(())
}
