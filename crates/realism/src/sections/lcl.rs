//! Section 1, with the lymphoblastoid parts of sections 3 and 5: held-out GEUVADIS lines
//! against generated lines, the training lines and two baselines, on the genes GEUVADIS has

use rand::SeedableRng;
use rand_pcg::Pcg64;
use serde::Serialize;
use synthome_model::BulkModel;
use synthome_query::SamplingStrategy;

use super::{allowed, mix};
use crate::error::RealismError;
use crate::generate::{Request, log_cpm, rows};
use crate::read::geuvadis::Geuvadis;
use crate::split::Split;
use crate::stats::auroc::Classifier;
use crate::stats::centroid::NearestCentroid;
use synthome_analysis::{exact_pca_scores, pearson, squared_distance};

use crate::stats::describe::column_moments;
use crate::stats::gaussian::standard_normal;

/// What is compared with the held-out lines
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Generator {
    /// The real training lines (the ceiling: real vs real)
    RealTraining,
    /// The model built on the training lines
    Model,
    /// Independent per-gene Gaussian with the training means and variances of log CPM
    IndependentGaussian,
    /// Every sample is the training mean log CPM
    MeanOnly,
}

impl Generator {
    /// Every generator, in report order
    pub const ALL: [Generator; 4] = [
        Generator::RealTraining,
        Generator::Model,
        Generator::IndependentGaussian,
        Generator::MeanOnly,
    ];

    /// The row label in the report
    pub fn label(self) -> &'static str {
        match self {
            Generator::RealTraining => "real training lines (real vs real)",
            Generator::Model => "synthome-bulk-v1 (built without the held-out lines)",
            Generator::IndependentGaussian => "baseline: independent per-gene Gaussian",
            Generator::MeanOnly => "baseline: training mean only",
        }
    }
}

/// The figures of one generator against the held-out lines
#[derive(Debug, Clone)]
pub(crate) struct Comparison {
    /// Which generator
    pub generator: Generator,
    /// Pearson r over genes of mean log CPM
    pub mean_r: Option<f64>,
    /// Pearson r over genes of the variance of log CPM
    pub variance_r: Option<f64>,
    /// Random-forest two-sample AUROC on the top principal components
    pub auroc: Option<f64>,
}

/// GEUVADIS genes the model has: rows in the GEUVADIS table, columns in the model
#[derive(Debug, Clone)]
pub(crate) struct Shared {
    /// GEUVADIS row per shared gene
    pub rows: Vec<usize>,
    /// Model gene index per shared gene
    pub columns: Vec<usize>,
}

impl Shared {
    /// The GEUVADIS genes the model knows, in GEUVADIS order
    pub(crate) fn new(geuvadis: &Geuvadis, model: &BulkModel) -> Shared {
        let index = super::gene_index(model);
        let (rows, columns) = geuvadis
            .genes
            .iter()
            .enumerate()
            .filter_map(|(row, id)| index.get(id.as_str()).map(|&g| (row, g)))
            .unzip();
        Shared { rows, columns }
    }
}

/// How the section runs
#[derive(Debug, Clone, Copy)]
pub(crate) struct Settings {
    /// The two-sample classifier
    pub classifier: Classifier,
    /// Principal components the classifier sees
    pub components: usize,
    /// Genes the sex classifier uses
    pub sex_genes: usize,
    /// Base seed
    pub seed: u64,
    /// Split index (seeds)
    pub split: u64,
}

/// Log CPM and counts of the samples one split compares (kept for the plots)
#[derive(Debug, Clone)]
pub(crate) struct Views {
    /// Training lines, log1p CPM over the shared genes
    pub training: Vec<Vec<f64>>,
    /// Held-out lines, log1p CPM
    pub held_out: Vec<Vec<f64>>,
    /// Generated lines, log1p CPM
    pub generated: Vec<Vec<f64>>,
    /// Held-out lines, counts over the shared genes
    pub held_out_counts: Vec<Vec<f64>>,
    /// Generated lines, counts over the shared genes
    pub generated_counts: Vec<Vec<f64>>,
}

