//! One random stream per cell: a `Pcg64` seeded from (seed, input, cell), with uniform,
//! normal (Marsaglia polar) and gamma (Marsaglia-Tsang) draws
//!
//! Results never depend on how cells are split across calls or threads.

use rand::{RngCore, SeedableRng};
use rand_pcg::Pcg64;

/// 2^-53, the step of 53-bit uniforms
const UNIT: f64 = 1.0 / 9_007_199_254_740_992.0;

/// The SplitMix64 finaliser: a bijective 64-bit mix
fn mix(mut value: u64) -> u64 {
    value = value.wrapping_add(0x9E37_79B9_7F4A_7C15);
    value = (value ^ (value >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    value = (value ^ (value >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    value ^ (value >> 31)
}

/// The stream of one cell: derived from the query seed, the input index and the cell index
/// within the input (with a single-cell domain tag, so it differs from the bulk model's)
pub fn cell_stream(seed: u64, input: usize, cell: usize) -> Stream {
    let tagged = mix(seed ^ 0x5343_5F76_315F_5343);
    let key = mix(mix(tagged ^ input as u64) ^ (cell as u64).rotate_left(32));
    Stream {
        rng: Pcg64::seed_from_u64(key),
        spare_normal: None,
    }
}

/// A seeded random stream with the draws the single-cell model needs
#[derive(Debug, Clone)]
pub struct Stream {
    rng: Pcg64,
    spare_normal: Option<f64>,
}

impl Stream {
    /// 64 random bits
    #[inline]
    pub fn bits(&mut self) -> u64 {
        self.rng.next_u64()
    }

    /// A uniform draw in [0, 1) with 53 random bits
    #[inline]
    pub fn uniform(&mut self) -> f64 {
        (self.rng.next_u64() >> 11) as f64 * UNIT
    }

    /// A uniform draw in (0, 1): never 0, so its logarithm is finite
    #[inline]
    pub fn uniform_open(&mut self) -> f64 {
        ((self.rng.next_u64() >> 11) as f64 + 0.5) * UNIT
    }

    /// A standard normal draw (Marsaglia's polar method; draws come in pairs)
    pub fn normal(&mut self) -> f64 {
        if let Some(spare) = self.spare_normal.take() {
            return spare;
        }
        loop {
            let u = 2.0 * self.uniform() - 1.0;
            let v = 2.0 * self.uniform() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                let factor = (-2.0 * libm::log(s) / s).sqrt();
                self.spare_normal = Some(v * factor);
                return u * factor;
            }
        }
    }

    /// One draw of Gamma(shape, scale 1); `shape` must be positive
    pub fn gamma(&mut self, shape: f64) -> f64 {
        if shape < 1.0 {
            // Gamma(a) = Gamma(a + 1) * U^(1/a)
            let boost = libm::exp(libm::log(self.uniform_open()) / shape);
            return self.gamma_at_least_one(shape + 1.0) * boost;
        }
        self.gamma_at_least_one(shape)
    }

    /// Marsaglia-Tsang for shape >= 1
    fn gamma_at_least_one(&mut self, shape: f64) -> f64 {
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let x = self.normal();
            let base = 1.0 + c * x;
            if base <= 0.0 {
                continue;
            }
            let v = base * base * base;
            let u = self.uniform_open();
            let x2 = x * x;
            if u < 1.0 - 0.0331 * x2 * x2 {
                return d * v;
            }
            if libm::log(u) < 0.5 * x2 + d * (1.0 - v + libm::log(v)) {
                return d * v;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_differ_by_input_and_cell_and_repeat_by_key() {
        let first = cell_stream(7, 0, 0).bits();
        assert_eq!(first, cell_stream(7, 0, 0).bits());
        assert_ne!(first, cell_stream(7, 0, 1).bits());
        assert_ne!(first, cell_stream(7, 1, 0).bits());
        assert_ne!(first, cell_stream(8, 0, 0).bits());
    }

    #[test]
    fn normal_draws_have_unit_variance_and_normal_tails() {
        let mut stream = cell_stream(3, 0, 0);
        let n = 200_000;
        let (mut sum, mut sum2, mut beyond2) = (0.0, 0.0, 0u32);
        for _ in 0..n {
            let x = stream.normal();
            sum += x;
            sum2 += x * x;
            if x.abs() > 2.0 {
                beyond2 += 1;
            }
        }
        let n_f = f64::from(n);
        assert!((sum / n_f).abs() < 0.01);
        assert!((sum2 / n_f - 1.0).abs() < 0.015);
        assert!((f64::from(beyond2) / n_f - 0.0455).abs() < 0.002);
    }

    #[test]
    fn gamma_mean_and_variance_equal_the_shape() {
        let mut stream = cell_stream(11, 0, 0);
        for shape in [0.3, 1.0, 2.5, 40.0] {
            let n = 100_000;
            let draws: Vec<f64> = (0..n).map(|_| stream.gamma(shape)).collect();
            let mean = draws.iter().sum::<f64>() / f64::from(n);
            let variance = draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / f64::from(n);
            assert!(
                (mean / shape - 1.0).abs() < 0.02,
                "shape {shape}: mean {mean}"
            );
            assert!(
                (variance / shape - 1.0).abs() < 0.05,
                "shape {shape}: variance {variance}"
            );
        }
    }
}
