//! Gamma draws (Marsaglia-Tsang squeeze method), with `libm` on the rare slow path

use rand_pcg::Pcg64;

use super::normal::Ziggurat;
use super::seed::uniform_open;

/// One draw of Gamma(shape, scale 1); `shape` must be positive
pub fn gamma(shape: f64, normal: &Ziggurat, rng: &mut Pcg64) -> f64 {
    if shape < 1.0 {
        // Gamma(a) = Gamma(a + 1) * U^(1/a)
        let boost = libm::exp(libm::log(uniform_open(rng)) / shape);
        return gamma_at_least_one(shape + 1.0, normal, rng) * boost;
    }
    gamma_at_least_one(shape, normal, rng)
}

/// Marsaglia-Tsang for shape >= 1
fn gamma_at_least_one(shape: f64, normal: &Ziggurat, rng: &mut Pcg64) -> f64 {
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x = normal.sample(rng);
        let base = 1.0 + c * x;
        if base <= 0.0 {
            continue;
        }
        let v = base * base * base;
        let u = uniform_open(rng);
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
            let x = gamma(shape, &normal, &mut rng);
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
