//! Exact k nearest neighbours by Euclidean distance: every pair is measured once, in a fixed
//! order, and each point keeps its closest others in a sorted list (ties go to the lower
//! index). `O(n^2 d)`: about 10^9 multiply-adds at 10,000 points of 30 coordinates.

use crate::dense::DenseMatrix;

/// Each point's nearest others, closest first.
pub(super) struct Neighbours {
    /// Neighbours per point.
    pub k: usize,
    /// `indices[point * k + rank]`.
    pub indices: Vec<usize>,
    /// Euclidean distances, in the order of `indices`.
    pub distances: Vec<f64>,
}

impl Neighbours {
    /// The neighbours of `point`, closest first, with their distances.
    pub fn of(&self, point: usize) -> (&[usize], &[f64]) {
        let range = point * self.k..(point + 1) * self.k;
        (&self.indices[range.clone()], &self.distances[range])
    }
}

/// The `k` nearest other points of every row of `points` (`k < points.rows`).
///
/// Point `i`'s squared distances to every later point are summed coordinate by coordinate
/// over the columns of the transposed points: the same order of additions as a row-by-row
/// sum, but independent across points, so the inner loop vectorises.
pub(super) fn exact_neighbours(points: &DenseMatrix, k: usize) -> Neighbours {
    let n = points.rows;
    let columns: Vec<Vec<f64>> = (0..points.cols)
        .map(|col| (0..n).map(|row| points.at(row, col)).collect())
        .collect();
    let mut lists: Vec<Vec<(f64, usize)>> = vec![Vec::with_capacity(k + 1); n];
    let mut squared = vec![0.0; n];
    for i in 0..n {
        let later = &mut squared[i + 1..];
        later.fill(0.0);
        for column in &columns {
            let centre = column[i];
            for (sum, &value) in later.iter_mut().zip(&column[i + 1..]) {
                let difference = centre - value;
                *sum += difference * difference;
            }
        }
        for (offset, &distance) in later.iter().enumerate() {
            let j = i + 1 + offset;
            offer(&mut lists[i], k, distance, j);
            offer(&mut lists[j], k, distance, i);
        }
    }
    let mut indices = Vec::with_capacity(n * k);
    let mut distances = Vec::with_capacity(n * k);
    for list in lists {
        for (squared, index) in list {
            indices.push(index);
            distances.push(squared.sqrt());
        }
    }
    Neighbours {
        k,
        indices,
        distances,
    }
}

/// Puts `(distance, index)` into the sorted `list` of at most `k` when it is closer than the
/// farthest kept; candidates arrive in increasing index, so an equal distance keeps the first.
fn offer(list: &mut Vec<(f64, usize)>, k: usize, distance: f64, index: usize) {
    if list.len() == k && list.last().is_some_and(|&(worst, _)| distance >= worst) {
        return;
    }
    let at = list.partition_point(|&(kept, _)| kept <= distance);
    list.insert(at, (distance, index));
    list.truncate(k);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_closest_others_in_order_with_ties_to_the_lower_index() {
        // Points on a line at 0, 1, 3, 4, 10.
        let points = DenseMatrix {
            rows: 5,
            cols: 1,
            data: vec![0.0, 1.0, 3.0, 4.0, 10.0],
        };
        let neighbours = exact_neighbours(&points, 2);
        assert_eq!(neighbours.of(0), (&[1, 2][..], &[1.0, 3.0][..]));
        // Point 2 (at 3) is 1 from point 3 and 2 from point 1.
        assert_eq!(neighbours.of(2).0, &[3, 1]);
        // Point 1 (at 1) is 1 from point 0 and 2 from point 2.
        assert_eq!(neighbours.of(1).0, &[0, 2]);
        assert_eq!(neighbours.of(4), (&[3, 2][..], &[6.0, 7.0][..]));
        // Equal distances: 0 and 2 are both 1 from the middle point; the lower index comes first.
        let tied = DenseMatrix {
            rows: 3,
            cols: 1,
            data: vec![0.0, 1.0, 2.0],
        };
        assert_eq!(exact_neighbours(&tied, 1).of(1).0, &[0]);
    }
}
