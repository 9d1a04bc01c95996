//! Errors of building and decoding a vocabulary

/// What went wrong while building or decoding a vocabulary
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum VocabError {
    /// The bytes end before a value that should be there
    #[error("vocabulary bytes end early at offset {offset} while reading {what}")]
    Truncated {
        /// What was being read
        what: &'static str,
        /// Byte offset where reading started
        offset: usize,
    },
    /// The bytes do not start with the vocabulary magic
    #[error("not a Synthome vocabulary: the bytes do not start with \"SYNVOCAB\"")]
    BadMagic,
    /// The encoding version is not one this build reads
    #[error(
        "vocabulary encoding version {found} is not supported; this build reads version {supported}"
    )]
    UnsupportedVersion {
        /// Version found in the bytes
        found: u16,
        /// Version this build reads
        supported: u16,
    },
    /// A length or count is larger than the bytes that remain
    #[error(
        "vocabulary {what} at offset {offset} says {count}, more than the {remaining} bytes that remain"
    )]
    CountTooLarge {
        /// What was counted
        what: &'static str,
        /// The count read
        count: u64,
        /// Byte offset of the count
        offset: usize,
        /// Bytes left after the count
        remaining: usize,
    },
    /// A variable-length integer runs over 64 bits
    #[error("vocabulary integer at offset {offset} is longer than 64 bits")]
    VarintOverflow {
        /// Byte offset of the integer
        offset: usize,
    },
    /// A string is not valid UTF-8
    #[error("vocabulary string at offset {offset} is not valid UTF-8")]
    InvalidUtf8 {
        /// Byte offset of the string
        offset: usize,
    },
    /// A key domain tag is not known
    #[error(
        "vocabulary key {key:?} has unknown domain tag {tag}; valid tags are 0 (terms), 1 (quantity), 2 (number)"
    )]
    UnknownDomainTag {
        /// The key
        key: String,
        /// The tag read
        tag: u8,
    },
    /// A quantity unit code is not known
    #[error("vocabulary key {key:?} has unknown unit code {code}; valid codes are 0 to {max}")]
    UnknownUnit {
        /// The key
        key: String,
        /// The code read
        code: u8,
        /// Largest valid code
        max: u8,
    },
    /// Bytes remain after the last key
    #[error("vocabulary has {count} unexpected bytes after its last key")]
    TrailingBytes {
        /// Number of bytes left over
        count: usize,
    },
    /// The same key appears twice
    #[error("vocabulary key {key:?} appears twice; each key may have one domain")]
    DuplicateKey {
        /// The key
        key: String,
    },
    /// Two terms share an id or alternative id
    #[error(
        "id {id:?} belongs to two terms ({first:?} and {second:?}); ids and alternative ids must be unique"
    )]
    DuplicateId {
        /// The shared id
        id: String,
        /// Primary id of the first term
        first: String,
        /// Primary id of the second term
        second: String,
    },
    /// A term has an empty id
    #[error("a term with label {label:?} has an empty id; every term needs a non-empty id")]
    EmptyId {
        /// Label of the term
        label: String,
    },
    /// A numeric domain has a bad range or value
    #[error("vocabulary key {key:?} has an invalid range: {detail}")]
    InvalidRange {
        /// The key
        key: String,
        /// What is wrong, and what would be valid
        detail: String,
    },
}
