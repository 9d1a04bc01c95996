//! The viewer's plots of a result, as SVG text: PCA (and for single cell UMAP) coloured by a
//! metadata field, one gene by
//! group (box or violin), a heatmap of the most variable genes, library sizes, and for single
//! cell a dot plot of marker genes. Plain Rust over `synthome-analysis` and `synthome-plots`,
//! tested on the host; the component only chooses and shows.

use synthome_analysis::{
    Grouping, HeatmapConfig, HeatmapRows, Pca, Umap, dot_plot, histogram, summarize_by_group,
};
use synthome_matrix::ExpressionMatrix;
use synthome_plots::{
    DistributionLabels, DistributionStyle, PlotOptions, ScatterData, distribution_svg,
    dot_plot_svg, heatmap_svg, histogram_svg, scatter_svg,
};

/// Canonical PBMC marker genes for the single-cell dot plot, in display order.
pub const MARKER_SYMBOLS: [&str; 12] = [
    "CD3E", "IL7R", "CD8A", "NKG7", "GNLY", "MS4A1", "CD79A", "CD14", "LYZ", "FCGR3A", "FCER1A",
    "PPBP",
];

fn sample_ids(matrix: &ExpressionMatrix) -> Vec<String> {
    matrix
        .samples()
        .iter()
        .map(|sample| sample.sample_id.clone())
        .collect()
}

/// PCA scatter coloured by the metadata field `key`.
pub fn pca_svg(matrix: &ExpressionMatrix, pca: &Pca, key: &str) -> Result<String, String> {
    let grouping = Grouping::by_field(matrix.samples(), key);
    let data = ScatterData::from_pca(pca, 0, 1, &grouping, &sample_ids(matrix), key)
        .ok_or_else(|| "PCA needs at least two samples that differ".to_string())?;
    Ok(scatter_svg(
        &data,
        &PlotOptions::new(
            "pca-plot",
            "PCA of the samples (log CPM, 2,000 most variable genes)",
        ),
    ))
}

/// UMAP scatter of the cells coloured by the metadata field `key`.
pub fn umap_svg(matrix: &ExpressionMatrix, umap: &Umap, key: &str) -> String {
    let grouping = Grouping::by_field(matrix.samples(), key);
    let data = ScatterData::from_coordinates(
        umap.embedding
            .iter()
            .map(|&[x, y]| (f64::from(x), f64::from(y))),
        ["UMAP 1".into(), "UMAP 2".into()],
        &grouping,
        &sample_ids(matrix),
        key,
    );
    scatter_svg(
        &data,
        &PlotOptions::new(
            "umap-plot",
            "UMAP of the cells (20 PCs of log CPM, 15 neighbours, seeded)",
        ),
    )
}

/// One gene's log CPM by the groups of `key`.
pub fn gene_svg(
    matrix: &ExpressionMatrix,
    gene: usize,
    key: &str,
    style: DistributionStyle,
) -> Result<String, String> {
    let values = matrix
        .gene_log_cpm(gene)
        .ok_or_else(|| format!("no gene at column {gene}"))?;
    let grouping = Grouping::by_field(matrix.samples(), key);
    let summaries = summarize_by_group(&values, &grouping).map_err(|error| error.to_string())?;
    let genes = matrix.genes();
    let symbol = &genes.symbols()[gene];
    let labels = DistributionLabels {
        value: format!("{symbol} (log CPM)"),
        group: key.to_string(),
        item: "sample".into(),
        samples: sample_ids(matrix),
    };
    let title = format!("{symbol} ({}) by {key}", genes.ids()[gene]);
    Ok(distribution_svg(
        &summaries,
        &labels,
        style,
        &PlotOptions::new("gene-plot", title),
    ))
}

/// Heatmap of the overview's most variable genes, samples grouped by `key`.
pub fn heatmap_svg_of(
    matrix: &ExpressionMatrix,
    rows: &HeatmapRows,
    key: &str,
) -> Result<String, String> {
    let grouping = Grouping::by_field(matrix.samples(), key);
    let heatmap = rows
        .arrange(&grouping, HeatmapConfig::default().max_columns)
        .map_err(|error| error.to_string())?;
    Ok(heatmap_svg(
        &heatmap,
        matrix.genes().symbols(),
        &sample_ids(matrix),
        key,
        &PlotOptions {
            height: 640,
            ..PlotOptions::new(
                "heatmap-plot",
                "Most variable genes (row z-scores of log CPM)",
            )
        },
    ))
}

/// Histogram of library sizes (total counts per sample).
pub fn library_size_svg(library_sizes: &[f64]) -> String {
    histogram_svg(
        &histogram(library_sizes, 20),
        "library size (total counts)",
        "samples",
        &PlotOptions::new("library-size-plot", "Library sizes"),
    )
}

