//! Generation: resolve each cell's group, draw its latent state and library size, then its
//! counts without visiting its zeros
//!
//! Each cell has its own stream, seeded from (seed, input index, cell index), used in a fixed
//! order: the group (when unspecified keys are drawn), the latent scores, the library size,
//! the exactly drawn genes in gene order, the pooled total, then the pooled genes.

use std::borrow::Cow;

use synthome_matrix::{CsrBuilder, ExpressionValues, SampleMetadata};
use synthome_query::{SamplingStrategy, ValidQuery};

use synthome_model::GenerateOutput;

use crate::error::GenerateError;
use crate::model::ScModel;
use crate::plan::{GroupPlan, latent_proportions};
use crate::resolve::{candidates, draw, fields, most_common};
use crate::sampler::{Stream, cell_stream};

/// Most values a mean-estimation result may hold (it is dense: every gene has an expectation)
pub const MAX_DENSE_VALUES: u64 = 50_000_000;
/// Groups with fewer training cells than this raise a warning when generated
pub const FEW_CELLS: u32 = 20;
/// Cells after which the counts' final size is estimated and reserved.
const ESTIMATE_AFTER_CELLS: u64 = 256;

/// One cell's latent state: the multiplier of each latent gene and the normaliser
struct LatentState {
    /// exp(loadings^T z) per latent gene of the cell type
    multipliers: Vec<f64>,
    /// 1 + sum over latent genes of proportion * (multiplier - 1)
    normaliser: f64,
}

/// A group's profile as mean estimation uses it, worked out once per query
#[derive(Clone)]
struct MeanProfile<'a> {
    /// Its gene proportions
    proportions: Cow<'a, [f64]>,
    /// Its proportions of its cell type's latent genes ([`latent_proportions`])
    latent: Vec<f64>,
}

/// Per-cell scratch space, reused: one slot per gene, and a bit per gene for the touched ones
struct Scratch {
    counts: Vec<u32>,
    touched: Vec<u64>,
    exact_multipliers: Vec<f64>,
    z: Vec<f64>,
    indices: Vec<u32>,
    values: Vec<u32>,
}

