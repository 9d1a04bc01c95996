//! Fitting the single-cell model's parameters from annotated training cells

pub(crate) mod calibrate;
pub(crate) mod dispersion;
pub(crate) mod latent;
pub(crate) mod profiles;
pub(crate) mod vocabulary;

use synthome_matrix::GeneTable;
use synthome_query::MetadataKey;
use synthome_sc_model::{
    AtlasProfiles, CellType, DispersionTrend, Group, LibrarySize, ModelCard, SC_MODEL_ALIAS,
    SC_MODEL_ID, SC_MODEL_VERSION, ScParams,
};

use crate::analysis::annotate::{Annotation, CANDIDATES};
use crate::analysis::embed::Embedding;
use crate::analysis::linalg::Matrix;
use crate::atlas::Anchored;
use crate::dataset::Dataset;
use crate::error::BuildError;

use dispersion::Moments;
use profiles::{Sums, extend_with_hpa, normalise};

/// A cell type needs this many training cells to be modelled
pub(crate) const MIN_TYPE_CELLS: usize = 10;
/// A condition of a type needs this many training cells to be a group
pub(crate) const MIN_GROUP_CELLS: usize = 3;
/// HPA column standing in for types without their own profile
const PBMC_COLUMN: &str = "total_PBMC";

/// What was fitted, with the numbers the model card reports
#[derive(Debug, Clone)]
pub struct Fitted {
    /// The parameters
    pub params: ScParams,
    /// Calibrated multiplier of each cell type's latent scales
    pub latent_multipliers: Vec<f64>,
    /// Candidate index of each modelled cell type (params.cell_types order)
    pub type_candidates: Vec<usize>,
    /// Candidates left out for too few training cells, with their cell counts
    pub dropped: Vec<(usize, usize)>,
    /// Vocabulary ids that no reference table labelled
    pub unlabelled: Vec<String>,
    /// Mean share of a cell's expected counts on genes the Kang data did not measure
    pub unmeasured_share: f64,
    /// The types whose means were anchored to PBMC atlases (empty from [`fit`])
    pub anchored: Vec<Anchored>,
}

/// Fits the model on the cells with `train[cell]`
pub fn fit(
    dataset: &Dataset,
    embedding: &Embedding,
    annotation: &Annotation,
    train: &[bool],
) -> Result<Fitted, BuildError> {
    let training: Vec<usize> = (0..dataset.cells.len()).filter(|&c| train[c]).collect();
    let TypeSelection {
        type_candidates,
        dropped,
    } = select_types(annotation, &training)?;
    let pooled = Pooled::new(dataset, embedding, annotation, &training, &type_candidates);
    let mut groups = Groups::default();
    let cell_types: Vec<CellType> = type_candidates
        .iter()
        .enumerate()
        .map(|(type_index, &candidate)| {
            fit_cell_type(&pooled, annotation, type_index, candidate, &mut groups)
        })
        .collect();
    let (vocabulary, unlabelled) = vocabulary::build(&groups.groups, &dataset.tables)?;
    let genes = GeneTable::new(dataset.gene_ids.clone(), dataset.gene_symbols.clone()).map_err(
        |error| BuildError::Data {
            step: "gene table",
            detail: error.to_string(),
        },
    )?;
    let mut params = ScParams {
        card: card(dataset, pooled.kept.len(), cell_types.len()),
        genes,
        vocabulary,
        cell_types,
        groups: groups.groups,
        mean_log_library: pooled.mean_log_library as f32,
        dispersion_trend: DispersionTrend::default(),
        atlas: AtlasProfiles::default(),
    };
    let latent_multipliers = calibrate::calibrate(&mut params, dataset, embedding, &groups.cells)?;
    Ok(Fitted {
        params,
        latent_multipliers,
        type_candidates,
        dropped,
        unlabelled,
        unmeasured_share: groups.unmeasured_share / pooled.kept.len() as f64,
        anchored: Vec::new(),
    })
}

/// The candidate types modelled and those left out
struct TypeSelection {
    /// Candidate indices with enough training cells
    type_candidates: Vec<usize>,
    /// Candidates with too few training cells, with their cell counts
    dropped: Vec<(usize, usize)>,
}

