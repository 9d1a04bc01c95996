//! Randomness from the OS, for seeds the engine picks and for unguessable ids.

use std::hash::{BuildHasher, RandomState};

/// Fills `bytes` from OS entropy; without it, from the standard library's per-process random
/// hasher keys mixed with the clock (still unpredictable from outside).
pub fn fill(bytes: &mut [u8]) {
    if getrandom::fill(bytes).is_ok() {
        return;
    }
    for (index, chunk) in bytes.chunks_mut(8).enumerate() {
        let value = RandomState::new().hash_one((index, std::time::SystemTime::now()));
        for (slot, byte) in chunk.iter_mut().zip(value.to_le_bytes()) {
            *slot = byte;
        }
    }
}

/// A random u64.
pub fn random_u64() -> u64 {
    let mut bytes = [0u8; 8];
    fill(&mut bytes);
    u64::from_le_bytes(bytes)
}

/// `n_bytes` of randomness as lower-case hex.
pub fn random_hex(n_bytes: usize) -> String {
    let mut bytes = vec![0u8; n_bytes];
    fill(&mut bytes);
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_ids_are_hex_of_the_asked_length_and_differ() {
        let first = random_hex(32);
        assert_eq!(first.len(), 64);
        assert!(first.bytes().all(|byte| byte.is_ascii_hexdigit()));
        assert_ne!(first, random_hex(32));
        assert_ne!(random_u64(), random_u64());
    }
}
