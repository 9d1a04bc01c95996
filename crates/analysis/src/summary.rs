//! Per-group distribution summaries of one gene (or any per-sample value): quartiles, Tukey
//! whiskers and outliers for box plots, a kernel density for violins.

use crate::kde::{DensityPoint, gaussian_kde};
use crate::quantile::quantile;
use crate::{AnalysisError, Grouping};

/// Box-plot statistics; quartiles by linear interpolation (numpy's default, R type 7).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoxStats {
    /// Smallest value.
    pub min: f64,
    /// First quartile.
    pub q1: f64,
    /// Median.
    pub median: f64,
    /// Third quartile.
    pub q3: f64,
    /// Largest value.
    pub max: f64,
    /// Mean.
    pub mean: f64,
    /// Smallest value at or above `q1 - 1.5 IQR`.
    pub lower_whisker: f64,
    /// Largest value at or below `q3 + 1.5 IQR`.
    pub upper_whisker: f64,
}

/// The distribution of the values of one group.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupSummary {
    /// Group label.
    pub label: String,
    /// Every (sample, value) of the group, in sample order.
    pub points: Vec<(usize, f64)>,
    /// Box statistics; `None` for an empty group.
    pub box_stats: Option<BoxStats>,
    /// (sample, value) beyond the whiskers, in sample order.
    pub outliers: Vec<(usize, f64)>,
    /// Gaussian kernel density over `[min, max]`; empty when the group has fewer than two
    /// distinct values.
    pub density: Vec<DensityPoint>,
}

/// Grid points of each density curve.
const DENSITY_POINTS: usize = 64;

/// Summaries of `values` (one per sample) for every group, in group order.
///
/// Non-finite values are left out.
///
/// ```
/// use synthome_analysis::{Grouping, summarize_by_group};
/// let grouping = Grouping::new(vec!["a".into(), "b".into()], vec![0, 0, 0, 1, 1])?;
/// let summaries = summarize_by_group(&[1.0, 2.0, 3.0, 5.0, 5.0], &grouping)?;
/// assert_eq!(summaries[0].box_stats.map(|b| b.median), Some(2.0));
/// assert!(summaries[1].density.is_empty()); // no spread, no curve
/// # Ok::<(), synthome_analysis::AnalysisError>(())
/// ```
pub fn summarize_by_group(
    values: &[f32],
    grouping: &Grouping,
) -> Result<Vec<GroupSummary>, AnalysisError> {
    grouping.check_samples(values.len())?;
    let mut points: Vec<Vec<(usize, f64)>> = vec![Vec::new(); grouping.n_groups()];
    for (sample, (&value, &group)) in values.iter().zip(grouping.assignment()).enumerate() {
        if value.is_finite() {
            points[group].push((sample, f64::from(value)));
        }
    }
    Ok(points
        .into_iter()
        .zip(grouping.labels())
        .map(|(points, label)| summarize(label, points))
        .collect())
}

fn summarize(label: &str, points: Vec<(usize, f64)>) -> GroupSummary {
    let mut sorted: Vec<f64> = points.iter().map(|&(_, value)| value).collect();
    sorted.sort_by(f64::total_cmp);
    let box_stats = box_stats(&sorted);
    let outliers = match box_stats {
        Some(stats) => points
            .iter()
            .copied()
            .filter(|&(_, value)| value < stats.lower_whisker || value > stats.upper_whisker)
            .collect(),
        None => Vec::new(),
    };
    GroupSummary {
        label: label.to_owned(),
        density: gaussian_kde(&sorted, DENSITY_POINTS),
        points,
        box_stats,
        outliers,
    }
}

/// Box statistics of sorted values (`None` when empty).
fn box_stats(sorted: &[f64]) -> Option<BoxStats> {
    let (&min, &max) = (sorted.first()?, sorted.last()?);
    let q1 = quantile(sorted, 0.25);
    let q3 = quantile(sorted, 0.75);
    let fence = 1.5 * (q3 - q1);
    let lower_whisker = sorted
        .iter()
        .copied()
        .find(|&v| v >= q1 - fence)
        .unwrap_or(min);
    let upper_whisker = sorted
        .iter()
        .rev()
        .copied()
        .find(|&v| v <= q3 + fence)
        .unwrap_or(max);
    Some(BoxStats {
        min,
        q1,
        median: quantile(sorted, 0.5),
        q3,
        max,
        mean: sorted.iter().sum::<f64>() / sorted.len() as f64,
        lower_whisker,
        upper_whisker,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whiskers_stop_at_data_and_outliers_are_beyond() {
        let grouping =
            Grouping::new(vec!["g".into()], vec![0; 6]).unwrap_or_else(|e| panic!("{e}"));
        let values = [1.0, 2.0, 3.0, 4.0, 10.0, f32::NAN];
        let summary = summarize_by_group(&values, &grouping).unwrap_or_else(|e| panic!("{e}"));
        let stats = summary[0].box_stats.unwrap_or_else(|| panic!("no stats"));
        // IQR = 2 -> fences at -1 and 7.
        assert_eq!(stats.lower_whisker, 1.0);
        assert_eq!(stats.upper_whisker, 4.0);
        assert_eq!(summary[0].outliers, vec![(4, 10.0)]);
        assert_eq!(summary[0].points.len(), 5);
        assert_eq!(stats.mean, 4.0);
    }

    #[test]
    fn empty_groups_and_length_mismatch() {
        let grouping = Grouping::new(vec!["a".into(), "b".into()], vec![0, 0])
            .unwrap_or_else(|e| panic!("{e}"));
        let summary = summarize_by_group(&[1.0, 2.0], &grouping).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(summary[1].box_stats, None);
        assert!(summary[1].density.is_empty());
        assert!(matches!(
            summarize_by_group(&[1.0], &grouping),
            Err(AnalysisError::LengthMismatch { .. })
        ));
    }
}
