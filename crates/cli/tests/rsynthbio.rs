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

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

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
    let Some(rscript) = rscript_with_rsynthbio() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI: no Rscript that loads rsynthbio; ./x test installs it from ../shared/clients into .tools/rlib (R_LIBS)"
        );
        println!(
            "SKIPPED rsynthbio_works_against_synthome_serve: no Rscript that loads rsynthbio (./x setup installs it; set R_LIBS=.tools/rlib)"
        );
        return;
    };
    let dir = data_dir("rsynthbio");
    let server = Server::start(&dir, &["--api-keys", "client-key"]);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/r/check_rsynthbio.R");
    let mut child = Command::new(&rscript)
        .arg(&script)
        .args([
            server.url.as_str(),
            "client-key",
            &N_GENES.to_string(),
            SC_MODEL,
        ])
        .env("SYNTHOME_INVALID_QUERY", INVALID_QUERY)
        .env_remove("SYNTHESIZE_API_BASE_URL")
        .env_remove("SYNTHESIZE_SELF_HOSTED")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("spawn Rscript: {error}"));
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
        "rsynthbio checks failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(stdout.contains("all rsynthbio checks passed"), "{stdout}");
    println!("{stdout}");
}
