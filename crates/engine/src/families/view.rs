//! What the family models (metadata prediction, reference conditioning) read from a baseline
//! model: its training conditions, its latent factors and its count dispersion, the same for
//! every model kind so that new contexts (diseases, ages, cell types) are picked up as the
//! builders add them.

use synthome_model::BulkModel;
use synthome_query::MetadataKey;
use synthome_sc_model::ScModel;

/// One condition the model was trained on, as metadata: the classes the predictor tells apart
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingClass {
    /// The condition's metadata, canonical values
    pub fields: Vec<(MetadataKey, String)>,
    /// Its weight in the training distribution
    pub weight: f64,
}

/// Low-rank latent factors over all genes: `log expression += loadings^T z`, z ~ N(0, I)
#[derive(Debug, Clone, PartialEq)]
pub struct LatentFactors {
    /// Number of factors K
    pub n_factors: usize,
    /// Loadings, factor-major: `loadings[k * n_genes + gene]`
    pub loadings: Vec<f32>,
}

/// A model as the families see it
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingView {
    /// The training conditions
    pub classes: Vec<TrainingClass>,
    /// Negative binomial dispersion per gene (variance `mu + phi mu^2`) beyond the latent
    pub dispersion: Vec<f32>,
    /// The model's shared latent factors, if it has any
    pub latent: Option<LatentFactors>,
}

/// A model that can describe itself as a [`TrainingView`]
pub trait FamilySource {
    /// The model's training conditions, dispersion and latent factors
    fn training_view(&self) -> TrainingView;
}

impl FamilySource for BulkModel {
    /// Bulk: the training conditions; dispersion technical + biological; the shared factors
    fn training_view(&self) -> TrainingView {
        let params = self.params();
        TrainingView {
            classes: params
                .conditions
                .iter()
                .map(|condition| TrainingClass {
                    fields: condition.fields.clone(),
                    weight: condition.weight,
                })
                .collect(),
            dispersion: params
                .noise
                .biological
                .iter()
                .map(|biological| biological + params.noise.technical)
                .collect(),
            latent: (params.latent.n_factors > 0).then(|| LatentFactors {
                n_factors: params.latent.n_factors,
                loadings: params.latent.loadings.clone(),
            }),
        }
    }
}

impl FamilySource for ScModel {
    /// Single cell: the training groups (cell type x condition); dispersion the cell-weighted
    /// mean over the cell types; no shared factors (each type's factors act on its own genes)
    fn training_view(&self) -> TrainingView {
        let params = self.params();
        let n_genes = params.genes.len();
        let mut dispersion = vec![0.0f64; n_genes];
        let mut cells = 0.0f64;
        for group in &params.groups {
            if let Some(cell_type) = params.cell_types.get(group.cell_type) {
                let weight = f64::from(group.n_cells);
                for (sum, &phi) in dispersion.iter_mut().zip(&cell_type.dispersion) {
                    *sum += weight * f64::from(phi);
                }
                cells += weight;
            }
        }
        TrainingView {
            classes: params
                .groups
                .iter()
                .map(|group| TrainingClass {
                    fields: group.fields.clone(),
                    weight: f64::from(group.n_cells),
                })
                .collect(),
            dispersion: dispersion
                .iter()
                .map(|sum| {
                    if cells > 0.0 {
                        (sum / cells) as f32
                    } else {
                        0.0
                    }
                })
                .collect(),
            latent: None,
        }
    }
}
