//! Disease realism on held-out parts of the per-sample disease sets: for each split a third of
//! each arm is left out of the build; the generated disease-vs-normal change is compared with
//! that third's, next to the change the training part shows (real vs real on the same split)
//!
//! - log2 fold change r (log1p CPM, genes with mean log CPM > 1 over the set), all such genes
//!   and those with |log2FC| > 0.5 in the held-out part
//! - generated samples: 30 per arm, `sample_type: primary tissue` (blood without it also draws
//!   the sorted blood cell types, which are healthy blood in the training mix)
//! - a nearest-centroid classifier (200 genes with the largest |t|) trained on the held-out
//!   real samples, applied to generated samples (accuracy) and to the training part (real)
//! - AUROC of a random forest telling held-out real disease samples from generated disease
//!   samples (cross-validated, on the classifier's genes), next to held-out vs training real

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_pcg::Pcg64;
use serde::Serialize;
use synthome_analysis::pearson;
use synthome_model::BulkModel;
use synthome_query::SamplingStrategy;

use crate::error::RealismError;
use crate::generate::{Request, log_cpm, rows};
use crate::read::disease::{Arms, SetCounts};
use crate::stats::auroc::Classifier;
use crate::stats::centroid::NearestCentroid;

/// Genes the classifiers use
const CLASSIFIER_GENES: usize = 200;

/// Generated samples per arm
const GENERATED: usize = 30;

/// The held-out samples of split `index`: a third of each arm (at least one), seeded
pub(crate) fn held_out(arms: &Arms, index: usize, seed: u64) -> Vec<bool> {
    let mut rng = Pcg64::seed_from_u64(seed ^ 0xD15E_A5E0 ^ (index as u64) << 8);
    let mut test = vec![false; arms.samples.len()];
    for arm in [false, true] {
        let mut members: Vec<usize> = (0..arms.samples.len())
            .filter(|&s| arms.disease[s] == arm)
            .collect();
        members.shuffle(&mut rng);
        let n = (members.len() / 3).max(1);
        for &s in &members[..n.min(members.len())] {
            test[s] = true;
        }
    }
    test
}

/// One set on one split
#[derive(Debug, Clone, Serialize)]
pub struct DiseaseSplit {
    /// The set
    pub set: String,
    /// log2FC r, generated vs held out, expressed genes
    pub r_generated: Option<f64>,
    /// log2FC r, training part vs held out, expressed genes
    pub r_real: Option<f64>,
    /// The same on genes with |log2FC| > 0.5 in the held-out part
    pub r_generated_strong: Option<f64>,
    /// Real vs real on those genes
    pub r_real_strong: Option<f64>,
    /// Genes compared (all, strong)
    pub genes: (usize, usize),
    /// Accuracy of the held-out-trained classifier on generated samples
    pub accuracy_generated: Option<f64>,
    /// Its accuracy on the training part's real samples
    pub accuracy_real: Option<f64>,
    /// AUROC held-out real vs generated disease samples
    pub auroc_generated: Option<f64>,
    /// AUROC held-out real vs training real disease samples
    pub auroc_real: Option<f64>,
}

