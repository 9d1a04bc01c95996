//! Category axes: evenly spaced bands with (shortened) labels and the full label as tooltip.

use crate::axis::Frame;
use crate::palette::INK;
use crate::svg::{Document, put};
use crate::text::{Esc, Num, shorten};

/// Bands narrower than this get their labels rotated.
const ROTATE_BELOW: f64 = 72.0;

/// Bottom margin a category axis needs for these labels in bands of this width.
pub(crate) fn x_margin(band: f64) -> f64 {
    if band < ROTATE_BELOW { 96.0 } else { 50.0 }
}

/// Writes category labels below the frame, centred on each band; rotated when bands are
/// narrow. `title` goes underneath.
pub(crate) fn x_categories(doc: &mut Document, frame: Frame, labels: &[&str], title: &str) {
    let band = (frame.right - frame.left) / labels.len().max(1) as f64;
    let rotate = band < ROTATE_BELOW;
    put!(doc.out, "<g data-axis=\"x\">");
    for (index, label) in labels.iter().enumerate() {
        let x = frame.left + band * (index as f64 + 0.5);
        let y = frame.bottom + 16.0;
        let shown = shorten(
            label,
            if rotate {
                14
            } else {
                (band / 7.0).max(4.0) as usize
            },
        );
        let rotation = if rotate {
            format!(
                " text-anchor=\"end\" transform=\"rotate(-40 {} {})\"",
                Num(x),
                Num(y)
            )
        } else {
            " text-anchor=\"middle\"".into()
        };
        put!(
            doc.out,
            "<text x=\"{}\" y=\"{}\" fill=\"{INK}\"{rotation}><title>{}</title>{}</text>",
            Num(x),
            Num(y),
            Esc(label),
            Esc(&shown)
        );
    }
    put!(
        doc.out,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{INK}\">{}</text></g>",
        Num((frame.left + frame.right) / 2.0),
        Num(frame.bottom + x_margin(band) - 10.0),
        Esc(title)
    );
}

/// Writes category labels left of the frame, centred on each band (top to bottom), in a font
/// no taller than the band.
pub(crate) fn y_categories(doc: &mut Document, frame: Frame, labels: &[&str], max_chars: usize) {
    let band = (frame.bottom - frame.top) / labels.len().max(1) as f64;
    let font = band.clamp(6.0, 12.0);
    put!(doc.out, "<g data-axis=\"y\">");
    for (index, label) in labels.iter().enumerate() {
        let y = frame.top + band * (index as f64 + 0.5);
        put!(
            doc.out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"{}\" fill=\"{INK}\">\
             <title>{}</title>{}</text>",
            Num(frame.left - 8.0),
            Num(y + font / 3.0),
            Num(font),
            Esc(label),
            Esc(&shorten(label, max_chars))
        );
    }
    doc.out.push_str("</g>");
}
