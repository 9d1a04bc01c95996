//! `synthome validate`: every problem of a query, or a one-line summary when it is valid.
//!
//! Two layers, as `generate` meets them: the query against the model's vocabulary and limits
//! (every problem at once), then the model's own checks on each input (a disease on a tissue the
//! model lacks it on, age on a cell line, ...; the first such problem), with the warnings a run
//! would raise.

use synthome_query::Limits;

use crate::args::ValidateArgs;
use crate::commands::read_query;
use crate::failure::invalid;
use synthome_engine::ModelRegistry;
use synthome_engine::{check_conditions, prepare};

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
            let warnings = match check_conditions(entry, &prepared) {
                Ok(warnings) => warnings,
                Err(error) => {
                    let message = error.to_string();
                    if args.json {
                        let answer = serde_json::json!({ "valid": false, "message": message });
                        println!("{}", serde_json::to_string_pretty(&answer)?);
                    }
                    return Err(invalid(message));
                }
            };
            let samples = prepared.valid.total_samples();
            if args.json {
                let answer = serde_json::json!({
                    "valid": true,
                    "model_id": entry.info.id,
                    "inputs": prepared.valid.inputs.len(),
                    "samples": samples,
                    "sampling_strategy": prepared.valid.sampling_strategy.as_str(),
                    "warnings": warnings,
                });
                println!("{}", serde_json::to_string_pretty(&answer)?);
            } else {
                println!(
                    "valid for {}: {} input(s), {samples} sample(s), {}",
                    entry.info.id,
                    prepared.valid.inputs.len(),
                    prepared.valid.sampling_strategy.as_str()
                );
                for warning in &warnings {
                    eprintln!("warning: {warning}");
                }
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
