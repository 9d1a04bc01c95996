//! The noise fit, between the sources that give per-sample data and the perturbation-only
//! ones: latent factors on the per-sample residuals, the technical dispersion capped by what
//! the residuals leave, and the biological dispersion (measured genes directly, the others by
//! a trend over expression level taken at their median across the contexts added so far)

use synthome_analysis::median;
use synthome_model::Latent;

use crate::assembly::{BulkAssembly, PerSampleFit};
use crate::fit::conditions::Assembly;
use crate::fit::dispersion::{self, Technical};
use crate::fit::latent;

/// The noise fit: latent factors and biological dispersion per gene
#[derive(Debug, Clone)]
pub(crate) struct NoiseFit {
    /// Latent factors on the per-sample residuals
    pub latent: Latent,
    /// Biological dispersion per gene
    pub biological: Vec<f32>,
}

/// Fits the latent factors and dispersions from `assembly.per_sample` (none without it);
/// caps `assembly.technical`
pub(crate) fn fit(assembly: &mut BulkAssembly<'_>) -> NoiseFit {
    let n_genes = assembly.universe.len();
    match &assembly.per_sample {
        Some(residuals) => fit_residuals(
            residuals,
            n_genes,
            assembly.options.max_factors,
            &mut assembly.technical,
            &assembly.parts,
            &mut assembly.report,
        ),
        None => {
            assembly
                .report
                .push("latent: no per-sample data, no factors".to_owned());
            NoiseFit {
                latent: Latent {
                    n_factors: 0,
                    loadings: Vec::new(),
                },
                biological: vec![0.1; n_genes],
            }
        }
    }
}

/// Latent factors, the capped technical dispersion and the biological dispersion from
/// per-sample residuals
fn fit_residuals(
    residuals: &PerSampleFit,
    n_genes: usize,
    max_factors: usize,
    technical: &mut Technical,
    parts: &Assembly,
    report: &mut Vec<String>,
) -> NoiseFit {
    let fit = latent::fit(
        &residuals.log,
        residuals.dof,
        &residuals.genes,
        n_genes,
        max_factors,
    );
    let total_variance: f64 = fit.total.iter().sum();
    report.push(format!(
        "latent: {} factors on {} samples x {} genes carry {:.1}% of the residual variance; factor variances {}",
        fit.n_factors,
        residuals.log.len(),
        residuals.genes.len(),
        100.0 * fit.factor_variance.iter().sum::<f64>() / total_variance.max(1e-12),
        fit.factor_variance.iter().map(|v| format!("{v:.1}")).collect::<Vec<_>>().join(" ")
    ));
    // The technical part may not exceed what the per-sample data leave after the factors
    let left: Vec<f64> = residuals
        .genes
        .iter()
        .enumerate()
        .filter(|&(s, _)| residuals.mean_reads[s] >= 100.0)
        .map(|(s, _)| fit.total[s] - fit.explained[s] - 1.0 / residuals.mean_reads[s])
        .collect();
    let mut sorted = left.clone();
    sorted.sort_by(f64::total_cmp);
    if let Some(&quartile) = sorted.get(sorted.len() / 4) {
        let capped = technical.a.min(quartile.max(0.0));
        report.push(format!("technical dispersion used: {capped:.4} (K562 {:.4}, capped at the lower quartile of what the per-sample residuals leave)", technical.a));
        technical.a = capped;
    }
    let mut measured_levels = Vec::new();
    let mut measured_values = Vec::new();
    let mut biological = vec![f32::NAN; n_genes];
    for (s, &gene) in residuals.genes.iter().enumerate() {
        let residual = fit.total[s] - fit.explained[s];
        let value = dispersion::biological(residual, residuals.mean_reads[s], *technical);
        biological[gene] = value as f32;
        measured_levels.push(residuals.mean_log_cpm[s]);
        measured_values.push(value);
    }
    let steps = dispersion::trend(&measured_levels, &measured_values, 10);
    fill_by_trend(&mut biological, &steps, parts);
    report.push(format!(
        "biological dispersion: median {:.3} on measured genes; trend by expression {}",
        median(&measured_values).unwrap_or(0.0),
        steps
            .iter()
            .map(|(l, v)| format!("<={l:.1}:{v:.3}"))
            .collect::<Vec<_>>()
            .join(" ")
    ));
    NoiseFit {
        latent: Latent {
            n_factors: fit.n_factors,
            loadings: fit.loadings,
        },
        biological,
    }
}

/// Genes without per-sample data get the trend value at their median log CPM across contexts
fn fill_by_trend(biological: &mut [f32], steps: &[(f64, f64)], assembly: &Assembly) {
    for (g, value) in biological.iter_mut().enumerate() {
        if value.is_nan() {
            let levels: Vec<f64> = assembly
                .contexts
                .iter()
                .map(|c| f64::from(c.log_cpm[g]))
                .collect();
            let level = median(&levels).unwrap_or(0.0);
            *value = dispersion::at(steps, level) as f32;
        }
    }
}
