//! Histograms with nice bin edges (library sizes, expression values).

use crate::nice::NiceScale;

/// Counts of values in consecutive bins `[edges[i], edges[i + 1])`, the last bin closed.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    /// Bin edges, one more than bins; multiples of a nice step.
    pub edges: Vec<f64>,
    /// Values per bin.
    pub counts: Vec<usize>,
    /// Values left out because they are NaN or infinite.
    pub skipped: usize,
}

/// Bins the finite values into about `target_bins` bins with nice edges.
///
/// No finite values give an empty histogram; equal values give one bin.
///
/// ```
/// let h = synthome_analysis::histogram(&[1.0, 2.5, 2.5, 9.9, f64::NAN], 5);
/// assert_eq!(h.edges, vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
/// assert_eq!(h.counts, vec![1, 2, 0, 0, 1]);
/// assert_eq!(h.skipped, 1);
/// ```
pub fn histogram(values: &[f64], target_bins: usize) -> Histogram {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let skipped = values.len() - finite.len();
    let (Some(low), Some(high)) = (
        finite.iter().copied().reduce(f64::min),
        finite.iter().copied().reduce(f64::max),
    ) else {
        return Histogram {
            edges: Vec::new(),
            counts: Vec::new(),
            skipped,
        };
    };
    let mut scale = NiceScale::new(low, high, target_bins.max(1));
    if low == high {
        // One bin around the value.
        scale.min = libm::floor(low / scale.step) * scale.step;
        scale.max = scale.min + scale.step;
    }
    let edges = scale.ticks();
    let n_bins = edges.len().saturating_sub(1).max(1);
    let mut counts = vec![0; n_bins];
    for value in finite {
        let mut bin = (((value - scale.min) / scale.step) as usize).min(n_bins - 1);
        while bin + 1 < n_bins && value >= edges[bin + 1] {
            bin += 1;
        }
        while bin > 0 && value < edges[bin] {
            bin -= 1;
        }
        counts[bin] += 1;
    }
    Histogram {
        edges,
        counts,
        skipped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_finite_value_lands_in_the_bin_that_contains_it() {
        let values: Vec<f64> = (0..1000)
            .map(|i| 1e6 + (i * 37 % 1000) as f64 * 1234.5)
            .collect();
        let h = histogram(&values, 12);
        assert_eq!(h.counts.iter().sum::<usize>(), 1000);
        assert_eq!(h.edges.len(), h.counts.len() + 1);
        for value in values {
            let bin = h
                .edges
                .windows(2)
                .position(|e| value >= e[0] && value < e[1]);
            let bin = bin.unwrap_or(h.counts.len() - 1);
            assert!(h.counts[bin] > 0);
        }
        let step = h.edges[1] - h.edges[0];
        assert_eq!(crate::nice_step(step * 0.999), step);
    }

    #[test]
    fn values_on_edges_go_up_except_the_last() {
        let h = histogram(&[0.0, 0.2, 0.4, 1.0], 5);
        assert_eq!(h.edges.len(), 6);
        assert_eq!(h.counts, vec![1, 1, 1, 0, 1]);
    }

    #[test]
    fn degenerate_inputs() {
        let empty = histogram(&[f64::INFINITY], 10);
        assert!(empty.counts.is_empty());
        assert_eq!(empty.skipped, 1);
        let same = histogram(&[3.0, 3.0], 10);
        assert_eq!(same.counts, vec![2]);
        assert!(same.edges[0] <= 3.0 && same.edges[1] > 3.0);
        let zero = histogram(&[0.0], 10);
        assert_eq!(zero.counts, vec![1]);
    }
}
