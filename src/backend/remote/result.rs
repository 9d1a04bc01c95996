//! The result JSON a remote job's `downloadUrl` returns, turned into the same matrix and
//! provenance an in-browser run gives, so the viewer and every download work unchanged.
//!
//! Accepted: `{"outputs": [{"counts": [...] | {gene_id: count} | {"counts": [...]},
//! "metadata": {...}, "inferred_keys": [...]}], "gene_order": [...], "gene_symbols"?,
//! "model_id"?, "model_version"?, "bundle_sha256"?, "seed"?, "sampling_strategy"?,
//! "warnings"?, "query"?}`. The hosted API sends only `outputs`, `gene_order` and
//! `model_version`; what it leaves out comes from the request.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use synthome_matrix::{
    Csr, Dense, ExpressionMatrix, ExpressionValues, GeneTable, MetadataField, Provenance,
    SampleMetadata,
};

use super::error::RemoteError;

/// What the page knows about the request, to fill in what the answer leaves out.
#[derive(Debug, Clone)]
pub struct RequestContext<'a> {
    /// The model asked for (the local id when the model is embedded too).
    pub model_id: &'a str,
    /// The query as sent.
    pub query_json: &'a str,
    /// The embedded model's genes, for symbols when the ids match.
    pub local_genes: Option<Arc<GeneTable>>,
}

#[derive(Deserialize)]
struct WireResult {
    outputs: Vec<WireOutput>,
    gene_order: Vec<String>,
    #[serde(default)]
    gene_symbols: Option<Vec<String>>,
    #[serde(default)]
    model_id: Option<String>,
    #[serde(default)]
    model_version: Option<Value>,
    #[serde(default)]
    bundle_sha256: Option<String>,
    #[serde(default)]
    seed: Option<u64>,
    #[serde(default)]
    sampling_strategy: Option<String>,
    #[serde(default)]
    warnings: Vec<String>,
    #[serde(default)]
    query: Option<Value>,
}

#[derive(Deserialize)]
struct WireOutput {
    counts: Counts,
    #[serde(default)]
    metadata: serde_json::Map<String, Value>,
    #[serde(default)]
    inferred_keys: Vec<String>,
}

/// One sample's counts as they come.
#[derive(Debug, PartialEq)]
enum Counts {
    /// Whole numbers in `gene_order` order.
    Whole(Vec<u32>),
    /// Numbers with fractions (expected counts) in `gene_order` order.
    Fractional(Vec<f32>),
    /// `{gene_id: count}` for the non-zero genes.
    Sparse(Vec<(String, f64)>),
}

impl<'de> Deserialize<'de> for Counts {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(CountsVisitor)
    }
}

struct CountsVisitor;

impl<'de> Visitor<'de> for CountsVisitor {
    type Value = Counts;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a list of counts or an object {gene_id: count}")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Counts, A::Error> {
        let mut whole: Vec<u32> = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        let mut fractional: Option<Vec<f32>> = None;
        while let Some(value) = seq.next_element::<f64>()? {
            check_count(value).map_err(de::Error::custom)?;
            match &mut fractional {
                Some(values) => values.push(value as f32),
                None if value.fract() == 0.0 && value <= f64::from(u32::MAX) => {
                    whole.push(value as u32)
                }
                None => {
                    let mut values: Vec<f32> = whole.iter().map(|&count| count as f32).collect();
                    values.push(value as f32);
                    fractional = Some(values);
                }
            }
        }
        Ok(match fractional {
            Some(values) => Counts::Fractional(values),
            None => Counts::Whole(whole),
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Counts, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if key == "counts" {
                return map.next_value::<Counts>();
            }
            let value = map.next_value::<f64>()?;
            check_count(value).map_err(de::Error::custom)?;
            entries.push((key, value));
        }
        Ok(Counts::Sparse(entries))
    }
}

fn check_count(value: f64) -> Result<(), String> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(format!(
            "a count is {value}; counts are non-negative numbers"
        ))
    }
}

