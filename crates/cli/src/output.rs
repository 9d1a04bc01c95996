//! Where a result's files go: the CLI's paths for the files `synthome-formats` names (`generate`
//! writes every format in parts, `in_parts*.rs`, with the same paths; [`write_output`] is for
//! the family results).
//!
//! - json, gct: one file at PATH, or standard output for `-` (the default);
//! - csv, tsv: `PATH.expression.csv`, `PATH.metadata.csv`, `PATH.provenance.json` (a trailing
//!   `.csv`/`.tsv` on PATH is dropped first; `generate` writes them in parts, [`table_sinks`]);
//! - h5ad: one file at PATH (binary, so never to a terminal by default);
//! - mex: a directory at PATH, or a zip when PATH ends in `.zip`;
//! - parquet (`generate` only, feature `parquet`): `PATH.parquet` and `PATH.metadata.parquet`.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use synthome_formats::mex::MexFiles;
use synthome_formats::{Format, FormatFiles, MexPackaging, ResultFile};
use synthome_matrix::{ExpressionMatrix, Provenance};

use crate::failure::invalid;
use crate::in_parts::TableSinks;

/// Where the result JSON written in parts goes: standard output for `-` or no path, else a file
/// at PATH; returns the sink and the file (if any).
pub fn json_sink(out: Option<&Path>) -> anyhow::Result<(Box<dyn Write>, Option<PathBuf>)> {
    match out.filter(|path| path.as_os_str() != "-") {
        None => Ok((
            Box::new(BufWriter::with_capacity(1 << 16, std::io::stdout().lock())),
            None,
        )),
        Some(path) => Ok((Box::new(create(path)?), Some(path.to_path_buf()))),
    }
}

/// The three files of a CSV or TSV result written in parts (`PATH.expression.csv`,
/// `PATH.metadata.csv`, `PATH.provenance.json`), created now; refused for standard output.
pub fn table_sinks(
    format: Format,
    out: Option<&Path>,
) -> anyhow::Result<(TableSinks<BufWriter<File>>, Vec<PathBuf>)> {
    let Some(path) = out.filter(|path| path.as_os_str() != "-") else {
        return Err(invalid(format!(
            "--format {format} writes files; give --out PATH (standard output takes json or gct)"
        )));
    };
    let FormatFiles::Side(files) = format.files(MexPackaging::Folder) else {
        return Err(invalid(format!(
            "--format {format} is not a table format (csv or tsv)"
        )));
    };
    let paths: Vec<PathBuf> = files
        .iter()
        .map(|file| side_path(path, format, *file))
        .collect();
    let [expression, metadata, provenance] = paths.as_slice() else {
        return Err(invalid(format!(
            "--format {format} does not write an expression, metadata and provenance file"
        )));
    };
    let sinks = TableSinks {
        expression: create(expression)?,
        metadata: create(metadata)?,
        provenance: create(provenance)?,
    };
    Ok((sinks, paths))
}

/// `PATH.<suffix>` for one of the side-by-side files of `format`.
fn side_path(path: &Path, format: Format, file: ResultFile) -> PathBuf {
    with_suffix(
        &strip_extension(path, format.name()),
        &format!(".{}", file.suffix()),
    )
}

/// Writes `matrix` in `format` to `out`; returns the files written (empty for standard output).
pub fn write_output(
    format: Format,
    out: Option<&Path>,
    matrix: &ExpressionMatrix,
    provenance: &Provenance,
) -> anyhow::Result<Vec<PathBuf>> {
    let to_stdout = out.is_none_or(|path| path.as_os_str() == "-");
    if to_stdout {
        return match format.files(MexPackaging::Zip) {
            FormatFiles::One(file) if file.is_text() => {
                let stdout = std::io::stdout().lock();
                file.write(
                    BufWriter::with_capacity(1 << 16, stdout),
                    matrix,
                    provenance,
                    "",
                )?;
                Ok(Vec::new())
            }
            _ => Err(invalid(format!(
                "--format {format} writes files; give --out PATH (standard output takes json or gct)"
            ))),
        };
    }
    let path = out.unwrap_or(Path::new("-"));
    let packaging = if path
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("zip"))
    {
        MexPackaging::Zip
    } else {
        MexPackaging::Folder
    };
    match format.files(packaging) {
        FormatFiles::One(file) => {
            let name = path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default();
            file.write(create(path)?, matrix, provenance, &name)?;
            Ok(vec![path.to_path_buf()])
        }
        FormatFiles::Side(files) => {
            let mut written = Vec::new();
            for file in files {
                let file_path = side_path(path, format, *file);
                file.write(create(&file_path)?, matrix, provenance, "")?;
                written.push(file_path);
            }
            Ok(written)
        }
        FormatFiles::MexFolder => {
            let files = MexFiles::build(matrix, provenance)?;
            fs::create_dir_all(path)
                .with_context(|| format!("could not create the directory {}", path.display()))?;
            let mut written = Vec::new();
            for (name, bytes) in files.files() {
                let file = path.join(name);
                fs::write(&file, bytes)
                    .with_context(|| format!("could not write {}", file.display()))?;
                written.push(file);
            }
            Ok(written)
        }
    }
}

fn create(path: &Path) -> anyhow::Result<BufWriter<File>> {
    if let Some(parent) = path
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
    {
        fs::create_dir_all(parent)
            .with_context(|| format!("could not create {}", parent.display()))?;
    }
    let file =
        File::create(path).with_context(|| format!("could not create {}", path.display()))?;
    Ok(BufWriter::with_capacity(1 << 16, file))
}

/// PATH without a trailing `.csv`/`.tsv` (the format's own extension).
fn strip_extension(path: &Path, extension: &str) -> PathBuf {
    if path
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case(extension))
    {
        path.with_extension("")
    } else {
        path.to_path_buf()
    }
}

fn with_suffix(stem: &Path, suffix: &str) -> PathBuf {
    let mut name = stem.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_paths_drop_their_own_extension_only() {
        assert_eq!(
            strip_extension(Path::new("out/run.csv"), "csv"),
            PathBuf::from("out/run")
        );
        assert_eq!(
            strip_extension(Path::new("out/run.v1"), "csv"),
            PathBuf::from("out/run.v1")
        );
        assert_eq!(
            with_suffix(Path::new("out/run"), ".metadata.csv"),
            PathBuf::from("out/run.metadata.csv")
        );
    }
}
