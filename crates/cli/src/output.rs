//! Writing a result to files or standard output, with the contract's naming rules.
//!
//! - json, gct: one file at PATH, or standard output for `-` (the default);
//! - csv, tsv: `PATH.expression.csv`, `PATH.metadata.csv`, `PATH.provenance.json` (a trailing
//!   `.csv`/`.tsv` on PATH is dropped first);
//! - h5ad: one file at PATH (binary, so never to a terminal by default);
//! - mex: a directory at PATH, or a zip when PATH ends in `.zip`.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use synthome_formats::csv::Delimiter;
use synthome_formats::h5ad::H5adOptions;
use synthome_formats::mex::MexFiles;
use synthome_formats::{Format, csv, gct, h5ad, json, provenance as provenance_json};
use synthome_matrix::{ExpressionMatrix, Provenance};

use crate::failure::invalid;

/// Writes `matrix` in `format` to `out`; returns the files written (empty for standard output).
pub fn write_output(
    format: Format,
    out: Option<&Path>,
    matrix: &ExpressionMatrix,
    provenance: &Provenance,
) -> anyhow::Result<Vec<PathBuf>> {
    let to_stdout = out.is_none_or(|path| path.as_os_str() == "-");
    if to_stdout {
        let stdout = std::io::stdout().lock();
        let writer = BufWriter::with_capacity(1 << 16, stdout);
        match format {
            Format::Json => json::write(writer, matrix, provenance)?,
            Format::Gct => gct::write(writer, matrix, provenance)?,
            Format::Csv | Format::Tsv | Format::H5ad | Format::Mex => {
                return Err(invalid(format!(
                    "--format {format} writes files; give --out PATH (standard output takes json or gct)"
                )));
            }
        }
        return Ok(Vec::new());
    }
    let path = out.unwrap_or(Path::new("-"));
    match format {
        Format::Json => {
            json::write(create(path)?, matrix, provenance)?;
            Ok(vec![path.to_path_buf()])
        }
        Format::Gct => {
            gct::write(create(path)?, matrix, provenance)?;
            Ok(vec![path.to_path_buf()])
        }
        Format::H5ad => {
            let mut bytes = Vec::new();
            h5ad::write(&mut bytes, matrix, provenance, H5adOptions::default())?;
            fs::write(path, bytes)
                .with_context(|| format!("could not write {}", path.display()))?;
            Ok(vec![path.to_path_buf()])
        }
        Format::Csv | Format::Tsv => {
            let (delimiter, extension) = if format == Format::Csv {
                (Delimiter::Comma, "csv")
            } else {
                (Delimiter::Tab, "tsv")
            };
            let stem = strip_extension(path, extension);
            let expression = with_suffix(&stem, &format!(".expression.{extension}"));
            let metadata = with_suffix(&stem, &format!(".metadata.{extension}"));
            let provenance_path = with_suffix(&stem, ".provenance.json");
            csv::write_expression(create(&expression)?, matrix, delimiter)?;
            csv::write_metadata(create(&metadata)?, matrix, delimiter)?;
            provenance_json::write(create(&provenance_path)?, matrix, provenance)?;
            Ok(vec![expression, metadata, provenance_path])
        }
        Format::Mex => {
            let files = MexFiles::build(matrix, provenance)?;
            if path
                .extension()
                .is_some_and(|ext| ext.eq_ignore_ascii_case("zip"))
            {
                let folder = path
                    .file_stem()
                    .map(|stem| stem.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let mut writer = create(path)?;
                files.write_zip(&mut writer, &folder)?;
                writer.flush()?;
                return Ok(vec![path.to_path_buf()]);
            }
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
