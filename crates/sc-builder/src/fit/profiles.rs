//! Mean expression profiles of the training groups (cell type x condition)
//!
//! Measured genes: `p[g] = (S[g] + PRIOR_COUNTS * q[g]) / (N + PRIOR_COUNTS)`, with `S` the
//! group's summed counts, `N` its summed library sizes, and the prior `q` the cell type's
//! pooled profile times the genome-wide condition ratio, so a small group borrows the shared
//! interferon response. Genes the Kang data did not measure get `kappa * HPA nTPM` of the
//! matching HPA type, capped at the detection limit of the Kang gene filter (the 1st
//! percentile of measured genes' shares), where `kappa` is the group's median ratio of
//! proportion to nTPM over measured genes.

use crate::dataset::Dataset;

/// Strength of the prior, in counts
pub(crate) const PRIOR_COUNTS: f64 = 5_000.0;
/// Smallest proportion kept (log values must stay finite)
pub(crate) const MIN_PROPORTION: f64 = 1e-10;

/// Summed counts of a set of cells
#[derive(Debug, Clone)]
pub(crate) struct Sums {
    /// Per gene
    pub genes: Vec<f64>,
    /// Summed library sizes
    pub total: f64,
}

impl Sums {
    /// Sums over `cells`
    pub(crate) fn of(dataset: &Dataset, cells: &[usize]) -> Sums {
        let mut genes = vec![0.0; dataset.gene_ids.len()];
        let mut total = 0.0;
        for &cell in cells {
            let (indices, counts) = dataset.counts.row(cell);
            for (&gene, &count) in indices.iter().zip(counts) {
                genes[gene as usize] += f64::from(count);
                total += f64::from(count);
            }
        }
        Sums { genes, total }
    }

    /// Posterior mean proportions with prior `prior` (sums to 1 over the prior's support)
    pub(crate) fn proportions(&self, prior: &[f64]) -> Vec<f64> {
        self.genes
            .iter()
            .zip(prior)
            .map(|(&sum, &q)| (sum + PRIOR_COUNTS * q) / (self.total + PRIOR_COUNTS))
            .collect()
    }
}

/// `values` scaled to sum to 1 (unchanged when they sum to 0)
pub(crate) fn normalise(mut values: Vec<f64>) -> Vec<f64> {
    let total: f64 = values.iter().sum();
    if total > 0.0 {
        for value in &mut values {
            *value /= total;
        }
    }
    values
}

/// Extends a measured-gene profile to the unmeasured genes from an HPA profile (nTPM per
/// universe gene), then renormalises; `cap` is the largest proportion an unmeasured gene gets
pub(crate) fn extend_with_hpa(
    measured: &[bool],
    profile: &[f64],
    hpa: &[f64],
    cap: f64,
) -> Vec<f64> {
    let mut ratios: Vec<f64> = (0..profile.len())
        .filter(|&g| measured[g] && hpa[g] > 1.0 && profile[g] > 0.0)
        .map(|g| profile[g] / hpa[g])
        .collect();
    ratios.sort_by(f64::total_cmp);
    let kappa = ratios.get(ratios.len() / 2).copied().unwrap_or(0.0);
    let extra: Vec<f64> = (0..profile.len())
        .map(|g| {
            if measured[g] {
                0.0
            } else {
                (kappa * hpa[g]).min(cap).max(MIN_PROPORTION)
            }
        })
        .collect();
    let extra_total: f64 = extra.iter().sum();
    let measured_total: f64 = (0..profile.len())
        .filter(|&g| measured[g])
        .map(|g| profile[g])
        .sum();
    let scale = if measured_total > 0.0 {
        (1.0 - extra_total).max(0.0) / measured_total
    } else {
        0.0
    };
    (0..profile.len())
        .map(|g| {
            if measured[g] {
                (profile[g] * scale).max(MIN_PROPORTION)
            } else {
                extra[g]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unmeasured_genes_follow_hpa_below_the_cap_and_the_profile_sums_to_one() {
        let measured = [true, true, true, false, false];
        let profile = [0.5, 0.3, 0.2, 0.0, 0.0];
        let hpa = [50.0, 30.0, 20.0, 10.0, 1000.0];
        let extended = extend_with_hpa(&measured, &profile, &hpa, 0.02);
        assert!((extended.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(
            (extended[3] - 0.1).abs() > 0.05,
            "a capped gene stays below the cap"
        );
        assert!(extended[3] <= 0.02 + 1e-12 && extended[4] <= 0.02 + 1e-12);
        assert!((extended[0] / extended[1] - 5.0 / 3.0).abs() < 1e-9);
    }
}
