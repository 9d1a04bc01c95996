//! Volcano plot of a differential expression table: log2 fold change against -log10 adjusted
//! p-value, significant genes coloured, thresholds drawn, the top genes labelled.

use std::collections::BTreeSet;

use synthome_analysis::{DeRow, DifferentialExpression, is_significant};

use crate::axis::{Axis, Frame, x_axis, y_axis};
use crate::legend::{LEGEND_WIDTH, coloured_dots};
use crate::palette::{GREY, INK};
use crate::svg::{Document, PlotOptions, put};
use crate::text::{Esc, Num, shorten, value_text};

/// Thresholds and labelling.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VolcanoConfig {
    /// Adjusted p-value below which a gene is significant.
    pub alpha: f64,
    /// Smallest |log2 fold change| a significant gene must have (0 for none).
    pub min_abs_log2_fold_change: f64,
    /// How many of the most significant genes get a text label (labels that would overlap are
    /// skipped in favour of the next gene).
    pub n_labels: usize,
}

impl Default for VolcanoConfig {
    fn default() -> Self {
        Self {
            alpha: 0.05,
            min_abs_log2_fold_change: 1.0,
            n_labels: 10,
        }
    }
}

/// Colour of genes up in the test group.
const UP: &str = "#D55E00";
/// Colour of genes down in the test group.
const DOWN: &str = "#0072B2";
/// Non-significant points closer than this (pixels) to one already drawn are left out.
const THINNING_PX: f64 = 1.5;

