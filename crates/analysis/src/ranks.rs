//! Average ranks (ties share their mean rank) and the AUROC built on them.

/// Ranks from 1, ties sharing their average rank.
pub fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&i, &j| values[i].total_cmp(&values[j]));
    let mut out = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        let rank = (start + end + 1) as f64 / 2.0;
        for &i in &order[start..end] {
            out[i] = rank;
        }
        start = end;
    }
    out
}

/// Area under the ROC curve of `scores` for the `positive` labels (Mann-Whitney U over the
/// product of the class sizes; ties count one half); `None` without both classes.
///
/// ```
/// use synthome_analysis::auroc;
/// assert_eq!(auroc(&[0.1, 0.2, 0.8, 0.9], &[false, false, true, true]), Some(1.0));
/// assert_eq!(auroc(&[0.5, 0.5], &[false, true]), Some(0.5));
/// assert_eq!(auroc(&[0.5, 0.5], &[true, true]), None);
/// ```
pub fn auroc(scores: &[f64], positive: &[bool]) -> Option<f64> {
    let ranks = ranks(scores);
    let n_positive = positive.iter().filter(|&&p| p).count() as f64;
    let n_negative = positive.len() as f64 - n_positive;
    if n_positive == 0.0 || n_negative == 0.0 {
        return None;
    }
    let rank_sum: f64 = ranks
        .iter()
        .zip(positive)
        .filter(|(_, p)| **p)
        .map(|(r, _)| r)
        .sum();
    Some((rank_sum - n_positive * (n_positive + 1.0) / 2.0) / (n_positive * n_negative))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_their_rank() {
        assert_eq!(ranks(&[3.0, 1.0, 3.0, 2.0]), vec![3.5, 1.0, 3.5, 2.0]);
        assert!(ranks(&[]).is_empty());
    }

    #[test]
    fn auroc_counts_ordered_pairs() {
        let labels = [false, false, true, true];
        assert_eq!(auroc(&[0.9, 0.1, 0.8, 0.2], &labels), Some(0.5));
        assert_eq!(auroc(&[0.9, 0.2, 0.8, 0.1], &labels), Some(0.25));
        assert_eq!(auroc(&[0.5; 4], &[false, true, false, true]), Some(0.5));
        assert_eq!(auroc(&[0.9, 0.1], &[false, true]), Some(0.0));
        assert_eq!(auroc(&[0.5], &[true]), None);
    }
}
