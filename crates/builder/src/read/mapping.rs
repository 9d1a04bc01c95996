//! The committed, reviewed name -> ontology id tables (crates/builder/mappings/)

use crate::error::BuildError;
use crate::read::tsv::for_each_row;

/// Tissue name -> UBERON, per source table (`source`, `name`, `uberon_id`)
pub(crate) const TISSUES: &str = include_str!("../../mappings/tissues.tsv");
/// HPA blood cell column -> CL (`column`, `cl_id`)
pub(crate) const BLOOD_CELLS: &str = include_str!("../../mappings/blood_cells.tsv");
/// HPA cell line name -> Cellosaurus (`name`, `cellosaurus_id`): the fallback table
pub(crate) const CELL_LINES: &str = include_str!("../../mappings/cell_lines.tsv");
/// A375 plate compound -> ChEMBL (`pert_id`, `pert_iname`, `chembl_id`, `how`)
pub(crate) const A375_COMPOUNDS: &str = include_str!("../../mappings/a375_compounds.tsv");

/// The rows of a mapping table (comments skipped), each with at least `min_fields` fields
pub(crate) fn rows(
    text: &str,
    source_name: &str,
    min_fields: usize,
) -> Result<Vec<Vec<String>>, BuildError> {
    let mut out = Vec::new();
    for_each_row(text.as_bytes(), source_name, true, |line, fields| {
        if fields.len() < min_fields {
            return Err(BuildError::parse(
                source_name,
                line,
                format!("expected at least {min_fields} fields"),
            ));
        }
        out.push(fields.iter().map(|field| (*field).to_owned()).collect());
        Ok(())
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_tables_parse_and_ids_have_the_right_prefix() {
        for row in rows(TISSUES, "tissues", 3).expect("tissues") {
            assert!(
                row[2].starts_with("UBERON:") && row[2].len() == 14,
                "{row:?}"
            );
        }
        for row in rows(BLOOD_CELLS, "blood", 2).expect("blood") {
            assert!(row[1].starts_with("CL:"), "{row:?}");
        }
        for row in rows(CELL_LINES, "lines", 2).expect("lines") {
            assert!(row[1].starts_with("CVCL_") && row[1].len() == 9, "{row:?}");
        }
        for row in rows(A375_COMPOUNDS, "a375", 3).expect("a375") {
            assert!(row[2].starts_with("CHEMBL"), "{row:?}");
        }
    }
}
