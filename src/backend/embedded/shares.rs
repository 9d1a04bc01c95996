//! How a generation is split across workers: consecutive shares of its samples, one per
//! worker, as many as the cores allow and the size is worth. Every sample's randomness
//! depends only on the seed, its input and its index, so the shares put end to end are the
//! bytes of a single run.

use super::protocol::Share;

/// Workers a generation is split across at most (each holds its own decoded copy of the
/// model, so more would cost memory for little gain on most machines).
pub const MAX_WORKERS: usize = 4;

/// Values (samples x genes) a share holds at least, about 100 bulk samples: below that, a
/// share's start and the join cost more than the share saves.
pub const MIN_SHARE_VALUES: u64 = 1 << 21;

/// The shares of a generation of `total` samples of `n_genes` genes on a machine of `cores`
/// logical cores: consecutive, their sizes within one sample of each other; one share (the
/// whole query) when the generation is too small to gain from more.
pub fn plan_shares(total: u64, n_genes: usize, cores: usize) -> Vec<Share> {
    let values = total.saturating_mul(n_genes as u64);
    let workers = (cores.clamp(1, MAX_WORKERS) as u64)
        .min(values / MIN_SHARE_VALUES)
        .min(total)
        .max(1);
    let boundary =
        |share: u64| (u128::from(total) * u128::from(share) / u128::from(workers)) as u64;
    (0..workers)
        .map(|index| Share {
            index: index as usize,
            start: boundary(index),
            end: boundary(index + 1),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sizes(shares: &[Share]) -> Vec<u64> {
        shares.iter().map(|share| share.end - share.start).collect()
    }

    #[test]
    fn a_large_generation_gets_one_consecutive_share_per_core() {
        let shares = plan_shares(1_001, 20_357, 4);
        assert_eq!(sizes(&shares), [250, 250, 250, 251]);
        assert_eq!(shares[0].start, 0);
        assert_eq!(shares[3].end, 1_001);
        for (index, pair) in shares.windows(2).enumerate() {
            assert_eq!(pair[0].end, pair[1].start);
            assert_eq!(pair[0].index, index);
        }
    }

    #[test]
    fn shares_are_few_enough_to_be_worth_their_start() {
        // 330 x 20,357 values make three shares of at least MIN_SHARE_VALUES (300 only two),
        // whatever the cores
        assert_eq!(sizes(&plan_shares(330, 20_357, 16)), [110, 110, 110]);
        assert_eq!(sizes(&plan_shares(300, 20_357, 16)), [150, 150]);
        // Never more workers than MAX_WORKERS, nor than the cores
        assert_eq!(plan_shares(100_000, 20_357, 64).len(), MAX_WORKERS);
        assert_eq!(plan_shares(100_000, 20_357, 2).len(), 2);
        // Small or empty generations, or one core: the whole query on one worker
        for (total, cores) in [(50, 4), (0, 4), (10_000, 1), (10_000, 0)] {
            let shares = plan_shares(total, 20_357, cores);
            assert_eq!(shares.len(), 1, "{total} samples on {cores} cores");
            assert_eq!((shares[0].start, shares[0].end), (0, total));
        }
    }
}
