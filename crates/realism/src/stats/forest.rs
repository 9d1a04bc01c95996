//! A random forest classifier (bootstrap samples, sqrt(p) candidate features per split, Gini
//! impurity, trees grown until leaves are pure); probability = mean leaf fraction

use rand::Rng;
use rand::seq::SliceRandom;
use rand_pcg::Pcg64;

/// A fitted forest
#[derive(Debug, Clone)]
pub(crate) struct Forest {
    trees: Vec<Vec<Node>>,
}

#[derive(Debug, Clone)]
enum Node {
    /// Fraction of class `true` among the training samples that reached the leaf
    Leaf(f64),
    /// `x[feature] <= threshold` goes to `left`, else `right`
    Split {
        feature: usize,
        threshold: f64,
        left: usize,
        right: usize,
    },
}

impl Forest {
    /// Fits `n_trees` trees to `x[sample][feature]` with labels `y`
    pub(crate) fn fit(x: &[Vec<f64>], y: &[bool], n_trees: usize, rng: &mut Pcg64) -> Forest {
        let n = x.len();
        let n_features = x.first().map_or(0, Vec::len);
        let try_features = ((n_features as f64).sqrt().floor() as usize).max(1);
        let trees = (0..n_trees)
            .map(|_| {
                let sample: Vec<usize> = (0..n).map(|_| rng.random_range(0..n)).collect();
                let mut nodes = Vec::new();
                grow(x, y, sample, try_features, rng, &mut nodes);
                nodes
            })
            .collect();
        Forest { trees }
    }

    /// Probability of class `true` for one sample
    pub(crate) fn predict(&self, row: &[f64]) -> f64 {
        let mut total = 0.0;
        for nodes in &self.trees {
            let mut at = 0;
            loop {
                match nodes[at] {
                    Node::Leaf(p) => {
                        total += p;
                        break;
                    }
                    Node::Split {
                        feature,
                        threshold,
                        left,
                        right,
                    } => {
                        at = if row[feature] <= threshold {
                            left
                        } else {
                            right
                        }
                    }
                }
            }
        }
        total / self.trees.len().max(1) as f64
    }
}

/// Grows the subtree of `samples` into `nodes`; returns its root index
fn grow(
    x: &[Vec<f64>],
    y: &[bool],
    samples: Vec<usize>,
    try_features: usize,
    rng: &mut Pcg64,
    nodes: &mut Vec<Node>,
) -> usize {
    let positives = samples.iter().filter(|&&s| y[s]).count();
    let at = nodes.len();
    let fraction = positives as f64 / samples.len().max(1) as f64;
    nodes.push(Node::Leaf(fraction));
    if positives == 0 || positives == samples.len() {
        return at;
    }
    let n_features = x.first().map_or(0, Vec::len);
    let mut features: Vec<usize> = (0..n_features).collect();
    features.shuffle(rng);
    let mut best = best_split(x, y, &samples, &features[..try_features.min(n_features)]);
    if best.is_none() {
        best = best_split(x, y, &samples, &features);
    }
    let Some((feature, threshold)) = best else {
        return at;
    };
    let (left, right): (Vec<usize>, Vec<usize>) =
        samples.iter().partition(|&&s| x[s][feature] <= threshold);
    let left = grow(x, y, left, try_features, rng, nodes);
    let right = grow(x, y, right, try_features, rng, nodes);
    nodes[at] = Node::Split {
        feature,
        threshold,
        left,
        right,
    };
    at
}

/// The (feature, threshold) with the lowest weighted Gini impurity among `features`, if any
/// feature separates the samples at all
fn best_split(
    x: &[Vec<f64>],
    y: &[bool],
    samples: &[usize],
    features: &[usize],
) -> Option<(usize, f64)> {
    let n = samples.len() as f64;
    let total_pos = samples.iter().filter(|&&s| y[s]).count() as f64;
    let gini = |pos: f64, count: f64| -> f64 {
        if count == 0.0 {
            0.0
        } else {
            let p = pos / count;
            2.0 * p * (1.0 - p) * count
        }
    };
    let mut best: Option<(f64, usize, f64)> = None;
    let mut order = samples.to_vec();
    for &feature in features {
        order.sort_by(|&a, &b| x[a][feature].total_cmp(&x[b][feature]));
        let mut left_pos = 0.0;
        for i in 0..order.len() - 1 {
            if y[order[i]] {
                left_pos += 1.0;
            }
            let (here, next) = (x[order[i]][feature], x[order[i + 1]][feature]);
            if here == next {
                continue;
            }
            let left_n = (i + 1) as f64;
            let impurity = gini(left_pos, left_n) + gini(total_pos - left_pos, n - left_n);
            if best.is_none_or(|(b, _, _)| impurity < b) {
                best = Some((impurity, feature, 0.5 * (here + next)));
            }
        }
    }
    best.map(|(_, feature, threshold)| (feature, threshold))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn separable_classes_are_separated() {
        let mut rng = Pcg64::seed_from_u64(1);
        let x: Vec<Vec<f64>> = (0..40)
            .map(|i| {
                vec![
                    f64::from(i % 7),
                    if i < 20 { 0.0 } else { 5.0 } + f64::from(i % 3),
                ]
            })
            .collect();
        let y: Vec<bool> = (0..40).map(|i| i >= 20).collect();
        let forest = Forest::fit(&x, &y, 50, &mut rng);
        assert!(forest.predict(&[3.0, 6.0]) > 0.8);
        assert!(forest.predict(&[3.0, 1.0]) < 0.2);
    }
}
