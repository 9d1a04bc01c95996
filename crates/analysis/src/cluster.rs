//! Leaf order of an average-linkage (UPGMA) hierarchical clustering, for ordering heatmap rows.
//!
//! Deterministic: the closest pair is the first in (row, column) order among equals, and a
//! merged cluster lists the cluster holding the smaller original index first.

/// Orders items so that similar ones are adjacent, given a symmetric distance matrix
/// (`n * n`, row-major). Naive `O(n^3)`; meant for at most a few hundred items.
pub(crate) fn average_linkage_order(distance: &[f64], n: usize) -> Vec<usize> {
    // Each live cluster: (members in leaf order, smallest original index).
    let mut clusters: Vec<Option<(Vec<usize>, usize)>> =
        (0..n).map(|item| Some((vec![item], item))).collect();
    let mut d = distance.to_vec();
    for _ in 1..n {
        let mut best: Option<(usize, usize, f64)> = None;
        for i in 0..n {
            if clusters[i].is_none() {
                continue;
            }
            for j in i + 1..n {
                if clusters[j].is_none() {
                    continue;
                }
                let dij = d[i * n + j];
                if best.is_none_or(|(_, _, b)| dij < b) {
                    best = Some((i, j, dij));
                }
            }
        }
        let Some((i, j, _)) = best else { break };
        let (Some((members_i, min_i)), Some((members_j, min_j))) =
            (clusters[i].take(), clusters[j].take())
        else {
            break;
        };
        let (size_i, size_j) = (members_i.len() as f64, members_j.len() as f64);
        for k in 0..n {
            if k != i && clusters[k].is_some() {
                let merged = (size_i * d[i * n + k] + size_j * d[j * n + k]) / (size_i + size_j);
                d[i * n + k] = merged;
                d[k * n + i] = merged;
            }
        }
        let (first, second) = if min_i <= min_j {
            (members_i, members_j)
        } else {
            (members_j, members_i)
        };
        let members = first.into_iter().chain(second).collect();
        clusters[i] = Some((members, min_i.min(min_j)));
    }
    clusters
        .into_iter()
        .flatten()
        .flat_map(|(members, _)| members)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn distances(points: &[f64]) -> Vec<f64> {
        let n = points.len();
        (0..n * n)
            .map(|k| (points[k / n] - points[k % n]).abs())
            .collect()
    }

    #[test]
    fn similar_items_end_up_adjacent() {
        // Two tight clusters interleaved: {0, 2, 4} near 0, {1, 3} near 10.
        let points = [0.0, 10.0, 0.1, 10.2, 0.3];
        let order = average_linkage_order(&distances(&points), 5);
        assert_eq!(order.len(), 5);
        let mut sorted = order.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, vec![0, 1, 2, 3, 4]);
        // {0, 2} merge first, then {1, 3}, then 4 joins {0, 2}; smaller indices lead.
        assert_eq!(order, vec![0, 2, 4, 1, 3]);
    }

    #[test]
    fn trivial_sizes() {
        assert_eq!(average_linkage_order(&[], 0), Vec::<usize>::new());
        assert_eq!(average_linkage_order(&[0.0], 1), vec![0]);
    }
}
