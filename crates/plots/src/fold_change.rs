//! Log2 fold change against mean expression (an MA plot) of a comparison whose groups may be a
//! single sample (generated samples against the real sample they were conditioned on), where
//! a volcano plot has no p-values to draw.

use std::collections::BTreeSet;

use synthome_analysis::{DeRow, DifferentialExpression};

use crate::axis::{Axis, Frame, x_axis, y_axis};
use crate::legend::{LEGEND_WIDTH, coloured_dots};
use crate::palette::{GREY, INK};
use crate::svg::{Document, PlotOptions, put};
use crate::text::{Esc, Num, shorten, value_text};

/// Colour of genes higher in the test group.
const UP: &str = "#D55E00";
/// Colour of genes lower in the test group.
const DOWN: &str = "#0072B2";
/// Points inside |log2 FC| < threshold closer than this (pixels) to one drawn are left out.
const THINNING_PX: f64 = 1.5;

/// Draws log2 fold change (y) against the mean of both groups' mean log2 CPM (x) for every
/// gene expressed in either group; genes with |log2 FC| of at least `min_abs_log2_fold_change`
/// are coloured (up or down) and always drawn, the others thinned as in the volcano plot.
///
/// Root `data-` attributes: `data-n-genes` (expressed), `data-n-points` (drawn), `data-n-up`,
/// `data-n-down`. Every point is a `class="point"` circle with `data-gene` (Ensembl id),
/// `data-change` (`up`, `down` or `no`) and a tooltip.
pub fn fold_change_svg(
    de: &DifferentialExpression,
    min_abs_log2_fold_change: f64,
    test: &str,
    reference: &str,
    options: &PlotOptions,
) -> String {
    let expressed: Vec<&DeRow> = de
        .rows()
        .iter()
        .filter(|row| {
            (row.mean_test > 0.0 || row.mean_reference > 0.0) && row.log2_fold_change.is_finite()
        })
        .collect();
    let change = |row: &DeRow| {
        if row.log2_fold_change.abs() < min_abs_log2_fold_change {
            "no"
        } else if row.log2_fold_change > 0.0 {
            "up"
        } else {
            "down"
        }
    };
    let average = |row: &DeRow| (row.mean_test + row.mean_reference) / 2.0;
    let n_up = expressed.iter().filter(|r| change(r) == "up").count();
    let n_down = expressed.iter().filter(|r| change(r) == "down").count();
    let reach = expressed
        .iter()
        .map(|r| r.log2_fold_change.abs())
        .fold(min_abs_log2_fold_change.max(1.0), f64::max);
    let top_mean = expressed.iter().map(|r| average(r)).fold(1.0, f64::max);
    let width = f64::from(options.width.max(240));
    let height = f64::from(options.height.max(200));
    let frame = Frame {
        left: 64.0,
        top: 36.0,
        right: width - LEGEND_WIDTH - 12.0,
        bottom: height - 50.0,
    };
    let x = Axis::new(0.0, top_mean, frame.left, frame.right);
    let y = Axis::new(-reach, reach, frame.bottom, frame.top);
    let mut occupied: BTreeSet<(i64, i64)> = BTreeSet::new();
    let mut drawn: Vec<(&DeRow, f64, f64, &str)> = Vec::new();
    for &row in &expressed {
        let kind = change(row);
        let px = x.pixel(average(row));
        let py = y.pixel(row.log2_fold_change);
        if kind == "no" {
            let cell = (
                libm::floor(px / THINNING_PX) as i64,
                libm::floor(py / THINNING_PX) as i64,
            );
            if !occupied.insert(cell) {
                continue;
            }
        }
        drawn.push((row, px, py, kind));
    }
    let description = format!(
        "Log2 fold change against mean log2 CPM of {} expressed genes, {test} versus \
         {reference}: {n_up} at least {} higher and {n_down} at least as much lower",
        expressed.len(),
        value_text(min_abs_log2_fold_change),
    );
    let data = [
        ("n-genes", expressed.len().to_string()),
        ("n-points", drawn.len().to_string()),
        ("n-up", n_up.to_string()),
        ("n-down", n_down.to_string()),
    ];
    let mut doc = Document::new(options, "fold-change", &description, &data);
    x_axis(&mut doc, frame, &x, "mean log2 CPM (both groups)");
    y_axis(
        &mut doc,
        frame,
        &y,
        &format!(
            "log2 fold change ({} vs {})",
            shorten(test, 20),
            shorten(reference, 20)
        ),
    );
    if expressed.is_empty() {
        doc.message("No gene is expressed in either group");
    }
    let dashed = "stroke-dasharray=\"4 3\" stroke-width=\"1\"";
    let mut folds = vec![0.0];
    if min_abs_log2_fold_change > 0.0 {
        folds.extend([-min_abs_log2_fold_change, min_abs_log2_fold_change]);
    }
    for fold in folds {
        put!(
            doc.out,
            "<line data-threshold=\"fold\" x1=\"{}\" y1=\"{ty}\" x2=\"{}\" y2=\"{ty}\" \
             stroke=\"{INK}\" {dashed}><title>log2 fold change = {}</title></line>",
            Num(frame.left),
            Num(frame.right),
            Esc(&value_text(fold)),
            ty = Num(y.pixel(fold)),
        );
    }
    put!(doc.out, "<g data-testid=\"{}-points\">", doc.id);
    for pass in ["no", "changed"] {
        for &(row, px, py, kind) in &drawn {
            if (pass == "no") != (kind == "no") {
                continue;
            }
            let colour = match kind {
                "up" => UP,
                "down" => DOWN,
                _ => GREY,
            };
            put!(
                doc.out,
                "<circle class=\"point\" data-gene=\"{}\" data-change=\"{kind}\" cx=\"{}\" \
                 cy=\"{}\" r=\"{}\" fill=\"{colour}\" fill-opacity=\"0.75\"><title>{}</title></circle>",
                Esc(de.gene_id(row)),
                Num(px),
                Num(py),
                if kind == "no" { "2" } else { "3" },
                Esc(&format!(
                    "{} ({})\nlog2 fold change {}\nmean log2 CPM {} vs {}",
                    de.symbol(row),
                    de.gene_id(row),
                    value_text(row.log2_fold_change),
                    value_text(row.mean_test),
                    value_text(row.mean_reference)
                ))
            );
        }
    }
    doc.out.push_str("</g>");
    let legend_x = frame.right + 18.0;
    let entries = [
        (UP, format!("higher in {} ({n_up})", shorten(test, 11))),
        (DOWN, format!("lower in {} ({n_down})", shorten(test, 11))),
        (
            GREY,
            format!(
                "|log2 FC| < {} ({})",
                value_text(min_abs_log2_fold_change),
                expressed.len() - n_up - n_down
            ),
        ),
    ];
    coloured_dots(&mut doc, legend_x, frame.top + 8.0, "change", &entries);
    doc.finish()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::test_svg::{parse, points, root_attribute};
    use synthome_analysis::fold_changes;
    use synthome_matrix::{Dense, ExpressionMatrix, ExpressionValues, GeneTable, SampleMetadata};

    /// 300 genes, 3 generated samples and 1 reference: genes 0-4 eight times higher in the
    /// generated ones, 5-9 eight times lower, gene 299 zero everywhere.
    fn comparison() -> DifferentialExpression {
        let n_genes = 300;
        let mut data = Vec::new();
        for sample in 0..4u32 {
            for gene in 0..n_genes as u32 {
                let base = 100 + (gene * 13 + sample * 7) % 17;
                data.push(match gene {
                    299 => 0,
                    0..=4 if sample < 3 => base * 8,
                    5..=9 if sample < 3 => base / 8,
                    _ => base,
                });
            }
        }
        let genes = GeneTable::new(
            (0..n_genes).map(|g| format!("ENSG{g:011}")).collect(),
            (0..n_genes).map(|g| format!("G{g}")).collect(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let samples = (0..4)
            .map(|i| SampleMetadata::new(format!("s{i}"), vec![]))
            .collect();
        let dense = Dense::new(4, n_genes, data).unwrap_or_else(|e| panic!("{e}"));
        let matrix =
            ExpressionMatrix::new(Arc::new(genes), samples, ExpressionValues::Counts(dense))
                .unwrap_or_else(|e| panic!("{e}"));
        fold_changes(&matrix, &[0, 1, 2], &[3]).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn colours_genes_past_the_threshold_above_and_below_zero() {
        let svg = fold_change_svg(
            &comparison(),
            1.0,
            "generated",
            "reference <sample>",
            &PlotOptions::new("fold-change-plot", "Generated vs reference"),
        );
        let doc = parse(&svg);
        assert_eq!(root_attribute(&doc, "data-n-genes"), "299");
        assert_eq!(root_attribute(&doc, "data-n-up"), "5");
        assert_eq!(root_attribute(&doc, "data-n-down"), "5");
        let drawn = points(&doc);
        assert_eq!(
            root_attribute(&doc, "data-n-points"),
            drawn.len().to_string()
        );
        let y_of = |gene: &str| {
            drawn
                .iter()
                .find(|n| n.attribute("data-gene") == Some(gene))
                .and_then(|n| n.attribute("cy"))
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(f64::NAN)
        };
        // Up genes are drawn above (smaller y) the down genes.
        assert!(y_of("ENSG00000000000") < y_of("ENSG00000000005"));
        assert!(svg.contains("reference &lt;sample&gt;"));
        assert!(
            drawn
                .iter()
                .all(|n| n.attribute("data-gene") != Some("ENSG00000000299"))
        );
    }
}
