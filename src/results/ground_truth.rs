//! The ground truth behind a result, for people who benchmark methods on synthetic data: each
//! input condition's expected expression (the model's mean, log2(CPM + 1)) as a table, so the
//! true log2 fold change between any two conditions is the difference of their columns.
//!
//! The result's query is rerun ([`truth_query`]) as "mean estimation" with deterministic
//! latents and one sample per input: unspecified keys then take their most common training
//! value, which is the condition the input's samples scatter around most often. The run
//! happens in the worker, where generation runs; [`ground_truth_tsv`] writes its matrix with
//! `synthome_analysis::expected_log_cpm_by_group`, one group per input.

use serde_json::Value;
use synthome_analysis::{Grouping, expected_log_cpm_by_group};
use synthome_matrix::{ExpressionMatrix, Provenance};

/// The result's query rewritten for its ground truth: one sample per input, mean estimation,
/// deterministic latents (the seed stays the query's).
pub fn truth_query(provenance: &Provenance) -> Result<String, String> {
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
    Ok(query.to_string())
}

/// The ground-truth table as TSV: `gene_id`, `symbol`, then one column per input (a row of
/// `truth`, the run of [`truth_query`]), headed by its index and conditions, with expected
/// log2(CPM + 1). Comment lines (`#`) carry the provenance of the result.
pub fn ground_truth_tsv(
    truth: &ExpressionMatrix,
    provenance: &Provenance,
) -> Result<Vec<u8>, String> {
    let n_inputs = truth.n_samples();
    let one_group_per_input = Grouping::new(
        (1..=n_inputs)
            .map(|index| format!("input{index}"))
            .collect(),
        (0..n_inputs).collect(),
    )
    .map_err(|error| error.to_string())?;
    let expected = expected_log_cpm_by_group(truth, &one_group_per_input)
        .map_err(|error| error.to_string())?;
    let genes = truth.genes();
    let mut out = String::new();
    out.push_str(&format!(
        "# ground truth: expected log2(CPM + 1) per input condition (mean estimation, deterministic latents)\n\
         # model {} {} bundle_sha256 {}\n# true log2 fold change between two conditions = difference of their columns\n",
        provenance.model_id, provenance.model_version, provenance.bundle_sha256
    ));
    out.push_str("gene_id\tsymbol");
    for (index, sample) in truth.samples().iter().enumerate() {
        let conditions: Vec<String> = sample
            .fields
            .iter()
            .map(|field| format!("{}={}", field.key, field.value))
            .collect();
        out.push_str(&format!("\tinput{} {}", index + 1, conditions.join(" ")));
    }
    out.push('\n');
    for gene in 0..truth.n_genes() {
        out.push_str(&genes.ids()[gene]);
        out.push('\t');
        out.push_str(&genes.symbols()[gene]);
        for input in &expected {
            out.push_str(&format!("\t{:.4}", input[gene]));
        }
        out.push('\n');
    }
    Ok(out.into_bytes())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use synthome_matrix::{Dense, ExpressionValues, GeneTable, MetadataField, SampleMetadata};

    use super::*;

    fn provenance(query_json: &str) -> Provenance {
        Provenance {
            model_id: "synthome-bulk-v1".into(),
            model_version: "1.0.0".into(),
            bundle_sha256: "ab".into(),
            query_json: query_json.into(),
            seed: 7,
            sampling_strategy: "sample generation".into(),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn the_truth_query_asks_for_one_mean_sample_per_input() {
        let query = truth_query(&provenance(
            r#"{"inputs":[{"num_samples":5},{"num_samples":2}],"seed":7}"#,
        ))
        .expect("query");
        assert_eq!(
            query,
            r#"{"deterministic_latents":true,"inputs":[{"num_samples":1},{"num_samples":1}],"sampling_strategy":"mean estimation","seed":7}"#
        );
        assert!(truth_query(&provenance("{}")).is_err());
    }

    #[test]
    fn the_table_has_log_cpm_per_input_as_the_log_cpm_of_each_value() {
        let genes = Arc::new(
            GeneTable::new(
                vec!["ENSG1".into(), "ENSG2".into()],
                vec!["A".into(), "B".into()],
            )
            .expect("genes"),
        );
        let samples = (0..2)
            .map(|index| {
                SampleMetadata::new(
                    format!("s{index}"),
                    vec![MetadataField {
                        key: "sex".into(),
                        value: ["female", "male"][index].into(),
                        inferred: false,
                    }],
                )
            })
            .collect();
        let values = Dense::new(2, 2, vec![1.5, 2.5, 0.0, 7.0]).expect("dense");
        let truth = ExpressionMatrix::new(genes, samples, ExpressionValues::Expected(values))
            .expect("matrix");
        let text = String::from_utf8(ground_truth_tsv(&truth, &provenance("{}")).expect("tsv"))
            .expect("utf-8");
        let lines: Vec<&str> = text.lines().filter(|line| !line.starts_with('#')).collect();
        assert_eq!(
            lines[0],
            "gene_id\tsymbol\tinput1 sex=female\tinput2 sex=male"
        );
        let expected =
            |value: f64, size: f64| format!("{:.4}", synthome_analysis::log_cpm(value, size));
        assert_eq!(
            lines[1],
            format!("ENSG1\tA\t{}\t{}", expected(1.5, 4.0), expected(0.0, 7.0))
        );
        assert_eq!(
            lines[2],
            format!("ENSG2\tB\t{}\t{}", expected(2.5, 4.0), expected(7.0, 7.0))
        );
    }
}
