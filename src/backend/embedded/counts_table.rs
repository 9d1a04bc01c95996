//! The worker's reading of a user's counts table (the "Your data" view): sniff the file
//! (h5ad by its HDF5 signature or name, else CSV/TSV text), align it to the model's genes with
//! the engine's `align_table` / `align_matrix`, and build the family queries of one sample.
//! Plain Rust, tested on the host.

use std::collections::BTreeMap;

use synthome_engine::families::table::{AlignedTable, TableError, align_matrix, align_table};
use synthome_formats::h5ad_read::{H5adReadError, read_h5ad};
use synthome_matrix::GeneTable;

use super::protocol::TableSummary;

/// The first bytes of every HDF5 file (and so of every h5ad file).
const HDF5_SIGNATURE: &[u8] = b"\x89HDF\r\n\x1a\n";
/// The first bytes of a gzip file.
const GZIP_SIGNATURE: &[u8] = b"\x1f\x8b";

/// What kind of file a counts table is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    /// CSV or TSV text.
    Text,
    /// AnnData (`.h5ad`, HDF5).
    H5ad,
    /// Gzip-compressed: not read.
    Gzip,
}

impl TableFormat {
    /// The format of `bytes` named `file_name`: its signature first, then its name.
    pub fn sniff(file_name: &str, bytes: &[u8]) -> TableFormat {
        if bytes.starts_with(HDF5_SIGNATURE) || file_name.to_ascii_lowercase().ends_with(".h5ad") {
            TableFormat::H5ad
        } else if bytes.starts_with(GZIP_SIGNATURE) {
            TableFormat::Gzip
        } else {
            TableFormat::Text
        }
    }

    /// The name shown for the format.
    pub fn label(self) -> &'static str {
        match self {
            TableFormat::Text => "CSV/TSV",
            TableFormat::H5ad => "h5ad",
            TableFormat::Gzip => "gzip",
        }
    }
}

/// Why a counts file could not be read; each message names the file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TableReadError {
    /// The file has no bytes.
    #[error("{file} is empty: drop a CSV/TSV counts table or an .h5ad file")]
    Empty {
        /// The file's name.
        file: String,
    },
    /// The file is compressed.
    #[error("{file} is gzip-compressed: decompress it first (gunzip) and drop the table itself")]
    Compressed {
        /// The file's name.
        file: String,
    },
    /// A text table that is not UTF-8.
    #[error(
        "{file} is neither UTF-8 text (CSV/TSV) nor an h5ad file: save the table as CSV or TSV"
    )]
    NotText {
        /// The file's name.
        file: String,
    },
    /// An h5ad file the reader could not read.
    #[error("{file}: {error}")]
    H5ad {
        /// The file's name.
        file: String,
        /// What the reader said.
        error: H5adReadError,
    },
    /// The table's cells or genes are wrong.
    #[error("{file}: {error}")]
    Table {
        /// The file's name.
        file: String,
        /// What is wrong with the table.
        error: TableError,
    },
}

/// A table read and aligned, with the format it was read as.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadTable {
    /// The format.
    pub format: TableFormat,
    /// The samples' counts in the model's gene order.
    pub aligned: AlignedTable,
}

impl ReadTable {
    /// What the page shows of the table, aligned to `model_id` with `model_genes` genes.
    pub fn summary(&self, file_name: &str, model_id: &str, model_genes: usize) -> TableSummary {
        TableSummary {
            file_name: file_name.to_owned(),
            model_id: model_id.to_owned(),
            format: self.format.label().to_owned(),
            samples: self.aligned.samples.clone(),
            matched: self.aligned.matched,
            table_genes: self.aligned.table_genes,
            model_genes,
            genes_are_rows: self.aligned.genes_are_rows,
            rounded: self.aligned.rounded,
        }
    }
}

/// Reads the bytes of `file_name` and aligns them to `genes`.
pub fn read_table(
    file_name: &str,
    bytes: Vec<u8>,
    genes: &GeneTable,
) -> Result<ReadTable, TableReadError> {
    let file = || file_name.to_owned();
    if bytes.is_empty() {
        return Err(TableReadError::Empty { file: file() });
    }
    let format = TableFormat::sniff(file_name, &bytes);
    let table_error = |error| TableReadError::Table {
        file: file(),
        error,
    };
    let aligned = match format {
        TableFormat::Gzip => return Err(TableReadError::Compressed { file: file() }),
        TableFormat::H5ad => {
            let h5ad = read_h5ad(bytes).map_err(|error| TableReadError::H5ad {
                file: file(),
                error,
            })?;
            align_matrix(h5ad.obs_names, &h5ad.var_columns, &h5ad.values, genes)
                .map_err(table_error)?
        }
        TableFormat::Text => {
            let text =
                String::from_utf8(bytes).map_err(|_| TableReadError::NotText { file: file() })?;
            align_table(&text, genes).map_err(table_error)?
        }
    };
    Ok(ReadTable { format, aligned })
}

