//! Little-endian primitive encoding: a growable writer and a bounds-checked reader (the same
//! encoding as `synthome-bundle`, whose helpers are private to it)

use crate::error::BundleError;

/// Appends little-endian values to a byte vector
#[derive(Debug, Default)]
pub(crate) struct Out {
    pub(crate) bytes: Vec<u8>,
}

impl Out {
    pub(crate) fn u32(&mut self, value: u32) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }
    pub(crate) fn u64(&mut self, value: u64) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }
    pub(crate) fn f32(&mut self, value: f32) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }
    /// A length (u32) then the bytes
    pub(crate) fn str(&mut self, text: &str) {
        self.len(text.len());
        self.bytes.extend_from_slice(text.as_bytes());
    }
    /// A count as u32 (counts in a bundle are far below 2^32)
    pub(crate) fn len(&mut self, len: usize) {
        self.u32(u32::try_from(len).unwrap_or(u32::MAX));
    }
    pub(crate) fn f32s(&mut self, values: &[f32]) {
        for &value in values {
            self.f32(value);
        }
    }
    /// f32 values as i16 fixed point with `2^-bits` steps (values clamped to the i16 range)
    pub(crate) fn fixed16(&mut self, values: &[f32], bits: i32) {
        let scale = 2f32.powi(bits);
        for &value in values {
            let q = (value * scale)
                .round()
                .clamp(f32::from(i16::MIN), f32::from(i16::MAX)) as i16;
            self.bytes.extend_from_slice(&q.to_le_bytes());
        }
    }
}

/// Reads little-endian values from one section, with errors naming the section
pub(crate) struct In<'a> {
    bytes: &'a [u8],
    position: usize,
    section: &'a str,
}

impl<'a> In<'a> {
    pub(crate) fn new(bytes: &'a [u8], section: &'a str) -> In<'a> {
        In {
            bytes,
            position: 0,
            section,
        }
    }

    pub(crate) fn corrupt(&self, detail: impl Into<String>) -> BundleError {
        BundleError::Corrupt {
            section: self.section.to_owned(),
            detail: detail.into(),
        }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], BundleError> {
        let end = self
            .position
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len());
        match end {
            Some(end) => {
                let slice = &self.bytes[self.position..end];
                self.position = end;
                Ok(slice)
            }
            None => Err(self.corrupt(format!(
                "needs {n} more bytes at offset {} but the section has {}",
                self.position,
                self.bytes.len()
            ))),
        }
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], BundleError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    pub(crate) fn u32(&mut self) -> Result<u32, BundleError> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    pub(crate) fn f32(&mut self) -> Result<f32, BundleError> {
        Ok(f32::from_le_bytes(self.array()?))
    }
    /// A count, checked against the bytes left (each item takes at least `min_item_bytes`)
    pub(crate) fn len(&mut self, min_item_bytes: usize) -> Result<usize, BundleError> {
        let n = self.u32()? as usize;
        let left = self.bytes.len() - self.position;
        if n.saturating_mul(min_item_bytes.max(1)) > left {
            return Err(self.corrupt(format!(
                "a count of {n} items does not fit in the {left} bytes left"
            )));
        }
        Ok(n)
    }
    pub(crate) fn str(&mut self) -> Result<String, BundleError> {
        let n = self.len(1)?;
        let bytes = self.take(n)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| self.corrupt("a string is not valid UTF-8"))
    }
    pub(crate) fn f32s(&mut self, n: usize) -> Result<Vec<f32>, BundleError> {
        let bytes = self.take(
            n.checked_mul(4)
                .ok_or_else(|| self.corrupt("length overflow"))?,
        )?;
        Ok(bytes
            .chunks_exact(4)
            .map(|chunk| f32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]))
            .collect())
    }
    pub(crate) fn fixed16(&mut self, n: usize, bits: i32) -> Result<Vec<f32>, BundleError> {
        let bytes = self.take(
            n.checked_mul(2)
                .ok_or_else(|| self.corrupt("length overflow"))?,
        )?;
        let step = 2f32.powi(-bits);
        Ok(bytes
            .chunks_exact(2)
            .map(|chunk| f32::from(i16::from_le_bytes([chunk[0], chunk[1]])) * step)
            .collect())
    }
    pub(crate) fn finish(&self) -> Result<(), BundleError> {
        if self.position == self.bytes.len() {
            Ok(())
        } else {
            Err(self.corrupt(format!(
                "{} unexpected bytes after the content",
                self.bytes.len() - self.position
            )))
        }
    }
}
