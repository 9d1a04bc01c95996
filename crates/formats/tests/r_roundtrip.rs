//! Round trip through R: writes every text format for small dense, expected and sparse matrices,
//! then runs `tests/r/check_formats.R` (read.csv, read.delim, Matrix::readMM) on them.
//!
//! Runs with `$SYNTHOME_RSCRIPT` (set by the project's test command, which installs Debian's
//! r-base-core and r-cran-matrix), else `Rscript` from PATH if it has the Matrix package;
//! otherwise prints that it was skipped. When `SYNTHOME_RSCRIPT` is set, the test must run.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{TestResult, write_fixtures};

fn rscript() -> Option<PathBuf> {
    let candidates: Vec<PathBuf> = std::env::var_os("SYNTHOME_RSCRIPT")
        .map(PathBuf::from)
        .into_iter()
        .chain([PathBuf::from("Rscript")])
        .collect();
    candidates.into_iter().find(|candidate| {
        Command::new(candidate)
            .args(["-e", "library(Matrix)"])
            .output()
            .map(|output| output.status.success())
            .unwrap_or(false)
    })
}

#[test]
fn files_read_back_with_r() -> TestResult {
    let Some(rscript) = rscript() else {
        if let Some(required) = std::env::var_os("SYNTHOME_RSCRIPT") {
            return Err(format!(
                "SYNTHOME_RSCRIPT={} cannot load the Matrix package",
                required.to_string_lossy()
            )
            .into());
        }
        println!(
            "SKIPPED files_read_back_with_r: no Rscript with the Matrix package (apt-get install r-base-core r-cran-matrix)"
        );
        return Ok(());
    };
    let dir = std::env::temp_dir().join(format!("synthome-formats-r-{}", std::process::id()));
    fs::create_dir_all(&dir)?;
    write_fixtures(&dir)?;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/r/check_formats.R");
    let output = Command::new(&rscript).arg(&script).arg(&dir).output()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "R checks failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(stdout.contains("all R format checks passed"), "{stdout}");
    fs::remove_dir_all(&dir)?;
    Ok(())
}
