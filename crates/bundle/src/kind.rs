//! Which model a bundle holds: the `KIND` section, read before any model's own sections

use crate::container::{self, ContainerError, FieldReader, FieldWriter, Sections};

/// Tag of the section that names the bundle's kind
pub const KIND_TAG: &[u8; 4] = b"KIND";

/// The model a bundle holds, as its `KIND` section names it
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BundleKind {
    /// The bulk RNA-seq model (`synthome-model`)
    Bulk,
    /// The single-cell model (`synthome-sc-model`)
    SingleCell,
}

impl BundleKind {
    /// Every kind, in a fixed order
    pub const ALL: [BundleKind; 2] = [BundleKind::Bulk, BundleKind::SingleCell];

    /// The name the `KIND` section stores (`bulk`, `single-cell`)
    pub fn as_str(self) -> &'static str {
        match self {
            BundleKind::Bulk => "bulk",
            BundleKind::SingleCell => "single-cell",
        }
    }

    /// The content of the `KIND` section naming this kind
    pub fn section(self) -> Vec<u8> {
        let mut out = FieldWriter::default();
        out.str(self.as_str());
        out.into_bytes()
    }
}

impl std::fmt::Display for BundleKind {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.as_str())
    }
}

impl Sections<'_> {
    /// The kind the `KIND` section names
    pub fn kind(&self) -> Result<BundleKind, ContainerError> {
        let content = self.get(KIND_TAG).ok_or(ContainerError::MissingKind)?;
        let mut input = FieldReader::new(content, "KIND");
        let name = input.str()?;
        input.finish()?;
        BundleKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == name)
            .ok_or(ContainerError::UnknownKind { found: name })
    }

    /// Checks that the bundle holds `expected`
    pub fn expect_kind(&self, expected: BundleKind) -> Result<(), ContainerError> {
        let found = self.kind()?;
        if found == expected {
            Ok(())
        } else {
            Err(ContainerError::WrongKind { expected, found })
        }
    }
}

/// Which model the bundle bytes hold (the container is checked first, checksum included)
pub fn kind(bytes: &[u8]) -> Result<BundleKind, ContainerError> {
    container::read(bytes)?.kind()
}
