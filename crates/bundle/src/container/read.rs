//! Reading a container: magic, version, section table bounds and checksum, then the sections

use sha2::Digest;

use super::error::ContainerError;
use super::{CHECKSUM_LEN, ENTRY_LEN, FORMAT_VERSION, HEADER_LEN, MAGIC, hex};

/// The sections of a checked container, in table order
#[derive(Debug, Clone, PartialEq)]
pub struct Sections<'a> {
    entries: Vec<([u8; 4], &'a [u8])>,
}

impl<'a> Sections<'a> {
    /// The content of the first section tagged `tag`, or `None` when there is none
    pub fn get(&self, tag: &[u8; 4]) -> Option<&'a [u8]> {
        self.entries
            .iter()
            .find(|(found, _)| found == tag)
            .map(|&(_, content)| content)
    }

    /// The contents of the sections tagged `tags`, in the order of `tags`, or the first tag
    /// that has no section
    pub fn all<const N: usize>(&self, tags: [&[u8; 4]; N]) -> Result<[&'a [u8]; N], [u8; 4]> {
        let mut contents: [&'a [u8]; N] = [&[]; N];
        for (content, tag) in contents.iter_mut().zip(tags) {
            *content = self.get(tag).ok_or(*tag)?;
        }
        Ok(contents)
    }

    /// Every section's tag and content, in table order
    pub fn iter(&self) -> impl Iterator<Item = ([u8; 4], &'a [u8])> + '_ {
        self.entries.iter().copied()
    }
}

/// Checks magic, version, that every section lies inside the content, and the checksum; the
/// sections by tag
pub fn read(bytes: &[u8]) -> Result<Sections<'_>, ContainerError> {
    let truncated = |what: &str, needed: usize, offset: usize| ContainerError::Truncated {
        what: what.to_owned(),
        needed: needed as u64,
        offset: offset as u64,
        available: bytes.len() as u64,
    };
    let Some(found) = bytes.get(..MAGIC.len()) else {
        return Err(truncated("the magic", MAGIC.len(), 0));
    };
    if found != MAGIC {
        return Err(ContainerError::BadMagic {
            found: found.to_vec(),
            expected: MAGIC.to_vec(),
        });
    }
    if bytes.len() < HEADER_LEN {
        return Err(truncated("the header", HEADER_LEN, 0));
    }
    let version = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
    if version != FORMAT_VERSION {
        return Err(ContainerError::UnsupportedVersion {
            found: version,
            supported: FORMAT_VERSION,
        });
    }
    let n_sections = u32::from_le_bytes([bytes[12], bytes[13], bytes[14], bytes[15]]) as usize;
    let table_end = HEADER_LEN.saturating_add(n_sections.saturating_mul(ENTRY_LEN));
    if bytes.len() < table_end.saturating_add(CHECKSUM_LEN) {
        return Err(truncated(
            "the section table and checksum",
            table_end.saturating_add(CHECKSUM_LEN),
            0,
        ));
    }
    let content_end = bytes.len() - CHECKSUM_LEN;
    let mut entries = Vec::with_capacity(n_sections);
    for entry in bytes[HEADER_LEN..table_end].chunks_exact(ENTRY_LEN) {
        let tag = [entry[0], entry[1], entry[2], entry[3]];
        let word = |start: usize| {
            let mut raw = [0u8; 8];
            raw.copy_from_slice(&entry[start..start + 8]);
            usize::try_from(u64::from_le_bytes(raw)).unwrap_or(usize::MAX)
        };
        let offset = word(4);
        let length = word(12);
        let end = offset.saturating_add(length);
        if end > content_end {
            return Err(truncated(
                &format!("section {:?}", String::from_utf8_lossy(&tag)),
                length,
                offset,
            ));
        }
        entries.push((tag, &bytes[offset..end]));
    }
    let computed = sha2::Sha256::digest(&bytes[..content_end]);
    let stored = &bytes[content_end..];
    if computed.as_slice() != stored {
        return Err(ContainerError::Checksum {
            stored: hex(stored),
            computed: hex(&computed),
        });
    }
    Ok(Sections { entries })
}
