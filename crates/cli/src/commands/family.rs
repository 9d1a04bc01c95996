//! `synthome generate --model <model>_predict-metadata|_reference-conditioning`: a family
//! query in, its result JSON out (conditioned samples also in the other formats, without
//! latents).

use std::io::Write;

use synthome_engine::ModelRegistry;
use synthome_engine::families::{Family, FamilyResult, prepare_family, run_family};
use synthome_formats::Format;
use synthome_query::Limits;

use crate::args::GenerateArgs;
use crate::commands::read_query;
use crate::entropy::random_u64;
use crate::failure::invalid;
use crate::family_output::family_json;
use crate::output::write_output;

/// Answers a family query read from `args.query` with the model `base` (id or alias).
pub fn generate(
    registry: &ModelRegistry,
    base: &str,
    family: Family,
    args: &GenerateArgs,
) -> anyhow::Result<()> {
    let entry = registry
        .get(base)
        .map_err(|error| invalid(error.to_string()))?;
    let text = read_query(&args.query)?;
    let prepared = prepare_family(
        entry,
        family,
        &text,
        args.seed,
        random_u64,
        &Limits::default(),
    )
    .map_err(|error| invalid(error.to_string()))?;
    let result = run_family(entry, &prepared).map_err(|error| invalid(error.to_string()))?;
    let genes = entry.engine.genes();
    // Infallible without the `parquet` feature.
    #[allow(clippy::infallible_destructuring_match)]
    let format = match args.format {
        crate::args::OutputFormat::Result(format) => format,
        #[cfg(feature = "parquet")]
        crate::args::OutputFormat::Parquet => {
            return Err(invalid(
                "model families answer in json, csv, tsv, gct, h5ad or mex (not parquet)",
            ));
        }
    };
    match (&result, format) {
        (_, Format::Json) => {
            let bytes = family_json(&result, genes.ids(), genes.symbols())?;
            write_bytes(args.out.as_deref(), &bytes)?;
        }
        (
            FamilyResult::Conditioned {
                matrix, provenance, ..
            },
            format,
        ) => {
            for path in write_output(format, args.out.as_deref(), matrix, provenance)? {
                eprintln!("wrote {}", path.display());
            }
        }
        (FamilyResult::Predicted { .. }, format) => {
            return Err(invalid(format!(
                "metadata prediction answers in json only (not {format})"
            )));
        }
    }
    Ok(())
}

/// Writes `bytes` to `out`, or standard output for none or `-`.
pub(crate) fn write_bytes(out: Option<&std::path::Path>, bytes: &[u8]) -> anyhow::Result<()> {
    match out.filter(|path| path.as_os_str() != "-") {
        Some(path) => {
            std::fs::write(path, bytes)
                .map_err(|error| anyhow::anyhow!("could not write {}: {error}", path.display()))?;
            eprintln!("wrote {}", path.display());
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(bytes)?;
            stdout.write_all(b"\n")?;
        }
    }
    Ok(())
}
