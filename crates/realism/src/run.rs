//! Runs every section on every split's build and assembles the report

use std::path::Path;

use synthome_analysis::auroc;
use synthome_builder::{BuildOptions, TissueSource, build_bulk};
use synthome_model::BulkModel;

use crate::error::RealismError;
use crate::options::ReportOptions;
use crate::plots::plots;
use crate::read::disease::{SetCounts, read_arms, read_counts};
use crate::read::folder::{Folder, GENCODE, GEUVADIS_COUNTS, GEUVADIS_SAMPLES, HPA_RNASEQ, PLATE};
use crate::read::hpa::{TissueProfile, read_rnaseq, reference_genes};
use crate::read::{geuvadis, plate};
use crate::report::DiseaseRow;
use crate::report::{
    DataSummary, FitSpread, GeuvadisRow, Memorisation, PlateReport, Report, SamplerOut, SexReport,
    SexTissue, Spread, SweepRow, TissueReport,
};
use crate::sections::disease::{self, DiseaseSplit};
use crate::sections::lcl::{self, Generator, LclSplit, Settings};
use crate::sections::plate::{Fit, PlateSplit};
use crate::sections::sex::SexRow;
use crate::sections::tissues::TissueRow;
use crate::sections::{knockdown, sampler, sex, tissues};
use crate::split::{Split, make};
use crate::stats::auroc::Classifier;

/// What one split's build gives
struct SplitResult {
    factors: usize,
    lcl: LclSplit,
    tissues: Option<Vec<TissueRow>>,
    sex_tissues: Vec<SexRow>,
    plate: Option<PlateSplit>,
}

