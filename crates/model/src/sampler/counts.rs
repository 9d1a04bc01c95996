//! Negative binomial (gamma-Poisson) counts: exact where counts are small or skewed, a
//! skewness-corrected normal approximation where they are large
//!
//! A count with mean `mu` and dispersion `phi` has variance `mu + phi * mu^2` and skewness
//! `(1 + 2 phi mu) / sqrt(mu (1 + phi mu))`. When `mu >= EXACT_BELOW_MEAN` and the skewness is
//! at most [`MAX_APPROX_SKEWNESS`], one normal draw `n` becomes
//! `round(mu + sd * (n + g/6 (n^2 - 1)) / sqrt(1 + g^2/18))` (a first-order Cornish-Fisher
//! expansion: exact mean and variance, skewness matched to first order). Otherwise the draw is
//! exact: `lambda ~ mu * Gamma(1/phi, phi)` (skipped when `phi * mu <= 0.01`, where it changes
//! the variance by under 1 %), then Poisson(lambda) by inversion when
//! `lambda < EXACT_BELOW_MEAN` and by the same corrected normal above it (Poisson skewness
//! `1/sqrt(lambda)` is then below 0.32). The accuracy is checked in this module's tests.

use rand_pcg::Pcg64;

use super::gamma::gamma;
use super::normal::Ziggurat;
use super::seed::uniform;

/// Means below this are drawn exactly (gamma, then Poisson by inversion)
pub const EXACT_BELOW_MEAN: f64 = 10.0;
/// Largest skewness for which the corrected normal approximation is used
pub const MAX_APPROX_SKEWNESS: f64 = 0.75;

/// Draws negative binomial counts with a shared ziggurat
#[derive(Debug, Clone, Copy)]
pub struct CountSampler<'a> {
    normal: &'a Ziggurat,
}

impl<'a> CountSampler<'a> {
    /// A sampler over these normal tables
    pub fn new(normal: &'a Ziggurat) -> CountSampler<'a> {
        CountSampler { normal }
    }

    /// One count with mean `mu` (>= 0) and dispersion `phi` (>= 0)
    #[inline]
    pub fn draw(&self, mu: f64, phi: f64, rng: &mut Pcg64) -> u32 {
        if mu <= 0.0 {
            return 0;
        }
        if mu >= EXACT_BELOW_MEAN {
            let spread = phi * mu;
            let variance = mu * (1.0 + spread);
            let skewness = (1.0 + 2.0 * spread) / variance.sqrt();
            if skewness <= MAX_APPROX_SKEWNESS {
                return self.corrected_normal(mu, variance, skewness, rng);
            }
        }
        // When phi * mu is tiny the gamma mixing changes the variance by under 1 %: Poisson
        let lambda = if phi * mu > 0.01 {
            let shape = 1.0 / phi;
            mu * gamma(shape, self.normal, rng) / shape
        } else {
            mu
        };
        self.poisson(lambda, rng)
    }

    /// Poisson: inversion for small means, corrected normal for large ones
    fn poisson(&self, lambda: f64, rng: &mut Pcg64) -> u32 {
        if lambda <= 0.0 {
            return 0;
        }
        if lambda >= EXACT_BELOW_MEAN {
            return self.corrected_normal(lambda, lambda, 1.0 / lambda.sqrt(), rng);
        }
        let mut probability = libm::exp(-lambda);
        let mut cumulative = probability;
        let u = uniform(rng);
        let mut count = 0u32;
        while u > cumulative && count < 10_000 {
            count += 1;
            probability *= lambda / f64::from(count);
            cumulative += probability;
            if probability == 0.0 && f64::from(count) > lambda {
                break;
            }
        }
        count
    }

    /// A normal draw with a first-order skewness correction, rounded and clamped at 0
    #[inline]
    fn corrected_normal(&self, mean: f64, variance: f64, skewness: f64, rng: &mut Pcg64) -> u32 {
        let n = self.normal.sample(rng);
        let a = skewness / 6.0;
        let standardised = (n + a * (n * n - 1.0)) / (1.0 + 2.0 * a * a).sqrt();
        let value = mean + variance.sqrt() * standardised;
        // Round half up by truncation (one instruction; `round` is a library call)
        if value < 0.5 {
            0
        } else if value >= f64::from(u32::MAX) {
            u32::MAX
        } else {
            (value + 0.5) as u32
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sampler::sample_rng;

    /// Mean, variance and skewness of `n` draws
    fn moments(mu: f64, phi: f64, n: u32) -> (f64, f64, f64) {
        let normal = Ziggurat::new();
        let sampler = CountSampler::new(&normal);
        let mut rng = sample_rng(5, 1, 2);
        let draws: Vec<f64> = (0..n)
            .map(|_| f64::from(sampler.draw(mu, phi, &mut rng)))
            .collect();
        let mean = draws.iter().sum::<f64>() / f64::from(n);
        let variance = draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / f64::from(n);
        let third = draws.iter().map(|x| (x - mean).powi(3)).sum::<f64>() / f64::from(n);
        (mean, variance, third / variance.powf(1.5))
    }

    #[test]
    fn moments_match_the_negative_binomial_in_every_regime() {
        // (mu, phi): exact small, exact skewed, approximated large, Poisson
        for (mu, phi) in [
            (0.2, 0.5),
            (3.0, 0.1),
            (25.0, 2.0),
            (40.0, 0.05),
            (500.0, 0.02),
            (5000.0, 0.4),
            (20000.0, 0.01),
            (100.0, 0.0),
        ] {
            let (mean, variance, skewness) = moments(mu, phi, 200_000);
            let want_variance = mu + phi * mu * mu;
            let want_skewness = (1.0 + 2.0 * phi * mu) / want_variance.sqrt();
            assert!(
                (mean / mu - 1.0).abs() < 0.02,
                "mu {mu} phi {phi}: mean {mean}"
            );
            assert!(
                (variance / want_variance - 1.0).abs() < 0.04,
                "mu {mu} phi {phi}: variance {variance} want {want_variance}"
            );
            assert!(
                (skewness - want_skewness).abs() < 0.1 + 0.1 * want_skewness,
                "mu {mu} phi {phi}: skewness {skewness} want {want_skewness}"
            );
        }
    }

    #[test]
    fn small_means_give_the_right_share_of_zeros() {
        let normal = Ziggurat::new();
        let sampler = CountSampler::new(&normal);
        let mut rng = sample_rng(9, 0, 0);
        let (mu, phi) = (1.5_f64, 0.3_f64);
        let n = 200_000;
        let zeros = (0..n)
            .filter(|_| sampler.draw(mu, phi, &mut rng) == 0)
            .count();
        let want = (1.0 + phi * mu).powf(-1.0 / phi);
        assert!((zeros as f64 / f64::from(n) - want).abs() < 0.005);
        assert_eq!(sampler.draw(0.0, 0.3, &mut rng), 0);
    }
}
