//! SVG plot builders for the result viewer: scatter (PCA, UMAP), box and violin, heatmap,
//! histogram, volcano and dot plot; and for the "Your data" view, log2 fold change against
//! mean (generated vs reference) and probability bars (predicted metadata). Values in, SVG text out: no DOM, no I/O, so the same code
//! runs in the browser and in native tests.
//!
//! Every plot is a self-contained `<svg>` (inline colours, white background, so it exports as
//! an SVG or PNG file as it is) with:
//! - accessibility: `role="img"` and `aria-labelledby` pointing at a `<title>` and a `<desc>`
//!   that summarises the data in words;
//! - hover details: a `<title>` tooltip on every point, box, bar and cell;
//! - test hooks: `data-testid` (the id given in [`PlotOptions`]), `data-kind` and counts such
//!   as `data-n-points` on the root, `class="point"` and `data-` attributes on elements;
//! - axes with ticks at nice numbers (1, 2 or 5 times a power of ten) and titles; a legend or
//!   colour bar;
//! - escaping of all text (labels come from user metadata);
//! - deterministic output: the same input gives the same bytes (coordinates rounded to 0.01 px,
//!   no hash-map order, no randomness).
//!
//! The realism reports draw with it too: [`ReportChart`] (points and lines on linear axes) and
//! [`mean_zero_svg`] (the single-cell mean versus zero-share plot) are static figures for a
//! Markdown report, in their own plain style and without the hooks above.
//!
//! Colours: Okabe-Ito for groups (then the same colours with other marker shapes), viridis for
//! sequential values, blue-white-red for z-scores: all readable with colour-vision deficiency.
//!
//! ```
//! use synthome_plots::{PlotOptions, ScatterData, ScatterPoint, scatter_svg};
//!
//! let data = ScatterData {
//!     points: vec![
//!         ScatterPoint { x: 1.0, y: 2.0, group: 0, label: "sample_1".into() },
//!         ScatterPoint { x: -1.0, y: 0.5, group: 1, label: "sample_2".into() },
//!     ],
//!     groups: vec!["liver".into(), "lung".into()],
//!     x_label: "PC1".into(),
//!     y_label: "PC2".into(),
//!     colour_label: "tissue".into(),
//! };
//! let svg = scatter_svg(&data, &PlotOptions::new("pca-plot", "PCA of samples"));
//! assert!(svg.starts_with("<svg") && svg.contains("data-testid=\"pca-plot\""));
//! assert!(svg.contains("data-n-points=\"2\""));
//! ```

mod axis;
mod categories;
mod distribution;
mod dot_plot;
mod fold_change;
mod heatmap;
mod histogram;
mod legend;
mod marker;
mod mean_zero;
mod palette;
mod probability_bars;
mod report_chart;
mod scatter;
mod svg;
mod text;
mod volcano;

pub use distribution::{
    DistributionLabels, DistributionStyle, MAX_POINTS_PER_GROUP, distribution_svg,
};
pub use dot_plot::dot_plot_svg;
pub use fold_change::fold_change_svg;
pub use heatmap::{Z_LIMIT, heatmap_svg};
pub use histogram::histogram_svg;
pub use mean_zero::{MeanZeroSeries, mean_zero_svg};
pub use probability_bars::probability_bars_svg;
pub use report_chart::{ReportChart, ReportSeries};
pub use scatter::{ScatterData, ScatterPoint, scatter_svg};
pub use svg::PlotOptions;
pub use volcano::{VolcanoConfig, volcano_svg};

#[cfg(test)]
mod test_svg;
