//! Histogram (library sizes, or any per-sample value) from pre-binned counts with nice edges.

use synthome_analysis::Histogram;

use crate::axis::{Axis, Frame, x_axis, y_axis};
use crate::palette::group_colour;
use crate::svg::{Document, PlotOptions, put};
use crate::text::{Esc, Num, value_text};

/// Draws a histogram; `x_label` names the value, `y_label` what is counted ("samples").
///
/// Root `data-` attributes: `data-n-bins`, `data-n-values` (values binned). Every bar has
/// `class="bar"`, `data-count` and a tooltip with its range and count.
pub fn histogram_svg(
    histogram: &Histogram,
    x_label: &str,
    y_label: &str,
    options: &PlotOptions,
) -> String {
    let total: usize = histogram.counts.iter().sum();
    let (low, high) = match (histogram.edges.first(), histogram.edges.last()) {
        (Some(&low), Some(&high)) => (low, high),
        _ => (0.0, 1.0),
    };
    let description = format!(
        "Histogram of {x_label} for {total} {y_label} in {} bins from {} to {}",
        histogram.counts.len(),
        value_text(low),
        value_text(high)
    );
    let mut doc = Document::new(
        options,
        "histogram",
        &description,
        &[
            ("n-bins", histogram.counts.len().to_string()),
            ("n-values", total.to_string()),
        ],
    );
    let frame = Frame {
        left: 64.0,
        top: 36.0,
        right: doc.width - 20.0,
        bottom: doc.height - 50.0,
    };
    let tallest = histogram.counts.iter().copied().max().unwrap_or(0);
    let x = Axis::exact(low, high, frame.left, frame.right);
    let y = Axis::new(0.0, tallest.max(1) as f64, frame.bottom, frame.top);
    x_axis(&mut doc, frame, &x, x_label);
    y_axis(&mut doc, frame, &y, y_label);
    if total == 0 {
        doc.message("No values to show");
    }
    put!(doc.out, "<g data-testid=\"{}-bars\">", doc.id);
    for (bin, &count) in histogram.counts.iter().enumerate() {
        let (Some(&from), Some(&to)) = (histogram.edges.get(bin), histogram.edges.get(bin + 1))
        else {
            continue;
        };
        let last = bin + 1 == histogram.counts.len();
        let top = y.pixel(count as f64);
        put!(
            doc.out,
            "<rect class=\"bar\" data-count=\"{count}\" x=\"{}\" y=\"{}\" width=\"{}\" \
             height=\"{}\" fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"0.5\">\
             <title>{}</title></rect>",
            Num(x.pixel(from)),
            Num(top),
            Num((x.pixel(to) - x.pixel(from)).max(0.0)),
            Num(frame.bottom - top),
            group_colour(0),
            Esc(&format!(
                "{} to {}{}: {count} {y_label}",
                value_text(from),
                value_text(to),
                if last { " (inclusive)" } else { "" }
            ))
        );
    }
    doc.out.push_str("</g>");
    doc.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_svg::{HOSTILE, parse, root_attribute, tooltip};
    use synthome_analysis::histogram;

    #[test]
    fn one_bar_per_bin_with_its_count() {
        let values: Vec<f64> = (0..200).map(|i| 1e6 + f64::from(i) * 7.3e4).collect();
        let binned = histogram(&values, 10);
        let svg = histogram_svg(
            &binned,
            "library size",
            "samples",
            &PlotOptions::new("lib", "Library sizes"),
        );
        let doc = parse(&svg);
        let bars: Vec<_> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("bar"))
            .collect();
        assert_eq!(bars.len(), binned.counts.len());
        let counts: Vec<usize> = bars
            .iter()
            .map(|b| {
                b.attribute("data-count")
                    .and_then(|c| c.parse().ok())
                    .unwrap_or(0)
            })
            .collect();
        assert_eq!(counts, binned.counts);
        assert_eq!(root_attribute(&doc, "data-n-values"), "200");
        // Taller bars are taller in pixels.
        let height = |i: usize| {
            bars[i]
                .attribute("height")
                .and_then(|h| h.parse::<f64>().ok())
        };
        let (most, least) = (
            (0..bars.len()).max_by_key(|&i| counts[i]).unwrap_or(0),
            (0..bars.len()).min_by_key(|&i| counts[i]).unwrap_or(0),
        );
        assert!(height(most) >= height(least));
        assert!(tooltip(&bars[0]).ends_with("samples"));
        // Tick labels use k/M for large numbers.
        assert!(svg.contains(">2M<") || svg.contains(">5M<"), "{svg}");
    }

    #[test]
    fn empty_and_hostile_input() {
        let empty = histogram(&[], 10);
        let svg = histogram_svg(&empty, HOSTILE, HOSTILE, &PlotOptions::new("h", HOSTILE));
        let doc = parse(&svg);
        assert_eq!(root_attribute(&doc, "data-n-bins"), "0");
        assert!(
            doc.descendants()
                .any(|n| n.attribute("data-testid") == Some("h-message"))
        );
    }
}
