//! Little-endian field encoding inside a section: a growable writer and a bounds-checked reader
//! whose errors name the section, what was being read, and where

use super::error::ContainerError;

/// Appends little-endian fields to a byte vector
#[derive(Debug, Default)]
pub struct FieldWriter {
    bytes: Vec<u8>,
}

impl FieldWriter {
    /// An empty writer with room for `capacity` bytes
    pub fn with_capacity(capacity: usize) -> FieldWriter {
        FieldWriter {
            bytes: Vec::with_capacity(capacity),
        }
    }
    /// The bytes written so far
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
    /// Bytes as they are (no length in front)
    pub fn raw(&mut self, bytes: &[u8]) {
        self.bytes.extend_from_slice(bytes);
    }
    /// One byte
    pub fn u8(&mut self, value: u8) {
        self.bytes.push(value);
    }
    /// A u32
    pub fn u32(&mut self, value: u32) {
        self.raw(&value.to_le_bytes());
    }
    /// A u64
    pub fn u64(&mut self, value: u64) {
        self.raw(&value.to_le_bytes());
    }
    /// An f32
    pub fn f32(&mut self, value: f32) {
        self.raw(&value.to_le_bytes());
    }
    /// An f64
    pub fn f64(&mut self, value: f64) {
        self.raw(&value.to_le_bytes());
    }
    /// A length (u32) then the UTF-8 bytes
    pub fn str(&mut self, text: &str) {
        self.len(text.len());
        self.raw(text.as_bytes());
    }
    /// A count or index as u32 (counts in a bundle are far below 2^32; larger ones are written
    /// as u32::MAX, which no reader accepts as a count)
    pub fn len(&mut self, len: usize) {
        self.u32(u32::try_from(len).unwrap_or(u32::MAX));
    }
    /// u32 values, one after the other (no count in front)
    pub fn u32s(&mut self, values: &[u32]) {
        for &value in values {
            self.u32(value);
        }
    }
    /// f32 values, one after the other (no count in front)
    pub fn f32s(&mut self, values: &[f32]) {
        for &value in values {
            self.f32(value);
        }
    }
    /// f32 values as i16 fixed point with `2^-bits` steps (values clamped to the i16 range; no
    /// count in front)
    pub fn fixed16(&mut self, values: &[f32], bits: i32) {
        let scale = 2f32.powi(bits);
        for &value in values {
            let q = (value * scale)
                .round()
                .clamp(f32::from(i16::MIN), f32::from(i16::MAX)) as i16;
            self.raw(&q.to_le_bytes());
        }
    }
}

/// Reads little-endian fields from one section; every error is [`ContainerError::Corrupt`]
/// naming the section
#[derive(Debug, Clone)]
pub struct FieldReader<'a> {
    bytes: &'a [u8],
    position: usize,
    section: &'a str,
}

impl<'a> FieldReader<'a> {
    /// A reader at the start of `bytes`, the content of the section tagged `section`
    pub fn new(bytes: &'a [u8], section: &'a str) -> FieldReader<'a> {
        FieldReader {
            bytes,
            position: 0,
            section,
        }
    }

    /// A [`ContainerError::Corrupt`] for this section (for checks of the values read)
    pub fn corrupt(&self, detail: impl Into<String>) -> ContainerError {
        ContainerError::Corrupt {
            section: self.section.to_owned(),
            detail: detail.into(),
        }
    }

    /// The next `n` bytes; `what` (called only on error) names what they are
    fn take(
        &mut self,
        n: usize,
        what: impl FnOnce() -> String,
    ) -> Result<&'a [u8], ContainerError> {
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
                "reading {} needs {n} bytes at offset {} but the section ends at {}",
                what(),
                self.position,
                self.bytes.len()
            ))),
        }
    }

    fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N], ContainerError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N, || what.to_owned())?);
        Ok(out)
    }

    /// The bytes of `n` items of `size` bytes each
    fn items(&mut self, n: usize, size: usize, item: &str) -> Result<&'a [u8], ContainerError> {
        let total = n
            .checked_mul(size)
            .ok_or_else(|| self.corrupt(format!("{n} {item} values overflow the address space")))?;
        self.take(total, || format!("{n} {item} values"))
    }

    /// One byte
    pub fn u8(&mut self) -> Result<u8, ContainerError> {
        Ok(self.take(1, || "a u8".to_owned())?[0])
    }
    /// A u32
    pub fn u32(&mut self) -> Result<u32, ContainerError> {
        Ok(u32::from_le_bytes(self.array("a u32")?))
    }
    /// A u64
    pub fn u64(&mut self) -> Result<u64, ContainerError> {
        Ok(u64::from_le_bytes(self.array("a u64")?))
    }
    /// An f32
    pub fn f32(&mut self) -> Result<f32, ContainerError> {
        Ok(f32::from_le_bytes(self.array("an f32")?))
    }
    /// An f64
    pub fn f64(&mut self) -> Result<f64, ContainerError> {
        Ok(f64::from_le_bytes(self.array("an f64")?))
    }
    /// A count (u32), checked against the bytes left when each item takes at least
    /// `min_item_bytes`, so a corrupt count cannot ask for a huge allocation
    pub fn len(&mut self, min_item_bytes: usize) -> Result<usize, ContainerError> {
        let at = self.position;
        let n = self.u32()? as usize;
        let left = self.bytes.len() - self.position;
        let min_item_bytes = min_item_bytes.max(1);
        if n.saturating_mul(min_item_bytes) > left {
            return Err(self.corrupt(format!(
                "a count of {n} items at offset {at} does not fit in the {left} bytes left (each item takes at least {min_item_bytes})"
            )));
        }
        Ok(n)
    }
    /// A length (u32) then that many bytes of UTF-8
    pub fn str(&mut self) -> Result<String, ContainerError> {
        let n = self.len(1)?;
        let at = self.position;
        let bytes = self.take(n, || format!("a string of {n} bytes"))?;
        String::from_utf8(bytes.to_vec())
            .map_err(|_| self.corrupt(format!("the string at offset {at} is not valid UTF-8")))
    }
    /// `n` u32 values
    pub fn u32s(&mut self, n: usize) -> Result<Vec<u32>, ContainerError> {
        Ok(self
            .items(n, 4, "u32")?
            .chunks_exact(4)
            .map(|chunk| u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]))
            .collect())
    }
    /// `n` f32 values
    pub fn f32s(&mut self, n: usize) -> Result<Vec<f32>, ContainerError> {
        Ok(self
            .items(n, 4, "f32")?
            .chunks_exact(4)
            .map(|chunk| f32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]))
            .collect())
    }
    /// `n` i16 fixed-point values with `2^-bits` steps, as f32
    pub fn fixed16(&mut self, n: usize, bits: i32) -> Result<Vec<f32>, ContainerError> {
        let step = 2f32.powi(-bits);
        Ok(self
            .items(n, 2, "fixed-point")?
            .chunks_exact(2)
            .map(|chunk| f32::from(i16::from_le_bytes([chunk[0], chunk[1]])) * step)
            .collect())
    }
    /// Checks that the whole section was read
    pub fn finish(&self) -> Result<(), ContainerError> {
        if self.position == self.bytes.len() {
            Ok(())
        } else {
            Err(self.corrupt(format!(
                "{} unexpected bytes after the content, from offset {}",
                self.bytes.len() - self.position,
                self.position
            )))
        }
    }
}
