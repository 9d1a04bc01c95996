//! `BulkModel`: checked parameters plus what generation needs (normal tables)

use std::sync::Arc;

use synthome_matrix::GeneTable;

use crate::family::{ParamsCheck, ParamsError};
use crate::params::BulkParams;
use crate::sampler::Ziggurat;
use crate::states::States;

/// A bulk RNA-seq model ready to generate; built from checked [`BulkParams`]
#[derive(Debug, Clone)]
pub struct BulkModel {
    params: BulkParams,
    genes: Arc<GeneTable>,
    states: States,
    pub(crate) normal: Ziggurat,
}

crate::model_accessors!(BulkModel, BulkParams);

impl BulkModel {
    /// Checks that the parameters fit together and builds the model
    pub fn new(params: BulkParams) -> Result<BulkModel, ParamsError> {
        check(&params)?;
        let genes = Arc::new(params.genes.clone());
        Ok(BulkModel {
            params,
            genes,
            states: States::default(),
            normal: Ziggurat::new(),
        })
    }

    /// The same model with disease, age and spread effects (checked against its genes and
    /// contexts)
    pub fn with_states(mut self, states: States) -> Result<BulkModel, ParamsError> {
        states.check(
            self.n_genes(),
            self.params.contexts.len(),
            self.params.latent.n_factors,
        )?;
        self.states = states;
        Ok(self)
    }

    /// The disease, age and spread effects (empty for a model without them)
    pub fn states(&self) -> &States {
        &self.states
    }
}

/// Checks lengths, indices and finiteness
fn check(params: &BulkParams) -> Result<(), ParamsError> {
    let n_genes = params.genes.len();
    let check = ParamsCheck::new(n_genes);
    for context in &params.contexts {
        let what = format!("context {:?}", context.name);
        check.per_gene(&what, context.log_cpm.len())?;
        check.finite(&what, &context.log_cpm)?;
    }
    check.per_gene("sex effect", params.sex_effect.len())?;
    check.finite("sex effect", &params.sex_effect)?;
    check.per_gene("biological dispersion", params.noise.biological.len())?;
    check.finite("biological dispersion", &params.noise.biological)?;
    for (what, value) in [
        ("technical dispersion", params.noise.technical),
        (
            "low-count technical dispersion",
            params.noise.technical_low_count,
        ),
    ] {
        if !value.is_finite() || value < 0.0 {
            return Err(ParamsError::Value {
                what: what.to_owned(),
                value: f64::from(value),
                rule: "must be a finite number >= 0".to_owned(),
            });
        }
    }
    if let Some(bad) = params.noise.biological.iter().find(|value| **value < 0.0) {
        return Err(ParamsError::Value {
            what: "biological dispersion".to_owned(),
            value: f64::from(*bad),
            rule: "must be >= 0".to_owned(),
        });
    }
    let expected_loadings = params.latent.n_factors.checked_mul(n_genes);
    if expected_loadings != Some(params.latent.loadings.len()) {
        return Err(ParamsError::GeneCount {
            what: format!("latent loadings of {} factors", params.latent.n_factors),
            actual: params.latent.loadings.len(),
            expected: n_genes,
        });
    }
    check.finite("latent loadings", &params.latent.loadings)?;
    if params.conditions.is_empty() {
        return Err(ParamsError::NoTrainingData {
            what: "training conditions",
            needed: "one",
        });
    }
    for (position, condition) in params.conditions.iter().enumerate() {
        let what = format!("training condition {position}");
        check.index(&what, condition.context, params.contexts.len())?;
        if let Some(applied) = condition.perturbation {
            check.index(&what, applied.index, params.perturbations.len())?;
        }
        if !condition.weight.is_finite() || condition.weight <= 0.0 {
            return Err(ParamsError::Value {
                what: format!("weight of training condition {position}"),
                value: condition.weight,
                rule: "must be a finite number > 0".to_owned(),
            });
        }
    }
    for perturbation in &params.perturbations {
        if let Some(context) = perturbation.measured_in {
            check.index(
                &format!("perturbation {}", perturbation.id),
                context,
                params.contexts.len(),
            )?;
        }
        for response in &perturbation.responses {
            let what = format!("response of perturbation {}", perturbation.id);
            if response.genes.len() != response.log_fold_changes.len() {
                return Err(ParamsError::GeneCount {
                    what,
                    actual: response.log_fold_changes.len(),
                    expected: response.genes.len(),
                });
            }
            check.gene_indices(&what, &response.genes)?;
            check.finite(&what, &response.log_fold_changes)?;
        }
    }
    Ok(())
}
