//! Gamma draws (Marsaglia-Tsang squeeze method), with `libm` on the rare slow path
//!
//! Written once for every model: each model brings its own stream of normal and uniform draws
//! (a [`GammaSource`]); the draws are taken in the same order whatever the source.

use rand_pcg::Pcg64;

use super::normal::Ziggurat;
use super::seed::uniform_open;

/// The draws a gamma draw consumes, from one model's random stream
pub trait GammaSource {
    /// A standard normal draw
    fn next_normal(&mut self) -> f64;
    /// A uniform draw in (0, 1)
    fn next_uniform_open(&mut self) -> f64;
}

/// The bulk model's source: ziggurat normals and uniforms from one sample's generator
#[derive(Debug)]
pub struct ZigguratSource<'a> {
    /// The normal tables
    pub normal: &'a Ziggurat,
    /// The sample's generator
    pub rng: &'a mut Pcg64,
}

impl GammaSource for ZigguratSource<'_> {
    #[inline]
    fn next_normal(&mut self) -> f64 {
        self.normal.sample(self.rng)
    }

    #[inline]
    fn next_uniform_open(&mut self) -> f64 {
        uniform_open(self.rng)
    }
}

/// One draw of Gamma(shape, scale 1); `shape` must be positive
pub fn gamma(shape: f64, source: &mut impl GammaSource) -> f64 {
    if shape < 1.0 {
        // Gamma(a) = Gamma(a + 1) * U^(1/a)
        let boost = libm::exp(libm::log(source.next_uniform_open()) / shape);
        return gamma_at_least_one(shape + 1.0, source) * boost;
    }
    gamma_at_least_one(shape, source)
}

/// Marsaglia-Tsang for shape >= 1
fn gamma_at_least_one(shape: f64, source: &mut impl GammaSource) -> f64 {
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x = source.next_normal();
        let base = 1.0 + c * x;
        if base <= 0.0 {
            continue;
        }
        let v = base * base * base;
        let u = source.next_uniform_open();
        let x2 = x * x;
        if u < 1.0 - 0.0331 * x2 * x2 {
            return d * v;
        }
        if libm::log(u) < 0.5 * x2 + d * (1.0 - v + libm::log(v)) {
            return d * v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sampler::sample_rng;

    fn check(shape: f64) {
        let normal = Ziggurat::new();
        let mut rng = sample_rng(11, 0, 0);
        let n = 200_000;
        let (mut sum, mut sum2) = (0.0, 0.0);
        for _ in 0..n {
            let x = gamma(
                shape,
                &mut ZigguratSource {
                    normal: &normal,
                    rng: &mut rng,
                },
            );
            assert!(x >= 0.0);
            sum += x;
            sum2 += x * x;
        }
        let mean = sum / f64::from(n);
        let variance = sum2 / f64::from(n) - mean * mean;
        assert!(
            (mean / shape - 1.0).abs() < 0.02,
            "shape {shape}: mean {mean}"
        );
        assert!(
            (variance / shape - 1.0).abs() < 0.05,
            "shape {shape}: variance {variance}"
        );
    }

    #[test]
    fn mean_and_variance_equal_the_shape() {
        for shape in [0.3, 1.0, 2.5, 20.0, 400.0] {
            check(shape);
        }
    }
}
