//! What the result viewer needs from a whole result, from one pass of per-gene moments: the
//! PCA of the samples, the heatmap rows of the most variable genes, the most variable gene and
//! the library sizes. The app computes it in its worker next to generation, so the page never
//! walks the full matrix to draw; every other plot reads only a few columns.

use synthome_matrix::{ExpressionMatrix, ExpressionValues};

use crate::heatmap::{HeatmapRows, variable_gene_rows};
use crate::pca::{Pca, PcaConfig, pca_with_moments};
use crate::variable::top_by_variance;
use crate::{AnalysisError, CELL_UMAP_PCA, HeatmapConfig, moments};

/// The viewer's whole-result statistics. Each part that cannot be computed (too few samples,
/// nothing varies) carries its own error, so the rest still shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Overview {
    /// PCA on the 2,000 most variable genes ([`overview_pca`]): two components, or for a
    /// single-cell result the twenty its UMAP starts from ([`umap_of_pca`](crate::umap_of_pca)).
    pub pca: Result<Pca, AnalysisError>,
    /// Heatmap rows of the 50 most variable genes.
    pub heatmap: Result<HeatmapRows, AnalysisError>,
    /// The gene with the largest log CPM variance, if any gene varies.
    pub top_gene: Option<usize>,
    /// Total counts per sample.
    pub library_sizes: Vec<f64>,
}

/// The PCA the viewer draws.
pub const OVERVIEW_PCA: PcaConfig = PcaConfig {
    n_components: 2,
    n_top_genes: 2_000,
};

/// The overview's PCA of `matrix`: [`OVERVIEW_PCA`], or [`CELL_UMAP_PCA`] for single-cell
/// (sparse) counts, so that their UMAP reuses it instead of computing a second PCA.
pub fn overview_pca(matrix: &ExpressionMatrix) -> &'static PcaConfig {
    match matrix.values() {
        ExpressionValues::SparseCounts(_) => &CELL_UMAP_PCA,
        _ => &OVERVIEW_PCA,
    }
}

/// Computes the [`Overview`] of `matrix`.
pub fn overview(matrix: &ExpressionMatrix) -> Overview {
    let stats = moments::all_samples(matrix);
    Overview {
        pca: pca_with_moments(matrix, &stats, overview_pca(matrix)),
        heatmap: variable_gene_rows(matrix, &stats, HeatmapConfig::default().n_genes),
        top_gene: top_by_variance(&stats.variance, 1).first().copied(),
        library_sizes: matrix.library_sizes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_matrix::counts_matrix;
    use crate::{Grouping, pca, top_variable_genes, variable_gene_heatmap};

    #[test]
    fn overview_agrees_with_the_separate_analyses() {
        let matrix = counts_matrix(&[
            vec![10, 90, 12, 100],
            vec![90, 10, 95, 100],
            vec![12, 88, 10, 100],
            vec![95, 12, 90, 100],
            vec![50, 40, 60, 100],
        ]);
        let overview = overview(&matrix);
        assert_eq!(overview.pca, pca(&matrix, &OVERVIEW_PCA));
        assert_eq!(
            overview.top_gene,
            top_variable_genes(&matrix, 1).first().copied()
        );
        assert_eq!(overview.library_sizes, matrix.library_sizes());
        let grouping = Grouping::by_field(matrix.samples(), "group");
        let config = HeatmapConfig::default();
        let arranged = overview
            .heatmap
            .as_ref()
            .map(|rows| rows.arrange(&grouping, config.max_columns));
        match (arranged, variable_gene_heatmap(&matrix, &grouping, &config)) {
            (Ok(Ok(from_rows)), Ok(direct)) => assert_eq!(from_rows, direct),
            other => panic!("heatmaps differ: {other:?}"),
        }
    }

    #[test]
    fn a_single_sample_keeps_the_parts_that_need_no_spread() {
        let matrix = counts_matrix(&[vec![5, 0, 3]]);
        let overview = overview(&matrix);
        assert!(matches!(
            overview.pca,
            Err(AnalysisError::TooFewSamples { .. })
        ));
        assert_eq!(overview.top_gene, None);
        assert_eq!(overview.library_sizes, vec![8.0]);
    }
}
