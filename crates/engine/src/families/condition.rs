//! Reference conditioning: a real sample's counts plus perturbation metadata in, new samples
//! out that keep the reference's biological and technical character with the perturbation
//! applied.
//!
//! 1. Encode: the reference's most probable unperturbed class `c` ([`Predictor`]), its latent
//!    scores `z*` (posterior mean) and covariance `A^-1`, and its technical residual
//!    `res = ln q - ln softmax(m_c + L^T z*)` with `q = (x + KAPPA softmax(...)) / (N + KAPPA)`
//!    (the reference's proportions, shrunk towards the model where it has few counts).
//! 2. Effect: `e = ln mean(c's metadata + the perturbation) - ln mean(c's metadata)`, both
//!    the model's own deterministic means, so the effect is the one baseline generation applies.
//! 3. Decode: `ln expected = m_c + L^T z + [res if technical] + e`, normalised to the library
//!    (`N` with `fixed_total_count` false, else `total_count`); `z = z*` for "biological" (a
//!    posterior draw unless `deterministic_latents`), else a prior draw (0 when deterministic).
//! 4. Noise: "mean estimation" returns the expected counts; "sample generation" draws negative
//!    binomial counts with the model's dispersion from a generator seeded by
//!    (seed, input, sample).

use std::sync::Arc;

use synthome_matrix::{Dense, ExpressionMatrix, ExpressionValues, MetadataField, SampleMetadata};
use synthome_model::sampler::{CountSampler, Ziggurat, sample_rng};
use synthome_query::{FamilyQuery, FamilyQueryError, LatentGroup, MetadataKey, SamplingStrategy};

use crate::engine::Engine;
use crate::families::predict::Predictor;
use crate::families::profiles::mean_log_profiles;
use crate::families::{FamilyError, Latents};

/// Pseudo-counts of the model's decoding added to the reference's counts (shrinkage of genes
/// the reference barely measured)
const KAPPA: f64 = 100.0;

/// Conditioned samples: the matrix (one row per sample, input order) and each row's latents
pub struct Conditioned {
    /// The generated samples; metadata: the reference's predicted keys (inferred) and the
    /// perturbation keys given
    pub matrix: ExpressionMatrix,
    /// Each sample's latent state
    pub latents: Vec<Latents>,
}

/// The perturbation keys of an input, checked: any other key is an error (the reference
/// defines it)
fn perturbation_fields(
    input: usize,
    metadata: &std::collections::BTreeMap<String, serde_json::Value>,
) -> Result<Vec<(MetadataKey, String)>, FamilyError> {
    let mut fields = Vec::new();
    for (name, value) in metadata {
        let reject = |reason: String| {
            FamilyError::Query(vec![FamilyQueryError::at_input(
                input,
                format!("metadata.{name}"),
                reason,
            )])
        };
        let key: MetadataKey = name
            .parse()
            .map_err(|error: synthome_query::UnknownKey| reject(error.to_string()))?;
        if !key.is_perturbation() {
            return Err(reject(format!(
                "the reference sample defines {name}; a reference-conditioning input may only \
                 give perturbation_ontology_id, perturbation_type, perturbation_time and \
                 perturbation_dose"
            )));
        }
        let text = match value {
            serde_json::Value::String(text) => text.clone(),
            serde_json::Value::Number(number) => number.to_string(),
            other => return Err(reject(format!("{other} is not a string"))),
        };
        fields.push((key, text));
    }
    fields.sort_by_key(|(key, _)| *key);
    Ok(fields)
}

/// ln softmax of `values` (in place)
fn log_normalise(values: &mut [f64]) {
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let sum: f64 = values.iter().map(|value| (value - max).exp()).sum();
    let log_sum = max + sum.ln();
    for value in values.iter_mut() {
        *value -= log_sum;
    }
}

