//! The compact binary encoding of a vocabulary: versioned, length-checked, never panicking
//!
//! Layout (integers are LEB128 varints unless noted, strings are a varint byte length then UTF-8):
//! `"SYNVOCAB"`, version (u16 little endian), key count, then per key: name, domain tag (u8) and
//! - tag 0, terms: term count, then per term id, label, synonym count and synonyms, alternative
//!   id count and alternative ids;
//! - tag 1, quantity: unit code (u8), min and max (f64 little endian), known count and values;
//! - tag 2, number: min and max (f64 little endian).

use crate::domain::{KeyDomain, QuantityUnit};
use crate::error::VocabError;
use crate::index::TermIndex;
use crate::term::Term;
use crate::vocabulary::Vocabulary;

/// First bytes of every encoded vocabulary
const MAGIC: &[u8; 8] = b"SYNVOCAB";
/// The encoding version this build writes and reads
pub const ENCODING_VERSION: u16 = 1;

const TAG_TERMS: u8 = 0;
const TAG_QUANTITY: u8 = 1;
const TAG_NUMBER: u8 = 2;

impl Vocabulary {
    /// The vocabulary as compact bytes (see the module docs for the layout)
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&ENCODING_VERSION.to_le_bytes());
        write_varint(&mut out, self.len() as u64);
        for (key, domain) in self.iter() {
            write_str(&mut out, key);
            match domain {
                KeyDomain::Terms(index) => {
                    out.push(TAG_TERMS);
                    write_varint(&mut out, index.len() as u64);
                    for term in index.terms() {
                        write_str(&mut out, &term.id);
                        write_str(&mut out, &term.label);
                        write_varint(&mut out, term.synonyms.len() as u64);
                        for synonym in &term.synonyms {
                            write_str(&mut out, synonym);
                        }
                        write_varint(&mut out, term.alternative_ids.len() as u64);
                        for id in &term.alternative_ids {
                            write_str(&mut out, id);
                        }
                    }
                }
                KeyDomain::Quantity {
                    unit,
                    min,
                    max,
                    known,
                } => {
                    out.push(TAG_QUANTITY);
                    out.push(unit.code());
                    out.extend_from_slice(&min.to_le_bytes());
                    out.extend_from_slice(&max.to_le_bytes());
                    write_varint(&mut out, known.len() as u64);
                    for value in known {
                        out.extend_from_slice(&value.to_le_bytes());
                    }
                }
                KeyDomain::Number { min, max } => {
                    out.push(TAG_NUMBER);
                    out.extend_from_slice(&min.to_le_bytes());
                    out.extend_from_slice(&max.to_le_bytes());
                }
            }
        }
        out
    }

    /// Reads bytes written by [`Vocabulary::encode`]; any malformed input is an error, never a
    /// panic, and no allocation is larger than the input justifies
    pub fn decode(bytes: &[u8]) -> Result<Vocabulary, VocabError> {
        let mut reader = Reader { bytes, offset: 0 };
        if reader.take(MAGIC.len(), "magic")? != MAGIC {
            return Err(VocabError::BadMagic);
        }
        let version_bytes = reader.take(2, "version")?;
        let version = u16::from_le_bytes([version_bytes[0], version_bytes[1]]);
        if version != ENCODING_VERSION {
            return Err(VocabError::UnsupportedVersion {
                found: version,
                supported: ENCODING_VERSION,
            });
        }
        let mut vocabulary = Vocabulary::new();
        // A key needs at least a name length and a tag: 2 bytes
        let key_count = reader.count("key count", 2)?;
        for _ in 0..key_count {
            let key = reader.string("key name")?;
            let tag = reader.take(1, "domain tag")?[0];
            let domain = match tag {
                TAG_TERMS => KeyDomain::Terms(read_terms(&mut reader)?),
                TAG_QUANTITY => {
                    let code = reader.take(1, "unit code")?[0];
                    let unit =
                        QuantityUnit::from_code(code).ok_or_else(|| VocabError::UnknownUnit {
                            key: key.clone(),
                            code,
                            max: (QuantityUnit::ALL.len() - 1) as u8,
                        })?;
                    let min = reader.float("quantity min")?;
                    let max = reader.float("quantity max")?;
                    let known_count = reader.count("known value count", 8)?;
                    let mut known = Vec::with_capacity(known_count);
                    for _ in 0..known_count {
                        known.push(reader.float("known value")?);
                    }
                    KeyDomain::Quantity {
                        unit,
                        min,
                        max,
                        known,
                    }
                }
                TAG_NUMBER => {
                    let min = reader.float("number min")?;
                    let max = reader.float("number max")?;
                    KeyDomain::Number { min, max }
                }
                _ => return Err(VocabError::UnknownDomainTag { key, tag }),
            };
            vocabulary.insert(key, domain)?;
        }
        let left = bytes.len() - reader.offset;
        if left > 0 {
            return Err(VocabError::TrailingBytes { count: left });
        }
        Ok(vocabulary)
    }
}

