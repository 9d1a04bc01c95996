//! The low-dimensional similarity `1 / (1 + a d^(2b))` and its two parameters, fitted (as
//! umap-learn's `find_ab_params`) by least squares to the target curve that is 1 up to
//! `min_dist` and `exp(-(d - min_dist) / spread)` beyond, on 300 points of `[0, 3 spread]`.
//! The fit is Levenberg-Marquardt from `a = b = 1`; for `min_dist` 0.1 and spread 1 it gives
//! umap-learn's `a = 1.577, b = 0.895`.

/// Points of the fitted curve.
const SAMPLES: usize = 300;
/// Levenberg-Marquardt steps at most.
const MAX_STEPS: usize = 200;

/// The parameters of the embedding's similarity curve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Curve {
    pub a: f64,
    pub b: f64,
}

/// The curve for `min_dist` and `spread` (`0 <= min_dist`, `0 < spread`).
pub(super) fn fit_curve(min_dist: f64, spread: f64) -> Curve {
    let xs: Vec<f64> = (0..SAMPLES)
        .map(|i| 3.0 * spread * i as f64 / (SAMPLES - 1) as f64)
        .collect();
    let ys: Vec<f64> = xs
        .iter()
        .map(|&x| {
            if x < min_dist {
                1.0
            } else {
                libm::exp(-(x - min_dist) / spread)
            }
        })
        .collect();
    let residual_ss = |curve: Curve| -> f64 {
        xs.iter()
            .zip(&ys)
            .map(|(&x, &y)| {
                let r = similarity(curve, x) - y;
                r * r
            })
            .sum()
    };
    let mut curve = Curve { a: 1.0, b: 1.0 };
    let mut cost = residual_ss(curve);
    let mut damping = 1e-3;
    for _ in 0..MAX_STEPS {
        // Normal equations J^T J and J^T r of the residuals f(x) - y.
        let (mut jaa, mut jab, mut jbb, mut ga, mut gb) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for (&x, &y) in xs.iter().zip(&ys) {
            if x <= 0.0 {
                // f(0) = 1 whatever a and b: no gradient.
                continue;
            }
            let power = libm::pow(x, 2.0 * curve.b);
            let u = curve.a * power;
            let f = 1.0 / (1.0 + u);
            let da = -power * f * f;
            let db = -u * 2.0 * libm::log(x) * f * f;
            let r = f - y;
            jaa += da * da;
            jab += da * db;
            jbb += db * db;
            ga += da * r;
            gb += db * r;
        }
        let mut improved = false;
        while damping < 1e12 {
            let (maa, mbb) = (jaa * (1.0 + damping), jbb * (1.0 + damping));
            let determinant = maa * mbb - jab * jab;
            let step_a = -(mbb * ga - jab * gb) / determinant;
            let step_b = -(maa * gb - jab * ga) / determinant;
            let next = Curve {
                a: curve.a + step_a,
                b: curve.b + step_b,
            };
            let next_cost = if next.a > 0.0 && next.b > 0.0 {
                residual_ss(next)
            } else {
                f64::INFINITY
            };
            if next_cost < cost {
                let settled = (cost - next_cost) <= 1e-15 * cost.max(1e-300);
                curve = next;
                cost = next_cost;
                damping = (damping / 10.0).max(1e-12);
                improved = !settled;
                break;
            }
            damping *= 10.0;
        }
        if !improved {
            break;
        }
    }
    curve
}

/// `1 / (1 + a x^(2b))`.
fn similarity(curve: Curve, x: f64) -> f64 {
    1.0 / (1.0 + curve.a * libm::pow(x, 2.0 * curve.b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reproduces_umap_learns_parameters() {
        // umap-learn 0.5 find_ab_params(1.0, 0.1) = (1.5769434603113077, 0.8950608779109733);
        // find_ab_params(1.0, 0.5) = (0.5830300199950147, 1.334166992455588).
        let curve = fit_curve(0.1, 1.0);
        assert!((curve.a - 1.576_943).abs() < 1e-5, "{curve:?}");
        assert!((curve.b - 0.895_061).abs() < 1e-5, "{curve:?}");
        let wide = fit_curve(0.5, 1.0);
        assert!((wide.a - 0.583_030).abs() < 1e-5, "{wide:?}");
        assert!((wide.b - 1.334_167).abs() < 1e-5, "{wide:?}");
    }
}
