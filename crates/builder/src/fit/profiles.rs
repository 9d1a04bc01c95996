//! Base profiles: TPM to read-count CPM, log CPM with a floor, and completing profiles that
//! cover only part of the universe from the most similar complete profile
//!
//! TPM is per transcript length; the expected read count of a gene is proportional to
//! TPM x gene length, so CPM = 1e6 * TPM_g L_g / sum_h TPM_h L_h over the universe.

use synthome_analysis::pearson;

use crate::fit::universe::Universe;

/// Smallest CPM a profile holds (0.1 expected reads at 10 M): genes below detection in a
/// summary table stay rare rather than impossible
pub(crate) const FLOOR_CPM: f64 = 0.01;

/// CPM over the universe from a TPM column (`genes` are the table's rows); genes the table
/// lacks are 0
pub(crate) fn tpm_to_cpm(genes: &[String], tpm: &[f64], universe: &Universe) -> Vec<f64> {
    let mut reads = vec![0.0; universe.len()];
    for (gene, &value) in genes.iter().zip(tpm) {
        if let Some(index) = universe.index(gene) {
            reads[index] += value.max(0.0) * universe.lengths[index];
        }
    }
    normalise(&mut reads);
    reads
}

/// Scales to a sum of 1e6 (all zeros stay zeros)
pub(crate) fn normalise(values: &mut [f64]) {
    let total: f64 = values.iter().sum();
    if total > 0.0 {
        for value in values.iter_mut() {
            *value *= 1e6 / total;
        }
    }
}

/// Natural log of CPM, floored
pub(crate) fn log_cpm(cpm: &[f64]) -> Vec<f32> {
    cpm.iter()
        .map(|&value| value.max(FLOOR_CPM).ln() as f32)
        .collect()
}

/// A completed profile and where its missing genes came from
#[derive(Debug, Clone)]
pub(crate) struct Completed {
    /// CPM over the universe
    pub cpm: Vec<f64>,
    /// Name of the reference profile used for the missing genes
    pub reference: String,
    /// Pearson r of log CPM with that reference on the shared genes
    pub r: f64,
    /// Genes the partial profile had
    pub measured: usize,
}

/// Completes `partial` (relative expression for some genes, `None` elsewhere) with the
/// reference whose log CPM correlates best on the shared genes: measured genes keep their
/// relative values and take the share the reference gives them; the rest come from the
/// reference
pub(crate) fn complete(
    partial: &[Option<f64>],
    references: &[(String, Vec<f64>)],
) -> Option<Completed> {
    let measured: Vec<usize> = (0..partial.len())
        .filter(|&g| partial[g].is_some())
        .collect();
    let own: Vec<f64> = measured
        .iter()
        .map(|&g| partial[g].unwrap_or(0.0).max(FLOOR_CPM).ln())
        .collect();
    let mut best: Option<(usize, f64)> = None;
    for (index, (_, cpm)) in references.iter().enumerate() {
        let theirs: Vec<f64> = measured
            .iter()
            .map(|&g| cpm[g].max(FLOOR_CPM).ln())
            .collect();
        let r = pearson(&own, &theirs).unwrap_or(0.0);
        if best.is_none_or(|(_, best_r)| r > best_r) {
            best = Some((index, r));
        }
    }
    let (index, r) = best?;
    let reference = &references[index].1;
    let share: f64 = measured.iter().map(|&g| reference[g]).sum::<f64>() / 1e6;
    let own_total: f64 = measured.iter().map(|&g| partial[g].unwrap_or(0.0)).sum();
    let mut cpm = reference.clone();
    if own_total > 0.0 {
        for &g in &measured {
            cpm[g] = partial[g].unwrap_or(0.0) / own_total * share * 1e6;
        }
    }
    normalise(&mut cpm);
    Some(Completed {
        cpm,
        reference: references[index].0.clone(),
        r,
        measured: measured.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completion_keeps_measured_ratios_and_takes_the_closest_reference() {
        let references = vec![
            ("flat".to_owned(), vec![250_000.0; 4]),
            (
                "steep".to_owned(),
                vec![100_000.0, 200_000.0, 300_000.0, 400_000.0],
            ),
        ];
        let partial = [Some(1.0), Some(2.0), Some(3.0), None];
        let done = complete(&partial, &references).expect("completes");
        assert_eq!(done.reference, "steep");
        assert!((done.cpm.iter().sum::<f64>() - 1e6).abs() < 1e-6);
        assert!((done.cpm[1] / done.cpm[0] - 2.0).abs() < 1e-9);
        assert!((done.cpm[3] - 400_000.0).abs() < 1e-6);
        assert_eq!(log_cpm(&[0.0])[0], FLOOR_CPM.ln() as f32);
    }
}
