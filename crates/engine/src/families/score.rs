//! How well each training class explains a sample's counts: a Gaussian likelihood of the
//! sample's log proportions around the class's profile, with a free library offset and the
//! model's latent factors integrated out, over the model's most informative genes that the
//! sample expresses.
//!
//! For a sample with counts `x` (library `N`) and the genes `S` = informative genes with
//! `x_g > 0` (genes a user does not have are 0 and so simply not used):
//!
//! ```text
//! y_g = ln(x_g / N)                       the sample's log proportions
//! w_g = 1 / (phi_g + MISMATCH + 1 / x_g)  inverse variance: NB dispersion, profile mismatch, Poisson
//! r_g = y_g - m_cg - b                    residual from class c, b its weighted mean (free offset)
//! score_c = -1/2 (r^T W r - v^T A^-1 v)   v = L W r, A = L W L^T + I (latent z ~ N(0, I)
//!                                          integrated out; A^-1 v is z's posterior mean)
//! ```
//! with `L` the loadings centred by their weighted mean. `A` depends on the sample only, so its
//! log-determinant cancels between classes.

use crate::families::FamilyError;
use crate::families::linalg::Cholesky;

/// Log-scale variance of a real sample around its class profile that neither the count noise
/// nor the latent factors explain (profiles are summaries of other samples)
const MISMATCH: f64 = 0.25;
/// Fewest informative genes a sample must express to be scored (models with fewer than twice
/// as many informative genes need half of theirs)
pub const MIN_EXPRESSED_GENES: usize = 50;

/// The genes a sample is scored on and their weights, with the latent system for them
pub struct SampleFit {
    /// Gene indices used
    pub genes: Vec<usize>,
    /// Their positions in the informative genes (where class profiles hold them)
    positions: Vec<usize>,
    /// y_g for those genes
    y: Vec<f64>,
    /// w_g for those genes
    w: Vec<f64>,
    /// Centred loadings over the genes used, factor-major (`k * genes.len() + j`)
    loadings: Vec<f64>,
    /// Number of factors
    n_factors: usize,
    /// Cholesky factor of A
    system: Option<Cholesky>,
}

/// One class's fit to a sample
#[derive(Debug, Clone, PartialEq)]
pub struct ClassFit {
    /// The log likelihood (up to a constant shared by all classes)
    pub score: f64,
    /// Posterior mean of the latent factors
    pub z: Vec<f64>,
    /// The fitted library offset b (log scale)
    pub offset: f64,
}

impl SampleFit {
    /// Prepares the fit of `counts` on the genes `informative` (indices into the model's
    /// genes), with the model's `dispersion` and latent `loadings` (factor-major over all
    /// `n_genes`; empty without factors)
    pub fn new(
        counts: &[f64],
        informative: &[usize],
        dispersion: &[f32],
        loadings: &[f32],
        n_factors: usize,
    ) -> Result<SampleFit, FamilyError> {
        let n_genes = counts.len();
        let library: f64 = counts.iter().sum();
        let positions: Vec<usize> = (0..informative.len())
            .filter(|&position| counts[informative[position]] > 0.0)
            .collect();
        let genes: Vec<usize> = positions
            .iter()
            .map(|&position| informative[position])
            .collect();
        let needed = MIN_EXPRESSED_GENES
            .min(informative.len().div_ceil(2))
            .max(1);
        if genes.len() < needed {
            return Err(FamilyError::TooFewGenes {
                expressed: genes.len(),
                informative: informative.len(),
                needed,
            });
        }
        let y: Vec<f64> = genes
            .iter()
            .map(|&gene| (counts[gene] / library).ln())
            .collect();
        let w: Vec<f64> = genes
            .iter()
            .map(|&gene| {
                let phi = f64::from(dispersion.get(gene).copied().unwrap_or(0.0));
                1.0 / (phi + MISMATCH + 1.0 / counts[gene])
            })
            .collect();
        let w_sum: f64 = w.iter().sum();
        let n = genes.len();
        let mut centred = Vec::with_capacity(n_factors * n);
        for factor in 0..n_factors {
            let row: Vec<f64> = genes
                .iter()
                .map(|&gene| f64::from(loadings[factor * n_genes + gene]))
                .collect();
            let mean = row.iter().zip(&w).map(|(l, w)| l * w).sum::<f64>() / w_sum;
            centred.extend(row.iter().map(|l| l - mean));
        }
        let system = (n_factors > 0).then(|| {
            let mut a = vec![0.0f64; n_factors * n_factors];
            for i in 0..n_factors {
                for j in 0..=i {
                    let li = &centred[i * n..(i + 1) * n];
                    let lj = &centred[j * n..(j + 1) * n];
                    let value: f64 = li.iter().zip(lj).zip(&w).map(|((a, b), w)| a * b * w).sum();
                    a[i * n_factors + j] = value + if i == j { 1.0 } else { 0.0 };
                    a[j * n_factors + i] = a[i * n_factors + j];
                }
            }
            Cholesky::new(&a, n_factors)
        });
        Ok(SampleFit {
            genes,
            positions,
            y,
            w,
            loadings: centred,
            n_factors,
            system,
        })
    }

