//! The `synthome` command line, run as a process: outputs, exit codes and messages.

mod common;

use common::{
    BRAIN, INVALID_QUERY, LIVER, N_GENES, QUERY, UNGENERATABLE_QUERY,
    assert_the_tissue_error_suggests_liver, run, scratch, stderr, stdout,
};
use serde_json::Value;

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|error| panic!("not JSON ({error}): {text}"))
}

fn query_file(dir: &std::path::Path, text: &str) -> String {
    let path = dir.join("query.json");
    std::fs::write(&path, text).unwrap_or_else(|error| panic!("{error}"));
    path.display().to_string()
}

#[test]
fn models_lists_the_model_with_its_alias_and_sha() {
    let output = run(&["models"], None);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.lines()
            .any(|line| line.starts_with("synthome-bulk-v1\tgem-1-bulk\t0.0.1-test\t")),
        "{text}"
    );
    let listed = json(&stdout(&run(&["models", "--json"], None)));
    let model = listed["models"]
        .as_array()
        .and_then(|models| {
            models
                .iter()
                .find(|model| model["model_id"] == "synthome-bulk-v1")
        })
        .cloned()
        .unwrap_or_default();
    assert_eq!(model["aliases"][0], "gem-1-bulk");
    assert_eq!(model["bundle_sha256"].as_str().map(str::len), Some(64));
}

#[test]
fn generate_json_to_stdout_has_the_contract_shape_and_is_reproducible() {
    let first = run(
        &["generate", "--model", "gem-1-bulk", "--query", "-"],
        Some(QUERY),
    );
    assert!(first.status.success(), "{}", stderr(&first));
    let result = json(&stdout(&first));
    let outputs = result["outputs"].as_array().cloned().unwrap_or_default();
    assert_eq!(outputs.len(), 5);
    assert_eq!(outputs[0]["counts"].as_array().map(Vec::len), Some(N_GENES));
    assert_eq!(outputs[0]["metadata"]["sex"], "female");
    assert!(outputs[0]["metadata"]["sample_id"].is_string());
    assert!(
        outputs[3]["metadata"]["sex"].is_string(),
        "the model fills sex in"
    );
    assert_eq!(
        outputs[3]["inferred_keys"],
        serde_json::json!(["sample_type", "sex"])
    );
    assert_eq!(
        outputs[0]["inferred_keys"],
        serde_json::json!(["sample_type"])
    );
    assert_eq!(result["gene_order"].as_array().map(Vec::len), Some(N_GENES));
    assert_eq!(result["gene_symbols"][0], "GENE0");
    assert_eq!(result["model_id"], "synthome-bulk-v1");
    assert_eq!(result["seed"], 11);
    assert_eq!(result["sampling_strategy"], "sample generation");
    assert_eq!(result["bundle_sha256"].as_str().map(str::len), Some(64));
    let second = run(
        &["generate", "--model", "synthome-bulk-v1", "--query", "-"],
        Some(QUERY),
    );
    assert_eq!(
        first.stdout, second.stdout,
        "same query and seed give the same bytes"
    );
    let reseeded = run(
        &[
            "generate",
            "--model",
            "gem-1-bulk",
            "--query",
            "-",
            "--seed",
            "12",
        ],
        Some(QUERY),
    );
    assert_ne!(
        first.stdout, reseeded.stdout,
        "--seed overrides the query's seed"
    );
    assert_eq!(json(&stdout(&reseeded))["seed"], 12);
}

#[test]
fn generate_without_a_seed_picks_one_and_reports_it() {
    let query = QUERY.replace("\"seed\": 11,", "");
    let output = run(&["generate", "-m", "gem-1-bulk", "-q", "-"], Some(&query));
    assert!(output.status.success(), "{}", stderr(&output));
    let seed = json(&stdout(&output))["seed"].as_u64().unwrap_or_default();
    assert!(
        stderr(&output).contains(&format!("seed: {seed}")),
        "{}",
        stderr(&output)
    );
}