/// Turns the downloaded result `body` into the matrix and provenance of an in-browser run.
pub fn read_result(
    body: &str,
    context: &RequestContext<'_>,
) -> Result<(ExpressionMatrix, Provenance), RemoteError> {
    let wire: WireResult = serde_json::from_str(body)
        .map_err(|error| RemoteError::Malformed(format!("the result JSON: {error}")))?;
    let n_genes = wire.gene_order.len();
    let genes = gene_table(&wire, context.local_genes.as_ref())?;
    let mut samples = Vec::with_capacity(wire.outputs.len());
    let mut rows = Vec::with_capacity(wire.outputs.len());
    for (index, output) in wire.outputs.into_iter().enumerate() {
        samples.push(sample(index, output.metadata, &output.inferred_keys));
        rows.push(output.counts);
    }
    let values = values(rows, &wire.gene_order, n_genes)?;
    let matrix = ExpressionMatrix::new(genes, samples, values)
        .map_err(|error| RemoteError::Malformed(error.to_string()))?;
    let mut warnings = wire.warnings;
    let sent: Option<Value> = serde_json::from_str(context.query_json).ok();
    let seed = wire
        .seed
        .or_else(|| sent.as_ref()?.get("seed")?.as_u64())
        .unwrap_or_else(|| {
            warnings.push(
                "the server did not say which seed it used; this result cannot be reproduced from its provenance"
                    .into(),
            );
            0
        });
    let query_json = match wire.query {
        Some(query) => query.to_string(),
        None => sent.map_or_else(|| context.query_json.to_string(), |query| query.to_string()),
    };
    let sampling_strategy = wire
        .sampling_strategy
        .or_else(|| {
            let query: Value = serde_json::from_str(&query_json).ok()?;
            let strategy = query
                .get("sampling_strategy")
                .or_else(|| query.get("mode"))?;
            strategy.as_str().map(String::from)
        })
        .unwrap_or_else(|| "sample generation".into());
    let provenance = Provenance {
        model_id: wire
            .model_id
            .unwrap_or_else(|| context.model_id.to_string()),
        model_version: match wire.model_version {
            Some(Value::String(version)) => version,
            Some(other) if !other.is_null() => other.to_string(),
            _ => "unknown".into(),
        },
        bundle_sha256: wire.bundle_sha256.unwrap_or_default(),
        query_json,
        seed,
        sampling_strategy,
        warnings,
    };
    Ok((matrix, provenance))
}

/// The genes: the answer's symbols, else the embedded model's where ids match, else the ids.
fn gene_table(
    wire: &WireResult,
    local: Option<&Arc<GeneTable>>,
) -> Result<Arc<GeneTable>, RemoteError> {
    let ids = &wire.gene_order;
    let symbols = match (&wire.gene_symbols, local) {
        (Some(symbols), _) if symbols.len() == ids.len() => symbols.clone(),
        (_, Some(local)) if local.ids() == ids.as_slice() => return Ok(local.clone()),
        (_, Some(local)) => {
            let by_id: HashMap<&str, &str> = local
                .ids()
                .iter()
                .zip(local.symbols())
                .map(|(id, symbol)| (id.as_str(), symbol.as_str()))
                .collect();
            ids.iter()
                .map(|id| {
                    by_id
                        .get(id.as_str())
                        .map_or_else(|| id.clone(), |s| (*s).to_string())
                })
                .collect()
        }
        (_, None) => ids.clone(),
    };
    GeneTable::new(ids.clone(), symbols)
        .map(Arc::new)
        .map_err(|error| RemoteError::Malformed(format!("gene_order: {error}")))
}

fn sample(
    index: usize,
    mut metadata: serde_json::Map<String, Value>,
    inferred_keys: &[String],
) -> SampleMetadata {
    let sample_id = match metadata.remove("sample_id") {
        Some(Value::String(id)) => id,
        Some(other) if !other.is_null() => other.to_string(),
        _ => format!("sample_{}", index + 1),
    };
    let mut given = Vec::new();
    let mut inferred = Vec::new();
    for (key, value) in metadata {
        let value = match value {
            Value::Null => continue,
            Value::String(text) => text,
            other => other.to_string(),
        };
        let is_inferred = inferred_keys.contains(&key);
        let field = MetadataField {
            key,
            value,
            inferred: is_inferred,
        };
        if is_inferred {
            inferred.push(field);
        } else {
            given.push(field);
        }
    }
    given.extend(inferred);
    SampleMetadata::new(sample_id, given)
}