/// Dot plot of the marker genes the result has, by the groups of `key`; `None` when it has
/// none of them.
pub fn marker_dot_plot(matrix: &ExpressionMatrix, key: &str) -> Option<Result<String, String>> {
    let symbols = matrix.genes().symbols();
    let genes: Vec<usize> = MARKER_SYMBOLS
        .iter()
        .filter_map(|marker| symbols.iter().position(|symbol| symbol == marker))
        .collect();
    if genes.is_empty() {
        return None;
    }
    let grouping = Grouping::by_field(matrix.samples(), key);
    Some(
        dot_plot(matrix, &genes, &grouping)
            .map(|dots| {
                let marker_symbols: Vec<String> =
                    genes.iter().map(|&gene| symbols[gene].clone()).collect();
                dot_plot_svg(
                    &dots,
                    &marker_symbols,
                    key,
                    &PlotOptions::new("dot-plot", "Marker genes by group"),
                )
            })
            .map_err(|error| error.to_string()),
    )
}

/// The gene column named by a symbol or Ensembl id (case-insensitive).
pub fn find_gene(matrix: &ExpressionMatrix, text: &str) -> Option<usize> {
    let wanted = text.trim();
    let genes = matrix.genes();
    genes
        .symbols()
        .iter()
        .position(|symbol| symbol.eq_ignore_ascii_case(wanted))
        .or_else(|| {
            genes
                .ids()
                .iter()
                .position(|id| id.eq_ignore_ascii_case(wanted))
        })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use synthome_matrix::{Dense, ExpressionValues, GeneTable, MetadataField, SampleMetadata};

    use super::*;

    fn matrix() -> ExpressionMatrix {
        let symbols = ["CD3E", "LYZ", "G2", "G3"];
        let genes = GeneTable::new(
            (0..4).map(|g| format!("ENSG{g:011}")).collect(),
            symbols.iter().map(|s| s.to_string()).collect(),
        )
        .expect("genes");
        let samples = (0..6)
            .map(|s| {
                let kind = if s < 3 { "T cell" } else { "monocyte" };
                SampleMetadata::new(
                    format!("sample_{s}"),
                    vec![MetadataField {
                        key: "cell_type".into(),
                        value: kind.into(),
                        inferred: false,
                    }],
                )
            })
            .collect();
        let data: Vec<u32> = (0..6)
            .flat_map(|s: u32| {
                if s < 3 {
                    [50 + s, 2, 10, 30]
                } else {
                    [1, 80 + s, 12, 25]
                }
            })
            .collect();
        let values = ExpressionValues::Counts(Dense::new(6, 4, data).expect("dense"));
        ExpressionMatrix::new(Arc::new(genes), samples, values).expect("matrix")
    }

    fn count(svg: &str, needle: &str) -> usize {
        svg.matches(needle).count()
    }

    #[test]
    fn every_plot_renders_for_a_small_result() {
        let matrix = matrix();
        let overview = synthome_analysis::overview(&matrix);
        let pca = overview.pca.expect("pca");
        let scatter = pca_svg(&matrix, &pca, "cell_type").expect("scatter");
        assert!(scatter.contains("data-testid=\"pca-plot\""));
        assert_eq!(
            count(&scatter, "<circle"),
            6 + 2,
            "six points and a legend swatch per group"
        );
        let gene = gene_svg(&matrix, 1, "cell_type", DistributionStyle::Box).expect("box");
        assert!(gene.contains("LYZ (log CPM)"));
        let rows = overview.heatmap.expect("heatmap rows");
        let heatmap = heatmap_svg_of(&matrix, &rows, "cell_type").expect("heatmap");
        assert!(heatmap.contains("heatmap-plot"));
        assert!(library_size_svg(&overview.library_sizes).contains("library-size-plot"));
        let dots = marker_dot_plot(&matrix, "cell_type")
            .expect("markers present")
            .expect("dot plot");
        assert!(dots.contains("CD3E") && dots.contains("LYZ"));
        let umap = Umap {
            embedding: (0..6).map(|s| [s as f32, (s % 3) as f32]).collect(),
        };
        let layout = umap_svg(&matrix, &umap, "cell_type");
        assert!(layout.contains("data-testid=\"umap-plot\"") && layout.contains("UMAP 2"));
        assert_eq!(count(&layout, "<circle"), 6 + 2);
    }

    #[test]
    fn genes_are_found_by_symbol_or_id() {
        let matrix = matrix();
        assert_eq!(find_gene(&matrix, "lyz"), Some(1));
        assert_eq!(find_gene(&matrix, " ENSG00000000002 "), Some(2));
        assert_eq!(find_gene(&matrix, "TP53"), None);
    }
}
