//! Exit codes: which failures are the user's input (2) and which are runtime failures (1).

use std::fmt;

/// An error caused by the user's input or usage: exits with code 2.
#[derive(Debug)]
pub struct InvalidInput(pub String);

impl fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InvalidInput {}

/// Shorthand for an invalid-input error.
pub fn invalid(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(InvalidInput(message.into()))
}

/// The exit code for an error: 2 when any cause is invalid input, else 1.
pub fn exit_code(error: &anyhow::Error) -> u8 {
    if error.chain().any(|cause| cause.is::<InvalidInput>()) {
        2
    } else {
        1
    }
}
