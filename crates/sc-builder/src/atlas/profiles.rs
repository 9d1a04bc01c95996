//! The atlas profiles on the model's gene universe: read, made count-like, unmeasured genes
//! filled
//!
//! - Each column of the library is a mean per-cell profile scaled to 1e6 over the genes its
//!   atlas measured (NA elsewhere). Symbols are resolved to the universe's Ensembl ids
//!   (HGNC/GENCODE, aliases included); symbols outside the universe are dropped.
//! - Full-length (Smart-seq) atlases count reads, which grow with transcript length, where
//!   UMI atlases count molecules: their values are divided by the gene's length (GENCODE) and
//!   renormalised, which makes them proportions of molecules like the UMI profiles.
//! - A universe gene the atlas did not measure is filled as the Kang-based v1 model fills the
//!   genes Kang lacks, from a reference profile: the mean proportion of the gene in the other
//!   columns of the same cell type that measured it, else its median over all columns that
//!   measured it.

use std::collections::{BTreeMap, HashMap};

use synthome_inputs::Inputs;

use crate::atlas::embryo::{self, EMBRYO_ATLAS};
use crate::atlas::mapping::{self, MappedColumn};
use crate::dataset::Dataset;
use crate::error::BuildError;

/// Mean per-cell profiles of the library (genes x columns, NA where unmeasured)
pub(crate) const LIBRARY_CPM: &str = "single_cell/cell_profile_library_cpm.tsv.gz";
/// One row per library column: atlas, labels, citation
pub(crate) const LIBRARY_COLUMNS: &str = "single_cell/cell_profile_library_columns.tsv";
/// Atlases measured with full-length (read-counting) protocols
pub const FULL_LENGTH_ATLASES: [&str; 3] =
    ["Brain_AllenBrainAtlas", "Brain_Darmanis", "Pancreas_HCA"];

/// One atlas profile on the universe
#[derive(Debug, Clone)]
pub struct AtlasColumn {
    /// Its mapping
    pub mapping: MappedColumn,
    /// Its atlas (`Liver_HCA`)
    pub atlas: String,
    /// Proportion of each universe gene (sums to 1)
    pub proportions: Vec<f64>,
    /// Whether the atlas measured each universe gene (the others are filled in)
    pub measured: Vec<bool>,
}

/// What one atlas contributed, for the model card
#[derive(Debug, Clone, PartialEq)]
pub struct AtlasSummary {
    /// Atlas name
    pub atlas: String,
    /// Its citation and url
    pub citation: String,
    /// Mapped columns
    pub columns: usize,
    /// Universe genes it measured
    pub measured: usize,
    /// Universe genes filled from the reference profile
    pub imputed: usize,
    /// Whether its values were length-corrected (full-length protocol)
    pub full_length: bool,
}

/// The atlas profiles and their summaries
#[derive(Debug, Clone, Default)]
pub struct AtlasData {
    /// Mapped columns, in table order
    pub columns: Vec<AtlasColumn>,
    /// Per atlas, in name order
    pub atlases: Vec<AtlasSummary>,
    /// Library symbols that resolved to no universe gene
    pub dropped_symbols: usize,
}

impl AtlasData {
    /// The mean of the columns of `atlas` mapped to `cell_type`: per gene over the columns
    /// that measured it, `None` where none did; `None` when the atlas has no such column
    pub fn type_profile(&self, atlas: &str, cell_type: &str) -> Option<Vec<Option<f64>>> {
        let columns: Vec<&AtlasColumn> = self
            .columns
            .iter()
            .filter(|c| c.atlas == atlas && c.mapping.cell_type == cell_type)
            .collect();
        let n_genes = columns.first()?.proportions.len();
        Some(
            (0..n_genes)
                .map(|g| {
                    let values: Vec<f64> = columns
                        .iter()
                        .filter(|c| c.measured[g])
                        .map(|c| c.proportions[g])
                        .collect();
                    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
                })
                .collect(),
        )
    }
}

