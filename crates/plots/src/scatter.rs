//! Scatter plot of samples or cells (PCA, UMAP, ...) coloured by a categorical field.

use synthome_analysis::{Grouping, Pca};

use crate::axis::{Axis, Frame, x_axis, y_axis};
use crate::legend::{LEGEND_WIDTH, LegendItem, categorical};
use crate::marker::Marker;
use crate::palette::{GREY, Shape, group_colour, group_shape};
use crate::svg::{Document, PlotOptions, put};
use crate::text::{Esc, value_text};

/// One point.
#[derive(Debug, Clone, PartialEq)]
pub struct ScatterPoint {
    /// Horizontal coordinate (points with a non-finite coordinate are left out).
    pub x: f64,
    /// Vertical coordinate.
    pub y: f64,
    /// Index into [`ScatterData::groups`] (others are drawn grey, without a legend entry).
    pub group: usize,
    /// What the point is (sample id), shown in its tooltip.
    pub label: String,
}

/// What a scatter plot shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ScatterData {
    /// The points, drawn in order.
    pub points: Vec<ScatterPoint>,
    /// Group labels, indexed by [`ScatterPoint::group`].
    pub groups: Vec<String>,
    /// Horizontal axis title.
    pub x_label: String,
    /// Vertical axis title.
    pub y_label: String,
    /// What the colours stand for (the metadata key), the legend title.
    pub colour_label: String,
}

impl ScatterData {
    /// Samples on two principal components (0-based: 0 is PC1), coloured by `grouping`, each
    /// point labelled with `sample_labels[sample]` (sample ids). `None` when the PCA has no such
    /// component.
    pub fn from_pca(
        pca: &Pca,
        x_component: usize,
        y_component: usize,
        grouping: &Grouping,
        sample_labels: &[String],
        colour_label: &str,
    ) -> Option<Self> {
        let x = pca.components.get(x_component)?;
        let y = pca.components.get(y_component)?;
        let axis_label = |component: usize, ratio: f64| {
            format!("PC{} ({:.1}% of variance)", component + 1, ratio * 100.0)
        };
        Some(Self::from_coordinates(
            x.scores.iter().copied().zip(y.scores.iter().copied()),
            [
                axis_label(x_component, x.variance_ratio),
                axis_label(y_component, y.variance_ratio),
            ],
            grouping,
            sample_labels,
            colour_label,
        ))
    }

    /// Samples at `coordinates` (one `(x, y)` per sample, in sample order; a PCA's scores, a
    /// UMAP's embedding) on axes titled `axis_labels`, coloured by `grouping`, each point
    /// labelled with `sample_labels[sample]`.
    pub fn from_coordinates(
        coordinates: impl IntoIterator<Item = (f64, f64)>,
        axis_labels: [String; 2],
        grouping: &Grouping,
        sample_labels: &[String],
        colour_label: &str,
    ) -> Self {
        let points = coordinates
            .into_iter()
            .enumerate()
            .map(|(sample, (x, y))| ScatterPoint {
                x,
                y,
                group: grouping
                    .assignment()
                    .get(sample)
                    .copied()
                    .unwrap_or(usize::MAX),
                label: sample_labels
                    .get(sample)
                    .cloned()
                    .unwrap_or_else(|| format!("sample {}", sample + 1)),
            })
            .collect();
        let [x_label, y_label] = axis_labels;
        Self {
            points,
            groups: grouping.labels().to_vec(),
            x_label,
            y_label,
            colour_label: colour_label.to_owned(),
        }
    }
}

/// Above this many points a scatter plot draws each group's points as one `<path>` instead of
/// an element (with its tooltip) per point: 10,000 cells' points took a browser about 0.4 s to
/// parse and lay out as elements, and every recolouring paid it again.
pub const DENSE_POINTS: usize = 2_000;