/// Everything one split gives
#[derive(Debug, Clone)]
pub(crate) struct LclSplit {
    /// One row per generator
    pub comparisons: Vec<Comparison>,
    /// Distance of each generated line to its nearest training line (log CPM, Euclidean)
    pub nearest_generated: Vec<f64>,
    /// The same for each held-out real line
    pub nearest_held_out: Vec<f64>,
    /// Sex classifier on held-out real lines: (correct, total)
    pub sex_held_out: (usize, usize),
    /// Sex classifier on generated lines: (correct, total)
    pub sex_generated: (usize, usize),
    /// The sex classifier (features index the shared genes), fitted on the training lines
    pub sex_classifier: Option<NearestCentroid>,
    /// Symbols of the sex classifier's genes
    pub sex_genes: Vec<String>,
    /// Model gene index of each shared gene (what the sex classifier's features index)
    pub columns: Vec<usize>,
    /// The samples, for the plots
    pub views: Views,
}

/// The metadata of a generated lymphoblastoid line of one sex
pub(crate) fn lcl_metadata(model: &BulkModel, sex: &str) -> Vec<(&'static str, String)> {
    allowed(
        model,
        &[
            ("sample_type", "cell line"),
            ("cell_type_ontology_id", "CL:0000236"),
            ("sex", sex),
            ("library_layout", "PAIRED"),
        ],
    )
}

