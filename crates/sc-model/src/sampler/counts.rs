//! Poisson and negative binomial counts
//!
//! A negative binomial count with mean `mu` and dispersion `phi` (variance `mu + phi mu^2`) is
//! drawn by inversion of its probability mass function when `mu < INVERSION_BELOW_MEAN` (one
//! `exp` and one `log1p`, then a product recursion: exact, and cheap where most single-cell
//! counts are 0 or 1). Larger means use the gamma-Poisson mixture, and a skewness-corrected
//! normal (first-order Cornish-Fisher: exact mean and variance) once `mu >= NORMAL_FROM_MEAN`
//! and the skewness is at most 0.75. Poisson draws use inversion below `NORMAL_FROM_MEAN`
//! and the corrected normal above it (skewness `1/sqrt(lambda)` < 0.19 there).

use super::fastmath::{exp_negative, log1p_positive};
use super::stream::Stream;

/// Negative binomial means below this are drawn by inversion
pub const INVERSION_BELOW_MEAN: f64 = 10.0;
/// Means from this on may use the corrected normal approximation
pub const NORMAL_FROM_MEAN: f64 = 30.0;
/// Largest skewness for which the corrected normal approximation is used
const MAX_APPROX_SKEWNESS: f64 = 0.75;
/// Dispersions below this are treated as Poisson
const POISSON_DISPERSION: f64 = 1e-8;
/// Inversion stops after this many steps (a safety bound far in the tail)
const MAX_STEPS: u32 = 100_000;

impl Stream {
    /// A Poisson count with mean `lambda` (>= 0)
    pub fn poisson(&mut self, lambda: f64) -> u32 {
        if lambda <= 0.0 {
            return 0;
        }
        if lambda >= NORMAL_FROM_MEAN {
            return self.corrected_normal(lambda, lambda, 1.0 / lambda.sqrt());
        }
        let u = self.uniform();
        // P(0) = exp(-lambda) >= 1 - lambda: most small-mean draws end here without exp
        if u < 1.0 - lambda {
            return 0;
        }
        let mut probability = exp_negative(-lambda);
        let mut cumulative = probability;
        let mut count = 0u32;
        while u > cumulative && count < MAX_STEPS {
            count += 1;
            probability *= lambda / f64::from(count);
            cumulative += probability;
            if probability == 0.0 && f64::from(count) > lambda {
                break;
            }
        }
        count
    }

    /// A negative binomial count with mean `mu` (>= 0) and dispersion `phi` (>= 0)
    pub fn negative_binomial(&mut self, mu: f64, phi: f64) -> u32 {
        if mu <= 0.0 {
            return 0;
        }
        if phi < POISSON_DISPERSION {
            return self.poisson(mu);
        }
        if mu < INVERSION_BELOW_MEAN {
            return self.negative_binomial_inversion(mu, phi);
        }
        if mu >= NORMAL_FROM_MEAN {
            let spread = phi * mu;
            let variance = mu * (1.0 + spread);
            let skewness = (1.0 + 2.0 * spread) / variance.sqrt();
            if skewness <= MAX_APPROX_SKEWNESS {
                return self.corrected_normal(mu, variance, skewness);
            }
        }
        let shape = 1.0 / phi;
        let lambda = mu * self.gamma(shape) / shape;
        self.poisson(lambda)
    }

    /// Inversion of the negative binomial mass function
    fn negative_binomial_inversion(&mut self, mu: f64, phi: f64) -> u32 {
        let size = 1.0 / phi;
        let spread = phi * mu;
        let success = spread / (1.0 + spread);
        let u = self.uniform();
        // P(0) = (1 + phi mu)^(-1/phi) >= exp(-mu) >= 1 - mu: skip the exp and log1p
        if u < 1.0 - mu {
            return 0;
        }
        let mut probability = exp_negative(-size * log1p_positive(spread));
        let mut cumulative = probability;
        let mut count = 0u32;
        while u > cumulative && count < MAX_STEPS {
            probability *= (f64::from(count) + size) / f64::from(count + 1) * success;
            count += 1;
            cumulative += probability;
            if probability == 0.0 && f64::from(count) > mu {
                break;
            }
        }
        count
    }

