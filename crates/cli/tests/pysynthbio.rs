//! The official Python client (pysynthbio, from PyPI) against `synthome serve` with auth on:
//! list_models, get_example_query, predict_query hosted and self-hosted, an invalid query
//! surfacing the server's message, and a job that fails later surfacing the model's message (`tests/python/check_pysynthbio.py`);
//! and the four model-family ids (`tests/python/check_pysynthbio_families.py`).
//!
//! The interpreter is `$SYNTHOME_PYTHON` (the project's test venv, made from
//! `tests/python/requirements.txt`), else `python3` if it has pysynthbio and pyarrow. Without
//! either the test prints that it was skipped, except under CI (`CI` set), where it fails.

mod common;
#[path = "../../formats/tests/support/python.rs"]
mod python;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use common::server::{Server, data_dir};
use common::{INVALID_QUERY, N_GENES, QUERY, UNGENERATABLE_QUERY};
use python::python_with;

#[test]
fn pysynthbio_works_against_synthome_serve() {
    let Some(python) = python_with("pysynthbio, pyarrow, pandas") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI: no Python with pysynthbio and pyarrow; set SYNTHOME_PYTHON to the venv made from crates/cli/tests/python/requirements.txt"
        );
        println!(
            "SKIPPED pysynthbio_works_against_synthome_serve: no Python with pysynthbio and pyarrow (set SYNTHOME_PYTHON; see crates/cli/tests/python/requirements.txt)"
        );
        return;
    };
    let dir = data_dir("pysynthbio");
    let server = Server::start(&dir, &["--api-keys", "client-key"]);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/check_pysynthbio.py");
    let mut child = Command::new(&python)
        .arg(&script)
        .args([server.url.as_str(), "client-key"])
        .env("SYNTHOME_INVALID_QUERY", INVALID_QUERY)
        .env("SYNTHOME_FAILING_QUERY", UNGENERATABLE_QUERY)
        .env("SYNTHOME_N_GENES", N_GENES.to_string())
        .env_remove("SYNTHESIZE_SELF_HOSTED")
        .env_remove("SYNTHESIZE_API_BASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("spawn python: {error}"));
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(QUERY.as_bytes())
            .unwrap_or_else(|error| panic!("{error}"));
    }
    let output = child
        .wait_with_output()
        .unwrap_or_else(|error| panic!("{error}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "pysynthbio checks failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(stdout.contains("all pysynthbio checks passed"), "{stdout}");
}

/// The four model-family ids (`gem-1-bulk_predict-metadata`, `gem-1-sc_predict-metadata`,
/// `gem-1-bulk_reference-conditioning`, `gem-1-sc_reference-conditioning`) through pysynthbio's
/// get_example_query and predict_query, hosted and self-hosted (`tests/python/check_pysynthbio_families.py`).
#[test]
fn pysynthbio_answers_the_model_families() {
    let Some(python) = python_with("pysynthbio, pyarrow, pandas") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI: no Python with pysynthbio and pyarrow; set SYNTHOME_PYTHON to the venv made from crates/cli/tests/python/requirements.txt"
        );
        println!(
            "SKIPPED pysynthbio_answers_the_model_families: no Python with pysynthbio and pyarrow (set SYNTHOME_PYTHON)"
        );
        return;
    };
    let dir = data_dir("pysynthbio-families");
    let server = Server::start(&dir, &["--api-keys", "client-key"]);
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/check_pysynthbio_families.py");
    let output = Command::new(&python)
        .arg(&script)
        .args([server.url.as_str(), "client-key"])
        .env_remove("SYNTHESIZE_SELF_HOSTED")
        .env_remove("SYNTHESIZE_API_BASE_URL")
        .output()
        .unwrap_or_else(|error| panic!("spawn python: {error}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "pysynthbio family checks failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(
        stdout.contains("all pysynthbio family checks passed"),
        "{stdout}"
    );
}
