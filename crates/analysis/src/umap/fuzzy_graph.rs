//! The fuzzy simplicial set of McInnes, Healy & Melville (2018), section 3.1 and appendix: each
//! point's distances to its neighbours become memberships `exp(-(d - rho) / sigma)`, where
//! `rho` is the distance to its nearest other point and `sigma` is found by bisection so that
//! the memberships sum to `log2(n_neighbors)` (the "smooth kNN distance"); the directed graph
//! is then symmetrised by the fuzzy union `a + b - a b`.

use super::neighbours::Neighbours;

/// Bisection steps of the smooth kNN distance.
const BISECTION_STEPS: usize = 64;
/// How close the memberships' sum must come to its target.
const SUM_TOLERANCE: f64 = 1e-5;
/// Smallest `sigma`, as a share of the mean neighbour distance (umap-learn's
/// `MIN_K_DIST_SCALE`), so that a point among duplicates keeps finite memberships.
const MIN_SIGMA_SCALE: f64 = 1e-3;

/// One edge of the symmetric graph, stored in both directions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Edge {
    /// The point that moves towards `tail`.
    pub head: usize,
    /// The other end.
    pub tail: usize,
    /// Membership strength in (0, 1].
    pub weight: f64,
}

/// The symmetric fuzzy graph of `neighbours` for a neighbourhood of `n_neighbors` (counting
/// the point itself), as directed edges sorted by head then tail.
pub(super) fn fuzzy_graph(neighbours: &Neighbours, n_neighbors: usize) -> Vec<Edge> {
    let n = neighbours.indices.len() / neighbours.k.max(1);
    let target = libm::log2(n_neighbors as f64);
    let overall_mean = mean(&neighbours.distances);
    // Every directed membership keyed by its unordered pair, to be merged by the union.
    let mut directed: Vec<(usize, usize, f64)> = Vec::with_capacity(neighbours.indices.len());
    for point in 0..n {
        let (indices, distances) = neighbours.of(point);
        let rho = distances.iter().copied().find(|&d| d > 0.0).unwrap_or(0.0);
        let floor = MIN_SIGMA_SCALE
            * if rho > 0.0 {
                mean(distances)
            } else {
                overall_mean
            };
        let sigma = smooth_distance(distances, rho, target).max(floor);
        for (&other, &distance) in indices.iter().zip(distances) {
            let (low, high) = (point.min(other), point.max(other));
            directed.push((low, high, membership(distance, rho, sigma)));
        }
    }
    directed.sort_by_key(|&(low, high, _)| (low, high));
    let mut edges = Vec::with_capacity(2 * directed.len());
    let mut at = 0;
    while at < directed.len() {
        let (low, high, first) = directed[at];
        let mut weight = first;
        at += 1;
        if at < directed.len() && (directed[at].0, directed[at].1) == (low, high) {
            let second = directed[at].2;
            weight = first + second - first * second;
            at += 1;
        }
        if weight > 0.0 {
            edges.push(Edge {
                head: low,
                tail: high,
                weight,
            });
            edges.push(Edge {
                head: high,
                tail: low,
                weight,
            });
        }
    }
    edges.sort_by_key(|edge| (edge.head, edge.tail));
    edges
}

/// `exp(-(distance - rho) / sigma)`, 1 within `rho`.
fn membership(distance: f64, rho: f64, sigma: f64) -> f64 {
    let beyond = distance - rho;
    if beyond > 0.0 {
        libm::exp(-beyond / sigma)
    } else {
        1.0
    }
}

/// The `sigma` whose memberships over `distances` sum to `target`, by bisection (doubling
/// until the sum is bracketed).
fn smooth_distance(distances: &[f64], rho: f64, target: f64) -> f64 {
    let (mut low, mut high, mut sigma) = (0.0, f64::INFINITY, 1.0);
    for _ in 0..BISECTION_STEPS {
        let sum: f64 = distances
            .iter()
            .map(|&distance| membership(distance, rho, sigma))
            .sum();
        if (sum - target).abs() < SUM_TOLERANCE {
            break;
        }
        if sum > target {
            high = sigma;
            sigma = (low + high) / 2.0;
        } else {
            low = sigma;
            sigma = if high == f64::INFINITY {
                sigma * 2.0
            } else {
                (low + high) / 2.0
            };
        }
    }
    sigma
}

fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        0.0
    } else {
        values.iter().sum::<f64>() / values.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dense::DenseMatrix;
    use crate::umap::neighbours::exact_neighbours;

    #[test]
    fn memberships_sum_to_the_target_and_the_union_is_symmetric() {
        let distances = [0.5, 0.7, 1.0, 1.6];
        let target = libm::log2(5.0);
        let sigma = smooth_distance(&distances, 0.5, target);
        let sum: f64 = distances.iter().map(|&d| membership(d, 0.5, sigma)).sum();
        assert!((sum - target).abs() < 1e-4, "{sum} vs {target}");

        let points = DenseMatrix {
            rows: 6,
            cols: 2,
            data: vec![0.0, 0.0, 1.0, 0.0, 0.0, 1.5, 5.0, 5.0, 6.0, 5.0, 5.0, 7.0],
        };
        let edges = fuzzy_graph(&exact_neighbours(&points, 2), 3);
        for edge in &edges {
            assert!(edge.weight > 0.0 && edge.weight <= 1.0);
            let back = edges
                .iter()
                .find(|other| (other.head, other.tail) == (edge.tail, edge.head));
            assert_eq!(back.map(|other| other.weight), Some(edge.weight));
        }
        // Each point's nearest neighbour is within rho: membership 1 (and so is the union).
        let first = edges.iter().find(|edge| (edge.head, edge.tail) == (0, 1));
        assert_eq!(first.map(|edge| edge.weight), Some(1.0));
        // The two triangles are not joined.
        assert!(edges.iter().all(|edge| (edge.head < 3) == (edge.tail < 3)));
    }
}
