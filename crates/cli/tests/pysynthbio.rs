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

use std::path::Path;
use std::process::Command;

use common::clients::{interpreter_or_skip, run_checks};
use common::server::{Server, data_dir};
use common::{INVALID_QUERY, N_GENES, QUERY, UNGENERATABLE_QUERY};
use python::python_with;

/// What the tests need of Python, and how to get it.
const PYTHON_MISSING: &str = "no Python with pysynthbio and pyarrow";
const PYTHON_HINT: &str =
    "set SYNTHOME_PYTHON to the venv made from crates/cli/tests/python/requirements.txt";

#[test]
fn pysynthbio_works_against_synthome_serve() {
    let Some(python) = interpreter_or_skip(
        python_with("pysynthbio, pyarrow, pandas"),
        "pysynthbio_works_against_synthome_serve",
        PYTHON_MISSING,
        PYTHON_HINT,
    ) else {
        return;
    };
    let dir = data_dir("pysynthbio");
    let server = Server::start(&dir, &["--api-keys", "client-key"]);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/check_pysynthbio.py");
    let mut command = Command::new(&python);
    command
        .arg(&script)
        .args([server.url.as_str(), "client-key"])
        .env("SYNTHOME_INVALID_QUERY", INVALID_QUERY)
        .env("SYNTHOME_FAILING_QUERY", UNGENERATABLE_QUERY)
        .env("SYNTHOME_N_GENES", N_GENES.to_string());
    run_checks(
        command,
        Some(QUERY),
        "pysynthbio checks",
        "all pysynthbio checks passed",
    );
}

/// The four model-family ids (`gem-1-bulk_predict-metadata`, `gem-1-sc_predict-metadata`,
/// `gem-1-bulk_reference-conditioning`, `gem-1-sc_reference-conditioning`) through pysynthbio's
/// get_example_query and predict_query, hosted and self-hosted (`tests/python/check_pysynthbio_families.py`).
#[test]
fn pysynthbio_answers_the_model_families() {
    let Some(python) = interpreter_or_skip(
        python_with("pysynthbio, pyarrow, pandas"),
        "pysynthbio_answers_the_model_families",
        PYTHON_MISSING,
        PYTHON_HINT,
    ) else {
        return;
    };
    let dir = data_dir("pysynthbio-families");
    let server = Server::start(&dir, &["--api-keys", "client-key"]);
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/check_pysynthbio_families.py");
    let mut command = Command::new(&python);
    command
        .arg(&script)
        .args([server.url.as_str(), "client-key"]);
    run_checks(
        command,
        None,
        "pysynthbio family checks",
        "all pysynthbio family checks passed",
    );
}
