//! Negative binomial counts for a whole sample: exact where counts are small or skewed, a
//! skewness-corrected normal approximation where they are large
//!
//! A count with mean `mu` and dispersion `phi` has variance `mu + phi * mu^2` and skewness
//! `(1 + 2 phi mu) / sqrt(mu (1 + phi mu))`.
//! - `mu < EXACT_BELOW_MEAN`: exact, by inversion of the negative binomial mass function
//!   with one uniform: `P(0) = (1 + phi mu)^(-1/phi)`, `P(k+1) = P(k) (a + k q) / (k + 1)`
//!   with `a = mu / (1 + phi mu)` and `q = phi mu / (1 + phi mu)` (`phi = 0` is Poisson).
//!   `P(0) >= exp(-mu) >= 1 - mu + mu^2/2 - mu^3/6` (as `ln(1 + x) <= x`; alternating
//!   series), so a uniform below that cubic is a 0 without computing `P(0)`: most genes with
//!   small means cost one uniform.
//! - `mu >= EXACT_BELOW_MEAN` and skewness at most [`MAX_APPROX_SKEWNESS`]: one normal draw
//!   `n` becomes `round(mu + sd * (n + g/6 (n^2 - 1)) / sqrt(1 + g^2/18))` (a first-order
//!   Cornish-Fisher expansion: exact mean and variance, skewness matched to first order).
//! - Otherwise (large and skewed, rare) the gamma-Poisson mixture:
//!   `lambda ~ mu * Gamma(1/phi, phi)`, then Poisson(lambda) by inversion below
//!   `EXACT_BELOW_MEAN` and by the corrected normal above it (skewness `1/sqrt(lambda)` is
//!   then below 0.32).
//!
//! # Speed
//! A sample is drawn in passes over its genes, so that no pass mixes kinds of work whose
//! branches the processor cannot predict: the genes are first sorted by kind (branch-free),
//! then the approximated genes draw their normal values, the skewed ones their gamma-Poisson
//! counts, and the small ones a uniform each; only those whose uniform is not below the cubic
//! get `P(0)` (one `exp`, one `ln(1 + x)`, computed in a pass of their own) and walk the mass
//! function. The random stream is used in that order (approximated genes in gene order, two
//! normal draws per 64-bit output, then skewed, then small), so the counts are a fixed
//! function of the seed. Each pass is a function of its own (`#[inline(never)]`: measured
//! slightly faster, and each shows in profiles).
//!
//! The accuracy is checked in this module's tests.

use rand_pcg::Pcg64;

use super::elementary::Elementary;
use super::gamma::{ZigguratSource, gamma};
use super::normal::Ziggurat;
use super::seed::uniform;

/// Means below this are drawn exactly (by inversion)
pub const EXACT_BELOW_MEAN: f64 = 10.0;
/// Largest skewness for which the corrected normal approximation is used
pub const MAX_APPROX_SKEWNESS: f64 = 0.75;
/// Steps of the inversion whose `1 / (k + 1)` is tabulated (divisions beyond)
const TABULATED_STEPS: usize = 64;
/// Inversion steps taken without branches (see [`inversion`])
const UNROLLED: usize = 8;
/// `1 / (k + 1)` for the first inversion steps
const RECIPROCALS: [f64; TABULATED_STEPS] = reciprocals();

/// `[1/1, 1/2, ..., 1/64]`, evaluated at compile time (IEEE division: the same everywhere)
const fn reciprocals() -> [f64; TABULATED_STEPS] {
    let mut table = [0.0; TABULATED_STEPS];
    let mut k = 0;
    while k < TABULATED_STEPS {
        table[k] = 1.0 / (k as f64 + 1.0);
        k += 1;
    }
    table
}

/// The parameters of the mass function walk of one small gene
#[derive(Debug, Clone, Copy, Default)]
struct Walk {
    /// The gene
    gene: u32,
    /// Its uniform draw
    u: f64,
    /// P(0)
    first: f64,
    /// P(1) / P(0)
    ratio: f64,
    /// Increase of the ratio per step (times k + 1)
    step: f64,
}