/// Draws the scatter plot.
///
/// Root `data-` attributes: `data-n-points` (points drawn), `data-n-groups`. Up to
/// [`DENSE_POINTS`] points, every point has `class="point"`, `data-group` and `data-index` (its
/// position in [`ScatterData::points`]) and a tooltip with its label, group and coordinates;
/// beyond, each group is one `class="points"` path with `data-group` (`none` for points outside
/// the groups), `data-n` (its points) and a tooltip naming the group, drawn in group order.
/// Groups beyond the eighth reuse the colours with another marker shape.
pub fn scatter_svg(data: &ScatterData, options: &PlotOptions) -> String {
    let drawn: Vec<(usize, &ScatterPoint)> = data
        .points
        .iter()
        .enumerate()
        .filter(|(_, point)| point.x.is_finite() && point.y.is_finite())
        .collect();
    let mut counts = vec![0usize; data.groups.len()];
    for (_, point) in &drawn {
        if let Some(count) = counts.get_mut(point.group) {
            *count += 1;
        }
    }
    let summary: Vec<String> = data
        .groups
        .iter()
        .zip(&counts)
        .take(12)
        .map(|(label, count)| format!("{label} ({count})"))
        .collect();
    let description = format!(
        "Scatter plot of {} points; horizontal axis {}, vertical axis {}; coloured by {}: {}{}",
        drawn.len(),
        data.x_label,
        data.y_label,
        data.colour_label,
        summary.join(", "),
        if data.groups.len() > 12 { ", ..." } else { "" }
    );
    let mut doc = Document::new(
        options,
        "scatter",
        &description,
        &[
            ("n-points", drawn.len().to_string()),
            ("n-groups", data.groups.len().to_string()),
        ],
    );
    let frame = Frame {
        left: 64.0,
        top: 36.0,
        right: doc.width - LEGEND_WIDTH - 12.0,
        bottom: doc.height - 50.0,
    };
    let range = |values: &mut dyn Iterator<Item = f64>| {
        values.fold((f64::INFINITY, f64::NEG_INFINITY), |(low, high), v| {
            (low.min(v), high.max(v))
        })
    };
    let (x_low, x_high) = range(&mut drawn.iter().map(|(_, p)| p.x));
    let (y_low, y_high) = range(&mut drawn.iter().map(|(_, p)| p.y));
    let x = Axis::new(x_low, x_high, frame.left, frame.right);
    let y = Axis::new(y_low, y_high, frame.bottom, frame.top);
    x_axis(&mut doc, frame, &x, &data.x_label);
    y_axis(&mut doc, frame, &y, &data.y_label);
    if drawn.is_empty() {
        doc.message("No points to show");
    }
    let dense = drawn.len() > DENSE_POINTS;
    let radius = match drawn.len() {
        0..=500 => 4.0,
        501..=3000 => 3.0,
        _ => 2.0,
    };
    put!(
        doc.out,
        "<g data-testid=\"{}-points\" fill-opacity=\"0.8\">",
        doc.id
    );
    if dense {
        dense_points(&mut doc.out, data, &drawn, (&x, &y), radius);
    } else {
        point_elements(&mut doc.out, data, &drawn, (&x, &y), radius);
    }
    doc.out.push_str("</g>");
    let items = LegendItem::counted(&data.groups, &counts);
    categorical(
        &mut doc,
        frame.right + 18.0,
        frame.top + 8.0,
        frame.bottom,
        &data.colour_label,
        &items,
    );
    doc.finish()
}

/// Writes each point as its own element with its tooltip.
fn point_elements(
    out: &mut String,
    data: &ScatterData,
    drawn: &[(usize, &ScatterPoint)],
    (x, y): (&Axis, &Axis),
    radius: f64,
) {
    for &(index, point) in drawn {
        let group_label = data
            .groups
            .get(point.group)
            .map_or("(none)", String::as_str);
        let tooltip = format!(
            "{}\n{}: {}\n{}: {}\n{}: {}",
            point.label,
            data.colour_label,
            group_label,
            data.x_label,
            value_text(point.x),
            data.y_label,
            value_text(point.y)
        );
        let extra = format!(
            "class=\"point\" data-group=\"{}\" data-index=\"{index}\"",
            point.group
        );
        marker(point, data.groups.len(), (x, y), radius).write(out, &extra, Some(&tooltip));
    }
}

