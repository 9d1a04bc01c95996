//! A figure's mean and spread over repeated splits

use serde::Serialize;

/// Mean, standard deviation, range and count of one figure over the splits
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spread {
    /// Mean
    pub mean: f64,
    /// Sample standard deviation (0 for one value)
    pub sd: f64,
    /// Smallest value
    pub min: f64,
    /// Largest value
    pub max: f64,
    /// Number of values
    pub n: usize,
}

impl Spread {
    /// The spread of the finite `values`; `None` when there are none
    pub fn of(values: &[f64]) -> Option<Spread> {
        let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        if finite.is_empty() {
            return None;
        }
        let n = finite.len();
        let mean = finite.iter().sum::<f64>() / n as f64;
        let sd = if n > 1 {
            (finite.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1) as f64).sqrt()
        } else {
            0.0
        };
        Some(Spread {
            mean,
            sd,
            min: finite.iter().copied().fold(f64::INFINITY, f64::min),
            max: finite.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            n,
        })
    }

    /// `mean ± sd` with `digits` decimals (just the mean for one value)
    pub fn show(&self, digits: usize) -> String {
        if self.n > 1 {
            format!("{:.digits$} ± {:.digits$}", self.mean, self.sd)
        } else {
            format!("{:.digits$}", self.mean)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_ignores_missing_values() {
        let s = Spread::of(&[1.0, f64::NAN, 3.0]).expect("two values");
        assert_eq!((s.mean, s.n, s.min, s.max), (2.0, 2, 1.0, 3.0));
        assert!((s.sd - 2f64.sqrt()).abs() < 1e-12);
        assert_eq!(s.show(1), "2.0 ± 1.4");
        assert!(Spread::of(&[f64::NAN]).is_none());
    }
}
