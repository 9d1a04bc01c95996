//! The inputs assembled: Kang counts on a gene universe of Ensembl ids (the Kang genes mapped
//! through HGNC/GENCODE, plus the genes of the HPA blood table), cells, HPA profiles, CL
//! markers and the reference tables for labels

use std::collections::{BTreeMap, BTreeSet};

use synthome_reference::{
    GeneTable as ReferenceGenes, OntologyTerms, ReferenceTables, gunzip, unzstd,
};

use synthome_inputs::Inputs;

use crate::error::BuildError;
use crate::read::markers::{self, Markers};
use crate::read::mtx;
use crate::read::tables::{self, CellRecord, WideTable};

/// Kang 2018 UMI counts (genes x cells MatrixMarket)
pub(crate) const KANG_COUNTS: &str = "single_cell/kang2018_pbmc_counts.mtx.gz";
/// Kang gene symbols, matrix row order
pub(crate) const KANG_GENES: &str = "single_cell/kang2018_pbmc_genes.txt.gz";
/// Kang cells and conditions, matrix column order
pub(crate) const KANG_CELLS: &str = "single_cell/kang2018_pbmc_cells.tsv.gz";
/// HPA sorted blood cell type profiles (nTPM)
pub(crate) const HPA_BLOOD: &str = "bulk/hpa_blood_cell_types.tsv.gz";
/// CL consensus markers
pub(crate) const CL_MARKERS: &str = "reference/cl_consensus_markers.tsv.gz";
/// GENCODE genes
pub(crate) const GENCODE: &str = "reference/genes_homo_sapiens.csv.gz";
/// HGNC entries
pub(crate) const HGNC: &str = "reference/hgnc_entries.tsv.gz";

/// Cells x genes counts in CSR form over the gene universe
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellCounts {
    /// Row pointers (one row per cell)
    pub indptr: Vec<usize>,
    /// Gene (universe) index of each stored count, increasing within a row
    pub genes: Vec<u32>,
    /// The counts
    pub counts: Vec<u32>,
}

impl CellCounts {
    /// Number of cells
    pub fn n_cells(&self) -> usize {
        self.indptr.len() - 1
    }

    /// One cell's genes and counts
    pub fn row(&self, cell: usize) -> (&[u32], &[u32]) {
        let (start, end) = (self.indptr[cell], self.indptr[cell + 1]);
        (&self.genes[start..end], &self.counts[start..end])
    }

    /// Total count of one cell
    pub(crate) fn library(&self, cell: usize) -> f64 {
        self.row(cell).1.iter().map(|&c| f64::from(c)).sum()
    }
}

/// Everything the fit reads
#[derive(Debug)]
pub struct Dataset {
    /// Unversioned Ensembl ids of the gene universe, sorted
    pub gene_ids: Vec<String>,
    /// Their symbols
    pub gene_symbols: Vec<String>,
    /// Whether the Kang data measured each gene
    pub measured: Vec<bool>,
    /// Counts
    pub counts: CellCounts,
    /// Cells, in matrix order
    pub cells: Vec<CellRecord>,
    /// HPA blood cell types, rows in universe order (`hpa.genes == gene_ids`; 0 where absent)
    pub(crate) hpa: WideTable,
    /// CL markers
    pub(crate) markers: Markers,
    /// Ontology labels and genes, for the vocabulary
    pub tables: ReferenceTables,
    /// Kang symbols that no HGNC/GENCODE gene matched (dropped)
    pub unmapped: Vec<String>,
    /// Kang symbols merged into a gene another symbol already mapped to
    pub merged: usize,
}