    /// A normal draw with a first-order skewness correction, rounded and clamped at 0
    fn corrected_normal(&mut self, mean: f64, variance: f64, skewness: f64) -> u32 {
        let n = self.normal();
        let a = skewness / 6.0;
        let standardised = (n + a * (n * n - 1.0)) / (1.0 + 2.0 * a * a).sqrt();
        let value = (mean + variance.sqrt() * standardised).round();
        if value <= 0.0 {
            0
        } else if value >= f64::from(u32::MAX) {
            u32::MAX
        } else {
            value as u32
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::sampler::cell_stream;

    /// Mean, variance, skewness and share of zeros of `n` draws
    fn moments(draw: &mut dyn FnMut() -> u32, n: u32) -> (f64, f64, f64, f64) {
        let draws: Vec<f64> = (0..n).map(|_| f64::from(draw())).collect();
        let n_f = f64::from(n);
        let mean = draws.iter().sum::<f64>() / n_f;
        let variance = draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n_f;
        let third = draws.iter().map(|x| (x - mean).powi(3)).sum::<f64>() / n_f;
        let zeros = draws.iter().filter(|&&x| x == 0.0).count() as f64 / n_f;
        (mean, variance, third / variance.powf(1.5), zeros)
    }

    #[test]
    fn negative_binomial_moments_and_zeros_match_in_every_regime() {
        let mut stream = cell_stream(5, 1, 2);
        for (mu, phi) in [
            (0.05, 0.5),
            (0.4, 2.0),
            (3.0, 0.1),
            (9.0, 5.0),
            (25.0, 2.0),
            (40.0, 0.05),
            (500.0, 0.02),
            (100.0, 0.0),
        ] {
            let (mean, variance, skewness, zeros) =
                moments(&mut || stream.negative_binomial(mu, phi), 200_000);
            let want_variance = mu + phi * mu * mu;
            let want_skewness = (1.0 + 2.0 * phi * mu) / want_variance.sqrt();
            let want_zeros = if phi > 0.0 {
                (1.0 + phi * mu).powf(-1.0 / phi)
            } else {
                (-mu).exp()
            };
            assert!(
                (mean / mu - 1.0).abs() < 0.03,
                "mu {mu} phi {phi}: mean {mean}"
            );
            assert!(
                (variance / want_variance - 1.0).abs() < 0.06,
                "mu {mu} phi {phi}: variance {variance} want {want_variance}"
            );
            assert!(
                (skewness - want_skewness).abs() < 0.15 + 0.1 * want_skewness,
                "mu {mu} phi {phi}: skewness {skewness} want {want_skewness}"
            );
            assert!(
                (zeros - want_zeros).abs() < 0.005,
                "mu {mu} phi {phi}: zeros {zeros} want {want_zeros}"
            );
        }
    }

    #[test]
    fn poisson_moments_match() {
        let mut stream = cell_stream(6, 0, 0);
        for lambda in [0.01, 0.7, 12.0, 29.0, 31.0, 2_000.0] {
            let (mean, variance, _, zeros) = moments(&mut || stream.poisson(lambda), 100_000);
            assert!(
                (mean / lambda - 1.0).abs() < 0.03,
                "lambda {lambda}: mean {mean}"
            );
            assert!(
                (variance / lambda - 1.0).abs() < 0.05,
                "lambda {lambda}: var {variance}"
            );
            assert!((zeros - (-lambda).exp()).abs() < 0.005);
        }
        assert_eq!(stream.poisson(0.0), 0);
        assert_eq!(stream.negative_binomial(0.0, 1.0), 0);
    }
}
