//! The count sampler's accuracy: a one-context model with no latent factors, whose genes
//! have chosen means and dispersions, draws many samples through `BulkModel::generate`; the
//! draws are compared with the exact negative binomial (moments and Kolmogorov distance)

use serde::Serialize;
use synthome_matrix::{ExpressionValues, GeneTable};
use synthome_model::{
    BulkModel, BulkParams, Context, EXACT_BELOW_MEAN, Latent, MAX_APPROX_SKEWNESS, ModelCard,
    Noise, ProfileSex, TrainingCondition,
};
use synthome_query::{Conditions, SamplingStrategy, ValidInput, ValidQuery};
use synthome_vocab::Vocabulary;

use crate::error::RealismError;

/// Means checked
pub(crate) const MEANS: [f64; 9] = [0.5, 3.0, 9.0, 12.0, 30.0, 100.0, 1e3, 1e4, 1e5];
/// Dispersions checked
pub(crate) const DISPERSIONS: [f64; 4] = [0.001, 0.01, 0.1, 0.5];

/// One (mean, dispersion) cell
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SamplerRow {
    /// Expected count (as the model computes it)
    pub mu: f64,
    /// Negative binomial dispersion
    pub phi: f64,
    /// Whether the model's rule sends this cell to the approximation
    pub approximated: bool,
    /// Draws
    pub draws: usize,
    /// Sample mean / mu
    pub mean_ratio: f64,
    /// Sample variance / (mu + phi mu^2)
    pub variance_ratio: f64,
    /// Sample skewness
    pub skewness: f64,
    /// Negative binomial skewness
    pub nb_skewness: f64,
    /// Kolmogorov distance between the draws and the exact negative binomial
    pub ks: f64,
}