/// The metadata-prediction query of one sample.
pub fn prediction_query(counts: &[f64]) -> String {
    serde_json::json!({ "inputs": [{ "counts": counts }] }).to_string()
}

/// The reference-conditioning query of one sample: its counts, the perturbation metadata (empty
/// values left out), `num_samples` samples, both latent groups kept.
pub fn conditioning_query(
    counts: &[f64],
    metadata: &BTreeMap<String, String>,
    num_samples: u32,
) -> String {
    let metadata: BTreeMap<&str, &str> = metadata
        .iter()
        .map(|(key, value)| (key.as_str(), value.trim()))
        .filter(|(_, value)| !value.is_empty())
        .collect();
    serde_json::json!({
        "inputs": [{ "counts": counts, "metadata": metadata, "num_samples": num_samples }],
        "conditioning": ["biological", "technical"],
        "sampling_strategy": "sample generation",
    })
    .to_string()
}

/// A family error about the one-input query of sample `name`, naming the sample instead of
/// `inputs[0]`.
pub fn name_sample(message: &str, name: &str) -> String {
    message
        .replace("inputs[0].", &format!("sample {name:?}, "))
        .replace("inputs[0]", &format!("sample {name:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn genes() -> GeneTable {
        GeneTable::new(
            vec!["ENSG1".into(), "ENSG2".into(), "ENSG3".into()],
            vec!["TP53".into(), "MYC".into(), "XIST".into()],
        )
        .unwrap_or_else(|error| panic!("{error}"))
    }

    #[test]
    fn files_are_sniffed_by_signature_then_name() {
        assert_eq!(
            TableFormat::sniff("x.bin", b"\x89HDF\r\n\x1a\n\0\0"),
            TableFormat::H5ad
        );
        assert_eq!(
            TableFormat::sniff("counts.H5AD", b"junk"),
            TableFormat::H5ad
        );
        assert_eq!(
            TableFormat::sniff("counts.csv.gz", b"\x1f\x8b\x08"),
            TableFormat::Gzip
        );
        assert_eq!(
            TableFormat::sniff("counts.tsv", b"gene\ts1"),
            TableFormat::Text
        );
    }

    #[test]
    fn a_text_table_is_aligned_and_summarised() -> Result<(), TableReadError> {
        let table = read_table(
            "counts.csv",
            b"gene,s1,s2\nENSG1.4,1,2\nmyc,3,4\nOTHER,5,6\n".to_vec(),
            &genes(),
        )?;
        let summary = table.summary("counts.csv", "synthome-bulk-v1", 3);
        assert_eq!(summary.samples, ["s1", "s2"]);
        assert_eq!((summary.matched, summary.table_genes), (2, 3));
        assert!(summary.genes_are_rows);
        assert_eq!(summary.format, "CSV/TSV");
        assert_eq!(table.aligned.counts[1], [2.0, 4.0, 0.0]);
        Ok(())
    }

    #[test]
    fn bad_files_say_what_is_wrong_and_name_the_file() {
        let message = |name: &str, bytes: &[u8]| {
            read_table(name, bytes.to_vec(), &genes())
                .err()
                .map(|error| error.to_string())
                .unwrap_or_default()
        };
        assert!(message("a.csv", b"").contains("a.csv is empty"));
        assert!(message("a.csv.gz", b"\x1f\x8b\x08\0").contains("decompress it first"));
        assert!(message("a.csv", b"\xff\xfe\0x").contains("neither UTF-8 text"));
        assert!(
            message("a.csv", b"name,x\nfoo,1\n").contains("a.csv: no gene of the table matches")
        );
        assert!(message("a.csv", b"gene,s1\nTP53,-3\n").contains("-3 is negative"));
        assert!(message("a.h5ad", b"not hdf5").starts_with("a.h5ad: not a readable h5ad file"));
    }

    #[test]
    fn queries_carry_the_sample_and_errors_name_it() -> Result<(), serde_json::Error> {
        let prediction: serde_json::Value = serde_json::from_str(&prediction_query(&[1.0, 0.0]))?;
        assert_eq!(
            prediction["inputs"][0]["counts"],
            serde_json::json!([1.0, 0.0])
        );
        let metadata = BTreeMap::from([
            (
                "perturbation_ontology_id".to_owned(),
                "CHEMBL941".to_owned(),
            ),
            ("perturbation_dose".to_owned(), " ".to_owned()),
        ]);
        let conditioned: serde_json::Value =
            serde_json::from_str(&conditioning_query(&[1.0], &metadata, 4))?;
        assert_eq!(conditioned["inputs"][0]["num_samples"], 4);
        assert_eq!(
            conditioned["inputs"][0]["metadata"],
            serde_json::json!({ "perturbation_ontology_id": "CHEMBL941" })
        );
        assert_eq!(
            name_sample("inputs[0].counts: all zero", "S7"),
            "sample \"S7\", counts: all zero"
        );
        Ok(())
    }
}
