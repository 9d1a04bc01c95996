//! Point markers (circle, square, triangle, diamond), each optionally with a hover tooltip.

use crate::palette::Shape;
use crate::svg::put;
use crate::text::{Esc, Num};

/// A marker centred at (x, y) with radius `r`.
pub(crate) struct Marker<'a> {
    pub shape: Shape,
    pub x: f64,
    pub y: f64,
    pub r: f64,
    pub fill: &'a str,
}

impl Marker<'_> {
    /// Writes the marker; `extra` is raw attribute text (already escaped) added to the element,
    /// e.g. `class="point" data-group="2"`; `tooltip` becomes a `<title>` child.
    pub(crate) fn write(&self, out: &mut String, extra: &str, tooltip: Option<&str>) {
        let (x, y, r, fill) = (self.x, self.y, self.r, self.fill);
        let tag = match self.shape {
            Shape::Circle => {
                put!(
                    out,
                    "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{fill}\" {extra}",
                    Num(x),
                    Num(y),
                    Num(r)
                );
                "circle"
            }
            Shape::Square => {
                put!(
                    out,
                    "<rect x=\"{}\" y=\"{}\" width=\"{s}\" height=\"{s}\" fill=\"{fill}\" {extra}",
                    Num(x - r * 0.85),
                    Num(y - r * 0.85),
                    s = Num(r * 1.7)
                );
                "rect"
            }
            Shape::Triangle | Shape::Diamond => {
                out.push_str("<path d=\"");
                self.outline(out);
                put!(out, "\" fill=\"{fill}\" {extra}");
                "path"
            }
        };
        match tooltip {
            Some(text) => put!(out, "><title>{}</title></{tag}>", Esc(text)),
            None => out.push_str("/>"),
        }
    }

    /// Appends the marker's outline as a closed subpath of path data (`M...Z`): many markers
    /// of one colour make one `<path>`, which a browser draws far faster than as many elements.
    pub(crate) fn outline(&self, out: &mut String) {
        let (x, y, r) = (self.x, self.y, self.r);
        match self.shape {
            Shape::Circle => put!(
                out,
                "M{} {}a{r} {r} 0 1 0 {d} 0a{r} {r} 0 1 0 -{d} 0Z",
                Num(x - r),
                Num(y),
                r = Num(r),
                d = Num(2.0 * r)
            ),
            Shape::Square => put!(
                out,
                "M{} {}h{s}v{s}h-{s}Z",
                Num(x - r * 0.85),
                Num(y - r * 0.85),
                s = Num(r * 1.7)
            ),
            Shape::Triangle => put!(
                out,
                "M{} {}L{} {}L{} {}Z",
                Num(x),
                Num(y - r),
                Num(x + r),
                Num(y + r * 0.8),
                Num(x - r),
                Num(y + r * 0.8)
            ),
            Shape::Diamond => put!(
                out,
                "M{} {}L{} {}L{} {}L{} {}Z",
                Num(x),
                Num(y - r),
                Num(x + r),
                Num(y),
                Num(x),
                Num(y + r),
                Num(x - r),
                Num(y)
            ),
        }
    }
}