/// The dispersion of each gene: `base[g] + low_count / max(mu, 1)`
#[derive(Debug, Clone, Copy)]
struct Dispersion<'b> {
    base: &'b [f64],
    low_count: f64,
}

impl Dispersion<'_> {
    /// The dispersion of `gene` at mean `mu` (recomputed where needed rather than stored)
    #[inline]
    fn of(&self, gene: usize, mu: f64) -> f64 {
        if self.low_count > 0.0 {
            self.base[gene] + self.low_count / mu.max(1.0)
        } else {
            self.base[gene]
        }
    }
}

/// Draws the negative binomial counts of whole samples; holds the per-gene work space, so
/// one sampler serves every sample of a query without allocating
#[derive(Debug, Clone)]
pub struct CountSampler<'a> {
    normal: &'a Ziggurat,
    elementary: Elementary,
    /// Genes drawn by the corrected normal (first `n` entries valid)
    approximated: Vec<u32>,
    /// Genes drawn exactly by inversion
    small: Vec<u32>,
    /// Large genes drawn by the gamma-Poisson mixture
    skewed: Vec<u32>,
    /// Standard normal draws of the approximated genes
    normals: Vec<f64>,
    /// Small genes whose uniform is not below the cubic bound on P(0)
    walks: Vec<Walk>,
}

