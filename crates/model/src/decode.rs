//! The decoder kernel: fixed-order f32 arithmetic (no fused multiply-add), so native and wasm
//! builds produce the same bits
//!
//! `log_cpm = offset + sum_k loadings[k] * z[k]` (factors added in order k = 0, 1, ...,
//! factors with z[k] = 0 skipped), then
//! `expected = total_count * exp(log_cpm) / sum(exp(log_cpm))`, the sum taken in f64 in gene
//! order.
//!
//! Samples are decoded in batches, a block of genes at a time: the block's loadings stay in
//! the cache while every sample of the batch uses them, instead of streaming all loadings once
//! per sample. Each sample's values are computed by the same operations in the same order as
//! one at a time, so batching does not change a bit.

/// Genes per block: 20 factors x 1,024 genes of f32 loadings is 80 KB (fits in L2 cache)
const BLOCK: usize = 1024;

/// Decodes a batch of samples into expected counts at `total_count`
///
/// Sample `s` has offset `offset(s)` (log CPM before latent variation), loadings
/// `loadings(s)` (factor-major, `k * n_genes`: the model's or its family's) and latent scores
/// `z[s * z_stride..]`, of which the first `k` are used; its expected counts go to
/// `out[s * n_genes..(s + 1) * n_genes]`. `sums` is work space.
#[inline(never)]
#[allow(clippy::too_many_arguments)]
pub(crate) fn decode_batch<'a>(
    offset: impl Fn(usize) -> &'a [f32],
    loadings: impl Fn(usize) -> &'a [f32],
    z: &[f32],
    z_stride: usize,
    total_count: f64,
    sums: &mut Vec<f64>,
    out: &mut [f32],
    n_genes: usize,
) {
    if n_genes == 0 {
        return;
    }
    let n_samples = out.len() / n_genes;
    sums.clear();
    sums.resize(n_samples, 0.0);
    let mut start = 0;
    while start < n_genes {
        let end = (start + BLOCK).min(n_genes);
        for (sample, values) in out.chunks_exact_mut(n_genes).enumerate() {
            let block = &mut values[start..end];
            let loadings = loadings(sample);
            let n_factors = loadings.len() / n_genes;
            let scores = &z[sample * z_stride..sample * z_stride + n_factors];
            let offset = &offset(sample)[start..end];
            decode_block(
                offset,
                loadings,
                scores,
                n_genes,
                start,
                block,
                &mut sums[sample],
            );
        }
        start = end;
    }
    for (values, &sum) in out.chunks_exact_mut(n_genes).zip(sums.iter()) {
        let scale = if sum > 0.0 {
            (total_count / sum) as f32
        } else {
            0.0
        };
        for value in values.iter_mut() {
            *value *= scale;
        }
    }
}

/// Genes whose log CPM are accumulated together in registers
const LANES: usize = 16;

/// `block = exp(offset + sum_k loadings[k][start..] * scores[k])` (factors in order, zero
/// scores skipped), adding each value to `sum` in gene order; `LANES` genes at a time stay in
/// registers across all factors and the exp (the same operations per gene, in the same order
/// as one factor at a time over all genes)
#[inline]
fn decode_block(
    offset: &[f32],
    loadings: &[f32],
    scores: &[f32],
    n_genes: usize,
    start: usize,
    block: &mut [f32],
    sum: &mut f64,
) {
    let whole = block.len() - block.len() % LANES;
    for first in (0..whole).step_by(LANES) {
        let mut lanes = [0.0f32; LANES];
        lanes.copy_from_slice(&offset[first..first + LANES]);
        for (factor, &score) in scores.iter().enumerate() {
            if score == 0.0 {
                continue;
            }
            let at = factor * n_genes + start + first;
            let row = &loadings[at..at + LANES];
            for (value, &loading) in lanes.iter_mut().zip(row) {
                *value += loading * score;
            }
        }
        for value in lanes.iter_mut() {
            *value = exp_fixed(*value);
        }
        for &value in &lanes {
            *sum += f64::from(value);
        }
        block[first..first + LANES].copy_from_slice(&lanes);
    }
    for gene in whole..block.len() {
        let mut value = offset[gene];
        for (factor, &score) in scores.iter().enumerate() {
            if score != 0.0 {
                value += loadings[factor * n_genes + start + gene] * score;
            }
        }
        let value = exp_fixed(value);
        *sum += f64::from(value);
        block[gene] = value;
    }
}

