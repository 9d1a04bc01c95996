//! `synthome generate`: validate, generate, write in the chosen format.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use synthome_query::Limits;

use crate::args::GenerateArgs;
use crate::commands::read_query;
use crate::failure::invalid;
use crate::output::{json_sink, write_output};
use synthome_engine::{ModelEntry, ModelRegistry, Prepared};
use synthome_engine::{prepare, run as run_prepared};
use synthome_formats::Format;
use synthome_formats::json::Shape;

use crate::in_parts::{PartsError, write_json_in_parts};
use synthome_matrix::Provenance;

use crate::entropy::random_u64;

/// Runs one generation.
pub fn run(registry: &ModelRegistry, args: &GenerateArgs) -> anyhow::Result<()> {
    let entry = registry
        .get(&args.model)
        .map_err(|error| invalid(error.to_string()))?;
    let text = read_query(&args.query)?;
    let prepared =
        prepare(entry, &text, args.seed, random_u64, &Limits::default()).map_err(|errors| {
            eprintln!("{errors}");
            invalid(errors.summary())
        })?;
    let bar = if args.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} {pos}/{len} samples [{elapsed}] {wide_bar}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    if args.format == Format::Json {
        let (written, provenance) = write_json(entry, &prepared, args, &bar)?;
        bar.finish_and_clear();
        report(args, &prepared, &written, &provenance);
        return Ok(());
    }
    let mut progress = |done: u64, total: u64| {
        bar.set_length(total);
        bar.set_position(done);
    };
    let (matrix, provenance) = run_prepared(entry, &prepared, &mut progress)
        .map_err(|message| invalid(format!("the model cannot generate this query: {message}")))?;
    bar.finish_and_clear();
    let writing = if args.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
    };
    writing.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    let format = args.format;
    writing.set_message(format!("writing {format}"));
    writing.enable_steady_tick(std::time::Duration::from_millis(120));
    let written = write_output(format, args.out.as_deref(), &matrix, &provenance);
    writing.finish_and_clear();
    report(args, &prepared, &written?, &provenance);
    Ok(())
}

/// Prints the files written, the warnings and the seed to reproduce the run.
fn report(
    args: &GenerateArgs,
    prepared: &Prepared,
    written: &[std::path::PathBuf],
    provenance: &Provenance,
) {
    for path in written {
        eprintln!("wrote {}", path.display());
    }
    for warning in &provenance.warnings {
        eprintln!("warning: {warning}");
    }
    if args.seed.is_none() && prepared.valid.seed.is_none() {
        eprintln!(
            "seed: {} (pass --seed {} to reproduce)",
            provenance.seed, provenance.seed
        );
    }
}

/// The result JSON generated and written one input at a time ([`write_json_in_parts`]); a
/// failed run removes the file.
fn write_json(
    entry: &ModelEntry,
    prepared: &Prepared,
    args: &GenerateArgs,
    bar: &ProgressBar,
) -> anyhow::Result<(Vec<std::path::PathBuf>, Provenance)> {
    let (sink, file) = json_sink(args.out.as_deref())?;
    let mut progress = |done: u64, total: u64| {
        bar.set_length(total);
        bar.set_position(done);
    };
    let written = write_json_in_parts(entry, prepared, sink, Shape::default(), &mut progress);
    if written.is_err()
        && let Some(path) = &file
    {
        let _ = std::fs::remove_file(path);
    }
    match written {
        Ok(provenance) => Ok((file.into_iter().collect(), provenance)),
        Err(PartsError::Generate(message)) => Err(invalid(format!(
            "the model cannot generate this query: {message}"
        ))),
        Err(failure @ PartsError::Write(_)) => Err(failure.into()),
    }
}
