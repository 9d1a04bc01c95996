//! Text that goes into SVG: escaping (labels come from user metadata), number formatting that is
//! the same on every run and target, label shortening and safe element ids.

use std::fmt;

/// Displays text escaped for XML character data and attribute values (`& < > " '`); tabs
/// become spaces, line feeds stay (tooltip lines), other control characters are dropped.
pub(crate) struct Esc<'a>(pub &'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for ch in self.0.chars() {
            match ch {
                '&' => f.write_str("&amp;")?,
                '<' => f.write_str("&lt;")?,
                '>' => f.write_str("&gt;")?,
                '"' => f.write_str("&quot;")?,
                '\'' => f.write_str("&#39;")?,
                '\t' => f.write_str(" ")?,
                '\n' => f.write_str("\n")?,
                ch if ch.is_control() || ch == '\u{FFFE}' || ch == '\u{FFFF}' => {}
                ch => write!(f, "{ch}")?,
            }
        }
        Ok(())
    }
}

/// Displays a coordinate with at most two decimals, trailing zeros trimmed; `-0` and
/// non-finite values print as `0`.
#[derive(Clone, Copy)]
pub(crate) struct Num(pub f64);

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rounded = if self.0.is_finite() {
            (self.0 * 100.0).round() / 100.0
        } else {
            0.0
        };
        if rounded == 0.0 {
            return f.write_str("0");
        }
        let text = format!("{rounded:.2}");
        f.write_str(text.trim_end_matches('0').trim_end_matches('.'))
    }
}

/// A value for a tooltip: four significant digits, scientific notation when tiny or huge.
pub(crate) fn value_text(value: f64) -> String {
    if !value.is_finite() {
        return "n/a".into();
    }
    if value == 0.0 {
        return "0".into();
    }
    let magnitude = value.abs();
    if !(1e-3..1e6).contains(&magnitude) {
        return format!("{value:.3e}");
    }
    let decimals = (3 - libm::floor(libm::log10(magnitude)) as i32).clamp(0, 6) as usize;
    let text = format!("{value:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

/// Tick label for a value on an axis whose ticks are `step` apart: as many decimals as the
/// step needs; thousands and millions as `k` and `M` when the step is that coarse.
pub(crate) fn tick_text(value: f64, step: f64) -> String {
    let (value, step, suffix) = if step >= 1e6 {
        (value / 1e6, step / 1e6, "M")
    } else if step >= 1e3 && value.abs() >= 1e4 {
        (value / 1e3, step / 1e3, "k")
    } else {
        (value, step, "")
    };
    let decimals = if step >= 1.0 {
        0
    } else {
        libm::ceil(-libm::log10(step) - 1e-9).max(0.0) as usize
    };
    let mut text = format!("{value:.decimals$}");
    if text
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        text = format!("{:.decimals$}", 0.0);
    }
    text + suffix
}

/// The label cut to `max_chars` characters, with an ellipsis when cut.
pub(crate) fn shorten(label: &str, max_chars: usize) -> String {
    if label.chars().count() <= max_chars {
        return label.to_owned();
    }
    let kept: String = label.chars().take(max_chars.saturating_sub(1)).collect();
    kept + "…"
}

/// An element id made of ASCII letters, digits, `-` and `_`, starting with a letter.
pub(crate) fn safe_id(id: &str) -> String {
    let cleaned: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    match cleaned.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => cleaned,
        Some(_) => format!("p-{cleaned}"),
        None => "plot".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        let text = Esc("<script>alert('x')</script> & \"q\"\u{0}").to_string();
        assert_eq!(
            text,
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }

    #[test]
    fn numbers_are_short_and_stable() {
        let cases = [
            (1.0, "1"),
            (1.5, "1.5"),
            (-0.001, "0"),
            (12.345, "12.35"),
            (-3.1, "-3.1"),
            (f64::NAN, "0"),
            (100.0, "100"),
        ];
        for (value, expected) in cases {
            assert_eq!(Num(value).to_string(), expected);
        }
    }

    #[test]
    fn tick_labels_follow_the_step() {
        assert_eq!(tick_text(0.30000000000000004, 0.1), "0.3");
        assert_eq!(tick_text(2.5, 0.5), "2.5");
        assert_eq!(tick_text(-0.0, 0.5), "0.0");
        assert_eq!(tick_text(20.0, 5.0), "20");
        assert_eq!(tick_text(15_000_000.0, 5_000_000.0), "15M");
        assert_eq!(tick_text(12_000_000.0, 2_000_000.0), "12M");
        assert_eq!(tick_text(20_000.0, 5_000.0), "20k");
        assert_eq!(tick_text(2_000.0, 1_000.0), "2000");
        assert_eq!(tick_text(0.05, 0.05), "0.05");
    }

    #[test]
    fn values_labels_and_ids() {
        assert_eq!(value_text(1.23456), "1.235");
        assert_eq!(value_text(0.00001234), "1.234e-5");
        assert_eq!(value_text(-250.0), "-250");
        assert_eq!(value_text(f64::INFINITY), "n/a");
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("abc", 4), "abc");
        assert_eq!(safe_id("pca plot<1>"), "pca-plot-1-");
        assert_eq!(safe_id("1x"), "p-1x");
        assert_eq!(safe_id(""), "plot");
    }
}
