//! Pearson correlation of two equally long series.

use crate::describe::mean;

/// Pearson correlation; `None` when the lengths differ, there are fewer than 2 values or
/// either side has no spread.
///
/// ```
/// let r = synthome_analysis::pearson(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.5]);
/// assert!(r.is_some_and(|r| r > 0.99 && r < 1.0));
/// assert_eq!(synthome_analysis::pearson(&[1.0, 1.0], &[1.0, 2.0]), None);
/// ```
pub fn pearson(a: &[f64], b: &[f64]) -> Option<f64> {
    if a.len() != b.len() || a.len() < 2 {
        return None;
    }
    let (ma, mb) = (mean(a), mean(b));
    let (mut ab, mut aa, mut bb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        ab += (x - ma) * (y - mb);
        aa += (x - ma) * (x - ma);
        bb += (y - mb) * (y - mb);
    }
    (aa > 0.0 && bb > 0.0).then(|| ab / (aa * bb).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_equal_lengths_and_spread() {
        assert_eq!(pearson(&[1.0, 2.0], &[1.0, 2.0, 3.0]), None);
        assert_eq!(pearson(&[1.0], &[1.0]), None);
        assert_eq!(pearson(&[1.0, 2.0], &[3.0, 3.0]), None);
        let r = pearson(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]);
        assert!(r.is_some_and(|r| (r + 1.0).abs() < 1e-12));
    }
}