/// The candidate types with enough training cells, and those left out with their counts
fn select_types(annotation: &Annotation, training: &[usize]) -> Result<TypeSelection, BuildError> {
    let mut type_candidates = Vec::new();
    let mut dropped = Vec::new();
    for (candidate, _) in CANDIDATES.iter().enumerate() {
        let n = training
            .iter()
            .filter(|&&c| annotation.cell_types[c] == candidate)
            .count();
        if n >= MIN_TYPE_CELLS {
            type_candidates.push(candidate);
        } else if n > 0 {
            dropped.push((candidate, n));
        }
    }
    if type_candidates.is_empty() {
        return Err(BuildError::Data {
            step: "fit",
            detail: format!("no cell type has {MIN_TYPE_CELLS} training cells"),
        });
    }
    Ok(TypeSelection {
        type_candidates,
        dropped,
    })
}

/// What every cell type's fit shares: the kept training cells and their pooled profiles
struct Pooled<'a> {
    dataset: &'a Dataset,
    embedding: &'a Embedding,
    /// Training cells of a modelled type
    kept: Vec<usize>,
    /// Mean log library size of the kept cells
    mean_log_library: f64,
    /// Profile of all kept cells
    global: Vec<f64>,
    /// Per condition (control, stimulated), its profile over the global one, per gene
    condition_ratio: Vec<Vec<f64>>,
    /// Detection limit of the Kang gene filter (a share of the counts)
    cap: f64,
}

impl<'a> Pooled<'a> {
    fn new(
        dataset: &'a Dataset,
        embedding: &'a Embedding,
        annotation: &Annotation,
        training: &[usize],
        type_candidates: &[usize],
    ) -> Pooled<'a> {
        let n_genes = dataset.gene_ids.len();
        let kept: Vec<usize> = training
            .iter()
            .copied()
            .filter(|&c| type_candidates.contains(&annotation.cell_types[c]))
            .collect();
        let log_library = |cell: usize| embedding.libraries[cell].max(1.0).ln();
        let mean_log_library =
            kept.iter().map(|&c| log_library(c)).sum::<f64>() / kept.len() as f64;
        let all_sums = Sums::of(dataset, &kept);
        let uniform = vec![1.0 / n_genes as f64; n_genes];
        let global = all_sums.proportions(&uniform);
        let condition_ratio: Vec<Vec<f64>> = [false, true]
            .iter()
            .map(|&stimulated| {
                let cells: Vec<usize> = kept
                    .iter()
                    .copied()
                    .filter(|&c| dataset.cells[c].stimulated == stimulated)
                    .collect();
                let proportions = Sums::of(dataset, &cells).proportions(&global);
                proportions
                    .iter()
                    .zip(&global)
                    .map(|(p, q)| if *q > 0.0 { p / q } else { 1.0 })
                    .collect()
            })
            .collect();
        let mut shares: Vec<f64> = (0..n_genes)
            .filter(|&g| dataset.measured[g] && all_sums.genes[g] > 0.0)
            .map(|g| all_sums.genes[g] / all_sums.total)
            .collect();
        shares.sort_by(f64::total_cmp);
        let cap = shares.get(shares.len() / 100).copied().unwrap_or(1e-6);
        Pooled {
            dataset,
            embedding,
            kept,
            mean_log_library,
            global,
            condition_ratio,
            cap,
        }
    }

    /// Log library size of a cell
    fn log_library(&self, cell: usize) -> f64 {
        self.embedding.libraries[cell].max(1.0).ln()
    }

    /// The HPA profile standing in for a type's unmeasured genes (mean of its columns)
    fn hpa_profile(&self, hpa_columns: &[&str]) -> Vec<f64> {
        let hpa = &self.dataset.hpa;
        let columns: Vec<usize> = if hpa_columns.is_empty() {
            hpa.column(PBMC_COLUMN).into_iter().collect()
        } else {
            hpa_columns.iter().filter_map(|c| hpa.column(c)).collect()
        };
        let width = hpa.columns.len();
        (0..self.dataset.gene_ids.len())
            .map(|g| {
                let values = columns.iter().map(|&c| hpa.values[g * width + c]);
                values.sum::<f64>() / columns.len().max(1) as f64
            })
            .collect()
    }
}

