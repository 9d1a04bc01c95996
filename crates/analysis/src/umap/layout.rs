//! The embedding's optimisation (McInnes, Healy & Melville 2018, section 3.2 and appendix;
//! umap-learn's `optimize_layout_euclidean`): stochastic gradient descent over the graph's
//! edges, each sampled in proportion to its weight, its ends pulled together by the
//! attractive gradient of the cross entropy, and its head pushed away from
//! `NEGATIVE_SAMPLE_RATE` points drawn at random per sample (negative sampling). Gradients are
//! clipped to +-4 and the learning rate falls linearly from 1 to 0. Unlike umap-learn, an edge's
//! negative samples are all measured from the head's position after its attraction and applied
//! together (one step of their summed gradients): the same expected step, without a chain of
//! dependent updates (with the polynomial power, the UMAP of 10,000 points went from 4.1 to
//! 2.9 s, `cargo bench -p synthome-analysis`).
//!
//! The start is the input's first two coordinates (its PCA when the input is PCA scores),
//! scaled to +-10 with a little seeded noise (umap-learn's `init="pca"`). Every random draw
//! comes from one seeded `Pcg64`, in a fixed order. The layout is f32 (as umap-learn's), with
//! the curve's powers from [`power`](super::power).

use rand::{RngCore, SeedableRng};

use super::curve::Curve;
use super::fuzzy_graph::Edge;
use super::power::power;
use crate::dense::DenseMatrix;

/// Negative samples per positive one.
const NEGATIVE_SAMPLE_RATE: f64 = 5.0;
/// Repulsion strength (umap-learn's `gamma`).
const REPULSION: f32 = 1.0;
/// Learning rate at the first epoch.
const INITIAL_ALPHA: f64 = 1.0;
/// Largest magnitude of one coordinate's gradient.
const CLIP: f32 = 4.0;
/// Half the range of the starting layout.
const START_SCALE: f64 = 10.0;
/// Size of the noise added to the start (breaks ties between duplicate points).
const START_NOISE: f64 = 1e-4;

/// The starting layout: the first two coordinates of `points` scaled to `START_SCALE`, plus
/// noise (a single coordinate gets a second of noise only).
pub(super) fn initial_layout(points: &DenseMatrix, rng: &mut rand_pcg::Pcg64) -> Vec<[f32; 2]> {
    let coordinate = |row: usize, col: usize| {
        if col < points.cols {
            points.at(row, col)
        } else {
            0.0
        }
    };
    let largest = points
        .data
        .chunks(points.cols.max(1))
        .flat_map(|row| row.iter().take(2))
        .fold(0.0f64, |most, &value| most.max(value.abs()));
    let expansion = if largest > 0.0 {
        START_SCALE / largest
    } else {
        1.0
    };
    (0..points.rows)
        .map(|row| {
            let mut noisy = |col: usize| {
                coordinate(row, col) * expansion + START_NOISE * (2.0 * uniform(rng) - 1.0)
            };
            let x = noisy(0);
            [x as f32, noisy(1) as f32]
        })
        .collect()
}

/// Optimises `layout` over `edges` for `n_epochs` epochs.
pub(super) fn optimise_layout(
    layout: &mut [[f32; 2]],
    edges: &[Edge],
    curve: Curve,
    n_epochs: usize,
    rng: &mut rand_pcg::Pcg64,
) {
    let n_points = layout.len() as u64;
    let heaviest = edges.iter().map(|edge| edge.weight).fold(0.0, f64::max);
    // Edges lighter than 1/n_epochs of the heaviest would be sampled less than once.
    let edges: Vec<&Edge> = edges
        .iter()
        .filter(|edge| edge.weight >= heaviest / n_epochs as f64)
        .collect();
    let epochs_per_sample: Vec<f64> = edges.iter().map(|edge| heaviest / edge.weight).collect();
    let epochs_per_negative: Vec<f64> = epochs_per_sample
        .iter()
        .map(|every| every / NEGATIVE_SAMPLE_RATE)
        .collect();
    let mut next_sample = epochs_per_sample.clone();
    let mut next_negative = epochs_per_negative.clone();
    let (a, b) = (curve.a as f32, curve.b as f32);
    for epoch in 0..n_epochs {
        let alpha = (INITIAL_ALPHA * (1.0 - epoch as f64 / n_epochs as f64)) as f32;
        let now = epoch as f64;
        for (e, edge) in edges.iter().enumerate() {
            if next_sample[e] > now {
                continue;
            }
            let (head, tail) = (edge.head, edge.tail);
            let mut current = layout[head];
            let mut other = layout[tail];
            let d2 = squared(current, other);
            let attraction = if d2 > 0.0 {
                let powered = power(d2, b);
                -2.0 * a * b * (powered / d2) / (a * powered + 1.0)
            } else {
                0.0
            };
            for axis in 0..2 {
                let step = clip(attraction * (current[axis] - other[axis])) * alpha;
                current[axis] += step;
                other[axis] -= step;
            }
            layout[tail] = other;
            next_sample[e] += epochs_per_sample[e];
            let behind = (now - next_negative[e]) / epochs_per_negative[e];
            // Truncation is the floor here: only positive values are kept.
            let n_negative = if behind > 0.0 { behind as u64 } else { 0 };
            // Every negative sample pushes from the same position (the head after its
            // attraction), so the samples are independent and run side by side.
            let mut push = [0.0f32; 2];
            for _ in 0..n_negative {
                let sampled = ((u64::from(rng.next_u32()) * n_points) >> 32) as usize;
                if sampled == head {
                    continue;
                }
                let far = layout[sampled];
                let d2 = squared(current, far);
                if d2 <= 0.0 {
                    continue;
                }
                let repulsion = 2.0 * REPULSION * b / ((0.001 + d2) * (a * power(d2, b) + 1.0));
                for axis in 0..2 {
                    push[axis] += clip(repulsion * (current[axis] - far[axis])) * alpha;
                }
            }
            for axis in 0..2 {
                current[axis] += push[axis];
            }
            layout[head] = current;
            next_negative[e] += n_negative as f64 * epochs_per_negative[e];
        }
    }
}

fn squared(p: [f32; 2], q: [f32; 2]) -> f32 {
    let (dx, dy) = (p[0] - q[0], p[1] - q[1]);
    dx * dx + dy * dy
}

fn clip(value: f32) -> f32 {
    value.clamp(-CLIP, CLIP)
}

/// Uniform in [0, 1), from 53 random bits (the same on every platform).
fn uniform(rng: &mut rand_pcg::Pcg64) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// A generator seeded with `seed`.
pub(super) fn generator(seed: u64) -> rand_pcg::Pcg64 {
    rand_pcg::Pcg64::seed_from_u64(seed)
}
