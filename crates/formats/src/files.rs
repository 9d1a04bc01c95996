//! A result as named files: which files each [`Format`] is saved as, the suffix that ends each
//! file's name, its media type and its bytes. Front ends only choose where the bytes go (paths
//! or standard output in the CLI, downloads in the app).

use std::io::Write;

use synthome_matrix::{ExpressionMatrix, Provenance};

use crate::csv::{Delimiter, write_expression, write_metadata};
use crate::h5ad::H5adOptions;
use crate::mex::MexFiles;
use crate::{Format, FormatError};

/// One file a result can be saved as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResultFile {
    /// The API result JSON.
    Json,
    /// GCT 1.3 with sample metadata and provenance as column annotations.
    Gct,
    /// AnnData `.h5ad`.
    H5ad,
    /// The samples x genes expression table.
    Expression(Delimiter),
    /// The sample metadata table.
    Metadata(Delimiter),
    /// The provenance JSON written beside tables.
    Provenance,
    /// The 10x MEX files in one zip, inside a folder named like the zip.
    MexZip,
}

/// How a 10x MEX result is packaged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MexPackaging {
    /// One zip ([`ResultFile::MexZip`]).
    Zip,
    /// A folder of the five files of [`MexFiles`].
    Folder,
}

/// The files a result in one format is saved as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatFiles {
    /// One file.
    One(ResultFile),
    /// Several files side by side, each named `<name>.<suffix>` after one shared name.
    Side(&'static [ResultFile]),
    /// A folder holding the files of [`MexFiles::files`].
    MexFolder,
}

const CSV_FILES: &[ResultFile] = &[
    ResultFile::Expression(Delimiter::Comma),
    ResultFile::Metadata(Delimiter::Comma),
    ResultFile::Provenance,
];
const TSV_FILES: &[ResultFile] = &[
    ResultFile::Expression(Delimiter::Tab),
    ResultFile::Metadata(Delimiter::Tab),
    ResultFile::Provenance,
];

impl Format {
    /// The files a result in this format is saved as (`mex` packaged as asked).
    pub fn files(self, mex: MexPackaging) -> FormatFiles {
        match self {
            Format::Json => FormatFiles::One(ResultFile::Json),
            Format::Gct => FormatFiles::One(ResultFile::Gct),
            Format::H5ad => FormatFiles::One(ResultFile::H5ad),
            Format::Csv => FormatFiles::Side(CSV_FILES),
            Format::Tsv => FormatFiles::Side(TSV_FILES),
            Format::Mex => match mex {
                MexPackaging::Zip => FormatFiles::One(ResultFile::MexZip),
                MexPackaging::Folder => FormatFiles::MexFolder,
            },
        }
    }
}