/// Reads and assembles the inputs
pub(crate) fn load(files: &mut Inputs) -> Result<Dataset, BuildError> {
    let mut ontologies = OntologyTerms::new();
    let required = [("CL-", "CL ontology"), ("UBERON-", "UBERON ontology")];
    // labels of the atlases' stages and diseases; a data folder without them gets ids only
    let optional = [
        ("HsapDv-", "HsapDv ontology"),
        ("PATO-", "PATO ontology"),
        ("MONDO-", "MONDO ontology"),
    ];
    for (prefix, name) in required {
        let path = files.find("reference/ontologies", prefix)?;
        let raw = files.raw(&path)?;
        ontologies.add_json(&unzstd(raw.as_slice(), name)?, name)?;
    }
    for (prefix, name) in optional {
        if let Ok(path) = files.find("reference/ontologies", prefix) {
            let raw = files.raw(&path)?;
            ontologies.add_json(&unzstd(raw.as_slice(), name)?, name)?;
        }
    }
    let mut reference_genes = ReferenceGenes::from_gencode(gunzip(files.raw(GENCODE)?.as_slice()))?;
    reference_genes.add_hgnc(gunzip(files.raw(HGNC)?.as_slice()))?;

    let symbols = tables::gene_symbols(&files.text(KANG_GENES)?);
    let cells = tables::cells(&files.text(KANG_CELLS)?, KANG_CELLS)?;
    let triplets = mtx::read(&files.text(KANG_COUNTS)?, KANG_COUNTS)?;
    if triplets.n_rows != symbols.len() || triplets.n_cols != cells.len() {
        return Err(BuildError::Data {
            step: "inputs",
            detail: format!(
                "{KANG_COUNTS} is {} x {} but {KANG_GENES} lists {} genes and {KANG_CELLS} {} cells",
                triplets.n_rows,
                triplets.n_cols,
                symbols.len(),
                cells.len()
            ),
        });
    }
    let hpa_raw = tables::wide_table(&files.text(HPA_BLOOD)?, HPA_BLOOD)?;
    let markers = markers::read(&files.text(CL_MARKERS)?, CL_MARKERS)?;

    // Kang symbols -> Ensembl ids
    let mut unmapped = Vec::new();
    let mut kang_ids: Vec<Option<String>> = Vec::with_capacity(symbols.len());
    for symbol in &symbols {
        match reference_genes.resolve_symbol(symbol) {
            Some(gene) => kang_ids.push(Some(gene.ensembl_id.clone())),
            None => {
                unmapped.push(symbol.clone());
                kang_ids.push(None);
            }
        }
    }
    let measured_ids: BTreeSet<&str> = kang_ids.iter().flatten().map(String::as_str).collect();
    let merged = kang_ids.iter().flatten().count() - measured_ids.len();
    let mut universe: BTreeSet<String> = measured_ids.iter().map(|id| (*id).to_owned()).collect();
    universe.extend(
        hpa_raw
            .genes
            .iter()
            .filter(|id| reference_genes.by_ensembl(id).is_some())
            .cloned(),
    );
    let gene_ids: Vec<String> = universe.into_iter().collect();
    let position: BTreeMap<&str, u32> = gene_ids
        .iter()
        .enumerate()
        .map(|(index, id)| (id.as_str(), index as u32))
        .collect();
    let gene_symbols = gene_ids
        .iter()
        .map(|id| {
            reference_genes
                .by_ensembl(id)
                .map_or_else(|| id.clone(), |gene| gene.symbol.clone())
        })
        .collect();
    let measured = gene_ids
        .iter()
        .map(|id| measured_ids.contains(id.as_str()))
        .collect();

    let counts = cell_counts(&triplets, &kang_ids, &position, cells.len());
    let hpa = hpa_in_universe(&hpa_raw, &gene_ids, &position);
    let tables = ReferenceTables {
        ontologies,
        genes: reference_genes,
        ..ReferenceTables::default()
    };
    Ok(Dataset {
        gene_ids,
        gene_symbols,
        measured,
        counts,
        cells,
        hpa,
        markers,
        tables,
        unmapped,
        merged,
    })
}

/// The Kang counts as cells x universe genes, counts of symbols mapping to the same gene summed
fn cell_counts(
    triplets: &mtx::Triplets,
    kang_ids: &[Option<String>],
    position: &BTreeMap<&str, u32>,
    n_cells: usize,
) -> CellCounts {
    let mut entries: Vec<(u32, u32, u32)> = triplets
        .entries
        .iter()
        .filter_map(|&(row, col, value)| {
            let id = kang_ids[row as usize].as_deref()?;
            Some((col, position[id], value))
        })
        .collect();
    entries.sort_unstable();
    let mut counts = CellCounts {
        indptr: vec![0; n_cells + 1],
        genes: Vec::with_capacity(entries.len()),
        counts: Vec::with_capacity(entries.len()),
    };
    let mut last: Option<(u32, u32)> = None;
    for (cell, gene, value) in entries {
        if last == Some((cell, gene)) {
            if let Some(count) = counts.counts.last_mut() {
                *count = count.saturating_add(value);
            }
            continue;
        }
        last = Some((cell, gene));
        counts.genes.push(gene);
        counts.counts.push(value);
        counts.indptr[cell as usize + 1] += 1;
    }
    for cell in 0..n_cells {
        counts.indptr[cell + 1] += counts.indptr[cell];
    }
    counts
}

/// The HPA table with its rows in universe order (0 for genes it lacks)
fn hpa_in_universe(
    hpa_raw: &WideTable,
    gene_ids: &[String],
    position: &BTreeMap<&str, u32>,
) -> WideTable {
    let n_columns = hpa_raw.columns.len();
    let mut hpa = WideTable {
        columns: hpa_raw.columns.clone(),
        genes: gene_ids.to_vec(),
        values: vec![0.0; gene_ids.len() * n_columns],
    };
    for (row, id) in hpa_raw.genes.iter().enumerate() {
        if let Some(&gene) = position.get(id.as_str()) {
            let target = gene as usize * n_columns;
            hpa.values[target..target + n_columns]
                .copy_from_slice(&hpa_raw.values[row * n_columns..(row + 1) * n_columns]);
        }
    }
    hpa
}
