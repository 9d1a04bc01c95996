//! `synthome predict-metadata --model gem-1-bulk --counts table.csv|tsv|h5ad`: a user's counts
//! table (CSV/TSV genes x samples or samples x genes, or an h5ad file's X), aligned to the model's genes by Ensembl id
//! (versions stripped) or symbol, through the metadata-prediction family; prints how many genes
//! matched and a table of the predicted metadata with each value's probability (or the full
//! result JSON with `--json`).

use std::io::Write;

use synthome_engine::ModelRegistry;
use synthome_engine::families::table::{align_matrix, align_table};
use synthome_engine::families::{Family, FamilyResult, prepare_family, run_family};
use synthome_formats::h5ad_read::read_h5ad;
use synthome_query::Limits;

use crate::args::PredictMetadataArgs;
use crate::commands::family::write_bytes;
use crate::entropy::random_u64;
use crate::failure::invalid;
use crate::family_output::family_json;

/// Runs the prediction on every sample of the table.
pub fn run(registry: &ModelRegistry, args: &PredictMetadataArgs) -> anyhow::Result<()> {
    let (base, _) =
        Family::split(&args.model).unwrap_or((args.model.as_str(), Family::PredictMetadata));
    let entry = registry
        .get(base)
        .map_err(|error| invalid(error.to_string()))?;
    let bytes = std::fs::read(&args.counts).map_err(|error| {
        invalid(format!(
            "could not read the counts table {}: {error}",
            args.counts.display()
        ))
    })?;
    let genes = entry.engine.genes();
    let is_h5ad = args
        .counts
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("h5ad"));
    let named =
        |error: &dyn std::fmt::Display| invalid(format!("{}: {error}", args.counts.display()));
    let table = if is_h5ad {
        let h5ad = read_h5ad(bytes).map_err(|error| named(&error))?;
        align_matrix(h5ad.obs_names, &h5ad.var_columns, &h5ad.values, &genes)
            .map_err(|error| named(&error))?
    } else {
        let text = String::from_utf8(bytes).map_err(|error| named(&error))?;
        align_table(&text, &genes).map_err(|error| named(&error))?
    };
    eprintln!(
        "{} of the table's {} genes matched the model's {} genes ({} as genes); {} samples",
        table.matched,
        table.table_genes,
        genes.len(),
        if table.genes_are_rows {
            "rows"
        } else {
            "columns"
        },
        table.samples.len()
    );
    if table.rounded > 0 {
        eprintln!(
            "warning: {} values were not whole numbers and were rounded",
            table.rounded
        );
    }
    let inputs: Vec<serde_json::Value> = table
        .counts
        .iter()
        .map(|counts| serde_json::json!({ "counts": counts }))
        .collect();
    let query = serde_json::json!({ "inputs": inputs }).to_string();
    let limits = Limits {
        max_query_bytes: usize::MAX,
        ..Limits::default()
    };
    let prepared = prepare_family(
        entry,
        Family::PredictMetadata,
        &query,
        args.seed,
        random_u64,
        &limits,
    )
    .map_err(|error| invalid(name_samples(&error.to_string(), &table.samples)))?;
    let result = run_family(entry, &prepared)
        .map_err(|error| invalid(name_samples(&error.to_string(), &table.samples)))?;
    if args.json {
        return write_bytes(
            args.out.as_deref(),
            &family_json(&result, genes.ids(), genes.symbols())?,
        );
    }
    let FamilyResult::Predicted { samples, .. } = &result else {
        return Err(anyhow::anyhow!("metadata prediction gave no predictions"));
    };
    let mut keys: Vec<String> = Vec::new();
    for sample in samples {
        for key in sample.prediction.classifier_probs.keys() {
            if !keys.contains(key) {
                keys.push(key.clone());
            }
        }
    }
    let mut out = String::from("sample");
    for key in &keys {
        out.push_str(&format!("\t{key}\t{key}_probability"));
    }
    out.push('\n');
    for (name, sample) in table.samples.iter().zip(samples) {
        out.push_str(name);
        for key in &keys {
            let value = sample
                .prediction
                .metadata
                .iter()
                .find(|(known, _)| known.as_str() == key)
                .map(|(_, value)| value.clone());
            let probability = value.as_ref().and_then(|value| {
                sample
                    .prediction
                    .classifier_probs
                    .get(key)
                    .and_then(|probs| probs.get(value))
            });
            out.push_str(&format!(
                "\t{}\t{}",
                value.unwrap_or_default(),
                probability.map(|p| format!("{p:.4}")).unwrap_or_default()
            ));
        }
        out.push('\n');
    }
    match args.out.as_deref().filter(|path| path.as_os_str() != "-") {
        Some(path) => write_bytes(Some(path), out.as_bytes()),
        None => Ok(std::io::stdout().lock().write_all(out.as_bytes())?),
    }
}

/// An error message with `inputs[i]` followed by the table's sample name
fn name_samples(message: &str, samples: &[String]) -> String {
    let mut text = message.to_owned();
    for (index, name) in samples.iter().enumerate().rev() {
        text = text.replace(
            &format!("inputs[{index}]"),
            &format!("inputs[{index}] (sample {name:?})"),
        );
    }
    text
}
