//! The reviewed Cell Ontology mapping of the cell-profile library's columns
//! (`mappings/cell_profile_cl.tsv`, committed with the builder)

use crate::error::BuildError;

/// The reviewed mapping table
pub(crate) const TABLE: &str = include_str!("../../mappings/cell_profile_cl.tsv");
/// Its name in messages
const NAME: &str = "crates/sc-builder/mappings/cell_profile_cl.tsv";

/// One mapped column: the profile's key in the model
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappedColumn {
    /// Column of the library (`Liver_HCA|Hep.1`)
    pub column: String,
    /// Cell Ontology id
    pub cell_type: String,
    /// UBERON id of the atlas's tissue
    pub tissue: String,
    /// HsapDv id
    pub stage: String,
    /// MONDO id or PATO:0000461
    pub disease: String,
    /// high, medium or low
    pub confidence: String,
}

/// The mapped rows of the table (left-out rows, with an empty CL id, are skipped)
pub(crate) fn mapped() -> Result<Vec<MappedColumn>, BuildError> {
    let mut rows = Vec::new();
    let mut header_seen = false;
    for (number, line) in TABLE.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if !header_seen {
            header_seen = true;
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [
            column,
            cell_type,
            _label,
            tissue,
            stage,
            disease,
            confidence,
            ..,
        ] = fields.as_slice()
        else {
            return Err(BuildError::Parse {
                file: NAME.to_owned(),
                line: number + 1,
                detail: format!(
                    "expected at least 7 tab-separated fields (column, CL id, label, tissue, stage, disease, confidence), found {}",
                    fields.len()
                ),
            });
        };
        if cell_type.is_empty() {
            continue;
        }
        rows.push(MappedColumn {
            column: (*column).to_owned(),
            cell_type: (*cell_type).to_owned(),
            tissue: (*tissue).to_owned(),
            stage: (*stage).to_owned(),
            disease: (*disease).to_owned(),
            confidence: (*confidence).to_owned(),
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_table_maps_at_least_150_types_in_15_tissues() {
        let rows = mapped().unwrap_or_else(|error| panic!("{error}"));
        let types: std::collections::BTreeSet<&str> =
            rows.iter().map(|r| r.cell_type.as_str()).collect();
        let tissues: std::collections::BTreeSet<&str> =
            rows.iter().map(|r| r.tissue.as_str()).collect();
        assert!(types.len() >= 150, "{} types", types.len());
        assert!(tissues.len() >= 15, "{} tissues", tissues.len());
        assert!(rows.iter().all(|r| r.cell_type.starts_with("CL:")
            && r.tissue.starts_with("UBERON:")
            && r.stage.starts_with("HsapDv:")
            && (r.disease.starts_with("MONDO:") || r.disease == "PATO:0000461")));
    }
}