/// Evaluates one split's model (built without `split.held_out`)
pub(crate) fn evaluate(
    model: &BulkModel,
    geuvadis: &Geuvadis,
    split: &Split,
    settings: Settings,
) -> Result<LclSplit, RealismError> {
    let shared = Shared::new(geuvadis, model);
    if shared.rows.len() < 2 {
        return Err(RealismError::TooFew(format!(
            "only {} GEUVADIS genes are in the model; the comparison needs at least 2",
            shared.rows.len()
        )));
    }
    let all_rows: Vec<usize> = (0..shared.rows.len()).collect();
    let counts_of =
        |s: usize| -> Vec<f64> { shared.rows.iter().map(|&r| geuvadis.counts[s][r]).collect() };
    let training: Vec<Vec<f64>> = split
        .train
        .iter()
        .map(|&s| log_cpm(&counts_of(s), &all_rows))
        .collect();
    let held_out_counts: Vec<Vec<f64>> = split.held_out.iter().map(|&s| counts_of(s)).collect();
    let held_out: Vec<Vec<f64>> = held_out_counts
        .iter()
        .map(|c| log_cpm(c, &all_rows))
        .collect();

    // Generated lines: one per held-out line, same sex, same depth on the shared genes
    let mut share = [0.0f64; 2];
    for (slot, sex) in share.iter_mut().zip(["female", "male"]) {
        let mean = rows(
            model,
            &Request {
                what: "the mean lymphoblastoid line",
                metadata: &lcl_metadata(model, sex),
                samples: 1,
                total_count: 1e6,
                strategy: SamplingStrategy::MeanEstimation,
                deterministic: true,
                seed: 1,
            },
        )?;
        let row = mean.first().cloned().unwrap_or_default();
        let total: f64 = row.iter().sum();
        *slot = shared.columns.iter().map(|&g| row[g]).sum::<f64>() / total.max(1e-12);
    }
    let mut generated_counts = Vec::with_capacity(split.held_out.len());
    for (i, &s) in split.held_out.iter().enumerate() {
        let male = geuvadis.male[s];
        let library: f64 = held_out_counts[i].iter().sum();
        let fraction = share[usize::from(male)].max(1e-6);
        let sample = rows(
            model,
            &Request {
                what: "a generated lymphoblastoid line",
                metadata: &lcl_metadata(model, if male { "male" } else { "female" }),
                samples: 1,
                total_count: (library / fraction).clamp(1.0, 1e12),
                strategy: SamplingStrategy::SampleGeneration,
                deterministic: false,
                seed: mix(settings.seed, settings.split, 1, i as u64),
            },
        )?;
        let row = sample.first().cloned().unwrap_or_default();
        generated_counts.push(shared.columns.iter().map(|&g| row[g]).collect::<Vec<f64>>());
    }
    let generated: Vec<Vec<f64>> = generated_counts
        .iter()
        .map(|c| log_cpm(c, &all_rows))
        .collect();

    // Baselines from the training lines
    let (train_mean, train_variance) = column_moments(&training);
    let mut rng = Pcg64::seed_from_u64(mix(settings.seed, settings.split, 2, 0));
    let gaussian: Vec<Vec<f64>> = (0..held_out.len())
        .map(|_| {
            train_mean
                .iter()
                .zip(&train_variance)
                .map(|(m, v)| (m + v.sqrt() * standard_normal(&mut rng)).max(0.0))
                .collect()
        })
        .collect();
    let mean_only: Vec<Vec<f64>> = vec![train_mean.clone(); held_out.len()];

    let mut comparisons = Vec::new();
    for generator in Generator::ALL {
        let candidate = match generator {
            Generator::RealTraining => &training,
            Generator::Model => &generated,
            Generator::IndependentGaussian => &gaussian,
            Generator::MeanOnly => &mean_only,
        };
        comparisons.push(compare(generator, &held_out, candidate, settings));
    }

    // Memorisation: nearest training line
    let nearest = |rows: &[Vec<f64>]| -> Vec<f64> {
        rows.iter()
            .map(|row| {
                training
                    .iter()
                    .map(|t| squared_distance(row, t).sqrt())
                    .fold(f64::INFINITY, f64::min)
            })
            .collect()
    };
    let nearest_generated = nearest(&generated);
    let nearest_held_out = nearest(&held_out);

    // Sex: nearest centroid on the genes that best separate the training lines by sex
    let train_male: Vec<bool> = split.train.iter().map(|&s| geuvadis.male[s]).collect();
    let held_male: Vec<bool> = split.held_out.iter().map(|&s| geuvadis.male[s]).collect();
    let sex_classifier = NearestCentroid::fit(&training, &train_male, settings.sex_genes);
    let score = |rows: &[Vec<f64>]| -> (usize, usize) {
        let correct = sex_classifier.as_ref().map_or(0, |c| {
            rows.iter()
                .zip(&held_male)
                .filter(|(row, male)| c.classify(row) == **male)
                .count()
        });
        (correct, rows.len())
    };
    let sex_genes = sex_classifier.as_ref().map_or_else(Vec::new, |c| {
        c.features
            .iter()
            .map(|&f| model.genes().symbols()[shared.columns[f]].clone())
            .collect()
    });
    Ok(LclSplit {
        comparisons,
        sex_genes,
        sex_held_out: score(&held_out),
        sex_generated: score(&generated),
        sex_classifier,
        nearest_generated,
        nearest_held_out,
        columns: shared.columns,
        views: Views {
            training,
            held_out,
            generated,
            held_out_counts,
            generated_counts,
        },
    })
}

/// Mean r, variance r and AUROC of `candidate` against `held_out`
fn compare(
    generator: Generator,
    held_out: &[Vec<f64>],
    candidate: &[Vec<f64>],
    settings: Settings,
) -> Comparison {
    let (real_mean, real_variance) = column_moments(held_out);
    let (mean, variance) = column_moments(candidate);
    let mut pooled: Vec<Vec<f64>> = held_out.to_vec();
    pooled.extend_from_slice(candidate);
    let labels: Vec<bool> = (0..pooled.len()).map(|i| i >= held_out.len()).collect();
    let scores = exact_pca_scores(&pooled, settings.components);
    let classifier = Classifier {
        seed: mix(settings.seed, settings.split, 3, generator as u64),
        ..settings.classifier
    };
    // Identical samples (the mean-only baseline) have no variance to correlate
    let spread = variance.iter().any(|&v| v > 1e-12);
    Comparison {
        generator,
        mean_r: pearson(&real_mean, &mean),
        variance_r: if spread {
            pearson(&real_variance, &variance)
        } else {
            None
        },
        auroc: classifier.cross_validated_auroc(&scores, &labels),
    }
}
