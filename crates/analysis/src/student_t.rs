//! The Student t distribution's two-sided tail probability, through the regularised incomplete
//! beta function `I_x(a, b)`.
//!
//! `P(|T| >= t) = I_{df / (df + t^2)}(df / 2, 1 / 2)`. The incomplete beta is evaluated by its
//! continued fraction (modified Lentz), on the side of the symmetry relation
//! `I_x(a, b) = 1 - I_{1-x}(b, a)` where it converges fast, with `x` and `1 - x` passed
//! separately so that tiny tail probabilities (1e-300) keep full relative precision. The log of
//! the beta function comes from `libm::lgamma`, or from Stirling's series when an argument is
//! large (Welch degrees of freedom in the millions).
//!
//! Accuracy, checked against 40-digit mpmath on a grid of t in [0.01, 40]: relative error below
//! 1e-13 for df up to a few hundred, 3e-12 at df = 1e5, growing to 1e-10 at 3e6 and 3e-9 at
//! 1e8 (the fraction's recurrence cancels when x is within 1/df of 1). Welch's df never
//! exceeds the number of samples, so the viewer stays in the accurate range; values below
//! about 1e-308 underflow to 0.

/// `I_x(a, b)`, the regularised incomplete beta function, for `a, b > 0` and `0 <= x <= 1`.
///
/// NaN for arguments outside that domain.
///
/// ```
/// use synthome_analysis::regularized_incomplete_beta;
/// assert!((regularized_incomplete_beta(2.0, 3.0, 0.4) - 0.5248).abs() < 1e-12);
/// ```
pub fn regularized_incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if !(0.0..=1.0).contains(&x) {
        return f64::NAN;
    }
    incomplete_beta(a, b, x, 1.0 - x)
}

/// Two-sided p-value `P(|T| >= |t|)` of a Student t statistic with `df > 0` degrees of freedom
/// (`df` need not be an integer, as in Welch's test).
///
/// NaN when `t` is NaN or `df` is not positive; 0 for an infinite `t`.
///
/// ```
/// use synthome_analysis::student_t_two_sided_p;
/// // scipy: 2 * stats.t.sf(2.0, 10) = 0.07338803477074037
/// assert!((student_t_two_sided_p(2.0, 10.0) - 0.07338803477074037).abs() < 1e-14);
/// ```
pub fn student_t_two_sided_p(t: f64, df: f64) -> f64 {
    if t.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    let t2 = t * t;
    if t2.is_infinite() {
        return 0.0;
    }
    let denominator = df + t2;
    incomplete_beta(df / 2.0, 0.5, df / denominator, t2 / denominator)
}

/// `I_x(a, b)` with `y = 1 - x` given exactly by the caller.
fn incomplete_beta(a: f64, b: f64, x: f64, y: f64) -> f64 {
    if a.is_nan() || b.is_nan() || a <= 0.0 || b <= 0.0 || x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if x <= 0.0 {
        return 0.0;
    }
    if y <= 0.0 {
        return 1.0;
    }
    if x > (a + 1.0) / (a + b + 2.0) {
        1.0 - front_times_fraction(b, a, y, x)
    } else {
        front_times_fraction(a, b, x, y)
    }
}

/// `x^a y^b / (a B(a, b))` times the continued fraction, on the fast-converging side.
fn front_times_fraction(a: f64, b: f64, x: f64, y: f64) -> f64 {
    // ln x from y when x is near 1 (and vice versa): a ln x with a in the millions needs
    // ln x to full relative precision.
    let log_x = if x > 0.5 {
        libm::log1p(-y)
    } else {
        libm::log(x)
    };
    let log_y = if y > 0.5 {
        libm::log1p(-x)
    } else {
        libm::log(y)
    };
    let log_front = a * log_x + b * log_y - log_beta(a, b);
    libm::exp(log_front) / a * continued_fraction(a, b, x, y)
}

/// `ln B(a, b)`. When one argument is large, `lgamma(a) - lgamma(a + b)` would cancel (both
/// near `a ln a`), so the difference comes from Stirling's series instead:
/// `ln G(a + b) - ln G(a) = (a - 1/2) ln(1 + b/a) + b ln(a + b) - b + c(a + b) - c(a)`.
fn log_beta(a: f64, b: f64) -> f64 {
    let (large, small) = if a >= b { (a, b) } else { (b, a) };
    if large < STIRLING_FROM {
        return libm::lgamma(a) + libm::lgamma(b) - libm::lgamma(a + b);
    }
    let sum = large + small;
    let log_ratio = (large - 0.5) * libm::log1p(small / large) + small * libm::log(sum) - small
        + stirling_correction(sum)
        - stirling_correction(large);
    libm::lgamma(small) - log_ratio
}

/// Argument from which Stirling's series (four terms) is accurate to about 1e-13.
const STIRLING_FROM: f64 = 10.0;

/// `ln G(x) - [(x - 1/2) ln x - x + ln(2 pi) / 2]` for `x >= 10`, from Stirling's series.
fn stirling_correction(x: f64) -> f64 {
    let inverse = 1.0 / x;
    let square = inverse * inverse;
    inverse * (1.0 / 12.0 - square * (1.0 / 360.0 - square * (1.0 / 1260.0 - square / 1680.0)))
}