/// The groups fitted so far, in order, with their training cells
#[derive(Default)]
struct Groups {
    groups: Vec<Group>,
    cells: Vec<Vec<usize>>,
    /// Sum over groups of the unmeasured genes' share times the group's cells
    unmeasured_share: f64,
}

/// Fits one cell type: its condition groups (added to `groups`), latent factors and
/// dispersions
fn fit_cell_type(
    pooled: &Pooled<'_>,
    annotation: &Annotation,
    type_index: usize,
    candidate: usize,
    groups: &mut Groups,
) -> CellType {
    let (dataset, embedding) = (pooled.dataset, pooled.embedding);
    let n_genes = dataset.gene_ids.len();
    let spec = &CANDIDATES[candidate];
    let cells: Vec<usize> = pooled
        .kept
        .iter()
        .copied()
        .filter(|&c| annotation.cell_types[c] == candidate)
        .collect();
    let hpa = pooled.hpa_profile(spec.hpa_columns);
    let moments = fit_groups(pooled, type_index, spec.id, &cells, &hpa, groups);
    let raw = moments.raw();
    let excess: Vec<f64> = raw
        .iter()
        .zip(moments.mean_count())
        .map(|(phi, mean)| phi.map_or(0.0, |phi| phi * mean))
        .collect();
    let mean_count = moments.mean_count();
    let stimulated: Vec<bool> = cells.iter().map(|&c| dataset.cells[c].stimulated).collect();
    let libraries: Vec<f64> = cells.iter().map(|&c| embedding.libraries[c]).collect();
    let mut coordinates = Matrix::zeros(cells.len(), embedding.pca.scores.cols);
    for (row, &cell) in cells.iter().enumerate() {
        coordinates
            .row_mut(row)
            .copy_from_slice(embedding.pca.scores.row(cell));
    }
    let latent = latent::fit(
        dataset,
        &latent::TypeCells {
            cells: &cells,
            stimulated: &stimulated,
            libraries: &libraries,
            coordinates: &coordinates,
            excess: &excess,
            mean_count: &mean_count,
            variable: &embedding.variable,
        },
    );
    let mut latent_extra = vec![0.0; n_genes];
    for (&gene, variance) in latent.genes.iter().zip(latent::log_variances(&latent)) {
        latent_extra[gene as usize] = variance.exp() - 1.0;
    }
    let dispersion = dispersion::shrink(&moments, &latent_extra, &dataset.measured);
    let label = dataset
        .tables
        .ontologies
        .label(spec.id)
        .map_or_else(|| spec.name.to_owned(), str::to_owned);
    CellType {
        id: spec.id.to_owned(),
        label,
        latent,
        dispersion,
    }
}

