//! Adds the atlas profiles to a model fitted on the Kang cells: one group per mapped column,
//! with what the profiles lack transferred from the UMI-counted cells
//!
//! - A cell type the Kang cells also have (same CL id) reuses that type's latent factors and
//!   per-gene dispersions.
//! - Any other type gets no latent factors and the model's dispersion trend: the Kang cells'
//!   total over-dispersion (negative binomial phi plus the latent factors' extra variance),
//!   median per bin of expected count, so a gene's noise depends on how much it is expressed.
//! - Library sizes are log-normal around the query's `total_count` with the Kang groups' mean
//!   spread (the profiles carry no depth).
//! - The columns of one key (cell type, tissue, stage, disease) share a nominal weight of
//!   [`KEY_WEIGHT`] training cells (at least [`synthome_sc_model::FEW_CELLS`] each), so
//!   sub-populations of a type in one atlas are drawn as a mixture.

use std::collections::BTreeMap;

use synthome_query::MetadataKey;
use synthome_reference::ReferenceTables;
use synthome_sc_model::{
    AtlasProfiles, CellType, DispersionTrend, FEW_CELLS, Group, Latent, LibrarySize, ScModel,
    ScParams,
};

use crate::atlas::profiles::AtlasData;
use crate::error::BuildError;
use crate::fit::vocabulary::{self, CONTROL};

/// Nominal training cells of one atlas key
pub const KEY_WEIGHT: u32 = 120;
/// Width of the expected-count bins of the dispersion trend (natural log)
const TREND_BIN: f64 = 0.5;
/// Genes a bin needs to be a knot
const TREND_MIN_GENES: usize = 20;

/// The parameters with the atlas groups added and the vocabulary rebuilt; returns the ids no
/// reference table labelled
pub(crate) fn extend(
    params: &mut ScParams,
    atlas: &AtlasData,
    measured: &[bool],
    tables: &ReferenceTables,
) -> Result<Vec<String>, BuildError> {
    params.dispersion_trend = trend(params, measured)?;
    let kang_types = params.cell_types.len();
    let key_of = |c: &crate::atlas::profiles::AtlasColumn| {
        let m = &c.mapping;
        (
            m.cell_type.clone(),
            m.tissue.clone(),
            m.stage.clone(),
            m.disease.clone(),
        )
    };
    let mut per_key: BTreeMap<(String, String, String, String), u32> = BTreeMap::new();
    for column in &atlas.columns {
        *per_key.entry(key_of(column)).or_default() += 1;
    }
    let log_sd = params
        .groups
        .iter()
        .map(|group| f64::from(group.library.log_sd))
        .sum::<f64>()
        / params.groups.len().max(1) as f64;
    let n_genes = params.genes.len();
    for column in &atlas.columns {
        let m = &column.mapping;
        let cell_type = match params.cell_types.iter().position(|t| t.id == m.cell_type) {
            Some(index) => index,
            None => {
                params.cell_types.push(CellType {
                    id: m.cell_type.clone(),
                    label: tables
                        .ontologies
                        .label(&m.cell_type)
                        .unwrap_or(&m.cell_type)
                        .to_owned(),
                    latent: Latent::none(),
                    dispersion: Vec::new(),
                });
                params.cell_types.len() - 1
            }
        };
        let shared = per_key[&key_of(column)];
        params.groups.push(Group {
            cell_type,
            fields: vec![
                (MetadataKey::CellTypeOntologyId, m.cell_type.clone()),
                (MetadataKey::TissueOntologyId, m.tissue.clone()),
                (MetadataKey::DevelopmentalStage, m.stage.clone()),
                (MetadataKey::DiseaseOntologyId, m.disease.clone()),
                (MetadataKey::PerturbationType, CONTROL.to_owned()),
            ],
            n_cells: (KEY_WEIGHT / shared).max(FEW_CELLS),
            log_profile: Vec::new(),
            library: LibrarySize {
                log_offset: 0.0,
                log_sd: log_sd as f32,
            },
        });
    }
    let n_columns = atlas.columns.len();
    let mut codes = Vec::with_capacity(n_columns * n_genes);
    for column in &atlas.columns {
        codes.extend(column.proportions.iter().map(|&p| AtlasProfiles::encode(p)));
    }
    params.atlas = AtlasProfiles { n_columns, codes };
    let (vocabulary, unlabelled) = vocabulary::build(&params.groups, tables)?;
    params.vocabulary = vocabulary;
    describe(params, atlas, kang_types);
    Ok(unlabelled)
}

