//! Compressed sparse row counts: one row per cell, only non-zero genes stored.

use crate::{MatrixError, Packed, PackedVec};

/// A CSR matrix of counts (rows = cells, columns = genes).
///
/// Invariants checked at construction: `indptr` has `n_rows + 1` non-decreasing entries from 0 to
/// `data.len()`, `indices` and `data` have the same length, and within a row the column indices
/// are strictly increasing and below `n_cols`. Stored values may be zero only if the producer put
/// them there; writers keep them as given. Indices and values are [`PackedVec`]s: two bytes
/// each when they fit (genes below 65,536, counts below 65,536), so a cell result takes 4 bytes
/// per stored value instead of 8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Csr {
    n_rows: usize,
    n_cols: usize,
    indptr: Vec<u32>,
    indices: PackedVec,
    data: PackedVec,
}

impl Csr {
    /// Checks and wraps the three CSR arrays (packing indices and values).
    pub fn new(
        n_rows: usize,
        n_cols: usize,
        indptr: Vec<u32>,
        indices: Vec<u32>,
        data: Vec<u32>,
    ) -> Result<Self, MatrixError> {
        Self::from_packed(
            n_rows,
            n_cols,
            indptr,
            PackedVec::from_u32(indices),
            PackedVec::from_u32(data),
        )
    }

    /// Checks and wraps CSR arrays whose indices and values are already packed (as
    /// [`Csr::into_parts`] gives them); four-byte arrays whose values all fit in two are packed.
    pub fn from_packed(
        n_rows: usize,
        n_cols: usize,
        indptr: Vec<u32>,
        indices: PackedVec,
        data: PackedVec,
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
        let columns = indices.as_packed();
        for (row, bounds) in indptr.windows(2).enumerate() {
            let (start, end) = (bounds[0] as usize, bounds[1] as usize);
            if start > end {
                return Err(MatrixError::Csr(format!("indptr decreases at row {row}")));
            }
            let mut previous = None;
            for col in columns.slice(start..end) {
                if col as usize >= n_cols {
                    return Err(MatrixError::Csr(format!(
                        "row {row} has a column index at or above the {n_cols} columns"
                    )));
                }
                if previous.is_some_and(|previous| previous >= col) {
                    return Err(MatrixError::Csr(format!(
                        "row {row} has column indices that are not strictly increasing"
                    )));
                }
                previous = Some(col);
            }
        }
        Ok(Self {
            n_rows,
            n_cols,
            indptr,
            indices: canonical(indices),
            data: canonical(data),
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

    /// Bytes the three arrays take.
    pub fn stored_bytes(&self) -> usize {
        4 * self.indptr.len()
            + self.indices.width() * self.indices.len()
            + self.data.width() * self.data.len()
    }

    /// Row pointers: row `r` is stored at `indptr[r]..indptr[r + 1]`.
    pub fn indptr(&self) -> &[u32] {
        &self.indptr
    }

    /// Column index of each stored value.
    pub fn indices(&self) -> Packed<'_> {
        self.indices.as_packed()
    }

    /// Stored values.
    pub fn data(&self) -> Packed<'_> {
        self.data.as_packed()
    }

    /// The three arrays, (indptr, indices, data), without copying them.
    pub fn into_parts(self) -> (Vec<u32>, PackedVec, PackedVec) {
        (self.indptr, self.indices, self.data)
    }

    /// One row as (column indices, values), or `None` when `row` is out of range.
    pub fn row(&self, row: usize) -> Option<(Packed<'_>, Packed<'_>)> {
        let start = *self.indptr.get(row)? as usize;
        let end = *self.indptr.get(row + 1)? as usize;
        Some((
            self.indices.as_packed().slice(start..end),
            self.data.as_packed().slice(start..end),
        ))
    }

    /// The rows in order, each as (column indices, values).
    pub fn rows(&self) -> impl ExactSizeIterator<Item = (Packed<'_>, Packed<'_>)> + '_ {
        let (indices, data) = (self.indices.as_packed(), self.data.as_packed());
        self.indptr.windows(2).map(move |bounds| {
            let range = bounds[0] as usize..bounds[1] as usize;
            (indices.slice(range.clone()), data.slice(range))
        })
    }
}

/// Four-byte arrays whose values all fit in two, packed (so equal matrices compare equal).
fn canonical(values: PackedVec) -> PackedVec {
    match values {
        PackedVec::U32(wide) => PackedVec::from_u32(wide),
        narrow => narrow,
    }
}

/// Builds a [`Csr`] row by row without ever holding a dense row.
#[derive(Debug, Clone)]
pub struct CsrBuilder {
    n_cols: usize,
    indptr: Vec<u32>,
    indices: PackedVec,
    data: PackedVec,
}

impl CsrBuilder {
    /// Starts an empty matrix with `n_cols` columns.
    pub fn new(n_cols: usize) -> Self {
        Self::with_capacity(n_cols, 0, 0)
    }

    /// Starts an empty matrix, reserving room for `n_rows` rows and `nnz` stored values.
    pub fn with_capacity(n_cols: usize, n_rows: usize, nnz: usize) -> Self {
        let mut indptr = Vec::with_capacity(n_rows + 1);
        indptr.push(0);
        Self {
            n_cols,
            indptr,
            indices: PackedVec::with_capacity(nnz),
            data: PackedVec::with_capacity(nnz),
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
        let csr = Csr::new(2, 3, vec![0, 1, 3], vec![2, 0, 1], vec![7, 1, 2]).expect("valid");
        let wide = Csr::new(1, 70_000, vec![0, 1], vec![69_999], vec![1]).expect("valid");
        let address = match wide.indices() {
            Packed::U32(values) => values.as_ptr(),
            Packed::U16(_) => panic!("an index above 65,535 needs four bytes"),
        };
        let (indptr, indices, data) = wide.into_parts();
        assert_eq!((indptr, data), (vec![0, 1], PackedVec::from_u32(vec![1])));
        match indices {
            PackedVec::U32(values) => assert_eq!(values.as_ptr(), address, "the same buffer"),
            PackedVec::U16(_) => panic!("the indices were narrowed"),
        }
        let (_, indices, data) = csr.into_parts();
        assert_eq!((indices.width(), data.width()), (2, 2));
        assert_eq!(indices.as_packed().to_vec(), vec![2, 0, 1]);
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
        assert_eq!(built.row(1), Some((Packed::U16(&[]), Packed::U16(&[]))));
        assert_eq!(built.row(2), Some((Packed::U16(&[1]), Packed::U16(&[7]))));
        assert_eq!(built.stored_bytes(), 4 * 4 + 2 * 3 + 2 * 3);
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
