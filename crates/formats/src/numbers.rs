//! Fast number formatting into byte buffers (text formats write tens of millions of numbers).

/// Appends an unsigned integer in decimal.
pub(crate) fn push_u32(buffer: &mut Vec<u8>, value: u32) {
    buffer.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
}

/// Appends an unsigned 64-bit integer in decimal.
pub(crate) fn push_u64(buffer: &mut Vec<u8>, value: u64) {
    buffer.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
}

/// Appends a float in the shortest form that reads back to the same f32; integral values have
/// no fraction (`3`, not `3.0`), non-finite values are written as `NaN`, `inf`, `-inf`.
pub(crate) fn push_f32(buffer: &mut Vec<u8>, value: f32) {
    if value.is_finite() && value.fract() == 0.0 && value.abs() < 1e9 {
        buffer.extend_from_slice(itoa::Buffer::new().format(value as i64).as_bytes());
    } else if value.is_nan() {
        buffer.extend_from_slice(b"NaN");
    } else if value.is_infinite() {
        buffer.extend_from_slice(if value > 0.0 { b"inf" } else { b"-inf" });
    } else {
        buffer.extend_from_slice(ryu::Buffer::new().format_finite(value).as_bytes());
    }
}

/// Rounds an expected count to the nearest non-negative integer (JSON client compatibility).
pub(crate) fn round_count(value: f32) -> u64 {
    if value.is_nan() || value <= 0.0 {
        0
    } else {
        value.round() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f32_text(value: f32) -> String {
        let mut buffer = Vec::new();
        push_f32(&mut buffer, value);
        String::from_utf8(buffer).unwrap_or_default()
    }

    #[test]
    fn floats_are_shortest_and_integral_values_have_no_fraction() {
        assert_eq!(f32_text(3.0), "3");
        assert_eq!(f32_text(0.1), "0.1");
        assert_eq!(f32_text(-2.5), "-2.5");
        assert_eq!(f32_text(1.5e-7), "1.5e-7");
        assert_eq!(f32_text(f32::NAN), "NaN");
        assert_eq!(f32_text(f32::NEG_INFINITY), "-inf");
        assert_eq!(f32_text(0.1).parse::<f32>().ok(), Some(0.1));
    }

    #[test]
    fn rounding_clamps_to_non_negative_integers() {
        assert_eq!(round_count(2.5), 3);
        assert_eq!(round_count(2.49), 2);
        assert_eq!(round_count(-1.0), 0);
        assert_eq!(round_count(f32::NAN), 0);
    }
}
