//! The realism reports' chart: points and lines on linear axes (ranges padded by 3%, about six
//! ticks at 1, 2 or 5 times a power of ten), a legend box and a title, coordinates with one
//! decimal. A static figure for a Markdown report, so none of the result viewer's hover and
//! test hooks.

use std::fmt::Write;

use crate::text::Esc;

/// Width and height of every chart, pixels
const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 480.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 55.0;
/// Width of the legend box (top right, inside the plot)
const LEGEND_WIDTH: f64 = 200.0;

/// One series of a [`ReportChart`].
#[derive(Debug, Clone)]
pub struct ReportSeries {
    /// Legend text.
    pub name: String,
    /// CSS colour.
    pub colour: &'static str,
    /// (x, y) points; points with a non-finite coordinate are left out.
    pub points: Vec<(f64, f64)>,
    /// Draw as a line through the points (in order) instead of dots.
    pub line: bool,
}

/// A chart of the realism reports.
#[derive(Debug, Clone)]
pub struct ReportChart {
    /// Title.
    pub title: String,
    /// X axis label.
    pub x_label: String,
    /// Y axis label.
    pub y_label: String,
    /// Series, drawn in order.
    pub series: Vec<ReportSeries>,
}

impl ReportChart {
    /// The chart as an SVG document.
    pub fn to_svg(&self) -> String {
        let finite = |v: f64| v.is_finite();
        let all: Vec<(f64, f64)> = self
            .series
            .iter()
            .flat_map(|s| s.points.iter().copied())
            .filter(|&(x, y)| finite(x) && finite(y))
            .collect();
        let range = |values: Vec<f64>| -> (f64, f64) {
            let low = values.iter().copied().fold(f64::INFINITY, f64::min);
            let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if !low.is_finite() || !high.is_finite() {
                (0.0, 1.0)
            } else if high - low < 1e-12 {
                (low - 0.5, high + 0.5)
            } else {
                let pad = 0.03 * (high - low);
                (low - pad, high + pad)
            }
        };
        let (x0, x1) = range(all.iter().map(|p| p.0).collect());
        let (y0, y1) = range(all.iter().map(|p| p.1).collect());
        let plot_w = WIDTH - LEFT - RIGHT;
        let plot_h = HEIGHT - TOP - BOTTOM;
        let sx = |x: f64| LEFT + (x - x0) / (x1 - x0) * plot_w;
        let sy = |y: f64| TOP + plot_h - (y - y0) / (y1 - y0) * plot_h;
        let mut out = String::new();
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        );
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{}</text>",
            WIDTH / 2.0,
            Esc(&self.title)
        );
        let _ = writeln!(
            out,
            "<rect x=\"{LEFT}\" y=\"{TOP}\" width=\"{plot_w}\" height=\"{plot_h}\" fill=\"none\" stroke=\"#444\"/>"
        );
        for tick in ticks(x0, x1) {
            let x = sx(tick);
            let _ = writeln!(
                out,
                "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#444\"/><text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                TOP + plot_h,
                TOP + plot_h + 5.0,
                TOP + plot_h + 19.0,
                label(tick)
            );
        }
        for tick in ticks(y0, y1) {
            let y = sy(tick);
            let _ = writeln!(
                out,
                "<line x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{LEFT}\" y2=\"{y:.1}\" stroke=\"#444\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
                LEFT - 5.0,
                LEFT - 8.0,
                y + 4.0,
                label(tick)
            );
        }
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            LEFT + plot_w / 2.0,
            HEIGHT - 12.0,
            Esc(&self.x_label)
        );
        let _ = writeln!(
            out,
            "<text transform=\"translate(18 {:.1}) rotate(-90)\" text-anchor=\"middle\">{}</text>",
            TOP + plot_h / 2.0,
            Esc(&self.y_label)
        );
        for series in &self.series {
            let points: Vec<(f64, f64)> = series
                .points
                .iter()
                .copied()
                .filter(|&(x, y)| finite(x) && finite(y))
                .collect();
            if series.line {
                let path: Vec<String> = points
                    .iter()
                    .map(|&(x, y)| format!("{:.1},{:.1}", sx(x), sy(y)))
                    .collect();
                let _ = writeln!(
                    out,
                    "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{}\"/>",
                    series.colour,
                    path.join(" ")
                );
            } else {
                let _ = write!(out, "<g fill=\"{}\" fill-opacity=\"0.45\">", series.colour);
                let radius = if points.len() < 500 { 3.5 } else { 1.8 };
                for &(x, y) in &points {
                    let _ = write!(
                        out,
                        "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{radius}\"/>",
                        sx(x),
                        sy(y)
                    );
                }
                let _ = writeln!(out, "</g>");
            }
        }
        let legend_x = WIDTH - RIGHT - LEGEND_WIDTH;
        let _ = writeln!(
            out,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{LEGEND_WIDTH}\" height=\"{:.1}\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#bbb\"/>",
            legend_x - 6.0,
            TOP + 2.0,
            16.0 * self.series.len() as f64 + 6.0
        );
        for (i, series) in self.series.iter().enumerate() {
            let y = TOP + 17.0 + 16.0 * i as f64;
            let _ = writeln!(
                out,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                legend_x,
                y - 9.0,
                series.colour,
                legend_x + 16.0,
                y,
                Esc(&series.name)
            );
        }
        out.push_str("</svg>\n");
        out
    }
}

/// About 6 round tick values between `low` and `high`
fn ticks(low: f64, high: f64) -> Vec<f64> {
    let raw = (high - low) / 6.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|&s| s >= raw)
        .unwrap_or(10.0 * magnitude);
    let mut tick = (low / step).ceil() * step;
    let mut out = Vec::new();
    while tick <= high + 1e-9 * step && out.len() < 50 {
        out.push(tick);
        tick += step;
    }
    out
}

/// A tick label without needless decimals
fn label(value: f64) -> String {
    // Adding 0.0 turns -0.0 into 0.0
    let rounded = (value * 1e6).round() / 1e6 + 0.0;
    if rounded == rounded.trunc() {
        format!("{rounded:.0}")
    } else {
        let text = format!("{rounded:.3}");
        text.trim_end_matches('0').to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_inside() {
        assert_eq!(ticks(0.0, 12.0), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0]);
        assert_eq!(label(0.5), "0.5");
        assert_eq!(label(-2.0), "-2");
        assert_eq!(label(-1e-9), "0");
    }

    #[test]
    fn a_chart_has_its_points_and_escaped_text() {
        let chart = ReportChart {
            title: "a < b".to_owned(),
            x_label: "x".to_owned(),
            y_label: "y".to_owned(),
            series: vec![ReportSeries {
                name: "s".to_owned(),
                colour: "red",
                points: vec![(0.0, 0.0), (1.0, 1.0), (f64::NAN, 2.0)],
                line: false,
            }],
        };
        let svg = chart.to_svg();
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains("r=\"3.5\""), "few points are drawn larger");
        assert!(svg.contains("a &lt; b"));
        assert!(svg.starts_with("<svg"));
    }
}