/// Reads the library when the data folder has it (`None` otherwise)
pub(crate) fn load(files: &mut Inputs, dataset: &Dataset) -> Result<Option<AtlasData>, BuildError> {
    if !files.exists(LIBRARY_CPM) || !files.exists(LIBRARY_COLUMNS) {
        return Ok(None);
    }
    let mut mapped = mapping::mapped()?;
    let info = column_info(&files.text(LIBRARY_COLUMNS)?)?;
    let text = files.text(LIBRARY_CPM)?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let position: HashMap<&str, usize> = header
        .iter()
        .enumerate()
        .skip(1)
        .map(|(index, name)| (*name, index - 1))
        .collect();
    let mut wanted = Vec::with_capacity(mapped.len());
    for row in &mapped {
        let Some(&index) = position.get(row.column.as_str()) else {
            return Err(BuildError::Data {
                step: "atlas profiles",
                detail: format!(
                    "the mapping names column {} which {LIBRARY_CPM} does not have",
                    row.column
                ),
            });
        };
        wanted.push(index);
    }
    let n_genes = dataset.gene_ids.len();
    let universe: HashMap<&str, usize> = dataset
        .gene_ids
        .iter()
        .enumerate()
        .map(|(index, id)| (id.as_str(), index))
        .collect();
    // values[column][gene]: None = not measured
    let mut values: Vec<Vec<Option<f64>>> = vec![vec![None; n_genes]; mapped.len()];
    let mut dropped_symbols = 0;
    for (number, line) in lines.enumerate() {
        let mut fields = line.split('\t');
        let symbol = fields.next().unwrap_or_default();
        let gene = dataset
            .tables
            .genes
            .resolve_symbol(symbol)
            .and_then(|gene| universe.get(gene.ensembl_id.as_str()).copied());
        let Some(gene) = gene else {
            dropped_symbols += 1;
            continue;
        };
        let row: Vec<&str> = fields.collect();
        for (column, &index) in wanted.iter().enumerate() {
            let Some(raw) = row.get(index) else {
                return Err(BuildError::Parse {
                    file: LIBRARY_CPM.to_owned(),
                    line: number + 2,
                    detail: format!("{} values, the header has {}", row.len(), header.len() - 1),
                });
            };
            if *raw == "NA" || raw.is_empty() {
                continue;
            }
            let value: f64 = raw.parse().map_err(|_| BuildError::Parse {
                file: LIBRARY_CPM.to_owned(),
                line: number + 2,
                detail: format!("{raw:?} is neither a number nor NA"),
            })?;
            // symbols merged into one gene are summed
            let slot = &mut values[column][gene];
            *slot = Some(slot.unwrap_or(0.0) + value.max(0.0));
        }
    }
    // the embryo stages (RPKM: already per length, so no length correction below)
    for stage in embryo::load(files)? {
        let mut column = vec![None; n_genes];
        for (symbol, value) in &stage.values {
            let gene = dataset
                .tables
                .genes
                .resolve_symbol(symbol)
                .and_then(|gene| universe.get(gene.ensembl_id.as_str()).copied());
            if let Some(gene) = gene {
                let slot: &mut Option<f64> = &mut column[gene];
                *slot = Some(slot.unwrap_or(0.0) + value);
            }
        }
        values.push(column);
        mapped.push(stage.mapping);
    }
    let lengths: Vec<f64> = dataset
        .gene_ids
        .iter()
        .map(|id| {
            dataset
                .tables
                .genes
                .by_ensembl(id)
                .map_or(0.0, |gene| gene.length as f64 / 1000.0)
        })
        .collect();
    let atlas_of = |column: &str| column.split('|').next().unwrap_or_default().to_owned();
    for (column, row) in values.iter_mut().zip(&mapped) {
        if FULL_LENGTH_ATLASES.contains(&atlas_of(&row.column).as_str()) {
            for (value, &length) in column.iter_mut().zip(&lengths) {
                if let Some(v) = value {
                    *v = if length > 0.0 { *v / length } else { 0.0 };
                }
            }
        }
        let total: f64 = column.iter().flatten().sum();
        if total > 0.0 {
            for v in column.iter_mut().flatten() {
                *v /= total;
            }
        }
    }
    let filled = fill(&values, &mapped, n_genes);
    let mut atlases: BTreeMap<String, AtlasSummary> = BTreeMap::new();
    for (column, row) in values.iter().zip(&mapped) {
        let atlas = atlas_of(&row.column);
        let measured = column.iter().filter(|v| v.is_some()).count();
        let entry = atlases
            .entry(atlas.clone())
            .or_insert_with(|| AtlasSummary {
                atlas: atlas.clone(),
                citation: if atlas == EMBRYO_ATLAS {
                "Yan L et al. (2013) Single-cell RNA-Seq profiling of human preimplantation embryos and embryonic stem cells. Nat Struct Mol Biol 20:1131 (GEO GSE36552; RPKM as shipped in scmap, GPL-3)".to_owned()
            } else {
                info.get(&atlas).cloned().unwrap_or_default()
            },
                columns: 0,
                measured,
                imputed: n_genes - measured,
                full_length: FULL_LENGTH_ATLASES.contains(&atlas.as_str()),
            });
        entry.columns += 1;
    }
    let columns = mapped
        .into_iter()
        .zip(filled)
        .zip(&values)
        .map(|((mapping, proportions), column)| AtlasColumn {
            atlas: atlas_of(&mapping.column),
            mapping,
            proportions,
            measured: column.iter().map(Option::is_some).collect(),
        })
        .collect();
    Ok(Some(AtlasData {
        columns,
        atlases: atlases.into_values().collect(),
        dropped_symbols,
    }))
}