/// Iterations after which the continued fraction is returned as it stands (it needs about
/// `sqrt(max(a, b))` for the arguments used here).
const MAX_TERMS: usize = 100_000;
/// Relative change of the fraction at which it has converged.
const EPSILON: f64 = 1e-16;
/// Guard against division by zero in Lentz's method.
const TINY: f64 = 1e-300;

/// The continued fraction of `I_x(a, b)` (Numerical Recipes, 3rd ed., section 6.4).
///
/// The first denominator `1 - (a + b) x / (a + 1)` cancels badly when x is near 1 and `a` is
/// large; it is then computed as `(1 - b + (a + b) y) / (a + 1)` from `y = 1 - x`.
fn continued_fraction(a: f64, b: f64, x: f64, y: f64) -> f64 {
    let guard = |value: f64| if value.abs() < TINY { TINY } else { value };
    let (sum, plus, minus) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let first = if x > 0.5 {
        (1.0 - b + sum * y) / plus
    } else {
        1.0 - sum * x / plus
    };
    let mut d = 1.0 / guard(first);
    let mut h = d;
    for m in 1..=MAX_TERMS {
        let m = m as f64;
        let even = m * (b - m) * x / ((minus + 2.0 * m) * (a + 2.0 * m));
        d = 1.0 / guard(1.0 + even * d);
        c = guard(1.0 + even / c);
        h *= d * c;
        let odd = -(a + m) * (sum + m) * x / ((a + 2.0 * m) * (plus + 2.0 * m));
        d = 1.0 / guard(1.0 + odd * d);
        c = guard(1.0 + odd / c);
        let delta = d * c;
        h *= delta;
        if (delta - 1.0).abs() <= EPSILON {
            break;
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts a relative error below `tolerance`.
    fn close(ours: f64, reference: f64, tolerance: f64) {
        let error = ((ours - reference) / reference).abs();
        assert!(
            error < tolerance,
            "{ours:e} vs {reference:e} (relative error {error:e})"
        );
    }

    #[test]
    fn incomplete_beta_matches_scipy() {
        // python3 -c "from scipy.special import betainc; print(repr(betainc(a, b, x)))"
        // (scipy 1.17.1) for each (a, b, x) below.
        let cases = [
            (0.5, 0.5, 0.1, 0.20483276469913345),
            (2.0, 3.0, 0.4, 0.5247999999999999),
            (5.0, 0.5, 0.99, 0.7571581091015623),
            (50.0, 0.5, 0.5, 9.90168898459413e-17),
            (0.1, 10.0, 0.001, 0.6596666602208251),
            (1000.0, 1000.0, 0.51, 0.8144473405684881),
            (7.5, 2.25, 0.8, 0.5360556250715174),
        ];
        for (a, b, x, expected) in cases {
            close(regularized_incomplete_beta(a, b, x), expected, 1e-12);
        }
        assert_eq!(regularized_incomplete_beta(2.0, 3.0, 0.0), 0.0);
        assert_eq!(regularized_incomplete_beta(2.0, 3.0, 1.0), 1.0);
        assert!(regularized_incomplete_beta(2.0, 3.0, 1.5).is_nan());
        assert!(regularized_incomplete_beta(-1.0, 3.0, 0.5).is_nan());
    }

    #[test]
    fn two_sided_t_p_values_match_scipy() {
        // python3 -c "from scipy import stats; print(repr(2 * stats.t.sf(t, df)))"
        // (scipy 1.17.1) for each (t, df) below, including fractional Welch df, tiny tails
        // and t near 0.
        let cases = [
            (0.5, 1.0, 0.7048327646991335),
            (2.0, 10.0, 0.07338803477074037),
            (-2.0, 10.0, 0.07338803477074037),
            (3.7, 4.3, 0.018329890420134994),
            (1e-8, 20.0, 0.9999999921202283),
            (12.0, 30.0, 5.580185415199261e-13),
            (50.0, 3.0, 1.761715204127197e-05),
            (40.0, 200.0, 2.2487396535202197e-97),
            (100.0, 1000.0, 0.0),
            (2.5, 123456.5, 0.012420617366824298),
            (1.96, 1e7, 0.04999581802531423),
            // python3: mpmath (40 digits) betainc(df/2, 1/2, 0, df/(df+t*t), regularized=True)
            (3.0, 1e5, 0.002700460884064719),
            (15.0, 3e6, 7.373245935927888e-51),
        ];
        for (t, df, expected) in cases {
            let ours = student_t_two_sided_p(t, df);
            if expected == 0.0 {
                assert!(ours < 1e-300, "{ours:e}");
            } else {
                close(ours, expected, 1e-10);
            }
        }
        assert_eq!(student_t_two_sided_p(0.0, 5.0), 1.0);
        assert_eq!(student_t_two_sided_p(f64::INFINITY, 5.0), 0.0);
        assert!(student_t_two_sided_p(f64::NAN, 5.0).is_nan());
        assert!(student_t_two_sided_p(1.0, 0.0).is_nan());
    }
}
