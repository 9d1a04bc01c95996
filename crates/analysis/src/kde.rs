//! Gaussian kernel density estimates for violin plots.

use crate::quantile::quantile;

/// One point of a density curve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DensityPoint {
    /// Where the density is evaluated.
    pub value: f64,
    /// Estimated density (integrates to about 1 over the whole line).
    pub density: f64,
}

/// Kernels further than this many bandwidths away are ignored (their weight is below 1e-14).
const CUTOFF_BANDWIDTHS: f64 = 8.0;

/// Density of sorted values at `n_points` evenly spaced points from the smallest to the largest
/// value, with Silverman's rule-of-thumb bandwidth `0.9 min(sd, IQR / 1.34) n^(-1/5)`.
///
/// Empty when there are fewer than two distinct values (no spread to estimate).
pub(crate) fn gaussian_kde(sorted: &[f64], n_points: usize) -> Vec<DensityPoint> {
    let (Some(&low), Some(&high)) = (sorted.first(), sorted.last()) else {
        return Vec::new();
    };
    if low == high || n_points < 2 {
        return Vec::new();
    }
    let n = sorted.len() as f64;
    let mean = sorted.iter().sum::<f64>() / n;
    let sd = (sorted.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0)).sqrt();
    let iqr = quantile(sorted, 0.75) - quantile(sorted, 0.25);
    let spread = if iqr > 0.0 { sd.min(iqr / 1.34) } else { sd };
    let bandwidth = 0.9 * spread * libm::pow(n, -0.2);
    let norm = 1.0 / (n * bandwidth * (2.0 * std::f64::consts::PI).sqrt());
    (0..n_points)
        .map(|i| {
            let value = low + (high - low) * i as f64 / (n_points - 1) as f64;
            let from = sorted.partition_point(|&x| x < value - CUTOFF_BANDWIDTHS * bandwidth);
            let to = sorted.partition_point(|&x| x <= value + CUTOFF_BANDWIDTHS * bandwidth);
            let sum: f64 = sorted[from..to]
                .iter()
                .map(|&x| {
                    let z = (value - x) / bandwidth;
                    libm::exp(-0.5 * z * z)
                })
                .sum();
            DensityPoint {
                value,
                density: sum * norm,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approximates_a_known_density() {
        // Evenly spread values on [0, 1]: the density in the middle is close to 1.
        let sorted: Vec<f64> = (0..2001).map(|i| i as f64 / 2000.0).collect();
        let curve = gaussian_kde(&sorted, 65);
        assert_eq!(curve.len(), 65);
        assert_eq!(curve[0].value, 0.0);
        assert_eq!(curve[64].value, 1.0);
        assert!(
            (curve[32].density - 1.0).abs() < 0.02,
            "{}",
            curve[32].density
        );
        // Edges lose about half their kernel mass.
        assert!((curve[0].density - 0.5).abs() < 0.05);
    }

    #[test]
    fn no_spread_gives_no_curve() {
        assert!(gaussian_kde(&[2.0, 2.0, 2.0], 64).is_empty());
        assert!(gaussian_kde(&[], 64).is_empty());
        assert_eq!(gaussian_kde(&[0.0, 0.0, 1.0], 8).len(), 8);
    }
}
