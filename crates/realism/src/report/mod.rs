//! The report: figures aggregated over the splits, as Markdown and JSON, with its plots

mod markdown;
mod spread;

use serde::Serialize;

pub use spread::Spread;

use crate::options::ReportOptions;
use crate::sections::knockdown::KnockdownRow;
use crate::sections::sampler::SamplerRow;
use crate::sections::tissues::TissueRow;

/// The realism report of the bulk model
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub(crate) model: String,
    pub(crate) options: ReportOptions,
    pub(crate) data: DataSummary,
    pub(crate) geuvadis: Vec<GeuvadisRow>,
    pub(crate) factor_sweep: Vec<SweepRow>,
    pub(crate) memorisation: Memorisation,
    pub(crate) sex: SexReport,
    pub(crate) tissues: Option<TissueReport>,
    pub(crate) knockdowns: Vec<KnockdownRow>,
    pub(crate) plate: Option<PlateReport>,
    pub(crate) sampler: Vec<SamplerOut>,
    pub(crate) plots: Vec<Plot>,
    pub(crate) disease: Vec<DiseaseRow>,
    pub(crate) skipped: Vec<String>,
}

/// One per-sample disease set's figures over the splits (see `sections::disease`)
#[derive(Debug, Clone, Serialize)]
pub struct DiseaseRow {
    /// The set
    pub set: String,
    /// Genes compared on the first split (expressed, |log2FC| > 0.5 held out)
    pub genes: (usize, usize),
    /// log2FC r generated vs held out
    pub r_generated: Option<Spread>,
    /// log2FC r training part vs held out
    pub r_real: Option<Spread>,
    /// The same on the strongly changed genes
    pub r_generated_strong: Option<Spread>,
    /// Real vs real on those genes
    pub r_real_strong: Option<Spread>,
    /// Held-out-trained classifier on generated samples
    pub accuracy_generated: Option<Spread>,
    /// The same classifier on the training part
    pub accuracy_real: Option<Spread>,
    /// AUROC held-out real vs generated disease samples
    pub auroc_generated: Option<Spread>,
    /// AUROC held-out real vs training real disease samples
    pub auroc_real: Option<Spread>,
}

/// One SVG plot of the report
#[derive(Debug, Clone, Serialize)]
pub struct Plot {
    /// File name (`mean_variance.svg`)
    pub file: String,
    /// What it shows
    pub title: String,
    /// The SVG document
    #[serde(skip)]
    pub svg: String,
}

impl Report {
    /// The report as Markdown
    pub fn to_markdown(&self) -> String {
        markdown::render(self)
    }

    /// The report as pretty-printed JSON (plots by file name only)
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    /// The plots (write each `svg` into a file named `file` next to the Markdown)
    pub fn plots(&self) -> &[Plot] {
        &self.plots
    }
}

/// What the report was run on
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DataSummary {
    pub geuvadis_lines: usize,
    pub female: usize,
    pub male: usize,
    pub genes_compared: usize,
    pub training_lines: Vec<usize>,
    pub held_out_lines: Vec<usize>,
    pub factors_fitted: Vec<usize>,
}

/// Section 1: one generator against the held-out lines
#[derive(Debug, Clone, Serialize)]
pub(crate) struct GeuvadisRow {
    pub generator: crate::sections::lcl::Generator,
    pub label: String,
    pub mean_r: Option<Spread>,
    pub variance_r: Option<Spread>,
    pub auroc: Option<Spread>,
}

/// The model's section 1 figures at another factor count
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SweepRow {
    pub max_factors: usize,
    pub factors_fitted: Option<Spread>,
    pub mean_r: Option<Spread>,
    pub variance_r: Option<Spread>,
    pub auroc: Option<Spread>,
    pub closer_probability: Option<Spread>,
}

/// Section 5
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Memorisation {
    /// Median distance of generated lines to their nearest training line
    pub generated_median: Option<Spread>,
    /// Median distance of held-out real lines to their nearest training line
    pub held_out_median: Option<Spread>,
    /// P(a generated line is nearer its nearest training line than a held-out line is)
    pub closer_probability: Option<Spread>,
    /// Generated lines nearer a training line than every held-out line, over all splits
    pub generated_closer_than_all_held_out: usize,
    /// Generated lines, over all splits
    pub generated_total: usize,
}

/// Section 3
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SexReport {
    pub held_out_real: Option<Spread>,
    pub generated_lcl: Option<Spread>,
    pub genes: Vec<String>,
    /// Mean log1p CPM of the male-specific classifier genes in real female and male lines
    /// (split 1's centroids)
    pub male_genes_real_female: Option<f64>,
    pub male_genes_real_male: Option<f64>,
    pub tissues: Vec<SexTissue>,
}

/// Section 3 on one tissue, summed over the splits
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SexTissue {
    pub tissue: String,
    pub female_correct: usize,
    pub female_total: usize,
    pub male_correct: usize,
    pub male_total: usize,
    /// Mean over splits of the male-specific genes' level in generated females
    pub female_male_gene_level: f64,
}

/// Section 2
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TissueReport {
    pub tissues: usize,
    pub samples_per_tissue: u32,
    pub pearson_accuracy: Option<Spread>,
    pub spearman_accuracy: Option<Spread>,
    pub mean_profile_accuracy: Option<Spread>,
    pub rows: Vec<TissueRow>,
}

/// Section 4, the A375 held-out doses
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PlateReport {
    pub compounds: usize,
    pub genes: usize,
    pub model: FitSpread,
    pub no_change: FitSpread,
    pub nearest_dose: FitSpread,
    pub neighbour_mean: FitSpread,
}

/// RMSE and R^2 over the splits
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FitSpread {
    pub rmse: Option<Spread>,
    pub r2: Option<Spread>,
}

/// The sampler check, one cell, with its Kolmogorov distance's 5% critical value
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SamplerOut {
    #[serde(flatten)]
    pub row: SamplerRow,
    pub ks_critical_5pct: f64,
}

impl SamplerOut {
    /// The row with the critical value for its number of draws
    pub(crate) fn new(row: SamplerRow) -> SamplerOut {
        let ks_critical_5pct = 1.36 / (row.draws.max(1) as f64).sqrt();
        SamplerOut {
            row,
            ks_critical_5pct,
        }
    }

    /// The mean as written in the table (no needless decimals)
    pub(crate) fn mu_label(&self) -> String {
        let mu = self.row.mu;
        if mu >= 1.0 && (mu - mu.round()).abs() < 1e-3 * mu {
            format!("{mu:.0}")
        } else {
            format!("{mu:.2}")
        }
    }
}
