//! `build_bulk`: reads the reference tables, then each source in turn (see [`crate::sources`]),
//! fits the noise, and encodes the bundle
//!
//! Every data set except the reference genes is optional, so a partial folder (or a test
//! fixture) builds a partial model; the build report says what was used.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use synthome_inputs::{InputFile, Inputs};
use synthome_matrix::GeneTable;
use synthome_model::{BulkModel, BulkParams, ModelCard, Noise, States};

use crate::assembly::BulkAssembly;
use crate::error::BuildError;
use crate::family_noise;
use crate::fit::universe::Universe;
use crate::fit::vocabulary;
use crate::noise::{self, NoiseFit};
use crate::reference;
use crate::sources::tissues::{self, TissueSource};
use crate::sources::{
    SOURCES_AFTER_NOISE_FIT, SOURCES_BEFORE_NOISE_FIT, blood, cell_lines, geuvadis,
};

/// A per-sample atlas given to the builder
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AtlasPaths {
    /// Genes x samples counts (TSV, optionally gzipped; first column Ensembl ids)
    pub counts: PathBuf,
    /// Sample metadata (TSV: `sample` plus columns named like query metadata keys)
    pub metadata: PathBuf,
}

/// What to build from
#[derive(Debug, Clone, PartialEq)]
pub struct BuildOptions {
    /// Sample, run or well ids to leave out of training (held-out evaluation)
    pub exclude_samples: BTreeSet<String>,
    /// Tissue sources, in order of preference
    pub tissue_sources: Vec<TissueSource>,
    /// Most latent factors to keep
    pub max_factors: usize,
    /// A per-sample atlas: its contexts are added and its residuals fit the latent factors
    pub atlas: Option<AtlasPaths>,
    /// Leave the TCGA tumour-vs-normal table out (its licence is not stated by its source)
    pub without_tcga: bool,
}

impl Default for BuildOptions {
    /// Everything in, consensus then GTEx tissues (HPA RNA-seq held out), 20 factors
    fn default() -> BuildOptions {
        BuildOptions {
            exclude_samples: BTreeSet::new(),
            tissue_sources: vec![
                TissueSource::Consensus,
                TissueSource::HpaGtex,
                TissueSource::GtexMedian,
            ],
            max_factors: 20,
            atlas: None,
            without_tcga: false,
        }
    }
}

/// The result of a build
#[derive(Debug, Clone)]
pub struct BuildOutput {
    /// The bundle bytes
    pub bundle: Vec<u8>,
    /// Lower-case hex sha256 of the bundle
    pub sha256: String,
    /// Every input file read, with its sha256, in reading order
    pub inputs: Vec<InputFile>,
    /// What the build used and fitted, one line per fact
    pub report: Vec<String>,
    /// The model, as read back from the bundle
    pub model: BulkModel,
}

/// Builds the bulk model from `data_dir` (the layout of shared/data)
pub fn build_bulk(data_dir: &Path, options: &BuildOptions) -> Result<BuildOutput, BuildError> {
    let mut files = Inputs::new(data_dir);
    let mut report = Vec::new();
    let (tables, disease_ancestors) = reference::read(&mut files, &mut report)?;

    // The sources whose genes make the universe are read before it exists
    let tissues = tissues::read(&mut files, options, &mut report)?;
    let blood = blood::read(&mut files)?;
    let cell_lines = cell_lines::read(&mut files)?;
    let geuvadis = geuvadis::read(&mut files, options)?;
    let candidates = tissues
        .genes()
        .chain(blood.genes())
        .chain(cell_lines.genes())
        .chain(geuvadis.genes());
    let universe = Universe::new(candidates, &tables.genes);
    if universe.len() == 0 {
        return Err(BuildError::Missing(
            "no gene of the atlas tables is in GENCODE: nothing to model".to_owned(),
        ));
    }
    report.push(format!(
        "genes: {} (atlas table genes known to GENCODE v48)",
        universe.len()
    ));

    let mut assembly = BulkAssembly::new(files, options, &tables, universe, report);
    assembly.disease_ancestors = disease_ancestors;
    tissues.add(&mut assembly)?;
    blood.add(&mut assembly)?;
    cell_lines.add_references(&mut assembly)?;
    geuvadis.add(&mut assembly)?;
    assembly.find_sex_markers();
    cell_lines.add(&mut assembly);
    for add in SOURCES_BEFORE_NOISE_FIT {
        add(&mut assembly)?;
    }
    let noise = noise::fit(&mut assembly);
    for add in SOURCES_AFTER_NOISE_FIT {
        add(&mut assembly)?;
    }
    family_noise::fit(&mut assembly, &noise);
    finish(assembly, noise)
}

