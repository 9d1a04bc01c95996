//! `exp` and `ln(1 + x)` in f64 for the count sampler, from IEEE basic operations in a fixed
//! order and small tables (no library call after construction, no fused multiply-add), so
//! native and wasm builds give the same bits; several times faster than `libm` and within a
//! few units in the last place on the ranges the sampler uses (checked against `libm`)

/// Table entries: 2^(j/64) for exp, 64 mantissa intervals for ln
const ENTRIES: usize = 64;
/// ln 2 split into a high part with 21 trailing zero bits (so `n * LN2_HI` is exact for
/// |n| < 2^21) and the rest
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
/// ln 2 minus [`LN2_HI`]
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);

/// The tables, computed once with `libm` (the same bits everywhere)
#[derive(Debug, Clone)]
pub struct Elementary {
    /// 2^(j / 64)
    exp2: [f64; ENTRIES],
    /// 1 / c_j for the interval starts c_j = 1 + j / 64 of the mantissa
    inverse_start: [f64; ENTRIES],
    /// ln(c_j)
    ln_start: [f64; ENTRIES],
}

impl Default for Elementary {
    fn default() -> Elementary {
        Elementary::new()
    }
}

impl Elementary {
    /// Builds the tables
    pub fn new() -> Elementary {
        let mut exp2 = [0.0; ENTRIES];
        let mut inverse_start = [0.0; ENTRIES];
        let mut ln_start = [0.0; ENTRIES];
        for j in 0..ENTRIES {
            let fraction = j as f64 / ENTRIES as f64;
            exp2[j] = libm::exp2(fraction);
            let start = 1.0 + fraction;
            inverse_start[j] = 1.0 / start;
            ln_start[j] = libm::log(start);
        }
        Elementary {
            exp2,
            inverse_start,
            ln_start,
        }
    }

    /// e^x for `-708 <= x <= 0` (0 below -708, where the result would be subnormal)
    #[inline]
    pub fn exp_nonpositive(&self, x: f64) -> f64 {
        if x < -708.0 {
            return 0.0;
        }
        // n = round(64 x / ln 2) (half away from zero, by truncation: x <= 0), then
        // e^x = 2^(n >> 6) * 2^((n & 63) / 64) * e^r with |r| <= ln 2 / 128
        let n = (x * (ENTRIES as f64 * std::f64::consts::LOG2_E) - 0.5) as i64;
        let nf = n as f64;
        let r = (x - nf * (LN2_HI / ENTRIES as f64)) - nf * (LN2_LO / ENTRIES as f64);
        // Taylor series to degree 5 (truncation below 4e-17)
        let series =
            r * (1.0 + r * (1.0 / 2.0 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0)))));
        let power = f64::from_bits((((n >> 6) + 1023) as u64) << 52);
        let table = self.exp2[(n & (ENTRIES as i64 - 1)) as usize];
        (table + table * series) * power
    }

    /// ln(w) for `w >= 1`, plus `correction` (a small term, such as the rounding error of w)
    #[inline]
    pub fn ln_at_least_one(&self, w: f64, correction: f64) -> f64 {
        let bits = w.to_bits();
        let exponent = ((bits >> 52) & 0x7ff) as i64 - 1023;
        let mantissa = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
        let j = ((bits >> (52 - 6)) & (ENTRIES as u64 - 1)) as usize;
        // m = c_j (1 + t) with 0 <= t < 1/64 (t = m - 1 exactly when j = 0, so no
        // cancellation near w = 1): ln(1 + t) to degree 9 (truncation below 6e-18)
        let t = (mantissa - (1.0 + j as f64 / ENTRIES as f64)) * self.inverse_start[j];
        let series = t
            * (1.0
                - t * (1.0 / 2.0
                    - t * (1.0 / 3.0
                        - t * (1.0 / 4.0
                            - t * (1.0 / 5.0
                                - t * (1.0 / 6.0
                                    - t * (1.0 / 7.0 - t * (1.0 / 8.0 - t * (1.0 / 9.0)))))))));
        let e = exponent as f64;
        e * LN2_HI + (self.ln_start[j] + (series + (e * LN2_LO + correction)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn relative(a: f64, b: f64) -> f64 {
        if a == b { 0.0 } else { ((a - b) / b).abs() }
    }

    #[test]
    fn exp_matches_libm_on_its_range() {
        let elementary = Elementary::new();
        let mut worst: f64 = 0.0;
        for i in 0..300_000 {
            let x = -708.0 * (f64::from(i) / 300_000.0).powi(3);
            worst = worst.max(relative(elementary.exp_nonpositive(x), libm::exp(x)));
        }
        for x in [
            0.0, -1e-300, -1e-12, -0.005_415, -0.005_416, -0.5, -1.0, -10.0,
        ] {
            worst = worst.max(relative(elementary.exp_nonpositive(x), libm::exp(x)));
        }
        assert!(worst < 2e-15, "worst relative error {worst}");
        assert_eq!(elementary.exp_nonpositive(0.0), 1.0);
        assert_eq!(elementary.exp_nonpositive(-800.0), 0.0);
    }

    #[test]
    fn ln_of_one_plus_x_matches_libm_on_its_range() {
        let elementary = Elementary::new();
        let mut worst: f64 = 0.0;
        let ln_1p = |x: f64| {
            // As the sampler calls it: the rounding error of 1 + x as the correction
            let w = 1.0 + x;
            elementary.ln_at_least_one(w, (x - (w - 1.0)) / w)
        };
        for i in 0..300_000 {
            let x = 1e-4 * 1e12f64.powf(f64::from(i) / 300_000.0);
            worst = worst.max(relative(ln_1p(x), libm::log1p(x)));
        }
        for x in [1e-4, 0.0078, 0.5, 0.999_999, 1.0, 3.0, 1e300] {
            worst = worst.max(relative(ln_1p(x), libm::log1p(x)));
        }
        assert!(worst < 2e-15, "worst relative error {worst}");
        assert_eq!(elementary.ln_at_least_one(1.0, 0.0), 0.0);
    }
}
