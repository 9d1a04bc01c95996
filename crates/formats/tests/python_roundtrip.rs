//! Round trip through the readers people use: writes every format for small dense, expected and
//! sparse matrices, then runs `tests/python/check_formats.py` (pandas, anndata, scipy) on them.
//!
//! The Python interpreter is `$SYNTHOME_PYTHON` (the project's test venv, see
//! `tests/python/requirements.txt`), else `python3` if it has those packages. Without either
//! the test prints that it was skipped, except under CI (`CI` set), where it fails.

use std::fs::{self, File};
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use serde_json::json;
use synthome_formats::csv::Delimiter;
use synthome_formats::h5ad::H5adOptions;
use synthome_formats::mex::MexFiles;
use synthome_formats::{csv, gct, h5ad, json as result_json};
use synthome_matrix::{
    Csr, Dense, ExpressionMatrix, ExpressionValues, GeneTable, MetadataField, Provenance,
    SampleMetadata,
};

type TestResult = Result<(), Box<dyn std::error::Error>>;

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

fn write_case(
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

fn python() -> Option<PathBuf> {
    let candidates: Vec<PathBuf> = std::env::var_os("SYNTHOME_PYTHON")
        .map(PathBuf::from)
        .into_iter()
        .chain([PathBuf::from("python3")])
        .collect();
    candidates.into_iter().find(|candidate| {
        Command::new(candidate)
            .args(["-c", "import anndata, pandas, scipy, h5py"])
            .output()
            .map(|output| output.status.success())
            .unwrap_or(false)
    })
}

#[test]
fn files_read_back_with_pandas_anndata_and_scipy() -> TestResult {
    let Some(python) = python() else {
        if std::env::var_os("CI").is_some() {
            return Err("CI: no Python with anndata, pandas, scipy, h5py; set SYNTHOME_PYTHON to the venv made from crates/formats/tests/python/requirements.txt".into());
        }
        println!(
            "SKIPPED files_read_back_with_pandas_anndata_and_scipy: no Python with anndata, pandas, scipy, h5py (set SYNTHOME_PYTHON; see crates/formats/tests/python/requirements.txt)"
        );
        return Ok(());
    };
    let dir =
        std::env::temp_dir().join(format!("synthome-formats-roundtrip-{}", std::process::id()));
    fs::create_dir_all(&dir)?;
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
            &dir,
            "dense",
            ExpressionValues::Counts(Dense::new(3, 5, counts.clone())?),
            dense.clone(),
            false,
        )?,
        write_case(
            &dir,
            "mean",
            ExpressionValues::Expected(Dense::new(3, 5, expected_values)?),
            expected_dense,
            false,
        )?,
        write_case(
            &dir,
            "sparse",
            ExpressionValues::SparseCounts(builder.finish()),
            dense,
            true,
        )?,
    ];
    let _ = Csr::new(0, 0, vec![0], vec![], vec![])?;
    let expected = json!({"cases": cases, "model_id": "synthome-bulk-v1", "seed": 7, "query": serde_json::from_str::<serde_json::Value>(QUERY)?});
    fs::write(dir.join("cases.json"), serde_json::to_vec(&expected)?)?;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/check_formats.py");
    let output = Command::new(&python).arg(&script).arg(&dir).output()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "python checks failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(stdout.contains("all format checks passed"), "{stdout}");
    fs::remove_dir_all(&dir)?;
    Ok(())
}
