//! `synthome build-model`: fits a model bundle from data tables (the builder crate).

use crate::args::BuildModelCommand;

/// Builds a bundle.
pub fn run(command: BuildModelCommand) -> anyhow::Result<()> {
    match command {
        BuildModelCommand::Bulk(args) => {
            let _ = (&args.data, &args.out);
            Err(crate::failure::invalid(
                "build-model bulk is not wired to the builder yet",
            ))
        }
    }
}
