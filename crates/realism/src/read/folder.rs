//! The data folder: file names, existence, text (gunzipped when the name ends in `.gz`)

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::RealismError;

/// GEUVADIS counts (genes x samples)
pub(crate) const GEUVADIS_COUNTS: &str = "bulk/geuvadis_lcl_counts.tsv.gz";
/// GEUVADIS sample table (sample, sex, lib_size)
pub(crate) const GEUVADIS_SAMPLES: &str = "bulk/geuvadis_lcl_samples.tsv";
/// HPA's own tissue RNA-seq, TPM (long table)
pub(crate) const HPA_RNASEQ: &str = "bulk/hpa_rnaseq_tissue.tsv.gz";
/// GENCODE v48 genes (for gene lengths)
pub(crate) const GENCODE: &str = "reference/genes_homo_sapiens.csv.gz";
/// HGNC table (for Entrez ids)
pub(crate) const HGNC: &str = "reference/hgnc_entries.tsv.gz";
/// The A375 L1000 plate
pub(crate) const PLATE: &str = "bulk/l1000_a375_kinase_inhibitors.gct.gz";
/// K562 shRNA counts
pub(crate) const K562_COUNTS: &str = "bulk/k562_shrna_counts.tsv.gz";
/// K562 shRNA runs
pub(crate) const K562_SAMPLES: &str = "bulk/k562_shrna_samples.tsv.gz";
/// PANC-1 FOXA2 knock-out, log2 values
pub(crate) const PANC1_LOG2: &str = "bulk/panc1_foxa2_ko_log2.tsv.gz";
/// PANC-1 design (sample, condition)
pub(crate) const PANC1_DESIGN: &str = "bulk/panc1_foxa2_ko_design.tsv.gz";

/// A folder laid out like `shared/data`
#[derive(Debug, Clone)]
pub(crate) struct Folder {
    root: PathBuf,
}

impl Folder {
    /// The folder at `root`
    pub(crate) fn new(root: &Path) -> Folder {
        Folder {
            root: root.to_path_buf(),
        }
    }

    /// The folder's path
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// Whether `file` (relative to the folder) exists
    pub(crate) fn exists(&self, file: &str) -> bool {
        self.root.join(file).is_file()
    }

    /// The text of `file`, gunzipped when its name ends in `.gz`
    pub(crate) fn text(&self, file: &str) -> Result<String, RealismError> {
        let path = self.root.join(file);
        let io = |source| RealismError::Io {
            path: path.display().to_string(),
            source,
        };
        let bytes = std::fs::read(&path).map_err(io)?;
        let mut text = String::new();
        if file.ends_with(".gz") {
            flate2::read::MultiGzDecoder::new(bytes.as_slice())
                .read_to_string(&mut text)
                .map_err(io)?;
        } else {
            text = String::from_utf8(bytes)
                .map_err(|_| RealismError::parse(file, 0, "is not UTF-8 text"))?;
        }
        Ok(text)
    }
}

/// The position of `name` in a header line, or an error naming the columns there are
pub(crate) fn column(header: &[&str], name: &str, file: &str) -> Result<usize, RealismError> {
    header.iter().position(|h| *h == name).ok_or_else(|| {
        RealismError::parse(
            file,
            1,
            format!("no column {name:?}; the columns are {}", header.join(", ")),
        )
    })
}

/// A number in `file` at `line`, or an error saying what was there
pub(crate) fn number(text: &str, file: &str, line: usize) -> Result<f64, RealismError> {
    text.trim()
        .parse::<f64>()
        .map_err(|_| RealismError::parse(file, line, format!("{text:?} is not a number")))
}
