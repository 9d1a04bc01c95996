//! Generation: resolve each sample's conditions, decode, add count noise
//!
//! Each sample has its own generator, seeded from (seed, input index, sample index), used in
//! a fixed order: the draw of unspecified keys, the latent scores, then the counts. Results
//! therefore do not depend on how samples are split across threads, calls or batches.
//! Samples are decoded in batches of [`BATCH`] (see `decode`), then drawn one by one.

use rand_pcg::Pcg64;
use synthome_matrix::{Dense, ExpressionValues, SampleMetadata};
use synthome_query::{SamplingStrategy, ValidQuery};

use crate::decode::decode_batch;
use crate::error::GenerateError;
use crate::family::GenerateOutput;
use crate::model::BulkModel;
use crate::plans::{PLAN_CACHE, PlanCache};
use crate::resolve::{Choice, resolve};
use crate::sampler::{CountSampler, sample_rng};
use crate::state_plan;

/// Samples decoded together
const BATCH: usize = 16;
// Every slot a batch uses stays in the plan cache until the batch is decoded
const _: () = assert!(BATCH <= PLAN_CACHE);

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
        let total_samples = query.total_samples();
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
        let noise = &params.noise;
        let mut sampler = noisy.then(|| CountSampler::new(&self.normal, n_genes));
        let families = &self.states().noise;
        // Per noise (the model's, then each family's): technical + biological dispersion
        let base_dispersion: Vec<Vec<f64>> = if noisy {
            let technical = f64::from(noise.technical);
            std::iter::once(&noise.biological)
                .chain(families.iter().map(|family| &family.biological))
                .map(|biological| {
                    biological
                        .iter()
                        .map(|&biological| technical + f64::from(biological))
                        .collect()
                })
                .collect()
        } else {
            Vec::new()
        };
        let noise_of = |plan_noise: Option<usize>| plan_noise.map_or(0, |family| family + 1);
        let low_count_dispersion = f64::from(noise.technical_low_count);
        // Work space for the largest batch this query has
        let batch_capacity = query
            .inputs
            .iter()
            .map(|input| input.num_samples as usize)
            .max()
            .unwrap_or(0)
            .min(BATCH);
        let mut rngs: Vec<Pcg64> = Vec::with_capacity(batch_capacity);
        let mut slots: Vec<usize> = Vec::with_capacity(batch_capacity);
        let mut z = vec![0.0f32; batch_capacity * n_factors];
        let mut values = vec![0.0f32; if noisy { batch_capacity * n_genes } else { 0 }];
        let mut sums: Vec<f64> = Vec::with_capacity(batch_capacity);
        let mut samples = Vec::with_capacity(usize::try_from(total_samples).unwrap_or(0));
        let mut warnings: Vec<String> = Vec::new();
        let mut done = 0u64;
        for (input_index, input) in query.inputs.iter().enumerate() {
            let mut cache = PlanCache::new();
            let n_samples = input.num_samples as usize;
            let first_sample = input.first_sample as usize;
            let mut first = 0;
            while first < n_samples {
                let batch = BATCH.min(n_samples - first);
                rngs.clear();
                slots.clear();
                for position in 0..batch {
                    let scores = &mut z[position * n_factors..(position + 1) * n_factors];
                    let (rng, slot) = self.begin_sample(
                        query,
                        seed,
                        (input_index, first_sample + first + position),
                        &mut cache,
                        &mut warnings,
                        scores,
                    )?;
                    rngs.push(rng);
                    slots.push(slot);
                }
                let out = if noisy {
                    &mut values[..batch * n_genes]
                } else {
                    let start = expected.len();
                    expected.resize(start + batch * n_genes, 0.0);
                    &mut expected[start..]
                };
                decode_batch(
                    |position| cache.offset(slots[position]),
                    |position| match cache.plan(slots[position]).noise {
                        Some(family) => &families[family].loadings,
                        None => &params.latent.loadings,
                    },
                    &z[..batch * n_factors],
                    n_factors,
                    query.total_count,
                    &mut sums,
                    out,
                    n_genes,
                );
                for (position, rng) in rngs.iter_mut().enumerate() {
                    if let Some(sampler) = sampler.as_mut() {
                        let start = counts.len();
                        counts.resize(start + n_genes, 0);
                        let dispersion =
                            &base_dispersion[noise_of(cache.plan(slots[position]).noise)];
                        sampler.sample(
                            &values[position * n_genes..(position + 1) * n_genes],
                            dispersion,
                            low_count_dispersion,
                            rng,
                            &mut counts[start..],
                        );
                    }
                    samples.push(SampleMetadata::new(
                        format!(
                            "input{}_sample{}",
                            input_index + 1,
                            first_sample + first + position + 1
                        ),
                        cache.plan(slots[position]).fields.clone(),
                    ));
                    done += 1;
                    progress(done, total_samples);
                }
                first += batch;
            }
        }
        let counts = noisy
            .then(|| Dense::new(samples.len(), n_genes, counts).map(ExpressionValues::Counts))
            .transpose()?;
        let output = GenerateOutput::assemble(self.genes(), samples, counts, expected, warnings)?;
        Ok(output)
    }

    /// The random parts of sample `(input, sample)` before its counts, in their fixed order:
    /// its generator, the draw of unspecified keys (its plan, whose cache slot is returned)
    /// and its latent scores
    fn begin_sample(
        &self,
        query: &ValidQuery,
        seed: u64,
        (input, sample): (usize, usize),
        cache: &mut PlanCache,
        warnings: &mut Vec<String>,
        scores: &mut [f32],
    ) -> Result<(Pcg64, usize), GenerateError> {
        let mut rng = sample_rng(seed, input, sample);
        let given = &query.inputs[input].metadata;
        let deterministic = query.deterministic_latents;
        fn choice(rng: &mut Pcg64, deterministic: bool) -> Choice<'_> {
            if deterministic {
                Choice::MostCommon
            } else {
                Choice::Draw(rng)
            }
        }
        let mut plan = resolve(self, input, given, choice(&mut rng, deterministic))
            .map_err(|error| state_plan::explain(self, input, given, error))?;
        state_plan::apply(
            self,
            input,
            given,
            &mut plan,
            choice(&mut rng, deterministic),
        )?;
        let latent_scale = plan.latent_scale;
        let slot = cache.slot(self, input, plan, warnings);
        if deterministic {
            scores.fill(0.0);
        } else {
            for score in scores.iter_mut() {
                *score = self.normal.sample(&mut rng) as f32;
            }
            if latent_scale != 1.0 {
                for score in scores.iter_mut() {
                    *score *= latent_scale;
                }
            }
        }
        Ok((rng, slot))
    }
}
