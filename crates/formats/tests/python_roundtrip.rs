//! Round trip through the readers people use: writes every format for small dense, expected and
//! sparse matrices, then runs `tests/python/check_formats.py` (pandas, anndata, scipy) on them.
//!
//! The Python interpreter is `$SYNTHOME_PYTHON` (the project's test venv, see
//! `tests/python/requirements.txt`), else `python3` if it has those packages. Without either
//! the test prints that it was skipped, except under CI (`CI` set), where it fails.

mod common;
#[path = "support/python.rs"]
mod python;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::{TestResult, write_fixtures};
use python::python_with;

#[test]
fn files_read_back_with_pandas_anndata_and_scipy() -> TestResult {
    let Some(python) = python_with("anndata, pandas, scipy, h5py") else {
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
    write_fixtures(&dir)?;
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
