//! Per-column moments of small dense data (samples x features); the statistics themselves
//! are synthome-analysis's

use synthome_analysis::{mean, sample_variance};

/// Per-column mean and variance of `rows[sample][feature]`
pub(crate) fn column_moments(rows: &[Vec<f64>]) -> (Vec<f64>, Vec<f64>) {
    let n_features = rows.first().map_or(0, Vec::len);
    let mut means = Vec::with_capacity(n_features);
    let mut variances = Vec::with_capacity(n_features);
    let mut column = Vec::with_capacity(rows.len());
    for f in 0..n_features {
        column.clear();
        column.extend(rows.iter().map(|row| row[f]));
        means.push(mean(&column));
        variances.push(sample_variance(&column));
    }
    (means, variances)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_per_column() {
        let (means, variances) = column_moments(&[vec![1.0, 5.0], vec![2.0, 5.0], vec![3.0, 5.0]]);
        assert_eq!(means, vec![2.0, 5.0]);
        assert!((variances[0] - 1.0).abs() < 1e-12 && variances[1] == 0.0);
    }
}
