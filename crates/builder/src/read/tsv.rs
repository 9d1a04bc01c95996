//! Tab-separated rows, one callback per row, with line numbers for errors

use std::io::{BufRead, BufReader, Read};

use crate::error::BuildError;

/// Calls `row(line_number, fields)` for every non-empty line (lines starting with `#` are
/// skipped when `skip_comments`)
pub(crate) fn for_each_row<R: Read>(
    reader: R,
    source_name: &str,
    skip_comments: bool,
    mut row: impl FnMut(usize, &[&str]) -> Result<(), BuildError>,
) -> Result<(), BuildError> {
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    let mut line = String::new();
    let mut number = 0usize;
    loop {
        line.clear();
        let read = reader
            .read_line(&mut line)
            .map_err(|error| BuildError::parse(source_name, number + 1, error.to_string()))?;
        if read == 0 {
            return Ok(());
        }
        number += 1;
        let text = line.trim_end_matches(['\n', '\r']);
        if text.is_empty() || (skip_comments && text.starts_with('#')) {
            continue;
        }
        let fields: Vec<&str> = text.split('\t').collect();
        row(number, &fields)?;
    }
}

/// Parses a number field, naming the table and line on failure (`NA` and empty are errors)
pub(crate) fn number(text: &str, source_name: &str, line: usize) -> Result<f64, BuildError> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|value| value.is_finite())
        .ok_or_else(|| {
            BuildError::parse(
                source_name,
                line,
                format!("{text:?} is not a finite number"),
            )
        })
}

/// The Ensembl id without its version (`ENSG00000000003.14` -> `ENSG00000000003`)
pub(crate) fn unversioned(id: &str) -> &str {
    match id.split_once('.') {
        Some((head, _)) if head.starts_with("ENSG") => head,
        _ => id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_skip_blank_and_comment_lines_and_count_lines() {
        let text = "# note\na\tb\r\n\nc\td\n";
        let mut seen = Vec::new();
        for_each_row(text.as_bytes(), "t", true, |line, fields| {
            seen.push((line, fields.join("|")));
            Ok(())
        })
        .expect("rows");
        assert_eq!(seen, vec![(2, "a|b".to_owned()), (4, "c|d".to_owned())]);
        assert!(number("NA", "t", 3).is_err());
        assert_eq!(unversioned("ENSG00000000003.14"), "ENSG00000000003");
    }
}
