//! Differential expression between two groups of a result (Welch t-test on log CPM with
//! Benjamini-Hochberg), as the viewer's volcano plot and table need it; and generated samples
//! against the one real sample they were conditioned on (log2 fold changes, no test). Plain
//! Rust, tested on the host.

use std::sync::Arc;

use synthome_analysis::{
    DeColumn, DifferentialExpression, Grouping, SortOrder, differential_expression, fold_changes,
};
use synthome_matrix::{Dense, ExpressionMatrix, ExpressionValues, SampleMetadata};
use synthome_plots::{PlotOptions, VolcanoConfig, fold_change_svg, volcano_svg};

/// A finished comparison: the table (sorted as asked) and its plot.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The per-gene results.
    pub table: DifferentialExpression,
    /// The volcano plot (or, against a single reference sample, log2 fold change vs mean).
    pub plot: String,
    /// Genes significant at the volcano's thresholds (against a reference sample: genes with
    /// |log2 FC| of at least 1).
    pub n_significant: usize,
}

/// Smallest |log2 fold change| the reference comparison counts and colours.
const REFERENCE_FOLD: f64 = 1.0;

/// Compares the samples of `generated` against `reference` (one sample's counts in the same
/// gene order, named `reference_name`): log2 fold changes of mean log CPM, largest first.
pub fn compare_with_reference(
    generated: &ExpressionMatrix,
    reference: &[u32],
    reference_name: &str,
) -> Result<Comparison, String> {
    let n_genes = generated.n_genes();
    if reference.len() != n_genes {
        return Err(format!(
            "the reference has {} genes, the generated samples {n_genes}",
            reference.len()
        ));
    }
    let n_generated = generated.n_samples();
    let mut values = vec![0.0f32; (n_generated + 1) * n_genes];
    for (row, out) in generated.rows().zip(values.chunks_mut(n_genes)) {
        row.fill_dense(out);
    }
    for (out, &count) in values[n_generated * n_genes..].iter_mut().zip(reference) {
        *out = count as f32;
    }
    let mut samples: Vec<SampleMetadata> = generated.samples().to_vec();
    samples.push(SampleMetadata::new(reference_name, vec![]));
    let dense = Dense::new(n_generated + 1, n_genes, values).map_err(|error| error.to_string())?;
    let both = ExpressionMatrix::new(
        Arc::clone(generated.genes_arc()),
        samples,
        ExpressionValues::Expected(dense),
    )
    .map_err(|error| error.to_string())?;
    let test: Vec<usize> = (0..n_generated).collect();
    let mut table =
        fold_changes(&both, &test, &[n_generated]).map_err(|error| error.to_string())?;
    table.sort_by(DeColumn::AbsLog2FoldChange, SortOrder::Descending);
    let n_significant = table
        .rows()
        .iter()
        .filter(|row| {
            (row.mean_test > 0.0 || row.mean_reference > 0.0)
                && row.log2_fold_change.abs() >= REFERENCE_FOLD
        })
        .count();
    let plot = fold_change_svg(
        &table,
        REFERENCE_FOLD,
        "generated",
        reference_name,
        &PlotOptions::new(
            "reference-plot",
            format!("Generated samples vs the reference {reference_name}"),
        ),
    );
    Ok(Comparison {
        table,
        plot,
        n_significant,
    })
}

/// Compares the samples whose `key` is `test` against those whose `key` is `reference`.
pub fn compare(
    matrix: &ExpressionMatrix,
    key: &str,
    test: &str,
    reference: &str,
) -> Result<Comparison, String> {
    if test == reference {
        return Err("choose two different groups to compare".into());
    }
    let grouping = Grouping::by_field(matrix.samples(), key);
    let members = |label: &str| {
        grouping
            .group_index(label)
            .map(|group| grouping.members(group))
            .ok_or_else(|| format!("no sample has {key} = {label}"))
    };
    let (test_samples, reference_samples) = (members(test)?, members(reference)?);
    let mut table = differential_expression(matrix, &test_samples, &reference_samples)
        .map_err(|error| error.to_string())?;
    table.sort_by(DeColumn::PAdjusted, SortOrder::Ascending);
    let config = VolcanoConfig::default();
    let n_significant = table.n_significant(config.alpha, config.min_abs_log2_fold_change);
    let plot = volcano_svg(
        &table,
        &config,
        test,
        reference,
        &PlotOptions::new("volcano-plot", format!("{test} vs {reference} ({key})")),
    );
    Ok(Comparison {
        table,
        plot,
        n_significant,
    })
}

