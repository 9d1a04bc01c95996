//! `exp` and `log1p` for the count sampler's inner loop, from IEEE basic operations only (so
//! bit-identical natively and in wasm, like `libm`), about four times faster than `libm` and
//! accurate to a few units in the last place on the ranges the sampler uses: `exp` on
//! `[-708, 0]` (probabilities) and `log1p` on `[0, inf)`; checked against `libm` in the tests

/// ln 2 split in a high part with trailing zero bits and a low part
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
const LOG2_E: f64 = std::f64::consts::LOG2_E;

/// `e^x` for `x <= 0` (0 below -708, where it would be subnormal)
#[inline]
pub(crate) fn exp_negative(x: f64) -> f64 {
    if x < -708.0 {
        return 0.0;
    }
    let n = (x * LOG2_E - 0.5).ceil();
    let r = (x - n * LN2_HI) - n * LN2_LO;
    // Taylor series of e^r for |r| <= 0.347 to degree 13 (truncation error < 3e-18)
    let mut p = 1.0 / 6_227_020_800.0;
    for d in [
        479_001_600.0,
        39_916_800.0,
        3_628_800.0,
        362_880.0,
        40_320.0,
        5_040.0,
        720.0,
        120.0,
        24.0,
        6.0,
        2.0,
        1.0,
        1.0,
    ] {
        p = p * r + 1.0 / d;
    }
    let scale = f64::from_bits(((n as i64 + 1023) as u64) << 52);
    p * scale
}

/// `ln(1 + x)` for `x >= 0`
#[inline]
pub(crate) fn log1p_positive(x: f64) -> f64 {
    let y = 1.0 + x;
    if y == 1.0 {
        // x below half an ulp of 1: ln(1 + x) = x to double precision
        return x;
    }
    // the rounding error of 1 + x, relative to y (fdlibm's correction term)
    let correction = (x - (y - 1.0)) / y;
    let bits = y.to_bits();
    let mut exponent = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut mantissa = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if mantissa > std::f64::consts::SQRT_2 {
        mantissa *= 0.5;
        exponent += 1;
    }
    // ln(m) = 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.1716
    let f = mantissa - 1.0;
    let s = f / (2.0 + f);
    let s2 = s * s;
    let mut series = 1.0 / 21.0;
    for odd in [19.0, 17.0, 15.0, 13.0, 11.0, 9.0, 7.0, 5.0, 3.0, 1.0] {
        series = series * s2 + 1.0 / odd;
    }
    let e = exponent as f64;
    e * LN2_HI + (2.0 * s * series + (e * LN2_LO + correction))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn relative(a: f64, b: f64) -> f64 {
        if a == b { 0.0 } else { ((a - b) / b).abs() }
    }

    #[test]
    fn exp_matches_libm() {
        let mut worst: f64 = 0.0;
        for i in 0..200_000 {
            let x = -708.0 * (f64::from(i) / 200_000.0).powi(3);
            worst = worst.max(relative(exp_negative(x), libm::exp(x)));
        }
        for x in [
            0.0,
            -1e-300,
            -1e-10,
            -0.5,
            -0.34657359,
            -0.34657360,
            -1.0,
            -50.0,
        ] {
            worst = worst.max(relative(exp_negative(x), libm::exp(x)));
        }
        assert!(worst < 4e-15, "worst relative error {worst}");
        assert_eq!(exp_negative(-800.0), 0.0);
        assert_eq!(exp_negative(0.0), 1.0);
    }

    #[test]
    fn log1p_matches_libm() {
        let mut worst: f64 = 0.0;
        for i in 0..200_000 {
            let x = 1e-12 * (1e18f64).powf(f64::from(i) / 200_000.0);
            worst = worst.max(relative(log1p_positive(x), libm::log1p(x)));
        }
        for x in [1e-300, 1e-17, 1e-8, 0.4142135, 0.4142136, 1.0, 3.0, 1e300] {
            worst = worst.max(relative(log1p_positive(x), libm::log1p(x)));
        }
        assert!(worst < 4e-15, "worst relative error {worst}");
        assert_eq!(log1p_positive(0.0), 0.0);
    }
}
