//! `synthome validate`: every problem of a query, or a one-line summary when it is valid.

use synthome_query::Limits;

use crate::args::ValidateArgs;
use crate::commands::read_query;
use crate::failure::invalid;
use synthome_engine::ModelRegistry;
use synthome_engine::prepare;

use crate::entropy::random_u64;
use crate::serve::shapes::invalid_query_document;

/// Validates; exit code 2 when the query is invalid.
pub fn run(registry: &ModelRegistry, args: &ValidateArgs) -> anyhow::Result<()> {
    let entry = registry
        .get(&args.model)
        .map_err(|error| invalid(error.to_string()))?;
    let text = read_query(&args.query)?;
    match prepare(entry, &text, None, random_u64, &Limits::default()) {
        Ok(prepared) => {
            let samples = prepared.valid.total_samples();
            if args.json {
                let answer = serde_json::json!({
                    "valid": true,
                    "model_id": entry.info.id,
                    "inputs": prepared.valid.inputs.len(),
                    "samples": samples,
                    "sampling_strategy": prepared.valid.sampling_strategy.as_str(),
                });
                println!("{}", serde_json::to_string_pretty(&answer)?);
            } else {
                println!(
                    "valid for {}: {} input(s), {samples} sample(s), {}",
                    entry.info.id,
                    prepared.valid.inputs.len(),
                    prepared.valid.sampling_strategy.as_str()
                );
            }
            Ok(())
        }
        Err(errors) => {
            if args.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&invalid_query_document(&errors))?
                );
            } else {
                eprintln!("{errors}");
            }
            Err(invalid(errors.summary()))
        }
    }
}