/// Draws the volcano plot; `test` and `reference` name the compared groups.
///
/// Untested genes are not drawn. Significant genes are always drawn; among the others, a
/// point within 1.5 px of one already drawn is left out (thousands of overlapping grey points
/// add nothing but weight). Adjusted p-values of 0 are drawn at the top of the axis.
///
/// Root `data-` attributes: `data-n-genes` (tested), `data-n-points` (drawn),
/// `data-n-significant`, `data-n-up`, `data-n-down`. Every point is a `class="point"` circle
/// with `data-gene` (Ensembl id), `data-significant` (`up`, `down` or `no`) and a tooltip.
pub fn volcano_svg(
    de: &DifferentialExpression,
    config: &VolcanoConfig,
    test: &str,
    reference: &str,
    options: &PlotOptions,
) -> String {
    let tested: Vec<&DeRow> = de
        .rows()
        .iter()
        .filter(|row| row.p_adjusted.is_some() && row.log2_fold_change.is_finite())
        .collect();
    let significance = |row: &DeRow| {
        if !is_significant(row, config.alpha, config.min_abs_log2_fold_change) {
            "no"
        } else if row.log2_fold_change > 0.0 {
            "up"
        } else {
            "down"
        }
    };
    let n_up = tested.iter().filter(|r| significance(r) == "up").count();
    let n_down = tested.iter().filter(|r| significance(r) == "down").count();
    let minus_log = |row: &DeRow| -> Option<f64> {
        let p = row.p_adjusted?;
        (p > 0.0).then(|| -libm::log10(p))
    };
    let top_finite = tested
        .iter()
        .filter_map(|r| minus_log(r))
        .fold(0.0f64, f64::max);
    let threshold_y = if config.alpha > 0.0 && config.alpha < 1.0 {
        -libm::log10(config.alpha)
    } else {
        0.0
    };
    let y_cap = if tested.iter().any(|r| r.p_adjusted == Some(0.0)) {
        (top_finite * 1.1).max(threshold_y).max(1.0)
    } else {
        top_finite.max(threshold_y)
    };
    let fold_reach = tested
        .iter()
        .map(|r| r.log2_fold_change.abs())
        .fold(config.min_abs_log2_fold_change, f64::max);
    let description = format!(
        "Volcano plot of {} tested genes, {test} versus {reference}: {n_up} up and {n_down} down \
         at adjusted p below {} and absolute log2 fold change of at least {}",
        tested.len(),
        value_text(config.alpha),
        value_text(config.min_abs_log2_fold_change)
    );
    let mut doc_data = vec![
        ("n-genes", tested.len().to_string()),
        ("n-significant", (n_up + n_down).to_string()),
        ("n-up", n_up.to_string()),
        ("n-down", n_down.to_string()),
    ];
    let frame_for = |width: f64, height: f64| Frame {
        left: 64.0,
        top: 36.0,
        right: width - LEGEND_WIDTH - 12.0,
        bottom: height - 50.0,
    };
    // Points are laid out before the document is opened so that the count is known.
    let width = f64::from(options.width.max(240));
    let height = f64::from(options.height.max(200));
    let frame = frame_for(width, height);
    let x = Axis::new(-fold_reach, fold_reach, frame.left, frame.right);
    let y = Axis::new(0.0, y_cap, frame.bottom, frame.top);
    let mut occupied: BTreeSet<(i64, i64)> = BTreeSet::new();
    let mut drawn: Vec<(&DeRow, f64, f64, &str)> = Vec::new();
    for &row in &tested {
        let kind = significance(row);
        let px = x.pixel(row.log2_fold_change);
        let py = y.pixel(minus_log(row).unwrap_or(y_cap).min(y_cap));
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
    doc_data.push(("n-points", drawn.len().to_string()));
    let mut doc = Document::new(options, "volcano", &description, &doc_data);
    x_axis(
        &mut doc,
        frame,
        &x,
        &format!(
            "log2 fold change ({} vs {})",
            shorten(test, 24),
            shorten(reference, 24)
        ),
    );
    y_axis(&mut doc, frame, &y, "-log10 adjusted p-value");
    if tested.is_empty() {
        doc.message("No gene could be tested (no variance within the groups)");
    }
    let dashed = "stroke-dasharray=\"4 3\" stroke-width=\"1\"";
    if threshold_y > 0.0 {
        put!(
            doc.out,
            "<line data-threshold=\"p\" x1=\"{}\" y1=\"{ty}\" x2=\"{}\" y2=\"{ty}\" stroke=\"{INK}\" \
             {dashed}><title>adjusted p = {}</title></line>",
            Num(frame.left),
            Num(frame.right),
            Esc(&value_text(config.alpha)),
            ty = Num(y.pixel(threshold_y)),
        );
    }
    if config.min_abs_log2_fold_change > 0.0 {
        for sign in [-1.0, 1.0] {
            let fold = sign * config.min_abs_log2_fold_change;
            put!(
                doc.out,
                "<line data-threshold=\"fold\" x1=\"{tx}\" y1=\"{}\" x2=\"{tx}\" y2=\"{}\" \
                 stroke=\"{INK}\" {dashed}><title>log2 fold change = {}</title></line>",
                Num(frame.top),
                Num(frame.bottom),
                Esc(&value_text(fold)),
                tx = Num(x.pixel(fold)),
            );
        }
    }
    put!(doc.out, "<g data-testid=\"{}-points\">", doc.id);
    // Grey first, so coloured points stay on top.
    for pass in ["no", "sig"] {
        for &(row, px, py, kind) in &drawn {
            if (pass == "no") != (kind == "no") {
                continue;
            }
            let colour = match kind {
                "up" => UP,
                "down" => DOWN,
                _ => GREY,
            };
            let p_text = match row.p_adjusted {
                Some(p) if p > 0.0 => value_text(p),
                _ => "< 1e-300".into(),
            };
            put!(
                doc.out,
                "<circle class=\"point\" data-gene=\"{}\" data-significant=\"{kind}\" cx=\"{}\" \
                 cy=\"{}\" r=\"{}\" fill=\"{colour}\" fill-opacity=\"0.75\"><title>{}</title></circle>",
                Esc(de.gene_id(row)),
                Num(px),
                Num(py),
                if kind == "no" { "2" } else { "3" },
                Esc(&format!(
                    "{} ({})\nlog2 fold change {}\nadjusted p {}\nmean log2 CPM {} vs {}",
                    de.symbol(row),
                    de.gene_id(row),
                    value_text(row.log2_fold_change),
                    p_text,
                    value_text(row.mean_test),
                    value_text(row.mean_reference)
                ))
            );
        }
    }
    doc.out.push_str("</g>");
    let mut ranked: Vec<&(&DeRow, f64, f64, &str)> = drawn
        .iter()
        .filter(|(_, _, _, kind)| *kind != "no")
        .collect();
    ranked.sort_by(|a, b| {
        let (pa, pb) = (a.0.p_adjusted.unwrap_or(1.0), b.0.p_adjusted.unwrap_or(1.0));
        pa.total_cmp(&pb).then(a.0.gene.cmp(&b.0.gene))
    });
    put!(doc.out, "<g data-testid=\"{}-labels\">", doc.id);
    // Most significant first; a label that would overlap one already placed is skipped.
    let mut placed: Vec<[f64; 4]> = Vec::new();
    for (row, px, py, _) in ranked {
        if placed.len() >= config.n_labels {
            break;
        }
        let text = shorten(de.symbol(row), 16);
        let width = 6.0 * text.chars().count() as f64;
        let anchor_end = *px > (frame.left + frame.right) / 2.0;
        let x = if anchor_end { px - 5.0 } else { px + 5.0 };
        let y = (py - 4.0).max(frame.top + 8.0);
        let bounds = if anchor_end {
            [x - width, y - 9.0, x, y + 2.0]
        } else {
            [x, y - 9.0, x + width, y + 2.0]
        };
        let overlaps = placed.iter().any(|other| {
            bounds[0] < other[2]
                && other[0] < bounds[2]
                && bounds[1] < other[3]
                && other[1] < bounds[3]
        });
        if overlaps {
            continue;
        }
        placed.push(bounds);
        put!(
            doc.out,
            "<text class=\"gene-label\" x=\"{}\" y=\"{}\" text-anchor=\"{}\" font-size=\"10\" \
             fill=\"{INK}\">{}</text>",
            Num(x),
            Num(y),
            if anchor_end { "end" } else { "start" },
            Esc(&text)
        );
    }
    doc.out.push_str("</g>");
    let legend_x = frame.right + 18.0;
    let entries = [
        (UP, format!("up in {} ({n_up})", shorten(test, 12))),
        (DOWN, format!("down in {} ({n_down})", shorten(test, 12))),
        (
            GREY,
            format!("not significant ({})", tested.len() - n_up - n_down),
        ),
    ];
    coloured_dots(
        &mut doc,
        legend_x,
        frame.top + 8.0,
        "significance",
        &entries,
    );
    doc.finish()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::test_svg::{HOSTILE, parse, points, root_attribute, tooltip, view_box};
    use synthome_analysis::differential_expression;
    use synthome_matrix::{Dense, ExpressionMatrix, ExpressionValues, GeneTable, SampleMetadata};

    /// 400 genes, 4 + 4 samples: genes 0-9 strongly up in the test group, 10-19 down, the rest
    /// noise; gene 399 is zero everywhere (untested).
    fn comparison(symbol_of_first: &str) -> DifferentialExpression {
        let n_genes = 400;
        let mut data = Vec::new();
        for sample in 0..8u32 {
            for gene in 0..n_genes as u32 {
                let base = 100 + (gene * 37 + sample * 11) % 29;
                let count = match gene {
                    399 => 0,
                    0..=9 if sample < 4 => base * 8,
                    10..=19 if sample < 4 => base / 8,
                    _ => base,
                };
                data.push(count);
            }
        }
        let ids = (0..n_genes).map(|g| format!("ENSG{g:011}")).collect();
        let mut symbols: Vec<String> = (0..n_genes).map(|g| format!("G{g}")).collect();
        symbols[0] = symbol_of_first.into();
        let genes = GeneTable::new(ids, symbols).unwrap_or_else(|e| panic!("{e}"));
        let samples = (0..8)
            .map(|i| SampleMetadata::new(format!("s{i}"), vec![]))
            .collect();
        let dense = Dense::new(8, n_genes, data).unwrap_or_else(|e| panic!("{e}"));
        let matrix =
            ExpressionMatrix::new(Arc::new(genes), samples, ExpressionValues::Counts(dense))
                .unwrap_or_else(|e| panic!("{e}"));
        differential_expression(&matrix, &[0, 1, 2, 3], &[4, 5, 6, 7])
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn colours_significant_genes_and_draws_thresholds() {
        let de = comparison("TP53");
        let svg = volcano_svg(
            &de,
            &VolcanoConfig::default(),
            "treated",
            "control",
            &PlotOptions::new("volcano", "DE"),
        );
        let doc = parse(&svg);
        assert_eq!(root_attribute(&doc, "data-n-genes"), "399");
        assert_eq!(root_attribute(&doc, "data-n-up"), "10");
        assert_eq!(root_attribute(&doc, "data-n-down"), "10");
        let drawn = points(&doc);
        assert_eq!(
            root_attribute(&doc, "data-n-points"),
            drawn.len().to_string()
        );
        let up: Vec<_> = drawn
            .iter()
            .filter(|n| n.attribute("data-significant") == Some("up"))
            .collect();
        assert_eq!(up.len(), 10);
        assert!(up.iter().all(|n| n.attribute("fill") == Some(UP)));
        assert!(
            drawn
                .iter()
                .all(|n| n.attribute("data-gene") != Some("ENSG00000000399"))
        );
        let first = drawn
            .iter()
            .find(|n| n.attribute("data-gene") == Some("ENSG00000000000"));
        let text = first.map(tooltip).unwrap_or_default();
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("TP53 (ENSG00000000000)"));
        let fold: f64 = lines
            .next()
            .and_then(|line| line.strip_prefix("log2 fold change "))
            .and_then(|v| v.parse().ok())
            .unwrap_or(f64::NAN);
        assert!(fold > 2.5 && fold < 3.5, "{text}");
        // Up genes are right of the centre, down genes left.
        let (width, _) = view_box(&doc);
        let centre = (64.0 + width - LEGEND_WIDTH - 12.0) / 2.0;
        for node in &drawn {
            let cx: f64 = node
                .attribute("cx")
                .and_then(|v| v.parse().ok())
                .unwrap_or(f64::NAN);
            match node.attribute("data-significant") {
                Some("up") => assert!(cx > centre),
                Some("down") => assert!(cx < centre),
                _ => {}
            }
        }
        let thresholds = doc
            .descendants()
            .filter(|n| n.attribute("data-threshold").is_some())
            .count();
        assert_eq!(thresholds, 3);
        let labels: Vec<&str> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("gene-label"))
            .filter_map(|n| n.text())
            .collect();
        // Overlapping labels are skipped; the ones shown name significant genes, once each.
        assert!((1..=10).contains(&labels.len()), "{labels:?}");
        let significant: Vec<String> = (1..20)
            .map(|g| format!("G{g}"))
            .chain(["TP53".to_owned()])
            .collect();
        assert!(labels.iter().all(|l| significant.iter().any(|s| s == l)));
        let mut unique = labels.clone();
        unique.dedup();
        assert_eq!(unique.len(), labels.len());
        assert_eq!(
            svg,
            volcano_svg(
                &de,
                &VolcanoConfig::default(),
                "treated",
                "control",
                &PlotOptions::new("volcano", "DE")
            )
        );
    }

    #[test]
    fn escapes_symbols_and_group_names() {
        let de = comparison(HOSTILE);
        let config = VolcanoConfig {
            n_labels: 20,
            ..VolcanoConfig::default()
        };
        let svg = volcano_svg(
            &de,
            &config,
            HOSTILE,
            HOSTILE,
            &PlotOptions::new("v", HOSTILE),
        );
        let doc = parse(&svg);
        let first = points(&doc)
            .into_iter()
            .find(|n| n.attribute("data-gene") == Some("ENSG00000000000"));
        assert!(first.is_some_and(|n| tooltip(&n).starts_with(HOSTILE)));
    }
}
