//! `synthome build-model`: fits a model bundle from data tables (the builder crate) and writes
//! `<id>.bundle`, `<id>.bundle.sha256` and `<id>.build-report.txt` (with every input's sha256).

use std::fmt::Write as _;
use std::time::Instant;

use anyhow::Context;
use synthome_builder::{AtlasPaths, BuildError, BuildOptions, build_bulk};

use crate::args::{BuildArgs, BuildModelCommand, BuildScArgs};
use crate::failure::invalid;

/// Builds a bundle.
pub fn run(command: BuildModelCommand) -> anyhow::Result<()> {
    match command {
        BuildModelCommand::Bulk(args) => bulk(&args),
        BuildModelCommand::Sc(args) => single_cell(&args),
    }
}

fn single_cell(args: &BuildScArgs) -> anyhow::Result<()> {
    if !synthome_sc_builder::data_available(&args.data) {
        return Err(invalid(format!(
            "--data {} does not hold the Kang 2018 PBMC counts (single_cell/kang2018_pbmc_*)",
            args.data.display()
        )));
    }
    let options = synthome_sc_builder::BuildOptions {
        n_clusters: args.clusters,
        seed: args.seed,
        ..synthome_sc_builder::BuildOptions::default()
    };
    let started = Instant::now();
    let output = synthome_sc_builder::build_single_cell(&args.data, &args.out, &options)
        .with_context(|| {
            format!(
                "building the single-cell model from {}",
                args.data.display()
            )
        })?;
    for input in &output.inputs {
        println!("{}  {:>9}  {}", input.sha256, input.bytes, input.path);
    }
    // `<bundle>.sha256` beside it, as for the bulk model (sha256sum's format).
    let file_name = output
        .bundle_path
        .file_name()
        .map_or_else(String::new, |name| name.to_string_lossy().into_owned());
    let sha_path = output
        .bundle_path
        .with_file_name(format!("{file_name}.sha256"));
    std::fs::write(&sha_path, format!("{}  {file_name}\n", output.sha256))
        .with_context(|| format!("could not write {}", sha_path.display()))?;
    eprintln!(
        "wrote {} ({} bytes, {} gzipped) and {} in {:.1} s",
        output.bundle_path.display(),
        output.bundle.len(),
        output.gzip_bytes,
        output.card_path.display(),
        started.elapsed().as_secs_f64()
    );
    if args.realism {
        let report = synthome_realism::single_cell_report(&args.data, &args.out, &options)
            .context("writing the single-cell realism report")?;
        for path in &report.paths {
            eprintln!("wrote {}", path.display());
        }
    }
    Ok(())
}

fn bulk(args: &BuildArgs) -> anyhow::Result<()> {
    if !args.data.is_dir() {
        return Err(invalid(format!(
            "--data {} is not a folder",
            args.data.display()
        )));
    }
    let options = BuildOptions {
        exclude_samples: args.exclude.iter().cloned().collect(),
        max_factors: args.max_factors,
        atlas: match (&args.atlas_counts, &args.atlas_metadata) {
            (Some(counts), Some(metadata)) => Some(AtlasPaths {
                counts: counts.clone(),
                metadata: metadata.clone(),
            }),
            _ => None,
        },
        without_tcga: args.without_tcga,
        ..BuildOptions::default()
    };
    let started = Instant::now();
    let output = build_bulk(&args.data, &options).map_err(|error: BuildError| {
        anyhow::Error::new(error).context(format!(
            "building the bulk model from {}",
            args.data.display()
        ))
    })?;
    let id = output.model.card().id.clone();
    let mut report = String::new();
    for line in &output.report {
        let _ = writeln!(report, "{line}");
    }
    let _ = writeln!(report, "\ninputs (sha256, bytes, path):");
    for input in &output.inputs {
        let _ = writeln!(
            report,
            "{}  {:>9}  {}",
            input.sha256, input.bytes, input.path
        );
    }
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("could not create {}", args.out.display()))?;
    let bundle = args.out.join(format!("{id}.bundle"));
    let write = |name: String, bytes: &[u8]| -> anyhow::Result<()> {
        let path = args.out.join(name);
        std::fs::write(&path, bytes).with_context(|| format!("could not write {}", path.display()))
    };
    write(format!("{id}.bundle"), &output.bundle)?;
    write(
        format!("{id}.bundle.sha256"),
        format!("{}  {id}.bundle\n", output.sha256).as_bytes(),
    )?;
    write(format!("{id}.build-report.txt"), report.as_bytes())?;
    print!("{report}");
    eprintln!(
        "wrote {} ({} bytes, sha256 {}) in {:.1} s; use it with --bundle {} or copy it to public/models/ and rebuild",
        bundle.display(),
        output.bundle.len(),
        output.sha256,
        started.elapsed().as_secs_f64(),
        bundle.display()
    );
    Ok(())
}
