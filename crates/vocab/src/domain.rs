//! What values a key accepts: a set of terms, a quantity with a unit, or a plain number

use crate::error::VocabError;
use crate::index::TermIndex;

/// The canonical unit of a quantity key; query values are converted into it
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum QuantityUnit {
    /// Time in hours (perturbation_time)
    Hours,
    /// Molar concentration in micromolar (perturbation_dose, "10 um")
    Micromolar,
    /// Dose per body mass in milligrams per kilogram (perturbation_dose, "1 mg/kg")
    MilligramsPerKilogram,
    /// Mass concentration in micrograms per millilitre (perturbation_dose, "100 ng/ml")
    MicrogramsPerMilliliter,
}

/// What a quantity measures, which decides the keys it may be used for
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuantityKind {
    /// A duration (perturbation_time)
    Time,
    /// An amount of a perturbation (perturbation_dose)
    Dose,
}

impl QuantityUnit {
    /// Every unit, in code order
    pub const ALL: [QuantityUnit; 4] = [
        QuantityUnit::Hours,
        QuantityUnit::Micromolar,
        QuantityUnit::MilligramsPerKilogram,
        QuantityUnit::MicrogramsPerMilliliter,
    ];

    /// The unit as written in queries after a number (`24 hours`, `10 um`, `1 mg/kg`, `5 ug/ml`)
    pub fn symbol(self) -> &'static str {
        match self {
            QuantityUnit::Hours => "hours",
            QuantityUnit::Micromolar => "um",
            QuantityUnit::MilligramsPerKilogram => "mg/kg",
            QuantityUnit::MicrogramsPerMilliliter => "ug/ml",
        }
    }

    /// Whether the unit measures time or dose
    pub fn kind(self) -> QuantityKind {
        match self {
            QuantityUnit::Hours => QuantityKind::Time,
            QuantityUnit::Micromolar
            | QuantityUnit::MilligramsPerKilogram
            | QuantityUnit::MicrogramsPerMilliliter => QuantityKind::Dose,
        }
    }

    /// The unit's code in the binary encoding
    pub(crate) fn code(self) -> u8 {
        match self {
            QuantityUnit::Hours => 0,
            QuantityUnit::Micromolar => 1,
            QuantityUnit::MilligramsPerKilogram => 2,
            QuantityUnit::MicrogramsPerMilliliter => 3,
        }
    }

    /// The unit with this code, if any
    pub(crate) fn from_code(code: u8) -> Option<QuantityUnit> {
        QuantityUnit::ALL.get(usize::from(code)).copied()
    }
}

impl std::fmt::Display for QuantityUnit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.symbol())
    }
}

/// The values a model accepts for one metadata key
#[derive(Debug, Clone)]
pub enum KeyDomain {
    /// Ontology ids or enumeration values
    Terms(TermIndex),
    /// A number with a unit, accepted within `[min, max]` (in `unit`)
    Quantity {
        /// Canonical unit of `min`, `max` and `known`
        unit: QuantityUnit,
        /// Smallest accepted value
        min: f64,
        /// Largest accepted value
        max: f64,
        /// Values seen in the training data, ascending (used for suggestions)
        known: Vec<f64>,
    },
    /// A unitless number accepted within `[min, max]` (age_years)
    Number {
        /// Smallest accepted value
        min: f64,
        /// Largest accepted value
        max: f64,
    },
}

impl KeyDomain {
    /// The term index, when this domain is a set of terms
    pub fn terms(&self) -> Option<&TermIndex> {
        match self {
            KeyDomain::Terms(index) => Some(index),
            KeyDomain::Quantity { .. } | KeyDomain::Number { .. } => None,
        }
    }

    /// Whether the domain accepts no value at all (an empty term set)
    pub fn is_empty(&self) -> bool {
        match self {
            KeyDomain::Terms(index) => index.is_empty(),
            KeyDomain::Quantity { .. } | KeyDomain::Number { .. } => false,
        }
    }

    /// Checks ranges: finite bounds, `min <= max`, finite known values (sorted on the way)
    pub(crate) fn checked(self, key: &str) -> Result<KeyDomain, VocabError> {
        let invalid = |detail: String| VocabError::InvalidRange {
            key: key.to_owned(),
            detail,
        };
        match self {
            KeyDomain::Terms(index) => Ok(KeyDomain::Terms(index)),
            KeyDomain::Quantity {
                unit,
                min,
                max,
                mut known,
            } => {
                check_bounds(min, max).map_err(invalid)?;
                if let Some(bad) = known.iter().find(|value| !value.is_finite()) {
                    return Err(invalid(format!("known value {bad} is not a finite number")));
                }
                known.sort_by(f64::total_cmp);
                known.dedup();
                Ok(KeyDomain::Quantity {
                    unit,
                    min,
                    max,
                    known,
                })
            }
            KeyDomain::Number { min, max } => {
                check_bounds(min, max).map_err(invalid)?;
                Ok(KeyDomain::Number { min, max })
            }
        }
    }
}

/// Bounds must be finite and ordered
fn check_bounds(min: f64, max: f64) -> Result<(), String> {
    if !min.is_finite() || !max.is_finite() {
        return Err(format!("bounds {min} and {max} must be finite numbers"));
    }
    if min > max {
        return Err(format!("min {min} is larger than max {max}"));
    }
    Ok(())
}
