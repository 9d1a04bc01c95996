//! Legends: categorical (marker and label per group) and colour bars.

use crate::marker::Marker;
use crate::palette::{INK, group_colour, group_shape};
use crate::svg::{Document, put};
use crate::text::{Esc, Num, shorten};

/// Width a categorical legend needs at the right of a plot.
pub(crate) const LEGEND_WIDTH: f64 = 170.0;
/// Characters of a label shown in a legend (the full label is in its tooltip).
const LABEL_CHARS: usize = 22;
const ROW_HEIGHT: f64 = 17.0;

/// One legend entry.
pub(crate) struct LegendItem<'a> {
    pub label: &'a str,
    /// Number of points, shown after the label when given.
    pub count: Option<usize>,
}

impl<'a> LegendItem<'a> {
    /// One entry per label, with the count at the same position.
    pub(crate) fn counted(labels: &'a [String], counts: &[usize]) -> Vec<LegendItem<'a>> {
        labels
            .iter()
            .zip(counts)
            .map(|(label, &count)| LegendItem {
                label,
                count: Some(count),
            })
            .collect()
    }
}

/// Draws a legend of coloured dots with its title at (x, y): one row per (colour, label).
pub(crate) fn coloured_dots(
    doc: &mut Document,
    x: f64,
    y: f64,
    title: &str,
    entries: &[(&str, String)],
) {
    put!(
        doc.out,
        "<g data-testid=\"{}-legend\"><text x=\"{}\" y=\"{}\" font-weight=\"600\" fill=\"{INK}\">{}</text>",
        doc.id,
        Num(x),
        Num(y),
        Esc(title)
    );
    for (index, (colour, text)) in entries.iter().enumerate() {
        let row_y = y + ROW_HEIGHT * (index as f64 + 1.0);
        put!(
            doc.out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"{colour}\"/><text x=\"{}\" y=\"{}\" \
             fill=\"{INK}\">{}</text>",
            Num(x + 6.0),
            Num(row_y - 4.0),
            Num(x + 16.0),
            Num(row_y),
            Esc(text)
        );
    }
    doc.out.push_str("</g>");
}

/// Draws a categorical legend with its title at (x, y), as many rows as fit above `bottom`
/// (then "+ N more").
pub(crate) fn categorical(
    doc: &mut Document,
    x: f64,
    y: f64,
    bottom: f64,
    title: &str,
    items: &[LegendItem<'_>],
) {
    put!(
        doc.out,
        "<g data-testid=\"{}-legend\"><text x=\"{}\" y=\"{}\" font-weight=\"600\" \
         fill=\"{INK}\">{}</text>",
        doc.id,
        Num(x),
        Num(y),
        Esc(&shorten(title, LABEL_CHARS + 2))
    );
    let fits = (((bottom - y) / ROW_HEIGHT) as usize)
        .saturating_sub(1)
        .max(1);
    let shown = if items.len() > fits {
        fits.saturating_sub(1).max(1)
    } else {
        items.len()
    };
    for (group, item) in items.iter().enumerate().take(shown) {
        let row_y = y + ROW_HEIGHT * (group as f64 + 1.0);
        let text = match item.count {
            Some(count) => format!("{} ({count})", shorten(item.label, LABEL_CHARS)),
            None => shorten(item.label, LABEL_CHARS),
        };
        put!(
            doc.out,
            "<g data-legend-item=\"{group}\"><title>{}</title>",
            Esc(item.label)
        );
        Marker {
            shape: group_shape(group),
            x: x + 6.0,
            y: row_y - 4.0,
            r: 5.0,
            fill: group_colour(group),
        }
        .write(&mut doc.out, "", None);
        put!(
            doc.out,
            "<text x=\"{}\" y=\"{}\" fill=\"{INK}\">{}</text></g>",
            Num(x + 16.0),
            Num(row_y),
            Esc(&text)
        );
    }
    if shown < items.len() {
        put!(
            doc.out,
            "<text x=\"{}\" y=\"{}\" fill=\"{INK}\">+ {} more</text>",
            Num(x),
            Num(y + ROW_HEIGHT * (shown as f64 + 1.0)),
            items.len() - shown
        );
    }
    put!(doc.out, "</g>");
}

/// A colour scale to explain next to a plot.
pub(crate) struct ColourBar<'a> {
    pub title: &'a str,
    /// Value at the bottom of the bar (colour at 0).
    pub low: f64,
    /// Value at the top of the bar (colour at 1).
    pub high: f64,
    pub colour: fn(f64) -> String,
}

/// Draws a vertical colour bar at (x, top)..(x + 12, bottom), labelled with the values at both
/// ends and the middle.
pub(crate) fn colour_bar(doc: &mut Document, x: f64, top: f64, bottom: f64, bar: &ColourBar<'_>) {
    let gradient = format!("{}-gradient", doc.id);
    put!(
        doc.out,
        "<g data-testid=\"{}-colour-bar\"><defs><linearGradient id=\"{gradient}\" x1=\"0\" \
         y1=\"1\" x2=\"0\" y2=\"0\">",
        doc.id
    );
    for step in 0..=10 {
        let t = f64::from(step) / 10.0;
        put!(
            doc.out,
            "<stop offset=\"{}\" stop-color=\"{}\"/>",
            Num(t),
            (bar.colour)(t)
        );
    }
    put!(
        doc.out,
        "</linearGradient></defs><text x=\"{}\" y=\"{}\" font-weight=\"600\" \
         fill=\"{INK}\">{}</text><rect x=\"{}\" y=\"{}\" width=\"12\" height=\"{}\" \
         fill=\"url(#{gradient})\" stroke=\"{INK}\" stroke-width=\"0.5\"/>",
        Num(x),
        Num(top - 12.0),
        Esc(&shorten(bar.title, LABEL_CHARS + 2)),
        Num(x),
        Num(top),
        Num(bottom - top)
    );
    let (low, high) = (bar.low, bar.high);
    let step = synthome_analysis::nice_step((high - low).abs() / 4.0);
    for (t, value) in [(0.0, low), (0.5, (low + high) / 2.0), (1.0, high)] {
        let y = bottom - t * (bottom - top);
        put!(
            doc.out,
            "<text x=\"{}\" y=\"{}\" fill=\"{INK}\">{}</text>",
            Num(x + 16.0),
            Num(y + 4.0),
            Esc(&crate::text::tick_text(value, step))
        );
    }
    put!(doc.out, "</g>");
}
