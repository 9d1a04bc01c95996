//! The fixtures of the round-trip tests: every format written for a small dense count matrix,
//! the same values as expected counts (mean estimation) and as sparse counts, plus
//! `cases.json` (what the Python checks expect) and `expected.<tag>.tsv` / `expected.<tag>.metadata.tsv`
//! (plain tables for the R checks, written without the code under test).

#![allow(dead_code)]

use std::fs::{self, File};
use std::io::BufWriter;
use std::path::Path;
use std::sync::Arc;

use serde_json::json;
use synthome_formats::csv::Delimiter;
use synthome_formats::h5ad::H5adOptions;
use synthome_formats::mex::MexFiles;
use synthome_formats::{csv, gct, h5ad, json as result_json};
use synthome_matrix::{
    Dense, ExpressionMatrix, ExpressionValues, GeneTable, MetadataField, Provenance, SampleMetadata,
};

pub type TestResult = Result<(), Box<dyn std::error::Error>>;

const QUERY: &str = r#"{"inputs":[{"metadata":{"sex":"female"},"num_samples":3}],"seed":7}"#;

fn genes() -> Result<Arc<GeneTable>, Box<dyn std::error::Error>> {
    let ids = (1..=5)
        .map(|gene| format!("ENSG0000000000{gene}"))
        .collect();
    let symbols = vec!["TSPAN6", "TNMD", "DPM1", "SCYL3", "C1orf112"]
        .into_iter()
        .map(String::from)
        .collect();
    Ok(Arc::new(GeneTable::new(ids, symbols)?))
}

fn samples() -> Vec<SampleMetadata> {
    let field = |key: &str, value: &str, inferred| MetadataField {
        key: key.into(),
        value: value.into(),
        inferred,
    };
    vec![
        SampleMetadata::new(
            "sample_1",
            vec![
                field("sex", "female", false),
                field("tissue_ontology_id", "UBERON:0002107", true),
            ],
        ),
        SampleMetadata::new(
            "sample_2",
            vec![
                field("sex", "female", false),
                field("tissue_ontology_id", "UBERON:0000955", true),
            ],
        ),
        SampleMetadata::new(
            "sample_3",
            vec![
                field("sex", "female", false),
                field("tissue_ontology_id", "UBERON:0002107", true),
            ],
        ),
    ]
}

fn provenance() -> Provenance {
    Provenance {
        model_id: "synthome-bulk-v1".into(),
        model_version: "1.0.0".into(),
        bundle_sha256: "0123abcd".into(),
        query_json: QUERY.into(),
        seed: 7,
        sampling_strategy: "sample generation".into(),
        warnings: vec![],
    }
}

pub fn write_case(
    dir: &Path,
    tag: &str,
    values: ExpressionValues,
    dense: Vec<Vec<f64>>,
    sparse: bool,
) -> Result<serde_json::Value, Box<dyn std::error::Error>> {
    let matrix = ExpressionMatrix::new(genes()?, samples(), values)?;
    let provenance = provenance();
    let create = |name: String| -> Result<BufWriter<File>, std::io::Error> {
        Ok(BufWriter::new(File::create(dir.join(name))?))
    };
    csv::write_expression(
        create(format!("{tag}.expression.csv"))?,
        &matrix,
        Delimiter::Comma,
    )?;
    csv::write_metadata(
        create(format!("{tag}.metadata.csv"))?,
        &matrix,
        Delimiter::Comma,
    )?;
    csv::write_expression(
        create(format!("{tag}.expression.tsv"))?,
        &matrix,
        Delimiter::Tab,
    )?;
    csv::write_metadata(
        create(format!("{tag}.metadata.tsv"))?,
        &matrix,
        Delimiter::Tab,
    )?;
    gct::write(create(format!("{tag}.gct"))?, &matrix, &provenance)?;
    h5ad::write(
        create(format!("{tag}.h5ad"))?,
        &matrix,
        &provenance,
        H5adOptions::default(),
    )?;
    result_json::write(create(format!("{tag}.json"))?, &matrix, &provenance)?;
    let mex_dir = dir.join(format!("{tag}.mex"));
    fs::create_dir_all(&mex_dir)?;
    for (name, bytes) in MexFiles::build(&matrix, &provenance)?.files() {
        fs::write(mex_dir.join(name), bytes)?;
    }
    let metadata: Vec<serde_json::Value> = matrix
        .samples()
        .iter()
        .map(|sample| {
            sample
                .fields
                .iter()
                .map(|field| (field.key.clone(), json!(field.value)))
                .collect()
        })
        .collect();
    Ok(json!({
        "tag": tag,
        "dense": dense,
        "sparse": sparse,
        "sample_ids": ["sample_1", "sample_2", "sample_3"],
        "gene_ids": matrix.genes().ids(),
        "gene_symbols": matrix.genes().symbols(),
        "metadata": metadata,
    }))
}

