//! The files a result can be saved as, named after the model and the time, each carrying
//! provenance (inside the file, or as the provenance file beside CSV/TSV tables).

use synthome_formats::FormatError;
use synthome_formats::csv::Delimiter;
use synthome_formats::h5ad::H5adOptions;
use synthome_formats::mex::MexFiles;
use synthome_matrix::{ExpressionMatrix, Provenance};

/// One kind of file the result viewer offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Download {
    /// Samples x genes counts, comma-separated.
    ExpressionCsv,
    /// Sample metadata, comma-separated.
    MetadataCsv,
    /// Samples x genes counts, tab-separated.
    ExpressionTsv,
    /// Sample metadata, tab-separated.
    MetadataTsv,
    /// GCT 1.3 with sample metadata as column annotations.
    Gct,
    /// The API result JSON.
    Json,
    /// AnnData.
    H5ad,
    /// 10x Matrix Market files in a zip.
    MexZip,
    /// Model, version, bundle checksum, query and seed.
    Provenance,
}

impl Download {
    /// Every download, in the order the viewer lists them.
    pub const ALL: [Download; 9] = [
        Download::ExpressionCsv,
        Download::MetadataCsv,
        Download::ExpressionTsv,
        Download::MetadataTsv,
        Download::Gct,
        Download::Json,
        Download::H5ad,
        Download::MexZip,
        Download::Provenance,
    ];

    /// The button label.
    pub fn label(self) -> &'static str {
        match self {
            Download::ExpressionCsv => "Expression CSV",
            Download::MetadataCsv => "Metadata CSV",
            Download::ExpressionTsv => "Expression TSV",
            Download::MetadataTsv => "Metadata TSV",
            Download::Gct => "GCT 1.3",
            Download::Json => "JSON (API result)",
            Download::H5ad => "AnnData .h5ad",
            Download::MexZip => "10x MEX (.zip)",
            Download::Provenance => "Provenance JSON",
        }
    }

    /// A stable id for tests and links.
    pub fn slug(self) -> &'static str {
        match self {
            Download::ExpressionCsv => "expression-csv",
            Download::MetadataCsv => "metadata-csv",
            Download::ExpressionTsv => "expression-tsv",
            Download::MetadataTsv => "metadata-tsv",
            Download::Gct => "gct",
            Download::Json => "json",
            Download::H5ad => "h5ad",
            Download::MexZip => "mex",
            Download::Provenance => "provenance",
        }
    }

    fn suffix(self) -> &'static str {
        match self {
            Download::ExpressionCsv => "expression.csv",
            Download::MetadataCsv => "metadata.csv",
            Download::ExpressionTsv => "expression.tsv",
            Download::MetadataTsv => "metadata.tsv",
            Download::Gct => "gct",
            Download::Json => "json",
            Download::H5ad => "h5ad",
            Download::MexZip => "mex.zip",
            Download::Provenance => "provenance.json",
        }
    }

    /// The media type of the file.
    pub fn media_type(self) -> &'static str {
        match self {
            Download::ExpressionCsv | Download::MetadataCsv => "text/csv",
            Download::ExpressionTsv | Download::MetadataTsv => "text/tab-separated-values",
            Download::Gct => "text/plain",
            Download::Json | Download::Provenance => "application/json",
            Download::H5ad => "application/x-hdf5",
            Download::MexZip => "application/zip",
        }
    }

    /// The file name: model id, a file-name-safe timestamp, and the kind.
    pub fn file_name(self, model_id: &str, timestamp: &str) -> String {
        let stamp: String = timestamp
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        format!("{model_id}_{stamp}.{}", self.suffix())
    }

    /// Writes the file's bytes; `file_name` names the folder inside archives.
    pub fn write(
        self,
        matrix: &ExpressionMatrix,
        provenance: &Provenance,
        file_name: &str,
    ) -> Result<Vec<u8>, FormatError> {
        let mut bytes = Vec::new();
        match self {
            Download::ExpressionCsv => {
                synthome_formats::csv::write_expression(&mut bytes, matrix, Delimiter::Comma)?
            }
            Download::MetadataCsv => {
                synthome_formats::csv::write_metadata(&mut bytes, matrix, Delimiter::Comma)?
            }
            Download::ExpressionTsv => {
                synthome_formats::csv::write_expression(&mut bytes, matrix, Delimiter::Tab)?
            }
            Download::MetadataTsv => {
                synthome_formats::csv::write_metadata(&mut bytes, matrix, Delimiter::Tab)?
            }
            Download::Gct => synthome_formats::gct::write(&mut bytes, matrix, provenance)?,
            Download::Json => synthome_formats::json::write(&mut bytes, matrix, provenance)?,
            Download::H5ad => synthome_formats::h5ad::write(
                &mut bytes,
                matrix,
                provenance,
                H5adOptions::default(),
            )?,
            Download::MexZip => {
                let folder = file_name.strip_suffix(".zip").unwrap_or(file_name);
                MexFiles::build(matrix, provenance)?.write_zip(&mut bytes, folder)?
            }
            Download::Provenance => {
                synthome_formats::provenance::write(&mut bytes, matrix, provenance)?
            }
        }
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::Download;

    #[test]
    fn file_names_are_safe_and_distinct() {
        let names: Vec<String> = Download::ALL
            .iter()
            .map(|download| download.file_name("synthome-bulk-v1", "2026-11-25T13:05:09.123Z"))
            .collect();
        assert_eq!(
            names[0],
            "synthome-bulk-v1_2026-11-25T13-05-09-123Z.expression.csv"
        );
        for name in &names {
            assert!(!name.contains(':') && !name.contains('/'), "{name}");
        }
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), names.len());
    }
}