/// The vocabulary, the parameters and the bundle of a complete assembly and its noise fit
fn finish(assembly: BulkAssembly<'_>, noise: NoiseFit) -> Result<BuildOutput, BuildError> {
    let BulkAssembly {
        files,
        tables,
        universe,
        parts,
        sex,
        technical,
        states,
        disease_ancestors,
        mut report,
        ..
    } = assembly;
    let (vocabulary, unlabelled) = vocabulary::build(&parts, tables, &states, &disease_ancestors)?;
    report.push(format!(
        "vocabulary: {} keys; {} ids without a reference label{}",
        vocabulary.len(),
        unlabelled.len(),
        if unlabelled.is_empty() {
            String::new()
        } else {
            format!(
                " (e.g. {})",
                unlabelled
                    .iter()
                    .take(5)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    ));
    report.push(format!(
        "contexts {}, training conditions {}, perturbations {}",
        parts.contexts.len(),
        parts.conditions.len(),
        parts.perturbations.len()
    ));
    let params = BulkParams {
        card: card(),
        genes: GeneTable::new(universe.ids.clone(), universe.symbols.clone())
            .map_err(|e| BuildError::Missing(e.to_string()))?,
        vocabulary,
        contexts: parts.contexts,
        conditions: parts.conditions,
        sex_effect: sex.half,
        latent: noise.latent,
        noise: Noise {
            technical: technical.a as f32,
            technical_low_count: technical.b as f32,
            biological: noise.biological,
        },
        perturbations: parts.perturbations,
    };
    BulkModel::new(params.clone())?.with_states(states.clone())?;
    report.push(format!(
        "diseases {} (on {} contexts), age effects {}",
        {
            let mut ids: Vec<&str> = states.diseases.iter().map(|d| d.id.as_str()).collect();
            ids.sort_unstable();
            ids.dedup();
            ids.len()
        },
        states.diseases.len(),
        states.ages.len()
    ));
    let (bundle, model, sha256) = encode(&params, &states)?;
    Ok(BuildOutput {
        bundle,
        sha256,
        inputs: files.into_read(),
        report,
        model,
    })
}

/// The bundle bytes of `params`, the model read back from them and their sha256 (the one
/// place the builder uses the bulk bundle codec)
fn encode(
    params: &BulkParams,
    states: &States,
) -> Result<(Vec<u8>, BulkModel, String), BuildError> {
    let bundle = synthome_model::bundle::write_with_states(params, states);
    let model = synthome_model::bundle::read(&bundle)?;
    let sha256 = synthome_bundle::sha256_hex(&bundle);
    Ok((bundle, model, sha256))
}

/// The model card of synthome-bulk-v1
fn card() -> ModelCard {
    ModelCard {
        id: synthome_model::BULK_MODEL_ID.to_owned(),
        alias: synthome_model::BULK_MODEL_ALIAS.to_owned(),
        version: synthome_model::BULK_MODEL_VERSION.to_owned(),
        summary: "Bulk RNA-seq generator built from per-condition summaries (HPA and GTEx tissues, HPA blood cell types and cell lines) and per-sample sets (43 GEUVADIS lymphoblastoid lines; COVID-19 and tuberculosis-in-HIV blood, Crohn disease colon and GTEx brain samples; K562 shRNA, PANC-1 FOXA2 knock-out, an A375 L1000 plate), plus LINCS consensus compound and overexpression signatures and TCGA tumour-vs-normal summaries for 16 cancers on their tissues. Diseases are shrunk log fold changes on the context they were measured on (never transferred to another tissue), with the disease arm's own spread; age is a shrunk per-year effect on colon and brain; the latent spread is scaled per context family (blood, colon and other tissues, brain; cell lines keep the GEUVADIS spread). The sex effect comes from the GEUVADIS lines; count noise is negative binomial. It cannot model ethnicity or development, and perturbations measured in one cell line are transferred as-is to others.".to_owned(),
        licence: "CC BY-SA 4.0 (derived from Human Protein Atlas data); LINCS data CC BY 4.0; ontology labels CC BY; disease sets GPL-3 / MIT packages of public GEO and SRA data (Crohn set: no licence file); TCGA summaries: licence not stated by the source (leave out with --without-tcga)".to_owned(),
    }
}
