//! The realism reports of the Synthome models (native only): the bulk model's
//! ([`bulk_report`]) and the single-cell model's ([`single_cell_report`]).
//!
//! [`bulk_report`] rebuilds the model from a data folder laid out like `shared/data` once
//! per split, leaving out half of the GEUVADIS lymphoblastoid lines (stratified by sex), one
//! inner dose per A375 compound, and HPA's own tissue RNA-seq (tissues come from the GTEx
//! tables only), then compares what each build generates with what it never saw:
//!
//! 1. held-out GEUVADIS lines: per-gene mean and variance r of log CPM and a random-forest
//!    two-sample AUROC on the top principal components, next to real-vs-real and two
//!    baselines (independent per-gene Gaussian; training mean only);
//! 2. tissue identity: generated tissues matched to HPA's RNA-seq tissues;
//! 3. sex: a classifier fitted on real lines labels generated lines and tissues;
//! 4. perturbations: knock-down targets, and the A375 held-out doses against the no-change,
//!    nearest-dose and neighbour-mean baselines;
//! 5. memorisation: nearest-training-line distances of generated vs held-out lines;
//! 6. mean-variance plots (SVG), plus the count sampler's accuracy against the exact negative
//!    binomial.
//!
//! [`Report::to_markdown`], [`Report::to_json`] and [`Report::plots`] give the outputs; the
//! `bulk_report` example writes them into `docs/realism/`.
//!
//! [`single_cell_report`] fits the single-cell model (through `synthome-sc-builder`) on 70% of
//! the Kang 2018 cells and compares generated cells with the held-out 30%; `synthome
//! build-model sc --realism` writes it next to the bundle (`public/models/REALISM-sc.*`).
//!
//! Statistics come from `synthome-analysis` and charts from `synthome-plots`; this crate
//! holds what is particular to the reports (splits, classifiers, sections, text).

mod error;
mod generate;
mod options;
mod plots;
mod read;
mod report;
mod run;
mod sections;
mod single_cell;
mod split;
mod stats;

pub use error::RealismError;
pub use options::ReportOptions;
pub use report::{Plot, Report, Spread};
pub use run::bulk_report;
pub use sections::lcl::Generator;
pub use single_cell::{
    SC_REALISM_JSON, SC_REALISM_MARKDOWN, SC_REALISM_SVG, SingleCellOutput, single_cell_report,
};