/// Adds a type's control and stimulated groups (those with enough cells) and returns the
/// count moments of their cells
fn fit_groups(
    pooled: &Pooled<'_>,
    type_index: usize,
    type_id: &str,
    cells: &[usize],
    hpa: &[f64],
    groups: &mut Groups,
) -> Moments {
    let (dataset, embedding) = (pooled.dataset, pooled.embedding);
    let n_genes = dataset.gene_ids.len();
    let pooled_profile = Sums::of(dataset, cells).proportions(&pooled.global);
    let type_log_sd = standard_deviation(
        &cells
            .iter()
            .map(|&c| pooled.log_library(c))
            .collect::<Vec<_>>(),
    );
    let mut moments = Moments::new(n_genes);
    for stimulated in [false, true] {
        let group_cells: Vec<usize> = cells
            .iter()
            .copied()
            .filter(|&c| dataset.cells[c].stimulated == stimulated)
            .collect();
        if group_cells.len() < MIN_GROUP_CELLS {
            continue;
        }
        let prior = normalise(
            pooled_profile
                .iter()
                .zip(&pooled.condition_ratio[usize::from(stimulated)])
                .map(|(p, r)| p * r)
                .collect(),
        );
        let measured_profile = Sums::of(dataset, &group_cells).proportions(&prior);
        for &cell in &group_cells {
            let (genes, counts) = dataset.counts.row(cell);
            moments.add(embedding.libraries[cell], &measured_profile, genes, counts);
        }
        let profile = extend_with_hpa(&dataset.measured, &measured_profile, hpa, pooled.cap);
        groups.unmeasured_share += (0..n_genes)
            .filter(|&g| !dataset.measured[g])
            .map(|g| profile[g])
            .sum::<f64>()
            * group_cells.len() as f64;
        let logs: Vec<f64> = group_cells.iter().map(|&c| pooled.log_library(c)).collect();
        let mean = logs.iter().sum::<f64>() / logs.len() as f64;
        let log_sd = if logs.len() >= 10 {
            standard_deviation(&logs)
        } else {
            type_log_sd
        };
        groups.groups.push(Group {
            cell_type: type_index,
            fields: fields(type_id, stimulated),
            n_cells: group_cells.len() as u32,
            log_profile: profile.iter().map(|p| p.ln() as f32).collect(),
            library: LibrarySize {
                log_offset: (mean - pooled.mean_log_library) as f32,
                log_sd: log_sd as f32,
            },
        });
        groups.cells.push(group_cells);
    }
    moments
}

/// The model card of synthome-sc-v1, fitted on `n_cells` cells of `n_types` types
fn card(dataset: &Dataset, n_cells: usize, n_types: usize) -> ModelCard {
    let summary = format!(
        "Single-cell PBMC model fitted on Kang et al. 2018 (10x UMI counts of {} cells, control and IFN-beta 6 h); clusters annotated into {} Cell Ontology types with CL consensus markers and HPA sorted blood-cell profiles. Per cell type and condition: mean profile, latent factors, log-normal library sizes and negative binomial noise; output is sparse UMI counts over {} genes ({} measured by Kang, the rest imputed from HPA below the detection limit).",
        n_cells,
        n_types,
        dataset.gene_ids.len(),
        dataset.measured.iter().filter(|&&m| m).count()
    );
    ModelCard {
        id: SC_MODEL_ID.to_owned(),
        alias: SC_MODEL_ALIAS.to_owned(),
        version: SC_MODEL_VERSION.to_owned(),
        summary,
        licence: "CC BY-SA 4.0 (derived from Human Protein Atlas data; Kang 2018 counts GEO GSE96583; CL markers CC BY 4.0)".to_owned(),
    }
}

/// The metadata of a group
fn fields(cell_type: &str, stimulated: bool) -> Vec<(MetadataKey, String)> {
    let mut fields = vec![
        (MetadataKey::CellTypeOntologyId, cell_type.to_owned()),
        (MetadataKey::TissueOntologyId, vocabulary::BLOOD.to_owned()),
        (
            MetadataKey::SampleType,
            vocabulary::PRIMARY_CELLS.to_owned(),
        ),
        (
            MetadataKey::DevelopmentalStage,
            vocabulary::ADULT.to_owned(),
        ),
        (
            MetadataKey::DiseaseOntologyId,
            vocabulary::HEALTHY.to_owned(),
        ),
    ];
    if stimulated {
        fields.push((
            MetadataKey::PerturbationType,
            vocabulary::BIOLOGIC.to_owned(),
        ));
        fields.push((
            MetadataKey::PerturbationOntologyId,
            vocabulary::IFNB1.to_owned(),
        ));
        fields.push((
            MetadataKey::PerturbationTime,
            format!("{} hours", vocabulary::HOURS),
        ));
    } else {
        fields.push((
            MetadataKey::PerturbationType,
            vocabulary::CONTROL.to_owned(),
        ));
    }
    fields
}

/// Population standard deviation (0 for fewer than 2 values)
fn standard_deviation(values: &[f64]) -> f64 {
    if values.len() < 2 {
        return 0.0;
    }
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / values.len() as f64).sqrt()
}