fn values(
    rows: Vec<Counts>,
    gene_order: &[String],
    n_genes: usize,
) -> Result<ExpressionValues, RemoteError> {
    let n_samples = rows.len();
    for (index, row) in rows.iter().enumerate() {
        let length = match row {
            Counts::Whole(values) => values.len(),
            Counts::Fractional(values) => values.len(),
            Counts::Sparse(_) => n_genes,
        };
        if length != n_genes {
            return Err(RemoteError::Malformed(format!(
                "outputs[{index}].counts has {length} values but gene_order has {n_genes} genes"
            )));
        }
    }
    let column: HashMap<&str, usize> = gene_order
        .iter()
        .enumerate()
        .map(|(index, id)| (id.as_str(), index))
        .collect();
    let sparse_row = |index: usize, entries: &[(String, f64)]| {
        let mut row = Vec::with_capacity(entries.len());
        for (gene, count) in entries {
            let &at = column.get(gene.as_str()).ok_or_else(|| {
                RemoteError::Malformed(format!(
                    "outputs[{index}].counts names gene {gene:?}, which is not in gene_order"
                ))
            })?;
            row.push((at, *count));
        }
        row.sort_by_key(|&(at, _)| at);
        if row.windows(2).any(|pair| pair[0].0 == pair[1].0) {
            return Err(RemoteError::Malformed(format!(
                "outputs[{index}].counts names a gene twice"
            )));
        }
        Ok(row)
    };
    let all_sparse = !rows.is_empty() && rows.iter().all(|row| matches!(row, Counts::Sparse(_)));
    let any_fraction = rows.iter().any(|row| match row {
        Counts::Fractional(_) => true,
        Counts::Sparse(entries) => entries.iter().any(|(_, count)| count.fract() != 0.0),
        Counts::Whole(_) => false,
    });
    let shape = |error: synthome_matrix::MatrixError| RemoteError::Malformed(error.to_string());
    if all_sparse && !any_fraction {
        let (mut indptr, mut indices, mut data) = (vec![0u32], Vec::new(), Vec::new());
        for (index, row) in rows.iter().enumerate() {
            if let Counts::Sparse(entries) = row {
                for (at, count) in sparse_row(index, entries)? {
                    indices.push(at as u32);
                    data.push(count as u32);
                }
            }
            indptr.push(data.len() as u32);
        }
        let csr = Csr::new(n_samples, n_genes, indptr, indices, data).map_err(shape)?;
        return Ok(ExpressionValues::SparseCounts(csr));
    }
    if any_fraction {
        let mut flat = Vec::with_capacity(n_samples * n_genes);
        for (index, row) in rows.into_iter().enumerate() {
            match row {
                Counts::Whole(values) => flat.extend(values.into_iter().map(|v| v as f32)),
                Counts::Fractional(values) => flat.extend(values),
                Counts::Sparse(entries) => {
                    let start = flat.len();
                    flat.resize(start + n_genes, 0.0);
                    for (at, count) in sparse_row(index, &entries)? {
                        flat[start + at] = count as f32;
                    }
                }
            }
        }
        let dense = Dense::new(n_samples, n_genes, flat).map_err(shape)?;
        return Ok(ExpressionValues::Expected(dense));
    }
    let mut flat = Vec::with_capacity(n_samples * n_genes);
    for (index, row) in rows.into_iter().enumerate() {
        match row {
            Counts::Whole(values) => flat.extend(values),
            Counts::Sparse(entries) => {
                let start = flat.len();
                flat.resize(start + n_genes, 0);
                for (at, count) in sparse_row(index, &entries)? {
                    flat[start + at] = count as u32;
                }
            }
            Counts::Fractional(_) => {}
        }
    }
    Ok(ExpressionValues::Counts(
        Dense::new(n_samples, n_genes, flat).map_err(shape)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local_genes() -> Arc<GeneTable> {
        Arc::new(
            GeneTable::new(
                vec!["ENSG1".into(), "ENSG2".into(), "ENSG3".into()],
                vec!["A1".into(), "B2".into(), "C3".into()],
            )
            .expect("genes"),
        )
    }

    fn context(query: &str) -> RequestContext<'_> {
        RequestContext {
            model_id: "gem-1-bulk",
            query_json: query,
            local_genes: Some(local_genes()),
        }
    }

    const QUERY: &str = r#"{"inputs":[{"metadata":{"sex":"female"},"num_samples":2}],"seed":7,"sampling_strategy":"sample generation"}"#;

    #[test]
    fn the_hosted_shape_becomes_a_counts_matrix_with_local_symbols() {
        let body = r#"{"outputs":[
            {"counts":[12,0,5],"metadata":{"sex":"female","age_years":30}},
            {"counts":[1,2,3],"metadata":{"sex":"female"}}],
            "gene_order":["ENSG1","ENSG2","ENSG3"],"model_version":2}"#;
        let (matrix, provenance) = read_result(body, &context(QUERY)).expect("read");
        assert_eq!(matrix.n_samples(), 2);
        assert_eq!(matrix.genes().symbols(), ["A1", "B2", "C3"]);
        match matrix.values() {
            ExpressionValues::Counts(dense) => assert_eq!(dense.data(), [12, 0, 5, 1, 2, 3]),
            other => panic!("not counts: {other:?}"),
        }
        assert_eq!(matrix.samples()[0].sample_id, "sample_1");
        assert_eq!(matrix.samples()[0].get("age_years"), Some("30"));
        assert_eq!(provenance.model_id, "gem-1-bulk");
        assert_eq!(provenance.model_version, "2");
        assert_eq!(provenance.seed, 7);
        assert_eq!(provenance.sampling_strategy, "sample generation");
        assert!(provenance.warnings.is_empty());
    }

    #[test]
    fn synthome_results_keep_their_provenance_ids_and_inferred_keys() {
        let body = r#"{"outputs":[{"counts":[1,2],"metadata":{"sex":"male","tissue_ontology_id":"UBERON:1",
            "sample_id":"s_9"},"inferred_keys":["tissue_ontology_id"]}],
            "gene_order":["ENSG7","ENSG8"],"gene_symbols":["X","Y"],"model_id":"synthome-bulk-v1",
            "model_version":"1.0.0","bundle_sha256":"ab","seed":99,"sampling_strategy":"mean estimation",
            "warnings":["w"],"query":{"inputs":[],"seed":99}}"#;
        let (matrix, provenance) = read_result(body, &context("{}")).expect("read");
        assert_eq!(matrix.genes().symbols(), ["X", "Y"]);
        let sample = &matrix.samples()[0];
        assert_eq!(sample.sample_id, "s_9");
        assert_eq!(sample.fields[0].key, "sex");
        assert!(!sample.fields[0].inferred);
        assert_eq!(sample.fields[1].key, "tissue_ontology_id");
        assert!(sample.fields[1].inferred);
        assert_eq!(provenance.model_id, "synthome-bulk-v1");
        assert_eq!(provenance.bundle_sha256, "ab");
        assert_eq!(provenance.seed, 99);
        assert_eq!(provenance.sampling_strategy, "mean estimation");
        assert_eq!(provenance.warnings, ["w"]);
        assert_eq!(provenance.query_json, r#"{"inputs":[],"seed":99}"#);
    }

    #[test]
    fn sparse_objects_become_csr_and_unknown_genes_use_their_ids() {
        let body = r#"{"outputs":[{"counts":{"ENSG3":4,"ENSG1":2}},{"counts":{}},
            {"counts":{"counts":{"ENSG2":1}}}],
            "gene_order":["ENSG1","ENSG2","ENSG3","ENSG9"]}"#;
        let (matrix, provenance) = read_result(body, &context("{}")).expect("read");
        assert_eq!(matrix.genes().symbols(), ["A1", "B2", "C3", "ENSG9"]);
        match matrix.values() {
            ExpressionValues::SparseCounts(csr) => {
                assert_eq!(csr.indptr(), [0, 2, 2, 3]);
                assert_eq!(csr.indices().to_vec(), [0, 2, 1]);
                assert_eq!(csr.data().to_vec(), [2, 4, 1]);
            }
            other => panic!("not sparse: {other:?}"),
        }
        assert_eq!(provenance.seed, 0);
        assert!(provenance.warnings[0].contains("did not say which seed"));
    }

    #[test]
    fn fractions_become_expected_values_and_nested_lists_are_read() {
        let body = r#"{"outputs":[{"counts":{"counts":[0.5,1,2]}},{"counts":[1,2,3]}],
            "gene_order":["ENSG1","ENSG2","ENSG3"]}"#;
        let (matrix, _) = read_result(body, &context(QUERY)).expect("read");
        match matrix.values() {
            ExpressionValues::Expected(dense) => {
                assert_eq!(dense.data(), [0.5, 1.0, 2.0, 1.0, 2.0, 3.0])
            }
            other => panic!("not expected values: {other:?}"),
        }
    }

    #[test]
    fn malformed_results_say_what_is_wrong() {
        for (body, expected) in [
            (
                r#"{"outputs":[{"counts":[1,2]}],"gene_order":["ENSG1","ENSG2","ENSG3"]}"#,
                "outputs[0].counts has 2 values but gene_order has 3 genes",
            ),
            (
                r#"{"outputs":[{"counts":{"ENSG5":1}}],"gene_order":["ENSG1"]}"#,
                "names gene \"ENSG5\", which is not in gene_order",
            ),
            (
                r#"{"outputs":[{"counts":[-1]}],"gene_order":["ENSG1"]}"#,
                "counts are non-negative",
            ),
            (
                r#"{"outputs":[{"counts":"many"}],"gene_order":["ENSG1"]}"#,
                "a list of counts or an object",
            ),
            (r#"{"gene_order":[]}"#, "missing field `outputs`"),
            ("<html>", "the result JSON"),
        ] {
            let error = read_result(body, &context(QUERY)).expect_err(body);
            assert!(matches!(error, RemoteError::Malformed(_)), "{error:?}");
            assert!(error.to_string().contains(expected), "{body}: {error}");
        }
    }
}
