//! Count noise: the technical dispersion trend `phi(mu) = a + b / mu` from replicate pairs,
//! and gene-wise biological dispersion from the residual variance the factors leave

use synthome_analysis::median;

/// Median of a chi-square with 3 degrees of freedom over 3 (per-gene estimates average three
/// replicate pairs; the median across genes is corrected by it)
const MEDIAN_CHI2_3: f64 = 0.789;

/// The technical dispersion trend
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Technical {
    /// Asymptotic dispersion
    pub a: f64,
    /// Extra dispersion times mean at low counts
    pub b: f64,
}

impl Technical {
    /// Variance of log counts at mean `mu`: Poisson plus the trend
    pub(crate) fn log_variance(self, mu: f64) -> f64 {
        let mu = mu.max(0.5);
        1.0 / mu + self.a + self.b / mu
    }
}

/// Fits the trend from pairs of replicate libraries (`pairs[pair] = (reads_1, reads_2)` per
/// gene, both on the same genes and already in read units)
pub(crate) fn fit_technical(pairs: &[(Vec<f64>, Vec<f64>)]) -> Option<Technical> {
    let n_genes = pairs.first().map(|(a, _)| a.len())?;
    let mut estimates: Vec<(f64, f64)> = Vec::with_capacity(n_genes);
    let scaled: Vec<(Vec<f64>, Vec<f64>)> = pairs
        .iter()
        .map(|(x, y)| {
            let (sx, sy) = (x.iter().sum::<f64>(), y.iter().sum::<f64>());
            let target = 0.5 * (sx + sy);
            (
                x.iter().map(|v| v * target / sx.max(1.0)).collect(),
                y.iter().map(|v| v * target / sy.max(1.0)).collect(),
            )
        })
        .collect();
    for g in 0..n_genes {
        let (mut mean, mut variance) = (0.0, 0.0);
        for (x, y) in &scaled {
            let m = 0.5 * (x[g] + y[g]);
            mean += m;
            variance += 0.5 * (x[g] - y[g]).powi(2);
        }
        mean /= scaled.len() as f64;
        variance /= scaled.len() as f64;
        if mean >= 3.0 {
            estimates.push((mean, (variance - mean) / (mean * mean)));
        }
    }
    let bin = |low: f64, high: f64| -> Option<(f64, f64)> {
        let inside: Vec<&(f64, f64)> = estimates
            .iter()
            .filter(|(m, _)| *m >= low && *m < high)
            .collect();
        if inside.len() < 20 {
            return None;
        }
        let phi = median(&inside.iter().map(|(_, p)| *p).collect::<Vec<_>>())? / MEDIAN_CHI2_3;
        let centre = median(&inside.iter().map(|(m, _)| *m).collect::<Vec<_>>())?;
        Some((centre, phi))
    };
    let a = [(1_000.0, 3_000.0), (3_000.0, 10_000.0), (10_000.0, 1e9)]
        .iter()
        .filter_map(|&(low, high)| bin(low, high))
        .map(|(_, phi)| phi)
        .collect::<Vec<_>>();
    let a = median(&a)?.max(0.0);
    let b_values: Vec<f64> = [(10.0, 30.0), (30.0, 100.0), (100.0, 300.0)]
        .iter()
        .filter_map(|&(low, high)| bin(low, high))
        .map(|(centre, phi)| ((phi - a) * centre).max(0.0))
        .collect();
    let b = median(&b_values).unwrap_or(0.0);
    Some(Technical { a, b })
}

/// Biological dispersion per gene from residual log variance `residual` (after the factors)
/// at mean count `mu`: `exp(max(residual - technical, 0)) - 1` (log-normal moment match)
pub(crate) fn biological(residual: f64, mu: f64, technical: Technical) -> f64 {
    ((residual - technical.log_variance(mu)).max(0.0)).exp_m1()
}

/// A step trend of `values` against `levels`: medians in `n_bins` quantile bins, as (upper
/// level, median) pairs ascending
pub(crate) fn trend(levels: &[f64], values: &[f64], n_bins: usize) -> Vec<(f64, f64)> {
    let mut order: Vec<usize> = (0..levels.len()).collect();
    order.sort_by(|&i, &j| levels[i].total_cmp(&levels[j]));
    let per_bin = order.len().div_ceil(n_bins.max(1)).max(1);
    order
        .chunks(per_bin)
        .filter_map(|chunk| {
            let upper = levels[*chunk.last()?];
            let median = median(&chunk.iter().map(|&i| values[i]).collect::<Vec<_>>())?;
            Some((upper, median))
        })
        .collect()
}

/// The trend's value at `level` (the first bin whose upper level reaches it, else the last)
pub(crate) fn at(trend: &[(f64, f64)], level: f64) -> f64 {
    trend
        .iter()
        .find(|(upper, _)| level <= *upper)
        .or(trend.last())
        .map_or(0.0, |(_, value)| *value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poisson_replicates_give_a_small_trend_and_trends_step() {
        // Replicates that differ by exactly their Poisson spread: phi near zero
        let means: Vec<f64> = (0..400).map(|g| 20.0 * 1.03f64.powi(g)).collect();
        let x: Vec<f64> = means
            .iter()
            .enumerate()
            .map(|(g, m)| m + if g % 2 == 0 { m.sqrt() } else { -m.sqrt() })
            .collect();
        let y: Vec<f64> = means
            .iter()
            .enumerate()
            .map(|(g, m)| m - if g % 2 == 0 { m.sqrt() } else { -m.sqrt() })
            .collect();
        let technical =
            fit_technical(&[(x.clone(), y.clone()), (x.clone(), y.clone()), (x, y)]).expect("fit");
        assert!(technical.a.abs() < 0.01, "{technical:?}");
        assert!(biological(0.5, 1e6, technical) > 0.5);
        assert_eq!(biological(0.0, 10.0, technical), 0.0);
        let steps = trend(&[1.0, 2.0, 3.0, 4.0], &[10.0, 20.0, 30.0, 40.0], 2);
        assert_eq!(steps, vec![(2.0, 15.0), (4.0, 35.0)]);
        assert_eq!(at(&steps, 0.5), 15.0);
        assert_eq!(at(&steps, 9.0), 35.0);
    }
}
