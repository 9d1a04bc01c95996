//! The CL consensus marker table: marker genes (Ensembl ids) per Cell Ontology term

use std::collections::BTreeMap;

use crate::error::BuildError;

/// Marker genes by CL id, in file order, with the term's label
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Markers {
    /// CL id to (label, Ensembl ids)
    pub by_term: BTreeMap<String, (String, Vec<String>)>,
}

/// Reads `consensus_ontology, consensus_annotation, ensembl_gene_id, gene_symbol, ...`
pub(crate) fn read(text: &str, file: &str) -> Result<Markers, BuildError> {
    let mut lines = text.lines().enumerate();
    let header: Vec<&str> = lines
        .next()
        .map(|(_, line)| line.trim_end_matches('\r').split('\t').collect())
        .unwrap_or_default();
    let column = |name: &str| {
        header
            .iter()
            .position(|field| *field == name)
            .ok_or_else(|| BuildError::Parse {
                file: file.to_owned(),
                line: 1,
                detail: format!("the header has no {name:?} column"),
            })
    };
    let (term_col, label_col, gene_col) = (
        column("consensus_ontology")?,
        column("consensus_annotation")?,
        column("ensembl_gene_id")?,
    );
    let mut markers = Markers::default();
    for (_, line) in lines {
        let fields: Vec<&str> = line.trim_end_matches('\r').split('\t').collect();
        let field = |index: usize| fields.get(index).map(|f| f.trim()).unwrap_or_default();
        if field(term_col).is_empty() || field(gene_col).is_empty() {
            continue;
        }
        let entry = markers
            .by_term
            .entry(field(term_col).to_owned())
            .or_insert_with(|| (field(label_col).to_owned(), Vec::new()));
        let gene = field(gene_col).to_owned();
        if !entry.1.contains(&gene) {
            entry.1.push(gene);
        }
    }
    Ok(markers)
}
