//! The parameters of the single-cell model as plain values: what the builder fits and the
//! bundle stores
//!
//! Log values are natural logarithms. A group's profile is the log proportion of each gene in
//! a cell's UMI counts (the proportions of a profile sum to 1).

use synthome_bundle::ModelCard;
use synthome_matrix::GeneTable;
use synthome_query::MetadataKey;
use synthome_vocab::Vocabulary;

/// Within-type heterogeneity: `log rate[genes[j]] += sum_k loadings[k * n + j] * z[k]` over a
/// subset of the genes
///
/// Without a bank, `z[k] ~ N(0, scales[k]^2)`. With a bank (latent states of training cells),
/// `z` is a kernel density draw: a uniformly chosen bank row plus `N(0, (jitter scales[k])^2)`,
/// which keeps sub-populations (e.g. naive and memory T cells) apart instead of one blob.
#[derive(Debug, Clone, PartialEq)]
pub struct Latent {
    /// Gene indices the factors act on, strictly increasing
    pub genes: Vec<u32>,
    /// Number of factors K
    pub n_factors: usize,
    /// Loadings, factor-major: `loadings[k * genes.len() + j]` (unit-norm per factor)
    pub loadings: Vec<f32>,
    /// Standard deviation of each factor's scores
    pub scales: Vec<f32>,
    /// Latent states of training cells, row-major (`bank[row * n_factors + k]`); may be empty
    pub bank: Vec<f32>,
    /// Kernel bandwidth relative to `scales` (used with a bank)
    pub jitter: f32,
}

impl Latent {
    /// No factors: every cell of the type has the type's mean profile
    pub fn none() -> Latent {
        Latent {
            genes: Vec::new(),
            n_factors: 0,
            loadings: Vec::new(),
            scales: Vec::new(),
            bank: Vec::new(),
            jitter: 0.0,
        }
    }
}

/// One cell type: its Cell Ontology id, its heterogeneity and its count over-dispersion
#[derive(Debug, Clone, PartialEq)]
pub struct CellType {
    /// Cell Ontology id (`CL:0000624`)
    pub id: String,
    /// Label, for messages and the model card (`CD4-positive, alpha-beta T cell`)
    pub label: String,
    /// Within-type heterogeneity
    pub latent: Latent,
    /// Negative binomial dispersion per gene (variance `mu + phi mu^2`), beyond the latent
    pub dispersion: Vec<f32>,
}

/// Log-normal distribution of a cell's total UMI count, relative to the model's reference
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LibrarySize {
    /// Mean log library size of the group minus the mean over all training cells
    pub log_offset: f32,
    /// Standard deviation of the log library size within the group
    pub log_sd: f32,
}

/// One training group (a cell type in one condition): its profile, library sizes and
/// metadata, with its weight in the training distribution
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Index into the model's cell types
    pub cell_type: usize,
    /// Metadata of the group's cells, canonical values (`"6 hours"` for the time)
    pub fields: Vec<(MetadataKey, String)>,
    /// Number of training cells (the weight for filling unspecified keys)
    pub n_cells: u32,
    /// Log proportion of each gene in a cell's counts
    pub log_profile: Vec<f32>,
    /// Library size distribution
    pub library: LibrarySize,
}

impl Group {
    /// The value of `key` in this group
    pub fn field(&self, key: MetadataKey) -> Option<&str> {
        self.fields
            .iter()
            .find(|(field_key, _)| *field_key == key)
            .map(|(_, value)| value.as_str())
    }
}

/// Everything a single-cell model is made of
#[derive(Debug, Clone)]
pub struct ScParams {
    /// Identity and description
    pub card: ModelCard,
    /// The genes, in output order
    pub genes: GeneTable,
    /// The values the model accepts, per metadata key
    pub vocabulary: Vocabulary,
    /// Cell types
    pub cell_types: Vec<CellType>,
    /// Training groups (cell type x condition)
    pub groups: Vec<Group>,
    /// Mean log library size of the training cells (exp of it: their geometric mean)
    pub mean_log_library: f32,
}
