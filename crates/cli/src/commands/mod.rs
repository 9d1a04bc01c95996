//! One module per subcommand; [`run`] dispatches.

mod build_model;
mod example_query;
mod family;
mod generate;
mod models;
mod predict_metadata;
mod validate;
mod vocab;

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::args::Command;
use crate::failure::invalid;

/// Runs one subcommand.
pub fn run(command: Command, bundles: &[PathBuf]) -> anyhow::Result<()> {
    let registry = || crate::embedded::registry(bundles);
    match command {
        Command::Generate(args) => generate::run(&registry()?, &args),
        Command::Validate(args) => validate::run(&registry()?, &args),
        Command::Vocab(args) => vocab::run(&registry()?, &args),
        Command::Models(args) => models::run(&registry()?, &args),
        Command::ExampleQuery(args) => example_query::run(&registry()?, &args),
        Command::Serve(args) => crate::serve::run(registry()?, args),
        Command::BuildModel(command) => build_model::run(command),
        Command::PredictMetadata(args) => predict_metadata::run(&registry()?, &args),
    }
}

/// Reads a query file, or standard input for `-`.
pub(crate) fn read_query(path: &Path) -> anyhow::Result<String> {
    if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("could not read the query from standard input")?;
        return Ok(text);
    }
    std::fs::read_to_string(path).map_err(|error| {
        invalid(format!(
            "could not read the query file {}: {error}",
            path.display()
        ))
    })
}