/// The groups of `key` that have at least two samples (the test needs two per group).
pub fn comparable_groups(matrix: &ExpressionMatrix, key: &str) -> Vec<String> {
    let grouping = Grouping::by_field(matrix.samples(), key);
    (0..grouping.n_groups())
        .filter(|&group| grouping.members(group).len() >= 2)
        .map(|group| grouping.labels()[group].clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use synthome_matrix::{Dense, ExpressionValues, GeneTable, MetadataField, SampleMetadata};

    use super::*;

    /// Six samples, three per sex; gene 0 is ten times higher in males.
    fn matrix() -> ExpressionMatrix {
        let genes = GeneTable::new(
            (0..3).map(|g| format!("ENSG{g:011}")).collect(),
            ["RPS4Y1", "ACTB", "GAPDH"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
        )
        .expect("genes");
        let samples = (0..6)
            .map(|s| {
                let sex = if s < 3 { "male" } else { "female" };
                SampleMetadata::new(
                    format!("s{s}"),
                    vec![MetadataField {
                        key: "sex".into(),
                        value: sex.into(),
                        inferred: false,
                    }],
                )
            })
            .collect();
        let data: Vec<u32> = (0..6u32)
            .flat_map(|s| {
                if s < 3 {
                    [1000 + 10 * s, 5000 - s, 3000 + s]
                } else {
                    [100 + s, 5000 + s, 3000 - s]
                }
            })
            .collect();
        let values = ExpressionValues::Counts(Dense::new(6, 3, data).expect("dense"));
        ExpressionMatrix::new(Arc::new(genes), samples, values).expect("matrix")
    }

    #[test]
    fn the_male_gene_comes_first_and_up() {
        let matrix = matrix();
        let comparison = compare(&matrix, "sex", "male", "female").expect("compared");
        let top = comparison.table.rows()[0];
        assert_eq!(comparison.table.symbol(&top), "RPS4Y1");
        assert!(top.log2_fold_change > 3.0, "{}", top.log2_fold_change);
        assert!(comparison.plot.contains("data-testid=\"volcano-plot\""));
        assert_eq!(comparable_groups(&matrix, "sex"), ["male", "female"]);
    }

    #[test]
    fn generated_samples_compare_with_one_reference_sample() {
        let matrix = matrix();
        // The reference: a female sample with ten times the RPS4Y1 of the females.
        let comparison =
            compare_with_reference(&matrix, &[1000, 5000, 3000], "my sample").expect("compared");
        assert_eq!(comparison.table.n_reference(), 1);
        assert_eq!(comparison.table.n_tested(), 0);
        let top = comparison.table.rows()[0];
        assert_eq!(comparison.table.symbol(&top), "RPS4Y1");
        assert!(comparison.plot.contains("data-testid=\"reference-plot\""));
        assert!(
            compare_with_reference(&matrix, &[1, 2], "short")
                .expect_err("wrong length")
                .contains("2 genes")
        );
    }

    #[test]
    fn comparisons_explain_what_is_wrong() {
        let matrix = matrix();
        assert_eq!(
            compare(&matrix, "sex", "male", "male").expect_err("same"),
            "choose two different groups to compare"
        );
        assert!(
            compare(&matrix, "sex", "male", "other")
                .expect_err("missing")
                .contains("sex = other")
        );
    }
}
