//! The only place that reads the data folder: file bytes, gzip, and the sha256 of every input

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::Digest;

use crate::error::BuildError;

/// One input file the build read
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// Path relative to the data folder
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

    /// The raw bytes of `relative`, recorded with their sha256
    pub(crate) fn raw(&mut self, relative: &str) -> Result<Vec<u8>, BuildError> {
        let path = self.root.join(relative);
        let raw = std::fs::read(&path).map_err(|source| BuildError::Io {
            path: path.display().to_string(),
            source,
        })?;
        let digest = sha2::Sha256::digest(&raw);
        self.read.push(InputFile {
            path: relative.to_owned(),
            sha256: digest.iter().map(|byte| format!("{byte:02x}")).collect(),
            bytes: raw.len() as u64,
        });
        Ok(raw)
    }

    /// The path (relative to the root) of the one file in `folder` whose name starts with
    /// `prefix` (the ontology files carry their release in the name)
    pub(crate) fn find(&self, folder: &str, prefix: &str) -> Result<String, BuildError> {
        let path = self.root.join(folder);
        let entries = std::fs::read_dir(&path).map_err(|source| BuildError::Io {
            path: path.display().to_string(),
            source,
        })?;
        let mut names: Vec<String> = entries
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| name.starts_with(prefix))
            .collect();
        names.sort();
        match names.pop() {
            Some(name) => Ok(format!("{folder}/{name}")),
            None => Err(BuildError::Data {
                step: "inputs",
                detail: format!("{} has no file starting with {prefix:?}", path.display()),
            }),
        }
    }

    /// The text of `relative`, gunzipped when the name ends in `.gz`
    pub(crate) fn text(&mut self, relative: &str) -> Result<String, BuildError> {
        let raw = self.raw(relative)?;
        let bytes = if relative.ends_with(".gz") {
            let mut out = Vec::new();
            flate2::read::MultiGzDecoder::new(raw.as_slice())
                .read_to_end(&mut out)
                .map_err(|source| BuildError::Io {
                    path: relative.to_owned(),
                    source,
                })?;
            out
        } else {
            raw
        };
        String::from_utf8(bytes).map_err(|_| BuildError::Parse {
            file: relative.to_owned(),
            line: 0,
            detail: "the file is not UTF-8 text".to_owned(),
        })
    }
}

/// Writes `bytes` to `path`, creating its folder
pub(crate) fn write(path: &Path, bytes: &[u8]) -> Result<(), BuildError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|source| BuildError::Io {
            path: parent.display().to_string(),
            source,
        })?;
    }
    std::fs::write(path, bytes).map_err(|source| BuildError::Io {
        path: path.display().to_string(),
        source,
    })
}
