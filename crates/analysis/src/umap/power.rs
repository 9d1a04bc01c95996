//! `x^y` for the layout's inner loop, as `2^(y log2 x)` with short polynomials instead of
//! `libm`'s `logf` and `expf`: the two took most of the optimisation's time (every edge and
//! negative sample needs `d^(2b)`). Plain f32 arithmetic (no fused multiply-add), so native and
//! wasm32 give the same bits. Relative error below 5e-6 over the layout's range, most of it the
//! f32 rounding of `y log2 x` (tested against `libm::powf`).

/// `1 / ln 2` times 2: the factor of the `atanh` series of `log2`.
const TWO_OVER_LN2: f32 = 2.0 / core::f32::consts::LN_2;

/// `x^y` for finite `x > 0` and `|y log2 x| < 126`; 0 for `x <= 0`. Outside that range the
/// result saturates (0 or `2^127`), which the layout's clipped gradients never reach.
pub(super) fn power(x: f32, y: f32) -> f32 {
    if x <= 0.0 {
        return 0.0;
    }
    exp2(y * log2(x))
}

/// `log2 x` for finite `x > 0` (subnormal `x` is taken as the smallest normal number).
fn log2(x: f32) -> f32 {
    let x = x.max(f32::MIN_POSITIVE);
    let bits = x.to_bits();
    let mut exponent = ((bits >> 23) & 0xff) as i32 - 127;
    let mut mantissa = f32::from_bits((bits & 0x007f_ffff) | 0x3f80_0000);
    if mantissa > core::f32::consts::SQRT_2 {
        mantissa *= 0.5;
        exponent += 1;
    }
    // log2 m = (2 / ln 2) atanh t, t = (m - 1) / (m + 1), |t| <= 0.172.
    let t = (mantissa - 1.0) / (mantissa + 1.0);
    let t2 = t * t;
    let series = t * (1.0 + t2 * (1.0 / 3.0 + t2 * (1.0 / 5.0 + t2 * (1.0 / 7.0))));
    exponent as f32 + TWO_OVER_LN2 * series
}

/// `2^y`, saturating outside `[-126, 127]`.
fn exp2(y: f32) -> f32 {
    if y < -126.0 {
        return 0.0;
    }
    let y = y.min(127.0);
    // The nearest integer, by truncation corrected below zero (`floor` is a library call
    // on baseline x86_64).
    let shifted = y + 0.5;
    let mut whole = shifted as i32;
    if whole as f32 > shifted {
        whole -= 1;
    }
    // 2^f = e^(f ln 2), |f ln 2| <= 0.347: Taylor to degree 6.
    let r = (y - whole as f32) * core::f32::consts::LN_2;
    let fraction = 1.0
        + r * (1.0
            + r * (1.0 / 2.0
                + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r * (1.0 / 720.0))))));
    let scale = f32::from_bits(((whole + 127) as u32) << 23);
    fraction * scale
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_libm_powf_over_the_layouts_range() {
        let mut worst: f32 = 0.0;
        for b in [0.79f32, 0.895, 1.0, 1.93] {
            for step in 0..20_000 {
                // Squared distances from 1e-8 to 1e4, log-spaced.
                let x = 10f32.powf(-8.0 + 12.0 * step as f32 / 20_000.0);
                for y in [b, b - 1.0] {
                    let exact = libm::powf(x, y);
                    let relative = (power(x, y) - exact).abs() / exact;
                    worst = worst.max(relative);
                }
            }
        }
        assert!(worst < 5e-6, "largest relative error {worst:e}");
    }

    #[test]
    fn exact_at_powers_of_two_and_saturating_outside_the_range() {
        assert_eq!(power(4.0, 0.5), 2.0);
        assert_eq!(power(8.0, 1.0), 8.0);
        assert_eq!(power(0.25, 2.0), 0.0625);
        assert_eq!(power(0.0, 0.9), 0.0);
        assert_eq!(power(-1.0, 0.9), 0.0);
        assert_eq!(power(1e-30, 10.0), 0.0);
        assert!(power(1e30, 10.0) >= 2f32.powi(126));
        assert!(power(1e-45, 0.9) > 0.0);
    }
}
