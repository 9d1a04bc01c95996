//! The builders' only contact with the file system: reads input files under a data folder,
//! records the sha256 of every file read (in reading order, for model cards and build
//! reports), gunzips `.gz` files, finds files by name prefix, and writes outputs.
//!
//! Both `synthome-builder` and `synthome-sc-builder` read through [`Inputs`]; their error
//! enums wrap [`InputError`].

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::Digest;

/// One input file a build read
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// Path relative to the data folder (or as given, for a file outside it)
    pub path: String,
    /// Lower-case hex sha256 of the file's bytes (as stored, before any gunzip)
    pub sha256: String,
    /// Size in bytes (as stored)
    pub bytes: u64,
}

/// Why an input could not be read or an output written
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// A file could not be opened, read or decompressed
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file
        path: String,
        /// The operating system's (or gzip's) error
        source: std::io::Error,
    },
    /// A file or folder could not be written
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file or folder
        path: String,
        /// The operating system's error
        source: std::io::Error,
    },
    /// No file in a folder has the expected name prefix
    #[error("{folder} has no file starting with {prefix:?}")]
    NotFound {
        /// The folder searched
        folder: String,
        /// The name prefix looked for
        prefix: String,
    },
    /// A file expected to be text is not UTF-8
    #[error("{path}: the file is not UTF-8 text")]
    NotText {
        /// The file (relative to the data folder)
        path: String,
    },
}

/// Reads files under a data folder and remembers what was read
#[derive(Debug)]
pub struct Inputs {
    root: PathBuf,
    read: Vec<InputFile>,
}

impl Inputs {
    /// Files under `root`
    pub fn new(root: &Path) -> Inputs {
        Inputs {
            root: root.to_path_buf(),
            read: Vec::new(),
        }
    }

    /// Every file read so far, in reading order
    pub fn read(&self) -> &[InputFile] {
        &self.read
    }

    /// Every file read, in reading order (ends the reading)
    pub fn into_read(self) -> Vec<InputFile> {
        self.read
    }

    /// Whether `relative` exists
    pub fn exists(&self, relative: &str) -> bool {
        self.root.join(relative).is_file()
    }

    /// The raw bytes of `relative`, recorded with their sha256 (no decompression)
    pub fn raw(&mut self, relative: &str) -> Result<Vec<u8>, InputError> {
        let raw = read_file(&self.root.join(relative))?;
        self.record(relative, &raw);
        Ok(raw)
    }

    /// The bytes of `relative`, gunzipped when the name ends in `.gz`
    pub fn bytes(&mut self, relative: &str) -> Result<Vec<u8>, InputError> {
        let path = self.root.join(relative);
        let raw = read_file(&path)?;
        self.record(relative, &raw);
        gunzip_if_named(raw, relative, &path)
    }

    /// The bytes of `relative` as [`Inputs::bytes`] gives them, or `None` when it does not
    /// exist (optional inputs)
    pub fn bytes_if_present(&mut self, relative: &str) -> Result<Option<Vec<u8>>, InputError> {
        if !self.exists(relative) {
            return Ok(None);
        }
        self.bytes(relative).map(Some)
    }

    /// The bytes of a file given by path (outside the data folder), recorded under that
    /// path and gunzipped when the name ends in `.gz`
    pub fn bytes_at(&mut self, path: &Path) -> Result<Vec<u8>, InputError> {
        let name = path.display().to_string();
        let raw = read_file(path)?;
        self.record(&name, &raw);
        gunzip_if_named(raw, &name, path)
    }

    /// The text of `relative`, gunzipped when the name ends in `.gz`
    pub fn text(&mut self, relative: &str) -> Result<String, InputError> {
        let bytes = self.bytes(relative)?;
        String::from_utf8(bytes).map_err(|_| InputError::NotText {
            path: relative.to_owned(),
        })
    }

    /// The path (relative to the root) of the file in `folder` whose name starts with
    /// `prefix`, the last in name order when several do (ontology files carry their release
    /// in the name)
    pub fn find(&self, folder: &str, prefix: &str) -> Result<String, InputError> {
        let path = self.root.join(folder);
        let entries = std::fs::read_dir(&path).map_err(|source| InputError::Read {
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
            None => Err(InputError::NotFound {
                folder: path.display().to_string(),
                prefix: prefix.to_owned(),
            }),
        }
    }

    fn record(&mut self, name: &str, raw: &[u8]) {
        let digest = sha2::Sha256::digest(raw);
        self.read.push(InputFile {
            path: name.to_owned(),
            sha256: digest.iter().map(|byte| format!("{byte:02x}")).collect(),
            bytes: raw.len() as u64,
        });
    }
}

/// Writes `bytes` to `path`, creating its folder
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), InputError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|source| InputError::Write {
            path: parent.display().to_string(),
            source,
        })?;
    }
    std::fs::write(path, bytes).map_err(|source| InputError::Write {
        path: path.display().to_string(),
        source,
    })
}

fn read_file(path: &Path) -> Result<Vec<u8>, InputError> {
    std::fs::read(path).map_err(|source| InputError::Read {
        path: path.display().to_string(),
        source,
    })
}

fn gunzip_if_named(raw: Vec<u8>, name: &str, path: &Path) -> Result<Vec<u8>, InputError> {
    if !name.ends_with(".gz") {
        return Ok(raw);
    }
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(raw.as_slice())
        .read_to_end(&mut out)
        .map_err(|source| InputError::Read {
            path: path.display().to_string(),
            source,
        })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(bytes).expect("gzip in memory");
        encoder.finish().expect("gzip in memory")
    }

    #[test]
    fn reads_gunzips_and_records_in_reading_order() {
        let root = tempfile::tempdir().expect("temp dir");
        write(&root.path().join("a/plain.txt"), b"abc").expect("write");
        write(&root.path().join("a/packed.txt.gz"), &gzip(b"text")).expect("write");
        let mut inputs = Inputs::new(root.path());
        assert!(inputs.exists("a/plain.txt"));
        assert!(!inputs.exists("a/none.txt"));
        assert_eq!(inputs.text("a/packed.txt.gz").expect("text"), "text");
        assert_eq!(inputs.bytes("a/plain.txt").expect("bytes"), b"abc");
        assert_eq!(inputs.bytes_if_present("a/none.txt").expect("absent"), None);
        let raw = inputs.raw("a/packed.txt.gz").expect("raw");
        assert_ne!(raw, b"text");
        let read = inputs.into_read();
        let paths: Vec<&str> = read.iter().map(|input| input.path.as_str()).collect();
        assert_eq!(paths, ["a/packed.txt.gz", "a/plain.txt", "a/packed.txt.gz"]);
        assert_eq!(
            read[1].sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(read[1].bytes, 3);
    }

    #[test]
    fn finds_the_last_file_with_a_prefix_and_names_what_is_missing() {
        let root = tempfile::tempdir().expect("temp dir");
        write(&root.path().join("o/CL-v1.json"), b"").expect("write");
        write(&root.path().join("o/CL-v2.json"), b"").expect("write");
        let inputs = Inputs::new(root.path());
        assert_eq!(inputs.find("o", "CL-").expect("found"), "o/CL-v2.json");
        let error = inputs.find("o", "UBERON-").expect_err("absent");
        assert!(error.to_string().contains("\"UBERON-\""), "{error}");
        let mut inputs = Inputs::new(root.path());
        match inputs.bytes("o/none.gz") {
            Err(InputError::Read { path, .. }) => assert!(path.ends_with("none.gz")),
            other => panic!("expected a read error, got {other:?}"),
        }
    }
}
