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
    /// Negative binomial dispersion per gene (variance `mu + phi mu^2`), beyond the latent;
    /// empty for a type known only from atlas mean profiles: its genes then take the model's
    /// [`DispersionTrend`] at their expected count
    pub dispersion: Vec<f32>,
}

/// Over-dispersion as a function of a gene's expected count, measured on the UMI-counted
/// training cells and transferred to cell types that have only a mean profile: piecewise
/// linear in `(ln mean, ln phi)` between knots, constant beyond the first and last
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DispersionTrend {
    /// ln of the expected count at each knot, strictly increasing
    pub log_means: Vec<f32>,
    /// ln phi at each knot
    pub log_dispersions: Vec<f32>,
}

impl DispersionTrend {
    /// phi at expected count `mean` (1 when the trend has no knots)
    pub fn at(&self, mean: f64) -> f64 {
        let knots = &self.log_means;
        let values = &self.log_dispersions;
        let (Some(&first), Some(&last)) = (knots.first(), knots.last()) else {
            return 1.0;
        };
        let x = libm::log(mean.max(1e-300));
        let log_phi = if x <= f64::from(first) {
            f64::from(values[0])
        } else if x >= f64::from(last) {
            f64::from(values[values.len() - 1])
        } else {
            let upper = knots.partition_point(|&knot| f64::from(knot) <= x);
            let (x0, x1) = (f64::from(knots[upper - 1]), f64::from(knots[upper]));
            let (y0, y1) = (f64::from(values[upper - 1]), f64::from(values[upper]));
            y0 + (y1 - y0) * (x - x0) / (x1 - x0)
        };
        libm::exp(log_phi)
    }
}

/// The mean profiles of the atlas groups (the groups whose `log_profile` is empty), in group
/// order, stored at reduced precision: per gene and atlas group one byte, column-major
/// (`codes[column * n_genes + gene]`, so a group's profile is one run of bytes); see
/// [`AtlasProfiles::encode`]. The bundle stores them gene-major, which compresses better.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AtlasProfiles {
    /// Number of atlas groups
    pub n_columns: usize,
    /// One code per gene and atlas group, column-major
    pub codes: Vec<u8>,
}

impl AtlasProfiles {
    /// The profiles from their codes in gene-major order (`codes[gene * n_columns + column]`)
    pub fn from_gene_major(n_columns: usize, gene_major: &[u8]) -> AtlasProfiles {
        let n_genes = gene_major.len().checked_div(n_columns).unwrap_or(0);
        let mut codes = vec![0u8; n_columns * n_genes];
        for (gene, row) in gene_major.chunks_exact(n_columns.max(1)).enumerate() {
            for (column, &code) in row.iter().enumerate() {
                codes[column * n_genes + gene] = code;
            }
        }
        AtlasProfiles { n_columns, codes }
    }

    /// The codes in gene-major order, as the bundle stores them
    pub fn gene_major(&self) -> Vec<u8> {
        let n_genes = self.codes.len().checked_div(self.n_columns).unwrap_or(0);
        let mut gene_major = vec![0u8; self.codes.len()];
        for (column, profile) in self.codes.chunks_exact(n_genes.max(1)).enumerate() {
            for (gene, &code) in profile.iter().enumerate() {
                gene_major[gene * self.n_columns + column] = code;
            }
        }
        gene_major
    }

    /// ln proportion of code 1; code 0 is a proportion of 0
    pub const FLOOR: f64 = -13.0;
    /// ln-proportion step between codes (1/8: at most 6.4 % relative error)
    pub const STEP: f64 = 1.0 / 8.0;

    /// The code of a proportion (0 below e^-13, about 2.3e-6: 0.02 counts of a 10,000-count
    /// cell)
    pub fn encode(proportion: f64) -> u8 {
        if proportion <= 0.0 || !proportion.is_finite() {
            return 0;
        }
        let position = (libm::log(proportion) - Self::FLOOR) / Self::STEP;
        if position < -0.5 {
            0
        } else {
            (libm::round(position) as i64).clamp(0, 254) as u8 + 1
        }
    }

    /// The proportion a code stands for (before the profile is renormalised)
    pub fn decode(code: u8) -> f64 {
        if code == 0 {
            0.0
        } else {
            libm::exp(Self::FLOOR + f64::from(code - 1) * Self::STEP)
        }
    }

    /// Column `column`'s proportions, normalised to sum to 1
    pub fn proportions(&self, column: usize, n_genes: usize) -> Vec<f64> {
        // every code's value once (256 `exp`s instead of one per gene; the same bits)
        let decoded: [f64; 256] = std::array::from_fn(|code| Self::decode(code as u8));
        let profile = self
            .codes
            .get(column * n_genes..(column + 1) * n_genes)
            .unwrap_or(&[]);
        let mut values: Vec<f64> = profile
            .iter()
            .map(|&code| decoded[usize::from(code)])
            .collect();
        let total: f64 = values.iter().sum();
        if total > 0.0 {
            for value in &mut values {
                *value /= total;
            }
        }
        values
    }
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
    /// Log proportion of each gene in a cell's counts; empty for an atlas group (its profile
    /// is a column of [`ScParams::atlas`])
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
    /// Over-dispersion trend for cell types without per-gene dispersions
    pub dispersion_trend: DispersionTrend,
    /// Mean profiles of the atlas groups
    pub atlas: AtlasProfiles,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atlas_codes_turn_from_gene_major_and_back() {
        // 3 genes x 2 columns, gene-major: gene 0 = (1, 2), gene 1 = (3, 4), gene 2 = (5, 6)
        let gene_major = [1u8, 2, 3, 4, 5, 6];
        let atlas = AtlasProfiles::from_gene_major(2, &gene_major);
        assert_eq!(atlas.codes, [1, 3, 5, 2, 4, 6]);
        assert_eq!(atlas.gene_major(), gene_major);
        let second = atlas.proportions(1, 3);
        let raw: Vec<f64> = [2u8, 4, 6]
            .iter()
            .map(|&c| AtlasProfiles::decode(c))
            .collect();
        let total: f64 = raw.iter().sum();
        assert_eq!(second, raw.iter().map(|r| r / total).collect::<Vec<_>>());
    }
}