impl ScModel {
    /// Generates the query's cells with this seed; `progress(done, total)` is called after
    /// every cell
    ///
    /// "sample generation" returns sparse UMI counts ([`ExpressionValues::SparseCounts`]) with
    /// library sizes log-normal around `total_count` (scaled by the cell type's depth);
    /// "mean estimation" returns the expected counts at exactly `total_count` per cell
    /// ([`ExpressionValues::Expected`], dense, at most [`MAX_DENSE_VALUES`] values). With
    /// `deterministic_latents` the latent state is its mean (z = 0) and unspecified keys take
    /// the group with the most training cells.
    pub fn generate(
        &self,
        query: &ValidQuery,
        seed: u64,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<GenerateOutput, GenerateError> {
        let n_genes = self.n_genes();
        let total_cells = query.total_samples();
        let noisy = query.sampling_strategy == SamplingStrategy::SampleGeneration;
        if !noisy && total_cells.saturating_mul(n_genes as u64) > MAX_DENSE_VALUES {
            return Err(GenerateError::TooLarge {
                cells: total_cells,
                genes: n_genes,
                max: MAX_DENSE_VALUES,
            });
        }
        let params = self.params();
        let groups = &params.groups;
        let mut plans: Vec<Option<GroupPlan>> = vec![None; groups.len()];
        let mut profiles: Vec<Option<MeanProfile<'_>>> = vec![None; groups.len()];
        let mut warnings: Vec<String> = Vec::new();
        let mut samples = Vec::with_capacity(usize::try_from(total_cells).unwrap_or(0));
        let mut csr = CsrBuilder::new(n_genes);
        let mut expected: Vec<f32> = Vec::new();
        let max_factors = params
            .cell_types
            .iter()
            .map(|cell_type| cell_type.latent.n_factors)
            .max()
            .unwrap_or(0);
        let mut scratch = Scratch {
            counts: vec![0; if noisy { n_genes } else { 0 }],
            touched: vec![0; if noisy { n_genes.div_ceil(64) } else { 0 }],
            exact_multipliers: Vec::new(),
            z: vec![0.0; max_factors],
            indices: Vec::new(),
            values: Vec::new(),
        };
        let mut done = 0u64;
        for (input_index, input) in query.inputs.iter().enumerate() {
            let candidates = candidates(groups, input_index, &input.metadata)?;
            let first_cell = input.first_sample as usize;
            for cell_index in first_cell..first_cell + input.num_samples as usize {
                let mut stream = cell_stream(seed, input_index, cell_index);
                let group = if query.deterministic_latents {
                    most_common(groups, &candidates)
                } else {
                    draw(groups, &candidates, &mut stream)
                };
                if groups[group].n_cells < FEW_CELLS {
                    let cell_type = &params.cell_types[groups[group].cell_type];
                    let warning = format!(
                        "{} ({}) has only {} training cells in this condition; its profile leans on the shared estimate",
                        cell_type.label, cell_type.id, groups[group].n_cells
                    );
                    if !warnings.contains(&warning) {
                        warnings.push(warning);
                    }
                }
                if noisy {
                    let library = groups[group].library;
                    // An atlas group's profile is decoded for its plan only, then dropped: the
                    // plan keeps what the cells need.
                    let plan = plans[group].get_or_insert_with(|| {
                        let median = query.total_count * libm::exp(f64::from(library.log_offset));
                        GroupPlan::new(
                            self,
                            group,
                            &self.group_proportions(group).unwrap_or_default(),
                            median,
                        )
                    });
                    let latent = self.latent_state(
                        group,
                        &plan.latent_proportions,
                        query.deterministic_latents,
                        &mut stream,
                        &mut scratch.z,
                    );
                    let log_library = libm::log(query.total_count)
                        + f64::from(library.log_offset)
                        + f64::from(library.log_sd) * stream.normal();
                    let scale = libm::exp(log_library) / latent.normaliser;
                    sample_counts(plan, &latent, scale, &mut stream, &mut scratch);
                    csr.push_row(&scratch.indices, &scratch.values)?;
                    if csr.n_rows() as u64 == ESTIMATE_AFTER_CELLS
                        && total_cells > ESTIMATE_AFTER_CELLS
                    {
                        // Room for the rest at the mean density so far plus a tenth: the
                        // counts are then not copied at each doubling (in wasm the copies'
                        // memory is never given back).
                        let rest = (total_cells - ESTIMATE_AFTER_CELLS) as usize;
                        let per_cell = csr.nnz() as f64 / ESTIMATE_AFTER_CELLS as f64;
                        csr.reserve(rest, (per_cell * 1.1 * rest as f64) as usize);
                    }
                } else {
                    let latent_genes = &params.cell_types[groups[group].cell_type].latent.genes;
                    let profile = profiles[group].get_or_insert_with(|| {
                        let proportions = self.group_proportions(group).unwrap_or_default();
                        let latent = latent_proportions(latent_genes, &proportions);
                        MeanProfile {
                            proportions,
                            latent,
                        }
                    });
                    let proportions: &[f64] = &profile.proportions;
                    let latent = self.latent_state(
                        group,
                        &profile.latent,
                        query.deterministic_latents,
                        &mut stream,
                        &mut scratch.z,
                    );
                    let scale = query.total_count / latent.normaliser;
                    let start = expected.len();
                    expected.extend(
                        proportions
                            .iter()
                            .map(|&proportion| (proportion * scale) as f32),
                    );
                    for (&gene, &multiplier) in latent_genes.iter().zip(&latent.multipliers) {
                        let slot = start + gene as usize;
                        expected[slot] = (proportions[gene as usize] * scale * multiplier) as f32;
                    }
                }
                samples.push(SampleMetadata::new(
                    format!("input{}_cell{}", input_index + 1, cell_index + 1),
                    fields(&input.metadata, &groups[group]),
                ));
                done += 1;
                progress(done, total_cells);
            }
        }
        let counts = noisy.then(|| ExpressionValues::SparseCounts(csr.finish()));
        let output = GenerateOutput::assemble(self.genes(), samples, counts, expected, warnings)?;
        Ok(output)
    }

    /// Draws z (or takes z = 0) and computes the latent genes' multipliers;
    /// `latent_proportions` are the group's proportions of the cell type's latent genes
    fn latent_state(
        &self,
        group: usize,
        latent_proportions: &[f64],
        at_mean: bool,
        stream: &mut Stream,
        z: &mut [f64],
    ) -> LatentState {
        let params = self.params();
        let latent = &params.cell_types[params.groups[group].cell_type].latent;
        let n_latent = latent.genes.len();
        if at_mean || latent.n_factors == 0 {
            return LatentState {
                multipliers: vec![1.0; n_latent],
                normaliser: 1.0,
            };
        }
        let n_bank = latent.bank.len() / latent.n_factors;
        if n_bank == 0 {
            for (score, &scale) in z.iter_mut().zip(&latent.scales) {
                *score = f64::from(scale) * stream.normal();
            }
        } else {
            let row = ((stream.uniform() * n_bank as f64) as usize).min(n_bank - 1);
            let centre = &latent.bank[row * latent.n_factors..(row + 1) * latent.n_factors];
            let jitter = f64::from(latent.jitter);
            for ((score, &scale), &at) in z.iter_mut().zip(&latent.scales).zip(centre) {
                *score = f64::from(at) + jitter * f64::from(scale) * stream.normal();
            }
        }
        let mut eta = vec![0.0f64; n_latent];
        for (factor, &score) in z.iter().take(latent.n_factors).enumerate() {
            let loadings = &latent.loadings[factor * n_latent..(factor + 1) * n_latent];
            for (value, &loading) in eta.iter_mut().zip(loadings) {
                *value += f64::from(loading) * score;
            }
        }
        let offsets = &self.latent_offsets[params.groups[group].cell_type];
        let mut normaliser = 1.0;
        for ((value, &proportion), &offset) in eta.iter_mut().zip(latent_proportions).zip(offsets) {
            let multiplier = libm::exp(*value - offset);
            normaliser += proportion * (multiplier - 1.0);
            *value = multiplier;
        }
        LatentState {
            multipliers: eta,
            normaliser,
        }
    }
}

/// Draws one cell's counts into `scratch.indices` / `scratch.values` (gene order)
fn sample_counts(
    plan: &GroupPlan,
    latent: &LatentState,
    scale: f64,
    stream: &mut Stream,
    scratch: &mut Scratch,
) {
    let n_exact = plan.exact_genes.len();
    if scratch.exact_multipliers.len() < n_exact {
        scratch.exact_multipliers.resize(n_exact, 1.0);
    }
    for (&slot, &multiplier) in plan.latent_slots.iter().zip(&latent.multipliers) {
        scratch.exact_multipliers[slot as usize] = multiplier;
    }
    for position in 0..n_exact {
        let mu = scale * plan.exact_proportions[position] * scratch.exact_multipliers[position];
        let count = stream.negative_binomial(mu, plan.exact_dispersions[position]);
        if count > 0 {
            let gene = plan.exact_genes[position] as usize;
            scratch.counts[gene] = count;
            scratch.touched[gene >> 6] |= 1u64 << (gene & 63);
        }
    }
    for &slot in &plan.latent_slots {
        scratch.exact_multipliers[slot as usize] = 1.0;
    }
    if let Some(table) = &plan.pooled_table {
        let total = stream.poisson(scale * plan.pooled_share);
        for _ in 0..total {
            let gene = plan.pooled_genes[table.sample(stream) as usize] as usize;
            scratch.counts[gene] = scratch.counts[gene].saturating_add(1);
            scratch.touched[gene >> 6] |= 1u64 << (gene & 63);
        }
    }
    scratch.indices.clear();
    scratch.values.clear();
    for (word_index, word) in scratch.touched.iter_mut().enumerate() {
        let mut bits = *word;
        while bits != 0 {
            let gene = (word_index << 6) | bits.trailing_zeros() as usize;
            scratch.indices.push(gene as u32);
            scratch.values.push(scratch.counts[gene]);
            scratch.counts[gene] = 0;
            bits &= bits - 1;
        }
        *word = 0;
    }
}