impl<'a> CountSampler<'a> {
    /// A sampler over these normal tables, for samples of `n_genes` genes
    pub fn new(normal: &'a Ziggurat, n_genes: usize) -> CountSampler<'a> {
        CountSampler {
            normal,
            elementary: Elementary::new(),
            approximated: vec![0; n_genes],
            small: vec![0; n_genes],
            skewed: vec![0; n_genes],
            normals: vec![0.0; n_genes],
            walks: vec![Walk::default(); n_genes],
        }
    }

    /// Fills `out` with one count per gene: mean `mu[g]`, dispersion
    /// `base_dispersion[g] + low_count_dispersion / max(mu[g], 1)`; `mu`, `base_dispersion`
    /// and `out` have the sampler's gene count
    pub fn sample(
        &mut self,
        mu: &[f32],
        base_dispersion: &[f64],
        low_count_dispersion: f64,
        rng: &mut Pcg64,
        out: &mut [u32],
    ) {
        let dispersion = Dispersion {
            base: base_dispersion,
            low_count: low_count_dispersion,
        };
        let (n_approximated, n_small, n_skewed) = self.classify(mu, dispersion);
        self.draw_approximated(n_approximated, mu, dispersion, rng, out);
        for &gene in &self.skewed[..n_skewed] {
            let gene = gene as usize;
            let m = f64::from(mu[gene]);
            out[gene] = self.gamma_poisson(m, dispersion.of(gene, m), rng);
        }
        let n_walks = self.draw_uniforms(n_small, mu, rng, out);
        self.prepare_walks(n_walks, mu, dispersion);
        for walk in &self.walks[..n_walks] {
            out[walk.gene as usize] = inversion(walk);
        }
    }

    /// The corrected normal draws of the approximated genes: the standard normal draws first
    /// (two per generator step), then the counts in a pass without branches on the data
    #[inline(never)]
    fn draw_approximated(
        &mut self,
        n: usize,
        mu: &[f32],
        dispersion: Dispersion<'_>,
        rng: &mut Pcg64,
        out: &mut [u32],
    ) {
        let normals = &mut self.normals[..n];
        let mut pairs = normals.chunks_exact_mut(2);
        for pair in &mut pairs {
            (pair[0], pair[1]) = self.normal.sample_pair(rng);
        }
        if let [last] = pairs.into_remainder() {
            *last = self.normal.sample(rng);
        }
        for (&gene, &n) in self.approximated[..n].iter().zip(normals.iter()) {
            let gene = gene as usize;
            let m = f64::from(mu[gene]);
            let spread = dispersion.of(gene, m) * m;
            let sd = (m * (1.0 + spread)).sqrt();
            out[gene] = corrected_normal(m, sd, (1.0 + 2.0 * spread) / sd, n);
        }
    }

    /// A uniform for each small gene: 0 when it is below the cubic bound on P(0), else the gene
    /// joins the walks; returns the number of walks
    #[inline(never)]
    fn draw_uniforms(&mut self, n: usize, mu: &[f32], rng: &mut Pcg64, out: &mut [u32]) -> usize {
        let mut n_walks = 0;
        for &gene in &self.small[..n] {
            let u = uniform(rng);
            out[gene as usize] = 0;
            // Written for every small gene, kept (by counting it) only when it must walk
            let walk = &mut self.walks[n_walks];
            walk.gene = gene;
            walk.u = u;
            let m = f64::from(mu[gene as usize]);
            n_walks += usize::from(u >= 1.0 - m * (1.0 - m * (0.5 - m * (1.0 / 6.0))));
        }
        n_walks
    }

    /// P(0) and the step ratios of each walk (no branches on the data: pipelines well)
    #[inline(never)]
    fn prepare_walks(&mut self, n: usize, mu: &[f32], dispersion: Dispersion<'_>) {
        for walk in &mut self.walks[..n] {
            let gene = walk.gene as usize;
            let m = f64::from(mu[gene]);
            let spread = dispersion.of(gene, m) * m;
            let w = 1.0 + spread;
            let share = 1.0 / w;
            // ln(1 + spread) / spread (1 at 0); the correction is the rounding error of w
            let ln_ratio = if spread < 1e-4 {
                // 1 - x/2 + x^2/3 - x^3/4: the next term is below 2e-17
                1.0 - spread * (0.5 - spread * (1.0 / 3.0 - spread * 0.25))
            } else {
                let correction = (spread - (w - 1.0)) * share;
                self.elementary.ln_at_least_one(w, correction) / spread
            };
            walk.first = self.elementary.exp_nonpositive(-m * ln_ratio);
            walk.ratio = m * share;
            walk.step = spread * share;
        }
    }

    /// Sorts the genes by how they are drawn (no branches on the data); returns the numbers
    /// of approximated, small and skewed genes
    #[inline(never)]
    fn classify(&mut self, mu: &[f32], dispersion: Dispersion<'_>) -> (usize, usize, usize) {
        let (mut n_approximated, mut n_small, mut n_skewed) = (0, 0, 0);
        let max_skewness_squared = MAX_APPROX_SKEWNESS * MAX_APPROX_SKEWNESS;
        for (gene, &m) in mu.iter().enumerate() {
            let m = f64::from(m);
            let spread = dispersion.of(gene, m) * m;
            let numerator = 1.0 + 2.0 * spread;
            let large = m >= EXACT_BELOW_MEAN;
            // skewness <= MAX_APPROX_SKEWNESS, squared: no square root or division
            let symmetric = numerator * numerator <= max_skewness_squared * (m * (1.0 + spread));
            let gene = gene as u32;
            self.approximated[n_approximated] = gene;
            self.small[n_small] = gene;
            self.skewed[n_skewed] = gene;
            n_approximated += usize::from(large && symmetric);
            n_skewed += usize::from(large && !symmetric);
            n_small += usize::from(!large);
        }
        (n_approximated, n_small, n_skewed)
    }

    /// The gamma-Poisson mixture, for large skewed counts
    fn gamma_poisson(&self, mu: f64, phi: f64, rng: &mut Pcg64) -> u32 {
        let shape = 1.0 / phi;
        let source = &mut ZigguratSource {
            normal: self.normal,
            rng,
        };
        let lambda = mu * gamma(shape, source) / shape;
        if lambda >= EXACT_BELOW_MEAN {
            let sd = lambda.sqrt();
            return corrected_normal(lambda, sd, 1.0 / sd, self.normal.sample(rng));
        }
        let u = uniform(rng);
        inversion(&Walk {
            gene: 0,
            u,
            first: self.elementary.exp_nonpositive(-lambda),
            ratio: lambda,
            step: 0.0,
        })
    }
}

/// The standard normal draw `n` with a first-order skewness correction (`skewness` at most
/// 0.75), scaled, rounded and clamped at 0
#[inline]
fn corrected_normal(mean: f64, sd: f64, skewness: f64, n: f64) -> u32 {
    let a = skewness * (1.0 / 6.0);
    let standardised = (n + a * (n * n - 1.0)) * inverse_sqrt_1p(2.0 * a * a);
    let value = mean + sd * standardised;
    // Rounded half up by truncation, clamped to [0, u32::MAX] (`max`/`min` rather than
    // branches; a NaN becomes 0)
    (value.max(0.0).min(f64::from(u32::MAX)) + 0.5) as u32
}

/// `1 / sqrt(1 + x)` for `0 <= x <= 2 (0.75 / 6)^2 = 0.03125`: binomial series to x^4
/// (truncation below 1e-8 relative, far below the approximation's own error), no square root
/// or division on the sampler's critical path
#[inline]
fn inverse_sqrt_1p(x: f64) -> f64 {
    1.0 - x * (1.0 / 2.0 - x * (3.0 / 8.0 - x * (5.0 / 16.0 - x * (35.0 / 128.0))))
}

/// The smallest k whose cumulative probability reaches `walk.u`
///
/// The first [`UNROLLED`] cumulative probabilities are all computed and compared without
/// branches (the count is how many are below u: they increase with k), so the processor
/// overlaps the walks of successive genes instead of mispredicting where each one stops;
/// only a u beyond them continues step by step. The values are the same as step by step.
#[inline(never)]
fn inversion(walk: &Walk) -> u32 {
    let mut probability = walk.first;
    let mut cumulative = probability;
    let mut below = u32::from(walk.u > cumulative);
    let mut k = 0.0f64;
    for &reciprocal in &RECIPROCALS[..UNROLLED - 1] {
        probability *= (walk.ratio + k * walk.step) * reciprocal;
        k += 1.0;
        cumulative += probability;
        below += u32::from(walk.u > cumulative);
    }
    if walk.u <= cumulative {
        return below;
    }
    // The tail: tabulated 1 / (k + 1) while they last, then divisions
    let mut count = UNROLLED - 1;
    while walk.u > cumulative && count < TABULATED_STEPS {
        probability *= (walk.ratio + k * walk.step) * RECIPROCALS[count];
        count += 1;
        k += 1.0;
        cumulative += probability;
    }
    while walk.u > cumulative {
        probability *= (walk.ratio + k * walk.step) / (k + 1.0);
        count += 1;
        k += 1.0;
        let next = cumulative + probability;
        if next == cumulative {
            // The rest of the tail is below the rounding of the sum (or u is beyond it)
            break;
        }
        cumulative = next;
    }
    u32::try_from(count).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sampler::sample_rng;

    /// `n` draws with mean `mu` and dispersion `phi`: one sample of `n` identical genes
    fn draws(mu: f64, phi: f64, n: usize, rng: &mut Pcg64) -> Vec<u32> {
        let normal = Ziggurat::new();
        let mut sampler = CountSampler::new(&normal, n);
        let mut out = vec![u32::MAX; n];
        sampler.sample(&vec![mu as f32; n], &vec![phi; n], 0.0, rng, &mut out);
        out
    }

    /// Mean, variance and skewness of `n` draws
    fn moments(mu: f64, phi: f64, n: usize) -> (f64, f64, f64) {
        let draws: Vec<f64> = draws(mu, phi, n, &mut sample_rng(5, 1, 2))
            .into_iter()
            .map(f64::from)
            .collect();
        let n = n as f64;
        let mean = draws.iter().sum::<f64>() / n;
        let variance = draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
        let third = draws.iter().map(|x| (x - mean).powi(3)).sum::<f64>() / n;
        (mean, variance, third / variance.powf(1.5))
    }

    #[test]
    fn moments_match_the_negative_binomial_in_every_regime() {
        // (mu, phi): exact small, exact skewed, approximated large, Poisson
        for (mu, phi) in [
            (0.2, 0.5),
            (3.0, 0.1),
            (25.0, 2.0),
            (40.0, 0.05),
            (500.0, 0.02),
            (5000.0, 0.4),
            (20000.0, 0.01),
            (100.0, 0.0),
        ] {
            let mu = f64::from(mu as f32);
            let (mean, variance, skewness) = moments(mu, phi, 200_000);
            let want_variance = mu + phi * mu * mu;
            let want_skewness = (1.0 + 2.0 * phi * mu) / want_variance.sqrt();
            assert!(
                (mean / mu - 1.0).abs() < 0.02,
                "mu {mu} phi {phi}: mean {mean}"
            );
            assert!(
                (variance / want_variance - 1.0).abs() < 0.04,
                "mu {mu} phi {phi}: variance {variance} want {want_variance}"
            );
            assert!(
                (skewness - want_skewness).abs() < 0.1 + 0.1 * want_skewness,
                "mu {mu} phi {phi}: skewness {skewness} want {want_skewness}"
            );
        }
    }

    /// The negative binomial (Poisson at phi = 0) mass function, from log-gamma
    fn pmf(mu: f64, phi: f64, k: u32) -> f64 {
        let k = f64::from(k);
        if phi == 0.0 {
            return libm::exp(k * libm::log(mu) - mu - libm::lgamma(k + 1.0));
        }
        let r = 1.0 / phi;
        libm::exp(
            libm::lgamma(k + r) - libm::lgamma(r) - libm::lgamma(k + 1.0)
                + r * libm::log(r / (r + mu))
                + k * libm::log(mu / (r + mu)),
        )
    }

    #[test]
    fn small_means_follow_the_exact_mass_function() {
        let n = 400_000;
        // Tiny, rare, Poisson, moderate, heavy-tailed and near the switch to the approximation
        for (mu, phi) in [
            (0.003, 0.2),
            (0.4, 0.05),
            (1.5, 0.3),
            (2.5, 0.0),
            (6.0, 3.0),
            (9.9, 0.01),
        ] {
            let mu = f64::from(mu as f32);
            let mut histogram = vec![0u32; 60];
            for count in draws(mu, phi, n, &mut sample_rng(17, 3, 1)) {
                if let Some(slot) = histogram.get_mut(count as usize) {
                    *slot += 1;
                }
            }
            for (k, &seen) in histogram.iter().enumerate() {
                let want = pmf(mu, phi, k as u32);
                let observed = f64::from(seen) / n as f64;
                // five standard errors of a binomial proportion, plus rounding slack
                let tolerance = 5.0 * (want * (1.0 - want) / n as f64).sqrt() + 1e-6;
                assert!(
                    (observed - want).abs() <= tolerance,
                    "mu {mu} phi {phi} k {k}: observed {observed}, exact {want}"
                );
            }
        }
    }

    #[test]
    fn zero_means_give_zero_and_the_far_tail_ends() {
        let mut rng = sample_rng(1, 1, 1);
        assert!(draws(0.0, 0.3, 1000, &mut rng).iter().all(|&c| c == 0));
        // A heavy tail (phi 50) many times: every draw returns and the mean is right
        let n = 200_000;
        let total: f64 = draws(9.0, 50.0, n, &mut rng)
            .into_iter()
            .map(f64::from)
            .sum();
        assert!((total / n as f64 / 9.0 - 1.0).abs() < 0.15);
    }

    #[test]
    fn mixed_genes_each_get_their_own_distribution_and_low_count_dispersion() {
        // Genes alternate between three means: every kind in one sample, in any order
        let means = [0.5f32, 40.0, 3000.0];
        let n = 90_000;
        let mu: Vec<f32> = (0..n).map(|g| means[g % 3]).collect();
        let base = vec![0.05; n];
        let normal = Ziggurat::new();
        let mut sampler = CountSampler::new(&normal, n);
        let mut out = vec![u32::MAX; n];
        let mut rng = sample_rng(4, 0, 0);
        sampler.sample(&mu, &base, 2.0, &mut rng, &mut out);
        for (which, &m) in means.iter().enumerate() {
            let m = f64::from(m);
            let phi = 0.05 + 2.0 / m.max(1.0);
            let values: Vec<f64> = out
                .iter()
                .skip(which)
                .step_by(3)
                .map(|&c| f64::from(c))
                .collect();
            let count = values.len() as f64;
            let mean = values.iter().sum::<f64>() / count;
            let variance = values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / count;
            let want_variance = m + phi * m * m;
            assert!((mean / m - 1.0).abs() < 0.03, "mu {m}: mean {mean}");
            assert!(
                (variance / want_variance - 1.0).abs() < 0.06,
                "mu {m}: variance {variance} want {want_variance}"
            );
        }
    }
}
