//! Log CPM, the scale every analysis here works on: `log2(value / library_size * 1e6 + 1)`.
//!
//! This is the convention of `ExpressionMatrix::log_cpm` (base 2, pseudo-count 1 after scaling
//! to counts per million), so fold changes come out as log2 fold changes. A sample whose library
//! size is 0 has log CPM 0 everywhere. Zeros stay zeros, which lets sparse input skip them.

use synthome_matrix::Row;

/// Log CPM of one value in a sample of the given library size.
///
/// ```
/// assert_eq!(synthome_analysis::log_cpm(0.0, 1e6), 0.0);
/// assert_eq!(synthome_analysis::log_cpm(1.0, 1e6), 1.0); // 1 CPM -> log2(2)
/// assert_eq!(synthome_analysis::log_cpm(5.0, 0.0), 0.0);
/// ```
pub fn log_cpm(value: f64, library_size: f64) -> f64 {
    log_cpm_scaled(value, cpm_scale(library_size))
}

/// The factor that turns a value into CPM for a sample of this library size (0 for an empty
/// sample).
pub(crate) fn cpm_scale(library_size: f64) -> f64 {
    if library_size > 0.0 {
        1e6 / library_size
    } else {
        0.0
    }
}

/// Log CPM of a value given the sample's [`cpm_scale`].
pub(crate) fn log_cpm_scaled(value: f64, scale: f64) -> f64 {
    (value * scale + 1.0).log2()
}

/// Calls `visit(gene, log_cpm)` for every gene of the row whose value is not zero, in gene order.
///
/// Zeros have log CPM 0 and are skipped, so callers account for them from counts. Integer
/// rows with many stored values look small counts up in a table made for the row (the same
/// formula, so the same bits), which saves most of the logarithms.
pub(crate) fn for_each_nonzero(row: Row<'_>, scale: f64, mut visit: impl FnMut(usize, f64)) {
    let stored = match row {
        Row::Counts(values) => values.len(),
        Row::Sparse { values, .. } => values.len(),
        Row::Expected(_) => 0,
    };
    if stored < TABLE_WORTH_FROM {
        for_each_nonzero_value(row, |gene, value| {
            visit(gene, log_cpm_scaled(value, scale));
        });
        return;
    }
    let mut table = [0.0f64; TABLE_SIZE];
    for (count, slot) in table.iter_mut().enumerate() {
        *slot = log_cpm_scaled(count as f64, scale);
    }
    let log_count = |count: u32| match table.get(count as usize) {
        Some(&value) => value,
        None => log_cpm_scaled(f64::from(count), scale),
    };
    match row {
        Row::Counts(values) => {
            for (gene, &count) in values.iter().enumerate() {
                if count != 0 {
                    visit(gene, log_count(count));
                }
            }
        }
        Row::Sparse { indices, values } => indices.for_each_with(values, |gene, count| {
            if count != 0 {
                visit(gene as usize, log_count(count));
            }
        }),
        Row::Expected(_) => {}
    }
}

/// Counts below this come from the per-row table.
const TABLE_SIZE: usize = 256;
/// Rows with fewer stored values compute every logarithm (the table would cost more).
const TABLE_WORTH_FROM: usize = 4 * TABLE_SIZE;

/// Calls `visit(gene, value)` with the raw value of every gene of the row that is not zero, in
/// gene order.
pub(crate) fn for_each_nonzero_value(row: Row<'_>, mut visit: impl FnMut(usize, f64)) {
    match row {
        Row::Counts(values) => {
            for (gene, &count) in values.iter().enumerate() {
                if count != 0 {
                    visit(gene, f64::from(count));
                }
            }
        }
        Row::Expected(values) => {
            for (gene, &value) in values.iter().enumerate() {
                if value != 0.0 {
                    visit(gene, f64::from(value));
                }
            }
        }
        Row::Sparse { indices, values } => indices.for_each_with(values, |gene, count| {
            if count != 0 {
                visit(gene as usize, f64::from(count));
            }
        }),
    }
}

/// Log CPM of one gene of a row (0 when the gene has no stored value).
pub(crate) fn at(row: Row<'_>, gene: usize, scale: f64) -> f64 {
    let value = match row {
        Row::Counts(values) => values.get(gene).map_or(0.0, |&count| f64::from(count)),
        Row::Expected(values) => values.get(gene).map_or(0.0, |&value| f64::from(value)),
        Row::Sparse { indices, values } => u32::try_from(gene)
            .ok()
            .and_then(|gene| indices.position_sorted(gene))
            .and_then(|position| values.get(position))
            .map_or(0.0, f64::from),
    };
    log_cpm_scaled(value, scale)
}

#[cfg(test)]
mod tests {
    use super::*;
    use synthome_matrix::Packed;

    #[test]
    fn zero_library_gives_zero() {
        assert_eq!(log_cpm(10.0, 0.0), 0.0);
        assert_eq!(log_cpm(0.0, 0.0), 0.0);
    }

    #[test]
    fn matches_the_definition() {
        let value = log_cpm(3.0, 4.0);
        assert!((value - (750_001.0f64).log2()).abs() < 1e-12);
    }

    #[test]
    fn nonzero_visits_agree_across_row_kinds() {
        let counts = [0u32, 4, 0, 1];
        let expected = [0.0f32, 4.0, 0.0, 1.0];
        let indices = [1u16, 3];
        let sparse_values = [4u32, 1];
        let rows = [
            Row::Counts(&counts),
            Row::Expected(&expected),
            Row::Sparse {
                indices: Packed::U16(&indices),
                values: Packed::U32(&sparse_values),
            },
        ];
        for row in rows {
            let mut seen = Vec::new();
            for_each_nonzero(row, 0.2, |gene, value| seen.push((gene, value)));
            assert_eq!(seen, vec![(1, 1.8f64.log2()), (3, 1.2f64.log2())]);
            assert_eq!(at(row, 1, 0.2), 1.8f64.log2());
            assert_eq!(at(row, 2, 0.2), 0.0);
            assert_eq!(at(row, 9, 0.2), 0.0);
        }
    }

    #[test]
    fn table_lookups_give_the_same_bits() {
        let counts: Vec<u32> = (0..3000).map(|i| (i * 7919) % 700).collect();
        let scale = cpm_scale(counts.iter().map(|&c| f64::from(c)).sum());
        let mut seen = Vec::new();
        for_each_nonzero(Row::Counts(&counts), scale, |gene, value| {
            seen.push((gene, value))
        });
        let direct: Vec<(usize, f64)> = counts
            .iter()
            .enumerate()
            .filter(|&(_, &c)| c != 0)
            .map(|(gene, &c)| (gene, log_cpm_scaled(f64::from(c), scale)))
            .collect();
        assert_eq!(seen, direct);
    }
}
