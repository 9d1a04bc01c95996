//! Dot plot of genes by group: dot size is the fraction of samples (cells) expressing the gene,
//! dot colour its mean log CPM.

use synthome_analysis::DotPlot;

use crate::axis::Frame;
use crate::categories::{x_categories, x_margin, y_categories};
use crate::legend::{ColourBar, LEGEND_WIDTH, colour_bar};
use crate::palette::{GRID, INK, viridis};
use crate::svg::{Document, PlotOptions, put};
use crate::text::{Esc, Num, value_text};

/// Draws the dot plot from `synthome_analysis::dot_plot`.
///
/// Rows are groups, columns genes (`gene_symbols` indexed by gene, the matrix's symbols);
/// `group_title` names the grouping key. Root `data-` attributes: `data-n-groups`,
/// `data-n-genes`. Every dot is a `class="point"` circle with `data-group`, `data-gene`
/// (position in the gene list), `data-fraction` and a tooltip.
pub fn dot_plot_svg(
    dots: &DotPlot,
    gene_symbols: &[String],
    group_title: &str,
    options: &PlotOptions,
) -> String {
    let n_groups = dots.group_labels.len();
    let n_genes = dots.genes.len();
    let symbols: Vec<String> = dots
        .genes
        .iter()
        .map(|&gene| {
            gene_symbols
                .get(gene)
                .cloned()
                .unwrap_or_else(|| format!("gene {gene}"))
        })
        .collect();
    let description = format!(
        "Dot plot of {n_genes} genes ({}) across {n_groups} groups of {group_title}; dot size is \
         the fraction expressing, colour the mean log2 CPM (dark low, yellow high)",
        symbols.join(", ")
    );
    let mut doc = Document::new(
        options,
        "dot-plot",
        &description,
        &[
            ("n-groups", n_groups.to_string()),
            ("n-genes", n_genes.to_string()),
        ],
    );
    let left = 150.0;
    let right = doc.width - LEGEND_WIDTH + 40.0;
    let band = ((right - left) / n_genes.max(1) as f64).min(48.0);
    let frame = Frame {
        left,
        top: 40.0,
        right: left + band * n_genes as f64,
        bottom: doc.height - x_margin(band),
    };
    let row_band = ((frame.bottom - frame.top) / n_groups.max(1) as f64).min(48.0);
    let frame = Frame {
        bottom: frame.top + row_band * n_groups as f64,
        ..frame
    };
    if n_groups == 0 || n_genes == 0 {
        doc.message("No genes or groups to show");
        return doc.finish();
    }
    let (low, high) = dots
        .mean
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    let spread = if high > low { high - low } else { 1.0 };
    let max_radius = band.min(row_band) * 0.45;
    for row in 0..=n_groups {
        let y = frame.top + row_band * row as f64;
        put!(
            doc.out,
            "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{GRID}\"/>",
            Num(frame.left),
            Num(frame.right),
            y = Num(y)
        );
    }
    put!(doc.out, "<g data-testid=\"{}-dots\">", doc.id);
    for (group, label) in dots.group_labels.iter().enumerate() {
        let size = dots.group_sizes.get(group).copied().unwrap_or(0);
        for (position, symbol) in symbols.iter().enumerate() {
            let fraction = dots.fraction_at(group, position);
            let mean = dots.mean_at(group, position);
            put!(
                doc.out,
                "<circle class=\"point\" data-group=\"{group}\" data-gene=\"{position}\" \
                 data-fraction=\"{}\" cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\" stroke=\"{INK}\" \
                 stroke-width=\"0.3\"><title>{}</title></circle>",
                Num(fraction),
                Num(frame.left + band * (position as f64 + 0.5)),
                Num(frame.top + row_band * (group as f64 + 0.5)),
                Num((fraction.sqrt() * max_radius).max(0.5)),
                viridis((mean - low) / spread),
                Esc(&format!(
                    "{symbol} in {label}\nmean log2 CPM {}\n{}% expressing (n = {size})",
                    value_text(mean),
                    Num(fraction * 100.0)
                ))
            );
        }
    }
    doc.out.push_str("</g>");
    let group_names: Vec<&str> = dots.group_labels.iter().map(String::as_str).collect();
    y_categories(&mut doc, frame, &group_names, 20);
    let gene_names: Vec<&str> = symbols.iter().map(String::as_str).collect();
    x_categories(&mut doc, frame, &gene_names, "gene");
    // Size legend, then colour bar.
    let legend_x = doc.width - LEGEND_WIDTH + 60.0;
    put!(
        doc.out,
        "<g data-testid=\"{}-size-legend\"><text x=\"{}\" y=\"{}\" font-weight=\"600\" \
         fill=\"{INK}\">% expressing</text>",
        doc.id,
        Num(legend_x),
        Num(frame.top)
    );
    let legend_radius = max_radius.min(12.0);
    for (index, fraction) in [0.25f64, 0.5, 0.75, 1.0].iter().enumerate() {
        let y = frame.top + 18.0 + 26.0 * index as f64;
        put!(
            doc.out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{GRID}\" stroke=\"{INK}\" \
             stroke-width=\"0.5\"/><text x=\"{}\" y=\"{}\" fill=\"{INK}\">{}%</text>",
            Num(legend_x + 12.0),
            Num(y),
            Num(fraction.sqrt() * legend_radius),
            Num(legend_x + 30.0),
            Num(y + 4.0),
            Num(fraction * 100.0)
        );
    }
    doc.out.push_str("</g>");
    let bar_top = frame.top + 140.0;
    let bar_bottom = (bar_top + 100.0).min(doc.height - 10.0);
    colour_bar(
        &mut doc,
        legend_x,
        bar_top,
        bar_bottom,
        &ColourBar {
            title: "mean log2 CPM",
            low,
            high: if high > low { high } else { low + 1.0 },
            colour: viridis,
        },
    );
    doc.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_svg::{HOSTILE, parse, points, root_attribute, tooltip};

    fn dots() -> DotPlot {
        DotPlot {
            genes: vec![3, 1, 0],
            group_labels: vec!["T cell".into(), HOSTILE.into()],
            group_sizes: vec![10, 4],
            mean: vec![0.0, 2.0, 4.0, 1.0, 3.0, 8.0],
            fraction: vec![0.0, 0.5, 1.0, 0.25, 0.75, 1.0],
        }
    }

    #[test]
    fn one_dot_per_gene_and_group_sized_by_fraction() {
        let symbols: Vec<String> =
            vec!["CD3E".into(), "CD14".into(), "MS4A1".into(), "NKG7".into()];
        let svg = dot_plot_svg(
            &dots(),
            &symbols,
            "cell type",
            &PlotOptions::new("dots", "Markers"),
        );
        let doc = parse(&svg);
        let dots = points(&doc);
        assert_eq!(dots.len(), 6);
        assert_eq!(root_attribute(&doc, "data-n-genes"), "3");
        let radius = |i: usize| {
            dots[i]
                .attribute("r")
                .and_then(|r| r.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        assert!(radius(2) > radius(1) && radius(1) > radius(0));
        assert_eq!(dots[5].attribute("fill"), Some("#fde725"));
        assert_eq!(dots[0].attribute("fill"), Some("#440154"));
        assert_eq!(
            tooltip(&dots[0]),
            "NKG7 in T cell\nmean log2 CPM 0\n0% expressing (n = 10)"
        );
        assert!(tooltip(&dots[3]).starts_with(&format!("NKG7 in {HOSTILE}")));
    }

    #[test]
    fn nothing_to_show() {
        let empty = DotPlot {
            genes: vec![],
            group_labels: vec![],
            group_sizes: vec![],
            mean: vec![],
            fraction: vec![],
        };
        let svg = dot_plot_svg(
            &empty,
            &[],
            "cell type",
            &PlotOptions::new("dots", "Markers"),
        );
        let doc = parse(&svg);
        assert!(
            doc.descendants()
                .any(|n| n.attribute("data-testid") == Some("dots-message"))
        );
    }
}
