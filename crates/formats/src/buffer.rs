//! The write buffer of the text formats: rows are gathered in memory and handed to the writer
//! in chunks of about [`FLUSH_AT`] bytes (few, large writes whatever the writer); cells of the
//! formats without quoting are appended with [`push_unquoted_cell`].

use std::io::Write;

use crate::FormatError;

/// Bytes gathered before each write to the underlying writer.
pub(crate) const FLUSH_AT: usize = 1 << 16;

/// A buffer sized for one chunk and the row that overflows it.
pub(crate) fn chunk_buffer() -> Vec<u8> {
    Vec::with_capacity(FLUSH_AT * 2)
}

/// Writes the buffer out and empties it once it holds at least [`FLUSH_AT`] bytes.
pub(crate) fn flush_if_full<W: Write>(
    buffer: &mut Vec<u8>,
    out: &mut W,
) -> Result<(), FormatError> {
    if buffer.len() >= FLUSH_AT {
        out.write_all(buffer)?;
        buffer.clear();
    }
    Ok(())
}

/// Appends text with tabs and line breaks replaced by spaces (for tab-separated cells that are
/// never quoted: GCT, the MEX features and barcodes).
pub(crate) fn push_unquoted_cell(buffer: &mut Vec<u8>, text: &str) {
    buffer.extend(text.bytes().map(|byte| match byte {
        b'\t' | b'\n' | b'\r' => b' ',
        other => other,
    }));
}
