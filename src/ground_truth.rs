//! The ground truth behind a result, for people who benchmark methods on synthetic data: each
//! input condition's expected expression (the model's mean, log2(CPM + 1)) as a table, so the
//! true log2 fold change between any two conditions is the difference of their columns.
//!
//! It reruns the result's query on the same model as "mean estimation" with deterministic
//! latents and one sample per input: unspecified keys then take their most common training
//! value, which is the condition the input's samples scatter around most often.

use serde_json::Value;
use synthome_engine::{ModelEntry, prepare, run};
use synthome_matrix::Provenance;
use synthome_query::Limits;

/// The ground-truth table as TSV: `gene_id`, `symbol`, then one column per input, headed by its
/// index and conditions, with expected log2(CPM + 1). Comment lines (`#`) carry provenance.
pub fn ground_truth_tsv(model: &ModelEntry, provenance: &Provenance) -> Result<Vec<u8>, String> {
    let mut query: Value = serde_json::from_str(&provenance.query_json)
        .map_err(|error| format!("the result's query is not JSON: {error}"))?;
    let inputs = query
        .get_mut("inputs")
        .and_then(Value::as_array_mut)
        .ok_or("the result's query has no inputs")?;
    for input in inputs.iter_mut() {
        if let Some(fields) = input.as_object_mut() {
            fields.insert("num_samples".into(), Value::from(1));
        }
    }
    if let Some(fields) = query.as_object_mut() {
        fields.insert("sampling_strategy".into(), Value::from("mean estimation"));
        fields.insert("deterministic_latents".into(), Value::from(true));
    }
    let prepared = prepare(
        model,
        &query.to_string(),
        None,
        || provenance.seed,
        &Limits::default(),
    )
    .map_err(|errors| errors.to_string())?;
    let (matrix, _) = run(model, &prepared, &mut |_, _| {}).map_err(|error| error.to_string())?;
    let genes = matrix.genes();
    let mut out = String::new();
    out.push_str(&format!(
        "# ground truth: expected log2(CPM + 1) per input condition (mean estimation, deterministic latents)\n\
         # model {} {} bundle_sha256 {}\n# true log2 fold change between two conditions = difference of their columns\n",
        provenance.model_id, provenance.model_version, provenance.bundle_sha256
    ));
    out.push_str("gene_id\tsymbol");
    for (index, sample) in matrix.samples().iter().enumerate() {
        let conditions: Vec<String> = sample
            .fields
            .iter()
            .map(|field| format!("{}={}", field.key, field.value))
            .collect();
        out.push_str(&format!("\tinput{} {}", index + 1, conditions.join(" ")));
    }
    out.push('\n');
    let library_sizes = matrix.library_sizes();
    let dense_rows: Vec<Vec<f32>> = matrix
        .rows()
        .map(|row| {
            let mut dense = vec![0.0; matrix.n_genes()];
            row.fill_dense(&mut dense);
            dense
        })
        .collect();
    for gene in 0..matrix.n_genes() {
        out.push_str(&genes.ids()[gene]);
        out.push('\t');
        out.push_str(&genes.symbols()[gene]);
        for (row, &size) in dense_rows.iter().zip(&library_sizes) {
            let value = synthome_analysis::log_cpm(f64::from(row[gene]), size);
            out.push_str(&format!("\t{value:.4}"));
        }
        out.push('\n');
    }
    Ok(out.into_bytes())
}