/// Draws `draws` samples of every cell of [`MEANS`] x [`DISPERSIONS`]
pub(crate) fn evaluate(draws: u32, seed: u64) -> Result<Vec<SamplerRow>, RealismError> {
    let cells: Vec<(f64, f64)> = MEANS
        .iter()
        .flat_map(|&mu| DISPERSIONS.iter().map(move |&phi| (mu, phi)))
        .collect();
    let n = cells.len();
    let ids: Vec<String> = (0..n).map(|g| format!("ENSG{:011}", g + 1)).collect();
    let symbols: Vec<String> = (0..n).map(|g| format!("CELL{g}")).collect();
    let genes =
        GeneTable::new(ids, symbols).map_err(|e| RealismError::SamplerModel(e.to_string()))?;
    let total: f64 = cells.iter().map(|(mu, _)| mu).sum();
    let params = BulkParams {
        card: ModelCard {
            id: "sampler-check".to_owned(),
            alias: "sampler-check".to_owned(),
            version: "0".to_owned(),
            summary: "one context, no factors: the count sampler alone".to_owned(),
            licence: "none".to_owned(),
        },
        genes,
        vocabulary: Vocabulary::new(),
        contexts: vec![Context {
            name: "sampler check".to_owned(),
            log_cpm: cells
                .iter()
                .map(|(mu, _)| (mu / total * 1e6).ln() as f32)
                .collect(),
            profile_sex: ProfileSex::Mixed,
        }],
        conditions: vec![TrainingCondition {
            context: 0,
            fields: Vec::new(),
            perturbation: None,
            weight: 1.0,
        }],
        sex_effect: vec![0.0; n],
        latent: Latent {
            n_factors: 0,
            loadings: Vec::new(),
        },
        noise: Noise {
            technical: 0.0,
            technical_low_count: 0.0,
            biological: cells.iter().map(|(_, phi)| *phi as f32).collect(),
        },
        perturbations: Vec::new(),
    };
    let model = BulkModel::new(params).map_err(|e| RealismError::SamplerModel(e.to_string()))?;
    let query = |strategy, samples| ValidQuery {
        sampling_strategy: strategy,
        inputs: vec![ValidInput {
            metadata: Conditions::new(),
            num_samples: samples,
            first_sample: 0,
        }],
        total_count: total,
        deterministic_latents: strategy == SamplingStrategy::MeanEstimation,
        seed: Some(seed),
    };
    let generate = |strategy, samples| {
        model
            .generate(&query(strategy, samples), seed, &mut |_, _| {})
            .map_err(|source| RealismError::Generate {
                what: "the sampler check".to_owned(),
                source,
            })
    };
    let mean = generate(SamplingStrategy::MeanEstimation, 1)?;
    let mus: Vec<f64> = match mean.matrix.values() {
        ExpressionValues::Expected(dense) => dense
            .row(0)
            .map(|row| row.iter().map(|&v| f64::from(v)).collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let noisy = generate(SamplingStrategy::SampleGeneration, draws.max(2))?;
    let ExpressionValues::Counts(dense) = noisy.matrix.values() else {
        return Err(RealismError::SamplerModel(
            "sample generation did not return counts".to_owned(),
        ));
    };
    let mut out = Vec::with_capacity(n);
    for (g, &(_, phi)) in cells.iter().enumerate() {
        let Some(&mu) = mus.get(g) else { continue };
        let values: Vec<u32> = dense.rows().map(|row| row[g]).collect();
        out.push(summarise(mu, phi, &values));
    }
    Ok(out)
}

/// Moments and the Kolmogorov distance of `values` against NB(mu, phi)
fn summarise(mu: f64, phi: f64, values: &[u32]) -> SamplerRow {
    let n = values.len() as f64;
    let mean = values.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
    let (mut m2, mut m3) = (0.0, 0.0);
    for &v in values {
        let d = f64::from(v) - mean;
        m2 += d * d;
        m3 += d * d * d;
    }
    let variance = m2 / (n - 1.0);
    let skewness = (m3 / n) / (m2 / n).powf(1.5).max(f64::MIN_POSITIVE);
    let nb_variance = mu + phi * mu * mu;
    let nb_skewness = (1.0 + 2.0 * phi * mu) / (mu * (1.0 + phi * mu)).sqrt();
    SamplerRow {
        mu,
        phi,
        approximated: mu >= EXACT_BELOW_MEAN && nb_skewness <= MAX_APPROX_SKEWNESS,
        draws: values.len(),
        mean_ratio: mean / mu,
        variance_ratio: variance / nb_variance,
        skewness,
        nb_skewness,
        ks: kolmogorov(mu, phi, values),
    }
}

/// sup_k |F_draws(k) - F_NB(k)| over k = 0..=max draw
fn kolmogorov(mu: f64, phi: f64, values: &[u32]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let max = sorted.last().copied().unwrap_or(0);
    let r = 1.0 / phi;
    let (log_p, log_q) = (libm::log(r / (r + mu)), libm::log(mu / (r + mu)));
    let base = -libm::lgamma(r);
    let n = sorted.len() as f64;
    let (mut cdf, mut below, mut worst) = (0.0, 0usize, 0.0f64);
    for k in 0..=max {
        let kf = f64::from(k);
        cdf += libm::exp(
            libm::lgamma(kf + r) + base - libm::lgamma(kf + 1.0) + r * log_p + kf * log_q,
        );
        while below < sorted.len() && sorted[below] <= k {
            below += 1;
        }
        worst = worst.max((below as f64 / n - cdf.min(1.0)).abs());
    }
    worst
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kolmogorov_is_small_for_the_right_law_and_large_for_a_wrong_one() {
        // Counts spread like NB(4, 0.25) by construction: each k repeated ~ 1000 x pmf(k)
        let (mu, phi) = (4.0, 0.25);
        let r = 1.0 / phi;
        let mut values = Vec::new();
        let mut cdf_before = 0.0;
        for k in 0..60u32 {
            let kf = f64::from(k);
            let pmf = libm::exp(
                libm::lgamma(kf + r) - libm::lgamma(r) - libm::lgamma(kf + 1.0)
                    + r * (r / (r + mu)).ln()
                    + kf * (mu / (r + mu)).ln(),
            );
            let cdf = cdf_before + pmf;
            let count = ((cdf * 10_000.0).round() - (cdf_before * 10_000.0).round()) as usize;
            values.extend(std::iter::repeat_n(k, count));
            cdf_before = cdf;
        }
        assert!(kolmogorov(mu, phi, &values) < 0.001);
        let shifted: Vec<u32> = values.iter().map(|v| v + 3).collect();
        assert!(kolmogorov(mu, phi, &shifted) > 0.2);
    }
}
