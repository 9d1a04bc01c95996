//! Unsigned integers stored in two bytes each when they all fit, four otherwise.
//!
//! A single-cell result holds tens of millions of stored values; gene indices below 65,536 and
//! counts below 65,536 are the rule, so a [`Csr`](crate::Csr) keeps its indices and values as
//! [`PackedVec`]s: half the memory of `u32`s, the same numbers.

use std::ops::Range;

/// An owned sequence of `u32` values, stored as `u16` when every value fits (the canonical
/// form: two sequences with the same values have the same width, so they compare equal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackedVec {
    /// Every value is at most `u16::MAX`.
    U16(Vec<u16>),
    /// Some value is above `u16::MAX`.
    U32(Vec<u32>),
}

impl Default for PackedVec {
    fn default() -> Self {
        Self::U16(Vec::new())
    }
}

impl PackedVec {
    /// Packs `values` (two bytes each when they all fit).
    pub fn from_u32(values: Vec<u32>) -> Self {
        if values.iter().all(|&value| value <= u32::from(u16::MAX)) {
            Self::U16(values.into_iter().map(narrow).collect())
        } else {
            Self::U32(values)
        }
    }

    /// An empty sequence with room for `capacity` two-byte values.
    pub fn with_capacity(capacity: usize) -> Self {
        Self::U16(Vec::with_capacity(capacity))
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        match self {
            Self::U16(values) => values.len(),
            Self::U32(values) => values.len(),
        }
    }

    /// Whether there are no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes per value (2 or 4).
    pub fn width(&self) -> usize {
        match self {
            Self::U16(_) => 2,
            Self::U32(_) => 4,
        }
    }

    /// Reserves room for `additional` more values, exactly.
    pub fn reserve_exact(&mut self, additional: usize) {
        match self {
            Self::U16(values) => values.reserve_exact(additional),
            Self::U32(values) => values.reserve_exact(additional),
        }
    }

    /// Appends `values`, widening the whole sequence to four bytes the first time one does not
    /// fit in two.
    pub fn extend_from_slice(&mut self, values: &[u32]) {
        if let Self::U16(stored) = self {
            if values.iter().all(|&value| value <= u32::from(u16::MAX)) {
                stored.extend(values.iter().map(|&value| narrow(value)));
                return;
            }
            let mut wide = Vec::with_capacity(stored.capacity().max(stored.len() + values.len()));
            wide.extend(stored.iter().map(|&value| u32::from(value)));
            *self = Self::U32(wide);
        }
        if let Self::U32(stored) = self {
            stored.extend_from_slice(values);
        }
    }

    /// The whole sequence, borrowed.
    pub fn as_packed(&self) -> Packed<'_> {
        match self {
            Self::U16(values) => Packed::U16(values),
            Self::U32(values) => Packed::U32(values),
        }
    }
}

/// A borrowed run of packed values (a row's indices or counts).
#[derive(Debug, Clone, Copy)]
pub enum Packed<'a> {
    /// Two bytes per value.
    U16(&'a [u16]),
    /// Four bytes per value.
    U32(&'a [u32]),
}

impl Default for Packed<'_> {
    /// An empty run.
    fn default() -> Self {
        Self::U16(&[])
    }
}

