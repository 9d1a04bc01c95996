//! Latent factors: principal axes of the per-sample residuals (sample means and the sex effect
//! removed), from the eigen-decomposition of the samples' Gram matrix

use synthome_analysis::{JacobiStop, symmetric_eigen};

/// Fitted factors on a subset of genes
#[derive(Debug, Clone)]
pub(crate) struct LatentFit {
    /// Number of factors kept
    pub n_factors: usize,
    /// Loadings, factor-major over the universe (0 for genes without per-sample data)
    pub loadings: Vec<f32>,
    /// Per subset gene: residual variance
    pub total: Vec<f64>,
    /// Per subset gene: variance carried by the factors
    pub explained: Vec<f64>,
    /// Variance of each kept factor summed over genes
    pub factor_variance: Vec<f64>,
}

/// Fits up to `max_factors` factors from `residuals[sample][subset gene]` with `dof` degrees
/// of freedom; `genes[subset gene]` is the universe index
pub(crate) fn fit(
    residuals: &[Vec<f64>],
    dof: f64,
    genes: &[usize],
    n_universe: usize,
    max_factors: usize,
) -> LatentFit {
    let n = residuals.len();
    let n_subset = genes.len();
    let mut gram = vec![0.0; n * n];
    for i in 0..n {
        for j in i..n {
            let dot: f64 = residuals[i]
                .iter()
                .zip(&residuals[j])
                .map(|(a, b)| a * b)
                .sum();
            gram[i * n + j] = dot;
            gram[j * n + i] = dot;
        }
    }
    let eigen =
        symmetric_eigen(&gram, n, JacobiStop::RELATIVE_TO_DIAGONAL).with_largest_entries_positive();
    let values = &eigen.values;
    let dof = dof.max(1.0);
    let tolerance = values.first().copied().unwrap_or(0.0) * 1e-9;
    let n_factors = values
        .iter()
        .take(max_factors.min(dof.floor() as usize))
        .take_while(|&&value| value > tolerance)
        .count();
    let mut loadings = vec![0.0f32; n_factors * n_universe];
    let mut explained = vec![0.0; n_subset];
    let mut factor_variance = Vec::with_capacity(n_factors);
    for k in 0..n_factors {
        let scale = 1.0 / dof.sqrt();
        let mut variance = 0.0;
        for (s, &gene) in genes.iter().enumerate() {
            let mut value = 0.0;
            for (i, residual) in residuals.iter().enumerate() {
                value += residual[s] * eigen.vectors[k][i];
            }
            let loading = value * scale;
            loadings[k * n_universe + gene] = loading as f32;
            explained[s] += loading * loading;
            variance += loading * loading;
        }
        factor_variance.push(variance);
    }
    let total = (0..n_subset)
        .map(|s| residuals.iter().map(|r| r[s] * r[s]).sum::<f64>() / dof)
        .collect();
    LatentFit {
        n_factors,
        loadings,
        total,
        explained,
        factor_variance,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_strong_axis_is_recovered_with_its_variance() {
        // residuals along (1, -1, 2) with scores -2, -1, 0, 1, 2 (variance 2.5 with dof 4)
        let direction = [1.0, -1.0, 2.0];
        let scores = [-2.0, -1.0, 0.0, 1.0, 2.0];
        let residuals: Vec<Vec<f64>> = scores
            .iter()
            .map(|s| direction.iter().map(|d| d * s).collect())
            .collect();
        let fit = fit(&residuals, 4.0, &[0, 2, 3], 5, 3);
        assert_eq!(fit.n_factors, 1, "rank one");
        let loading = |g: usize| f64::from(fit.loadings[g]);
        assert!((loading(0).powi(2) - 2.5).abs() < 1e-5);
        assert!((loading(3).powi(2) - 10.0).abs() < 1e-4);
        assert_eq!(fit.loadings[1], 0.0);
        assert!((fit.total[1] - fit.explained[1]).abs() < 1e-6);
    }
}
