//! `ScModel`: checked parameters plus what generation needs (normalised profiles)

use std::borrow::Cow;
use std::sync::Arc;

use synthome_matrix::GeneTable;
use synthome_model::family::{ParamsCheck, ParamsError};

use crate::params::{Latent, ScParams};

/// A single-cell model ready to generate; built from checked [`ScParams`]
#[derive(Debug, Clone)]
pub struct ScModel {
    params: ScParams,
    genes: Arc<GeneTable>,
    /// Per group, the proportion of each gene (sums to 1); empty for atlas groups, which
    /// are decoded when a query uses them
    pub(crate) proportions: Vec<Vec<f64>>,
    /// Per group, its column in the atlas profiles (atlas groups only)
    pub(crate) atlas_columns: Vec<Option<usize>>,
    /// Per cell type, `ln E[exp(eta)]` of each latent gene, subtracted from drawn states so the
    /// latent factors leave every gene's mean unchanged
    pub(crate) latent_offsets: Vec<Vec<f64>>,
}

synthome_model::model_accessors!(ScModel, ScParams);

impl ScModel {
    /// Checks that the parameters fit together and builds the model
    pub fn new(params: ScParams) -> Result<ScModel, ParamsError> {
        check(&params)?;
        let genes = Arc::new(params.genes.clone());
        let proportions = params
            .groups
            .iter()
            .map(|group| normalised(&group.log_profile))
            .collect();
        let mut next_column = 0;
        let atlas_columns = params
            .groups
            .iter()
            .map(|group| {
                group.log_profile.is_empty().then(|| {
                    next_column += 1;
                    next_column - 1
                })
            })
            .collect();
        let latent_offsets = params
            .cell_types
            .iter()
            .map(|cell_type| latent_offsets(&cell_type.latent))
            .collect();
        Ok(ScModel {
            params,
            genes,
            proportions,
            atlas_columns,
            latent_offsets,
        })
    }

    /// The training cells' geometric mean library size (the depth the model was fitted at)
    pub fn training_library_size(&self) -> f64 {
        libm::exp(f64::from(self.params.mean_log_library))
    }

    /// Proportion of each gene in group `group`'s cells (sums to 1), or `None` out of range
    /// (decoded for an atlas group)
    pub fn group_proportions(&self, group: usize) -> Option<Cow<'_, [f64]>> {
        let column = *self.atlas_columns.get(group)?;
        Some(match column {
            Some(column) => Cow::Owned(self.params.atlas.proportions(column, self.genes.len())),
            None => Cow::Borrowed(self.proportions[group].as_slice()),
        })
    }
}

/// `ln E[exp(eta_j)]` per latent gene: `sigma_j^2 / 2` for Gaussian scores; for a bank, the
/// log of the mean over its rows of `exp(eta_j(row))` plus the kernel's `(jitter sigma_j)^2 / 2`
fn latent_offsets(latent: &Latent) -> Vec<f64> {
    let n = latent.genes.len();
    let k = latent.n_factors;
    let variance = |j: usize, factor: f64| -> f64 {
        (0..k)
            .map(|f| {
                let spread =
                    f64::from(latent.loadings[f * n + j]) * f64::from(latent.scales[f]) * factor;
                spread * spread
            })
            .sum()
    };
    let rows = latent.bank.len().checked_div(k).unwrap_or(0);
    (0..n)
        .map(|j| {
            if rows == 0 {
                return variance(j, 1.0) / 2.0;
            }
            let mean: f64 = (0..rows)
                .map(|row| {
                    let eta: f64 = (0..k)
                        .map(|f| {
                            f64::from(latent.loadings[f * n + j])
                                * f64::from(latent.bank[row * k + f])
                        })
                        .sum();
                    libm::exp(eta)
                })
                .sum::<f64>()
                / rows as f64;
            libm::log(mean) + variance(j, f64::from(latent.jitter)) / 2.0
        })
        .collect()
}

/// exp of log values, scaled to sum to 1 (max subtracted first for range)
fn normalised(log_profile: &[f32]) -> Vec<f64> {
    let max = log_profile
        .iter()
        .fold(f32::NEG_INFINITY, |acc, &value| acc.max(value));
    let mut values: Vec<f64> = log_profile
        .iter()
        .map(|&value| libm::exp(f64::from(value - max)))
        .collect();
    let total: f64 = values.iter().sum();
    if total > 0.0 {
        for value in &mut values {
            *value /= total;
        }
    }
    values
}