/// 1.5 * 2^23: adding and subtracting it rounds an f32 of magnitude below 2^22 to the nearest
/// integer, and the integer is then the low bits of the sum
const ROUNDER: f32 = 12_582_912.0;

/// e^x in f32 from fixed-order arithmetic (no libm call, no fused multiply-add): 2^(x log2 e)
/// as 2^n (exponent bits) times a degree-6 polynomial for 2^f, f in [-0.5, 0.5]; relative
/// error below 2e-6 on [-20, 20] (f32 rounding of the argument), the same bits everywhere.
/// Finite arguments only (log CPM always is). No float-to-int conversion, so the loops that
/// call it vectorise.
#[inline]
pub(crate) fn exp_fixed(x: f32) -> f32 {
    let x = x.clamp(-87.0, 88.0);
    let t = x * std::f32::consts::LOG2_E;
    // n = t rounded half away from zero: truncate t +- 0.5, by rounding to nearest and
    // stepping back toward zero where that went past it
    let v = if t >= 0.0 { t + 0.5 } else { t - 0.5 };
    let nearest = (v + ROUNDER) - ROUNDER;
    let n = if v >= 0.0 && nearest > v {
        nearest - 1.0
    } else if v < 0.0 && nearest < v {
        nearest + 1.0
    } else {
        nearest
    };
    let f = t - n;
    // 2^f = e^(f ln 2): Taylor coefficients of e^y with y = f ln 2, Horner order fixed
    let y = f * std::f32::consts::LN_2;
    let p = 1.0
        + y * (1.0
            + y * (0.5
                + y * (1.0 / 6.0 + y * (1.0 / 24.0 + y * (1.0 / 120.0 + y * (1.0 / 720.0))))));
    // n + ROUNDER is exact; its bits minus those of ROUNDER are n
    let n_bits = (n + ROUNDER).to_bits().wrapping_sub(ROUNDER.to_bits());
    let bits = n_bits.wrapping_add(127) << 23;
    p * f32::from_bits(bits)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// exp_fixed as first written, with a float-to-int conversion
    fn exp_by_conversion(x: f32) -> f32 {
        let x = x.clamp(-87.0, 88.0);
        let t = x * std::f32::consts::LOG2_E;
        let n = (if t >= 0.0 { t + 0.5 } else { t - 0.5 }) as i32 as f32;
        let y = (t - n) * std::f32::consts::LN_2;
        let p = 1.0
            + y * (1.0
                + y * (0.5
                    + y * (1.0 / 6.0 + y * (1.0 / 24.0 + y * (1.0 / 120.0 + y * (1.0 / 720.0))))));
        p * f32::from_bits(((n as i32 + 127) as u32) << 23)
    }

    #[test]
    fn fixed_exp_keeps_its_bits_without_the_conversion() {
        // Every multiple of 2^-12 on [-100, 100] (halves of integers after scaling included)
        for step in -409_600..=409_600 {
            let x = step as f32 / 4096.0;
            assert_eq!(
                exp_fixed(x).to_bits(),
                exp_by_conversion(x).to_bits(),
                "x {x}"
            );
        }
        // Arguments that make t an exact half: t = k + 0.5
        for k in -125..126 {
            let x = (k as f32 + 0.5) / std::f32::consts::LOG2_E;
            for x in [
                x,
                f32::from_bits(x.to_bits() + 1),
                f32::from_bits(x.to_bits() - 1),
            ] {
                assert_eq!(
                    exp_fixed(x).to_bits(),
                    exp_by_conversion(x).to_bits(),
                    "x {x}"
                );
            }
        }
    }

    #[test]
    fn fixed_exp_is_accurate() {
        let mut x = -20.0f32;
        while x < 20.0 {
            let want = f64::from(x).exp();
            let got = f64::from(exp_fixed(x));
            assert!(((got - want) / want).abs() < 2e-6, "x {x}: {got} vs {want}");
            x += 0.0137;
        }
        assert!(exp_fixed(-200.0) > 0.0 && exp_fixed(-200.0) < 1e-37);
    }

    #[test]
    fn decode_adds_each_factor_and_expected_counts_sum_to_the_library() {
        let offset = [0.0f32, 1.0, 2.0];
        let loadings = [1.0f32, 0.0, -1.0, 0.5, 0.5, 0.5];
        let mut out = [0.0f32; 3];
        let mut sums = Vec::new();
        decode_batch(
            |_| &offset,
            |_| &loadings,
            &[2.0, -2.0],
            2,
            1000.0,
            &mut sums,
            &mut out,
            3,
        );
        // log CPM [1, 0, -1]
        let total: f32 = out.iter().sum();
        assert!((total - 1000.0).abs() < 1e-2);
        assert!((out[0] / out[1] - std::f32::consts::E).abs() < 1e-4);
        assert!((out[1] / out[2] - std::f32::consts::E).abs() < 1e-4);
    }

    /// The decoder as it was before batching: one sample, all genes per factor pass
    fn one_at_a_time(offset: &[f32], loadings: &[f32], z: &[f32], total_count: f64) -> Vec<f32> {
        let n_genes = offset.len();
        let mut values = offset.to_vec();
        for (factor, &score) in z.iter().enumerate() {
            if score == 0.0 {
                continue;
            }
            let row = &loadings[factor * n_genes..(factor + 1) * n_genes];
            for (value, &loading) in values.iter_mut().zip(row) {
                *value += loading * score;
            }
        }
        let mut sum = 0.0f64;
        for value in values.iter_mut() {
            *value = exp_fixed(*value);
            sum += f64::from(*value);
        }
        let scale = (total_count / sum) as f32;
        values.iter().map(|value| value * scale).collect()
    }

    #[test]
    fn a_batch_gives_the_bits_of_one_sample_at_a_time() {
        // More genes than a block, zero and non-zero scores, two offsets, and a sample with
        // its family's loadings (fewer factors)
        let n_genes = 2 * BLOCK + 37;
        let n_factors = 3;
        let wave = |i: usize, scale: f32| ((i * 7919 % 1000) as f32 / 1000.0 - 0.5) * scale;
        let loadings: Vec<f32> = (0..n_factors * n_genes).map(|i| wave(i, 0.8)).collect();
        let offsets: Vec<Vec<f32>> = (0..2)
            .map(|o| (0..n_genes).map(|g| 2.0 + wave(g + o * 13, 6.0)).collect())
            .collect();
        let family: Vec<f32> = (0..2 * n_genes).map(|i| wave(i + 5, 1.3)).collect();
        let z = [0.3f32, 0.0, -1.2, 1.1, 0.7, 0.4, 0.0, 0.0, 0.0];
        let which = [0usize, 1, 0];
        let of_sample = |s: usize| if s == 1 { &family } else { &loadings };
        let mut sums = Vec::new();
        let mut batch = vec![0.0f32; 3 * n_genes];
        decode_batch(
            |s| &offsets[which[s]],
            |s| of_sample(s),
            &z,
            n_factors,
            1e7,
            &mut sums,
            &mut batch,
            n_genes,
        );
        for sample in 0..3 {
            let used = of_sample(sample).len() / n_genes;
            let alone = one_at_a_time(
                &offsets[which[sample]],
                of_sample(sample),
                &z[sample * n_factors..sample * n_factors + used],
                1e7,
            );
            let bits = |values: &[f32]| values.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            assert_eq!(
                bits(&batch[sample * n_genes..(sample + 1) * n_genes]),
                bits(&alone)
            );
        }
        assert_ne!(batch[..n_genes], batch[2 * n_genes..]);
    }
}
