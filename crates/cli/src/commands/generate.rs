//! `synthome generate`: validate, generate, write in the chosen format.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use synthome_query::Limits;

use crate::args::GenerateArgs;
use crate::args::OutputFormat;
use crate::commands::read_query;
use crate::failure::invalid;
use crate::in_parts_files::{Scratch, write_gct_in_parts, write_h5ad_in_parts, write_mex_in_parts};
use crate::output::{json_sink, table_sinks};
use std::path::PathBuf;
use synthome_engine::prepare;
use synthome_engine::{ModelEntry, ModelRegistry, Prepared};
use synthome_formats::Format;
use synthome_formats::json::Shape;

use crate::in_parts::{PartsError, write_json_in_parts, write_tables_in_parts};
use synthome_formats::csv::Delimiter;
use synthome_matrix::Provenance;

use crate::entropy::random_u64;

/// Runs one generation.
pub fn run(registry: &ModelRegistry, args: &GenerateArgs) -> anyhow::Result<()> {
    if let Some((base, family)) = synthome_engine::families::Family::split(&args.model) {
        return crate::commands::family::generate(registry, base, family, args);
    }
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
    let (written, provenance) = write_in_parts(entry, &prepared, args, &bar)?;
    bar.finish_and_clear();
    report(args, &prepared, &written, &provenance);
    Ok(())
}

/// Every format is generated and written a part at a time, with the progress bar over the
/// whole query: JSON, CSV/TSV (`in_parts.rs`), GCT, MEX, h5ad (`in_parts_files.rs`), Parquet
/// (`parquet_out.rs`).
fn write_in_parts(
    entry: &ModelEntry,
    prepared: &Prepared,
    args: &GenerateArgs,
    bar: &ProgressBar,
) -> anyhow::Result<(Vec<PathBuf>, Provenance)> {
    // Infallible without the `parquet` feature.
    #[allow(clippy::infallible_destructuring_match)]
    let format = match args.format {
        OutputFormat::Result(format) => format,
        #[cfg(feature = "parquet")]
        OutputFormat::Parquet => {
            let path = file_out(args, "parquet")?;
            let [expression, metadata] = crate::parquet_out::parquet_paths(&path);
            let written = crate::parquet_out::write_parquet_in_parts(
                entry,
                prepared,
                args.threads(),
                &path,
                &mut progress_of(bar),
            );
            let written = removing_on_failure(written, &[expression, metadata]);
            return in_parts_result(written);
        }
    };
    match format {
        Format::Json => write_json(entry, prepared, args, bar),
        Format::Csv | Format::Tsv => {
            let delimiter = table_delimiter(format).unwrap_or(Delimiter::Comma);
            write_tables(entry, prepared, args, delimiter, bar)
        }
        Format::Gct => {
            let (sink, file) = json_sink(args.out.as_deref())?;
            let scratch = match &file {
                Some(path) => Scratch::beside(path),
                None => Scratch::in_temp_dir(),
            };
            let written = write_gct_in_parts(
                entry,
                prepared,
                args.threads(),
                sink,
                scratch,
                &mut progress_of(bar),
            );
            let files: Vec<PathBuf> = file.into_iter().collect();
            let provenance = in_parts_result(removing_on_failure(written, &files))?;
            Ok((files, provenance))
        }
        Format::H5ad => {
            let path = file_out(args, "h5ad")?;
            let written = write_h5ad_in_parts(
                entry,
                prepared,
                args.threads(),
                &path,
                &mut progress_of(bar),
            );
            let files = vec![path];
            let provenance = in_parts_result(removing_on_failure(written, &files))?;
            Ok((files, provenance))
        }
        Format::Mex => {
            let path = file_out(args, "mex")?;
            let zip = path
                .extension()
                .is_some_and(|ext| ext.eq_ignore_ascii_case("zip"));
            let written = write_mex_in_parts(
                entry,
                prepared,
                args.threads(),
                &path,
                zip,
                &mut progress_of(bar),
            );
            in_parts_result(removing_on_failure(written, &[path]))
        }
    }
}

/// The `--out` file of a format that writes files (never standard output).
fn file_out(args: &GenerateArgs, format: &str) -> anyhow::Result<PathBuf> {
    match args.out.as_deref().filter(|path| path.as_os_str() != "-") {
        Some(path) => {
            if let Some(parent) = path
                .parent()
                .filter(|parent| !parent.as_os_str().is_empty())
            {
                std::fs::create_dir_all(parent)?;
            }
            Ok(path.to_path_buf())
        }
        None => Err(invalid(format!(
            "--format {format} writes files; give --out PATH (standard output takes json or gct)"
        ))),
    }
}

/// The progress callback that moves `bar`.
fn progress_of(bar: &ProgressBar) -> impl FnMut(u64, u64) + '_ {
    |done: u64, total: u64| {
        bar.set_length(total);
        bar.set_position(done);
    }
}

/// `written`, with `paths` removed when it failed (a folder with what is in it).
fn removing_on_failure<T>(
    written: Result<T, PartsError>,
    paths: &[PathBuf],
) -> Result<T, PartsError> {
    if written.is_err() {
        for path in paths {
            if path.is_dir() {
                let _ = std::fs::remove_dir_all(path);
            } else {
                let _ = std::fs::remove_file(path);
            }
        }
    }
    written
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

/// The result JSON generated and written a part at a time ([`write_json_in_parts`]); a
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
    let written = write_json_in_parts(
        entry,
        prepared,
        args.threads(),
        sink,
        Shape::default(),
        &mut progress,
    );
    if written.is_err()
        && let Some(path) = &file
    {
        let _ = std::fs::remove_file(path);
    }
    Ok((file.into_iter().collect(), in_parts_result(written)?))
}

/// The delimiter of a table format (csv, tsv), else `None`.
fn table_delimiter(format: Format) -> Option<Delimiter> {
    match format {
        Format::Csv => Some(Delimiter::Comma),
        Format::Tsv => Some(Delimiter::Tab),
        _ => None,
    }
}

/// The CSV or TSV files generated a part at a time, the expression table written as each
/// input comes ([`write_tables_in_parts`]); a failed run removes the files.
fn write_tables(
    entry: &ModelEntry,
    prepared: &Prepared,
    args: &GenerateArgs,
    delimiter: Delimiter,
    bar: &ProgressBar,
) -> anyhow::Result<(Vec<std::path::PathBuf>, Provenance)> {
    let format = match delimiter {
        Delimiter::Comma => Format::Csv,
        Delimiter::Tab => Format::Tsv,
    };
    let (sinks, files) = table_sinks(format, args.out.as_deref())?;
    let mut progress = |done: u64, total: u64| {
        bar.set_length(total);
        bar.set_position(done);
    };
    let written = write_tables_in_parts(
        entry,
        prepared,
        args.threads(),
        delimiter,
        sinks,
        &mut progress,
    );
    if written.is_err() {
        for path in &files {
            let _ = std::fs::remove_file(path);
        }
    }
    Ok((files, in_parts_result(written)?))
}

/// A run in parts' provenance, its generation failure as the query's to fix.
fn in_parts_result<T>(written: Result<T, PartsError>) -> anyhow::Result<T> {
    match written {
        Ok(provenance) => Ok(provenance),
        Err(PartsError::Generate(message)) => Err(invalid(format!(
            "the model cannot generate this query: {message}"
        ))),
        Err(failure @ PartsError::Write(_)) => Err(failure.into()),
    }
}
