//! Metadata prediction: the posterior over the model's training classes given a sample's
//! counts, and from it calibrated probabilities per metadata key.
//!
//! The classes are the model's training conditions (each tissue, cell type, cell line, disease,
//! perturbation ... the builders put in the bundle), each split into a female and a male class
//! when it does not fix `sex` and the model knows the key. Each class's profile is the model's
//! own mean for its metadata ([`mean_log_profiles`]); a sample is scored against each
//! ([`SampleFit`]) on the [`INFORMATIVE_GENES`] genes whose profiles differ most between
//! classes, and `P(class | counts) = softmax(score / TEMPERATURE)` under a uniform prior.
//! For a key, `P(value)` is the posterior of the classes with that value given that the sample
//! is one of the classes that have the key at all (a softmax over those classes); `metadata`
//! holds the most probable value of every key whose classes carry at least half the posterior.

use std::collections::BTreeMap;

use synthome_query::MetadataKey;

use crate::engine::Engine;
use crate::families::profiles::{generatable, mean_log_profiles};
use crate::families::score::{ClassFit, SampleFit};
use crate::families::view::TrainingView;
use crate::families::{FamilyError, Latents};

/// Genes the classes are told apart on: the most variable across the class profiles
pub const INFORMATIVE_GENES: usize = 4000;
/// Divides the log likelihoods before the softmax; chosen on held-out real samples
/// (docs/families.md: the mean negative log likelihood of the true sex is lowest between 5 and
/// 10 on 95 held-out real samples) so that the probabilities are calibrated
pub const TEMPERATURE: f64 = 8.0;
/// Least expression (proportion of the library) a gene needs in some class to be informative
const MIN_PROPORTION: f32 = 1e-6;
/// Classes whose profiles are computed in one model call
const PROFILE_CHUNK: usize = 64;

/// One class: its metadata and its profile over the informative genes
#[derive(Debug, Clone, PartialEq)]
pub struct Class {
    /// The metadata, canonical values
    pub fields: Vec<(MetadataKey, String)>,
    /// ln proportion of each informative gene
    profile: Vec<f32>,
}

impl Class {
    /// Whether the class is a perturbed condition
    pub fn is_perturbed(&self) -> bool {
        is_perturbed(&self.fields)
    }
}

/// Whether metadata describes a perturbed condition (a perturbation key other than
/// `perturbation_type: control`)
pub fn is_perturbed(fields: &[(MetadataKey, String)]) -> bool {
    fields.iter().any(|(key, value)| {
        key.is_perturbation() && !(*key == MetadataKey::PerturbationType && value == "control")
    })
}

/// A model's classes, ready to score samples
pub struct Predictor {
    /// The classes, in training order (female before male)
    pub classes: Vec<Class>,
    /// Informative gene indices, increasing
    pub informative: Vec<usize>,
    /// The model's view (dispersion, latent factors)
    pub view: TrainingView,
    /// Training conditions the model could not generate (left out)
    pub skipped: usize,
}

/// One sample's prediction
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// The most probable value per key (keys whose classes carry half the posterior or more)
    pub metadata: Vec<(MetadataKey, String)>,
    /// `{key: {value: probability}}`, probabilities summing to 1 per key
    pub classifier_probs: BTreeMap<String, BTreeMap<String, f64>>,
    /// The latent state of the best class's fit
    pub latents: Latents,
    /// Index of the most probable class
    pub best: usize,
    /// The best class's fit (latent scores, offset)
    pub fit: ClassFit,
}

/// The class metadata sets: each training condition, split by sex where it leaves sex open,
/// without repeats, in training order
fn class_fields(engine: &dyn Engine, view: &TrainingView) -> Vec<Vec<(MetadataKey, String)>> {
    let models_sex = engine
        .vocabulary()
        .domain(MetadataKey::Sex.as_str())
        .is_some_and(|domain| !domain.is_empty());
    let mut sets: Vec<Vec<(MetadataKey, String)>> = Vec::new();
    for class in &view.classes {
        let mut fields = class.fields.clone();
        fields.sort_by_key(|(key, _)| *key);
        let has_sex = fields.iter().any(|(key, _)| *key == MetadataKey::Sex);
        let variants: Vec<Vec<(MetadataKey, String)>> = if has_sex || !models_sex {
            vec![fields]
        } else {
            ["female", "male"]
                .iter()
                .map(|sex| {
                    let mut with_sex = fields.clone();
                    with_sex.push((MetadataKey::Sex, (*sex).to_owned()));
                    with_sex.sort_by_key(|(key, _)| *key);
                    with_sex
                })
                .collect()
        };
        for variant in variants {
            if !sets.contains(&variant) {
                sets.push(variant);
            }
        }
    }
    sets
}

