//! Differential expression between two groups of a result (Welch t-test on log CPM with
//! Benjamini-Hochberg), as the viewer's volcano plot and table need it. Plain Rust, tested on
//! the host.

use synthome_analysis::{
    DeColumn, DifferentialExpression, Grouping, SortOrder, differential_expression,
};
use synthome_matrix::ExpressionMatrix;
use synthome_plots::{PlotOptions, VolcanoConfig, volcano_svg};

/// A finished comparison: the table (sorted as asked) and its volcano plot.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The per-gene results.
    pub table: DifferentialExpression,
    /// The volcano plot.
    pub volcano: String,
    /// Genes significant at the volcano's thresholds.
    pub n_significant: usize,
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
    let volcano = volcano_svg(
        &table,
        &config,
        test,
        reference,
        &PlotOptions::new("volcano-plot", format!("{test} vs {reference} ({key})")),
    );
    Ok(Comparison {
        table,
        volcano,
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
        assert!(comparison.volcano.contains("data-testid=\"volcano-plot\""));
        assert_eq!(comparable_groups(&matrix, "sex"), ["male", "female"]);
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
