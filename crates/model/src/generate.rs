//! Generation: resolve each sample's conditions, decode, add count noise
//!
//! Each sample has its own generator, seeded from (seed, input index, sample index), used in
//! a fixed order: the draw of unspecified keys, the latent scores, then the counts. Results
//! therefore do not depend on how samples are split across threads or calls.

use synthome_matrix::{Dense, ExpressionMatrix, ExpressionValues, SampleMetadata};
use synthome_query::{SamplingStrategy, ValidQuery};

use crate::decode::{decode, to_expected_counts};
use crate::effects::offset;
use crate::error::GenerateError;
use crate::model::BulkModel;
use crate::resolve::{Choice, Plan, resolve};
use crate::sampler::{CountSampler, sample_rng};

/// Distinct resolved plans kept per input (a sample's plan is usually one of a few)
const PLAN_CACHE: usize = 16;

/// A generated result: the matrix and the warnings raised while generating
#[derive(Debug, Clone)]
pub struct GenerateOutput {
    /// One row per sample, in input order; metadata echoes the inputs plus inferred keys
    pub matrix: ExpressionMatrix,
    /// Warnings (transferred perturbations, clamped doses, ...), each once, in order raised
    pub warnings: Vec<String>,
}

/// A plan with its offset vector
struct CachedPlan {
    plan: Plan,
    offset: Vec<f32>,
}

impl BulkModel {
    /// Generates the query's samples with this seed; `progress(done, total)` is called after
    /// every sample
    ///
    /// "mean estimation" returns expected counts at `total_count` (no measurement noise);
    /// "sample generation" draws negative binomial counts around them. With
    /// `deterministic_latents` the latent state is the mean of p(z | metadata) (z = 0) and
    /// unspecified keys take their most common training value.
    pub fn generate(
        &self,
        query: &ValidQuery,
        seed: u64,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<GenerateOutput, GenerateError> {
        let n_genes = self.n_genes();
        let total_samples: u64 = query
            .inputs
            .iter()
            .map(|input| u64::from(input.num_samples))
            .sum();
        let n_values = usize::try_from(total_samples)
            .ok()
            .and_then(|samples| samples.checked_mul(n_genes))
            .ok_or(GenerateError::TooLarge {
                samples: total_samples,
                genes: n_genes,
            })?;
        let noisy = query.sampling_strategy == SamplingStrategy::SampleGeneration;
        let mut counts: Vec<u32> = Vec::new();
        let mut expected: Vec<f32> = Vec::new();
        if noisy {
            counts.reserve_exact(n_values);
        } else {
            expected.reserve_exact(n_values);
        }
        let params = self.params();
        let n_factors = params.latent.n_factors;
        let mut z = vec![0.0f32; n_factors];
        let mut values = vec![0.0f32; n_genes];
        let mut samples = Vec::with_capacity(usize::try_from(total_samples).unwrap_or(0));
        let mut warnings: Vec<String> = Vec::new();
        let sampler = CountSampler::new(&self.normal);
        let mut done = 0u64;
        for (input_index, input) in query.inputs.iter().enumerate() {
            let mut cache: Vec<CachedPlan> = Vec::new();
            for sample_index in 0..input.num_samples as usize {
                let mut rng = sample_rng(seed, input_index, sample_index);
                let choice = if query.deterministic_latents {
                    Choice::MostCommon
                } else {
                    Choice::Draw(&mut rng)
                };
                let plan = resolve(self, input_index, &input.metadata, choice)?;
                let cached = match cache.iter().position(|entry| entry.plan == plan) {
                    Some(position) => position,
                    None => {
                        let mut vector = vec![0.0f32; n_genes];
                        let mut raised = offset(self, input_index, &plan, &mut vector);
                        raised.extend(plan.warnings.iter().cloned());
                        for warning in raised {
                            if !warnings.contains(&warning) {
                                warnings.push(warning);
                            }
                        }
                        if cache.len() == PLAN_CACHE {
                            cache.remove(0);
                        }
                        cache.push(CachedPlan {
                            plan,
                            offset: vector,
                        });
                        cache.len() - 1
                    }
                };
                let entry = &cache[cached];
                if query.deterministic_latents {
                    z.fill(0.0);
                } else {
                    for score in z.iter_mut() {
                        *score = self.normal.sample(&mut rng) as f32;
                    }
                }
                decode(&entry.offset, &params.latent.loadings, &z, &mut values);
                to_expected_counts(&mut values, query.total_count);
                if noisy {
                    let noise = &params.noise;
                    for (&mu, &biological) in values.iter().zip(&noise.biological) {
                        let mu = f64::from(mu);
                        let mut phi = f64::from(noise.technical) + f64::from(biological);
                        if noise.technical_low_count > 0.0 {
                            phi += f64::from(noise.technical_low_count) / mu.max(1.0);
                        }
                        counts.push(sampler.draw(mu, phi, &mut rng));
                    }
                } else {
                    expected.extend_from_slice(&values);
                }
                samples.push(SampleMetadata::new(
                    format!("input{}_sample{}", input_index + 1, sample_index + 1),
                    entry.plan.fields.clone(),
                ));
                done += 1;
                progress(done, total_samples);
            }
        }
        let n_rows = samples.len();
        let values = if noisy {
            ExpressionValues::Counts(Dense::new(n_rows, n_genes, counts)?)
        } else {
            ExpressionValues::Expected(Dense::new(n_rows, n_genes, expected)?)
        };
        let matrix = ExpressionMatrix::new(self.genes().clone(), samples, values)?;
        Ok(GenerateOutput { matrix, warnings })
    }
}
