//! Negative binomial over-dispersion per gene and cell type, beyond the latent factors
//!
//! Method of moments: `phi_raw = sum_i ((c - m)^2 - m) / sum_i m^2` with `m = l_i p[g]`
//! (group profile, cell library size). For latent genes, the variance the factors already
//! produce (`exp(sigma^2) - 1`) is subtracted. A
//! gene's estimate has variance about `2 / sum_i m^2`, so it is shrunk towards the pooled
//! estimate of genes of similar mean (15 bins over genes with a mean of at least 0.1 counts,
//! where the estimates carry information; pooled as `sum excess / sum m^2`, because single-gene
//! estimates are too skewed for a median) with weight `S / (S + 10)`, `S = sum_i m^2`. Clamped
//! to [0.001, 20]; genes below the bins (and unmeasured genes) take the lowest bin's value.

/// Smallest dispersion
pub(crate) const MIN_DISPERSION: f64 = 1e-3;
/// Largest dispersion
pub(crate) const MAX_DISPERSION: f64 = 20.0;
/// Sum of squared expected counts at which the gene's own estimate has weight 1/2
const HALF_WEIGHT_SQUARES: f64 = 10.0;
/// Genes with a lower mean count per cell do not inform the trend
const TREND_MIN_MEAN: f64 = 0.1;
/// Mean bins for the trend
const BINS: usize = 15;

/// Per-gene moment sums of one cell type
#[derive(Debug, Clone)]
pub(crate) struct Moments {
    /// sum_i (c - m)^2 - m
    pub excess: Vec<f64>,
    /// sum_i m^2
    pub squared: Vec<f64>,
    /// sum_i m
    pub expected: Vec<f64>,
    /// Cells
    pub n_cells: usize,
}

impl Moments {
    /// Empty sums over `n_genes`
    pub(crate) fn new(n_genes: usize) -> Moments {
        Moments {
            excess: vec![0.0; n_genes],
            squared: vec![0.0; n_genes],
            expected: vec![0.0; n_genes],
            n_cells: 0,
        }
    }

    /// Adds one cell with library `library`, profile `profile` and sparse counts
    pub(crate) fn add(&mut self, library: f64, profile: &[f64], genes: &[u32], counts: &[u32]) {
        self.n_cells += 1;
        for (g, &p) in profile.iter().enumerate() {
            let m = library * p;
            self.excess[g] += m * m - m;
            self.squared[g] += m * m;
            self.expected[g] += m;
        }
        for (&gene, &count) in genes.iter().zip(counts) {
            let m = library * profile[gene as usize];
            let c = f64::from(count);
            // replace the zero-count term (m^2 - m) by (c - m)^2 - m
            self.excess[gene as usize] += (c - m) * (c - m) - m * m;
        }
    }

    /// The raw estimate per gene (None without expected counts)
    pub(crate) fn raw(&self) -> Vec<Option<f64>> {
        (0..self.excess.len())
            .map(|g| (self.squared[g] > 0.0).then(|| self.excess[g] / self.squared[g]))
            .collect()
    }

    /// Mean count per cell per gene
    pub(crate) fn mean_count(&self) -> Vec<f64> {
        let n = self.n_cells.max(1) as f64;
        self.expected.iter().map(|e| e / n).collect()
    }
}

/// Shrunk dispersions: `raw` corrected by `latent_extra` (per gene), trend over measured genes
pub(crate) fn shrink(moments: &Moments, latent_extra: &[f64], measured: &[bool]) -> Vec<f32> {
    let raw = moments.raw();
    let mean = moments.mean_count();
    // (log mean, excess corrected for the latent variance, sum of m^2) of informative genes
    let mut binned: Vec<(f64, f64, f64)> = (0..raw.len())
        .filter(|&g| measured[g] && mean[g] >= TREND_MIN_MEAN && moments.squared[g] > 0.0)
        .map(|g| {
            let excess = moments.excess[g] - latent_extra[g] * moments.squared[g];
            (mean[g].ln(), excess, moments.squared[g])
        })
        .collect();
    binned.sort_by(|a, b| a.0.total_cmp(&b.0));
    let per_bin = binned.len().div_ceil(BINS).max(1);
    // pooled ratio per bin: the per-gene estimates are too skewed for a median
    let bins: Vec<(f64, f64)> = binned
        .chunks(per_bin)
        .map(|chunk| {
            let excess: f64 = chunk.iter().map(|(_, e, _)| e).sum();
            let squared: f64 = chunk.iter().map(|(_, _, s)| s).sum();
            (chunk[chunk.len() - 1].0, excess / squared)
        })
        .collect();
    let trend = |log_mean: f64| -> f64 {
        bins.iter()
            .find(|(upper, _)| log_mean <= *upper)
            .or(bins.last())
            .map_or(0.1, |(_, median)| *median)
            .clamp(MIN_DISPERSION, MAX_DISPERSION)
    };
    let lowest = bins
        .first()
        .map_or(0.1, |(_, median)| *median)
        .clamp(MIN_DISPERSION, MAX_DISPERSION);
    (0..raw.len())
        .map(|g| {
            let value = match raw[g] {
                Some(own) if measured[g] && mean[g] > 0.0 => {
                    let weight = moments.squared[g] / (moments.squared[g] + HALF_WEIGHT_SQUARES);
                    let prior = trend(mean[g].ln());
                    weight * (own - latent_extra[g]) + (1.0 - weight) * prior
                }
                _ => lowest,
            };
            value.clamp(MIN_DISPERSION, MAX_DISPERSION) as f32
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use synthome_sc_model::cell_stream;

    #[test]
    fn recovers_the_dispersion_of_simulated_counts() {
        let n_genes = 40;
        let profile: Vec<f64> = (0..n_genes)
            .map(|g| if g < 20 { 0.04 } else { 0.01 })
            .collect();
        let mut moments = Moments::new(n_genes);
        let mut stream = cell_stream(1, 0, 0);
        for _ in 0..3000 {
            let library = 500.0 * (0.3 * stream.normal()).exp();
            let mut genes = Vec::new();
            let mut counts = Vec::new();
            for (g, &p) in profile.iter().enumerate() {
                let phi = if g < 20 { 0.5 } else { 0.1 };
                let count = stream.negative_binomial(library * p, phi);
                if count > 0 {
                    genes.push(g as u32);
                    counts.push(count);
                }
            }
            moments.add(library, &profile, &genes, &counts);
        }
        let measured = vec![true; n_genes];
        let phi = shrink(&moments, &vec![0.0; n_genes], &measured);
        assert!((phi[0] - 0.5).abs() < 0.08, "phi {}", phi[0]);
        assert!((phi[30] - 0.1).abs() < 0.06, "phi {}", phi[30]);
    }
}
