//! One random stream per cell: a `Pcg64` seeded from (seed, input, cell), with uniform,
//! normal (Marsaglia polar) and gamma (Marsaglia-Tsang) draws; the seeding, uniforms and gamma
//! draws are the bulk model's (`synthome_model::sampler`), the polar normals this model's own
//!
//! Results never depend on how cells are split across calls or threads.

use rand::RngCore;
use rand_pcg::Pcg64;
use synthome_model::sampler::{GammaSource, gamma, sample_rng, uniform, uniform_open};

/// Mixed into the query seed so the single-cell streams differ from the bulk model's
const DOMAIN_TAG: u64 = 0x5343_5F76_315F_5343;

/// The stream of one cell: the bulk model's per-sample generator for (seed with a
/// single-cell domain tag, input index, cell index within the input)
pub fn cell_stream(seed: u64, input: usize, cell: usize) -> Stream {
    Stream {
        rng: sample_rng(seed ^ DOMAIN_TAG, input, cell),
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
        uniform(&mut self.rng)
    }

    /// A uniform draw in (0, 1): never 0, so its logarithm is finite
    #[inline]
    pub fn uniform_open(&mut self) -> f64 {
        uniform_open(&mut self.rng)
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

    /// One draw of Gamma(shape, scale 1) (the family's Marsaglia-Tsang, from this stream's
    /// polar normals); `shape` must be positive
    pub fn gamma(&mut self, shape: f64) -> f64 {
        gamma(shape, self)
    }
}

impl GammaSource for Stream {
    #[inline]
    fn next_normal(&mut self) -> f64 {
        self.normal()
    }

    #[inline]
    fn next_uniform_open(&mut self) -> f64 {
        self.uniform_open()
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