#[test]
fn generate_writes_every_file_format() {
    let dir = scratch("formats");
    let query = query_file(&dir, QUERY);
    let out = |name: &str| dir.join(name).display().to_string();
    for (format, path) in [
        ("csv", out("run.csv")),
        ("tsv", out("run")),
        ("gct", out("run.gct")),
        ("h5ad", out("run.h5ad")),
        ("json", out("run.json")),
        ("mex", out("mex_dir")),
        ("mex", out("run.zip")),
    ] {
        let output = run(
            &[
                "generate",
                "--model",
                "gem-1-bulk",
                "--query",
                &query,
                "--format",
                format,
                "--out",
                &path,
            ],
            None,
        );
        assert!(output.status.success(), "{format}: {}", stderr(&output));
    }
    let read = |name: &str| {
        std::fs::read(dir.join(name)).unwrap_or_else(|error| panic!("{name}: {error}"))
    };
    let expression = String::from_utf8_lossy(&read("run.expression.csv")).into_owned();
    assert!(
        expression.starts_with("sample_id,ENSG00000000001,"),
        "{expression}"
    );
    assert_eq!(expression.lines().count(), 6);
    let metadata = String::from_utf8_lossy(&read("run.metadata.csv")).into_owned();
    let header: Vec<&str> = metadata
        .lines()
        .next()
        .unwrap_or_default()
        .split(',')
        .collect();
    assert_eq!(header[0], "sample_id", "{metadata}");
    assert!(
        header.contains(&"tissue_ontology_id") && header.contains(&"sex"),
        "{metadata}"
    );
    assert_eq!(
        json(&String::from_utf8_lossy(&read("run.provenance.json")))["seed"],
        11
    );
    assert!(read("run.expression.tsv").starts_with(b"sample_id\tENSG"));
    assert!(read("run.gct").starts_with(b"#1.3\n20\t5\t1\t"));
    assert!(read("run.h5ad").starts_with(b"\x89HDF\r\n\x1a\n"));
    assert_eq!(
        json(&String::from_utf8_lossy(&read("run.json")))["outputs"]
            .as_array()
            .map(Vec::len),
        Some(5)
    );
    for name in [
        "matrix.mtx.gz",
        "features.tsv.gz",
        "barcodes.tsv.gz",
        "metadata.tsv",
        "provenance.json",
    ] {
        assert!(dir.join("mex_dir").join(name).is_file(), "{name}");
    }
    assert!(read("run.zip").starts_with(b"PK\x03\x04"));
    std::fs::remove_dir_all(&dir).unwrap_or_else(|error| panic!("{error}"));
}

