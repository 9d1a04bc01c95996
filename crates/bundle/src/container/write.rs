//! Writing a container: header, section table, sections, checksum

use sha2::Digest;

use super::fields::FieldWriter;
use super::{CHECKSUM_LEN, ENTRY_LEN, FORMAT_VERSION, HEADER_LEN, MAGIC};

/// Collects tagged sections, then writes the whole container (deterministic: same sections in
/// the same order, same bytes)
#[derive(Debug, Default)]
pub struct Writer {
    sections: Vec<([u8; 4], Vec<u8>)>,
}

impl Writer {
    /// A container with no sections yet
    pub fn new() -> Writer {
        Writer::default()
    }

    /// Appends a section; sections are written in the order they are added
    pub fn section(&mut self, tag: &[u8; 4], content: Vec<u8>) {
        self.sections.push((*tag, content));
    }

    /// The container bytes: magic, version, section table, sections, sha256 of all before it
    pub fn finish(self) -> Vec<u8> {
        let table_end = HEADER_LEN + self.sections.len() * ENTRY_LEN;
        let content_len: usize = self.sections.iter().map(|(_, content)| content.len()).sum();
        let mut out = FieldWriter::with_capacity(table_end + content_len + CHECKSUM_LEN);
        out.raw(MAGIC);
        out.u32(FORMAT_VERSION);
        out.len(self.sections.len());
        let mut offset = table_end as u64;
        for (tag, content) in &self.sections {
            out.raw(tag);
            out.u64(offset);
            out.u64(content.len() as u64);
            offset += content.len() as u64;
        }
        for (_, content) in &self.sections {
            out.raw(content);
        }
        let mut bytes = out.into_bytes();
        let digest = sha2::Sha256::digest(&bytes);
        bytes.extend_from_slice(&digest);
        bytes
    }
}
