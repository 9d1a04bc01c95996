//! "Nice" numbers for axes and bins: steps of 1, 2 or 5 times a power of ten.

/// The smallest step of the form {1, 2, 5} x 10^k that is at least `raw`.
///
/// A non-positive or non-finite `raw` gives 1.
///
/// ```
/// use synthome_analysis::nice_step;
/// assert_eq!(nice_step(0.13), 0.2);
/// assert_eq!(nice_step(3.0), 5.0);
/// assert_eq!(nice_step(7_000.0), 10_000.0);
/// assert_eq!(nice_step(2.0), 2.0);
/// ```
pub fn nice_step(raw: f64) -> f64 {
    if !raw.is_finite() || raw <= 0.0 {
        return 1.0;
    }
    let exponent = libm::floor(libm::log10(raw));
    let power = libm::pow(10.0, exponent);
    let fraction = raw / power;
    // Guard against log10 rounding just below a power of ten.
    let factor = [1.0, 2.0, 5.0, 10.0, 20.0]
        .into_iter()
        .find(|&factor| factor * (1.0 + 1e-12) >= fraction)
        .unwrap_or(20.0);
    factor * power
}

/// An axis range widened to multiples of a nice step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NiceScale {
    /// Lower end (a multiple of `step`).
    pub min: f64,
    /// Upper end (a multiple of `step`).
    pub max: f64,
    /// Distance between ticks.
    pub step: f64,
}

impl NiceScale {
    /// A scale covering `[low, high]` with about `target` intervals.
    ///
    /// Equal ends are widened around the value; non-finite ends give `[0, 1]`.
    ///
    /// ```
    /// use synthome_analysis::NiceScale;
    /// let scale = NiceScale::new(0.3, 9.6, 5);
    /// assert_eq!((scale.min, scale.max, scale.step), (0.0, 10.0, 2.0));
    /// assert_eq!(scale.ticks(), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
    /// ```
    pub fn new(low: f64, high: f64, target: usize) -> Self {
        let (low, high) = match (low.is_finite(), high.is_finite()) {
            (true, true) if low <= high => (low, high),
            (true, true) => (high, low),
            _ => (0.0, 1.0),
        };
        let (low, high) = if low == high {
            let pad = if low == 0.0 { 1.0 } else { low.abs() * 0.1 };
            (low - pad, high + pad)
        } else {
            (low, high)
        };
        let step = nice_step((high - low) / target.max(1) as f64);
        Self {
            min: libm::floor(low / step) * step,
            max: libm::ceil(high / step) * step,
            step,
        }
    }

    /// Tick values from `min` to `max`, computed as integer multiples of the step.
    pub fn ticks(&self) -> Vec<f64> {
        let first = libm::round(self.min / self.step) as i64;
        let last = libm::round(self.max / self.step) as i64;
        (first..=last).map(|k| k as f64 * self.step).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_one_two_or_five() {
        assert_eq!(nice_step(1.0), 1.0);
        assert_eq!(nice_step(1.01), 2.0);
        assert_eq!(nice_step(4.99), 5.0);
        assert_eq!(nice_step(5.01), 10.0);
        assert_eq!(nice_step(1e-3), 1e-3);
        assert_eq!(nice_step(0.0), 1.0);
        assert_eq!(nice_step(f64::NAN), 1.0);
    }

    #[test]
    fn scales_cover_their_range() {
        for (low, high) in [
            (0.3, 9.6),
            (-3.2, 17.0),
            (1e6, 2.3e7),
            (5.0, 5.0),
            (0.0, 0.0),
        ] {
            let scale = NiceScale::new(low, high, 5);
            assert!(scale.min <= low.min(high) && scale.max >= high.max(low));
            let ticks = scale.ticks();
            assert!(ticks.len() >= 2 && ticks.len() <= 12, "{ticks:?}");
        }
        let reversed = NiceScale::new(10.0, 0.0, 5);
        assert_eq!((reversed.min, reversed.max), (0.0, 10.0));
        let infinite = NiceScale::new(f64::NEG_INFINITY, 1.0, 5);
        assert_eq!((infinite.min, infinite.max), (0.0, 1.0));
    }
}
