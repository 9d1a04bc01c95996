//! The bulk model under construction, shared by every source: the inputs being read, the
//! gene universe, the contexts, conditions and perturbations added so far, the evidence one
//! source leaves for later ones (reference profiles, sex markers, dispersions, z scales) and
//! the build report

use std::collections::HashMap;

use synthome_inputs::Inputs;
use synthome_model::{ProfileSex, States};
use synthome_query::MetadataKey;
use synthome_reference::ReferenceTables;

use crate::build::BuildOptions;
use crate::error::BuildError;
use crate::family_noise::SetResiduals;
use crate::fit::conditions::Assembly;
use crate::fit::dispersion::Technical;
use crate::fit::profiles::{complete, log_cpm, normalise};
use crate::fit::sex;
use crate::fit::universe::Universe;
use crate::read::counts::read_text_table;
use crate::read::sample_counts::{GeneIds, PerSampleSet, drop_samples, read_set_counts};

/// Per-sample residuals for the latent factors and the biological dispersion
#[derive(Debug, Clone)]
pub(crate) struct PerSampleFit {
    /// `log[sample][subset gene]` residual log CPM
    pub log: Vec<Vec<f64>>,
    /// Degrees of freedom of the residuals
    pub dof: f64,
    /// Universe index per subset gene
    pub genes: Vec<usize>,
    /// Mean reads per subset gene (at the mean library size)
    pub mean_reads: Vec<f64>,
    /// Mean log CPM per subset gene
    pub mean_log_cpm: Vec<f64>,
}

/// An HPA cell line profile: its name, Cellosaurus id and CPM over the universe
#[derive(Debug, Clone)]
pub(crate) struct LineProfile {
    /// The HPA cell line name
    pub name: String,
    /// Its Cellosaurus id
    pub cellosaurus: String,
    /// CPM over the universe
    pub cpm: Vec<f64>,
}

/// The sex effect and what tells a profile's sex
#[derive(Debug, Clone)]
pub(crate) struct SexEvidence {
    /// Half the male-minus-female log effect per gene
    pub half: Vec<f32>,
    /// Whether per-sample data measured the gene's effect
    pub known: Vec<bool>,
    /// Genes whose half effect marks a male profile (set after the per-sample sex fit)
    pub markers: Vec<usize>,
    /// LINCS cell line ids with their recorded sex (`F`, `M`)
    pub lincs_genders: HashMap<String, String>,
}

/// The bulk model under construction (see the module header)
#[derive(Debug)]
pub(crate) struct BulkAssembly<'a> {
    /// The data folder's reader (every read is recorded)
    pub files: Inputs,
    /// What to build from
    pub options: &'a BuildOptions,
    /// The reference tables (genes, compounds, ontologies)
    pub tables: &'a ReferenceTables,
    /// The model's genes
    pub universe: Universe,
    /// Contexts, training conditions and perturbations added so far
    pub parts: Assembly,
    /// Profiles partial profiles are completed from (name, CPM over the universe)
    pub references: Vec<(String, Vec<f64>)>,
    /// The HPA cell line profiles (proxies for lines without RNA-seq)
    pub line_profiles: Vec<LineProfile>,
    /// The sex effect and markers
    pub sex: SexEvidence,
    /// The technical dispersion trend (K562 replicates, capped by the noise fit)
    pub technical: Technical,
    /// Per-sample residuals (the atlas when given, else GEUVADIS)
    pub per_sample: Option<PerSampleFit>,
    /// Robust z-score scale per gene id hash (the A375 plate), for LINCS signatures
    pub z_scale: HashMap<u64, f64>,
    /// Disease and age effects found so far (the latent spread is set by `sources::healthy`)
    pub states: States,
    /// Latent spread fitted per context family (`blood`, `colon`, `brain`) from per-sample sets
    pub family_spread: Vec<(&'static str, f64)>,
    /// Latent spread of single contexts measured on a non-healthy arm (they keep their own)
    pub context_spread: Vec<(usize, f64)>,
    /// Residuals of the per-sample sets, for their family's noise (`crate::family_noise`)
    pub family_residuals: Vec<SetResiduals>,
    /// MONDO ancestors per MONDO id (for suggestions through the hierarchy)
    pub disease_ancestors: HashMap<String, Vec<String>>,
    /// What the build used and fitted, one line per fact
    pub report: Vec<String>,
}