/// The card's summary and licence once the atlas profiles are in (the Kang-only card says
/// neither).
fn describe(params: &mut ScParams, atlas: &AtlasData, kang_types: usize) {
    let tissues: std::collections::BTreeSet<&str> = params
        .groups
        .iter()
        .flat_map(|group| &group.fields)
        .filter(|(key, _)| *key == MetadataKey::TissueOntologyId)
        .map(|(_, tissue)| tissue.as_str())
        .collect();
    params.card.summary = format!(
        "Single-cell model: {kang_types} PBMC cell types fitted on Kang et al. 2018 (10x UMI counts, control and IFN-beta 6 h), and {} Cell Ontology types in {} tissues from the mean per-cell profiles of {} single-cell atlases (adult and fetal tissues, COVID-19 samples) and the Yan 2013 embryo stages. Atlas cells borrow Kang's per-cell variation, scaled to each profile's mean: the latent factors and dispersions of the same Kang type where there is one, else the Kang dispersion trend and no latent factors; output is sparse UMI counts over {} genes.",
        params.cell_types.len(),
        tissues.len(),
        atlas.atlases.len(),
        params.genes.len(),
    );
    params.card.licence = format!(
        "{}; cell profile library atlases CC BY 4.0 (each atlas's citation in MODEL_CARD-sc.md)",
        params.card.licence
    );
}

/// The Kang types' total over-dispersion by expected count: per gene measured by Kang, phi
/// plus the latent factors' extra variance, at the type's control profile and the training
/// cells' geometric mean depth; the median per bin of ln(mean) is a knot
fn trend(params: &ScParams, measured: &[bool]) -> Result<DispersionTrend, BuildError> {
    let kang = ScModel::new(ScParams {
        card: params.card.clone(),
        genes: params.genes.clone(),
        vocabulary: params.vocabulary.clone(),
        cell_types: params.cell_types.clone(),
        groups: params.groups.clone(),
        mean_log_library: params.mean_log_library,
        dispersion_trend: DispersionTrend::default(),
        atlas: AtlasProfiles::default(),
    })?;
    let depth = kang.training_library_size();
    let mut bins: BTreeMap<i64, Vec<f64>> = BTreeMap::new();
    for (type_index, cell_type) in params.cell_types.iter().enumerate() {
        let Some(group) = params.groups.iter().position(|g| g.cell_type == type_index) else {
            continue;
        };
        let Some(proportions) = kang.group_proportions(group) else {
            continue;
        };
        let mut extra = vec![0.0; proportions.len()];
        let latent = &cell_type.latent;
        let n = latent.genes.len();
        for (j, &gene) in latent.genes.iter().enumerate() {
            let variance: f64 = (0..latent.n_factors)
                .map(|k| {
                    (f64::from(latent.loadings[k * n + j]) * f64::from(latent.scales[k])).powi(2)
                })
                .sum();
            extra[gene as usize] = variance.exp() - 1.0;
        }
        for (gene, &p) in proportions.iter().enumerate() {
            let mean = p * depth;
            if !measured[gene] || mean < 1e-3 || cell_type.dispersion.is_empty() {
                continue;
            }
            let phi = f64::from(cell_type.dispersion[gene]) + extra[gene];
            let bin = (mean.ln() / TREND_BIN).floor() as i64;
            bins.entry(bin).or_default().push(phi.max(1e-4).ln());
        }
    }
    let mut trend = DispersionTrend::default();
    for (bin, mut values) in bins {
        if values.len() < TREND_MIN_GENES {
            continue;
        }
        values.sort_by(f64::total_cmp);
        trend
            .log_means
            .push(((bin as f64 + 0.5) * TREND_BIN) as f32);
        trend.log_dispersions.push(values[values.len() / 2] as f32);
    }
    if trend.log_means.is_empty() {
        return Err(BuildError::Data {
            step: "dispersion trend",
            detail: format!("no expected-count bin has {TREND_MIN_GENES} Kang genes"),
        });
    }
    Ok(trend)
}
