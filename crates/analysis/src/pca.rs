//! PCA of samples on centred log CPM of the most variable genes.
//!
//! Method: block subspace iteration with Rayleigh-Ritz (Halko, Martinsson & Tropp 2011,
//! algorithm 4.4 with re-orthonormalisation every step), started from a fixed-seed random block,
//! so results are reproducible. Each step costs two passes over the selected genes
//! (`O(samples x genes x block)`), never a Gram matrix of the samples; the small projected
//! problem is solved by Jacobi. Iteration stops when every requested component's residual
//! `|A u - lambda u|` (A = X X^T) is below `1e-5 lambda_1`, or when no requested eigenvalue
//! changed by more than 1e-5 of the total variance in one step, or after 30 steps. Well separated
//! components (the ones a PCA plot shows) converge in a few steps; components lost in a cluster
//! of nearly equal eigenvalues (noise) get their variance right but their direction within the
//! cluster is only reproducible, not unique. With fewer samples than the block width, the first
//! step already spans every direction and the answer is exact.
//!
//! Sign convention: each component's largest-magnitude gene loading is positive (the first such
//! gene on ties).

use rand::{RngCore, SeedableRng};
use synthome_matrix::ExpressionMatrix;

use crate::centred::Centred;
use crate::eigen::{JacobiStop, largest_entry_is_negative, symmetric_eigen};
use crate::moments::GeneMoments;
use crate::variable::top_by_variance;
use crate::{AnalysisError, moments};

/// What to compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PcaConfig {
    /// Components to return (at least 1; fewer come back when the data have fewer).
    pub n_components: usize,
    /// How many of the most variable genes to use (at least 1).
    pub n_top_genes: usize,
}

impl Default for PcaConfig {
    fn default() -> Self {
        Self {
            n_components: 10,
            n_top_genes: 2_000,
        }
    }
}

/// One principal component.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PrincipalComponent {
    /// Coordinate of every sample on this component, in sample order.
    pub scores: Vec<f64>,
    /// Unit-length loading of every used gene, in the order of [`Pca::genes`].
    pub loadings: Vec<f64>,
    /// Variance of the scores (eigenvalue / (samples - 1)).
    pub variance: f64,
    /// Share of the total variance of the used genes that this component explains.
    pub variance_ratio: f64,
}

/// A PCA of the samples.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Pca {
    /// Genes used (column indices), most variable first.
    pub genes: Vec<usize>,
    /// Components, largest variance first.
    pub components: Vec<PrincipalComponent>,
    /// Sum of the variances of the used genes (the denominator of `variance_ratio`).
    pub total_variance: f64,
    /// Subspace iterations run.
    pub iterations: usize,
}

/// Extra block width beyond the requested components (speeds convergence).
const OVERSAMPLING: usize = 10;
/// Residual tolerance relative to the largest eigenvalue.
const TOLERANCE: f64 = 1e-5;
/// Change of every requested eigenvalue in one iteration, as a share of the total variance,
/// below which the explained variances have settled (to about 5e-4 of the total even for
/// components in a cluster of nearly equal eigenvalues, which converge slowly as vectors).
const STAGNATION: f64 = 1e-5;
/// Iterations after which the current estimate is returned.
const MAX_ITERATIONS: usize = 30;
/// Seed of the starting block.
const START_SEED: u64 = 0x5EED_0000_0000_0BCA;

/// Runs the PCA of all samples of `matrix`.
///
/// ```
/// use std::sync::Arc;
/// use synthome_analysis::{pca, PcaConfig};
/// use synthome_matrix::{Dense, ExpressionMatrix, ExpressionValues, GeneTable, SampleMetadata};
///
/// let genes = GeneTable::new(vec!["G1".into(), "G2".into(), "G3".into()],
///                            vec!["A".into(), "B".into(), "C".into()])?;
/// let samples = (1..=4).map(|i| SampleMetadata::new(format!("s{i}"), vec![])).collect();
/// let counts = Dense::new(4, 3, vec![10, 90, 0, 12, 88, 0, 90, 10, 0, 88, 12, 0])?;
/// let matrix = ExpressionMatrix::new(Arc::new(genes), samples, ExpressionValues::Counts(counts))?;
/// let result = pca(&matrix, &PcaConfig::default()).map_err(|e| e.to_string()).ok();
/// let first = result.as_ref().map(|p| &p.components[0]);
/// // Samples 1-2 and 3-4 separate on PC1, which explains almost everything.
/// assert!(first.is_some_and(|pc| pc.scores[0] * pc.scores[2] < 0.0 && pc.variance_ratio > 0.99));
/// # Ok::<(), synthome_matrix::MatrixError>(())
/// ```
pub fn pca(matrix: &ExpressionMatrix, config: &PcaConfig) -> Result<Pca, AnalysisError> {
    pca_with_moments(matrix, &moments::all_samples(matrix), config)
}

