//! The whole-result statistics the plots draw from ([`synthome_analysis::overview`]), in the
//! form that crosses from the worker to the page: errors as the text the viewer shows. The
//! embedded backend computes it in its worker right after posting the counts, then, as its own
//! message, a single-cell result's UMAP ([`cell_layout`]); a remote result gets the overview on
//! the page, after the summary has been drawn, and no UMAP.

use serde::{Deserialize, Serialize};
use synthome_analysis::{HeatmapRows, Pca, Umap, UmapConfig, cell_umap, overview};
use synthome_matrix::{ExpressionMatrix, ExpressionValues};

/// What the viewer's PCA, heatmap, first gene and library-size plots need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultOverview {
    /// PCA of the samples, or why there is none.
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

/// Why a result the page computed the overview of has no UMAP.
pub const NO_PAGE_UMAP: &str =
    "the UMAP is computed only for single-cell results generated in this browser";

/// Whether `matrix` is a single-cell result (sparse counts), the kind a UMAP is drawn for.
pub fn is_single_cell(matrix: &ExpressionMatrix) -> bool {
    matches!(matrix.values(), ExpressionValues::SparseCounts(_))
}

/// The UMAP of a single-cell result's cells (seeded, the same on every run), or why there is
/// none.
pub fn cell_layout(matrix: &ExpressionMatrix) -> Result<Umap, String> {
    if !is_single_cell(matrix) {
        return Err("the UMAP is drawn for single-cell results only".into());
    }
    cell_umap(matrix, &UmapConfig::default()).map_err(|error| error.to_string())
}

impl ResultOverview {
    /// Computes the overview of `matrix`, its UMAP still to come.
    pub fn of(matrix: &ExpressionMatrix) -> ResultOverview {
        let overview = overview(matrix);
        ResultOverview {
            pca: overview.pca.map_err(|error| error.to_string()),
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

    use synthome_matrix::{Dense, ExpressionValues, GeneTable, SampleMetadata};

    use super::*;

    #[test]
    fn the_overview_survives_its_json_form() {
        let genes = GeneTable::new(
            (0..3).map(|g| format!("ENSG{g:011}")).collect(),
            vec!["A".into(), "B".into(), "C".into()],
        )
        .expect("genes");
        let samples = (0..4)
            .map(|s| SampleMetadata::new(format!("s{s}"), vec![]))
            .collect();
        let counts =
            Dense::new(4, 3, vec![10, 90, 1, 12, 88, 2, 90, 10, 3, 88, 12, 4]).expect("dense");
        let matrix =
            ExpressionMatrix::new(Arc::new(genes), samples, ExpressionValues::Counts(counts))
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
