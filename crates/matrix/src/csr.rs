//! Compressed sparse row counts: one row per cell, only non-zero genes stored.

use crate::MatrixError;

/// A CSR matrix of counts (rows = cells, columns = genes).
///
/// Invariants checked at construction: `indptr` has `n_rows + 1` non-decreasing entries from 0 to
/// `data.len()`, `indices` and `data` have the same length, and within a row the column indices
/// are strictly increasing and below `n_cols`. Stored values may be zero only if the producer put
/// them there; writers keep them as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Csr {
    n_rows: usize,
    n_cols: usize,
    indptr: Vec<u32>,
    indices: Vec<u32>,
    data: Vec<u32>,
}

impl Csr {
    /// Checks and wraps the three CSR arrays.
    pub fn new(
        n_rows: usize,
        n_cols: usize,
        indptr: Vec<u32>,
        indices: Vec<u32>,
        data: Vec<u32>,
    ) -> Result<Self, MatrixError> {
        if indptr.len() != n_rows + 1 {
            return Err(MatrixError::Csr(format!(
                "indptr has {} entries but {n_rows} rows need {}",
                indptr.len(),
                n_rows + 1
            )));
        }
        if indices.len() != data.len() {
            return Err(MatrixError::Csr(format!(
                "indices has {} entries but data has {}; they must match",
                indices.len(),
                data.len()
            )));
        }
        if indptr.first() != Some(&0) {
            return Err(MatrixError::Csr("indptr must start at 0".into()));
        }
        if indptr.last().map(|&end| end as usize) != Some(data.len()) {
            return Err(MatrixError::Csr(format!(
                "indptr must end at the number of stored values ({})",
                data.len()
            )));
        }
        for (row, bounds) in indptr.windows(2).enumerate() {
            let (start, end) = (bounds[0] as usize, bounds[1] as usize);
            if start > end {
                return Err(MatrixError::Csr(format!("indptr decreases at row {row}")));
            }
            let row_indices = &indices[start..end];
            if row_indices.iter().any(|&col| col as usize >= n_cols) {
                return Err(MatrixError::Csr(format!(
                    "row {row} has a column index at or above the {n_cols} columns"
                )));
            }
            if row_indices.windows(2).any(|pair| pair[0] >= pair[1]) {
                return Err(MatrixError::Csr(format!(
                    "row {row} has column indices that are not strictly increasing"
                )));
            }
        }
        Ok(Self {
            n_rows,
            n_cols,
            indptr,
            indices,
            data,
        })
    }

    /// Number of rows (cells).
    pub fn n_rows(&self) -> usize {
        self.n_rows
    }

    /// Number of columns (genes).
    pub fn n_cols(&self) -> usize {
        self.n_cols
    }

    /// Number of stored values.
    pub fn nnz(&self) -> usize {
        self.data.len()
    }

    /// Row pointers: row `r` is stored at `indptr[r]..indptr[r + 1]`.
    pub fn indptr(&self) -> &[u32] {
        &self.indptr
    }

    /// Column index of each stored value.
    pub fn indices(&self) -> &[u32] {
        &self.indices
    }

    /// Stored values.
    pub fn data(&self) -> &[u32] {
        &self.data
    }

    /// The three arrays, (indptr, indices, data), without copying them.
    pub fn into_parts(self) -> (Vec<u32>, Vec<u32>, Vec<u32>) {
        (self.indptr, self.indices, self.data)
    }

    /// One row as (column indices, values), or `None` when `row` is out of range.
    pub fn row(&self, row: usize) -> Option<(&[u32], &[u32])> {
        let start = *self.indptr.get(row)? as usize;
        let end = *self.indptr.get(row + 1)? as usize;
        Some((&self.indices[start..end], &self.data[start..end]))
    }

    /// The rows in order, each as (column indices, values).
    pub fn rows(&self) -> impl ExactSizeIterator<Item = (&[u32], &[u32])> + '_ {
        self.indptr.windows(2).map(move |bounds| {
            let (start, end) = (bounds[0] as usize, bounds[1] as usize);
            (&self.indices[start..end], &self.data[start..end])
        })
    }
}

/// Builds a [`Csr`] row by row without ever holding a dense row.
#[derive(Debug, Clone)]
pub struct CsrBuilder {
    n_cols: usize,
    indptr: Vec<u32>,
    indices: Vec<u32>,
    data: Vec<u32>,
}

impl CsrBuilder {
    /// Starts an empty matrix with `n_cols` columns.
    pub fn new(n_cols: usize) -> Self {
        Self {
            n_cols,
            indptr: vec![0],
            indices: Vec::new(),
            data: Vec::new(),
        }
    }

    /// Starts an empty matrix, reserving room for `n_rows` rows and `nnz` stored values.
    pub fn with_capacity(n_cols: usize, n_rows: usize, nnz: usize) -> Self {
        let mut indptr = Vec::with_capacity(n_rows + 1);
        indptr.push(0);
        Self {
            n_cols,
            indptr,
            indices: Vec::with_capacity(nnz),
            data: Vec::with_capacity(nnz),
        }
    }