/// Runs a reference-conditioning query with `seed`
pub fn condition(
    engine: &dyn Engine,
    predictor: &Predictor,
    query: &FamilyQuery,
    seed: u64,
) -> Result<Conditioned, FamilyError> {
    let genes = engine.genes();
    let n_genes = genes.len();
    let biological = query.conditioning.contains(&LatentGroup::Biological);
    let technical = query.conditioning.contains(&LatentGroup::Technical);
    let noisy = query.sampling_strategy == SamplingStrategy::SampleGeneration;
    let default_total = engine.target().default_total_count;
    let (loadings, n_factors) = match &predictor.view.latent {
        Some(latent) => (latent.loadings.as_slice(), latent.n_factors),
        None => (&[][..], 0),
    };
    let dispersion: Vec<f64> = predictor
        .view
        .dispersion
        .iter()
        .map(|&phi| f64::from(phi))
        .collect();
    let normal = Ziggurat::new();
    let mut sampler = noisy.then(|| CountSampler::new(&normal, n_genes));
    let mut samples = Vec::new();
    let mut latents = Vec::new();
    let mut counts_out: Vec<u32> = Vec::new();
    let mut expected_out: Vec<f32> = Vec::new();
    for (index, input) in query.inputs.iter().enumerate() {
        let perturbation = perturbation_fields(index, &input.metadata)?;
        let fit = predictor
            .sample_fit(&input.counts)
            .map_err(|error| error.at_input(index))?;
        let (posterior, fits) = predictor.posterior(&fit, |class| !class.is_perturbed());
        let best = (0..posterior.len())
            .max_by(|&a, &b| posterior[a].total_cmp(&posterior[b]).then(b.cmp(&a)))
            .unwrap_or(0);
        let class_fit = fits[best].clone().ok_or(FamilyError::NoClasses)?;
        // The control is the reference's class as it is (unperturbed, perhaps an explicit
        // control); the treated condition swaps its perturbation keys for the input's
        let reference: Vec<(MetadataKey, String)> = predictor.classes[best].fields.clone();
        let treated: Vec<(MetadataKey, String)> = if perturbation.is_empty() {
            reference.clone()
        } else {
            let mut treated: Vec<(MetadataKey, String)> = reference
                .iter()
                .filter(|(key, _)| !key.is_perturbation())
                .cloned()
                .collect();
            treated.extend(perturbation.iter().cloned());
            treated.sort_by_key(|(key, _)| *key);
            treated
        };
        let profiles = mean_log_profiles(engine, &[&reference, &treated]).map_err(|error| {
            FamilyError::Query(vec![FamilyQueryError::at_input(
                index,
                "metadata",
                error.to_string(),
            )])
        })?;
        let (control, perturbed) = (&profiles[0], &profiles[1]);
        let library: f64 = input.counts.iter().sum();
        // The model's decoding of the reference and the reference's residual from it
        let decode = |z: &[f64]| -> Vec<f64> {
            let mut values: Vec<f64> = control.iter().map(|&value| f64::from(value)).collect();
            for (factor, &score) in z.iter().enumerate() {
                let row = &loadings[factor * n_genes..(factor + 1) * n_genes];
                for (value, &loading) in values.iter_mut().zip(row) {
                    *value += f64::from(loading) * score;
                }
            }
            log_normalise(&mut values);
            values
        };
        let decoded = decode(&class_fit.z);
        let residual: Vec<f64> = decoded
            .iter()
            .zip(&input.counts)
            .map(|(&log_p, &count)| {
                let shrunk = (count + KAPPA * log_p.exp()) / (library + KAPPA);
                shrunk.ln() - log_p
            })
            .collect();
        let effect: Vec<f64> = perturbed
            .iter()
            .zip(control.iter())
            .map(|(&p, &c)| f64::from(p) - f64::from(c))
            .collect();
        let posterior_system = if biological { fit.system() } else { None };
        let total = if query.fixed_total_count {
            query.total_count.unwrap_or(default_total)
        } else {
            library
        };
        let mut fields: Vec<MetadataField> = treated
            .iter()
            .map(|(key, value)| MetadataField {
                key: key.as_str().to_owned(),
                value: value.clone(),
                inferred: !perturbation.iter().any(|(given, _)| given == key),
            })
            .collect();
        fields.sort_by(|a, b| a.key.cmp(&b.key));
        for sample in 0..input.num_samples as usize {
            let mut rng = sample_rng(seed, index, sample);
            let z: Vec<f64> = if query.deterministic_latents {
                if biological {
                    class_fit.z.clone()
                } else {
                    vec![0.0; n_factors]
                }
            } else {
                let draws: Vec<f64> = (0..n_factors).map(|_| normal.sample(&mut rng)).collect();
                match &posterior_system {
                    Some(system) => class_fit
                        .z
                        .iter()
                        .zip(system.inverse_transpose_times(&draws))
                        .map(|(mean, spread)| mean + spread)
                        .collect(),
                    None => draws,
                }
            };
            let mut log_expected = decode(&z);
            for (gene, value) in log_expected.iter_mut().enumerate() {
                if technical {
                    *value += residual[gene];
                }
                *value += effect[gene];
            }
            log_normalise(&mut log_expected);
            let expected: Vec<f32> = log_expected
                .iter()
                .map(|&log_p| (total * log_p.exp()) as f32)
                .collect();
            match sampler.as_mut() {
                Some(sampler) => {
                    let start = counts_out.len();
                    counts_out.resize(start + n_genes, 0);
                    sampler.sample(
                        &expected,
                        &dispersion,
                        0.0,
                        &mut rng,
                        &mut counts_out[start..],
                    );
                }
                None => expected_out.extend_from_slice(&expected),
            }
            samples.push(SampleMetadata::new(
                format!("input{}_sample{}", index + 1, sample + 1),
                fields.clone(),
            ));
            latents.push(Latents {
                biological: z.iter().map(|&value| value as f32).collect(),
                technical: vec![total.ln() as f32, class_fit.offset as f32],
                perturbation: Vec::new(),
            });
        }
    }
    let values = if noisy {
        ExpressionValues::Counts(Dense::new(samples.len(), n_genes, counts_out)?)
    } else {
        ExpressionValues::Expected(Dense::new(samples.len(), n_genes, expected_out)?)
    };
    let matrix = ExpressionMatrix::new(Arc::clone(&genes), samples, values)?;
    Ok(Conditioned { matrix, latents })
}