/// Evaluates one set on one split
pub(crate) fn evaluate(
    model: &BulkModel,
    arms: &Arms,
    counts: &SetCounts,
    test: &[bool],
    classifier: Classifier,
    seed: u64,
) -> Result<DiseaseSplit, RealismError> {
    let genes = &counts.measured;
    let log: Vec<Vec<f64>> = counts
        .counts
        .iter()
        .map(|row| log_cpm(row, genes))
        .collect();
    let pick = |disease: bool, held: bool| -> Vec<usize> {
        (0..log.len())
            .filter(|&s| arms.disease[s] == disease && test[s] == held)
            .collect()
    };
    let mean_of = |rows: &[&Vec<f64>]| -> Vec<f64> {
        let n = rows.len().max(1) as f64;
        let mut mean = vec![0.0; genes.len()];
        for row in rows {
            for (m, v) in mean.iter_mut().zip(row.iter()) {
                *m += v / n;
            }
        }
        mean
    };
    let rows_of =
        |members: &[usize]| -> Vec<&Vec<f64>> { members.iter().map(|&s| &log[s]).collect() };
    let fold_change = |sick: &[&Vec<f64>], well: &[&Vec<f64>]| -> Vec<f64> {
        mean_of(sick)
            .iter()
            .zip(mean_of(well))
            .map(|(d, h)| (d - h) / std::f64::consts::LN_2)
            .collect()
    };
    let all: Vec<&Vec<f64>> = log.iter().collect();
    let expressed: Vec<usize> = mean_of(&all)
        .iter()
        .enumerate()
        .filter(|(_, m)| **m > 1.0)
        .map(|(g, _)| g)
        .collect();
    let (test_d, test_h) = (pick(true, true), pick(false, true));
    let (train_d, train_h) = (pick(true, false), pick(false, false));
    let held = fold_change(&rows_of(&test_d), &rows_of(&test_h));
    let real = fold_change(&rows_of(&train_d), &rows_of(&train_h));
    // Generated: 30 samples per arm (the generator's population change, not its sampling
    // noise at the held-out size), whole tissue (not sorted blood cells), at the held-out
    // median library size
    let mut libraries: Vec<f64> = (0..log.len())
        .filter(|&s| test[s])
        .map(|s| genes.iter().map(|&g| counts.counts[s][g]).sum())
        .collect();
    libraries.sort_by(f64::total_cmp);
    let library = libraries
        .get(libraries.len() / 2)
        .copied()
        .unwrap_or(1e7)
        .max(1e5);
    let n = test_d.len().max(test_h.len()).max(GENERATED) as u32;
    let generate = |disease: &str, offset: u64| -> Result<Vec<Vec<f64>>, RealismError> {
        let metadata = [
            ("tissue_ontology_id", arms.spec.tissue.to_owned()),
            ("disease_ontology_id", disease.to_owned()),
            ("sample_type", "primary tissue".to_owned()),
        ];
        let made = rows(
            model,
            &Request {
                what: arms.spec.name,
                metadata: &metadata,
                samples: n,
                total_count: library,
                strategy: SamplingStrategy::SampleGeneration,
                deterministic: false,
                seed: seed.wrapping_add(offset),
            },
        )?;
        Ok(made.iter().map(|row| log_cpm(row, genes)).collect())
    };
    let gen_d = generate(arms.spec.disease, 1)?;
    let gen_h = generate(arms.spec.normal, 2)?;
    let generated = fold_change(
        &gen_d.iter().collect::<Vec<_>>(),
        &gen_h.iter().collect::<Vec<_>>(),
    );
    let on = |values: &[f64], at: &[usize]| -> Vec<f64> { at.iter().map(|&g| values[g]).collect() };
    let strong: Vec<usize> = expressed
        .iter()
        .copied()
        .filter(|&g| held[g].abs() > 0.5)
        .collect();
    let r = |a: &[f64], at: &[usize]| pearson(&on(a, at), &on(&held, at));
    // Classifier trained on the held-out real samples
    let test_rows: Vec<Vec<f64>> = test_d
        .iter()
        .chain(&test_h)
        .map(|&s| log[s].clone())
        .collect();
    let test_y: Vec<bool> = test_d
        .iter()
        .map(|_| true)
        .chain(test_h.iter().map(|_| false))
        .collect();
    let centroid = NearestCentroid::fit(&test_rows, &test_y, CLASSIFIER_GENES);
    let accuracy = |rows: &[&Vec<f64>], y: &[bool]| -> Option<f64> {
        let centroid = centroid.as_ref()?;
        let right = rows
            .iter()
            .zip(y)
            .filter(|(row, label)| centroid.classify(row) == **label)
            .count();
        Some(right as f64 / rows.len().max(1) as f64)
    };
    let gen_rows: Vec<&Vec<f64>> = gen_d.iter().chain(&gen_h).collect();
    let gen_y: Vec<bool> = gen_d
        .iter()
        .map(|_| true)
        .chain(gen_h.iter().map(|_| false))
        .collect();
    let train_rows: Vec<&Vec<f64>> = train_d.iter().chain(&train_h).map(|&s| &log[s]).collect();
    let train_y: Vec<bool> = train_d
        .iter()
        .map(|_| true)
        .chain(train_h.iter().map(|_| false))
        .collect();
    // Within the disease arm: held-out real vs other, on the classifier's genes
    let features: Vec<usize> = centroid
        .as_ref()
        .map(|c| c.features.clone())
        .unwrap_or_else(|| expressed.iter().copied().take(CLASSIFIER_GENES).collect());
    let within = |other: &[&Vec<f64>]| -> Option<f64> {
        let x: Vec<Vec<f64>> = test_d
            .iter()
            .map(|&s| &log[s])
            .chain(other.iter().copied())
            .map(|row| on(row, &features))
            .collect();
        let y: Vec<bool> = (0..x.len()).map(|i| i >= test_d.len()).collect();
        let smallest = test_d.len().min(other.len());
        Classifier {
            folds: classifier.folds.min(smallest),
            ..classifier
        }
        .cross_validated_auroc(&x, &y)
    };
    let train_d_rows: Vec<&Vec<f64>> = train_d.iter().map(|&s| &log[s]).collect();
    let gen_d_rows: Vec<&Vec<f64>> = gen_d.iter().take(train_d.len().max(2)).collect();
    Ok(DiseaseSplit {
        set: arms.spec.name.to_owned(),
        r_generated: r(&generated, &expressed),
        r_real: r(&real, &expressed),
        r_generated_strong: r(&generated, &strong),
        r_real_strong: r(&real, &strong),
        genes: (expressed.len(), strong.len()),
        accuracy_generated: accuracy(&gen_rows, &gen_y),
        accuracy_real: accuracy(&train_rows, &train_y),
        auroc_generated: within(&gen_d_rows),
        auroc_real: within(&train_d_rows),
    })
}
