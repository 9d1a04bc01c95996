//! The mean versus zero-share plot (SVG), real held-out cells against generated cells

use std::fmt::Write;

/// One series: per-gene (log10 mean count, zero share) points
pub(crate) struct Series<'a> {
    /// Legend text
    pub name: &'a str,
    /// Colour
    pub colour: &'a str,
    /// Points
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

/// The plot: dots for a subsample of genes, a binned median line per series and the Poisson
/// curve `exp(-mean)` for reference
pub(crate) fn mean_zero_plot(title: &str, series: &[Series<'_>]) -> String {
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
        r#"<text x="{}" y="18" text-anchor="middle" font-size="14">{title}</text>"#,
        WIDTH / 2.0
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
            entry.name
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