/// [`pca`] from per-gene moments already computed over all samples of `matrix` (the viewer's
/// overview shares one pass between the PCA and the heatmap).
pub(crate) fn pca_with_moments(
    matrix: &ExpressionMatrix,
    stats: &GeneMoments,
    config: &PcaConfig,
) -> Result<Pca, AnalysisError> {
    if config.n_components == 0 {
        return Err(AnalysisError::InvalidParameter {
            parameter: "n_components",
            value: "0".into(),
            rule: "at least 1",
        });
    }
    if config.n_top_genes == 0 {
        return Err(AnalysisError::InvalidParameter {
            parameter: "n_top_genes",
            value: "0".into(),
            rule: "at least 1",
        });
    }
    let n_samples = matrix.n_samples();
    if n_samples < 2 {
        return Err(AnalysisError::TooFewSamples {
            what: "the PCA",
            size: n_samples,
            minimum: 2,
        });
    }
    let genes = top_by_variance(&stats.variance, config.n_top_genes);
    let total_variance: f64 = genes.iter().map(|&gene| stats.variance[gene]).sum();
    let means = genes.iter().map(|&gene| stats.mean[gene]).collect();
    let data = Centred::new(matrix, &genes, means);
    let width = (config.n_components + OVERSAMPLING)
        .max(2 * config.n_components)
        .min(n_samples)
        .min(genes.len());
    let total_ss = total_variance * (n_samples - 1) as f64;
    let solution = subspace_iteration(&data, n_samples, width, config.n_components, total_ss);
    let components = solution
        .pairs
        .into_iter()
        .filter(|pair| pair.eigenvalue > total_ss * 1e-12)
        .map(|pair| {
            let variance = pair.eigenvalue / (n_samples - 1) as f64;
            PrincipalComponent {
                scores: pair.scores,
                loadings: pair.loadings,
                variance,
                variance_ratio: variance / total_variance,
            }
        })
        .collect();
    Ok(Pca {
        genes,
        components,
        total_variance,
        iterations: solution.iterations,
    })
}

/// A converged eigenpair of `X X^T`, expressed as scores and loadings.
struct Pair {
    eigenvalue: f64,
    scores: Vec<f64>,
    loadings: Vec<f64>,
}

struct Solution {
    pairs: Vec<Pair>,
    iterations: usize,
}

/// The top `k` eigenpairs of `X X^T` by subspace iteration with a block of `width` vectors.
/// `total_ss` is the total sum of squares of the data (the trace of `X X^T`).
fn subspace_iteration(
    data: &Centred,
    n_samples: usize,
    width: usize,
    k: usize,
    total_ss: f64,
) -> Solution {
    let n_genes = data.n_cols();
    if width == 0 {
        return Solution {
            pairs: Vec::new(),
            iterations: 0,
        };
    }
    let mut rng = rand_pcg::Pcg64::seed_from_u64(START_SEED);
    let start: Vec<Vec<f64>> = (0..width)
        .map(|_| {
            (0..n_genes)
                .map(|_| f64::from(rng.next_u32()) / f64::from(u32::MAX) - 0.5)
                .collect()
        })
        .collect();
    let mut q = orthonormalise(data.times(&start));
    let mut iterations = 0;
    let mut previous: Vec<f64> = Vec::new();
    loop {
        iterations += 1;
        // Rayleigh-Ritz: B = Q^T X (rows of zt), S = B B^T = W Lambda W^T.
        let zt = data.transpose_times(&q);
        let r = zt.len();
        let mut s = vec![0.0; r * r];
        for i in 0..r {
            for j in 0..=i {
                let value: f64 = zt[i].iter().zip(&zt[j]).map(|(a, b)| a * b).sum();
                s[i * r + j] = value;
                s[j * r + i] = value;
            }
        }
        let eigen = symmetric_eigen(&s, r, JacobiStop::TO_ROUNDING);
        let k_now = k.min(r);
        // Ritz vectors U = Q W and A U = X (X^T Q) W = Y W.
        let y = data.times(&zt);
        let combine = |block: &[Vec<f64>], weights: &[f64]| -> Vec<f64> {
            let mut out = vec![0.0; n_samples];
            for (vector, &weight) in block.iter().zip(weights) {
                for (slot, &x) in out.iter_mut().zip(vector) {
                    *slot += weight * x;
                }
            }
            out
        };
        let largest = eigen.values.first().copied().unwrap_or(0.0).max(0.0);
        let stagnant = previous.len() == k_now
            && (0..k_now).all(|i| (eigen.values[i] - previous[i]).abs() <= STAGNATION * total_ss);
        previous = eigen.values[..k_now].to_vec();
        let converged = stagnant
            || (0..k_now).all(|i| {
                let u = combine(&q, &eigen.vectors[i]);
                let au = combine(&y, &eigen.vectors[i]);
                let residual: f64 = au
                    .iter()
                    .zip(&u)
                    .map(|(a, b)| (a - eigen.values[i] * b).powi(2))
                    .sum::<f64>()
                    .sqrt();
                residual <= TOLERANCE * largest
            });
        if converged || iterations >= MAX_ITERATIONS || r == 0 {
            let pairs = (0..k_now)
                .map(|i| {
                    let eigenvalue = eigen.values[i].max(0.0);
                    let sigma = eigenvalue.sqrt();
                    let u = combine(&q, &eigen.vectors[i]);
                    let mut loadings = vec![0.0; n_genes];
                    for (row, &weight) in zt.iter().zip(&eigen.vectors[i]) {
                        for (slot, &x) in loadings.iter_mut().zip(row) {
                            *slot += weight * x;
                        }
                    }
                    let inverse = if sigma > 0.0 { 1.0 / sigma } else { 0.0 };
                    loadings.iter_mut().for_each(|x| *x *= inverse);
                    let mut scores: Vec<f64> = u.iter().map(|x| x * sigma).collect();
                    fix_sign(&mut loadings, &mut scores);
                    Pair {
                        eigenvalue,
                        scores,
                        loadings,
                    }
                })
                .collect();
            return Solution { pairs, iterations };
        }
        q = orthonormalise(y);
    }
}

