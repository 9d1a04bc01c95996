//! Finding the Python interpreter of the reader round-trip tests; shared by the formats tests
//! and the CLI's pysynthbio test (included there by path, since test code is not a crate).
//!
//! The interpreter is `$SYNTHOME_PYTHON` (the project's test venv), else `python3`, whichever
//! first imports the modules a test needs.

use std::path::PathBuf;
use std::process::Command;

/// The first interpreter that can `import <modules>` (e.g. `"anndata, pandas"`).
pub fn python_with(modules: &str) -> Option<PathBuf> {
    let candidates: Vec<PathBuf> = std::env::var_os("SYNTHOME_PYTHON")
        .map(PathBuf::from)
        .into_iter()
        .chain([PathBuf::from("python3")])
        .collect();
    let import = format!("import {modules}");
    candidates.into_iter().find(|candidate| {
        Command::new(candidate)
            .args(["-c", &import])
            .output()
            .map(|output| output.status.success())
            .unwrap_or(false)
    })
}