/// Writes every case into `dir`.
pub fn write_fixtures(dir: &Path) -> TestResult {
    let counts = vec![0u32, 12, 5, 0, 1000, 3, 0, 0, 7, 2, 250_000, 1, 0, 4, 9];
    let dense: Vec<Vec<f64>> = counts
        .chunks(5)
        .map(|row| row.iter().map(|&count| f64::from(count)).collect())
        .collect();
    let expected_values = vec![
        0.25f32, 12.5, 5.0, 0.0, 1000.125, 3.0, 0.0, 1e-6, 7.75, 2.0, 250_000.5, 1.0, 0.0, 4.0, 9.0,
    ];
    let expected_dense: Vec<Vec<f64>> = expected_values
        .chunks(5)
        .map(|row| row.iter().map(|&value| f64::from(value)).collect())
        .collect();
    let mut builder = synthome_matrix::CsrBuilder::new(5);
    for row in counts.chunks(5) {
        let (indices, values): (Vec<u32>, Vec<u32>) = row
            .iter()
            .enumerate()
            .filter(|(_, count)| **count != 0)
            .map(|(gene, &count)| (gene as u32, count))
            .unzip();
        builder.push_row(&indices, &values)?;
    }
    let cases = vec![
        write_case(
            dir,
            "dense",
            ExpressionValues::Counts(Dense::new(3, 5, counts.clone())?),
            dense.clone(),
            false,
        )?,
        write_case(
            dir,
            "mean",
            ExpressionValues::Expected(Dense::new(3, 5, expected_values)?),
            expected_dense,
            false,
        )?,
        write_case(
            dir,
            "sparse",
            ExpressionValues::SparseCounts(builder.finish()),
            dense,
            true,
        )?,
    ];
    let expected = json!({"cases": cases, "model_id": "synthome-bulk-v1", "seed": 7, "query": serde_json::from_str::<serde_json::Value>(QUERY)?});
    fs::write(dir.join("cases.json"), serde_json::to_vec(&expected)?)?;
    for case in expected["cases"].as_array().into_iter().flatten() {
        let tag = case["tag"].as_str().unwrap_or_default();
        let mut table = String::from("sample_id");
        for gene in case["gene_ids"].as_array().into_iter().flatten() {
            table.push('\t');
            table.push_str(gene.as_str().unwrap_or_default());
        }
        table.push('\n');
        for (sample, row) in case["sample_ids"]
            .as_array()
            .into_iter()
            .flatten()
            .zip(case["dense"].as_array().into_iter().flatten())
        {
            table.push_str(sample.as_str().unwrap_or_default());
            for value in row.as_array().into_iter().flatten() {
                table.push_str(&format!("\t{}", value.as_f64().unwrap_or(f64::NAN)));
            }
            table.push('\n');
        }
        fs::write(dir.join(format!("expected.{tag}.tsv")), table)?;
        let mut metadata = String::from("sample_id\tkey\tvalue\n");
        for (sample, fields) in case["sample_ids"]
            .as_array()
            .into_iter()
            .flatten()
            .zip(case["metadata"].as_array().into_iter().flatten())
        {
            for (key, value) in fields.as_object().into_iter().flatten() {
                metadata.push_str(&format!(
                    "{}\t{key}\t{}\n",
                    sample.as_str().unwrap_or_default(),
                    value.as_str().unwrap_or_default()
                ));
            }
        }
        fs::write(dir.join(format!("expected.{tag}.metadata.tsv")), metadata)?;
    }
    Ok(())
}