/// Flips a component so that its largest-magnitude loading (the first on ties) is positive.
fn fix_sign(loadings: &mut [f64], scores: &mut [f64]) {
    if largest_entry_is_negative(loadings) {
        loadings.iter_mut().for_each(|x| *x = -*x);
        scores.iter_mut().for_each(|x| *x = -*x);
    }
}

/// Orthonormal basis of the span of `block` by modified Gram-Schmidt, applied twice;
/// vectors that are (numerically) in the span of the earlier ones are dropped.
fn orthonormalise(block: Vec<Vec<f64>>) -> Vec<Vec<f64>> {
    let scale = block
        .iter()
        .map(|vector| norm(vector))
        .fold(0.0f64, f64::max);
    let mut basis: Vec<Vec<f64>> = Vec::with_capacity(block.len());
    for mut vector in block {
        for _ in 0..2 {
            for done in &basis {
                let projection: f64 = vector.iter().zip(done).map(|(a, b)| a * b).sum();
                for (slot, &b) in vector.iter_mut().zip(done) {
                    *slot -= projection * b;
                }
            }
        }
        let length = norm(&vector);
        if length > scale * 1e-10 && length > 0.0 {
            vector.iter_mut().for_each(|x| *x /= length);
            basis.push(vector);
        }
    }
    basis
}

