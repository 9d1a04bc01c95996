//! MatrixMarket coordinate files of integer counts (genes x cells, as 10x writes them)

use crate::error::BuildError;

/// A sparse matrix as read: dimensions and (row, column, value) entries, 0-based
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Triplets {
    /// Rows (genes)
    pub n_rows: usize,
    /// Columns (cells)
    pub n_cols: usize,
    /// Entries: row, column, value
    pub entries: Vec<(u32, u32, u32)>,
}

/// Reads a `%%MatrixMarket matrix coordinate integer general` text
pub(crate) fn read(text: &str, file: &str) -> Result<Triplets, BuildError> {
    let bad = |line: usize, detail: String| BuildError::Parse {
        file: file.to_owned(),
        line,
        detail,
    };
    let mut lines = text.lines().enumerate();
    let header = lines.next().map(|(_, line)| line).unwrap_or_default();
    let lower = header.to_ascii_lowercase();
    if !lower.starts_with("%%matrixmarket matrix coordinate")
        || !(lower.contains("integer") || lower.contains("real"))
    {
        return Err(bad(
            1,
            format!(
                "expected a \"%%MatrixMarket matrix coordinate integer general\" header, found {header:?}"
            ),
        ));
    }
    let mut size: Option<(usize, usize, usize)> = None;
    let mut entries = Vec::new();
    for (number, line) in lines {
        let line = line.trim();
        if line.is_empty() || line.starts_with('%') {
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        let Some((n_rows, n_cols, _)) = size else {
            let parsed: Vec<usize> = fields.iter().filter_map(|f| f.parse().ok()).collect();
            let [rows, cols, nnz] = parsed.as_slice() else {
                return Err(bad(
                    number + 1,
                    format!("expected \"rows cols entries\", found {line:?}"),
                ));
            };
            size = Some((*rows, *cols, *nnz));
            entries.reserve(*nnz);
            continue;
        };
        let [row, col, value] = fields.as_slice() else {
            return Err(bad(
                number + 1,
                format!("expected \"row column value\", found {line:?}"),
            ));
        };
        let row: usize = row
            .parse()
            .map_err(|_| bad(number + 1, format!("row {row:?} is not a number")))?;
        let col: usize = col
            .parse()
            .map_err(|_| bad(number + 1, format!("column {col:?} is not a number")))?;
        let value: f64 = value
            .parse()
            .map_err(|_| bad(number + 1, format!("value {value:?} is not a number")))?;
        if row == 0 || row > n_rows || col == 0 || col > n_cols {
            return Err(bad(
                number + 1,
                format!(
                    "entry ({row}, {col}) is outside the {n_rows} x {n_cols} matrix (indices are 1-based)"
                ),
            ));
        }
        if !(value >= 0.0 && value.fract() == 0.0 && value <= f64::from(u32::MAX)) {
            return Err(bad(
                number + 1,
                format!("value {value} is not a non-negative integer count"),
            ));
        }
        entries.push(((row - 1) as u32, (col - 1) as u32, value as u32));
    }
    let Some((n_rows, n_cols, _)) = size else {
        return Err(bad(
            2,
            "the size line \"rows cols entries\" is missing".to_owned(),
        ));
    };
    Ok(Triplets {
        n_rows,
        n_cols,
        entries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_entries_and_rejects_bad_lines() {
        let text =
            "%%MatrixMarket matrix coordinate integer general\n% comment\n3 2 2\n1 1 5\n3 2 1\n";
        let triplets = read(text, "m.mtx").unwrap_or_else(|error| panic!("{error}"));
        assert_eq!((triplets.n_rows, triplets.n_cols), (3, 2));
        assert_eq!(triplets.entries, vec![(0, 0, 5), (2, 1, 1)]);
        let outside = read(
            "%%MatrixMarket matrix coordinate integer general\n2 2 1\n3 1 1\n",
            "m.mtx",
        );
        assert!(
            outside
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
                .contains("outside")
        );
        assert!(read("hello\n", "m.mtx").is_err());
        let fraction = read(
            "%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 0.5\n",
            "m.mtx",
        );
        assert!(fraction.is_err());
    }
}