/// Builds the model on each split of `data_dir` (the layout of `shared/data`) and runs every
/// section of the realism report on data held out from that build
pub fn bulk_report(data_dir: &Path, options: &ReportOptions) -> Result<Report, RealismError> {
    let folder = Folder::new(data_dir);
    for (file, needed_for) in [
        (GENCODE, "the gene table of every build"),
        (GEUVADIS_COUNTS, "the held-out lymphoblastoid comparison"),
        (GEUVADIS_SAMPLES, "the sexes of the GEUVADIS lines"),
    ] {
        if !folder.exists(file) {
            return Err(RealismError::Missing {
                path: folder.root().join(file).display().to_string(),
                needed_for: needed_for.to_owned(),
            });
        }
    }
    if options.splits == 0 {
        return Err(RealismError::TooFew(
            "splits is 0; the report needs at least 1 split".to_owned(),
        ));
    }
    let mut skipped = Vec::new();
    let reference = reference_genes(&folder)?;
    let data = geuvadis::read(&folder)?;
    let plate = if folder.exists(PLATE) {
        Some(plate::read(&folder)?)
    } else {
        skipped.push(format!("A375 held-out doses: {PLATE} absent"));
        None
    };
    let mut splits = make(&data, plate.as_ref(), options.splits, options.seed);
    let disease_sets = read_arms(&folder)?;
    let disease_tests: Vec<Vec<Vec<bool>>> = (0..splits.len())
        .map(|index| {
            disease_sets
                .iter()
                .map(|arms| disease::held_out(arms, index, options.seed))
                .collect()
        })
        .collect();
    for (split, tests) in splits.iter_mut().zip(&disease_tests) {
        for (arms, test) in disease_sets.iter().zip(tests) {
            for (sample, _) in arms.samples.iter().zip(test).filter(|(_, held)| **held) {
                split.exclude.insert(sample.clone());
            }
        }
    }
    let mut disease_counts: Option<Vec<SetCounts>> = None;
    let mut disease_rows: Vec<DiseaseSplit> = Vec::new();
    let mut hpa: Option<Vec<TissueProfile>> = None;
    let mut results = Vec::with_capacity(splits.len());
    let mut knockdowns = Vec::new();
    for (index, split) in splits.iter().enumerate() {
        let model = build(data_dir, split, options.max_factors, index)?;
        let lcl = lcl::evaluate(&model, &data, split, settings(options, index))?;
        if hpa.is_none() && folder.exists(HPA_RNASEQ) {
            hpa = Some(read_rnaseq(&folder, model.genes().ids(), &reference)?);
        }
        let tissue_rows = match &hpa {
            Some(profiles) => Some(tissues::evaluate(
                &model,
                profiles,
                options.tissue_samples,
                seed_of(options, index),
            )?),
            None => None,
        };
        let sex_tissues = match &lcl.sex_classifier {
            Some(classifier) => sex::evaluate(
                &model,
                classifier,
                &lcl.columns,
                options.tissue_samples,
                seed_of(options, index),
            )?,
            None => Vec::new(),
        };
        let plate_split = match &plate {
            Some(plate) => crate::sections::plate::evaluate(
                &model,
                plate,
                &split.plate,
                &reference,
                seed_of(options, index),
            )?,
            None => None,
        };
        if disease_counts.is_none() {
            disease_counts = Some(
                disease_sets
                    .iter()
                    .map(|arms| read_counts(&folder, arms, model.genes().ids(), &reference))
                    .collect::<Result<_, _>>()?,
            );
        }
        for ((arms, counts), test) in disease_sets
            .iter()
            .zip(disease_counts.iter().flatten())
            .zip(&disease_tests[index])
        {
            disease_rows.push(disease::evaluate(
                &model,
                arms,
                counts,
                test,
                settings(options, index).classifier,
                seed_of(options, index),
            )?);
        }
        if index == 0 {
            knockdowns =
                knockdown::evaluate(&model, &folder, options.perturbation_samples, options.seed)?;
        }
        results.push(SplitResult {
            factors: model.params().latent.n_factors,
            lcl,
            tissues: tissue_rows,
            sex_tissues,
            plate: plate_split,
        });
    }
    if hpa.is_none() {
        skipped.push(format!("tissue identity: {HPA_RNASEQ} absent"));
    }
    let mut factor_sweep = Vec::new();
    for &k in options
        .factor_sweep
        .iter()
        .filter(|&&k| k != options.max_factors)
    {
        let mut runs = Vec::new();
        for (index, split) in splits.iter().enumerate() {
            let model = build(data_dir, split, k, index)?;
            let factors = model.params().latent.n_factors;
            runs.push((
                factors,
                lcl::evaluate(&model, &data, split, settings(options, index))?,
            ));
        }
        factor_sweep.push(sweep_row(k, &runs));
    }
    let mut main: Vec<(usize, LclSplit)> =
        results.iter().map(|r| (r.factors, r.lcl.clone())).collect();
    factor_sweep.push(sweep_row(options.max_factors, &main));
    factor_sweep.sort_by_key(|row| row.max_factors);
    let sampler_rows = sampler::evaluate(options.sampler_draws, options.seed)?;
    let first = main.remove(0).1;
    let model_name = format!(
        "{} {}",
        synthome_model::BULK_MODEL_ID,
        synthome_model::BULK_MODEL_VERSION
    );
    Ok(Report {
        model: model_name,
        options: options.clone(),
        data: DataSummary {
            geuvadis_lines: data.samples.len(),
            female: data.male.iter().filter(|&&m| !m).count(),
            male: data.male.iter().filter(|&&m| m).count(),
            genes_compared: first.columns.len(),
            training_lines: splits.iter().map(|s| s.train.len()).collect(),
            held_out_lines: splits.iter().map(|s| s.held_out.len()).collect(),
            factors_fitted: results.iter().map(|r| r.factors).collect(),
        },
        geuvadis: geuvadis_rows(&results),
        factor_sweep,
        memorisation: memorisation(&results),
        sex: sex_report(&results, &first),
        tissues: tissue_report(&results, options.tissue_samples),
        knockdowns,
        plate: plate_report(&results),
        sampler: sampler_rows.into_iter().map(SamplerOut::new).collect(),
        plots: plots(&first.views),
        disease: disease_report(&disease_rows),
        skipped,
    })
}

/// Builds the model without the split's held-out samples, tissues from GTEx only
fn build(
    data_dir: &Path,
    split: &Split,
    max_factors: usize,
    index: usize,
) -> Result<BulkModel, RealismError> {
    let options = BuildOptions {
        exclude_samples: split.exclude.clone(),
        tissue_sources: vec![TissueSource::HpaGtex, TissueSource::GtexMedian],
        max_factors,
        atlas: None,
        without_tcga: false,
    };
    build_bulk(data_dir, &options)
        .map(|output| output.model)
        .map_err(|source| RealismError::Build {
            what: format!("split {} with at most {max_factors} factors", index + 1),
            source,
        })
}

fn seed_of(options: &ReportOptions, index: usize) -> u64 {
    crate::sections::mix(options.seed, 100, index as u64, 0)
}

fn settings(options: &ReportOptions, index: usize) -> Settings {
    Settings {
        classifier: Classifier {
            folds: options.folds,
            repeats: options.cv_repeats,
            trees: options.trees,
            seed: 0,
        },
        components: options.components,
        sex_genes: options.sex_genes,
        seed: options.seed,
        split: index as u64,
    }
}

