//! Box and violin plots of one value (a gene's log CPM) by group.

use synthome_analysis::GroupSummary;

use crate::axis::{Axis, Frame, y_axis};
use crate::categories::{x_categories, x_margin};
use crate::palette::{INK, group_colour};
use crate::svg::{Document, PlotOptions, put};
use crate::text::{Esc, Num, value_text};

/// How each group's distribution is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DistributionStyle {
    /// Box (quartiles), whiskers (1.5 IQR) and outliers.
    Box,
    /// Kernel density outline with a narrow box inside.
    Violin,
}

/// Groups with at most this many values also show every value as a point (jittered).
pub const MAX_POINTS_PER_GROUP: usize = 200;

/// Labels of a distribution plot.
#[derive(Debug, Clone, PartialEq)]
pub struct DistributionLabels {
    /// Vertical axis title, e.g. `TP53 (log2 CPM)`.
    pub value: String,
    /// Horizontal axis title: the grouping key, e.g. `tissue`.
    pub group: String,
    /// What one value is (for tooltips and the description), e.g. `sample` or `cell`.
    pub item: String,
    /// Label of each value's sample (sample ids), indexed by sample; shown in point tooltips.
    pub samples: Vec<String>,
}

/// Draws one box or violin per group (summaries from `synthome_analysis::summarize_by_group`).
///
/// Root `data-` attributes: `data-n-groups`, `data-n-values`, `data-style` (`box` or
/// `violin`). Per group a `<g data-group>` holds a `class="box"` rectangle with the statistics
/// in its tooltip, a `class="violin"` path (violins with spread), and `class="point"` circles:
/// every value when the group has at most [`MAX_POINTS_PER_GROUP`], else the outliers (box
/// style only).
pub fn distribution_svg(
    summaries: &[GroupSummary],
    labels: &DistributionLabels,
    style: DistributionStyle,
    options: &PlotOptions,
) -> String {
    let n_values: usize = summaries.iter().map(|s| s.points.len()).sum();
    let style_name = match style {
        DistributionStyle::Box => "box",
        DistributionStyle::Violin => "violin",
    };
    let medians: Vec<String> = summaries
        .iter()
        .take(12)
        .map(|s| match s.box_stats {
            Some(stats) => format!(
                "{} median {} (n = {})",
                s.label,
                value_text(stats.median),
                s.points.len()
            ),
            None => format!("{} (no values)", s.label),
        })
        .collect();
    let description = format!(
        "{style_name} plot of {} by {} for {n_values} {}s: {}{}",
        labels.value,
        labels.group,
        labels.item,
        medians.join("; "),
        if summaries.len() > 12 { "; ..." } else { "" }
    );
    let mut doc = Document::new(
        options,
        "distribution",
        &description,
        &[
            ("n-groups", summaries.len().to_string()),
            ("n-values", n_values.to_string()),
            ("style", style_name.into()),
        ],
    );
    let plot_width = doc.width - 64.0 - 20.0;
    let band = plot_width / summaries.len().max(1) as f64;
    let frame = Frame {
        left: 64.0,
        top: 36.0,
        right: doc.width - 20.0,
        bottom: doc.height - x_margin(band),
    };
    let (low, high) = summaries
        .iter()
        .flat_map(|s| s.points.iter().map(|&(_, v)| v))
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    let y = Axis::new(low, high, frame.bottom, frame.top);
    y_axis(&mut doc, frame, &y, &labels.value);
    let names: Vec<&str> = summaries.iter().map(|s| s.label.as_str()).collect();
    x_categories(&mut doc, frame, &names, &labels.group);
    if n_values == 0 {
        doc.message("No values to show");
    }
    let max_density = summaries
        .iter()
        .flat_map(|s| s.density.iter().map(|d| d.density))
        .fold(0.0f64, f64::max);
    for (group, summary) in summaries.iter().enumerate() {
        let centre = frame.left + band * (group as f64 + 0.5);
        let colour = group_colour(group);
        put!(doc.out, "<g data-group=\"{group}\">");
        let box_half = match style {
            DistributionStyle::Box => band * 0.25,
            DistributionStyle::Violin => band * 0.06,
        };
        if style == DistributionStyle::Violin && max_density > 0.0 && !summary.density.is_empty() {
            let half = band * 0.42;
            let mut path = String::new();
            for (index, point) in summary.density.iter().enumerate() {
                let x = centre - point.density / max_density * half;
                put!(
                    path,
                    "{}{} {}",
                    if index == 0 { "M" } else { "L" },
                    Num(x),
                    Num(y.pixel(point.value))
                );
            }
            for point in summary.density.iter().rev() {
                let x = centre + point.density / max_density * half;
                put!(path, "L{} {}", Num(x), Num(y.pixel(point.value)));
            }
            put!(
                doc.out,
                "<path class=\"violin\" d=\"{path}Z\" fill=\"{colour}\" fill-opacity=\"0.35\" \
                 stroke=\"{colour}\"><title>{}</title></path>",
                Esc(&format!(
                    "{}: density of {} {}s",
                    summary.label,
                    summary.points.len(),
                    labels.item
                ))
            );
        }
        if let Some(stats) = summary.box_stats {
            let tooltip = format!(
                "{}\nn = {}\nmedian {}\nquartiles {} to {}\nwhiskers {} to {}\nmean {}",
                summary.label,
                summary.points.len(),
                value_text(stats.median),
                value_text(stats.q1),
                value_text(stats.q3),
                value_text(stats.lower_whisker),
                value_text(stats.upper_whisker),
                value_text(stats.mean)
            );
            let (q1, q3) = (y.pixel(stats.q1), y.pixel(stats.q3));
            let box_fill = if style == DistributionStyle::Box {
                colour
            } else {
                INK
            };
            put!(
                doc.out,
                "<line x1=\"{c}\" y1=\"{}\" x2=\"{c}\" y2=\"{}\" stroke=\"{INK}\"/>\
                 <line x1=\"{c}\" y1=\"{}\" x2=\"{c}\" y2=\"{}\" stroke=\"{INK}\"/>\
                 <rect class=\"box\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{box_fill}\" \
                 fill-opacity=\"0.45\" stroke=\"{INK}\"><title>{}</title></rect>\
                 <line class=\"median\" x1=\"{}\" y1=\"{m}\" x2=\"{}\" y2=\"{m}\" stroke=\"{INK}\" \
                 stroke-width=\"2\"/>",
                Num(y.pixel(stats.upper_whisker)),
                Num(q3),
                Num(q1),
                Num(y.pixel(stats.lower_whisker)),
                Num(centre - box_half),
                Num(q3),
                Num(box_half * 2.0),
                Num((q1 - q3).max(0.5)),
                Esc(&tooltip),
                Num(centre - box_half),
                Num(centre + box_half),
                c = Num(centre),
                m = Num(y.pixel(stats.median)),
            );
        }
        let all_points = summary.points.len() <= MAX_POINTS_PER_GROUP;
        let shown: &[(usize, f64)] = if all_points {
            &summary.points
        } else if style == DistributionStyle::Box {
            &summary.outliers
        } else {
            &[]
        };
        for &(sample, value) in shown {
            let jitter = if all_points {
                jitter(sample) * band * 0.3
            } else {
                0.0
            };
            let name = labels
                .samples
                .get(sample)
                .cloned()
                .unwrap_or_else(|| format!("{} {}", labels.item, sample + 1));
            put!(
                doc.out,
                "<circle class=\"point\" data-sample=\"{sample}\" cx=\"{}\" cy=\"{}\" r=\"2.5\" \
                 fill=\"{colour}\" stroke=\"{INK}\" stroke-width=\"0.4\"><title>{}</title></circle>",
                Num(centre + jitter),
                Num(y.pixel(value)),
                Esc(&format!(
                    "{name}\n{}: {}\n{}: {}",
                    labels.group,
                    summary.label,
                    labels.value,
                    value_text(value)
                ))
            );
        }
        doc.out.push_str("</g>");
    }
    doc.finish()
}

