//! The sex effect: half the male-minus-female difference of log CPM per gene, fitted on the
//! per-sample set (GEUVADIS), shrunk by its t statistic; genes the per-sample set lacks (XIST,
//! some Y genes) are added from the HPA cell lines split by their Y-gene expression, with a
//! stricter threshold

use synthome_analysis::median;

/// t below which an effect is shrunk to zero (positive-part James-Stein: w = 1 - T0^2 / t^2)
pub(crate) const T0_SAMPLES: f64 = 5.0;
/// The same for the cell-line extension, which is confounded by lineage
pub(crate) const T0_LINES: f64 = 6.0;
/// Smallest cell-line difference (natural log) kept by the extension
pub(crate) const MIN_LINE_DIFFERENCE: f64 = 2.0;
/// Half-effect above which a gene counts as a male marker (Y genes) for classifying profiles
pub(crate) const MALE_MARKER_HALF: f32 = 1.0;

/// Shrunk half male-minus-female differences for genes measured per sample
///
/// `log[sample][gene]`; returns (half effect per gene, female mean, male mean)
pub(crate) fn fit_per_sample(log: &[Vec<f64>], male: &[bool]) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let n_genes = log.first().map_or(0, Vec::len);
    let n_male = male.iter().filter(|&&m| m).count() as f64;
    let n_female = male.len() as f64 - n_male;
    let mut half = vec![0.0; n_genes];
    let mut female_mean = vec![0.0; n_genes];
    let mut male_mean = vec![0.0; n_genes];
    if n_male < 2.0 || n_female < 2.0 {
        for g in 0..n_genes {
            let mean = log.iter().map(|s| s[g]).sum::<f64>() / log.len().max(1) as f64;
            female_mean[g] = mean;
            male_mean[g] = mean;
        }
        return (half, female_mean, male_mean);
    }
    for g in 0..n_genes {
        let (mut sum_m, mut sum_f) = (0.0, 0.0);
        for (sample, &is_male) in log.iter().zip(male) {
            if is_male {
                sum_m += sample[g];
            } else {
                sum_f += sample[g];
            }
        }
        let (mean_m, mean_f) = (sum_m / n_male, sum_f / n_female);
        let mut ss = 0.0;
        for (sample, &is_male) in log.iter().zip(male) {
            let d = sample[g] - if is_male { mean_m } else { mean_f };
            ss += d * d;
        }
        let variance = ss / (n_male + n_female - 2.0);
        let difference = mean_m - mean_f;
        let se = (variance * (1.0 / n_male + 1.0 / n_female))
            .sqrt()
            .max(1e-12);
        let t = difference / se;
        let weight = (1.0 - T0_SAMPLES * T0_SAMPLES / (t * t)).max(0.0);
        half[g] = 0.5 * difference * weight;
        female_mean[g] = mean_f;
        male_mean[g] = mean_m;
    }
    (half, female_mean, male_mean)
}

/// Whether a log CPM profile expresses the male marker genes (median marker CPM above 1)
pub(crate) fn is_male_profile(profile: &[f32], markers: &[usize]) -> Option<bool> {
    let values: Vec<f64> = markers.iter().map(|&g| f64::from(profile[g])).collect();
    median(&values).map(|m| m > 0.0)
}

/// Adds effects for genes without per-sample data (`known[g]` false) from profiles classified
/// male or female; returns the genes added
pub(crate) fn extend_from_profiles(
    half: &mut [f32],
    known: &[bool],
    profiles: &[&[f32]],
    male: &[bool],
) -> Vec<usize> {
    let n_male = male.iter().filter(|&&m| m).count() as f64;
    let n_female = male.len() as f64 - n_male;
    let mut added = Vec::new();
    if n_male < 3.0 || n_female < 3.0 {
        return added;
    }
    for g in 0..half.len() {
        if known[g] {
            continue;
        }
        let (mut sum_m, mut sum_f) = (0.0, 0.0);
        for (profile, &is_male) in profiles.iter().zip(male) {
            if is_male {
                sum_m += f64::from(profile[g]);
            } else {
                sum_f += f64::from(profile[g]);
            }
        }
        let (mean_m, mean_f) = (sum_m / n_male, sum_f / n_female);
        let mut ss = 0.0;
        for (profile, &is_male) in profiles.iter().zip(male) {
            let d = f64::from(profile[g]) - if is_male { mean_m } else { mean_f };
            ss += d * d;
        }
        let variance = ss / (n_male + n_female - 2.0);
        let difference = mean_m - mean_f;
        let t = difference
            / (variance * (1.0 / n_male + 1.0 / n_female))
                .sqrt()
                .max(1e-12);
        if t.abs() > T0_LINES && difference.abs() > MIN_LINE_DIFFERENCE {
            let weight = 1.0 - T0_LINES * T0_LINES / (t * t);
            half[g] = (0.5 * difference * weight) as f32;
            added.push(g);
        }
    }
    added
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clear_difference_survives_and_noise_is_shrunk_to_zero() {
        // gene 0: males 5 higher; gene 1: noise
        let log = vec![
            vec![10.0, 1.0],
            vec![10.2, 1.3],
            vec![9.9, 0.8],
            vec![5.0, 1.1],
            vec![5.1, 0.9],
            vec![4.9, 1.2],
        ];
        let male = [true, true, true, false, false, false];
        let (half, female, male_mean) = fit_per_sample(&log, &male);
        assert!((half[0] - 2.5).abs() < 0.1, "{}", half[0]);
        assert_eq!(half[1], 0.0);
        assert!((female[0] - 5.0).abs() < 1e-9 && (male_mean[0] - 10.033_333).abs() < 1e-5);
        assert_eq!(is_male_profile(&[3.0, -4.0], &[0]), Some(true));
        assert_eq!(is_male_profile(&[-4.6, -4.0], &[0]), Some(false));
    }
}
