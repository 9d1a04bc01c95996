//! What the report runs: splits, seeds, classifier and sample sizes

use serde::Serialize;

/// Settings of the realism report
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportOptions {
    /// Random halves of the GEUVADIS lines (stratified by sex), each a separate build
    pub splits: usize,
    /// Base seed of the splits, the generated samples and the classifiers
    pub seed: u64,
    /// `max_factors` of the evaluated builds
    pub max_factors: usize,
    /// Other `max_factors` values whose GEUVADIS figures are reported too
    pub factor_sweep: Vec<usize>,
    /// Folds of the two-sample classifier
    pub folds: usize,
    /// Repeats of its cross-validation with fresh folds (AUROC averaged)
    pub cv_repeats: usize,
    /// Trees of its random forests
    pub trees: usize,
    /// Principal components it sees
    pub components: usize,
    /// Genes the sex classifier uses
    pub sex_genes: usize,
    /// Generated samples per tissue (tissue identity) and per tissue and sex (sex check)
    pub tissue_samples: u32,
    /// Generated samples per arm of each knock-down
    pub perturbation_samples: u32,
    /// Draws per (mean, dispersion) cell of the sampler check
    pub sampler_draws: u32,
}

impl Default for ReportOptions {
    /// 5 splits, the builder's default factor count with a sweep over 2, 5 and 10, a 5-fold
    /// random forest of 300 trees on 20 components repeated 3 times, 20 sex genes, 5 samples per tissue, 10
    /// per knock-down arm, 100,000 sampler draws
    fn default() -> ReportOptions {
        ReportOptions {
            splits: 5,
            seed: 20_240_601,
            max_factors: synthome_builder::BuildOptions::default().max_factors,
            factor_sweep: vec![2, 5, 10],
            folds: 5,
            cv_repeats: 3,
            trees: 300,
            components: 20,
            sex_genes: 20,
            tissue_samples: 5,
            perturbation_samples: 10,
            sampler_draws: 100_000,
        }
    }
}
