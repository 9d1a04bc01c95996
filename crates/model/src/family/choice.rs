//! Choosing a training condition among candidates, by weight

/// The heaviest candidate (the first on ties); `candidates` is not empty
pub fn heaviest(candidates: &[usize], weight: impl Fn(usize) -> f64) -> usize {
    let mut best = candidates[0];
    for &candidate in &candidates[1..] {
        if weight(candidate) > weight(best) {
            best = candidate;
        }
    }
    best
}

/// The candidate a uniform draw `uniform` in [0, 1) falls on when each candidate takes a share
/// of [0, 1) proportional to its weight, in order; `candidates` is not empty
pub fn pick_by_weight(candidates: &[usize], weight: impl Fn(usize) -> f64, uniform: f64) -> usize {
    let total: f64 = candidates.iter().map(|&c| weight(c)).sum();
    let mut target = uniform * total;
    for &candidate in candidates {
        target -= weight(candidate);
        if target < 0.0 {
            return candidate;
        }
    }
    candidates[candidates.len() - 1]
}
