//! A dense row-major matrix: one row per sample, one column per gene.

use crate::MatrixError;

/// A dense row-major matrix whose buffer length is checked to be `n_rows * n_cols`.
#[derive(Debug, Clone, PartialEq)]
pub struct Dense<T> {
    n_rows: usize,
    n_cols: usize,
    data: Vec<T>,
}

impl<T> Dense<T> {
    /// Wraps a row-major buffer of `n_rows * n_cols` values.
    pub fn new(n_rows: usize, n_cols: usize, data: Vec<T>) -> Result<Self, MatrixError> {
        let expected = n_rows
            .checked_mul(n_cols)
            .ok_or(MatrixError::DenseTooLarge { n_rows, n_cols })?;
        if data.len() != expected {
            return Err(MatrixError::DenseLength {
                n_rows,
                n_cols,
                expected,
                actual: data.len(),
            });
        }
        Ok(Self {
            n_rows,
            n_cols,
            data,
        })
    }

    /// Number of rows (samples).
    pub fn n_rows(&self) -> usize {
        self.n_rows
    }

    /// Number of columns (genes).
    pub fn n_cols(&self) -> usize {
        self.n_cols
    }

    /// The whole row-major buffer.
    pub fn data(&self) -> &[T] {
        &self.data
    }

    /// Gives the buffer back (for zero-copy transfer).
    pub fn into_data(self) -> Vec<T> {
        self.data
    }

    /// One row, or `None` when `row` is out of range.
    pub fn row(&self, row: usize) -> Option<&[T]> {
        if row >= self.n_rows {
            return None;
        }
        let start = row * self.n_cols;
        self.data.get(start..start + self.n_cols)
    }

    /// The rows in order.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = &[T]> + '_ {
        (0..self.n_rows).map(move |row| {
            let start = row * self.n_cols;
            &self.data[start..start + self.n_cols]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_the_buffer_length() {
        assert_eq!(
            Dense::new(2, 3, vec![0u32; 5]).err(),
            Some(MatrixError::DenseLength {
                n_rows: 2,
                n_cols: 3,
                expected: 6,
                actual: 5
            })
        );
        assert!(Dense::new(usize::MAX, 2, Vec::<u32>::new()).is_err());
    }

    #[test]
    fn rows_split_the_buffer_in_order() {
        let dense = Dense::new(2, 2, vec![1u32, 2, 3, 4]).unwrap_or_else(|error| panic!("{error}"));
        let rows: Vec<&[u32]> = dense.rows().collect();
        assert_eq!(rows, vec![&[1, 2][..], &[3, 4][..]]);
        assert_eq!(dense.row(1), Some(&[3u32, 4][..]));
        assert_eq!(dense.row(2), None);
    }

    #[test]
    fn zero_columns_give_empty_rows() {
        let dense = Dense::<f32>::new(3, 0, vec![]).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(dense.rows().count(), 3);
        assert!(dense.rows().all(<[f32]>::is_empty));
    }
}
