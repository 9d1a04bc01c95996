//! The gene universe: Ensembl ids of the atlas tables that GENCODE v48 knows, sorted, with
//! symbols (HGNC, else GENCODE) and gene lengths

use std::collections::{BTreeSet, HashMap};

use synthome_reference::GeneTable as ReferenceGenes;

/// The model's genes, in output order
#[derive(Debug, Clone)]
pub(crate) struct Universe {
    /// Unversioned Ensembl ids, sorted
    pub ids: Vec<String>,
    /// Symbols
    pub symbols: Vec<String>,
    /// Gene lengths in bases (GENCODE)
    pub lengths: Vec<f64>,
    index: HashMap<String, usize>,
}

impl Universe {
    /// The candidates GENCODE knows, sorted and de-duplicated
    pub(crate) fn new<'a>(
        candidates: impl IntoIterator<Item = &'a str>,
        reference: &ReferenceGenes,
    ) -> Universe {
        let known: BTreeSet<&str> = candidates
            .into_iter()
            .filter(|id| reference.by_ensembl(id).is_some())
            .collect();
        let mut universe = Universe {
            ids: Vec::with_capacity(known.len()),
            symbols: Vec::with_capacity(known.len()),
            lengths: Vec::with_capacity(known.len()),
            index: HashMap::with_capacity(known.len()),
        };
        for id in known {
            if let Some(gene) = reference.by_ensembl(id) {
                universe.index.insert(id.to_owned(), universe.ids.len());
                universe.ids.push(id.to_owned());
                universe.symbols.push(gene.symbol.clone());
                universe.lengths.push((gene.length as f64).max(1.0));
            }
        }
        universe
    }

    /// Position of an unversioned Ensembl id
    pub(crate) fn index(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// Number of genes
    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }
}
