//! The downloads the result viewer offers: each a [`ResultFile`] of `synthome-formats` (which
//! names it, types it and writes it), with a label, named after the model and the time.

use synthome_formats::csv::Delimiter;
use synthome_formats::{FormatError, ResultFile};
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

    /// The file this download saves (its suffix, media type and bytes).
    pub fn file(self) -> ResultFile {
        match self {
            Download::ExpressionCsv => ResultFile::Expression(Delimiter::Comma),
            Download::MetadataCsv => ResultFile::Metadata(Delimiter::Comma),
            Download::ExpressionTsv => ResultFile::Expression(Delimiter::Tab),
            Download::MetadataTsv => ResultFile::Metadata(Delimiter::Tab),
            Download::Gct => ResultFile::Gct,
            Download::Json => ResultFile::Json,
            Download::H5ad => ResultFile::H5ad,
            Download::MexZip => ResultFile::MexZip,
            Download::Provenance => ResultFile::Provenance,
        }
    }

    /// The file name: [`file_stem`], then the kind.
    pub fn file_name(self, model_id: &str, timestamp: &str) -> String {
        self.file().name_after(&file_stem(model_id, timestamp))
    }

    /// Writes the file's bytes; `file_name` names the folder inside archives.
    pub fn write(
        self,
        matrix: &ExpressionMatrix,
        provenance: &Provenance,
        file_name: &str,
    ) -> Result<Vec<u8>, FormatError> {
        self.file().to_bytes(matrix, provenance, file_name)
    }
}

/// What begins the name of every file saved from a result: the model id and the result's time,
/// made file-name-safe (`synthome-bulk-v1_2026-11-25T13-05-09-123Z`).
pub fn file_stem(model_id: &str, timestamp: &str) -> String {
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
    format!("{model_id}_{stamp}")
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
