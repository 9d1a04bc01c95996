//! A per-sample atlas (genes x samples counts + a metadata table): one context per distinct
//! metadata combination (sex aside), its base profile the sex-averaged mean log CPM, and its
//! samples' residuals for the latent factors
//!
//! The metadata table has a `sample` column and columns named like the query metadata keys
//! (`tissue_ontology_id`, `sex`, `sample_type`, ...), with canonical values.

use std::collections::BTreeMap;

use synthome_query::MetadataKey;

use crate::error::BuildError;
use crate::fit::universe::Universe;
use crate::read::counts::{SampleMatrix, TextTable};
use crate::read::tsv::unversioned;

/// One group of atlas samples sharing their metadata (sex aside)
#[derive(Debug, Clone)]
pub(crate) struct AtlasGroup {
    /// The shared metadata, sorted by key
    pub fields: Vec<(MetadataKey, String)>,
    /// Log CPM per sample (universe genes), with the sample's sex (`Some(true)` male)
    pub samples: Vec<SampleLog>,
}

/// A sample's log CPM on the universe and its sex (`Some(true)` male)
type SampleLog = (Vec<f64>, Option<bool>);

/// Samples grouped by metadata, on the universe genes the atlas measures
#[derive(Debug, Clone)]
pub(crate) struct Atlas {
    /// Groups, in metadata order
    pub groups: Vec<AtlasGroup>,
    /// Universe genes the atlas measures (`true`)
    pub measured: Vec<bool>,
    /// Mean library size
    pub mean_library: f64,
}

/// Groups the atlas samples; samples missing from the metadata table are an error
pub(crate) fn group(
    counts: &SampleMatrix,
    metadata: &TextTable,
    universe: &Universe,
    source_name: &str,
) -> Result<Atlas, BuildError> {
    let sample_at = metadata.column("sample", source_name)?;
    let mut keys: Vec<(usize, MetadataKey)> = Vec::new();
    for (index, name) in metadata.columns.iter().enumerate() {
        if index == sample_at {
            continue;
        }
        let key: MetadataKey = name
            .parse()
            .map_err(|error| BuildError::parse(source_name, 1, format!("{error}")))?;
        keys.push((index, key));
    }
    let rows: Vec<Option<usize>> = counts
        .genes
        .iter()
        .map(|id| universe.index(unversioned(id)))
        .collect();
    let mut measured = vec![false; universe.len()];
    for gene in rows.iter().flatten() {
        measured[*gene] = true;
    }
    let mut groups: BTreeMap<Vec<(MetadataKey, String)>, Vec<SampleLog>> = BTreeMap::new();
    let mut libraries = Vec::new();
    for (sample, column) in counts.samples.iter().zip(&counts.values) {
        let row = metadata
            .rows
            .iter()
            .find(|row| &row[sample_at] == sample)
            .ok_or_else(|| {
                BuildError::parse(
                    source_name,
                    0,
                    format!("sample {sample:?} of the count matrix has no metadata row"),
                )
            })?;
        let mut fields = Vec::new();
        let mut male = None;
        for &(index, key) in &keys {
            let value = row[index].trim();
            if value.is_empty() {
                continue;
            }
            if key == MetadataKey::Sex {
                male = Some(value.eq_ignore_ascii_case("male"));
            } else {
                fields.push((key, value.to_owned()));
            }
        }
        fields.sort_by_key(|(key, _)| *key);
        let library: f64 = column.iter().sum();
        libraries.push(library);
        let mut log = vec![0.0; universe.len()];
        let mut on_universe = vec![0.0; universe.len()];
        for (value, gene) in column.iter().zip(&rows) {
            if let Some(gene) = gene {
                on_universe[*gene] += value;
            }
        }
        for (g, reads) in on_universe.iter().enumerate() {
            log[g] = ((reads + 0.5) / library.max(1.0) * 1e6).ln();
        }
        groups.entry(fields).or_default().push((log, male));
    }
    let mean_library = libraries.iter().sum::<f64>() / libraries.len().max(1) as f64;
    Ok(Atlas {
        groups: groups
            .into_iter()
            .map(|(fields, samples)| AtlasGroup { fields, samples })
            .collect(),
        measured,
        mean_library,
    })
}
