//! Heatmap of gene z-scores (rows) by samples (columns), with a group annotation bar.

use synthome_analysis::Heatmap;

use crate::axis::Frame;
use crate::categories::y_categories;
use crate::legend::{ColourBar, LEGEND_WIDTH, LegendItem, categorical, colour_bar};
use crate::palette::{INK, diverging, group_colour};
use crate::svg::{Document, PlotOptions, put};
use crate::text::{Esc, Num, value_text};

/// z-scores beyond this are drawn in the end colours.
pub const Z_LIMIT: f64 = 3.0;

/// Draws the heatmap from `synthome_analysis::variable_gene_heatmap`.
///
/// `gene_symbols` are indexed by gene (the matrix's symbols), `sample_labels` by sample (sample
/// ids); `group_title` names the grouping key. Root `data-` attributes: `data-n-rows`,
/// `data-n-columns`. Every cell is a `class="cell"` rectangle with `data-row`, `data-column`
/// and a tooltip (gene, sample or averaged samples, group, z-score); the annotation bar has one
/// `class="annotation"` rectangle per run of columns of one group.
pub fn heatmap_svg(
    heatmap: &Heatmap,
    gene_symbols: &[String],
    sample_labels: &[String],
    group_title: &str,
    options: &PlotOptions,
) -> String {
    let n_rows = heatmap.genes.len();
    let n_columns = heatmap.columns.len();
    let symbol = |row: usize| {
        heatmap
            .genes
            .get(row)
            .and_then(|&gene| gene_symbols.get(gene))
            .cloned()
            .unwrap_or_else(|| format!("gene {}", row + 1))
    };
    let description = format!(
        "Heatmap of {n_rows} most variable genes (rows, z-scores of log2 CPM, blue low, red high) \
         across {n_columns} columns ordered by {group_title}: {}",
        heatmap.group_labels.join(", ")
    );
    let mut doc = Document::new(
        options,
        "heatmap",
        &description,
        &[
            ("n-rows", n_rows.to_string()),
            ("n-columns", n_columns.to_string()),
        ],
    );
    let frame = Frame {
        left: 92.0,
        top: 56.0,
        right: doc.width - LEGEND_WIDTH - 12.0,
        bottom: doc.height - 16.0,
    };
    if n_rows == 0 || n_columns == 0 {
        doc.message("No variable genes to show");
        return doc.finish();
    }
    let cell_width = (frame.right - frame.left) / n_columns as f64;
    let cell_height = (frame.bottom - frame.top) / n_rows as f64;
    // Annotation bar: one rectangle per run of columns of the same group.
    put!(doc.out, "<g data-testid=\"{}-annotation\">", doc.id);
    let mut start = 0;
    while start < n_columns {
        let group = heatmap.columns[start].group;
        let mut end = start + 1;
        while end < n_columns && heatmap.columns[end].group == group {
            end += 1;
        }
        let samples: usize = heatmap.columns[start..end]
            .iter()
            .map(|c| c.samples.len())
            .sum();
        let label = heatmap.group_labels.get(group).map_or("", String::as_str);
        put!(
            doc.out,
            "<rect class=\"annotation\" data-group=\"{group}\" x=\"{}\" y=\"{}\" width=\"{}\" \
             height=\"10\" fill=\"{}\"><title>{}</title></rect>",
            Num(frame.left + start as f64 * cell_width),
            Num(frame.top - 14.0),
            Num((end - start) as f64 * cell_width),
            group_colour(group),
            Esc(&format!("{group_title}: {label} ({samples})"))
        );
        start = end;
    }
    doc.out.push_str("</g>");
    let symbols: Vec<String> = (0..n_rows).map(symbol).collect();
    put!(doc.out, "<g data-testid=\"{}-cells\">", doc.id);
    for (row, gene) in symbols.iter().enumerate() {
        for (column, info) in heatmap.columns.iter().enumerate() {
            let z = heatmap.value(row, column);
            let group = heatmap
                .group_labels
                .get(info.group)
                .map_or("", String::as_str);
            let what = match info.samples.as_slice() {
                [one] => sample_labels
                    .get(*one)
                    .cloned()
                    .unwrap_or_else(|| format!("sample {}", one + 1)),
                many => format!("mean of {} samples", many.len()),
            };
            put!(
                doc.out,
                "<rect class=\"cell\" data-row=\"{row}\" data-column=\"{column}\" x=\"{}\" y=\"{}\" \
                 width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}</title></rect>",
                Num(frame.left + column as f64 * cell_width),
                Num(frame.top + row as f64 * cell_height),
                Num(cell_width + 0.05),
                Num(cell_height + 0.05),
                diverging((z.clamp(-Z_LIMIT, Z_LIMIT) + Z_LIMIT) / (2.0 * Z_LIMIT)),
                Esc(&format!(
                    "{gene}\n{what}\n{group_title}: {group}\nz = {}",
                    value_text(z)
                ))
            );
        }
    }
    doc.out.push_str("</g>");
    if cell_height >= 6.0 {
        let labels: Vec<&str> = symbols.iter().map(String::as_str).collect();
        y_categories(&mut doc, frame, &labels, 12);
    }
    let mut counts = vec![0usize; heatmap.group_labels.len()];
    for column in &heatmap.columns {
        if let Some(count) = counts.get_mut(column.group) {
            *count += column.samples.len();
        }
    }
    let items = LegendItem::counted(&heatmap.group_labels, &counts);
    let legend_x = frame.right + 18.0;
    let bar_top = (frame.bottom - 110.0).max(frame.top + 40.0);
    categorical(
        &mut doc,
        legend_x,
        frame.top,
        bar_top - 24.0,
        group_title,
        &items,
    );
    colour_bar(
        &mut doc,
        legend_x,
        bar_top,
        frame.bottom,
        &ColourBar {
            title: "z-score",
            low: -Z_LIMIT,
            high: Z_LIMIT,
            colour: diverging,
        },
    );
    put!(
        doc.out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"{INK}\" \
         stroke-width=\"0.5\"/>",
        Num(frame.left),
        Num(frame.top),
        Num(frame.right - frame.left),
        Num(frame.bottom - frame.top)
    );
    doc.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_svg::{HOSTILE, parse, root_attribute, tooltip};
    use synthome_analysis::HeatmapColumn;

    fn heatmap() -> Heatmap {
        let columns = vec![
            HeatmapColumn {
                group: 0,
                samples: vec![0],
            },
            HeatmapColumn {
                group: 0,
                samples: vec![2],
            },
            HeatmapColumn {
                group: 1,
                samples: vec![1, 3],
            },
        ];
        Heatmap {
            genes: vec![2, 0],
            columns,
            group_labels: vec!["liver".into(), HOSTILE.into()],
            z: vec![-5.0, 0.0, 1.0, 2.0, -1.0, 0.5],
        }
    }

    #[test]
    fn one_cell_per_value_and_runs_in_the_annotation() {
        let symbols: Vec<String> = vec!["A".into(), "B".into(), "C".into()];
        let samples: Vec<String> = (0..4).map(|i| format!("s{i}")).collect();
        let svg = heatmap_svg(
            &heatmap(),
            &symbols,
            &samples,
            "tissue",
            &PlotOptions::new("hm", "Heatmap"),
        );
        let doc = parse(&svg);
        let cells: Vec<_> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("cell"))
            .collect();
        assert_eq!(cells.len(), 6);
        assert_eq!(root_attribute(&doc, "data-n-rows"), "2");
        assert_eq!(root_attribute(&doc, "data-n-columns"), "3");
        // Row 0 is gene 2 ("C"); clamped z = -5 is the darkest blue.
        assert!(tooltip(&cells[0]).starts_with("C\ns0\ntissue: liver\nz = -5"));
        assert_eq!(cells[0].attribute("fill"), Some("#2166ac"));
        assert!(tooltip(&cells[2]).contains("mean of 2 samples"));
        let runs: Vec<String> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("annotation"))
            .map(|n| tooltip(&n))
            .collect();
        assert_eq!(
            runs,
            vec![
                "tissue: liver (2)".to_owned(),
                format!("tissue: {HOSTILE} (2)")
            ]
        );
        // Row labels show the symbols.
        assert!(doc.descendants().any(|n| n.text() == Some("C")));
    }

    #[test]
    fn empty_heatmap_says_so() {
        let empty = Heatmap {
            genes: vec![],
            columns: vec![],
            group_labels: vec![],
            z: vec![],
        };
        let svg = heatmap_svg(
            &empty,
            &[],
            &[],
            "tissue",
            &PlotOptions::new("hm", "Heatmap"),
        );
        let doc = parse(&svg);
        assert!(
            doc.descendants()
                .any(|n| n.attribute("data-testid") == Some("hm-message"))
        );
    }
}
