//! Principal component scores of a few samples (many features): eigen-decomposition of the
//! samples' Gram matrix by cyclic Jacobi rotations

/// Scores of `rows[sample][feature]` on the top `k` principal components of the centred
/// data (fewer when the rank is lower); `scores[sample][component]`
pub(crate) fn scores(rows: &[Vec<f64>], k: usize) -> Vec<Vec<f64>> {
    let n = rows.len();
    let n_features = rows.first().map_or(0, Vec::len);
    let mut centre = vec![0.0; n_features];
    for row in rows {
        for (c, v) in centre.iter_mut().zip(row) {
            *c += v / n as f64;
        }
    }
    let centred: Vec<Vec<f64>> = rows
        .iter()
        .map(|row| row.iter().zip(&centre).map(|(v, c)| v - c).collect())
        .collect();
    let mut gram = vec![0.0; n * n];
    for i in 0..n {
        for j in i..n {
            let dot: f64 = centred[i].iter().zip(&centred[j]).map(|(a, b)| a * b).sum();
            gram[i * n + j] = dot;
            gram[j * n + i] = dot;
        }
    }
    let (values, vectors) = symmetric_eigen(&gram, n);
    let tolerance = values.first().copied().unwrap_or(0.0).max(0.0) * 1e-10;
    let kept = values
        .iter()
        .take(k)
        .take_while(|&&v| v > tolerance)
        .count();
    (0..n)
        .map(|i| {
            (0..kept)
                .map(|c| vectors[i * n + c] * values[c].sqrt())
                .collect()
        })
        .collect()
}

/// Eigenvalues (descending) and eigenvectors (`vectors[i * n + k]` is component i of vector k)
/// of the symmetric `n x n` matrix `a` (row-major)
pub(crate) fn symmetric_eigen(a: &[f64], n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut m = a.to_vec();
    let mut v = vec![0.0; n * n];
    for i in 0..n {
        v[i * n + i] = 1.0;
    }
    let scale: f64 = m
        .iter()
        .map(|x| x * x)
        .sum::<f64>()
        .sqrt()
        .max(f64::MIN_POSITIVE);
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| m[i * n + j] * m[i * n + j])
            .sum::<f64>()
            .sqrt();
        if off <= 1e-14 * scale {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = m[p * n + q];
                if apq.abs() <= 1e-300 {
                    continue;
                }
                let theta = (m[q * n + q] - m[p * n + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (mkp, mkq) = (m[k * n + p], m[k * n + q]);
                    m[k * n + p] = c * mkp - s * mkq;
                    m[k * n + q] = s * mkp + c * mkq;
                }
                for k in 0..n {
                    let (mpk, mqk) = (m[p * n + k], m[q * n + k]);
                    m[p * n + k] = c * mpk - s * mqk;
                    m[q * n + k] = s * mpk + c * mqk;
                }
                for k in 0..n {
                    let (vkp, vkq) = (v[k * n + p], v[k * n + q]);
                    v[k * n + p] = c * vkp - s * vkq;
                    v[k * n + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| m[j * n + j].total_cmp(&m[i * n + i]));
    let values = order.iter().map(|&i| m[i * n + i]).collect();
    let mut vectors = vec![0.0; n * n];
    for (k, &i) in order.iter().enumerate() {
        for r in 0..n {
            vectors[r * n + k] = v[r * n + i];
        }
    }
    (values, vectors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eigen_of_a_known_matrix() {
        // [[2, 1], [1, 2]] has eigenvalues 3 and 1
        let (values, vectors) = symmetric_eigen(&[2.0, 1.0, 1.0, 2.0], 2);
        assert!((values[0] - 3.0).abs() < 1e-12 && (values[1] - 1.0).abs() < 1e-12);
        assert!((vectors[0].abs() - std::f64::consts::FRAC_1_SQRT_2).abs() < 1e-12);
    }

    #[test]
    fn scores_keep_distances_and_order_variance() {
        let rows = vec![
            vec![0.0, 0.0, 1.0],
            vec![4.0, 0.0, 1.0],
            vec![0.0, 1.0, 1.0],
            vec![4.0, 1.0, 1.0],
        ];
        let s = scores(&rows, 5);
        assert_eq!(s[0].len(), 2, "rank 2");
        let d = |a: &[f64], b: &[f64]| -> f64 {
            a.iter()
                .zip(b)
                .map(|(x, y)| (x - y) * (x - y))
                .sum::<f64>()
                .sqrt()
        };
        assert!((d(&s[0], &s[3]) - d(&rows[0], &rows[3])).abs() < 1e-9);
        assert!(
            (s[0][0] - s[1][0]).abs() > 3.9,
            "first component is the wide axis"
        );
    }
}