/// The figures of `generator` over the splits
fn figures(runs: &[&LclSplit], generator: Generator) -> [Option<Spread>; 3] {
    let pick = |f: fn(&lcl::Comparison) -> Option<f64>| -> Option<Spread> {
        let values: Vec<f64> = runs
            .iter()
            .filter_map(|r| r.comparisons.iter().find(|c| c.generator == generator))
            .filter_map(f)
            .collect();
        Spread::of(&values)
    };
    [
        pick(|c| c.mean_r),
        pick(|c| c.variance_r),
        pick(|c| c.auroc),
    ]
}

fn geuvadis_rows(results: &[SplitResult]) -> Vec<GeuvadisRow> {
    let runs: Vec<&LclSplit> = results.iter().map(|r| &r.lcl).collect();
    Generator::ALL
        .iter()
        .map(|&generator| {
            let [mean_r, variance_r, auroc] = figures(&runs, generator);
            GeuvadisRow {
                generator,
                label: generator.label().to_owned(),
                mean_r,
                variance_r,
                auroc,
            }
        })
        .collect()
}

fn sweep_row(max_factors: usize, runs: &[(usize, LclSplit)]) -> SweepRow {
    let splits: Vec<&LclSplit> = runs.iter().map(|(_, r)| r).collect();
    let [mean_r, variance_r, auroc] = figures(&splits, Generator::Model);
    let factors: Vec<f64> = runs.iter().map(|(k, _)| *k as f64).collect();
    let closer: Vec<f64> = splits
        .iter()
        .filter_map(|r| closer_probability(r))
        .collect();
    SweepRow {
        max_factors,
        factors_fitted: Spread::of(&factors),
        mean_r,
        variance_r,
        auroc,
        closer_probability: Spread::of(&closer),
    }
}

/// P(generated line nearer the training lines than a held-out line), ties half
fn closer_probability(run: &LclSplit) -> Option<f64> {
    let mut scores: Vec<f64> = run.nearest_generated.iter().map(|d| -d).collect();
    scores.extend(run.nearest_held_out.iter().map(|d| -d));
    let labels: Vec<bool> = (0..scores.len())
        .map(|i| i < run.nearest_generated.len())
        .collect();
    auroc(&scores, &labels)
}

fn memorisation(results: &[SplitResult]) -> Memorisation {
    let median_of = |values: &[f64]| synthome_analysis::median(values).unwrap_or(f64::NAN);
    let generated: Vec<f64> = results
        .iter()
        .map(|r| median_of(&r.lcl.nearest_generated))
        .collect();
    let held: Vec<f64> = results
        .iter()
        .map(|r| median_of(&r.lcl.nearest_held_out))
        .collect();
    let closer: Vec<f64> = results
        .iter()
        .filter_map(|r| closer_probability(&r.lcl))
        .collect();
    let mut below = 0;
    let mut total = 0;
    for r in results {
        let floor = r
            .lcl
            .nearest_held_out
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min);
        below += r
            .lcl
            .nearest_generated
            .iter()
            .filter(|&&d| d < floor)
            .count();
        total += r.lcl.nearest_generated.len();
    }
    Memorisation {
        generated_median: Spread::of(&generated),
        held_out_median: Spread::of(&held),
        closer_probability: Spread::of(&closer),
        generated_closer_than_all_held_out: below,
        generated_total: total,
    }
}

fn sex_report(results: &[SplitResult], first: &LclSplit) -> SexReport {
    let accuracy = |pick: fn(&LclSplit) -> (usize, usize)| -> Option<Spread> {
        let values: Vec<f64> = results
            .iter()
            .map(|r| pick(&r.lcl))
            .filter(|&(_, total)| total > 0)
            .map(|(correct, total)| correct as f64 / total as f64)
            .collect();
        Spread::of(&values)
    };
    let mut tissues: Vec<SexTissue> = Vec::new();
    for row in results.iter().flat_map(|r| &r.sex_tissues) {
        let slot = match tissues.iter().position(|t| t.tissue == row.tissue) {
            Some(at) => &mut tissues[at],
            None => {
                tissues.push(SexTissue {
                    tissue: row.tissue.clone(),
                    female_correct: 0,
                    female_total: 0,
                    male_correct: 0,
                    male_total: 0,
                    female_male_gene_level: 0.0,
                });
                let last = tissues.len() - 1;
                &mut tissues[last]
            }
        };
        slot.female_correct += row.female.0;
        slot.female_total += row.female.1;
        slot.male_correct += row.male.0;
        slot.male_total += row.male.1;
        slot.female_male_gene_level += row.female_male_gene_level / results.len() as f64;
    }
    let centroid_level = |male: bool| -> Option<f64> {
        let classifier = first.sex_classifier.as_ref()?;
        let positions = classifier.higher_in_true(crate::sections::sex::MALE_GENE_MARGIN);
        let centroid = if male {
            &classifier.centroid_true
        } else {
            &classifier.centroid_false
        };
        (!positions.is_empty())
            .then(|| positions.iter().map(|&i| centroid[i]).sum::<f64>() / positions.len() as f64)
    };
    SexReport {
        held_out_real: accuracy(|r| r.sex_held_out),
        generated_lcl: accuracy(|r| r.sex_generated),
        genes: first.sex_genes.clone(),
        male_genes_real_female: centroid_level(false),
        male_genes_real_male: centroid_level(true),
        tissues,
    }
}