#[test]
fn file_formats_need_an_output_path() {
    let output = run(
        &[
            "generate",
            "--model",
            "gem-1-bulk",
            "--query",
            "-",
            "--format",
            "csv",
        ],
        Some(QUERY),
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("give --out PATH"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_invalid_query_exits_2_and_names_every_problem() {
    let output = run(
        &["generate", "--model", "gem-1-bulk", "--query", "-"],
        Some(INVALID_QUERY),
    );
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(text.contains("inputs[0].tissue_ontology_id"), "{text}");
    assert!(text.contains("inputs[0].disease_ontology_id"), "{text}");
    assert!(output.stdout.is_empty());
    let validate = run(
        &["validate", "--model", "gem-1-bulk", "--query", "-"],
        Some(INVALID_QUERY),
    );
    assert_eq!(validate.status.code(), Some(2));
    assert!(
        stderr(&validate).contains("UBERON:0002108"),
        "{}",
        stderr(&validate)
    );
    let structured = run(
        &[
            "validate",
            "--model",
            "gem-1-bulk",
            "--query",
            "-",
            "--json",
        ],
        Some(INVALID_QUERY),
    );
    assert_eq!(structured.status.code(), Some(2));
    let answer = json(&stdout(&structured));
    assert!(
        answer["message"]
            .as_str()
            .is_some_and(|message| message.contains("2 problems")),
        "{answer}"
    );
    assert_the_tissue_error_suggests_liver(&answer);
}

#[test]
fn validate_runs_the_models_own_checks_that_generate_meets() {
    let generate = run(
        &["generate", "--model", "gem-1-bulk", "--query", "-"],
        Some(UNGENERATABLE_QUERY),
    );
    assert_eq!(generate.status.code(), Some(2));
    let validate = run(
        &["validate", "--model", "gem-1-bulk", "--query", "-"],
        Some(UNGENERATABLE_QUERY),
    );
    assert_eq!(validate.status.code(), Some(2), "{}", stdout(&validate));
    let text = stderr(&validate);
    assert!(text.contains("inputs[0]"), "{text}");
    assert!(text.contains("no context with"), "{text}");
    let structured = run(
        &[
            "validate",
            "--model",
            "gem-1-bulk",
            "--query",
            "-",
            "--json",
        ],
        Some(UNGENERATABLE_QUERY),
    );
    assert_eq!(structured.status.code(), Some(2));
    let answer = json(&stdout(&structured));
    assert_eq!(answer["valid"], false, "{answer}");
    assert!(
        answer["message"]
            .as_str()
            .is_some_and(|message| message.contains("inputs[0]")),
        "{answer}"
    );
}

#[test]
fn validate_accepts_the_example_query() {
    let example = run(&["example-query", "gem-1-bulk"], None);
    assert!(example.status.success(), "{}", stderr(&example));
    let valid = run(
        &["validate", "--model", "gem-1-bulk", "--query", "-"],
        Some(&stdout(&example)),
    );
    assert!(valid.status.success(), "{}", stderr(&valid));
    assert!(
        stdout(&valid).starts_with("valid for synthome-bulk-v1"),
        "{}",
        stdout(&valid)
    );
}

#[test]
fn vocab_prints_terms_and_searches_them() {
    let output = run(&["vocab", "gem-1-bulk", "tissue_ontology_id"], None);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.lines()
            .any(|line| line == "UBERON:0002107\tliver\thepar"),
        "{text}"
    );
    let searched = stdout(&run(
        &[
            "vocab",
            "gem-1-bulk",
            "tissue_ontology_id",
            "--search",
            "livr",
        ],
        None,
    ));
    assert!(searched.starts_with("UBERON:0002107\tliver"), "{searched}");
    let unknown = run(&["vocab", "gem-1-bulk", "organism"], None);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("its keys are"),
        "{}",
        stderr(&unknown)
    );
}

#[test]
fn unknown_models_and_missing_files_exit_2_with_a_clear_message() {
    let output = run(
        &["generate", "--model", "gem-9", "--query", "-"],
        Some(QUERY),
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("synthome-bulk-v1 (alias gem-1-bulk)"),
        "{}",
        stderr(&output)
    );
    let missing = run(
        &[
            "generate",
            "--model",
            "gem-1-bulk",
            "--query",
            "/nonexistent/query.json",
        ],
        None,
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("could not read the query file /nonexistent/query.json"),
        "{}",
        stderr(&missing)
    );
    let usage = run(&["generate"], None);
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn build_model_refuses_a_missing_data_folder() {
    let output = run(
        &[
            "build-model",
            "bulk",
            "--data",
            "/nonexistent/data",
            "--out",
            "/tmp/unused",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--data /nonexistent/data is not a folder"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_embedded_bulk_model_generates_its_own_example_query() {
    let embedded = |args: &[&str], stdin: Option<&str>| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_synthome"));
        command.env_remove("SYNTHOME_BUNDLES").args(args);
        command
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = command.spawn().unwrap_or_else(|error| panic!("{error}"));
        if let (Some(mut input), Some(text)) = (child.stdin.take(), stdin) {
            use std::io::Write;
            input
                .write_all(text.as_bytes())
                .unwrap_or_else(|error| panic!("{error}"));
        }
        child
            .wait_with_output()
            .unwrap_or_else(|error| panic!("{error}"))
    };
    let models = embedded(&["models"], None);
    assert!(
        stdout(&models)
            .lines()
            .any(|line| line.starts_with("synthome-bulk-v1\tgem-1-bulk\t")),
        "{}{}",
        stdout(&models),
        stderr(&models)
    );
    let example = embedded(&["example-query", "gem-1-bulk"], None);
    assert!(example.status.success(), "{}", stderr(&example));
    let generated = embedded(
        &[
            "generate",
            "--model",
            "gem-1-bulk",
            "--query",
            "-",
            "--quiet",
        ],
        Some(&stdout(&example)),
    );
    assert!(generated.status.success(), "{}", stderr(&generated));
    let result = json(&stdout(&generated));
    let n_genes = result["gene_order"].as_array().map_or(0, Vec::len);
    assert!(n_genes > 15_000, "a genome-wide model, got {n_genes} genes");
    let sha = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../public/models/synthome-bulk-v1.bundle.sha256"
    ))
    .unwrap_or_default();
    assert!(
        sha.starts_with(result["bundle_sha256"].as_str().unwrap_or("?")),
        "provenance names the embedded bundle: {sha}"
    );
}

#[test]
fn build_model_sc_refuses_a_folder_without_the_pbmc_counts() {
    let output = run(
        &[
            "build-model",
            "sc",
            "--data",
            "/tmp",
            "--out",
            "/tmp/unused",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("does not hold the Kang 2018 PBMC counts"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn absurd_serve_sizes_are_usage_errors_not_panics() {
    let dir = scratch("absurd-sizes");
    let data = dir.display().to_string();
    for option in ["--queue-size", "--concurrency"] {
        for value in ["18446744073709551615", "0"] {
            let output = run(
                &[
                    "serve",
                    "--addr",
                    "127.0.0.1:0",
                    "--data-dir",
                    &data,
                    option,
                    value,
                ],
                None,
            );
            let message = stderr(&output);
            assert_eq!(output.status.code(), Some(2), "{option} {value}: {message}");
            assert!(!message.contains("panicked"), "{message}");
            assert!(message.contains(option), "{option} {value}: {message}");
        }
    }
}

/// The result of `query` for `model` as the server writes it.
fn server_result(server: &common::server::Server, model: &str, query: &str) -> String {
    let agent = common::server::agent();
    let mut response = agent
        .post(&format!("{}/api/models/{model}/predict", server.url))
        .header("Content-Type", "application/json")
        .send(query)
        .unwrap_or_else(|error| panic!("{error}"));
    let started = json(&response.body_mut().read_to_string().unwrap_or_default());
    let id = started["modelQueryId"].as_str().unwrap_or_default();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        let mut response = agent
            .get(&format!("{}/api/model-queries/{id}/status", server.url))
            .call()
            .unwrap_or_else(|error| panic!("{error}"));
        let status = json(&response.body_mut().read_to_string().unwrap_or_default());
        if let Some(url) = status["downloadUrl"].as_str() {
            return agent
                .get(url)
                .call()
                .unwrap_or_else(|error| panic!("{error}"))
                .body_mut()
                .with_config()
                .limit(1 << 30)
                .read_to_string()
                .unwrap_or_default();
        }
        assert_eq!(status["status"], "running", "{status}");
        assert!(
            std::time::Instant::now() < deadline,
            "the job did not finish"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn the_cli_and_the_server_write_the_same_json_bytes_for_multi_input_queries() {
    let dir = scratch("json-parts");
    let server = common::server::Server::start(&dir.join("data"), &[]);
    let three_inputs = r#"{"sampling_strategy": "sample generation", "seed": 5,
      "inputs": [{"metadata": {"tissue_ontology_id": "UBERON:0002107", "sex": "female"}, "num_samples": 3},
                 {"metadata": {"tissue_ontology_id": "UBERON:0000955"}, "num_samples": 20},
                 {"metadata": {}, "num_samples": 2}]}"#;
    for (model, query) in [("gem-1-bulk", QUERY), ("gem-1-bulk", three_inputs)] {
        let whole = server_result(&server, model, query);
        let parts = run(&["generate", "--model", model, "--query", "-"], Some(query));
        assert!(parts.status.success(), "{}", stderr(&parts));
        assert!(stdout(&parts) == whole, "{model}: the bytes differ");
        let file = dir.join("parts.json");
        let written = run(
            &[
                "generate",
                "--model",
                model,
                "--query",
                "-",
                "--out",
                &file.display().to_string(),
            ],
            Some(query),
        );
        assert!(written.status.success(), "{}", stderr(&written));
        assert!(
            std::fs::read_to_string(&file).unwrap_or_default() == whole,
            "{model}: the file's bytes differ"
        );
    }
}

/// Liver and brain samples generated by the test model, as count lists
fn generated_counts() -> Vec<Vec<u64>> {
    let query = r#"{"sampling_strategy": "sample generation", "seed": 4,
      "inputs": [{"metadata": {"tissue_ontology_id": "UBERON:0002107", "sex": "female"}, "num_samples": 2},
                 {"metadata": {"tissue_ontology_id": "UBERON:0000955", "sex": "male"}, "num_samples": 2}]}"#;
    let output = run(
        &["generate", "--model", "gem-1-bulk", "--query", "-"],
        Some(query),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    json(&stdout(&output))["outputs"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|sample| {
            sample["counts"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .map(|count| count.as_u64().unwrap_or(0))
                .collect()
        })
        .collect()
}

#[test]
fn predict_metadata_reads_a_table_by_symbol_and_predicts_the_tissues() {
    let samples = generated_counts();
    let dir = scratch("predict-table");
    let mut table = String::from("gene\ts1\ts2\ts3\ts4\n");
    for gene in 0..N_GENES {
        let row: Vec<String> = samples
            .iter()
            .map(|counts| counts[gene].to_string())
            .collect();
        table.push_str(&format!("gene{gene}\t{}\n", row.join("\t")));
    }
    let path = dir.join("counts.tsv");
    std::fs::write(&path, table).unwrap_or_else(|error| panic!("{error}"));
    let path_text = path.display().to_string();
    let output = run(
        &[
            "predict-metadata",
            "--model",
            "gem-1-bulk",
            "--counts",
            &path_text,
        ],
        None,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(&format!("{N_GENES} of the table's {N_GENES} genes matched")),
        "{}",
        stderr(&output)
    );
    let lines: Vec<String> = stdout(&output).lines().map(str::to_owned).collect();
    assert!(lines[0].starts_with("sample\t"), "{}", lines[0]);
    assert!(
        lines[1].contains(LIVER) && lines[2].contains(LIVER),
        "{lines:?}"
    );
    assert!(
        lines[3].contains(BRAIN) && lines[4].contains(BRAIN),
        "{lines:?}"
    );
}

#[test]
fn generate_answers_the_family_ids_and_names_bad_inputs() {
    let samples = generated_counts();
    let query = serde_json::json!({"inputs": [{"counts": samples[0]}], "seed": 1}).to_string();
    let output = run(
        &[
            "generate",
            "--model",
            "gem-1-bulk_predict-metadata",
            "--query",
            "-",
        ],
        Some(&query),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let answer = json(&stdout(&output));
    assert_eq!(
        answer["outputs"][0]["metadata"]["tissue_ontology_id"], LIVER,
        "{answer}"
    );
    assert!(
        answer["outputs"][0]["classifier_probs"]["sex"]["female"]
            .as_f64()
            .unwrap_or(0.0)
            > 0.5
    );
    assert_eq!(answer["model_id"], "synthome-bulk-v1_predict-metadata");
    let query =
        serde_json::json!({"inputs": [{"counts": samples[2], "metadata": {}, "num_samples": 3}],
        "sampling_strategy": "mean estimation"})
        .to_string();
    let output = run(
        &[
            "generate",
            "--model",
            "gem-1-bulk_reference-conditioning",
            "--query",
            "-",
        ],
        Some(&query),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let answer = json(&stdout(&output));
    assert_eq!(answer["outputs"].as_array().map(Vec::len), Some(3));
    assert_eq!(
        answer["outputs"][0]["metadata"]["tissue_ontology_id"],
        BRAIN
    );
    assert!(answer["outputs"][0]["latents"]["biological"].is_array());
    let bad = r#"{"inputs": [{"counts": [1, 2, 3]}]}"#;
    let output = run(
        &[
            "generate",
            "--model",
            "gem-1-bulk_predict-metadata",
            "--query",
            "-",
        ],
        Some(bad),
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains(&format!(
            "inputs[0].counts: 3 values; the model has {N_GENES} genes"
        )),
        "{}",
        stderr(&output)
    );
}

#[test]
fn predict_metadata_reads_an_h5ad_file() {
    let dir = scratch("predict-h5ad");
    let query = r#"{"sampling_strategy": "sample generation", "seed": 4,
      "inputs": [{"metadata": {"tissue_ontology_id": "UBERON:0000955", "sex": "male"}, "num_samples": 2}]}"#;
    let path = dir.join("brain.h5ad").display().to_string();
    let output = run(
        &[
            "generate",
            "--model",
            "gem-1-bulk",
            "--query",
            "-",
            "--format",
            "h5ad",
            "--out",
            &path,
        ],
        Some(query),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let output = run(
        &[
            "predict-metadata",
            "--model",
            "gem-1-bulk",
            "--counts",
            &path,
        ],
        None,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(&format!("{N_GENES} of the table's {N_GENES} genes matched")),
        "{}",
        stderr(&output)
    );
    let text = stdout(&output);
    assert_eq!(
        text.lines().filter(|line| line.contains(BRAIN)).count(),
        2,
        "{text}"
    );
}