impl<'a> BulkAssembly<'a> {
    /// An empty model over `universe`, reading on from `files`
    pub(crate) fn new(
        files: Inputs,
        options: &'a BuildOptions,
        tables: &'a ReferenceTables,
        universe: Universe,
        report: Vec<String>,
    ) -> BulkAssembly<'a> {
        let n_genes = universe.len();
        BulkAssembly {
            files,
            options,
            tables,
            universe,
            parts: Assembly::default(),
            references: Vec::new(),
            line_profiles: Vec::new(),
            sex: SexEvidence {
                half: vec![0.0; n_genes],
                known: vec![false; n_genes],
                markers: Vec::new(),
                lincs_genders: HashMap::new(),
            },
            technical: Technical { a: 0.02, b: 0.0 },
            per_sample: None,
            z_scale: HashMap::new(),
            states: States::default(),
            family_spread: Vec::new(),
            family_residuals: Vec::new(),
            context_spread: Vec::new(),
            disease_ancestors: HashMap::new(),
            report,
        }
    }

    /// The context of an unperturbed tissue condition (no cell type) with this UBERON id
    pub(crate) fn tissue_context(&self, uberon: &str) -> Option<usize> {
        self.parts
            .conditions
            .iter()
            .find(|condition| {
                condition.perturbation.is_none()
                    && condition.field(MetadataKey::TissueOntologyId) == Some(uberon)
                    && condition.field(MetadataKey::CellTypeOntologyId).is_none()
            })
            .map(|condition| condition.context)
    }

    /// Reads a per-sample set (sample table and counts, held-out samples dropped), if present
    pub(crate) fn read_set(
        &mut self,
        table_file: &str,
        counts_file: &str,
        ids: GeneIds,
    ) -> Result<Option<PerSampleSet>, BuildError> {
        let Some(table_bytes) = self.files.bytes_if_present(table_file)? else {
            return Ok(None);
        };
        let Some(count_bytes) = self.files.bytes_if_present(counts_file)? else {
            return Ok(None);
        };
        let table = read_text_table(table_bytes.as_slice(), table_file)?;
        let table = drop_samples(table, table_file, |sample| self.excluded(sample))?;
        let counts = read_set_counts(
            count_bytes.as_slice(),
            counts_file,
            ids,
            &table,
            &self.universe,
            &self.tables.genes,
        )?;
        Ok(Some(PerSampleSet { table, counts }))
    }

    /// Adds a context whose profile is the mean of a set's samples `members` (completed from
    /// the most similar reference profile); returns its index and the report of the completion
    pub(crate) fn add_set_context(
        &mut self,
        name: &str,
        log: &[Vec<f64>],
        members: &[usize],
        rows: &[usize],
    ) -> (usize, String) {
        let (mean, _) = crate::fit::disease::arm(log, members);
        let mut partial = vec![None; self.universe.len()];
        for (row, &gene) in rows.iter().enumerate() {
            partial[gene] = Some(mean[row].exp());
        }
        let (cpm, note) = match complete(&partial, &self.references) {
            Some(done) => (
                done.cpm,
                format!(
                    "completed from {} (r {:.3} on {} genes)",
                    done.reference, done.r, done.measured
                ),
            ),
            None => {
                let mut cpm: Vec<f64> = partial.iter().map(|v| v.unwrap_or(0.0)).collect();
                normalise(&mut cpm);
                (cpm, "not completed".to_owned())
            }
        };
        (self.parts.add_context(name, &cpm, ProfileSex::Mixed), note)
    }

    /// Whether `sample` (a sample, run or well id) is held out of training
    pub(crate) fn excluded(&self, sample: &str) -> bool {
        self.options.exclude_samples.contains(sample)
    }

    /// Sets the sex markers from the sex effect fitted so far and reports them
    pub(crate) fn find_sex_markers(&mut self) {
        self.sex.markers = (0..self.universe.len())
            .filter(|&g| self.sex.half[g] > sex::MALE_MARKER_HALF)
            .collect();
        self.report.push(format!(
            "sex markers (half effect > 1): {}",
            self.sex
                .markers
                .iter()
                .map(|&g| self.universe.symbols[g].as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }

    /// Whether a CPM profile looks male by the sex markers
    pub(crate) fn looks_male(&self, cpm: &[f64]) -> bool {
        sex::is_male_profile(&log_cpm(cpm), &self.sex.markers).unwrap_or(false)
    }

    /// The sex of each sample of a per-sample set that records none, told by the sex markers
    /// it measured (`log[sample][row]` log CPM over universe genes `rows`); `None` when it
    /// measured no marker
    pub(crate) fn sexes_from_markers(
        &self,
        log: &[Vec<f64>],
        rows: &[usize],
    ) -> Option<Vec<String>> {
        let marker_rows: Vec<usize> = (0..rows.len())
            .filter(|&row| self.sex.markers.contains(&rows[row]))
            .collect();
        if marker_rows.is_empty() {
            return None;
        }
        let sexes = log
            .iter()
            .map(|sample| {
                let values: Vec<f32> = marker_rows.iter().map(|&row| sample[row] as f32).collect();
                let all: Vec<usize> = (0..values.len()).collect();
                let male = sex::is_male_profile(&values, &all).unwrap_or(false);
                if male { "male" } else { "female" }.to_owned()
            })
            .collect();
        Some(sexes)
    }

    /// The sex of a cell line: as LINCS records it for `lincs_id`, else from its profile
    pub(crate) fn cell_line_sex(&self, lincs_id: &str, cpm: &[f64]) -> &'static str {
        match self.sex.lincs_genders.get(lincs_id).map(String::as_str) {
            Some("F") => "female",
            Some("M") => "male",
            _ => {
                if self.looks_male(cpm) {
                    "male"
                } else {
                    "female"
                }
            }
        }
    }
}
