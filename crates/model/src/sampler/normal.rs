//! Standard normal draws by the Marsaglia-Tsang ziggurat (128 layers)
//!
//! The tables are computed with `libm`, and the rare slow path calls `libm::exp`/`libm::log`,
//! so the stream of draws is bit-identical on every platform.

use rand::RngCore;
use rand_pcg::Pcg64;

use super::seed::uniform_open;

/// Start of the tail of the 128-layer ziggurat
const TAIL_START: f64 = 3.442_619_855_899;
/// Area of each layer
const LAYER_AREA: f64 = 9.912_563_035_262_17e-3;
/// 2^31, the scale of the signed 32-bit draws
const SCALE: f64 = 2_147_483_648.0;

/// Ziggurat tables for standard normal draws
#[derive(Debug, Clone)]
pub struct Ziggurat {
    /// Acceptance thresholds per layer (compared with |draw|)
    k: [u32; 128],
    /// Layer widths over 2^31
    w: [f64; 128],
    /// Density at each layer edge
    f: [f64; 128],
}

impl Default for Ziggurat {
    fn default() -> Ziggurat {
        Ziggurat::new()
    }
}

impl Ziggurat {
    /// Builds the tables
    pub fn new() -> Ziggurat {
        let mut k = [0u32; 128];
        let mut w = [0f64; 128];
        let mut f = [0f64; 128];
        let mut edge = TAIL_START;
        let mut previous = edge;
        let q = LAYER_AREA / libm::exp(-0.5 * edge * edge);
        k[0] = ((edge / q) * SCALE) as u32;
        k[1] = 0;
        w[0] = q / SCALE;
        w[127] = edge / SCALE;
        f[0] = 1.0;
        f[127] = libm::exp(-0.5 * edge * edge);
        for i in (1..=126).rev() {
            edge = (-2.0 * libm::log(LAYER_AREA / edge + libm::exp(-0.5 * edge * edge))).sqrt();
            k[i + 1] = ((edge / previous) * SCALE) as u32;
            previous = edge;
            f[i] = libm::exp(-0.5 * edge * edge);
            w[i] = edge / SCALE;
        }
        Ziggurat { k, w, f }
    }

    /// One standard normal draw
    #[inline]
    pub fn sample(&self, rng: &mut Pcg64) -> f64 {
        self.draw_with(rng.next_u32() as i32, rng)
    }

    /// Two standard normal draws from one 64-bit output (its low then its high half): half
    /// the generator steps of two [`Ziggurat::sample`] calls
    #[inline]
    pub fn sample_pair(&self, rng: &mut Pcg64) -> (f64, f64) {
        let bits = rng.next_u64();
        let first = self.draw_with(bits as u32 as i32, rng);
        (first, self.draw_with((bits >> 32) as u32 as i32, rng))
    }

    /// The draw that 32 random bits give (more bits from `rng` on the rare slow path)
    #[inline]
    fn draw_with(&self, bits: i32, rng: &mut Pcg64) -> f64 {
        let layer = (bits & 127) as usize;
        if bits.unsigned_abs() < self.k[layer] {
            return f64::from(bits) * self.w[layer];
        }
        self.slow(rng, bits, layer)
    }

    /// The rare path: the tail, or a wedge between layers
    #[cold]
    fn slow(&self, rng: &mut Pcg64, mut bits: i32, mut layer: usize) -> f64 {
        loop {
            let x = f64::from(bits) * self.w[layer];
            if layer == 0 {
                loop {
                    let tail = -libm::log(uniform_open(rng)) / TAIL_START;
                    let y = -libm::log(uniform_open(rng));
                    if y + y >= tail * tail {
                        return if bits > 0 {
                            TAIL_START + tail
                        } else {
                            -TAIL_START - tail
                        };
                    }
                }
            }
            let u = uniform_open(rng);
            if self.f[layer] + u * (self.f[layer - 1] - self.f[layer]) < libm::exp(-0.5 * x * x) {
                return x;
            }
            bits = rng.next_u32() as i32;
            layer = (bits & 127) as usize;
            if bits.unsigned_abs() < self.k[layer] {
                return f64::from(bits) * self.w[layer];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sampler::sample_rng;

    #[test]
    fn moments_and_tails_match_a_standard_normal() {
        check_moments(false);
    }

    #[test]
    fn pairs_match_a_standard_normal_and_are_uncorrelated() {
        check_moments(true);
        let ziggurat = Ziggurat::new();
        let mut rng = sample_rng(8, 0, 0);
        let n = 200_000;
        let product: f64 = (0..n)
            .map(|_| {
                let (a, b) = ziggurat.sample_pair(&mut rng);
                a * b
            })
            .sum();
        assert!((product / f64::from(n)).abs() < 0.01);
    }

    /// Single draws, or pairs
    fn check_moments(pairs: bool) {
        let ziggurat = Ziggurat::new();
        let mut rng = sample_rng(3, 0, 0);
        let n = 400_000;
        let (mut sum, mut sum2, mut sum4, mut beyond2, mut beyond35) = (0.0, 0.0, 0.0, 0, 0);
        let mut pending = None;
        for _ in 0..n {
            let x = if !pairs {
                ziggurat.sample(&mut rng)
            } else if let Some(second) = pending.take() {
                second
            } else {
                let (first, second) = ziggurat.sample_pair(&mut rng);
                pending = Some(second);
                first
            };
            sum += x;
            sum2 += x * x;
            sum4 += x * x * x * x;
            if x.abs() > 2.0 {
                beyond2 += 1;
            }
            if x.abs() > 3.5 {
                beyond35 += 1;
            }
        }
        let n_f = f64::from(n);
        assert!((sum / n_f).abs() < 0.01, "mean {}", sum / n_f);
        assert!((sum2 / n_f - 1.0).abs() < 0.01, "variance {}", sum2 / n_f);
        assert!(
            (sum4 / n_f - 3.0).abs() < 0.08,
            "fourth moment {}",
            sum4 / n_f
        );
        // P(|X| > 2) = 0.0455, P(|X| > 3.5) = 4.65e-4
        assert!((f64::from(beyond2) / n_f - 0.0455).abs() < 0.002);
        assert!((f64::from(beyond35) / n_f - 4.65e-4).abs() < 1.5e-4);
    }
}
