//! Disease states, age effects and per-context latent spread: what the bulk model knows beyond
//! a context's base profile, the sex effect and perturbations
//!
//! A disease is a sparse log fold change on the context it was measured in (the healthy arm's
//! context for the per-sample sets, the tissue for the TCGA summaries), with the disease arm's
//! own heterogeneity: the effect's weight varies from sample to sample (`severity_sd`) and the
//! latent spread is scaled (`spread`). An age effect is a sparse per-year log fold change
//! relative to a reference age on the contexts of the tissue it was measured in. `spread` per
//! context scales the latent scores z (the factors were fitted on GEUVADIS lines; real tissues
//! and blood vary more). A context family with its own per-sample data (blood, colon, brain)
//! has its own [`FamilyNoise`]: latent factors and biological dispersion fitted on that
//! family's samples, used instead of the GEUVADIS ones for its contexts. A per-sample disease
//! arm has its own as well (`DiseaseEffect::noise`): disease samples do not vary as healthy ones
//! do, more on some programmes (interferon, neutrophil) than a single spread factor can say.

use crate::family::{ParamsCheck, ParamsError};

/// The healthy value of `disease_ontology_id`, as CELLxGENE writes it ("normal")
pub const HEALTHY: &str = "PATO:0000461";

/// A disease the model has, on one context
#[derive(Debug, Clone, PartialEq)]
pub struct DiseaseEffect {
    /// The MONDO id
    pub id: String,
    /// Its label, for messages
    pub label: String,
    /// The context it applies on (the healthy base of the disease arm)
    pub context: usize,
    /// The data it comes from, for messages and the model card
    pub source: String,
    /// Whether per-sample data measured it (false: a summary such as TCGA medians)
    pub per_sample: bool,
    /// Gene indices, strictly increasing
    pub genes: Vec<u32>,
    /// Shrunk disease-vs-normal log fold change (natural log) per listed gene
    pub log_fold_changes: Vec<f32>,
    /// Standard deviation of the per-sample weight of the effect (mean weight 1)
    pub severity_sd: f32,
    /// Latent spread of the disease arm relative to its context's (unused when the arm has
    /// its own `noise`)
    pub spread: f32,
    /// The disease arm's own noise (an index into [`States::noise`]; a family with no
    /// contexts), fitted on its samples alone: its factors and dispersions replace the
    /// context's for the arm's samples
    pub noise: Option<usize>,
}

/// A per-year effect of age on some contexts
#[derive(Debug, Clone, PartialEq)]
pub struct AgeEffect {
    /// The contexts it applies on
    pub contexts: Vec<u32>,
    /// The data it comes from
    pub source: String,
    /// Youngest age in the data (years); younger ages are clamped to it
    pub min_years: f32,
    /// Oldest age in the data (years); older ages are clamped to it
    pub max_years: f32,
    /// The age the contexts' base profiles stand for (the data's median)
    pub reference_years: f32,
    /// The training ages, drawn from when a query leaves the age out
    pub ages: Vec<f32>,
    /// Gene indices, strictly increasing
    pub genes: Vec<u32>,
    /// Shrunk log fold change per year (natural log) per listed gene
    pub per_year: Vec<f32>,
}

/// The sample-to-sample variation of one context family (or one disease arm), fitted on its
/// own per-sample data:
/// its contexts decode `offset + sum_k loadings[k] * z[k]` over the family's factors (the first
/// `n_factors` latent scores) and draw counts with its biological dispersion
#[derive(Debug, Clone, PartialEq)]
pub struct FamilyNoise {
    /// The family (`blood`, `colon`, `brain`), for messages and the model card
    pub name: String,
    /// The contexts that use it (none for a disease arm's noise, which its disease names)
    pub contexts: Vec<u32>,
    /// Number of factors (at most the model's)
    pub n_factors: usize,
    /// Loadings, factor-major (`n_factors * n_genes`)
    pub loadings: Vec<f32>,
    /// Biological dispersion per gene
    pub biological: Vec<f32>,
}

/// Everything the model knows beyond contexts, sex and perturbations (empty for a model
/// without disease or age data)
#[derive(Debug, Clone, Default, PartialEq)]
pub struct States {
    /// Diseases, each on one context
    pub diseases: Vec<DiseaseEffect>,
    /// Age effects
    pub ages: Vec<AgeEffect>,
    /// Latent spread per context (multiplies z); empty means 1 for every context
    pub spread: Vec<f32>,
    /// Latent factors and dispersions of the context families that have their own
    pub noise: Vec<FamilyNoise>,
}

impl States {
    /// The latent spread of a context
    pub fn context_spread(&self, context: usize) -> f32 {
        self.spread.get(context).copied().unwrap_or(1.0)
    }