impl Predictor {
    /// Computes the classes' profiles and picks the informative genes
    pub fn new(engine: &dyn Engine) -> Result<Predictor, FamilyError> {
        let view = engine.training_view();
        let all = class_fields(engine, &view);
        let total = all.len();
        let sets: Vec<Vec<(MetadataKey, String)>> = all
            .into_iter()
            .filter(|fields| generatable(engine, fields))
            .collect();
        if sets.is_empty() {
            return Err(FamilyError::NoClasses);
        }
        let n_genes = engine.genes().len();
        // Pass 1: per-gene mean, variance and maximum over the classes
        let mut mean = vec![0.0f64; n_genes];
        let mut m2 = vec![0.0f64; n_genes];
        let mut max = vec![f32::NEG_INFINITY; n_genes];
        let mut seen = 0.0f64;
        for chunk in sets.chunks(PROFILE_CHUNK) {
            let refs: Vec<&[(MetadataKey, String)]> = chunk.iter().map(Vec::as_slice).collect();
            for profile in mean_log_profiles(engine, &refs)? {
                seen += 1.0;
                for (gene, &value) in profile.iter().enumerate() {
                    let value64 = f64::from(value);
                    let delta = value64 - mean[gene];
                    mean[gene] += delta / seen;
                    m2[gene] += delta * (value64 - mean[gene]);
                    max[gene] = max[gene].max(value);
                }
            }
        }
        let floor = MIN_PROPORTION.ln();
        let mut ranked: Vec<usize> = (0..n_genes).filter(|&gene| max[gene] > floor).collect();
        ranked.sort_by(|&a, &b| m2[b].total_cmp(&m2[a]).then(a.cmp(&b)));
        ranked.truncate(INFORMATIVE_GENES);
        ranked.sort_unstable();
        let informative = ranked;
        // Pass 2: the profiles over the informative genes
        let mut classes = Vec::with_capacity(sets.len());
        for chunk in sets.chunks(PROFILE_CHUNK) {
            let refs: Vec<&[(MetadataKey, String)]> = chunk.iter().map(Vec::as_slice).collect();
            for (fields, profile) in chunk.iter().zip(mean_log_profiles(engine, &refs)?) {
                classes.push(Class {
                    fields: fields.clone(),
                    profile: informative.iter().map(|&gene| profile[gene]).collect(),
                });
            }
        }
        Ok(Predictor {
            skipped: total - classes.len(),
            classes,
            informative,
            view,
        })
    }

    /// The sample fit of `counts` (the model's gene order)
    pub fn sample_fit(&self, counts: &[f64]) -> Result<SampleFit, FamilyError> {
        let (loadings, n_factors) = match &self.view.latent {
            Some(latent) => (latent.loadings.as_slice(), latent.n_factors),
            None => (&[][..], 0),
        };
        SampleFit::new(
            counts,
            &self.informative,
            &self.view.dispersion,
            loadings,
            n_factors,
        )
    }

    /// The posterior over the classes `allowed` (others get 0) and each class's fit
    pub fn posterior(
        &self,
        fit: &SampleFit,
        allowed: impl Fn(&Class) -> bool,
    ) -> (Vec<f64>, Vec<Option<ClassFit>>) {
        let fits: Vec<Option<ClassFit>> = self
            .classes
            .iter()
            .map(|class| allowed(class).then(|| fit.fit(&class.profile)))
            .collect();
        let best = fits
            .iter()
            .flatten()
            .map(|fit| fit.score)
            .fold(f64::NEG_INFINITY, f64::max);
        let weights: Vec<f64> = fits
            .iter()
            .map(|fit| {
                fit.as_ref()
                    .map_or(0.0, |fit| ((fit.score - best) / TEMPERATURE).exp())
            })
            .collect();
        let sum: f64 = weights.iter().sum();
        let posterior = weights.iter().map(|weight| weight / sum).collect();
        (posterior, fits)
    }

    /// Predicts the metadata of one sample
    pub fn predict(&self, counts: &[f64]) -> Result<Prediction, FamilyError> {
        let fit = self.sample_fit(counts)?;
        let (posterior, fits) = self.posterior(&fit, |_| true);
        let best = (0..posterior.len())
            .max_by(|&a, &b| posterior[a].total_cmp(&posterior[b]).then(b.cmp(&a)))
            .unwrap_or(0);
        // Per key: the posterior mass of the classes with the key, and the distribution of its
        // values conditional on the key (a softmax over those classes alone, so a key whose
        // classes are all improbable still gets probabilities that sum to 1)
        let logits: Vec<f64> = fits
            .iter()
            .map(|fit| {
                fit.as_ref()
                    .map_or(f64::NEG_INFINITY, |fit| fit.score / TEMPERATURE)
            })
            .collect();
        let mut keys: BTreeMap<MetadataKey, (f64, f64)> = BTreeMap::new();
        for (class, (&p, &logit)) in self.classes.iter().zip(posterior.iter().zip(&logits)) {
            for (key, _) in &class.fields {
                let entry = keys.entry(*key).or_insert((0.0, f64::NEG_INFINITY));
                entry.0 += p;
                entry.1 = entry.1.max(logit);
            }
        }
        let mut classifier_probs = BTreeMap::new();
        let mut metadata = Vec::new();
        for (key, (key_mass, top)) in keys {
            let mut values: BTreeMap<String, f64> = BTreeMap::new();
            for (class, &logit) in self.classes.iter().zip(&logits) {
                if let Some((_, value)) = class.fields.iter().find(|(known, _)| *known == key) {
                    *values.entry(value.clone()).or_default() += (logit - top).exp();
                }
            }
            let sum: f64 = values.values().sum();
            let probabilities: BTreeMap<String, f64> = values
                .into_iter()
                .map(|(value, weight)| (value, weight / sum))
                .collect();
            if key_mass >= 0.5
                && let Some((value, _)) = probabilities
                    .iter()
                    .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0)))
            {
                metadata.push((key, value.clone()));
            }
            classifier_probs.insert(key.as_str().to_owned(), probabilities);
        }
        let best_fit = fits[best].clone().unwrap_or(ClassFit {
            score: 0.0,
            z: Vec::new(),
            offset: 0.0,
        });
        let library: f64 = counts.iter().sum();
        Ok(Prediction {
            metadata,
            classifier_probs,
            latents: Latents {
                biological: best_fit.z.iter().map(|&z| z as f32).collect(),
                technical: vec![library.ln() as f32, best_fit.offset as f32],
                perturbation: Vec::new(),
            },
            best,
            fit: best_fit,
        })
    }
}
