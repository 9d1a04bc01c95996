//! Quantities written as a number and a unit ("24 hours", "10 um", "1 mg/kg"), converted to the
//! canonical unit of their kind

use synthome_vocab::QuantityUnit;

/// A quantity in a canonical unit
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantity {
    /// The amount in `unit`
    pub value: f64,
    /// The canonical unit
    pub unit: QuantityUnit,
}

/// Why a quantity text could not be read
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum QuantityError {
    /// No number at the start
    #[error("does not start with a number")]
    NoNumber,
    /// The number is negative or not finite
    #[error("is not a finite, non-negative number")]
    BadNumber,
    /// A number with no unit after it
    #[error("has no unit")]
    NoUnit,
    /// A unit that is not known
    #[error("has a unit that is not known")]
    UnknownUnit,
}

/// Written unit, canonical unit and the factor from the written to the canonical unit
const UNITS: &[(&str, QuantityUnit, f64)] = &[
    ("s", QuantityUnit::Hours, 1.0 / 3600.0),
    ("sec", QuantityUnit::Hours, 1.0 / 3600.0),
    ("secs", QuantityUnit::Hours, 1.0 / 3600.0),
    ("second", QuantityUnit::Hours, 1.0 / 3600.0),
    ("seconds", QuantityUnit::Hours, 1.0 / 3600.0),
    ("min", QuantityUnit::Hours, 1.0 / 60.0),
    ("mins", QuantityUnit::Hours, 1.0 / 60.0),
    ("minute", QuantityUnit::Hours, 1.0 / 60.0),
    ("minutes", QuantityUnit::Hours, 1.0 / 60.0),
    ("h", QuantityUnit::Hours, 1.0),
    ("hr", QuantityUnit::Hours, 1.0),
    ("hrs", QuantityUnit::Hours, 1.0),
    ("hour", QuantityUnit::Hours, 1.0),
    ("hours", QuantityUnit::Hours, 1.0),
    ("d", QuantityUnit::Hours, 24.0),
    ("day", QuantityUnit::Hours, 24.0),
    ("days", QuantityUnit::Hours, 24.0),
    ("w", QuantityUnit::Hours, 168.0),
    ("wk", QuantityUnit::Hours, 168.0),
    ("week", QuantityUnit::Hours, 168.0),
    ("weeks", QuantityUnit::Hours, 168.0),
    ("pm", QuantityUnit::Micromolar, 1e-6),
    ("nm", QuantityUnit::Micromolar, 1e-3),
    ("um", QuantityUnit::Micromolar, 1.0),
    ("mm", QuantityUnit::Micromolar, 1e3),
    ("m", QuantityUnit::Micromolar, 1e6),
    ("pmol/l", QuantityUnit::Micromolar, 1e-6),
    ("nmol/l", QuantityUnit::Micromolar, 1e-3),
    ("umol/l", QuantityUnit::Micromolar, 1.0),
    ("mmol/l", QuantityUnit::Micromolar, 1e3),
    ("mol/l", QuantityUnit::Micromolar, 1e6),
    ("ug/kg", QuantityUnit::MilligramsPerKilogram, 1e-3),
    ("mg/kg", QuantityUnit::MilligramsPerKilogram, 1.0),
    ("g/kg", QuantityUnit::MilligramsPerKilogram, 1e3),
    ("pg/ml", QuantityUnit::MicrogramsPerMilliliter, 1e-6),
    ("ng/ml", QuantityUnit::MicrogramsPerMilliliter, 1e-3),
    ("ug/ml", QuantityUnit::MicrogramsPerMilliliter, 1.0),
    ("mg/ml", QuantityUnit::MicrogramsPerMilliliter, 1e3),
    ("ng/ul", QuantityUnit::MicrogramsPerMilliliter, 1.0),
    ("ug/l", QuantityUnit::MicrogramsPerMilliliter, 1e-3),
    ("mg/l", QuantityUnit::MicrogramsPerMilliliter, 1.0),
    ("g/l", QuantityUnit::MicrogramsPerMilliliter, 1e3),
];