    /// Stored values appended so far.
    pub fn nnz(&self) -> usize {
        self.data.len()
    }

    /// Reserves room for `rows` more rows of `nnz` stored values in all, exactly (no doubling),
    /// so a matrix whose size is estimated early is not copied as it grows.
    pub fn reserve(&mut self, rows: usize, nnz: usize) {
        self.indptr.reserve_exact(rows);
        self.indices.reserve_exact(nnz);
        self.data.reserve_exact(nnz);
    }

    /// Appends one row given as strictly increasing column indices and their values.
    pub fn push_row(&mut self, indices: &[u32], values: &[u32]) -> Result<(), MatrixError> {
        let row = self.indptr.len() - 1;
        if indices.len() != values.len() {
            return Err(MatrixError::Csr(format!(
                "row {row} has {} column indices but {} values",
                indices.len(),
                values.len()
            )));
        }
        if indices.iter().any(|&col| col as usize >= self.n_cols) {
            return Err(MatrixError::Csr(format!(
                "row {row} has a column index at or above the {} columns",
                self.n_cols
            )));
        }
        if indices.windows(2).any(|pair| pair[0] >= pair[1]) {
            return Err(MatrixError::Csr(format!(
                "row {row} has column indices that are not strictly increasing"
            )));
        }
        let end = u32::try_from(self.data.len() + values.len())
            .map_err(|_| MatrixError::Csr(format!("more than {} stored values", u32::MAX)))?;
        self.indices.extend_from_slice(indices);
        self.data.extend_from_slice(values);
        self.indptr.push(end);
        Ok(())
    }

    /// Number of rows pushed so far.
    pub fn n_rows(&self) -> usize {
        self.indptr.len() - 1
    }

    /// Finishes the matrix.
    pub fn finish(self) -> Csr {
        Csr {
            n_rows: self.indptr.len() - 1,
            n_cols: self.n_cols,
            indptr: self.indptr,
            indices: self.indices,
            data: self.data,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_err(indptr: Vec<u32>, indices: Vec<u32>, data: Vec<u32>, needle: &str) {
        let rows = indptr.len().saturating_sub(1);
        match Csr::new(rows, 3, indptr, indices, data) {
            Err(MatrixError::Csr(message)) => assert!(message.contains(needle), "{message}"),
            other => panic!("expected a CSR error containing {needle:?}, got {other:?}"),
        }
    }

    #[test]
    fn rejects_malformed_structures() {
        check_err(vec![1, 1], vec![0], vec![1], "start at 0");
        check_err(vec![0, 2], vec![0], vec![1, 1], "indices has 1");
        check_err(vec![0, 1], vec![0, 1], vec![1, 1], "end at");
        check_err(vec![0, 2, 1, 2], vec![0, 1], vec![1, 1], "decreases");
        check_err(vec![0, 1], vec![3], vec![1], "at or above");
        check_err(vec![0, 2], vec![1, 1], vec![1, 1], "strictly increasing");
        assert!(matches!(
            Csr::new(2, 3, vec![0], vec![], vec![]),
            Err(MatrixError::Csr(_))
        ));
    }

    #[test]
    fn into_parts_gives_back_the_arrays_without_copying() {
        let indices = vec![2, 0, 1];
        let address = indices.as_ptr();
        let csr = Csr::new(2, 3, vec![0, 1, 3], indices, vec![7, 1, 2]).expect("valid");
        let (indptr, indices, data) = csr.into_parts();
        assert_eq!(
            (indptr, &indices, data),
            (vec![0, 1, 3], &vec![2, 0, 1], vec![7, 1, 2])
        );
        assert_eq!(indices.as_ptr(), address, "the same buffer, not a copy");
    }

    #[test]
    fn builder_and_constructor_agree() {
        let mut builder = CsrBuilder::new(3);
        builder
            .push_row(&[0, 2], &[5, 1])
            .unwrap_or_else(|error| panic!("{error}"));
        assert_eq!((builder.n_rows(), builder.nnz()), (1, 2));
        // Reserving room (even too little) changes nothing but capacity.
        builder.reserve(2, 1);
        builder
            .push_row(&[], &[])
            .unwrap_or_else(|error| panic!("{error}"));
        builder
            .push_row(&[1], &[7])
            .unwrap_or_else(|error| panic!("{error}"));
        let built = builder.finish();
        let direct = Csr::new(3, 3, vec![0, 2, 2, 3], vec![0, 2, 1], vec![5, 1, 7])
            .unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(built, direct);
        assert_eq!(built.row(1), Some((&[][..], &[][..])));
        assert_eq!(built.row(2), Some((&[1u32][..], &[7u32][..])));
        assert_eq!(built.row(3), None);
        assert_eq!(built.rows().count(), 3);
        assert_eq!(built.nnz(), 3);
    }

    #[test]
    fn builder_rejects_bad_rows() {
        let mut builder = CsrBuilder::new(3);
        assert!(builder.push_row(&[0, 1], &[1]).is_err());
        assert!(builder.push_row(&[3], &[1]).is_err());
        assert!(builder.push_row(&[2, 1], &[1, 1]).is_err());
        assert_eq!(builder.n_rows(), 0);
    }
}
