//! Decompressing readers for the reference files (gzip and zstd, pure Rust)

use std::io::Read;

use crate::error::ReferenceError;

/// A reader that inflates gzip data (all members of a multi-member file)
pub fn gunzip<R: Read>(reader: R) -> flate2::read::MultiGzDecoder<R> {
    flate2::read::MultiGzDecoder::new(reader)
}

/// The whole zstd-compressed input, decompressed
pub fn unzstd<R: Read>(reader: R, table: &'static str) -> Result<Vec<u8>, ReferenceError> {
    let mut decoder =
        ruzstd::decoding::StreamingDecoder::new(reader).map_err(|error| ReferenceError::Io {
            table,
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, error.to_string()),
        })?;
    let mut out = Vec::new();
    decoder
        .read_to_end(&mut out)
        .map_err(|source| ReferenceError::Io { table, source })?;
    Ok(out)
}
