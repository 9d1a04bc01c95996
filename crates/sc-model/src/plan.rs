//! The sampling plan of one training group for one query: which genes are drawn one by one
//! (negative binomial) and which are pooled (one Poisson total spread by an alias table)
//!
//! A gene is drawn exactly when it carries latent factors, or when its expected count at the
//! group's median library size is at least [`POOLED_BELOW_MEAN`] (the [`MAX_EXACT_GENES`]
//! largest such genes). The rest are pooled: their counts are Poisson (no over-dispersion),
//! drawn as one Poisson total over the pool and an O(1) alias draw per count, so zeros are
//! never visited. For a pooled gene with mean `mu` and dispersion `phi` the share of zeros is
//! then `exp(-mu)` instead of `(1 + phi mu)^(-1/phi)`: at `mu = 0.05, phi = 1` that is 0.9512
//! instead of 0.9535.

use crate::model::ScModel;
use crate::sampler::AliasTable;

/// Genes expected below this many counts (at the group's median library size) are pooled
pub const POOLED_BELOW_MEAN: f64 = 0.05;
/// At most this many genes per cell are drawn one by one
pub const MAX_EXACT_GENES: usize = 2_000;

/// How to draw the counts of one group's cells
#[derive(Debug, Clone)]
pub(crate) struct GroupPlan {
    /// Genes drawn one by one, strictly increasing
    pub exact_genes: Vec<u32>,
    /// Their proportions
    pub exact_proportions: Vec<f64>,
    /// Their dispersions
    pub exact_dispersions: Vec<f64>,
    /// For each latent gene of the cell type, its position in `exact_genes`
    pub latent_slots: Vec<u32>,
    /// For each latent gene of the cell type, its proportion (what the latent state's
    /// normaliser weighs its multiplier by)
    pub latent_proportions: Vec<f64>,
    /// Summed proportion of the pooled genes
    pub pooled_share: f64,
    /// Draws a pooled gene (as a position in `pooled_genes`), when there are any
    pub pooled_table: Option<AliasTable>,
    /// The pooled genes
    pub pooled_genes: Vec<u32>,
}

impl GroupPlan {
    /// The plan of `group` (whose gene proportions are `proportions`) for cells whose median
    /// library size is `median_library`; a cell type without per-gene dispersions takes the
    /// model's trend at each gene's expected count
    pub(crate) fn new(
        model: &ScModel,
        group: usize,
        proportions: &[f64],
        median_library: f64,
    ) -> GroupPlan {
        let params = model.params();
        let cell_type = &params.cell_types[params.groups[group].cell_type];
        let n_genes = proportions.len();
        let mut exact = vec![false; n_genes];
        for &gene in &cell_type.latent.genes {
            exact[gene as usize] = true;
        }
        let mut chosen = cell_type.latent.genes.len();
        let mut by_size: Vec<u32> = (0..n_genes as u32)
            .filter(|&gene| proportions[gene as usize] * median_library >= POOLED_BELOW_MEAN)
            .collect();
        let larger_first = |a: &u32, b: &u32| {
            proportions[*b as usize]
                .total_cmp(&proportions[*a as usize])
                .then(a.cmp(b))
        };
        // Each gene visited below is latent or chosen, so at most MAX_EXACT_GENES are visited:
        // only the largest that many need sorting.
        if by_size.len() > MAX_EXACT_GENES {
            by_size.select_nth_unstable_by(MAX_EXACT_GENES, larger_first);
            by_size.truncate(MAX_EXACT_GENES);
        }
        by_size.sort_unstable_by(larger_first);
        for gene in by_size {
            if chosen >= MAX_EXACT_GENES {
                break;
            }
            if !exact[gene as usize] {
                exact[gene as usize] = true;
                chosen += 1;
            }
        }
        let mut plan = GroupPlan {
            exact_genes: Vec::with_capacity(chosen),
            exact_proportions: Vec::with_capacity(chosen),
            exact_dispersions: Vec::with_capacity(chosen),
            latent_slots: Vec::with_capacity(cell_type.latent.genes.len()),
            latent_proportions: latent_proportions(&cell_type.latent.genes, proportions),
            pooled_share: 0.0,
            pooled_table: None,
            pooled_genes: Vec::new(),
        };
        let mut pooled_weights = Vec::new();
        for (gene, &is_exact) in exact.iter().enumerate() {
            let proportion = proportions[gene];
            if is_exact {
                plan.exact_genes.push(gene as u32);
                plan.exact_proportions.push(proportion);
                plan.exact_dispersions
                    .push(match cell_type.dispersion.get(gene) {
                        Some(&phi) => f64::from(phi),
                        None => params.dispersion_trend.at(proportion * median_library),
                    });
            } else if proportion > 0.0 {
                plan.pooled_genes.push(gene as u32);
                pooled_weights.push(proportion);
                plan.pooled_share += proportion;
            }
        }
        for &gene in &cell_type.latent.genes {
            // every latent gene is exact, so the search succeeds
            let slot = plan.exact_genes.binary_search(&gene).unwrap_or(0);
            plan.latent_slots.push(slot as u32);
        }
        plan.pooled_table = AliasTable::new(&pooled_weights);
        plan
    }
}

/// A group's proportions of its cell type's latent genes (`latent_genes`, in their order), what
/// the latent state's normaliser weighs each multiplier by
pub(crate) fn latent_proportions(latent_genes: &[u32], proportions: &[f64]) -> Vec<f64> {
    latent_genes
        .iter()
        .map(|&gene| proportions[gene as usize])
        .collect()
}
