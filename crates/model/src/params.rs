//! The parameters of the bulk model as plain values: what the builder fits and the bundle
//! stores
//!
//! Log values are natural logarithms. A context's profile is the log CPM of a typical sample
//! (counts per million over the model's genes); effects are log fold changes added to it.

pub use synthome_bundle::ModelCard;
use synthome_matrix::GeneTable;
use synthome_query::MetadataKey;
use synthome_vocab::Vocabulary;

/// The sex of a context's base profile
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileSex {
    /// An average over female and male samples (tissue summaries): the sex-average profile
    Mixed,
    /// Female samples only (a female cell line, a female-only tissue)
    Female,
    /// Male samples only
    Male,
}

impl ProfileSex {
    /// Position on the sex axis: -1 female, 0 mixed, +1 male
    pub fn sign(self) -> f32 {
        match self {
            ProfileSex::Mixed => 0.0,
            ProfileSex::Female => -1.0,
            ProfileSex::Male => 1.0,
        }
    }
}

/// A known biological context: one base expression profile
#[derive(Debug, Clone, PartialEq)]
pub struct Context {
    /// Where the profile comes from, for messages (`HPA consensus: liver`)
    pub name: String,
    /// Log CPM of a typical sample, one value per gene
    pub log_cpm: Vec<f32>,
    /// Which sex the profile represents
    pub profile_sex: ProfileSex,
}

/// The kind of a perturbation, as `perturbation_type` spells it
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PerturbationKind {
    /// `shrna`: knock-down by short hairpin RNA
    Shrna,
    /// `crispr`: CRISPR knock-out
    Crispr,
    /// `compound`: a small molecule
    Compound,
    /// `overexpression`: an overexpressed gene
    Overexpression,
}

impl PerturbationKind {
    /// Every kind
    pub const ALL: [PerturbationKind; 4] = [
        PerturbationKind::Shrna,
        PerturbationKind::Crispr,
        PerturbationKind::Compound,
        PerturbationKind::Overexpression,
    ];

    /// The `perturbation_type` value
    pub fn as_str(self) -> &'static str {
        match self {
            PerturbationKind::Shrna => "shrna",
            PerturbationKind::Crispr => "crispr",
            PerturbationKind::Compound => "compound",
            PerturbationKind::Overexpression => "overexpression",
        }
    }

    /// The kind with this `perturbation_type` value
    pub fn parse(text: &str) -> Option<PerturbationKind> {
        PerturbationKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == text)
    }
}

/// The measured response to one perturbation at one dose and time: sparse log fold changes
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// Dose in micromolar, when the data resolves doses
    pub dose_um: Option<f64>,
    /// Time in hours, when the data resolves times
    pub time_hours: Option<f64>,
    /// Gene indices, strictly increasing
    pub genes: Vec<u32>,
    /// Log fold change per listed gene
    pub log_fold_changes: Vec<f32>,
}

/// A perturbation the model knows, with its responses
#[derive(Debug, Clone, PartialEq)]
pub struct Perturbation {
    /// The primary id (`ENSG...` for genes, `CHEMBL...` for compounds)
    pub id: String,
    /// The kind of perturbation
    pub kind: PerturbationKind,
    /// The context it was measured in; `None` for consensus signatures over many cell lines
    pub measured_in: Option<usize>,
    /// The data it comes from, for messages (`K562 shRNA (SRP009615)`)
    pub source: String,
    /// Responses, by dose and time
    pub responses: Vec<Response>,
}

/// A perturbation applied in a training condition
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AppliedPerturbation {
    /// Index into the model's perturbations
    pub index: usize,
    /// Dose in micromolar, if the condition has one
    pub dose_um: Option<f64>,
    /// Time in hours, if the condition has one
    pub time_hours: Option<f64>,
}

/// One condition of the training data, with its weight in the training distribution
///
/// Unspecified query keys are filled from the conditions consistent with the given keys.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingCondition {
    /// Index into the model's contexts
    pub context: usize,
    /// The metadata of the condition, canonical values (`"10 um"`, `"24 hours"` for quantities)
    pub fields: Vec<(MetadataKey, String)>,
    /// The perturbation applied, if any
    pub perturbation: Option<AppliedPerturbation>,
    /// Weight in the training distribution (number of training samples, or 1 per summary)
    pub weight: f64,
}

impl TrainingCondition {
    /// The value of `key` in this condition
    pub fn field(&self, key: MetadataKey) -> Option<&str> {
        self.fields
            .iter()
            .find(|(field_key, _)| *field_key == key)
            .map(|(_, value)| value.as_str())
    }
}

/// Low-rank biological heterogeneity: `log CPM += loadings^T z`, z ~ N(0, I)
#[derive(Debug, Clone, PartialEq)]
pub struct Latent {
    /// Number of factors K
    pub n_factors: usize,
    /// Loadings, factor-major: `loadings[k * n_genes + gene]`
    pub loadings: Vec<f32>,
}

/// Count noise: negative binomial with dispersion
/// `phi(gene, mu) = technical + technical_low_count / max(mu, 1) + biological[gene]`
#[derive(Debug, Clone, PartialEq)]
pub struct Noise {
    /// Asymptotic technical dispersion (replicates of one condition)
    pub technical: f32,
    /// Extra technical dispersion at low counts
    pub technical_low_count: f32,
    /// Gene-wise biological dispersion not carried by the latent factors
    pub biological: Vec<f32>,
}

/// Everything a bulk model is made of
#[derive(Debug, Clone)]
pub struct BulkParams {
    /// Identity and description
    pub card: ModelCard,
    /// The genes, in output order
    pub genes: GeneTable,
    /// The values the model accepts, per metadata key
    pub vocabulary: Vocabulary,
    /// Base profiles
    pub contexts: Vec<Context>,
    /// The training distribution
    pub conditions: Vec<TrainingCondition>,
    /// Half the male-minus-female log difference per gene: males `+`, females `-`
    pub sex_effect: Vec<f32>,
    /// Biological heterogeneity
    pub latent: Latent,
    /// Count noise
    pub noise: Noise,
    /// Known perturbations
    pub perturbations: Vec<Perturbation>,
}