impl ResultFile {
    /// What ends the file's name, after a dot (`expression.csv`, `mex.zip`).
    pub fn suffix(self) -> &'static str {
        match self {
            ResultFile::Json => "json",
            ResultFile::Gct => "gct",
            ResultFile::H5ad => "h5ad",
            ResultFile::Expression(Delimiter::Comma) => "expression.csv",
            ResultFile::Expression(Delimiter::Tab) => "expression.tsv",
            ResultFile::Metadata(Delimiter::Comma) => "metadata.csv",
            ResultFile::Metadata(Delimiter::Tab) => "metadata.tsv",
            ResultFile::Provenance => "provenance.json",
            ResultFile::MexZip => "mex.zip",
        }
    }

    /// `<name>.<suffix>`.
    pub fn name_after(self, name: &str) -> String {
        format!("{name}.{}", self.suffix())
    }

    /// The file's media type.
    pub fn media_type(self) -> &'static str {
        match self {
            ResultFile::Expression(Delimiter::Comma) | ResultFile::Metadata(Delimiter::Comma) => {
                "text/csv"
            }
            ResultFile::Expression(Delimiter::Tab) | ResultFile::Metadata(Delimiter::Tab) => {
                "text/tab-separated-values"
            }
            ResultFile::Gct => "text/plain",
            ResultFile::Json | ResultFile::Provenance => "application/json",
            ResultFile::H5ad => "application/x-hdf5",
            ResultFile::MexZip => "application/zip",
        }
    }

    /// Whether the file is text (fit for a terminal or a pipe).
    pub fn is_text(self) -> bool {
        !matches!(self, ResultFile::H5ad | ResultFile::MexZip)
    }

    /// Writes the file to `out` and flushes it; `file_name` (the file's own name) names the
    /// folder inside a zip, without its `.zip`.
    pub fn write<W: Write>(
        self,
        mut out: W,
        matrix: &ExpressionMatrix,
        provenance: &Provenance,
        file_name: &str,
    ) -> Result<(), FormatError> {
        match self {
            ResultFile::Json => crate::json::write(&mut out, matrix, provenance)?,
            ResultFile::Gct => crate::gct::write(&mut out, matrix, provenance)?,
            ResultFile::H5ad => {
                crate::h5ad::write(&mut out, matrix, provenance, H5adOptions::default())?
            }
            ResultFile::Expression(delimiter) => write_expression(&mut out, matrix, delimiter)?,
            ResultFile::Metadata(delimiter) => write_metadata(&mut out, matrix, delimiter)?,
            ResultFile::Provenance => crate::provenance::write(&mut out, matrix, provenance)?,
            ResultFile::MexZip => {
                MexFiles::build(matrix, provenance)?.write_zip(&mut out, zip_folder(file_name))?
            }
        }
        out.flush()?;
        Ok(())
    }

    /// The file's bytes (see [`ResultFile::write`]).
    pub fn to_bytes(
        self,
        matrix: &ExpressionMatrix,
        provenance: &Provenance,
        file_name: &str,
    ) -> Result<Vec<u8>, FormatError> {
        let mut bytes = Vec::new();
        self.write(&mut bytes, matrix, provenance, file_name)?;
        Ok(bytes)
    }
}

/// The folder inside a zip: the zip's name without `.zip` (in any case).
fn zip_folder(file_name: &str) -> &str {
    let cut = file_name.len().saturating_sub(4);
    match file_name.get(cut..) {
        Some(extension) if extension.eq_ignore_ascii_case(".zip") => &file_name[..cut],
        _ => file_name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_format_names_its_files() {
        let suffixes = |format: Format, mex| match format.files(mex) {
            FormatFiles::One(file) => vec![file.suffix()],
            FormatFiles::Side(files) => files.iter().map(|file| file.suffix()).collect(),
            FormatFiles::MexFolder => vec!["<folder>"],
        };
        assert_eq!(suffixes(Format::Json, MexPackaging::Zip), ["json"]);
        assert_eq!(
            suffixes(Format::Tsv, MexPackaging::Zip),
            ["expression.tsv", "metadata.tsv", "provenance.json"]
        );
        assert_eq!(suffixes(Format::Mex, MexPackaging::Zip), ["mex.zip"]);
        assert_eq!(suffixes(Format::Mex, MexPackaging::Folder), ["<folder>"]);
        assert_eq!(
            ResultFile::Metadata(Delimiter::Comma).name_after("run"),
            "run.metadata.csv"
        );
    }

    #[test]
    fn zips_hold_a_folder_named_like_them() {
        assert_eq!(zip_folder("run_1.mex.zip"), "run_1.mex");
        assert_eq!(zip_folder("OUT.ZIP"), "OUT");
        assert_eq!(zip_folder("out"), "out");
        assert_eq!(zip_folder(""), "");
    }

    #[test]
    fn only_text_files_go_to_a_terminal() {
        let text: Vec<Format> = Format::ALL
            .into_iter()
            .filter(|format| {
                matches!(format.files(MexPackaging::Zip), FormatFiles::One(file) if file.is_text())
            })
            .collect();
        assert_eq!(text, [Format::Json, Format::Gct]);
    }
}