    /// The Cholesky factor of the latent posterior precision `A` (none without factors)
    pub fn system(&self) -> Option<&Cholesky> {
        self.system.as_ref()
    }

    /// The fit of a class with log proportions `profile` (over the informative genes, in
    /// their order)
    pub fn fit(&self, profile: &[f32]) -> ClassFit {
        let w_sum: f64 = self.w.iter().sum();
        let mut r: Vec<f64> = self
            .positions
            .iter()
            .zip(&self.y)
            .map(|(&position, y)| y - f64::from(profile[position]))
            .collect();
        let offset = r.iter().zip(&self.w).map(|(r, w)| r * w).sum::<f64>() / w_sum;
        for value in &mut r {
            *value -= offset;
        }
        let quadratic: f64 = r.iter().zip(&self.w).map(|(r, w)| r * r * w).sum();
        let n = self.genes.len();
        let (explained, z) = match &self.system {
            Some(system) => {
                let v: Vec<f64> = (0..self.n_factors)
                    .map(|factor| {
                        self.loadings[factor * n..(factor + 1) * n]
                            .iter()
                            .zip(&r)
                            .zip(&self.w)
                            .map(|((l, r), w)| l * r * w)
                            .sum()
                    })
                    .collect();
                let z = system.solve(&v);
                (v.iter().zip(&z).map(|(v, z)| v * z).sum(), z)
            }
            None => (0.0, Vec::new()),
        };
        ClassFit {
            score: -0.5 * (quadratic - explained),
            z,
            offset,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_class_a_sample_came_from_scores_best_and_missing_genes_do_not_matter()
    -> Result<(), FamilyError> {
        let n = 200;
        let a: Vec<f32> = (0..n).map(|g| -8.0 + (g % 7) as f32 * 0.5).collect();
        let b: Vec<f32> = (0..n).map(|g| -8.0 + (g % 5) as f32 * 0.6).collect();
        let counts: Vec<f64> = a
            .iter()
            .enumerate()
            // gene 3 of every 10 missing (0), the rest at 1e6 x proportion
            .map(|(g, l)| {
                if g % 10 == 3 {
                    0.0
                } else {
                    (1e6 * f64::from(*l).exp()).round()
                }
            })
            .collect();
        let all: Vec<usize> = (0..n).collect();
        let fit = SampleFit::new(&counts, &all, &vec![0.01; n], &[], 0)?;
        assert_eq!(fit.genes.len(), 180);
        let (fa, fb) = (fit.fit(&a), fit.fit(&b));
        assert!(fa.score > fb.score + 10.0, "{fa:?} {fb:?}");
        assert!(fa.score > -1.0, "{fa:?}");
        let mut few = vec![0.0; 200];
        few[..40].fill(1.0);
        assert!(matches!(
            SampleFit::new(&few, &all, &[0.0; 200], &[], 0),
            Err(FamilyError::TooFewGenes {
                expressed: 40,
                needed: 50,
                ..
            })
        ));
        Ok(())
    }

    #[test]
    fn a_latent_shift_is_absorbed_and_recovered() -> Result<(), FamilyError> {
        let n = 300;
        let base: Vec<f32> = (0..n).map(|g| -7.0 + (g % 11) as f32 * 0.3).collect();
        let loading: Vec<f32> = (0..n).map(|g| ((g * 37 % 17) as f32 - 8.0) / 8.0).collect();
        let counts: Vec<f64> = base
            .iter()
            .zip(&loading)
            .map(|(b, l)| (1e7 * f64::from(b + 1.5 * l).exp()).round().max(1.0))
            .collect();
        let all: Vec<usize> = (0..n).collect();
        let with = SampleFit::new(&counts, &all, &vec![0.0; n], &loading, 1)?.fit(&base);
        let without = SampleFit::new(&counts, &all, &vec![0.0; n], &[], 0)?.fit(&base);
        assert!((with.z[0] - 1.5).abs() < 0.1, "{:?}", with.z);
        assert!(with.score > without.score);
        Ok(())
    }
}
