//! A stratified k-fold cross-validated two-sample classifier (random forest, AUROC)

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_pcg::Pcg64;

use synthome_analysis::auroc;

use super::forest::Forest;

/// How a two-sample classifier is run
#[derive(Debug, Clone, Copy)]
pub(crate) struct Classifier {
    /// Folds
    pub folds: usize,
    /// Repeats of the whole cross-validation with fresh folds (the AUROC is their mean)
    pub repeats: usize,
    /// Trees per forest
    pub trees: usize,
    /// Seed of the fold assignment and the forests
    pub seed: u64,
}

impl Classifier {
    /// Mean over folds and repeats of the out-of-fold AUROC of a random forest telling
    /// `y = true` from `y = false` (stratified folds); `None` when a class has fewer samples
    /// than folds
    pub(crate) fn cross_validated_auroc(&self, x: &[Vec<f64>], y: &[bool]) -> Option<f64> {
        let mut rng = Pcg64::seed_from_u64(self.seed);
        let mut aurocs = Vec::with_capacity(self.folds * self.repeats);
        for _ in 0..self.repeats.max(1) {
            aurocs.extend(self.once(x, y, &mut rng)?);
        }
        (!aurocs.is_empty()).then(|| aurocs.iter().sum::<f64>() / aurocs.len() as f64)
    }

    /// The AUROC of each fold of one cross-validation
    fn once(&self, x: &[Vec<f64>], y: &[bool], rng: &mut Pcg64) -> Option<Vec<f64>> {
        let mut fold_of = vec![0usize; y.len()];
        for class in [false, true] {
            let mut members: Vec<usize> = (0..y.len()).filter(|&i| y[i] == class).collect();
            if members.len() < self.folds {
                return None;
            }
            members.shuffle(rng);
            for (position, &i) in members.iter().enumerate() {
                fold_of[i] = position % self.folds;
            }
        }
        let mut aurocs = Vec::with_capacity(self.folds);
        for fold in 0..self.folds {
            let train: Vec<usize> = (0..y.len()).filter(|&i| fold_of[i] != fold).collect();
            let test: Vec<usize> = (0..y.len()).filter(|&i| fold_of[i] == fold).collect();
            let train_x: Vec<Vec<f64>> = train.iter().map(|&i| x[i].clone()).collect();
            let train_y: Vec<bool> = train.iter().map(|&i| y[i]).collect();
            let forest = Forest::fit(&train_x, &train_y, self.trees, rng);
            let scores: Vec<f64> = test.iter().map(|&i| forest.predict(&x[i])).collect();
            let labels: Vec<bool> = test.iter().map(|&i| y[i]).collect();
            aurocs.extend(auroc(&scores, &labels));
        }
        Some(aurocs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_classifier_tells_shifted_groups_apart_and_not_equal_ones() {
        let classifier = Classifier {
            folds: 5,
            repeats: 1,
            trees: 50,
            seed: 3,
        };
        let mut rng = Pcg64::seed_from_u64(9);
        let draw = |shift: f64, rng: &mut Pcg64| -> Vec<f64> {
            (0..5)
                .map(|_| super::super::gaussian::standard_normal(rng) + shift)
                .collect()
        };
        let mut x = Vec::new();
        let mut y = Vec::new();
        for i in 0..60 {
            x.push(draw(if i < 30 { 0.0 } else { 3.0 }, &mut rng));
            y.push(i >= 30);
        }
        let apart = classifier.cross_validated_auroc(&x, &y).unwrap_or(0.0);
        assert!(apart > 0.95, "{apart}");
        let same: Vec<Vec<f64>> = (0..60).map(|_| draw(0.0, &mut rng)).collect();
        let chance = classifier.cross_validated_auroc(&same, &y).unwrap_or(1.0);
        assert!(chance < 0.75, "{chance}");
    }
}
