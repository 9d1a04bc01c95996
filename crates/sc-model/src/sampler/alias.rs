//! Walker's alias method: O(1) draws from a fixed discrete distribution
//!
//! Built with Vose's stable construction in f64, then the acceptance probabilities are stored
//! as 32-bit thresholds, so a draw costs one 64-bit random word and integer comparisons.

use super::stream::Stream;

/// A discrete distribution over `0..n` ready for O(1) draws
#[derive(Debug, Clone, PartialEq)]
pub struct AliasTable {
    /// Acceptance threshold of each slot, out of 2^32
    threshold: Vec<u32>,
    /// The other outcome of each slot
    alias: Vec<u32>,
}

impl AliasTable {
    /// A table for non-negative `weights`; `None` when there are none or they sum to 0
    pub fn new(weights: &[f64]) -> Option<AliasTable> {
        let n = weights.len();
        let total: f64 = weights.iter().filter(|w| w.is_finite() && **w > 0.0).sum();
        if n == 0 || n > u32::MAX as usize || total <= 0.0 {
            return None;
        }
        let mut scaled: Vec<f64> = weights
            .iter()
            .map(|&w| {
                if w.is_finite() && w > 0.0 {
                    w * n as f64 / total
                } else {
                    0.0
                }
            })
            .collect();
        let mut small: Vec<u32> = Vec::new();
        let mut large: Vec<u32> = Vec::new();
        for (index, &value) in scaled.iter().enumerate() {
            if value < 1.0 {
                small.push(index as u32);
            } else {
                large.push(index as u32);
            }
        }
        let mut probability = vec![1.0f64; n];
        let mut alias: Vec<u32> = (0..n as u32).collect();
        while let (Some(&less), Some(&more)) = (small.last(), large.last()) {
            small.pop();
            probability[less as usize] = scaled[less as usize];
            alias[less as usize] = more;
            let rest = scaled[more as usize] + scaled[less as usize] - 1.0;
            scaled[more as usize] = rest;
            if rest < 1.0 {
                large.pop();
                small.push(more);
            }
        }
        // Rounding can leave slots unpaired; one of zero weight must never be drawn
        let positive = weights.iter().position(|w| w.is_finite() && *w > 0.0);
        for &left in &small {
            let weight = weights[left as usize];
            if !(weight.is_finite() && weight > 0.0) {
                probability[left as usize] = 0.0;
                alias[left as usize] = positive.map_or(left, |index| index as u32);
            }
        }
        let threshold = probability
            .iter()
            .map(|&p| {
                let scaled = (p * 4_294_967_296.0).round();
                if scaled >= 4_294_967_295.0 {
                    u32::MAX
                } else {
                    scaled as u32
                }
            })
            .collect();
        Some(AliasTable { threshold, alias })
    }

    /// Number of outcomes
    pub fn len(&self) -> usize {
        self.threshold.len()
    }

    /// Whether the table is empty (never: construction refuses that)
    pub fn is_empty(&self) -> bool {
        self.threshold.is_empty()
    }

    /// One outcome
    #[inline]
    pub fn sample(&self, stream: &mut Stream) -> u32 {
        let bits = stream.bits();
        let slot = (((bits >> 32) * self.threshold.len() as u64) >> 32) as usize;
        if (bits as u32) < self.threshold[slot] || self.threshold[slot] == u32::MAX {
            slot as u32
        } else {
            self.alias[slot]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sampler::cell_stream;

    #[test]
    fn draws_follow_the_weights() {
        let weights = [0.5, 0.0, 3.0, 1.5, 0.01];
        let table = AliasTable::new(&weights).unwrap_or_else(|| panic!("weights are valid"));
        let mut stream = cell_stream(1, 0, 0);
        let mut seen = [0u32; 5];
        let n = 500_000;
        for _ in 0..n {
            seen[table.sample(&mut stream) as usize] += 1;
        }
        let total: f64 = weights.iter().sum();
        for (index, &weight) in weights.iter().enumerate() {
            let share = f64::from(seen[index]) / f64::from(n);
            assert!(
                (share - weight / total).abs() < 0.003,
                "outcome {index}: {share}"
            );
        }
        assert_eq!(seen[1], 0);
    }

    #[test]
    fn refuses_empty_or_zero_weights() {
        assert!(AliasTable::new(&[]).is_none());
        assert!(AliasTable::new(&[0.0, 0.0]).is_none());
        assert_eq!(AliasTable::new(&[2.0]).map(|t| t.len()), Some(1));
    }
}
