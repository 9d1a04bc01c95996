//! What the official-client tests (pysynthbio, rsynthbio) share: skipping when the client is not
//! installed (failing instead under CI), and running a client's check script against a server
//! until it reports that every check passed.

use std::io::Write;
use std::process::{Command, Stdio};

/// The interpreter `found`, or `None` after printing that `test` was skipped and why; under CI
/// (`CI` set) a missing client fails the test with `ci_hint`, which says how to install it.
pub fn interpreter_or_skip<T>(
    found: Option<T>,
    test: &str,
    missing: &str,
    ci_hint: &str,
) -> Option<T> {
    if found.is_none() {
        assert!(std::env::var_os("CI").is_none(), "CI: {missing}; {ci_hint}");
        println!("SKIPPED {test}: {missing} ({ci_hint})");
    }
    found
}

/// Runs a client's check script (`command`, with the query on its stdin when given) and asserts
/// that it exited 0 and printed `passed_line`; returns its stdout.
pub fn run_checks(
    mut command: Command,
    stdin: Option<&str>,
    what: &str,
    passed_line: &str,
) -> String {
    let mut child = command
        .env_remove("SYNTHESIZE_SELF_HOSTED")
        .env_remove("SYNTHESIZE_API_BASE_URL")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("spawn the {what}: {error}"));
    if let (Some(text), Some(mut pipe)) = (stdin, child.stdin.take()) {
        pipe.write_all(text.as_bytes())
            .unwrap_or_else(|error| panic!("{error}"));
    }
    let output = child
        .wait_with_output()
        .unwrap_or_else(|error| panic!("{error}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{what} failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(stdout.contains(passed_line), "{stdout}");
    stdout
}
