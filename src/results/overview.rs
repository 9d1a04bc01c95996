//! The whole-result statistics the plots draw from ([`synthome_analysis::overview`]), in the
//! form that crosses from the worker to the page: errors as the text the viewer shows, the PCA
//! cut to the two components drawn. The embedded backend computes it in its worker right after
//! posting the counts, then, as its own message, a single-cell result's UMAP ([`cell_layout`])
//! from the overview's full PCA; a remote result gets the overview on the page, after the
//! summary has been drawn, and no UMAP.

use serde::{Deserialize, Serialize};
use synthome_analysis::{
    AnalysisError, HeatmapRows, Overview, Pca, Umap, UmapConfig, overview, umap_of_pca,
};
use synthome_matrix::{ExpressionMatrix, ExpressionValues};

/// What the viewer's PCA, heatmap, first gene and library-size plots need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultOverview {
    /// PCA of the samples (its first [`DRAWN_COMPONENTS`]), or why there is none.
    pub pca: Result<Pca, String>,
    /// Heatmap rows of the most variable genes, or why there are none.
    pub heatmap: Result<HeatmapRows, String>,
    /// The most variable gene (column index), the gene plot's first gene.
    pub top_gene: Option<usize>,
    /// Total counts per sample.
    pub library_sizes: Vec<f64>,
    /// A single-cell result's UMAP, or why there is none; `None` while it is computed.
    pub umap: Option<Result<Umap, String>>,
}

/// Principal components the viewer draws (and the overview carries to the page).
pub const DRAWN_COMPONENTS: usize = 2;

/// Why a result the page computed the overview of has no UMAP.
pub const NO_PAGE_UMAP: &str =
    "the UMAP is computed only for single-cell results generated in this browser";

/// Whether `matrix` is a single-cell result (sparse counts), the kind a UMAP is drawn for.
pub fn is_single_cell(matrix: &ExpressionMatrix) -> bool {
    matches!(matrix.values(), ExpressionValues::SparseCounts(_))
}

/// The UMAP of a single-cell result's cells (seeded, the same on every run) from the
/// overview's PCA `start` ([`synthome_analysis::overview_pca`]), or why there is none.
pub fn cell_layout(
    matrix: &ExpressionMatrix,
    start: &Result<Pca, AnalysisError>,
) -> Result<Umap, String> {
    if !is_single_cell(matrix) {
        return Err("the UMAP is drawn for single-cell results only".into());
    }
    let start = start.as_ref().map_err(|error| error.to_string())?;
    umap_of_pca(start, &UmapConfig::default()).map_err(|error| error.to_string())
}

impl ResultOverview {
    /// Computes the overview of `matrix`, its UMAP still to come.
    pub fn of(matrix: &ExpressionMatrix) -> ResultOverview {
        ResultOverview::from_overview(overview(matrix))
    }

    /// The page's form of `overview`: errors as text, the PCA cut to the components drawn.
    pub fn from_overview(overview: Overview) -> ResultOverview {
        let pca = overview.pca.map(|mut pca| {
            pca.components.truncate(DRAWN_COMPONENTS);
            pca
        });
        ResultOverview {
            pca: pca.map_err(|error| error.to_string()),
            heatmap: overview.heatmap.map_err(|error| error.to_string()),
            top_gene: overview.top_gene,
            library_sizes: overview.library_sizes,
            umap: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use synthome_matrix::{CsrBuilder, Dense, ExpressionValues, GeneTable, SampleMetadata};

    use super::*;

    fn genes(n: usize) -> Arc<GeneTable> {
        let table = GeneTable::new(
            (0..n).map(|g| format!("ENSG{g:011}")).collect(),
            (0..n).map(|g| format!("G{g}")).collect(),
        )
        .expect("genes");
        Arc::new(table)
    }

    #[test]
    fn a_single_cell_overview_draws_two_components_and_lays_out_its_cells_from_all() {
        // 40 cells of two kinds over 12 genes.
        let mut builder = CsrBuilder::new(12);
        for cell in 0..40u32 {
            let (indices, values): (Vec<u32>, Vec<u32>) = (0..12u32)
                .map(|gene| {
                    let own = (gene < 6) == (cell < 20);
                    (
                        gene,
                        if own {
                            20 + (cell * 7 + gene * 3) % 9
                        } else {
                            1 + gene % 2
                        },
                    )
                })
                .unzip();
            builder.push_row(&indices, &values).expect("row");
        }
        let samples = (0..40)
            .map(|s| SampleMetadata::new(format!("c{s}"), vec![]))
            .collect();
        let values = ExpressionValues::SparseCounts(builder.finish());
        let matrix = ExpressionMatrix::new(genes(12), samples, values).expect("matrix");
        let full = overview(&matrix);
        let start = full.pca.clone();
        assert!(
            start
                .as_ref()
                .is_ok_and(|pca| pca.components.len() > DRAWN_COMPONENTS)
        );
        let page = ResultOverview::from_overview(full);
        assert_eq!(
            page.pca.as_ref().map(|pca| pca.components.len()),
            Ok(DRAWN_COMPONENTS)
        );
        let layout = cell_layout(&matrix, &start).expect("umap");
        assert_eq!(layout.embedding.len(), 40);
        let failed = Err(AnalysisError::TooFewSamples {
            what: "the PCA",
            size: 1,
            minimum: 2,
        });
        assert!(cell_layout(&matrix, &failed).is_err_and(|message| message.contains("PCA")));
    }

    #[test]
    fn the_overview_survives_its_json_form() {
        let samples = (0..4)
            .map(|s| SampleMetadata::new(format!("s{s}"), vec![]))
            .collect();
        let counts =
            Dense::new(4, 3, vec![10, 90, 1, 12, 88, 2, 90, 10, 3, 88, 12, 4]).expect("dense");
        let matrix = ExpressionMatrix::new(genes(3), samples, ExpressionValues::Counts(counts))
            .expect("matrix");
        let overview = ResultOverview::of(&matrix);
        assert!(overview.pca.is_ok() && overview.heatmap.is_ok());
        assert_eq!(overview.library_sizes, vec![101.0, 102.0, 103.0, 104.0]);
        let json = serde_json::to_string(&overview).expect("json");
        let back: ResultOverview = serde_json::from_str(&json).expect("read back");
        // JSON text keeps every number to within an ulp or so: plenty for drawing.
        let close = |a: &[f64], b: &[f64]| {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12)
        };
        let (pca, back_pca) = (overview.pca.expect("pca"), back.pca.expect("pca back"));
        assert_eq!(pca.genes, back_pca.genes);
        for (component, back_component) in pca.components.iter().zip(&back_pca.components) {
            assert!(close(&component.scores, &back_component.scores));
            assert!(close(&component.loadings, &back_component.loadings));
        }
        let (rows, back_rows) = (
            overview.heatmap.expect("rows"),
            back.heatmap.expect("rows back"),
        );
        assert_eq!(
            (rows.genes, rows.n_samples),
            (back_rows.genes, back_rows.n_samples)
        );
        assert!(rows.z.iter().zip(&back_rows.z).all(|(a, b)| close(a, b)));
        assert_eq!(back.top_gene, overview.top_gene);
        assert_eq!(back.library_sizes, overview.library_sizes);
    }
}