/// Every column with its unmeasured genes filled from the reference profile, renormalised
fn fill(values: &[Vec<Option<f64>>], mapped: &[MappedColumn], n_genes: usize) -> Vec<Vec<f64>> {
    let mean_over = |columns: &[usize], gene: usize| -> Option<f64> {
        let present: Vec<f64> = columns.iter().filter_map(|&c| values[c][gene]).collect();
        (!present.is_empty()).then(|| present.iter().sum::<f64>() / present.len() as f64)
    };
    let all: Vec<usize> = (0..values.len()).collect();
    let mut by_type: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, row) in mapped.iter().enumerate() {
        by_type
            .entry(row.cell_type.as_str())
            .or_default()
            .push(index);
    }
    // the median, not the mean: one atlas's extreme gene (protamines in sperm) must not leak
    // into every atlas that did not measure it
    let global: Vec<f64> = (0..n_genes)
        .map(|gene| {
            let mut present: Vec<f64> = all.iter().filter_map(|&c| values[c][gene]).collect();
            present.sort_by(f64::total_cmp);
            present.get(present.len() / 2).copied().unwrap_or(0.0)
        })
        .collect();
    values
        .iter()
        .zip(mapped)
        .map(|(column, row)| {
            let same_type = &by_type[row.cell_type.as_str()];
            let mut out: Vec<f64> = (0..n_genes)
                .map(|gene| match column[gene] {
                    Some(value) => value,
                    None => mean_over(same_type, gene).unwrap_or(global[gene]),
                })
                .collect();
            let total: f64 = out.iter().sum();
            if total > 0.0 {
                for value in &mut out {
                    *value /= total;
                }
            }
            out
        })
        .collect()
}

/// Atlas name -> "citation (url)" from the columns table
fn column_info(text: &str) -> Result<BTreeMap<String, String>, BuildError> {
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let find = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .ok_or_else(|| BuildError::Data {
                step: "atlas profiles",
                detail: format!(
                    "{LIBRARY_COLUMNS} has no {name} column; its header is {}",
                    header.join(", ")
                ),
            })
    };
    let (dataset, citation, url) = (find("dataset")?, find("citation")?, find("url")?);
    let mut info = BTreeMap::new();
    for line in lines {
        let fields: Vec<&str> = line.split('\t').collect();
        if let (Some(d), Some(c), Some(u)) =
            (fields.get(dataset), fields.get(citation), fields.get(url))
        {
            info.entry((*d).to_owned())
                .or_insert_with(|| format!("{} ({})", c.trim(), u.trim()));
        }
    }
    Ok(info)
}
