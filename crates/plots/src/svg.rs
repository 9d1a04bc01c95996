//! The SVG document every plot shares: root element with size, accessibility (`role="img"`,
//! `<title>` and `<desc>` referenced by `aria-labelledby`), `data-` attributes for tests, a
//! white background (so PNG exports are not transparent) and the visible title.

use crate::text::{Esc, Num, safe_id};

/// Appends formatted text to a `String` (writing to a `String` cannot fail).
macro_rules! put {
    ($out:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = write!($out, $($arg)*);
    }};
}
pub(crate) use put;

/// Size, title and id of a plot.
#[derive(Debug, Clone, PartialEq)]
pub struct PlotOptions {
    /// Id of the plot: its `data-testid`, and the prefix of its element ids (characters other
    /// than ASCII letters, digits, `-` and `_` become `-`). Use a different id for each plot on
    /// a page.
    pub id: String,
    /// Title, shown on top and read by screen readers.
    pub title: String,
    /// Width in pixels (at least 240).
    pub width: u32,
    /// Height in pixels (at least 200).
    pub height: u32,
}

impl PlotOptions {
    /// Options with the default size of 640 x 420.
    pub fn new(id: impl Into<String>, title: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            title: title.into(),
            width: 640,
            height: 420,
        }
    }
}

/// An SVG document being written.
pub(crate) struct Document {
    pub out: String,
    pub id: String,
    pub width: f64,
    pub height: f64,
}

impl Document {
    /// Opens the document: root element, title, description, background and visible title.
    ///
    /// `data` are extra `data-` attributes (names without the prefix).
    pub(crate) fn new(
        options: &PlotOptions,
        kind: &str,
        description: &str,
        data: &[(&str, String)],
    ) -> Self {
        let id = safe_id(&options.id);
        let width = f64::from(options.width.max(240));
        let height = f64::from(options.height.max(200));
        let mut out = String::with_capacity(16 * 1024);
        put!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" \
             viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" \
             data-testid=\"{id}\" data-kind=\"{kind}\"",
            w = Num(width),
            h = Num(height),
            kind = Esc(kind),
        );
        for (name, value) in data {
            put!(out, " data-{}=\"{}\"", Esc(name), Esc(value));
        }
        put!(
            out,
            " font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif\" \
             font-size=\"12\">"
        );
        put!(
            out,
            "<title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
            Esc(&options.title),
            Esc(description)
        );
        put!(
            out,
            "<rect width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
            Num(width),
            Num(height)
        );
        put!(
            out,
            "<text x=\"{}\" y=\"20\" text-anchor=\"middle\" font-size=\"14\" \
             font-weight=\"600\" fill=\"{}\">{}</text>",
            Num(width / 2.0),
            crate::palette::INK,
            Esc(&options.title)
        );
        Self {
            out,
            id,
            width,
            height,
        }
    }

    /// Writes a message in the middle of the plot area (for empty data).
    pub(crate) fn message(&mut self, text: &str) {
        put!(
            self.out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{}\" \
             data-testid=\"{}-message\">{}</text>",
            Num(self.width / 2.0),
            Num(self.height / 2.0),
            crate::palette::INK,
            self.id,
            Esc(text)
        );
    }

    /// Closes the document.
    pub(crate) fn finish(mut self) -> String {
        self.out.push_str("</svg>");
        self.out
    }
}
