//! The only place that touches the file system: reads input files, records their sha256

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::Digest;

use crate::error::BuildError;

/// One input file the build read
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// Path relative to the data folder (or as given, for an atlas)
    pub path: String,
    /// Lower-case hex sha256 of the file's bytes
    pub sha256: String,
    /// Size in bytes
    pub bytes: u64,
}

/// Reads files under a data folder and remembers what was read
#[derive(Debug)]
pub(crate) struct Files {
    root: PathBuf,
    pub(crate) read: Vec<InputFile>,
}

impl Files {
    /// Files under `root`
    pub(crate) fn new(root: &Path) -> Files {
        Files {
            root: root.to_path_buf(),
            read: Vec::new(),
        }
    }

    /// Whether `relative` exists
    pub(crate) fn exists(&self, relative: &str) -> bool {
        self.root.join(relative).is_file()
    }

    /// The decompressed bytes of `relative` (gzip when the name ends in `.gz`)
    pub(crate) fn bytes(&mut self, relative: &str) -> Result<Vec<u8>, BuildError> {
        let path = self.root.join(relative);
        self.read_path(&path, relative)
    }

    /// The bytes of a file given by path (an atlas), recorded under its path
    pub(crate) fn bytes_at(&mut self, path: &Path) -> Result<Vec<u8>, BuildError> {
        self.read_path(path, &path.display().to_string())
    }

    /// The raw bytes of `relative` (zstd files are decompressed by the reference crate)
    pub(crate) fn raw(&mut self, relative: &str) -> Result<Vec<u8>, BuildError> {
        let path = self.root.join(relative);
        let raw = std::fs::read(&path).map_err(|source| BuildError::Io {
            path: path.display().to_string(),
            source,
        })?;
        self.record(relative, &raw);
        Ok(raw)
    }

    fn record(&mut self, name: &str, raw: &[u8]) {
        let digest = sha2::Sha256::digest(raw);
        self.read.push(InputFile {
            path: name.to_owned(),
            sha256: digest.iter().map(|b| format!("{b:02x}")).collect(),
            bytes: raw.len() as u64,
        });
    }

    fn read_path(&mut self, path: &Path, name: &str) -> Result<Vec<u8>, BuildError> {
        let io = |source| BuildError::Io {
            path: path.display().to_string(),
            source,
        };
        let raw = std::fs::read(path).map_err(io)?;
        self.record(name, &raw);
        if name.ends_with(".gz") {
            let mut out = Vec::new();
            flate2::read::MultiGzDecoder::new(raw.as_slice())
                .read_to_end(&mut out)
                .map_err(io)?;
            Ok(out)
        } else {
            Ok(raw)
        }
    }
}