fn norm(vector: &[f64]) -> f64 {
    vector.iter().map(|x| x * x).sum::<f64>().sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_matrix::{counts_matrix, sparse_matrix};

    /// Counts with two strong directions of variation and noise, deterministic.
    fn structured_counts(n_samples: usize, n_genes: usize) -> Vec<Vec<u32>> {
        let mut state = 99u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as f64 / (1u64 << 31) as f64
        };
        (0..n_samples)
            .map(|sample| {
                let a = if sample % 3 == 0 { 2.0 } else { -1.0 };
                let b = (sample as f64 / n_samples as f64) - 0.5;
                (0..n_genes)
                    .map(|gene| {
                        let loading_a = if gene % 4 == 0 { 1.0 } else { 0.0 };
                        let loading_b = if gene % 5 == 1 { 2.0 } else { 0.0 };
                        let log_mean = 4.0 + loading_a * a + loading_b * b + 0.3 * next();
                        log_mean.exp().round() as u32
                    })
                    .collect()
            })
            .collect()
    }

    /// Exact eigenvalues of the centred Gram matrix by Jacobi, for comparison.
    fn exact_eigenvalues(matrix: &ExpressionMatrix, genes: &[usize]) -> Vec<f64> {
        let columns: Vec<Vec<f64>> = genes
            .iter()
            .map(|&gene| {
                let column: Vec<f64> = matrix
                    .gene_log_cpm(gene)
                    .unwrap_or_default()
                    .iter()
                    .map(|&v| f64::from(v))
                    .collect();
                let mean = column.iter().sum::<f64>() / column.len() as f64;
                column.iter().map(|v| v - mean).collect()
            })
            .collect();
        let n = matrix.n_samples();
        let mut gram = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                gram[i * n + j] = columns.iter().map(|c| c[i] * c[j]).sum();
            }
        }
        symmetric_eigen(&gram, n, JacobiStop::TO_ROUNDING).values
    }

    #[test]
    fn matches_an_exact_decomposition() {
        let matrix = counts_matrix(&structured_counts(60, 80));
        let config = PcaConfig {
            n_components: 4,
            n_top_genes: 50,
        };
        let result = pca(&matrix, &config).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(result.genes.len(), 50);
        let exact = exact_eigenvalues(&matrix, &result.genes);
        for (component, eigenvalue) in result.components.iter().zip(&exact) {
            let ours = component.variance * 59.0;
            assert!(
                (ours - eigenvalue).abs() < 1e-3 * exact[0],
                "{ours} vs {eigenvalue}"
            );
        }
        // Scores are orthogonal, and their variance is the component variance.
        let first = &result.components[0];
        let second = &result.components[1];
        let dot: f64 = first
            .scores
            .iter()
            .zip(&second.scores)
            .map(|(a, b)| a * b)
            .sum();
        assert!(dot.abs() < 1e-3 * first.variance * 59.0);
        let mean: f64 = first.scores.iter().sum::<f64>() / 60.0;
        let variance: f64 = first.scores.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / 59.0;
        assert!(mean.abs() < 1e-3);
        assert!((variance - first.variance).abs() < 1e-3 * first.variance);
        let ratios: f64 = result.components.iter().map(|c| c.variance_ratio).sum();
        assert!(ratios <= 1.0 + 1e-9 && ratios > 0.5);
        // PC1 separates every third sample (factor a) from the rest.
        let sign = first.scores[0].signum();
        for (sample, score) in first.scores.iter().enumerate() {
            assert_eq!(score.signum() == sign, sample % 3 == 0, "sample {sample}");
        }
        // Loadings are unit vectors with the largest entry positive.
        let length: f64 = first.loadings.iter().map(|x| x * x).sum();
        assert!((length - 1.0).abs() < 1e-6);
        let largest =
            first.loadings.iter().fold(
                0.0f64,
                |best, &x| if x.abs() > best.abs() { x } else { best },
            );
        assert!(largest > 0.0);
    }

    #[test]
    fn sparse_and_dense_inputs_agree_and_runs_repeat_exactly() {
        let rows = structured_counts(30, 40);
        let sparse_rows: Vec<Vec<u32>> = rows
            .iter()
            .map(|row| row.iter().map(|&c| if c < 50 { 0 } else { c }).collect())
            .collect();
        let config = PcaConfig {
            n_components: 3,
            n_top_genes: 30,
        };
        let dense = pca(&counts_matrix(&sparse_rows), &config);
        let sparse = pca(&sparse_matrix(&sparse_rows), &config);
        let (dense, sparse) = match (dense, sparse) {
            (Ok(dense), Ok(sparse)) => (dense, sparse),
            other => panic!("{other:?}"),
        };
        assert_eq!(dense.genes, sparse.genes);
        for (a, b) in dense.components.iter().zip(&sparse.components) {
            assert!((a.variance - b.variance).abs() < 1e-3 * a.variance);
            for (x, y) in a.scores.iter().zip(&b.scores) {
                assert!((x - y).abs() < 1e-2 * (1.0 + x.abs()), "{x} vs {y}");
            }
        }
        let again = pca(&counts_matrix(&sparse_rows), &config);
        assert_eq!(again.ok(), Some(dense));
    }

    #[test]
    fn few_samples_are_exact_and_degenerate_inputs_are_handled() {
        // Two samples: exactly one component.
        let matrix = counts_matrix(&[vec![10, 0, 5], vec![0, 10, 5]]);
        let result = pca(&matrix, &PcaConfig::default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(result.components.len(), 1);
        assert!((result.components[0].variance_ratio - 1.0).abs() < 1e-6);
        // No variable gene: no components, no error.
        let flat = counts_matrix(&[vec![1, 1], vec![1, 1], vec![1, 1]]);
        let result = pca(&flat, &PcaConfig::default()).unwrap_or_else(|e| panic!("{e}"));
        assert!(result.components.is_empty());
        // One sample, or zero components asked: errors that say so.
        let one = counts_matrix(&[vec![1, 2]]);
        let error = pca(&one, &PcaConfig::default())
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            error.as_deref(),
            Some("the PCA has 1 samples; at least 2 are needed")
        );
        let zero = PcaConfig {
            n_components: 0,
            ..PcaConfig::default()
        };
        assert!(matches!(
            pca(&flat, &zero),
            Err(AnalysisError::InvalidParameter {
                parameter: "n_components",
                ..
            })
        ));
    }
}
