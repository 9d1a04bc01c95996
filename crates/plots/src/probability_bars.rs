//! Horizontal bars of probabilities between 0 and 1, one per labelled value, largest first as
//! given (a predicted metadata key's most probable values).

use crate::axis::{Axis, Frame, x_axis};
use crate::categories::y_categories;
use crate::palette::{GREY, group_colour};
use crate::svg::{Document, PlotOptions, put};
use crate::text::{Esc, Num, value_text};

/// Draws one bar per `(label, probability)`, top to bottom in the order given; the first bar
/// is coloured, the others grey. Probabilities are clamped to [0, 1].
///
/// Root `data-` attributes: `data-n-bars`. Every bar has `class="bar"`, `data-label`,
/// `data-probability` and a tooltip.
pub fn probability_bars_svg(
    bars: &[(String, f64)],
    value_label: &str,
    options: &PlotOptions,
) -> String {
    let description = format!(
        "Probabilities of {} values of {value_label}{}",
        bars.len(),
        bars.first()
            .map(|(label, p)| format!("; the most probable is {label} at {}", value_text(*p)))
            .unwrap_or_default()
    );
    let mut doc = Document::new(
        options,
        "probability-bars",
        &description,
        &[("n-bars", bars.len().to_string())],
    );
    let frame = Frame {
        left: 180.0,
        top: 36.0,
        right: doc.width - 24.0,
        bottom: doc.height - 50.0,
    };
    let x = Axis::exact(0.0, 1.0, frame.left, frame.right);
    x_axis(&mut doc, frame, &x, "probability");
    let labels: Vec<&str> = bars.iter().map(|(label, _)| label.as_str()).collect();
    y_categories(&mut doc, frame, &labels, 26);
    if bars.is_empty() {
        doc.message("No probabilities to show");
    }
    let band = (frame.bottom - frame.top) / bars.len().max(1) as f64;
    put!(doc.out, "<g data-testid=\"{}-bars\">", doc.id);
    for (index, (label, probability)) in bars.iter().enumerate() {
        let value = probability.clamp(0.0, 1.0);
        let top = frame.top + band * index as f64 + band * 0.15;
        put!(
            doc.out,
            "<rect class=\"bar\" data-label=\"{}\" data-probability=\"{}\" x=\"{}\" y=\"{}\" \
             width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}</title></rect>",
            Esc(label),
            Esc(&value_text(value)),
            Num(frame.left),
            Num(top),
            Num(x.pixel(value) - frame.left),
            Num(band * 0.7),
            if index == 0 { group_colour(0) } else { GREY },
            Esc(&format!("{label}: {}", value_text(value)))
        );
    }
    doc.out.push_str("</g>");
    doc.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_svg::{HOSTILE, parse, root_attribute, tooltip};

    #[test]
    fn one_bar_per_value_longest_for_the_most_probable() {
        let bars = vec![
            ("liver".to_owned(), 0.82),
            (HOSTILE.to_owned(), 0.15),
            ("lung".to_owned(), 1.5),
        ];
        let svg = probability_bars_svg(
            &bars,
            "tissue_ontology_id",
            &PlotOptions::new("probability-tissue", "tissue_ontology_id"),
        );
        let doc = parse(&svg);
        assert_eq!(root_attribute(&doc, "data-n-bars"), "3");
        let rects: Vec<_> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("bar"))
            .collect();
        let width = |index: usize| -> f64 {
            rects[index]
                .attribute("width")
                .and_then(|v| v.parse().ok())
                .unwrap_or(f64::NAN)
        };
        assert!(width(0) > width(1));
        assert_eq!(rects[2].attribute("data-probability"), Some("1"));
        assert_eq!(tooltip(&rects[1]), format!("{HOSTILE}: 0.15"));
    }
}
