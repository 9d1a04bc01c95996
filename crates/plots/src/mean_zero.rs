//! The single-cell realism report's mean versus zero-share plot: per gene, log10 mean UMI count
//! against the share of cells with no count, dots for a subsample of genes, a binned median
//! line per series and the Poisson curve `exp(-mean)` for reference; coordinates with one
//! decimal.

use std::fmt::Write;

use crate::text::Esc;

/// One series of a [`mean_zero_svg`] plot.
pub struct MeanZeroSeries<'a> {
    /// Legend text.
    pub name: &'a str,
    /// CSS colour.
    pub colour: &'a str,
    /// Per-gene (log10 mean count, zero share) points; those outside 10^-3..10^2 are left out.
    pub points: &'a [(f64, f64)],
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 420.0;
const LEFT: f64 = 60.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 30.0;
const BOTTOM: f64 = 50.0;
/// x axis range (log10 mean count per cell)
const X_RANGE: (f64, f64) = (-3.0, 2.0);
/// Bins of the median lines
const BINS: usize = 25;
/// At most this many dots per series
const MAX_DOTS: usize = 700;

fn x_of(value: f64) -> f64 {
    LEFT + (value - X_RANGE.0) / (X_RANGE.1 - X_RANGE.0) * (WIDTH - LEFT - RIGHT)
}

fn y_of(value: f64) -> f64 {
    TOP + (1.0 - value) * (HEIGHT - TOP - BOTTOM)
}

/// The plot of `series` under `title`, as an SVG document.
pub fn mean_zero_svg(title: &str, series: &[MeanZeroSeries<'_>]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(
        out,
        r#"<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>"#
    );
    let _ = writeln!(
        out,
        r#"<text x="{}" y="18" text-anchor="middle" font-size="14">{}</text>"#,
        WIDTH / 2.0,
        Esc(title)
    );
    for tick in -3..=2 {
        let x = x_of(f64::from(tick));
        let _ = writeln!(
            out,
            r##"<line x1="{x:.1}" y1="{TOP}" x2="{x:.1}" y2="{:.1}" stroke="#eee"/>"##,
            HEIGHT - BOTTOM
        );
        let _ = writeln!(
            out,
            r#"<text x="{x:.1}" y="{:.1}" text-anchor="middle">10^{tick}</text>"#,
            HEIGHT - BOTTOM + 16.0
        );
    }
    for tick in 0..=4 {
        let value = f64::from(tick) / 4.0;
        let y = y_of(value);
        let _ = writeln!(
            out,
            r##"<line x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#eee"/>"##,
            WIDTH - RIGHT
        );
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end">{value:.2}</text>"#,
            LEFT - 6.0,
            y + 4.0
        );
    }
    let _ = writeln!(
        out,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">mean UMI count per cell (log scale)</text>"#,
        (LEFT + WIDTH - RIGHT) / 2.0,
        HEIGHT - 12.0
    );
    let _ = writeln!(
        out,
        r#"<text x="14" y="{:.1}" text-anchor="middle" transform="rotate(-90 14 {:.1})">share of cells with 0 counts</text>"#,
        HEIGHT / 2.0,
        HEIGHT / 2.0
    );
    let poisson: Vec<String> = (0..=100)
        .map(|i| {
            let log_mean = X_RANGE.0 + (X_RANGE.1 - X_RANGE.0) * f64::from(i) / 100.0;
            format!(
                "{:.1},{:.1}",
                x_of(log_mean),
                y_of((-(10f64.powf(log_mean))).exp())
            )
        })
        .collect();
    let _ = writeln!(
        out,
        r##"<polyline points="{}" fill="none" stroke="#999" stroke-dasharray="4 3"/>"##,
        poisson.join(" ")
    );
    for (index, entry) in series.iter().enumerate() {
        let inside: Vec<(f64, f64)> = entry
            .points
            .iter()
            .copied()
            .filter(|(x, _)| *x >= X_RANGE.0 && *x <= X_RANGE.1)
            .collect();
        let step = inside.len().div_ceil(MAX_DOTS).max(1);
        for (x, y) in inside.iter().step_by(step) {
            let _ = writeln!(
                out,
                r#"<circle cx="{:.1}" cy="{:.1}" r="1.5" fill="{}" fill-opacity="0.35"/>"#,
                x_of(*x),
                y_of(*y),
                entry.colour
            );
        }
        let mut line = Vec::new();
        for bin in 0..BINS {
            let low = X_RANGE.0 + (X_RANGE.1 - X_RANGE.0) * bin as f64 / BINS as f64;
            let high = low + (X_RANGE.1 - X_RANGE.0) / BINS as f64;
            let mut values: Vec<f64> = inside
                .iter()
                .filter(|(x, _)| *x >= low && *x < high)
                .map(|(_, y)| *y)
                .collect();
            if values.len() < 3 {
                continue;
            }
            values.sort_by(f64::total_cmp);
            line.push(format!(
                "{:.1},{:.1}",
                x_of((low + high) / 2.0),
                y_of(values[values.len() / 2])
            ));
        }
        let _ = writeln!(
            out,
            r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>"#,
            line.join(" "),
            entry.colour
        );
        let legend_y = TOP + 14.0 + 16.0 * index as f64;
        let _ = writeln!(
            out,
            r#"<rect x="{:.1}" y="{:.1}" width="12" height="4" fill="{}"/>"#,
            WIDTH - 200.0,
            legend_y - 4.0,
            entry.colour
        );
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{legend_y:.1}">{}</text>"#,
            WIDTH - 182.0,
            Esc(entry.name)
        );
    }
    let legend_y = TOP + 14.0 + 16.0 * series.len() as f64;
    let _ = writeln!(
        out,
        r##"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#999" stroke-dasharray="4 3"/>"##,
        WIDTH - 200.0,
        legend_y - 2.0,
        WIDTH - 188.0,
        legend_y - 2.0
    );
    let _ = writeln!(
        out,
        r#"<text x="{:.1}" y="{legend_y:.1}">Poisson exp(-mean)</text>"#,
        WIDTH - 182.0
    );
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_dots_inside_the_range_a_median_line_and_the_legend() {
        let points: Vec<(f64, f64)> = (0..50)
            .map(|i| (-2.0 + f64::from(i) / 20.0, 0.5))
            .chain([(5.0, 0.1)])
            .collect();
        let svg = mean_zero_svg(
            "a & b",
            &[MeanZeroSeries {
                name: "real",
                colour: "#1f77b4",
                points: &points,
            }],
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>\n"));
        assert_eq!(
            svg.matches("<circle").count(),
            50,
            "the point at 10^5 is outside"
        );
        assert!(svg.contains("a &amp; b"));
        assert!(svg.contains(">real</text>") && svg.contains("Poisson exp(-mean)"));
    }
}