/// A fixed offset in [-0.5, 0.5) for a sample, spreading points sideways reproducibly.
fn jitter(sample: usize) -> f64 {
    let hashed = (sample as u64 ^ 0x9E37_79B9_7F4A_7C15).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    (hashed >> 11) as f64 / (1u64 << 53) as f64 - 0.5
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_svg::{HOSTILE, parse, points, root_attribute, tooltip};
    use synthome_analysis::{Grouping, summarize_by_group};

    fn summaries(sizes: &[usize]) -> Vec<GroupSummary> {
        let assignment: Vec<usize> = sizes
            .iter()
            .enumerate()
            .flat_map(|(group, &n)| std::iter::repeat_n(group, n))
            .collect();
        let values: Vec<f32> = (0..assignment.len())
            .map(|i| (i as f32 * 0.7).sin() * 3.0 + assignment[i] as f32)
            .collect();
        let labels = (0..sizes.len()).map(|g| format!("condition {g}")).collect();
        let grouping = Grouping::new(labels, assignment).unwrap_or_else(|e| panic!("{e}"));
        summarize_by_group(&values, &grouping).unwrap_or_else(|e| panic!("{e}"))
    }

    fn labels() -> DistributionLabels {
        DistributionLabels {
            value: "TP53 (log2 CPM)".into(),
            group: "tissue".into(),
            item: "sample".into(),
            samples: (0..2000).map(|i| format!("sample_{i}")).collect(),
        }
    }

    #[test]
    fn boxes_points_and_outliers() {
        let groups = summaries(&[12, 8, 500]);
        let svg = distribution_svg(
            &groups,
            &labels(),
            DistributionStyle::Box,
            &PlotOptions::new("gene-plot", "TP53"),
        );
        let doc = parse(&svg);
        let boxes: Vec<_> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("box"))
            .collect();
        assert_eq!(boxes.len(), 3);
        assert!(tooltip(&boxes[0]).contains("n = 12"));
        // Small groups show every point; the large one only its outliers.
        let expected = 12 + 8 + groups[2].outliers.len();
        assert_eq!(points(&doc).len(), expected);
        assert_eq!(root_attribute(&doc, "data-n-values"), "520");
        assert_eq!(root_attribute(&doc, "data-style"), "box");
        assert!(tooltip(&points(&doc)[0]).starts_with("sample_0\n"));
    }

    #[test]
    fn violins_have_a_path_per_group_with_spread() {
        let mut groups = summaries(&[30, 30]);
        groups.push(GroupSummary {
            label: HOSTILE.into(),
            points: vec![(60, 1.0), (61, 1.0)],
            box_stats: None,
            outliers: vec![],
            density: vec![],
        });
        let svg = distribution_svg(
            &groups,
            &labels(),
            DistributionStyle::Violin,
            &PlotOptions::new("v", "violin"),
        );
        let doc = parse(&svg);
        let violins = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("violin"))
            .count();
        assert_eq!(violins, 2);
        let label_titles: Vec<String> = doc
            .descendants()
            .filter(|n| n.tag_name().name() == "text")
            .map(|n| tooltip(&n))
            .collect();
        assert!(label_titles.iter().any(|t| t == HOSTILE));
        assert_eq!(
            svg,
            distribution_svg(
                &groups,
                &labels(),
                DistributionStyle::Violin,
                &PlotOptions::new("v", "violin")
            )
        );
    }

    #[test]
    fn jitter_is_bounded_and_varies() {
        let values: Vec<f64> = (0..100).map(jitter).collect();
        assert!(values.iter().all(|v| (-0.5..0.5).contains(v)));
        assert!(values.iter().any(|&v| v > 0.2) && values.iter().any(|&v| v < -0.2));
    }
}
