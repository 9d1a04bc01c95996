//! The two other model families of the hosted API, on top of every baseline model:
//! metadata prediction (`<model>_predict-metadata`: counts in, predicted metadata with class
//! probabilities and latents out) and reference conditioning (`<model>_reference-conditioning`:
//! a reference sample's counts plus perturbation metadata in, new samples with the reference's
//! character and the perturbation applied out).
//!
//! Pure computation on the model's public parameters and its own generation (no I/O), the same
//! natively and in wasm: [`view`] reads what a model has (training conditions, latent factors,
//! dispersion), [`profiles`] asks the model for the mean of a metadata set, [`score`] fits a
//! sample to a class, [`predict`] and [`condition`] are the two families, [`run`] the entry
//! points the front ends call.

pub mod condition;
mod linalg;
pub mod predict;
pub mod profiles;
pub mod run;
pub mod score;
pub mod table;
pub mod view;

pub use run::{FamilyPrepared, FamilyResult, PredictedSample, prepare_family, run_family};

use synthome_query::FamilyQueryError;

/// A model family of the hosted API beside the baseline one
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `_predict-metadata`
    PredictMetadata,
    /// `_reference-conditioning`
    ReferenceConditioning,
}

impl Family {
    /// Both families
    pub const ALL: [Family; 2] = [Family::PredictMetadata, Family::ReferenceConditioning];

    /// The suffix of the family's model ids (`gem-1-bulk_predict-metadata`)
    pub fn suffix(self) -> &'static str {
        match self {
            Family::PredictMetadata => "_predict-metadata",
            Family::ReferenceConditioning => "_reference-conditioning",
        }
    }

    /// The `request_type` of the family's Arrow answers
    pub fn request_type(self) -> &'static str {
        match self {
            Family::PredictMetadata => "predict_metadata",
            Family::ReferenceConditioning => "reference_conditioned",
        }
    }

    /// Splits a family model id into its baseline model id and family
    /// (`gem-1-sc_reference-conditioning` -> `gem-1-sc`, reference conditioning); `None` for a
    /// baseline id
    pub fn split(model_id: &str) -> Option<(&str, Family)> {
        let trimmed = model_id.trim();
        Family::ALL.into_iter().find_map(|family| {
            let cut = trimmed.len().checked_sub(family.suffix().len())?;
            (trimmed.is_char_boundary(cut)
                && trimmed[cut..].eq_ignore_ascii_case(family.suffix())
                && cut > 0)
                .then(|| (&trimmed[..cut], family))
        })
    }
}

/// A sample's latent state as the hosted API returns it
///
/// - `biological`: the posterior mean (or draw) of the model's latent factors for the sample
///   (bulk: 20 factors; single cell: empty, its factors are per cell type);
/// - `technical`: `[ln library size, fitted log offset from the class profile]`;
/// - `perturbation`: empty (the model's perturbations are effects, not a latent space).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Latents {
    /// Biological latent
    pub biological: Vec<f32>,
    /// Technical latent
    pub technical: Vec<f32>,
    /// Perturbation latent
    pub perturbation: Vec<f32>,
}

/// Why a family query could not be answered
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FamilyError {
    /// The query is wrong (input index, key, reason): the client's to fix
    #[error("{}", join(.0))]
    Query(Vec<FamilyQueryError>),
    /// A sample expresses too few of the genes the classes differ on
    #[error(
        "the sample expresses {expressed} of the model's {informative} informative genes; at least {needed} must be non-zero"
    )]
    TooFewGenes {
        /// Informative genes with a count
        expressed: usize,
        /// Informative genes
        informative: usize,
        /// Least needed
        needed: usize,
    },
    /// The model has no training condition it can generate
    #[error("the model has no training conditions to compare samples with")]
    NoClasses,
    /// The model could not generate a profile
    #[error("the model could not generate: {0}")]
    Model(String),
}

fn join(errors: &[FamilyQueryError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl FamilyError {
    /// The error as a problem of input `input` (a sample's own problems name their input)
    pub fn at_input(self, input: usize) -> FamilyError {
        match self {
            FamilyError::TooFewGenes { .. } => {
                FamilyError::Query(vec![FamilyQueryError::at_input(
                    input,
                    "counts",
                    self.to_string(),
                )])
            }
            other => other,
        }
    }

    /// Whether the client must change the query (HTTP 422) rather than the server failing
    pub fn is_client_error(&self) -> bool {
        !matches!(self, FamilyError::NoClasses)
    }
}

impl From<synthome_matrix::MatrixError> for FamilyError {
    fn from(error: synthome_matrix::MatrixError) -> Self {
        FamilyError::Model(error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::Family;

    #[test]
    fn family_ids_split_into_model_and_family() {
        assert_eq!(
            Family::split("gem-1-bulk_predict-metadata"),
            Some(("gem-1-bulk", Family::PredictMetadata))
        );
        assert_eq!(
            Family::split("synthome-sc-v1_reference-conditioning"),
            Some(("synthome-sc-v1", Family::ReferenceConditioning))
        );
        assert_eq!(Family::split("gem-1-bulk"), None);
        assert_eq!(Family::split("_predict-metadata"), None);
    }
}
