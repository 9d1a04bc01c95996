//! Statistics for the result viewer, computed from a `synthome_matrix::ExpressionMatrix`: log
//! CPM, PCA of samples, per-group distributions (box, violin, dot plot), heatmap of the most
//! variable genes, histograms, differential expression and the ground truth offered as
//! downloads. It is also the workspace's one home of general numerics, used by the builders
//! and the realism reports: the symmetric eigen-solver, dense matrices and their PCAs, means,
//! medians, Pearson correlation, ranks and AUROC.
//!
//! Everything works on log CPM, `log2(value / library_size * 1e6 + 1)` ([`log_cpm`]), the
//! convention of `ExpressionMatrix::log_cpm`. Sparse (single-cell) input is never densified:
//! per-gene statistics come from one pass over the stored values, and the PCA keeps the
//! selected genes sparse and centres them implicitly. The crate does no I/O and is
//! deterministic: the PCA starts from a fixed-seed block, and ties are broken by index.
//!
//! ```
//! use std::sync::Arc;
//! use synthome_analysis::{Grouping, differential_expression, pca, PcaConfig};
//! use synthome_matrix::{Dense, ExpressionMatrix, ExpressionValues, GeneTable, MetadataField,
//!     SampleMetadata};
//!
//! let genes = GeneTable::new(vec!["G1".into(), "G2".into()], vec!["A".into(), "B".into()])?;
//! let samples: Vec<SampleMetadata> = ["ctrl", "ctrl", "ctrl", "drug", "drug", "drug"]
//!     .iter()
//!     .enumerate()
//!     .map(|(i, c)| SampleMetadata::new(format!("s{i}"), vec![MetadataField {
//!         key: "condition".into(), value: (*c).into(), inferred: false }]))
//!     .collect();
//! let counts = Dense::new(6, 2, vec![50, 50, 52, 48, 49, 51, 80, 20, 82, 18, 79, 21])?;
//! let matrix = ExpressionMatrix::new(Arc::new(genes), samples, ExpressionValues::Counts(counts))?;
//!
//! let grouping = Grouping::by_field(matrix.samples(), "condition");
//! let (drug, ctrl) = (grouping.members(1), grouping.members(0));
//! let de = differential_expression(&matrix, &drug, &ctrl).map_err(|e| e.to_string());
//! assert!(de.is_ok_and(|de| de.rows()[0].log2_fold_change > 0.5));
//! let pcs = pca(&matrix, &PcaConfig::default()).map_err(|e| e.to_string());
//! assert!(pcs.is_ok_and(|p| p.components[0].variance_ratio > 0.9));
//! # Ok::<(), synthome_matrix::MatrixError>(())
//! ```

mod benjamini_hochberg;
mod centred;
mod cluster;
mod correlation;
mod dense;
mod describe;
mod differential;
mod dot_plot;
mod eigen;
mod error;
mod grouping;
mod heatmap;
mod histogram;
mod kde;
mod log_cpm;
mod moments;
mod nice;
mod overview;
mod pca;
mod quantile;
mod ranks;
mod student_t;
mod summary;
mod truth;
mod umap;
mod variable;
mod welch;

pub use benjamini_hochberg::benjamini_hochberg;
pub use correlation::pearson;
pub use dense::{
    DenseMatrix, DensePca, exact_pca_scores, multiply, multiply_transposed, orthonormalise_columns,
    randomized_pca, squared_distance,
};
pub use describe::{mean, median, sample_variance};
pub use differential::{
    DeColumn, DeRow, DifferentialExpression, SortOrder, differential_expression, fold_changes,
    is_significant,
};
pub use dot_plot::{DotPlot, dot_plot};
pub use eigen::{JacobiStop, SymmetricEigen, symmetric_eigen};
pub use error::AnalysisError;
pub use grouping::{Grouping, MISSING_LABEL, metadata_keys};
pub use heatmap::{
    Heatmap, HeatmapColumn, HeatmapConfig, HeatmapRows, MAX_HEATMAP_GENES, variable_gene_heatmap,
};
pub use histogram::{Histogram, histogram};
pub use kde::DensityPoint;
pub use log_cpm::log_cpm;
pub use nice::{NiceScale, nice_step};
pub use overview::{OVERVIEW_PCA, Overview, overview, overview_pca};
pub use pca::{Pca, PcaConfig, PrincipalComponent, pca};
pub use ranks::{auroc, ranks};
pub use student_t::{regularized_incomplete_beta, student_t_two_sided_p};
pub use summary::{BoxStats, GroupSummary, summarize_by_group};
pub use truth::expected_log_cpm_by_group;
pub use umap::{CELL_UMAP_PCA, Umap, UmapConfig, cell_umap, umap, umap_of_pca};
pub use variable::top_variable_genes;
pub use welch::{GroupMoments, WelchTest, welch_t_test};

#[cfg(test)]
mod test_matrix {
    //! Small matrices for the unit tests.

    use std::sync::Arc;

    use synthome_matrix::{
        Csr, CsrBuilder, Dense, ExpressionMatrix, ExpressionValues, GeneTable, SampleMetadata,
    };

    fn genes(n: usize) -> Arc<GeneTable> {
        let ids = (0..n).map(|gene| format!("ENSG{gene:011}")).collect();
        let symbols = (0..n).map(|gene| format!("G{gene}")).collect();
        Arc::new(GeneTable::new(ids, symbols).unwrap_or_else(|e| panic!("{e}")))
    }

    fn samples(n: usize) -> Vec<SampleMetadata> {
        (0..n)
            .map(|sample| SampleMetadata::new(format!("sample_{}", sample + 1), vec![]))
            .collect()
    }

    fn build(n_rows: usize, n_cols: usize, values: ExpressionValues) -> ExpressionMatrix {
        ExpressionMatrix::new(genes(n_cols), samples(n_rows), values)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Dense counts, one inner vector per sample.
    pub(crate) fn counts_matrix(rows: &[Vec<u32>]) -> ExpressionMatrix {
        let n_cols = rows.first().map_or(0, Vec::len);
        let dense = Dense::new(rows.len(), n_cols, rows.concat()).unwrap_or_else(|e| panic!("{e}"));
        build(rows.len(), n_cols, ExpressionValues::Counts(dense))
    }

    /// The same counts stored sparsely (zeros dropped).
    pub(crate) fn sparse_matrix(rows: &[Vec<u32>]) -> ExpressionMatrix {
        let n_cols = rows.first().map_or(0, Vec::len);
        let mut builder = CsrBuilder::new(n_cols);
        for row in rows {
            let (indices, values): (Vec<u32>, Vec<u32>) = row
                .iter()
                .enumerate()
                .filter(|&(_, &count)| count > 0)
                .map(|(gene, &count)| (gene as u32, count))
                .unzip();
            builder
                .push_row(&indices, &values)
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let csr: Csr = builder.finish();
        build(rows.len(), n_cols, ExpressionValues::SparseCounts(csr))
    }

    /// Dense expected values.
    pub(crate) fn expected_matrix(rows: &[Vec<f32>]) -> ExpressionMatrix {
        let n_cols = rows.first().map_or(0, Vec::len);
        let dense = Dense::new(rows.len(), n_cols, rows.concat()).unwrap_or_else(|e| panic!("{e}"));
        build(rows.len(), n_cols, ExpressionValues::Expected(dense))
    }
}
