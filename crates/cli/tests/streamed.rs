//! `synthome generate` writes every format one input at a time; the files it writes for a
//! two-input query read back with the tools people use (pandas, scipy.io.mmread, anndata,
//! pyarrow: `tests/python/check_streamed.py`) as the same matrix as its CSV table. The
//! interpreter is `$SYNTHOME_PYTHON` (the project's test venv, made by `./x` from
//! `crates/*/tests/python/requirements.txt`), else `python3`; without one with those packages
//! the readers' check is skipped (failed under CI). The byte-identity of GCT and MEX with a single run is
//! checked by the unit tests of `src/in_parts_files.rs`.

mod common;
#[path = "../../formats/tests/support/python.rs"]
mod python;

use std::path::Path;
use std::process::Command;

use common::{QUERY, run, scratch, stderr};
use python::python_with;

fn generate(dir: &Path, format: &str, out: &str) {
    let query = dir.join("query.json");
    let output = run(
        &[
            "generate",
            "-m",
            "gem-1-bulk",
            "-q",
            &query.to_string_lossy(),
            "-f",
            format,
            "-o",
            &dir.join(out).to_string_lossy(),
        ],
        None,
    );
    assert!(output.status.success(), "{format}: {}", stderr(&output));
    let text = stderr(&output);
    assert!(text.contains("wrote"), "{format}: {text}");
}

#[test]
fn every_format_written_in_parts_reads_back_as_the_csv_matrix() {
    let dir = scratch("streamed");
    std::fs::write(dir.join("query.json"), QUERY).unwrap_or_else(|error| panic!("{error}"));
    for (format, out) in [
        ("csv", "out.csv"),
        ("gct", "out.gct"),
        ("h5ad", "out.h5ad"),
        ("mex", "out.mex"),
        ("mex", "out.zip"),
        #[cfg(feature = "parquet")]
        ("parquet", "out.parquet"),
    ] {
        generate(&dir, format, out);
    }
    let leftovers: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("{error}"))
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let Some(python) = python_with("anndata, pandas, scipy, pyarrow") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI: no Python with anndata, pandas, scipy, pyarrow; set SYNTHOME_PYTHON"
        );
        println!("SKIPPED the readers' check: no Python with anndata, pandas, scipy, pyarrow");
        return;
    };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/check_streamed.py");
    let output = Command::new(python)
        .arg(script)
        .arg(&dir)
        .arg("11")
        .output()
        .unwrap_or_else(|error| panic!("{error}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("all streamed format checks passed"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn file_formats_refuse_standard_output_and_a_failed_run_leaves_no_file() {
    let dir = scratch("streamed-refusals");
    std::fs::write(dir.join("query.json"), common::UNGENERATABLE_QUERY)
        .unwrap_or_else(|error| panic!("{error}"));
    let query = dir.join("query.json");
    for format in [
        "h5ad",
        "mex",
        #[cfg(feature = "parquet")]
        "parquet",
    ] {
        let output = run(
            &[
                "generate",
                "-m",
                "gem-1-bulk",
                "-q",
                &query.to_string_lossy(),
                "-f",
                format,
            ],
            None,
        );
        assert_eq!(
            output.status.code(),
            Some(2),
            "{format}: {}",
            stderr(&output)
        );
        let out = dir.join(format!("out.{format}"));
        let output = run(
            &[
                "generate",
                "-m",
                "gem-1-bulk",
                "-q",
                &query.to_string_lossy(),
                "-f",
                format,
                "-o",
                &out.to_string_lossy(),
            ],
            None,
        );
        assert_eq!(
            output.status.code(),
            Some(2),
            "{format}: {}",
            stderr(&output)
        );
        let left: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|error| panic!("{error}"))
            .filter_map(Result::ok)
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| name != "query.json")
            .collect();
        assert!(left.is_empty(), "{format}: {left:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
