//! A nearest-centroid classifier on the genes that best separate two groups (Welch t)

use synthome_analysis::{mean, sample_variance as variance};

/// A two-class nearest-centroid classifier on a few features
#[derive(Debug, Clone)]
pub(crate) struct NearestCentroid {
    /// Feature indices used
    pub features: Vec<usize>,
    /// Centroid of class `false` on those features
    pub centroid_false: Vec<f64>,
    /// Centroid of class `true`
    pub centroid_true: Vec<f64>,
}

impl NearestCentroid {
    /// Fits on `x[sample][feature]` with labels `y`, keeping the `n_features` features with
    /// the largest |Welch t|; `None` when a class has fewer than 2 samples
    pub(crate) fn fit(x: &[Vec<f64>], y: &[bool], n_features: usize) -> Option<NearestCentroid> {
        let n_true = y.iter().filter(|&&l| l).count();
        if n_true < 2 || y.len() - n_true < 2 {
            return None;
        }
        let width = x.first().map_or(0, Vec::len);
        let group = |f: usize, class: bool| -> Vec<f64> {
            x.iter()
                .zip(y)
                .filter(|(_, l)| **l == class)
                .map(|(row, _)| row[f])
                .collect()
        };
        let mut scored: Vec<(f64, usize)> = (0..width)
            .filter_map(|f| {
                let (a, b) = (group(f, false), group(f, true));
                let se = (variance(&a) / a.len() as f64 + variance(&b) / b.len() as f64).sqrt();
                let difference = mean(&b) - mean(&a);
                (se > 0.0).then(|| ((difference / se).abs(), f))
            })
            .collect();
        scored.sort_by(|p, q| q.0.total_cmp(&p.0).then(p.1.cmp(&q.1)));
        let features: Vec<usize> = scored.iter().take(n_features).map(|&(_, f)| f).collect();
        let centroid = |class: bool| -> Vec<f64> {
            features.iter().map(|&f| mean(&group(f, class))).collect()
        };
        Some(NearestCentroid {
            centroid_false: centroid(false),
            centroid_true: centroid(true),
            features,
        })
    }

    /// Positions (in `features`) where class `true`'s centroid exceeds class `false`'s by
    /// more than `margin`
    pub(crate) fn higher_in_true(&self, margin: f64) -> Vec<usize> {
        (0..self.features.len())
            .filter(|&i| self.centroid_true[i] - self.centroid_false[i] > margin)
            .collect()
    }

    /// Mean of `row` over the features at `positions`
    pub(crate) fn mean_at(&self, row: &[f64], positions: &[usize]) -> f64 {
        positions
            .iter()
            .map(|&i| row[self.features[i]])
            .sum::<f64>()
            / positions.len().max(1) as f64
    }

    /// The class of `row` (full feature vector): the nearer centroid
    pub(crate) fn classify(&self, row: &[f64]) -> bool {
        let (mut to_false, mut to_true) = (0.0, 0.0);
        for (i, &f) in self.features.iter().enumerate() {
            to_false += (row[f] - self.centroid_false[i]).powi(2);
            to_true += (row[f] - self.centroid_true[i]).powi(2);
        }
        to_true < to_false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_separating_feature() {
        let x: Vec<Vec<f64>> = (0..10)
            .map(|i| {
                let class = i % 2 == 1;
                vec![
                    f64::from(i),
                    if class { 5.0 } else { 0.0 } + 0.1 * f64::from(i % 3),
                ]
            })
            .collect();
        let y: Vec<bool> = (0..10).map(|i| i % 2 == 1).collect();
        let classifier = NearestCentroid::fit(&x, &y, 1).expect("fits");
        assert_eq!(classifier.features, vec![1]);
        assert!(classifier.classify(&[100.0, 4.0]));
        assert!(!classifier.classify(&[-100.0, 0.5]));
    }
}
