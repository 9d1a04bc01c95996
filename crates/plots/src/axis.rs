//! Linear axes with ticks at nice numbers, grid lines and axis titles.

use synthome_analysis::NiceScale;

use crate::palette::{GRID, INK};
use crate::svg::{Document, put};
use crate::text::{Esc, Num, tick_text};

/// The plotting area in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Frame {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
}

/// A data range mapped linearly onto a pixel range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Axis {
    pub scale: NiceScale,
    from: f64,
    to: f64,
}

impl Axis {
    /// An axis over the data range `[low, high]` widened to nice ticks, drawn from pixel `from`
    /// (the low end) to `to`.
    pub(crate) fn new(low: f64, high: f64, from: f64, to: f64) -> Self {
        Self {
            scale: NiceScale::new(low, high, 5),
            from,
            to,
        }
    }

    /// An axis over exactly `[low, high]` (no widening), ticks at a nice step inside.
    pub(crate) fn exact(low: f64, high: f64, from: f64, to: f64) -> Self {
        let mut scale = NiceScale::new(low, high, 5);
        if high > low {
            scale.min = low;
            scale.max = high;
        }
        Self { scale, from, to }
    }

    /// Pixel position of a value.
    pub(crate) fn pixel(&self, value: f64) -> f64 {
        let span = self.scale.max - self.scale.min;
        let t = if span > 0.0 {
            (value - self.scale.min) / span
        } else {
            0.5
        };
        self.from + t * (self.to - self.from)
    }

    /// Tick values within the axis range.
    fn ticks(&self) -> Vec<f64> {
        let epsilon = self.scale.step * 1e-9;
        let first = libm::ceil((self.scale.min - epsilon) / self.scale.step) as i64;
        let last = libm::floor((self.scale.max + epsilon) / self.scale.step) as i64;
        (first..=last).map(|k| k as f64 * self.scale.step).collect()
    }
}

/// Draws the horizontal axis at the bottom of the frame: grid, ticks, labels, title.
pub(crate) fn x_axis(doc: &mut Document, frame: Frame, axis: &Axis, title: &str) {
    put!(doc.out, "<g data-axis=\"x\">");
    for tick in axis.ticks() {
        let x = axis.pixel(tick);
        put!(
            doc.out,
            "<line x1=\"{x}\" y1=\"{top}\" x2=\"{x}\" y2=\"{bottom}\" stroke=\"{GRID}\"/>\
             <line x1=\"{x}\" y1=\"{bottom}\" x2=\"{x}\" y2=\"{tick}\" stroke=\"{INK}\"/>\
             <text x=\"{x}\" y=\"{label}\" text-anchor=\"middle\" fill=\"{INK}\">{}</text>",
            Esc(&tick_text(tick, axis.scale.step)),
            x = Num(x),
            top = Num(frame.top),
            bottom = Num(frame.bottom),
            tick = Num(frame.bottom + 5.0),
            label = Num(frame.bottom + 18.0),
        );
    }
    put!(
        doc.out,
        "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{INK}\"/>\
         <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{INK}\">{}</text></g>",
        Num(frame.left),
        Num(frame.right),
        Num((frame.left + frame.right) / 2.0),
        Num(frame.bottom + 36.0),
        Esc(title),
        y = Num(frame.bottom),
    );
}

/// Draws the vertical axis at the left of the frame: grid, ticks, labels, rotated title.
pub(crate) fn y_axis(doc: &mut Document, frame: Frame, axis: &Axis, title: &str) {
    put!(doc.out, "<g data-axis=\"y\">");
    for tick in axis.ticks() {
        let y = axis.pixel(tick);
        put!(
            doc.out,
            "<line x1=\"{left}\" y1=\"{y}\" x2=\"{right}\" y2=\"{y}\" stroke=\"{GRID}\"/>\
             <line x1=\"{tick}\" y1=\"{y}\" x2=\"{left}\" y2=\"{y}\" stroke=\"{INK}\"/>\
             <text x=\"{label}\" y=\"{text_y}\" text-anchor=\"end\" fill=\"{INK}\">{}</text>",
            Esc(&tick_text(tick, axis.scale.step)),
            y = Num(y),
            text_y = Num(y + 4.0),
            left = Num(frame.left),
            right = Num(frame.right),
            tick = Num(frame.left - 5.0),
            label = Num(frame.left - 8.0),
        );
    }
    let middle = (frame.top + frame.bottom) / 2.0;
    put!(
        doc.out,
        "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{INK}\"/>\
         <text x=\"{tx}\" y=\"{ty}\" text-anchor=\"middle\" fill=\"{INK}\" \
         transform=\"rotate(-90 {tx} {ty})\">{}</text></g>",
        Num(frame.top),
        Num(frame.bottom),
        Esc(title),
        x = Num(frame.left),
        tx = Num(frame.left - 46.0),
        ty = Num(middle),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_ends_and_lists_ticks_inside() {
        let axis = Axis::new(0.3, 9.6, 100.0, 300.0);
        assert_eq!(axis.pixel(0.0), 100.0);
        assert_eq!(axis.pixel(10.0), 300.0);
        assert_eq!(axis.ticks(), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        let exact = Axis::exact(0.5, 3.5, 0.0, 30.0);
        assert_eq!(exact.pixel(0.5), 0.0);
        assert_eq!(exact.ticks(), vec![1.0, 2.0, 3.0]);
    }
}
