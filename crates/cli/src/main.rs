//! `synthome`: thin glue around the commands; exit codes and error printing live only here.

mod args;
mod commands;
mod embedded;
mod entropy;
mod failure;
mod family_output;
mod in_order;
mod in_parts;
mod in_parts_files;
mod output;
#[cfg(feature = "parquet")]
mod parquet_out;
mod serve;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    match commands::run(cli.command, &cli.bundles) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("synthome: {error:#}");
            ExitCode::from(failure::exit_code(&error))
        }
    }
}
