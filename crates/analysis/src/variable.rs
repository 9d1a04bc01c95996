//! The most variable genes: highest variance of log CPM across samples, computed from sparse
//! statistics (zeros are never visited).

use synthome_matrix::ExpressionMatrix;

use crate::moments;

/// The `n` genes with the highest log CPM variance across all samples, most variable first
/// (ties by gene index). Genes with zero variance are never chosen, so fewer than `n` may come
/// back.
pub fn top_variable_genes(matrix: &ExpressionMatrix, n: usize) -> Vec<usize> {
    top_by_variance(&moments::all_samples(matrix).variance, n)
}

/// Indices of the `n` largest positive variances, largest first, ties by index.
pub(crate) fn top_by_variance(variance: &[f64], n: usize) -> Vec<usize> {
    let mut genes: Vec<usize> = (0..variance.len())
        .filter(|&gene| variance[gene] > 0.0)
        .collect();
    let by_variance = |a: &usize, b: &usize| variance[*b].total_cmp(&variance[*a]).then(a.cmp(b));
    if genes.len() > n && n > 0 {
        genes.select_nth_unstable_by(n - 1, by_variance);
    }
    genes.truncate(n);
    genes.sort_by(by_variance);
    genes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_matrix::counts_matrix;

    #[test]
    fn picks_the_largest_positive_variances_in_order() {
        let variance = [0.5, 0.0, 2.0, 0.5, 1.0];
        assert_eq!(top_by_variance(&variance, 3), vec![2, 4, 0]);
        assert_eq!(top_by_variance(&variance, 10), vec![2, 4, 0, 3]);
        assert_eq!(top_by_variance(&variance, 0), Vec::<usize>::new());
    }

    #[test]
    fn genes_that_vary_come_first() {
        let matrix = counts_matrix(&[
            vec![10, 10, 0, 100],
            vec![10, 10, 50, 100],
            vec![10, 10, 0, 100],
        ]);
        assert_eq!(top_variable_genes(&matrix, 2)[0], 2);
    }
}
