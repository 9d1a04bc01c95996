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
use synthome_formats::json::{JsonStream, Shape};
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
        let (written, provenance) = write_json_in_parts(entry, &prepared, args, &bar)?;
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

/// The result JSON generated and written one input at a time, so that memory is bounded by the
/// largest input (at most 10,000 samples), not by the query. The bytes are those of a single
/// run: each sample's randomness depends only on the seed, its input and its index, and the
/// warnings are merged in the order a single run raises them. A failed run removes the file.
fn write_json_in_parts(
    entry: &ModelEntry,
    prepared: &Prepared,
    args: &GenerateArgs,
    bar: &ProgressBar,
) -> anyhow::Result<(Vec<std::path::PathBuf>, Provenance)> {
    let (sink, file) = json_sink(args.out.as_deref())?;
    let written = write_parts(entry, prepared, sink, bar);
    if written.is_err()
        && let Some(path) = &file
    {
        let _ = std::fs::remove_file(path);
    }
    Ok((file.into_iter().collect(), written?))
}

fn write_parts(
    entry: &ModelEntry,
    prepared: &Prepared,
    sink: Box<dyn std::io::Write>,
    bar: &ProgressBar,
) -> anyhow::Result<Provenance> {
    let mut stream = JsonStream::begin(sink, &prepared.query_json, Shape::default())?;
    let total = prepared.valid.total_samples();
    let inputs = prepared.valid.inputs.len();
    let mut done_before = 0u64;
    let mut warnings: Vec<String> = Vec::new();
    let mut last: Option<Provenance> = None;
    for index in 0..inputs.max(1) {
        let mut part = prepared.clone();
        if inputs > 1 {
            for (other, input) in part.valid.inputs.iter_mut().enumerate() {
                if other != index {
                    input.num_samples = 0;
                }
            }
        }
        let mut progress = |done: u64, _: u64| {
            bar.set_length(total);
            bar.set_position(done_before + done);
        };
        let (matrix, provenance) =
            run_prepared(entry, &part, &mut progress).map_err(|message| {
                invalid(format!("the model cannot generate this query: {message}"))
            })?;
        stream.part(&matrix)?;
        done_before += matrix.samples().len() as u64;
        for warning in &provenance.warnings {
            if !warnings.contains(warning) {
                warnings.push(warning.clone());
            }
        }
        last = Some(provenance);
    }
    let provenance = Provenance {
        warnings,
        ..last.ok_or_else(|| invalid("the query has no inputs"))?
    };
    stream.finish(&entry.engine.genes(), &provenance)?;
    Ok(provenance)
}
