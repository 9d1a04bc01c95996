//! The report's plots, from the first split: mean-variance (log CPM and counts), per-gene
//! means and variances real vs generated, and the samples on the first two components

use synthome_analysis::{exact_pca_scores, median};
use synthome_plots::{ReportChart, ReportSeries};

use crate::report::Plot;
use crate::sections::lcl::Views;
use crate::stats::describe::column_moments;

/// Most genes drawn as points per series
const MAX_POINTS: usize = 2_000;
/// Bins of the running medians
const BINS: usize = 30;
const REAL: &str = "#1f77b4";
const GENERATED: &str = "#ff7f0e";
const TRAINING: &str = "#2ca02c";
const GREY: &str = "#777777";
const REAL_DARK: &str = "#08306b";
const GENERATED_DARK: &str = "#a63603";

/// Every plot of the report
pub(crate) fn plots(views: &Views) -> Vec<Plot> {
    let (real_mean, real_variance) = column_moments(&views.held_out);
    let (generated_mean, generated_variance) = column_moments(&views.generated);
    let (real_count_mean, real_count_variance) = column_moments(&views.held_out_counts);
    let (generated_count_mean, generated_count_variance) = column_moments(&views.generated_counts);
    let n_genes = real_mean.len();
    let step = n_genes.div_ceil(MAX_POINTS).max(1);
    let drawn: Vec<usize> = (0..n_genes).step_by(step).collect();
    let points =
        |x: &[f64], y: &[f64]| -> Vec<(f64, f64)> { drawn.iter().map(|&g| (x[g], y[g])).collect() };
    let log10 = |values: &[f64]| -> Vec<f64> {
        values
            .iter()
            .map(|&v| if v > 0.0 { v.log10() } else { f64::NAN })
            .collect()
    };
    let dots = |name: &str, colour, points| ReportSeries {
        name: name.to_owned(),
        colour,
        points,
        line: false,
    };
    let line = |name: &str, colour, points| ReportSeries {
        name: name.to_owned(),
        colour,
        points,
        line: true,
    };
    let mut out = Vec::new();
    let chart = ReportChart {
        title: "Mean-variance of log CPM, GEUVADIS genes (split 1)".to_owned(),
        x_label: "mean log1p(CPM)".to_owned(),
        y_label: "variance of log1p(CPM)".to_owned(),
        series: vec![
            dots(
                "held-out real lines",
                REAL,
                points(&real_mean, &real_variance),
            ),
            dots(
                "generated lines",
                GENERATED,
                points(&generated_mean, &generated_variance),
            ),
            line(
                "real: running median",
                REAL_DARK,
                running_median(&real_mean, &real_variance),
            ),
            line(
                "generated: running median",
                GENERATED_DARK,
                running_median(&generated_mean, &generated_variance),
            ),
        ],
    };
    out.push(plot("mean_variance_log_cpm.svg", chart));
    let (rm, rv) = (log10(&real_count_mean), log10(&real_count_variance));
    let (gm, gv) = (
        log10(&generated_count_mean),
        log10(&generated_count_variance),
    );
    let low = rm
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(f64::INFINITY, f64::min);
    let high = rm
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(f64::NEG_INFINITY, f64::max);
    let chart = ReportChart {
        title: "Mean-variance of counts (split 1)".to_owned(),
        x_label: "log10 mean count".to_owned(),
        y_label: "log10 variance of counts".to_owned(),
        series: vec![
            dots("held-out real lines", REAL, points(&rm, &rv)),
            dots("generated lines", GENERATED, points(&gm, &gv)),
            line("real: running median", REAL_DARK, running_median(&rm, &rv)),
            line(
                "generated: running median",
                GENERATED_DARK,
                running_median(&gm, &gv),
            ),
            line(
                "Poisson (variance = mean)",
                GREY,
                vec![(low, low), (high, high)],
            ),
        ],
    };
    out.push(plot("mean_variance_counts.svg", chart));
    for (file, what, real, generated) in [
        ("gene_means.svg", "mean", &real_mean, &generated_mean),
        (
            "gene_variances.svg",
            "variance",
            &real_variance,
            &generated_variance,
        ),
    ] {
        let high = real
            .iter()
            .chain(generated.iter())
            .copied()
            .fold(0.0f64, f64::max);
        let chart = ReportChart {
            title: format!("Per-gene {what} of log CPM, held-out real vs generated (split 1)"),
            x_label: format!("{what}, held-out real lines"),
            y_label: format!("{what}, generated lines"),
            series: vec![
                dots("genes", GENERATED, points(real, generated)),
                line("y = x", GREY, vec![(0.0, 0.0), (high, high)]),
            ],
        };
        out.push(plot(file, chart));
    }
    let mut pooled = views.training.clone();
    pooled.extend(views.held_out.iter().cloned());
    pooled.extend(views.generated.iter().cloned());
    let scores = exact_pca_scores(&pooled, 2);
    let pick = |range: std::ops::Range<usize>| -> Vec<(f64, f64)> {
        range
            .filter_map(|i| Some((*scores[i].first()?, *scores[i].get(1)?)))
            .collect()
    };
    let (a, b) = (views.training.len(), views.held_out.len());
    let chart = ReportChart {
        title: "Lines on the first two principal components (split 1)".to_owned(),
        x_label: "PC1".to_owned(),
        y_label: "PC2".to_owned(),
        series: vec![
            dots("training lines", TRAINING, pick(0..a)),
            dots("held-out lines", REAL, pick(a..a + b)),
            dots("generated lines", GENERATED, pick(a + b..pooled.len())),
        ],
    };
    out.push(plot("pca.svg", chart));
    out
}

fn plot(file: &str, chart: ReportChart) -> Plot {
    Plot {
        file: file.to_owned(),
        title: chart.title.clone(),
        svg: chart.to_svg(),
    }
}

/// Medians of `y` in [`BINS`] equal-count bins of `x` (finite pairs only), at the bins' median x
fn running_median(x: &[f64], y: &[f64]) -> Vec<(f64, f64)> {
    let mut pairs: Vec<(f64, f64)> = x
        .iter()
        .zip(y)
        .map(|(&a, &b)| (a, b))
        .filter(|(a, b)| a.is_finite() && b.is_finite())
        .collect();
    pairs.sort_by(|p, q| p.0.total_cmp(&q.0));
    let per_bin = pairs.len().div_ceil(BINS).max(1);
    pairs
        .chunks(per_bin)
        .filter_map(|chunk| {
            let xs: Vec<f64> = chunk.iter().map(|p| p.0).collect();
            let ys: Vec<f64> = chunk.iter().map(|p| p.1).collect();
            Some((median(&xs)?, median(&ys)?))
        })
        .collect()
}