/// The marker of `point` among `n_groups` groups: its group's shape and colour, or a grey
/// circle for a point outside the groups.
fn marker(
    point: &ScatterPoint,
    n_groups: usize,
    (x, y): (&Axis, &Axis),
    r: f64,
) -> Marker<'static> {
    let known = point.group < n_groups;
    Marker {
        shape: if known {
            group_shape(point.group)
        } else {
            Shape::Circle
        },
        x: x.pixel(point.x),
        y: y.pixel(point.y),
        r,
        fill: if known {
            group_colour(point.group)
        } else {
            GREY
        },
    }
}

/// Writes each group's points (then those outside the groups) as one filled path of marker
/// outlines.
fn dense_points(
    out: &mut String,
    data: &ScatterData,
    drawn: &[(usize, &ScatterPoint)],
    (x, y): (&Axis, &Axis),
    radius: f64,
) {
    let n_groups = data.groups.len();
    let mut outlines = vec![(String::new(), 0usize); n_groups + 1];
    for (_, point) in drawn {
        let (path, count) = &mut outlines[point.group.min(n_groups)];
        marker(point, n_groups, (x, y), radius).outline(path);
        *count += 1;
    }
    for (slot, (path, count)) in outlines.iter().enumerate() {
        if *count == 0 {
            continue;
        }
        let (group, label, fill) = match data.groups.get(slot) {
            Some(label) => (slot.to_string(), label.as_str(), group_colour(slot)),
            None => ("none".to_string(), "(none)", GREY),
        };
        let tooltip = format!("{}: {label} ({count} points)", data.colour_label);
        put!(
            out,
            "<path class=\"points\" data-group=\"{group}\" data-n=\"{count}\" fill=\"{fill}\" d=\"{path}\"><title>{}</title></path>",
            Esc(&tooltip)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_svg::{HOSTILE, parse, points, root_attribute, tooltip, view_box};

    fn data(n: usize, n_groups: usize) -> ScatterData {
        ScatterData {
            points: (0..n)
                .map(|i| ScatterPoint {
                    x: (i as f64 * 0.37).sin() * 1e3,
                    y: (i as f64 * 0.11).cos() * 0.02 - 5.0,
                    group: i % n_groups.max(1),
                    label: format!("sample_{i}"),
                })
                .collect(),
            groups: (0..n_groups).map(|g| format!("group {g}")).collect(),
            x_label: "PC1".into(),
            y_label: "PC2".into(),
            colour_label: "tissue".into(),
        }
    }

    #[test]
    fn draws_every_finite_point_inside_the_view_box() {
        let mut input = data(300, 3);
        input.points[7].x = f64::NAN;
        input.points[9].y = f64::INFINITY;
        let svg = scatter_svg(&input, &PlotOptions::new("pca-plot", "PCA"));
        let doc = parse(&svg);
        assert_eq!(points(&doc).len(), 298);
        assert_eq!(root_attribute(&doc, "data-n-points"), "298");
        assert_eq!(root_attribute(&doc, "data-n-groups"), "3");
        assert_eq!(root_attribute(&doc, "data-testid"), "pca-plot");
        let first = points(&doc)[0];
        assert_eq!(first.attribute("data-index"), Some("0"));
        assert_eq!(tooltip(&first).lines().next(), Some("sample_0"));
        assert!(tooltip(&first).contains("tissue: group 0"));
        let (width, height) = view_box(&doc);
        assert_eq!((width, height), (640.0, 420.0));
        // Legend has one entry per group with its count.
        let legend: Vec<String> = doc
            .descendants()
            .filter(|n| n.attribute("data-legend-item").is_some())
            .map(|n| tooltip(&n))
            .collect();
        assert_eq!(legend, vec!["group 0", "group 1", "group 2"]);
    }

    #[test]
    fn many_points_are_drawn_as_one_path_per_group() {
        let mut input = data(DENSE_POINTS + 1_000, 3);
        input.points[5].group = usize::MAX;
        input.points[11].x = f64::NAN;
        let svg = scatter_svg(&input, &PlotOptions::new("umap-plot", "UMAP"));
        let doc = parse(&svg);
        assert!(points(&doc).is_empty());
        assert_eq!(root_attribute(&doc, "data-n-points"), "2999");
        let paths: Vec<_> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("points"))
            .collect();
        let groups: Vec<&str> = paths
            .iter()
            .filter_map(|n| n.attribute("data-group"))
            .collect();
        assert_eq!(groups, ["0", "1", "2", "none"]);
        // Each path holds one closed outline per point of its group
        let mut total = 0;
        for path in &paths {
            let n: usize = path
                .attribute("data-n")
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            let outlines = path.attribute("d").map_or(0, |d| d.matches('M').count());
            assert_eq!(outlines, n);
            total += n;
        }
        assert_eq!(total, 2999);
        assert_eq!(tooltip(&paths[3]), "tissue: (none) (1 points)");
        assert!(tooltip(&paths[0]).starts_with("tissue: group 0 ("));
    }

    #[test]
    fn labels_from_metadata_are_escaped() {
        let mut input = data(4, 2);
        input.groups[0] = HOSTILE.into();
        input.points[0].label = HOSTILE.into();
        input.colour_label = HOSTILE.into();
        let options = PlotOptions::new("x\" onload=\"y", HOSTILE);
        let svg = scatter_svg(&input, &options);
        let doc = parse(&svg);
        let title = doc
            .descendants()
            .find(|n| n.tag_name().name() == "title")
            .and_then(|n| n.text());
        assert_eq!(title, Some(HOSTILE));
        assert_eq!(tooltip(&points(&doc)[0]).lines().next(), Some(HOSTILE));
        assert_eq!(root_attribute(&doc, "data-testid"), "x--onload--y");
    }

    #[test]
    fn output_is_deterministic_and_handles_many_groups_and_no_points() {
        let input = data(50, 20);
        let options = PlotOptions::new("umap", "UMAP");
        let svg = scatter_svg(&input, &options);
        assert_eq!(svg, scatter_svg(&input, &options));
        let doc = parse(&svg);
        // Groups 8 and up use other shapes but are still points.
        assert_eq!(points(&doc).len(), 50);
        assert!(points(&doc).iter().any(|n| n.tag_name().name() == "path"));
        let empty = scatter_svg(&data(0, 0), &options);
        let doc = parse(&empty);
        assert!(
            doc.descendants()
                .any(|n| n.attribute("data-testid") == Some("umap-message"))
        );
    }

    #[test]
    fn from_pca_labels_axes_with_explained_variance() {
        use synthome_analysis::PrincipalComponent;
        let component = |scores: Vec<f64>, ratio| PrincipalComponent {
            scores,
            loadings: vec![1.0],
            variance: 1.0,
            variance_ratio: ratio,
        };
        let pca = Pca {
            genes: vec![0],
            components: vec![
                component(vec![1.0, -1.0], 0.625),
                component(vec![0.5, 0.25], 0.25),
            ],
            total_variance: 1.0,
            iterations: 1,
        };
        let grouping = Grouping::new(vec!["a".into(), "b".into()], vec![0, 1])
            .unwrap_or_else(|e| panic!("{e}"));
        let labels = vec!["s1".to_owned(), "s2".to_owned()];
        let data = ScatterData::from_pca(&pca, 0, 1, &grouping, &labels, "sex");
        let data = data.unwrap_or_else(|| panic!("components exist"));
        assert_eq!(data.x_label, "PC1 (62.5% of variance)");
        assert_eq!(data.points[1].y, 0.25);
        assert_eq!(data.points[1].label, "s2");
        assert!(ScatterData::from_pca(&pca, 0, 2, &grouping, &labels, "sex").is_none());
    }
}
