//! Reading delimited text tables: whole input as text, header columns, quoted CSV fields

use std::io::Read;

use crate::error::ReferenceError;

/// The whole input as text
pub(crate) fn read_text<R: Read>(
    mut reader: R,
    table: &'static str,
) -> Result<String, ReferenceError> {
    let mut text = String::new();
    reader
        .read_to_string(&mut text)
        .map_err(|source| ReferenceError::Io { table, source })?;
    Ok(text)
}

/// The column positions of `wanted` in a tab- or comma-separated header
pub(crate) fn columns<const N: usize>(
    header: &str,
    separator: char,
    wanted: [&'static str; N],
    table: &'static str,
) -> Result<[usize; N], ReferenceError> {
    let names: Vec<&str> = header.trim_end_matches('\r').split(separator).collect();
    let mut positions = [0; N];
    for (slot, column) in positions.iter_mut().zip(wanted) {
        *slot = names
            .iter()
            .position(|name| *name == column)
            .ok_or_else(|| ReferenceError::MissingColumn {
                table,
                column,
                found: header.to_owned(),
            })?;
    }
    Ok(positions)
}

/// The fields of one CSV line: commas separate, double quotes enclose, `""` is a quote
pub(crate) fn split_csv(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.trim_end_matches('\r').chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if field.is_empty() => quoted = true,
            (',', false) => fields.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    fields.push(field);
    fields
}

/// Splits a list cell ("A, B, C" or "A; B") into trimmed, non-empty items
pub(crate) fn split_list(cell: &str, separator: char) -> Vec<String> {
    cell.split(separator)
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Lower-case letters and digits only: the form names are compared in
pub fn normalise_name(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_honour_quotes() {
        assert_eq!(split_csv("a,b,"), vec!["a", "b", ""]);
        assert_eq!(
            split_csv("CHEMBL418,\"2,4-DI\"\"X\"\"\",9\r"),
            vec!["CHEMBL418", "2,4-DI\"X\"", "9"]
        );
        assert_eq!(split_csv(""), vec![""]);
    }

    #[test]
    fn names_normalise_case_and_punctuation() {
        assert_eq!(normalise_name("HeLa"), "hela");
        assert_eq!(normalise_name("NIH:OVCAR-3"), "nihovcar3");
        assert_eq!(split_list(" A, B ,,C", ','), vec!["A", "B", "C"]);
    }

    #[test]
    fn header_columns_are_found_or_named_in_the_error() {
        let found = columns("x\ty\tz", '\t', ["z", "x"], "t").expect("present");
        assert_eq!(found, [2, 0]);
        let missing = columns("x\ty", '\t', ["w"], "t").expect_err("absent");
        assert!(missing.to_string().contains("\"w\""));
    }
}
