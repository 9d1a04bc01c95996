//! Packing messages as `{json, buffers}` JS objects, with typed arrays copied out of (or into)
//! wasm memory exactly once.

use js_sys::{
    Array, ArrayBuffer, Float32Array, Object, Reflect, Uint8Array, Uint16Array, Uint32Array,
};
use synthome_matrix::PackedVec;
use wasm_bindgen::{JsCast, JsValue};

use super::protocol::{PartArrays, ValueBuffers, ValuesKind};

/// A message as it crosses `postMessage`.
pub struct Packet {
    /// The JSON control part.
    pub json: String,
    /// Attached binary buffers, in protocol order.
    pub buffers: Vec<ArrayBuffer>,
}

impl Packet {
    /// The JS object to post, and the transfer list (its buffers).
    pub fn into_js(self) -> (JsValue, Array) {
        let object = Object::new();
        let buffers = Array::new();
        for buffer in &self.buffers {
            buffers.push(buffer);
        }
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&object, &"json".into(), &JsValue::from_str(&self.json));
        let _ = Reflect::set(&object, &"buffers".into(), &buffers);
        (object.into(), buffers)
    }

    /// Reads a posted object back; `None` when it is not a packet.
    pub fn from_js(value: &JsValue) -> Option<Packet> {
        let json = Reflect::get(value, &"json".into()).ok()?.as_string()?;
        let list: Array = Reflect::get(value, &"buffers".into())
            .ok()?
            .dyn_into()
            .ok()?;
        let buffers = list
            .iter()
            .filter_map(|item| item.dyn_into::<ArrayBuffer>().ok())
            .collect();
        Some(Packet { json, buffers })
    }
}

/// Copies bytes into a new `ArrayBuffer`.
pub fn bytes_to_buffer(bytes: &[u8]) -> ArrayBuffer {
    Uint8Array::from(bytes).buffer()
}

/// Copies an `ArrayBuffer` into wasm memory.
pub fn buffer_to_bytes(buffer: &ArrayBuffer) -> Vec<u8> {
    Uint8Array::new(buffer).to_vec()
}

/// The value arrays as buffers to transfer.
pub fn values_to_buffers(values: &ValueBuffers) -> Vec<ArrayBuffer> {
    match values {
        ValueBuffers::Counts(data) => vec![Uint32Array::from(data.as_slice()).buffer()],
        ValueBuffers::Expected(data) => vec![Float32Array::from(data.as_slice()).buffer()],
        ValueBuffers::Sparse {
            indptr,
            indices,
            data,
        } => vec![
            Uint32Array::from(indptr.as_slice()).buffer(),
            packed_to_buffer(indices),
            packed_to_buffer(data),
        ],
    }
}

/// A packed array as a buffer of its width.
fn packed_to_buffer(values: &PackedVec) -> ArrayBuffer {
    match values {
        PackedVec::U16(values) => Uint16Array::from(values.as_slice()).buffer(),
        PackedVec::U32(values) => Uint32Array::from(values.as_slice()).buffer(),
    }
}

/// Bytes per element of sparse buffer `index` (1 indices, 2 data): its byte length over the
/// entry count (the last row pointer, in buffer 0); 4 for every other buffer.
fn sparse_width(buffers: &[ArrayBuffer], index: usize) -> usize {
    let (Some(indptr), Some(buffer), 1..=2) = (buffers.first(), buffers.get(index), index) else {
        return 4;
    };
    let indptr = Uint32Array::new(indptr);
    let entries = indptr
        .length()
        .checked_sub(1)
        .map_or(0, |last| indptr.get_index(last));
    if entries > 0 && buffer.byte_length() / entries == 2 {
        2
    } else {
        4
    }
}

/// The value arrays back from buffers, laid out as `kind` says; `None` when buffers are missing.
pub fn buffers_to_values(
    kind: super::protocol::ValuesKind,
    buffers: &[ArrayBuffer],
) -> Option<ValueBuffers> {
    use super::protocol::ValuesKind;
    let u32s = |index: usize| {
        buffers
            .get(index)
            .map(|buffer| Uint32Array::new(buffer).to_vec())
    };
    Some(match kind {
        ValuesKind::Counts => ValueBuffers::Counts(u32s(0)?),
        ValuesKind::Expected => {
            ValueBuffers::Expected(Float32Array::new(buffers.first()?).to_vec())
        }
        ValuesKind::SparseCounts => {
            let packed = |index: usize| {
                let buffer = buffers.get(index)?;
                Some(if sparse_width(buffers, index) == 2 {
                    PackedVec::U16(Uint16Array::new(buffer).to_vec())
                } else {
                    PackedVec::U32(Uint32Array::new(buffer).to_vec())
                })
            };
            ValueBuffers::Sparse {
                indptr: u32s(0)?,
                indices: packed(1)?,
                data: packed(2)?,
            }
        }
    })
}

/// One part of a split generation as its transferred buffers, read in place by
/// [`join_values`](super::protocol::join_values): each buffer is copied once, into the joined
/// arrays.
pub struct PartBuffers<'a> {
    /// How the buffers are laid out.
    pub kind: ValuesKind,
    /// The part's buffers, [`ValuesKind::buffers`] of them.
    pub buffers: &'a [ArrayBuffer],
}

impl PartArrays for PartBuffers<'_> {
    fn kind(&self) -> ValuesKind {
        self.kind
    }

    fn len(&self, index: usize) -> usize {
        self.buffers.get(index).map_or(0, |buffer| {
            buffer.byte_length() as usize / self.width(index)
        })
    }

    fn width(&self, index: usize) -> usize {
        match self.kind {
            ValuesKind::SparseCounts => sparse_width(self.buffers, index),
            ValuesKind::Counts | ValuesKind::Expected => 4,
        }
    }

    fn copy_u32(&self, index: usize, into: &mut [u32]) {
        let Some(buffer) = self.buffers.get(index) else {
            return;
        };
        if self.width(index) == 2 {
            // Widened a block at a time, never the whole array at once.
            let narrow = Uint16Array::new(buffer);
            let mut block = vec![0u16; 1 << 16];
            for (start, out) in (0..).step_by(block.len()).zip(into.chunks_mut(block.len())) {
                let block = &mut block[..out.len()];
                narrow
                    .subarray(start as u32, (start + out.len()) as u32)
                    .copy_to(block);
                for (slot, &value) in out.iter_mut().zip(block.iter()) {
                    *slot = u32::from(value);
                }
            }
        } else {
            Uint32Array::new(buffer).copy_to(into);
        }
    }

    fn copy_u16(&self, index: usize, into: &mut [u16]) {
        if let Some(buffer) = self.buffers.get(index) {
            Uint16Array::new(buffer).copy_to(into);
        }
    }

    fn copy_f32(&self, index: usize, into: &mut [f32]) {
        if let Some(buffer) = self.buffers.get(index) {
            Float32Array::new(buffer).copy_to(into);
        }
    }
}