impl PartialEq for Packed<'_> {
    /// Equal when the values are, whatever their width.
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<'a> Packed<'a> {
    /// Number of values.
    pub fn len(&self) -> usize {
        match self {
            Self::U16(values) => values.len(),
            Self::U32(values) => values.len(),
        }
    }

    /// Whether there are no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value at `index`, or `None` past the end.
    pub fn get(&self, index: usize) -> Option<u32> {
        match self {
            Self::U16(values) => values.get(index).map(|&value| u32::from(value)),
            Self::U32(values) => values.get(index).copied(),
        }
    }

    /// The values in `range` (which must lie within the run).
    pub fn slice(&self, range: Range<usize>) -> Packed<'a> {
        match *self {
            Self::U16(values) => Self::U16(&values[range]),
            Self::U32(values) => Self::U32(&values[range]),
        }
    }

    /// The values in order, as `u32`.
    pub fn iter(&self) -> PackedIter<'a> {
        match *self {
            Self::U16(values) => PackedIter::U16(values.iter()),
            Self::U32(values) => PackedIter::U32(values.iter()),
        }
    }

    /// The values copied out as `u32`.
    pub fn to_vec(&self) -> Vec<u32> {
        self.iter().collect()
    }

    /// Calls `visit(self[i], other[i])` for each position of the shorter run, in order: one
    /// match on the two widths, then a loop as tight as over plain slices (for a row's indices
    /// and counts in hot loops).
    #[inline]
    pub fn for_each_with(&self, other: Packed<'_>, mut visit: impl FnMut(u32, u32)) {
        fn pairs<A: Copy + Into<u32>, B: Copy + Into<u32>>(
            left: &[A],
            right: &[B],
            visit: &mut impl FnMut(u32, u32),
        ) {
            for (&left, &right) in left.iter().zip(right) {
                visit(left.into(), right.into());
            }
        }
        match (*self, other) {
            (Self::U16(left), Packed::U16(right)) => pairs(left, right, &mut visit),
            (Self::U16(left), Packed::U32(right)) => pairs(left, right, &mut visit),
            (Self::U32(left), Packed::U16(right)) => pairs(left, right, &mut visit),
            (Self::U32(left), Packed::U32(right)) => pairs(left, right, &mut visit),
        }
    }

    /// Index of `value` in a strictly increasing run (a row's column indices), or `None`.
    pub fn position_sorted(&self, value: u32) -> Option<usize> {
        match self {
            Self::U16(values) => u16::try_from(value)
                .ok()
                .and_then(|value| values.binary_search(&value).ok()),
            Self::U32(values) => values.binary_search(&value).ok(),
        }
    }
}

impl<'a> IntoIterator for Packed<'a> {
    type Item = u32;
    type IntoIter = PackedIter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// The values of a [`Packed`] run, widened to `u32`.
#[derive(Debug, Clone)]
pub enum PackedIter<'a> {
    /// Over two-byte values.
    U16(std::slice::Iter<'a, u16>),
    /// Over four-byte values.
    U32(std::slice::Iter<'a, u32>),
}

impl Iterator for PackedIter<'_> {
    type Item = u32;

    #[inline]
    fn next(&mut self) -> Option<u32> {
        match self {
            Self::U16(values) => values.next().map(|&value| u32::from(value)),
            Self::U32(values) => values.next().copied(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Self::U16(values) => values.size_hint(),
            Self::U32(values) => values.size_hint(),
        }
    }
}

impl ExactSizeIterator for PackedIter<'_> {}

fn narrow(value: u32) -> u16 {
    u16::try_from(value).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_values_take_two_bytes_and_read_back_the_same() {
        let packed = PackedVec::from_u32(vec![0, 7, 65_535]);
        assert_eq!(packed.width(), 2);
        assert_eq!(packed.as_packed().to_vec(), vec![0, 7, 65_535]);
        assert_eq!(packed.as_packed().get(2), Some(65_535));
        assert_eq!(packed.as_packed().get(3), None);
        let wide = PackedVec::from_u32(vec![1, 65_536]);
        assert_eq!(wide.width(), 4);
        assert_eq!(wide.as_packed().to_vec(), vec![1, 65_536]);
    }

    #[test]
    fn appending_a_large_value_widens_and_keeps_what_was_there() {
        let mut packed = PackedVec::with_capacity(4);
        packed.extend_from_slice(&[3, 4]);
        assert_eq!(packed.width(), 2);
        packed.extend_from_slice(&[70_000, 5]);
        assert_eq!(packed.width(), 4);
        packed.extend_from_slice(&[6]);
        assert_eq!(packed.as_packed().to_vec(), vec![3, 4, 70_000, 5, 6]);
        // The canonical form: the same values packed at once compare equal.
        assert_eq!(packed, PackedVec::from_u32(vec![3, 4, 70_000, 5, 6]));
    }

    #[test]
    fn runs_compare_by_value_and_find_sorted_positions() {
        let narrow = PackedVec::from_u32(vec![2, 5, 9]);
        let wide = PackedVec::U32(vec![2, 5, 9]);
        assert_eq!(narrow.as_packed(), wide.as_packed());
        assert_eq!(narrow.as_packed().slice(1..3).to_vec(), vec![5, 9]);
        assert_eq!(narrow.as_packed().position_sorted(5), Some(1));
        assert_eq!(narrow.as_packed().position_sorted(6), None);
        assert_eq!(narrow.as_packed().position_sorted(70_000), None);
        assert_eq!(wide.as_packed().position_sorted(9), Some(2));
        let mut pairs = Vec::new();
        narrow
            .as_packed()
            .for_each_with(wide.as_packed().slice(1..3), |left, right| {
                pairs.push((left, right))
            });
        assert_eq!(pairs, vec![(2, 5), (5, 9)]);
    }
}
