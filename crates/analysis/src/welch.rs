//! Welch's unequal-variance t-test from group summaries.

use crate::student_t::student_t_two_sided_p;

/// The outcome of a Welch t-test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WelchTest {
    /// `(mean_a - mean_b) / sqrt(var_a / n_a + var_b / n_b)`.
    pub t: f64,
    /// Welch-Satterthwaite degrees of freedom.
    pub df: f64,
    /// Two-sided p-value.
    pub p_value: f64,
}

/// Mean, sample variance (denominator n - 1) and size of one group.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroupMoments {
    /// Mean.
    pub mean: f64,
    /// Sample variance.
    pub variance: f64,
    /// Number of values.
    pub n: usize,
}

/// Welch's t-test of `a` against `b`.
///
/// `None` when it is undefined: a group with fewer than two values, or no variance in either
/// group (the standard error is 0). One group without variance is fine: the degrees of freedom
/// then come from the other.
///
/// ```
/// use synthome_analysis::{GroupMoments, welch_t_test};
/// let a = GroupMoments { mean: 2.0, variance: 1.0, n: 10 };
/// let b = GroupMoments { mean: 1.0, variance: 1.0, n: 10 };
/// let test = welch_t_test(a, b).map(|t| (t.df, t.p_value));
/// assert!(test.is_some_and(|(df, p)| (df - 18.0).abs() < 1e-12 && p > 0.03 && p < 0.04));
/// ```
pub fn welch_t_test(a: GroupMoments, b: GroupMoments) -> Option<WelchTest> {
    if a.n < 2 || b.n < 2 {
        return None;
    }
    let share_a = a.variance / a.n as f64;
    let share_b = b.variance / b.n as f64;
    let se2 = share_a + share_b;
    if se2 <= 0.0 || !se2.is_finite() {
        return None;
    }
    let t = (a.mean - b.mean) / se2.sqrt();
    let df =
        se2 * se2 / (share_a * share_a / (a.n - 1) as f64 + share_b * share_b / (b.n - 1) as f64);
    Some(WelchTest {
        t,
        df,
        p_value: student_t_two_sided_p(t, df),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moments(values: &[f64]) -> GroupMoments {
        let n = values.len();
        let mean = values.iter().sum::<f64>() / n as f64;
        let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        GroupMoments { mean, variance, n }
    }

    #[test]
    fn matches_scipy_ttest_ind_unequal_var() {
        // python3: from scipy import stats
        // r = stats.ttest_ind(a, b, equal_var=False) -> r.statistic, r.df, r.pvalue (scipy 1.17.1)
        let a = moments(&[5.1, 4.9, 6.2, 5.8, 6.0]);
        let b = moments(&[3.2, 3.9, 4.1, 2.8]);
        let test = welch_t_test(a, b).unwrap_or_else(|| panic!("undefined"));
        assert!((test.t - 5.305557102719069).abs() < 1e-12);
        assert!((test.df - 6.363319930384685).abs() < 1e-12);
        assert!((test.p_value - 0.0015132939672785467).abs() < 1e-14);
        // One group without variance: df = n_b - 1.
        let flat = moments(&[1.0, 1.0, 1.0]);
        let other = moments(&[2.0, 3.0, 4.0, 2.5]);
        let test = welch_t_test(flat, other).unwrap_or_else(|| panic!("undefined"));
        assert!((test.t - -4.3915503282684).abs() < 1e-12);
        assert!((test.df - 3.0).abs() < 1e-12);
        assert!((test.p_value - 0.021875398782757818).abs() < 1e-14);
    }

    #[test]
    fn undefined_without_variance_or_replicates() {
        let flat = GroupMoments {
            mean: 1.0,
            variance: 0.0,
            n: 3,
        };
        let other = GroupMoments {
            mean: 2.0,
            variance: 0.0,
            n: 3,
        };
        assert_eq!(welch_t_test(flat, other), None);
        let single = GroupMoments {
            mean: 1.0,
            variance: 0.0,
            n: 1,
        };
        let spread = GroupMoments {
            mean: 1.0,
            variance: 2.0,
            n: 5,
        };
        assert_eq!(welch_t_test(single, spread), None);
    }
}