/// Reads the terms of a term domain
fn read_terms(reader: &mut Reader<'_>) -> Result<TermIndex, VocabError> {
    // A term needs at least id, label, synonym count and alternative id count: 4 bytes
    let term_count = reader.count("term count", 4)?;
    let mut terms = Vec::with_capacity(term_count);
    for _ in 0..term_count {
        let id = reader.string("term id")?;
        let label = reader.string("term label")?;
        let synonym_count = reader.count("synonym count", 1)?;
        let mut synonyms = Vec::with_capacity(synonym_count);
        for _ in 0..synonym_count {
            synonyms.push(reader.string("synonym")?);
        }
        let id_count = reader.count("alternative id count", 1)?;
        let mut alternative_ids = Vec::with_capacity(id_count);
        for _ in 0..id_count {
            alternative_ids.push(reader.string("alternative id")?);
        }
        terms.push(Term {
            id,
            label,
            synonyms,
            alternative_ids,
        });
    }
    TermIndex::new(terms)
}

/// Appends `value` as an LEB128 varint
fn write_varint(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Appends a length-prefixed UTF-8 string
fn write_str(out: &mut Vec<u8>, text: &str) {
    write_varint(out, text.len() as u64);
    out.extend_from_slice(text.as_bytes());
}

/// A cursor over the encoded bytes that checks every length against what remains
struct Reader<'a> {
    bytes: &'a [u8],
    offset: usize,
}

impl<'a> Reader<'a> {
    /// The next `n` bytes
    fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], VocabError> {
        let end = self
            .offset
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len())
            .ok_or(VocabError::Truncated {
                what,
                offset: self.offset,
            })?;
        let slice = &self.bytes[self.offset..end];
        self.offset = end;
        Ok(slice)
    }

    /// An LEB128 varint of at most 64 bits
    fn varint(&mut self, what: &'static str) -> Result<u64, VocabError> {
        let start = self.offset;
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.take(1, what)?[0];
            let bits = u64::from(byte & 0x7f);
            if shift == 63 && bits > 1 {
                return Err(VocabError::VarintOverflow { offset: start });
            }
            value |= bits << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(VocabError::VarintOverflow { offset: start })
    }

    /// A count of items each at least `min_item_bytes` long, checked against the bytes left
    fn count(&mut self, what: &'static str, min_item_bytes: usize) -> Result<usize, VocabError> {
        let offset = self.offset;
        let count = self.varint(what)?;
        let remaining = self.bytes.len() - self.offset;
        let fits = usize::try_from(count)
            .ok()
            .and_then(|n| n.checked_mul(min_item_bytes))
            .is_some_and(|needed| needed <= remaining);
        if !fits {
            return Err(VocabError::CountTooLarge {
                what,
                count,
                offset,
                remaining,
            });
        }
        Ok(usize::try_from(count).unwrap_or(0))
    }

    /// A length-prefixed UTF-8 string
    fn string(&mut self, what: &'static str) -> Result<String, VocabError> {
        let length = self.count(what, 1)?;
        let offset = self.offset;
        let bytes = self.take(length, what)?;
        std::str::from_utf8(bytes)
            .map(str::to_owned)
            .map_err(|_| VocabError::InvalidUtf8 { offset })
    }

    /// A little-endian f64
    fn float(&mut self, what: &'static str) -> Result<f64, VocabError> {
        let bytes = self.take(8, what)?;
        let mut array = [0u8; 8];
        array.copy_from_slice(bytes);
        Ok(f64::from_le_bytes(array))
    }
}
