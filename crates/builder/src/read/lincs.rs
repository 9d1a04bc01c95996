//! LINCS tables: consensus compound signatures (DrugBank x Entrez z-scores), significant
//! responses to gene overexpression, and cell-line genders

use std::collections::HashMap;
use std::io::Read;

use crate::error::BuildError;
use crate::read::tsv::{for_each_row, number};

/// Consensus z-scores: one row per compound
#[derive(Debug, Clone, Default)]
pub(crate) struct Consensus {
    /// Entrez ids of the columns
    pub entrez: Vec<u64>,
    /// (DrugBank id, z-score per column)
    pub compounds: Vec<(String, Vec<f64>)>,
}

/// Reads `lincs_consensus_drugbank` (header `perturbagen` then Entrez ids)
pub(crate) fn read_consensus<R: Read>(
    reader: R,
    source_name: &str,
) -> Result<Consensus, BuildError> {
    let mut consensus = Consensus::default();
    let mut header = false;
    for_each_row(reader, source_name, false, |line, fields| {
        if !header {
            consensus.entrez = fields[1..]
                .iter()
                .map(|id| {
                    id.parse::<u64>().map_err(|_| {
                        BuildError::parse(
                            source_name,
                            line,
                            format!("column {id:?} is not an Entrez id"),
                        )
                    })
                })
                .collect::<Result<_, _>>()?;
            header = true;
            return Ok(());
        }
        if fields.len() != consensus.entrez.len() + 1 {
            return Err(BuildError::parse(
                source_name,
                line,
                format!(
                    "expected {} fields, found {}",
                    consensus.entrez.len() + 1,
                    fields.len()
                ),
            ));
        }
        let values = fields[1..]
            .iter()
            .map(|text| number(text, source_name, line))
            .collect::<Result<Vec<f64>, _>>()?;
        consensus.compounds.push((fields[0].to_owned(), values));
        Ok(())
    })?;
    Ok(consensus)
}

/// One significant response to an overexpressed gene
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OverexpressionHit {
    /// Entrez id of the overexpressed gene
    pub perturbagen: u64,
    /// Entrez id of the responding gene
    pub gene: u64,
    /// Consensus z-score
    pub z: f64,
}

/// Reads `lincs_overexpression_signif` (perturbagen, entrez_gene_id, z_score, ...)
pub(crate) fn read_overexpression<R: Read>(
    reader: R,
    source_name: &str,
) -> Result<Vec<OverexpressionHit>, BuildError> {
    let mut hits = Vec::new();
    let mut columns: Option<(usize, usize, usize)> = None;
    for_each_row(reader, source_name, false, |line, fields| {
        let Some((p, g, z)) = columns else {
            let find = |name: &str| {
                fields.iter().position(|f| *f == name).ok_or_else(|| {
                    BuildError::parse(source_name, line, format!("no {name:?} column"))
                })
            };
            columns = Some((
                find("perturbagen")?,
                find("entrez_gene_id")?,
                find("z_score")?,
            ));
            return Ok(());
        };
        let id = |at: usize| {
            fields
                .get(at)
                .and_then(|text| text.parse::<u64>().ok())
                .ok_or_else(|| BuildError::parse(source_name, line, "expected an Entrez id"))
        };
        let z_text = fields.get(z).copied().unwrap_or_default();
        hits.push(OverexpressionHit {
            perturbagen: id(p)?,
            gene: id(g)?,
            z: number(z_text, source_name, line)?,
        });
        Ok(())
    })?;
    Ok(hits)
}

/// Reads `lincs_cells` into cell id -> gender (`F`/`M`; blanks skipped)
pub(crate) fn read_cell_genders<R: Read>(
    reader: R,
    source_name: &str,
) -> Result<HashMap<String, String>, BuildError> {
    let mut genders = HashMap::new();
    let mut columns: Option<(usize, usize)> = None;
    for_each_row(reader, source_name, false, |line, fields| {
        let Some((cell, gender)) = columns else {
            let find = |name: &str| {
                fields.iter().position(|f| *f == name).ok_or_else(|| {
                    BuildError::parse(source_name, line, format!("no {name:?} column"))
                })
            };
            columns = Some((find("cell_id")?, find("gender")?));
            return Ok(());
        };
        if let (Some(id), Some(value)) = (fields.get(cell), fields.get(gender))
            && !value.is_empty()
        {
            genders.insert((*id).to_owned(), (*value).to_owned());
        }
        Ok(())
    })?;
    Ok(genders)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_three_lincs_tables() {
        let consensus = read_consensus(
            "perturbagen\t10007\t1001\nDB00014\t0.5\t-2\n".as_bytes(),
            "c",
        )
        .expect("consensus");
        assert_eq!(consensus.entrez, vec![10007, 1001]);
        assert_eq!(
            consensus.compounds[0],
            ("DB00014".to_owned(), vec![0.5, -2.0])
        );
        let hits = read_overexpression(
            "perturbagen\tentrez_gene_id\tz_score\tsymbol\n30\t30\t6.6\tACAA1\n".as_bytes(),
            "o",
        )
        .expect("oe");
        assert_eq!(
            hits,
            vec![OverexpressionHit {
                perturbagen: 30,
                gene: 30,
                z: 6.6
            }]
        );
        let genders = read_cell_genders("cell_id\tgender\nA375\tF\nPANC1\t\n".as_bytes(), "g")
            .expect("cells");
        assert_eq!(genders.get("A375").map(String::as_str), Some("F"));
        assert!(!genders.contains_key("PANC1"));
    }
}
