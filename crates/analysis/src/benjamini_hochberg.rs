//! Benjamini-Hochberg adjusted p-values (false discovery rate).

/// Adjusted p-values `min_{j >= i} p_(j) m / j`, capped at 1, where `m` counts the p-values
/// present (untested entries, `None` or NaN, stay `None` and do not count).
///
/// ```
/// use synthome_analysis::benjamini_hochberg;
/// let adjusted = benjamini_hochberg(&[Some(0.01), None, Some(0.04), Some(0.03)]);
/// assert_eq!(adjusted, vec![Some(0.03), None, Some(0.04), Some(0.04)]);
/// ```
pub fn benjamini_hochberg(p_values: &[Option<f64>]) -> Vec<Option<f64>> {
    let mut tested: Vec<(usize, f64)> = p_values
        .iter()
        .enumerate()
        .filter_map(|(index, p)| p.filter(|p| !p.is_nan()).map(|p| (index, p)))
        .collect();
    tested.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    let m = tested.len() as f64;
    let mut adjusted = vec![None; p_values.len()];
    let mut running = 1.0f64;
    for (rank, &(index, p)) in tested.iter().enumerate().rev() {
        running = running.min(p * m / (rank + 1) as f64);
        adjusted[index] = Some(running);
    }
    adjusted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_scipy_false_discovery_control() {
        // python3 -c "from scipy import stats; print(stats.false_discovery_control(p))"
        // (scipy 1.17.1)
        let p = [0.01, 0.04, 0.03, 0.005, 0.2, 0.5, 0.04, 0.9];
        let expected = [
            0.04,
            0.064,
            0.064,
            0.04,
            0.26666666666666666,
            0.5714285714285714,
            0.064,
            0.9,
        ];
        let ours = benjamini_hochberg(&p.map(Some));
        for (ours, expected) in ours.iter().zip(expected) {
            let ours = ours.unwrap_or(f64::NAN);
            assert!((ours - expected).abs() < 1e-15, "{ours} vs {expected}");
        }
    }

    #[test]
    fn untested_entries_stay_out() {
        assert_eq!(benjamini_hochberg(&[]), Vec::<Option<f64>>::new());
        assert_eq!(
            benjamini_hochberg(&[None, Some(f64::NAN), Some(0.5)]),
            vec![None, None, Some(0.5)]
        );
        assert_eq!(
            benjamini_hochberg(&[Some(0.9), Some(0.95)]),
            vec![Some(0.95), Some(0.95)]
        );
    }
}