fn tissue_report(results: &[SplitResult], samples: u32) -> Option<TissueReport> {
    let runs: Vec<&Vec<TissueRow>> = results.iter().filter_map(|r| r.tissues.as_ref()).collect();
    let first = runs.first()?;
    let share = |f: fn(&TissueRow) -> (usize, usize)| -> Option<Spread> {
        let values: Vec<f64> = runs
            .iter()
            .map(|rows| {
                let (c, t) = rows
                    .iter()
                    .map(f)
                    .fold((0, 0), |(a, b), (c, t)| (a + c, b + t));
                c as f64 / t.max(1) as f64
            })
            .collect();
        Spread::of(&values)
    };
    let rows = first
        .iter()
        .map(|row| {
            let same: Vec<&TissueRow> = runs
                .iter()
                .filter_map(|rows| rows.iter().find(|r| r.uberon == row.uberon))
                .collect();
            let n = same.len().max(1) as f64;
            TissueRow {
                uberon: row.uberon.clone(),
                name: row.name.clone(),
                samples: same.iter().map(|r| r.samples).sum(),
                pearson_correct: same.iter().map(|r| r.pearson_correct).sum(),
                spearman_correct: same.iter().map(|r| r.spearman_correct).sum(),
                own_r: same.iter().map(|r| r.own_r).sum::<f64>() / n,
                best_other_r: same.iter().map(|r| r.best_other_r).sum::<f64>() / n,
                confused_with: same.iter().find_map(|r| r.confused_with.clone()),
                mean_profile_correct: same.iter().map(|r| r.mean_profile_correct).sum(),
            }
        })
        .collect();
    Some(TissueReport {
        tissues: first.len(),
        samples_per_tissue: samples,
        pearson_accuracy: share(|r| (r.pearson_correct, r.samples)),
        spearman_accuracy: share(|r| (r.spearman_correct, r.samples)),
        mean_profile_accuracy: share(|r| (r.mean_profile_correct, 1)),
        rows,
    })
}

fn plate_report(results: &[SplitResult]) -> Option<PlateReport> {
    let runs: Vec<&PlateSplit> = results.iter().filter_map(|r| r.plate.as_ref()).collect();
    let first = runs.first()?;
    let spread = |pick: fn(&PlateSplit) -> Fit| FitSpread {
        rmse: Spread::of(&runs.iter().map(|r| pick(r).rmse).collect::<Vec<_>>()),
        r2: Spread::of(&runs.iter().map(|r| pick(r).r2).collect::<Vec<_>>()),
    };
    Some(PlateReport {
        compounds: first.compounds,
        genes: first.genes,
        model: spread(|r| r.model),
        no_change: spread(|r| r.no_change),
        nearest_dose: spread(|r| r.nearest_dose),
        neighbour_mean: spread(|r| r.neighbour_mean),
    })
}

/// The disease rows: each set's figures over the splits
fn disease_report(rows: &[DiseaseSplit]) -> Vec<DiseaseRow> {
    let mut sets: Vec<&str> = Vec::new();
    for row in rows {
        if !sets.contains(&row.set.as_str()) {
            sets.push(row.set.as_str());
        }
    }
    sets.iter()
        .map(|set| {
            let of = |f: fn(&DiseaseSplit) -> Option<f64>| {
                let values: Vec<f64> = rows
                    .iter()
                    .filter(|r| r.set == *set)
                    .filter_map(f)
                    .collect();
                Spread::of(&values)
            };
            let genes = rows
                .iter()
                .find(|r| r.set == *set)
                .map(|r| r.genes)
                .unwrap_or_default();
            DiseaseRow {
                set: (*set).to_owned(),
                genes,
                r_generated: of(|r| r.r_generated),
                r_real: of(|r| r.r_real),
                r_generated_strong: of(|r| r.r_generated_strong),
                r_real_strong: of(|r| r.r_real_strong),
                accuracy_generated: of(|r| r.accuracy_generated),
                accuracy_real: of(|r| r.accuracy_real),
                auroc_generated: of(|r| r.auroc_generated),
                auroc_real: of(|r| r.auroc_real),
            }
        })
        .collect()
}
