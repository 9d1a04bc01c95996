//! The gene table: unversioned Ensembl ids and their symbols, in column order.

use crate::MatrixError;

/// The genes of a matrix, one entry per column, in the model's gene order.
///
/// Ids are unversioned Ensembl gene ids (`ENSG00000000003`); symbols are HGNC symbols (or the id
/// again when a gene has none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneTable {
    ids: Vec<String>,
    symbols: Vec<String>,
}

impl GeneTable {
    /// Builds a gene table; `ids` and `symbols` must have the same length.
    pub fn new(ids: Vec<String>, symbols: Vec<String>) -> Result<Self, MatrixError> {
        if ids.len() != symbols.len() {
            return Err(MatrixError::GeneTableLength {
                ids: ids.len(),
                symbols: symbols.len(),
            });
        }
        Ok(Self { ids, symbols })
    }

    /// Unversioned Ensembl gene ids, in column order.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    /// Gene symbols, in column order.
    pub fn symbols(&self) -> &[String] {
        &self.symbols
    }

    /// Number of genes.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether the table has no genes.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Column index of a gene given by Ensembl id (exact) or symbol (ASCII case-insensitive).
    pub fn find(&self, id_or_symbol: &str) -> Option<usize> {
        self.ids
            .iter()
            .position(|id| id == id_or_symbol)
            .or_else(|| {
                self.symbols
                    .iter()
                    .position(|symbol| symbol.eq_ignore_ascii_case(id_or_symbol))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> GeneTable {
        GeneTable::new(
            vec!["ENSG1".into(), "ENSG2".into()],
            vec!["TP53".into(), "GAPDH".into()],
        )
        .unwrap_or_else(|error| panic!("{error}"))
    }

    #[test]
    fn rejects_lists_of_different_length() {
        let error = GeneTable::new(vec!["ENSG1".into()], vec![]).err();
        assert_eq!(
            error,
            Some(MatrixError::GeneTableLength { ids: 1, symbols: 0 })
        );
    }

    #[test]
    fn finds_genes_by_id_or_symbol() {
        let genes = table();
        assert_eq!(genes.find("ENSG2"), Some(1));
        assert_eq!(genes.find("tp53"), Some(0));
        assert_eq!(genes.find("MYC"), None);
        assert_eq!(genes.len(), 2);
    }
}