/// Checks lengths, indices and ranges
fn check(params: &ScParams) -> Result<(), ParamsError> {
    let n_genes = params.genes.len();
    let check = ParamsCheck::new(n_genes);
    if params.groups.is_empty() {
        return Err(ParamsError::NoTrainingData {
            what: "training groups",
            needed: "one cell type in one condition",
        });
    }
    if !params.mean_log_library.is_finite() {
        return Err(ParamsError::Value {
            what: "mean log library size".to_owned(),
            value: f64::from(params.mean_log_library),
            rule: "must be a finite number".to_owned(),
        });
    }
    for cell_type in &params.cell_types {
        let name = format!("cell type {}", cell_type.id);
        let what = format!("dispersion of {name}");
        if !cell_type.dispersion.is_empty() {
            check.per_gene(&what, cell_type.dispersion.len())?;
        }
        check.at_least(&what, &cell_type.dispersion, 0.0)?;
        let latent = &cell_type.latent;
        check.gene_indices(&format!("latent genes of {name}"), &latent.genes)?;
        let expected = latent.n_factors.checked_mul(latent.genes.len());
        if expected != Some(latent.loadings.len()) {
            return Err(ParamsError::GeneCount {
                what: format!(
                    "latent loadings of {name} ({} factors x {} genes)",
                    latent.n_factors,
                    latent.genes.len()
                ),
                actual: latent.loadings.len(),
                expected: expected.unwrap_or(usize::MAX),
            });
        }
        if latent.scales.len() != latent.n_factors {
            return Err(ParamsError::Value {
                what: format!("latent scales of {name}"),
                value: latent.scales.len() as f64,
                rule: format!("there must be one per factor ({})", latent.n_factors),
            });
        }
        check.at_least(
            &format!("latent loadings of {name}"),
            &latent.loadings,
            f32::MIN,
        )?;
        check.at_least(&format!("latent scales of {name}"), &latent.scales, 0.0)?;
        check.at_least(&format!("latent bank of {name}"), &latent.bank, f32::MIN)?;
        check.at_least(&format!("latent jitter of {name}"), &[latent.jitter], 0.0)?;
        if latent.n_factors == 0 && !latent.bank.is_empty()
            || latent.n_factors > 0 && latent.bank.len() % latent.n_factors != 0
        {
            return Err(ParamsError::Value {
                what: format!("latent bank of {name}"),
                value: latent.bank.len() as f64,
                rule: format!(
                    "its length must be a multiple of the {} factors",
                    latent.n_factors
                ),
            });
        }
    }
    let trend = &params.dispersion_trend;
    if trend.log_means.len() != trend.log_dispersions.len()
        || trend.log_means.windows(2).any(|pair| pair[0] >= pair[1])
    {
        return Err(ParamsError::Value {
            what: "dispersion trend knots".to_owned(),
            value: trend.log_means.len() as f64,
            rule: format!(
                "there must be one ln phi per knot ({} given) and the knots must increase",
                trend.log_dispersions.len()
            ),
        });
    }
    check.at_least("dispersion trend", &trend.log_dispersions, f32::MIN)?;
    let atlas_groups = params
        .groups
        .iter()
        .filter(|group| group.log_profile.is_empty())
        .count();
    if params.atlas.n_columns != atlas_groups
        || params.atlas.codes.len() != atlas_groups.saturating_mul(n_genes)
    {
        return Err(ParamsError::GeneCount {
            what: format!(
                "atlas profiles ({} columns for {atlas_groups} atlas groups x {n_genes} genes)",
                params.atlas.n_columns
            ),
            actual: params.atlas.codes.len(),
            expected: atlas_groups.saturating_mul(n_genes),
        });
    }
    for (position, group) in params.groups.iter().enumerate() {
        let name = format!("training group {position}");
        check.index(&name, group.cell_type, params.cell_types.len())?;
        if !group.log_profile.is_empty() {
            let what = format!("profile of {name}");
            check.per_gene(&what, group.log_profile.len())?;
            check.at_least(&what, &group.log_profile, f32::MIN)?;
        }
        if group.n_cells == 0 {
            return Err(ParamsError::Value {
                what: format!("cell count of {name}"),
                value: 0.0,
                rule: "must be at least 1".to_owned(),
            });
        }
        check.at_least(
            &format!("library size offset of {name}"),
            &[group.library.log_offset],
            f32::MIN,
        )?;
        check.at_least(
            &format!("library size spread of {name}"),
            &[group.library.log_sd],
            0.0,
        )?;
    }
    Ok(())
}
