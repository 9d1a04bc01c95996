//! The official R client (rsynthbio 4.2.0, installed by `./x test` from `../shared/clients` into
//! `.tools/rlib`) against `synthome serve` with auth on: list_models, get_example_query, a bulk
//! predict_query (one `sample_id` column), the single-cell example query (fast, as in Python),
//! an invalid query stopping with the server's message, and the self-hosted Arrow form when R's
//! optional `arrow` package is installed (`tests/r/check_rsynthbio.R`).
//!
//! R is `$SYNTHOME_RSCRIPT`, else `Rscript` on PATH, with the library path of `$R_LIBS`; without
//! an R that loads rsynthbio the test prints that it was skipped, except under CI (`CI` set),
//! where it fails.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::clients::{interpreter_or_skip, run_checks};
use common::server::{Server, data_dir};
use common::{INVALID_QUERY, N_GENES, QUERY};

/// The single-cell model the R client is tried with (embedded in the binary).
const SC_MODEL: &str = "gem-1-sc";

fn rscript_with_rsynthbio() -> Option<PathBuf> {
    std::env::var_os("SYNTHOME_RSCRIPT")
        .map(PathBuf::from)
        .into_iter()
        .chain([PathBuf::from("Rscript")])
        .find(|candidate| {
            Command::new(candidate)
                .args(["-e", "library(rsynthbio)"])
                .output()
                .map(|output| output.status.success())
                .unwrap_or(false)
        })
}

#[test]
fn rsynthbio_works_against_synthome_serve() {
    let Some(rscript) = interpreter_or_skip(
        rscript_with_rsynthbio(),
        "rsynthbio_works_against_synthome_serve",
        "no Rscript that loads rsynthbio",
        "./x setup installs it from ../shared/clients into .tools/rlib; set R_LIBS=.tools/rlib",
    ) else {
        return;
    };
    let dir = data_dir("rsynthbio");
    let server = Server::start(&dir, &["--api-keys", "client-key"]);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/r/check_rsynthbio.R");
    let mut command = Command::new(&rscript);
    command
        .arg(&script)
        .args([
            server.url.as_str(),
            "client-key",
            &N_GENES.to_string(),
            SC_MODEL,
        ])
        .env("SYNTHOME_INVALID_QUERY", INVALID_QUERY);
    let stdout = run_checks(
        command,
        Some(QUERY),
        "rsynthbio checks",
        "all rsynthbio checks passed",
    );
    println!("{stdout}");
}
