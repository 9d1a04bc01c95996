//! The decoder kernel: fixed-order f32 arithmetic (no fused multiply-add), so native and wasm
//! builds produce the same bits
//!
//! `log_cpm = offset + sum_k loadings[k] * z[k]` (factors added in order k = 0, 1, ...), then
//! `expected = total_count * exp(log_cpm) / sum(exp(log_cpm))`, the sum taken in f64 in gene
//! order.

/// Adds the latent variation to `offset`, writing log CPM into `out`
pub(crate) fn decode(offset: &[f32], loadings: &[f32], z: &[f32], out: &mut [f32]) {
    out.copy_from_slice(offset);
    let n_genes = out.len();
    for (factor, &score) in z.iter().enumerate() {
        if score == 0.0 {
            continue;
        }
        let row = &loadings[factor * n_genes..(factor + 1) * n_genes];
        for (value, &loading) in out.iter_mut().zip(row) {
            *value += loading * score;
        }
    }
}

/// Turns log CPM in `values` into expected counts at `total_count`, in place
pub(crate) fn to_expected_counts(values: &mut [f32], total_count: f64) {
    let mut sum = 0.0f64;
    for value in values.iter_mut() {
        *value = exp_fixed(*value);
        sum += f64::from(*value);
    }
    let scale = if sum > 0.0 {
        (total_count / sum) as f32
    } else {
        0.0
    };
    for value in values.iter_mut() {
        *value *= scale;
    }
}

/// e^x in f32 from fixed-order arithmetic (no libm call, no fused multiply-add): 2^(x log2 e)
/// as 2^n (exponent bits) times a degree-6 polynomial for 2^f, f in [-0.5, 0.5]; relative
/// error below 2e-6 on [-20, 20] (f32 rounding of the argument), the same bits everywhere
#[inline]
pub(crate) fn exp_fixed(x: f32) -> f32 {
    let x = x.clamp(-87.0, 88.0);
    let t = x * std::f32::consts::LOG2_E;
    // Round half away from zero by truncation (one instruction; `round` is a library call)
    let n = (if t >= 0.0 { t + 0.5 } else { t - 0.5 }) as i32 as f32;
    let f = t - n;
    // 2^f = e^(f ln 2): Taylor coefficients of e^y with y = f ln 2, Horner order fixed
    let y = f * std::f32::consts::LN_2;
    let p = 1.0
        + y * (1.0
            + y * (0.5
                + y * (1.0 / 6.0 + y * (1.0 / 24.0 + y * (1.0 / 120.0 + y * (1.0 / 720.0))))));
    let bits = ((n as i32 + 127) as u32) << 23;
    p * f32::from_bits(bits)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        decode(&offset, &loadings, &[2.0, -2.0], &mut out);
        assert_eq!(out, [1.0, 0.0, -1.0]);
        to_expected_counts(&mut out, 1000.0);
        let total: f32 = out.iter().sum();
        assert!((total - 1000.0).abs() < 1e-2);
        assert!(out[0] > out[1] && out[1] > out[2]);
        assert!((out[0] / out[1] - std::f32::consts::E).abs() < 1e-4);
    }
}
