//! k-means with k-means++ seeding from a seeded stream, several restarts, the lowest inertia
//! kept; clusters renumbered by size (largest first) so labels do not depend on the seed

use synthome_analysis::squared_distance;
use synthome_sc_model::cell_stream;

use super::linalg::Matrix;

/// Most Lloyd iterations per restart
const MAX_ITERATIONS: usize = 100;

/// Cluster label of each row of `points`, `k` clusters, best of `restarts`
pub(crate) fn kmeans(points: &Matrix, k: usize, restarts: usize, seed: u64) -> Vec<usize> {
    let k = k.min(points.rows).max(1);
    let mut best: Option<(f64, Vec<usize>)> = None;
    for restart in 0..restarts.max(1) {
        let (inertia, labels) = run(points, k, seed, restart);
        if best.as_ref().is_none_or(|(known, _)| inertia < *known) {
            best = Some((inertia, labels));
        }
    }
    let labels = best.map(|(_, labels)| labels).unwrap_or_default();
    let mut sizes = vec![0usize; k];
    for &label in &labels {
        sizes[label] += 1;
    }
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| sizes[b].cmp(&sizes[a]).then(a.cmp(&b)));
    let mut rank = vec![0usize; k];
    for (new, &old) in order.iter().enumerate() {
        rank[old] = new;
    }
    labels.into_iter().map(|label| rank[label]).collect()
}

/// One restart: k-means++ seeding then Lloyd iterations; (inertia, labels)
fn run(points: &Matrix, k: usize, seed: u64, restart: usize) -> (f64, Vec<usize>) {
    let n = points.rows;
    let mut stream = cell_stream(seed, 1, restart);
    let mut centres = Matrix::zeros(k, points.cols);
    let first = ((stream.uniform() * n as f64) as usize).min(n - 1);
    centres.row_mut(0).copy_from_slice(points.row(first));
    let mut nearest: Vec<f64> = (0..n)
        .map(|i| squared_distance(points.row(i), centres.row(0)))
        .collect();
    for c in 1..k {
        let total: f64 = nearest.iter().sum();
        let mut target = stream.uniform() * total;
        let mut chosen = n - 1;
        for (i, &d) in nearest.iter().enumerate() {
            target -= d;
            if target < 0.0 {
                chosen = i;
                break;
            }
        }
        centres.row_mut(c).copy_from_slice(points.row(chosen));
        for (i, value) in nearest.iter_mut().enumerate() {
            *value = value.min(squared_distance(points.row(i), centres.row(c)));
        }
    }
    let mut labels = vec![0usize; n];
    let mut inertia = f64::INFINITY;
    for iteration in 0..MAX_ITERATIONS {
        let mut changed = false;
        inertia = 0.0;
        for (i, label) in labels.iter_mut().enumerate() {
            let mut best = (f64::INFINITY, 0);
            for c in 0..k {
                let d = squared_distance(points.row(i), centres.row(c));
                if d < best.0 {
                    best = (d, c);
                }
            }
            inertia += best.0;
            if *label != best.1 || iteration == 0 {
                changed |= *label != best.1;
                *label = best.1;
            }
        }
        if !changed && iteration > 0 {
            break;
        }
        let mut sums = Matrix::zeros(k, points.cols);
        let mut counts = vec![0usize; k];
        for (i, &label) in labels.iter().enumerate() {
            counts[label] += 1;
            for (sum, &value) in sums.row_mut(label).iter_mut().zip(points.row(i)) {
                *sum += value;
            }
        }
        for c in 0..k {
            if counts[c] > 0 {
                for (centre, &sum) in centres.row_mut(c).iter_mut().zip(sums.row(c)) {
                    *centre = sum / counts[c] as f64;
                }
            }
        }
    }
    (inertia, labels)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separates_three_blobs_and_numbers_them_by_size() {
        let mut stream = cell_stream(2, 0, 0);
        let centres = [(0.0, 0.0, 50), (10.0, 0.0, 30), (0.0, 10.0, 20)];
        let mut data = Vec::new();
        let mut truth = Vec::new();
        for (index, &(x, y, n)) in centres.iter().enumerate() {
            for _ in 0..n {
                data.push(x + stream.normal());
                data.push(y + stream.normal());
                truth.push(index);
            }
        }
        let points = Matrix {
            rows: 100,
            cols: 2,
            data,
        };
        let labels = kmeans(&points, 3, 5, 7);
        assert_eq!(labels, truth);
        assert_eq!(labels, kmeans(&points, 3, 5, 7));
    }
}