    /// The family noise of a context, if its family has its own
    pub fn noise_of(&self, context: usize) -> Option<usize> {
        self.noise
            .iter()
            .position(|family| family.contexts.contains(&(context as u32)))
    }

    /// The diseases with this id (one per context they were measured on)
    pub fn disease(&self, id: &str) -> impl Iterator<Item = (usize, &DiseaseEffect)> {
        self.diseases
            .iter()
            .enumerate()
            .filter(move |(_, disease)| disease.id == id)
    }

    /// The age effect on a context, if any
    pub fn age_on(&self, context: usize) -> Option<(usize, &AgeEffect)> {
        self.ages
            .iter()
            .enumerate()
            .find(|(_, age)| age.contexts.contains(&(context as u32)))
    }

    /// Checks indices, lengths and values against a model of `n_genes` genes, `n_contexts`
    /// contexts and `n_factors` latent factors
    pub(crate) fn check(
        &self,
        n_genes: usize,
        n_contexts: usize,
        n_factors: usize,
    ) -> Result<(), ParamsError> {
        let check = ParamsCheck::new(n_genes);
        for disease in &self.diseases {
            let what = format!("disease {} ({})", disease.id, disease.source);
            check.index(&what, disease.context, n_contexts)?;
            sparse(&check, &what, &disease.genes, &disease.log_fold_changes)?;
            non_negative(&what, "severity sd", disease.severity_sd)?;
            non_negative(&what, "spread", disease.spread)?;
            if let Some(noise) = disease.noise {
                check.index(&format!("{what}: its own noise"), noise, self.noise.len())?;
            }
        }
        for age in &self.ages {
            let what = format!("age effect ({})", age.source);
            for &context in &age.contexts {
                check.index(&what, context as usize, n_contexts)?;
            }
            sparse(&check, &what, &age.genes, &age.per_year)?;
            let ordered = age.min_years <= age.reference_years
                && age.reference_years <= age.max_years
                && age.min_years >= 0.0;
            if !ordered || !age.max_years.is_finite() {
                return Err(ParamsError::Value {
                    what: format!("{what}: reference age"),
                    value: f64::from(age.reference_years),
                    rule: format!(
                        "must lie in the age range {} to {} (finite, >= 0)",
                        age.min_years, age.max_years
                    ),
                });
            }
            check.finite(&what, &age.ages)?;
        }
        if !self.spread.is_empty() && self.spread.len() != n_contexts {
            return Err(ParamsError::Value {
                what: "the number of latent spreads per context".to_owned(),
                value: self.spread.len() as f64,
                rule: format!("must be 0 or the number of contexts, {n_contexts}"),
            });
        }
        for &spread in &self.spread {
            non_negative("latent spread per context", "value", spread)?;
        }
        let mut claimed = vec![false; n_contexts];
        for family in &self.noise {
            let what = format!("the {} family's noise", family.name);
            for &context in &family.contexts {
                check.index(&what, context as usize, n_contexts)?;
                if std::mem::replace(&mut claimed[context as usize], true) {
                    return Err(ParamsError::Value {
                        what: format!("{what}: context {context}"),
                        value: f64::from(context),
                        rule: "must belong to one family only".to_owned(),
                    });
                }
            }
            if family.n_factors > n_factors {
                return Err(ParamsError::Value {
                    what: format!("{what}: number of factors"),
                    value: family.n_factors as f64,
                    rule: format!("must be at most the model's {n_factors}"),
                });
            }
            if family.loadings.len() != family.n_factors * n_genes {
                return Err(ParamsError::GeneCount {
                    what: format!("{what}: loadings ({} factors x genes)", family.n_factors),
                    actual: family.loadings.len(),
                    expected: family.n_factors * n_genes,
                });
            }
            check.finite(&format!("{what}: loadings"), &family.loadings)?;
            let dispersion = format!("{what}: biological dispersion");
            check.per_gene(&dispersion, family.biological.len())?;
            check.at_least(&dispersion, &family.biological, 0.0)?;
        }
        Ok(())
    }
}

/// Checks a sparse effect: as many values as genes, valid indices, finite values
fn sparse(
    check: &ParamsCheck,
    what: &str,
    genes: &[u32],
    values: &[f32],
) -> Result<(), ParamsError> {
    if genes.len() != values.len() {
        return Err(ParamsError::GeneCount {
            what: what.to_owned(),
            actual: values.len(),
            expected: genes.len(),
        });
    }
    check.gene_indices(what, genes)?;
    check.finite(what, values)
}

/// A finite value >= 0
fn non_negative(what: &str, name: &str, value: f32) -> Result<(), ParamsError> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(ParamsError::Value {
            what: format!("{what}: {name}"),
            value: f64::from(value),
            rule: "must be a finite number >= 0".to_owned(),
        })
    }
}