/// Reads "number unit" (space optional, unit case-insensitive, `µ`/`μ` read as `u`) into the
/// unit's canonical form: "1 day" is 24 hours, "500 nM" is 0.5 um
pub fn parse_quantity(text: &str) -> Result<Quantity, QuantityError> {
    let text = text.trim();
    let number_end = text
        .char_indices()
        .find(|&(i, c)| {
            !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-' || is_exponent(text, i, c))
        })
        .map_or(text.len(), |(i, _)| i);
    let number_text = &text[..number_end];
    if number_text.is_empty() {
        return Err(QuantityError::NoNumber);
    }
    let value: f64 = number_text.parse().map_err(|_| QuantityError::NoNumber)?;
    if !value.is_finite() || value < 0.0 {
        return Err(QuantityError::BadNumber);
    }
    let unit_text: String = text[number_end..]
        .trim()
        .chars()
        .map(|c| if c == 'µ' || c == 'μ' { 'u' } else { c })
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    if unit_text.is_empty() {
        return Err(QuantityError::NoUnit);
    }
    let (_, unit, factor) = UNITS
        .iter()
        .find(|(written, _, _)| *written == unit_text)
        .ok_or(QuantityError::UnknownUnit)?;
    let value = value * factor;
    if !value.is_finite() {
        return Err(QuantityError::BadNumber);
    }
    Ok(Quantity { value, unit: *unit })
}

/// Formats a canonical quantity the way queries write it ("24 hours", "0.5 um")
pub fn format_quantity(value: f64, unit: QuantityUnit) -> String {
    format!("{value} {}", unit.symbol())
}

/// Whether `c` at byte `i` is the `e` of an exponent: between a digit and a digit or sign
fn is_exponent(text: &str, i: usize, c: char) -> bool {
    if c != 'e' && c != 'E' {
        return false;
    }
    let before = text[..i].chars().next_back();
    let after = text[i + 1..].chars().next();
    before.is_some_and(|b| b.is_ascii_digit() || b == '.')
        && after.is_some_and(|a| a.is_ascii_digit() || a == '+' || a == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, value: f64, unit: QuantityUnit) {
        let quantity = parse_quantity(text).expect(text);
        assert_eq!(quantity.unit, unit, "{text}");
        assert!(
            (quantity.value - value).abs() <= 1e-12 * value.abs().max(1.0),
            "{text}: {}",
            quantity.value
        );
    }

    #[test]
    fn reads_units_and_converts() {
        check("24 hours", 24.0, QuantityUnit::Hours);
        check("96 hours", 96.0, QuantityUnit::Hours);
        check("24h", 24.0, QuantityUnit::Hours);
        check("2 days", 48.0, QuantityUnit::Hours);
        check("30 min", 0.5, QuantityUnit::Hours);
        check("10 um", 10.0, QuantityUnit::Micromolar);
        check("10 uM", 10.0, QuantityUnit::Micromolar);
        check("10µM", 10.0, QuantityUnit::Micromolar);
        check("500 nM", 0.5, QuantityUnit::Micromolar);
        check("1e-2 mM", 10.0, QuantityUnit::Micromolar);
        check("1 mg/kg", 1.0, QuantityUnit::MilligramsPerKilogram);
        check("100 ng/ml", 0.1, QuantityUnit::MicrogramsPerMilliliter);
        check(" 0.5  UG / ML ", 0.5, QuantityUnit::MicrogramsPerMilliliter);
    }

    #[test]
    fn rejects_what_is_not_a_quantity() {
        assert_eq!(parse_quantity("hours"), Err(QuantityError::NoNumber));
        assert_eq!(parse_quantity(""), Err(QuantityError::NoNumber));
        assert_eq!(parse_quantity("24"), Err(QuantityError::NoUnit));
        assert_eq!(
            parse_quantity("24 parsecs"),
            Err(QuantityError::UnknownUnit)
        );
        assert_eq!(parse_quantity("-1 um"), Err(QuantityError::BadNumber));
        assert_eq!(parse_quantity("1e999 um"), Err(QuantityError::BadNumber));
        assert_eq!(parse_quantity("1.2.3 um"), Err(QuantityError::NoNumber));
        assert_eq!(parse_quantity("1e308 M"), Err(QuantityError::BadNumber));
    }

    #[test]
    fn formats_in_query_style() {
        assert_eq!(format_quantity(24.0, QuantityUnit::Hours), "24 hours");
        assert_eq!(format_quantity(0.5, QuantityUnit::Micromolar), "0.5 um");
    }

    proptest::proptest! {
        #[test]
        fn never_panics(text in "\\PC{0,20}") {
            let _ = parse_quantity(&text);
        }

        #[test]
        fn formatted_quantities_read_back(value in 0.0f64..1e6, unit_index in 0usize..4) {
            let unit = QuantityUnit::ALL[unit_index];
            let read = parse_quantity(&format_quantity(value, unit)).expect("formatted quantity");
            proptest::prop_assert_eq!(read, Quantity { value, unit });
        }
    }
}
