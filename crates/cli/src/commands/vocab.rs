//! `synthome vocab ID KEY`: the values a model accepts for a key, one per line.

use serde_json::json;
use synthome_vocab::{KeyDomain, Term};

use crate::args::VocabArgs;
use crate::failure::invalid;
use synthome_engine::ModelRegistry;

/// Prints `id<TAB>label<TAB>synonyms` lines (synonyms joined by `; `), or JSON.
pub fn run(registry: &ModelRegistry, args: &VocabArgs) -> anyhow::Result<()> {
    let entry = registry
        .get(&args.model)
        .map_err(|error| invalid(error.to_string()))?;
    let vocabulary = entry.engine.vocabulary();
    let Some(domain) = vocabulary.domain(&args.key) else {
        let keys: Vec<&str> = vocabulary.keys().collect();
        return Err(invalid(format!(
            "{} has no vocabulary for key {:?}; its keys are {}",
            entry.info.id,
            args.key,
            keys.join(", ")
        )));
    };
    match domain {
        KeyDomain::Terms(index) => {
            let terms: Vec<&Term> = match &args.search {
                Some(text) => index
                    .search(text, args.limit)
                    .into_iter()
                    .map(|hit| hit.term)
                    .collect(),
                None => index.terms().iter().collect(),
            };
            if args.json {
                let list: Vec<_> = terms
                    .iter()
                    .map(|term| json!({"id": term.id, "label": term.label, "synonyms": term.synonyms}))
                    .collect();
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else {
                for term in terms {
                    println!("{}\t{}\t{}", term.id, term.label, term.synonyms.join("; "));
                }
            }
        }
        KeyDomain::Quantity {
            unit,
            min,
            max,
            known: trained_values,
        } => {
            if args.json {
                let answer = json!({"key": args.key, "kind": "quantity", "unit": unit.symbol(), "min": min, "max": max, "known": trained_values});
                println!("{}", serde_json::to_string_pretty(&answer)?);
            } else {
                println!(
                    "# {}: a quantity in {} from {min} to {max}; values in the training data:",
                    args.key,
                    unit.symbol()
                );
                for value in trained_values {
                    println!("{value} {}", unit.symbol());
                }
            }
        }
        KeyDomain::Number { min, max } => {
            if args.json {
                let answer = json!({"key": args.key, "kind": "number", "min": min, "max": max});
                println!("{}", serde_json::to_string_pretty(&answer)?);
            } else {
                println!("# {}: a number from {min} to {max}", args.key);
            }
        }
    }
    Ok(())
}
