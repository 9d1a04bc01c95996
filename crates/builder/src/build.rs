//! `build_bulk`: reads the data folder (and an optional atlas), fits every part of the model,
//! writes the bundle
//!
//! Every data set except the reference genes is optional, so a partial folder (or a test
//! fixture) builds a partial model; the build report says what was used.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use synthome_matrix::GeneTable;
use synthome_model::{
    BulkModel, BulkParams, Latent, ModelCard, Noise, PerturbationKind, ProfileSex,
};
use synthome_query::MetadataKey;
use synthome_reference::{
    CellLineNames, CompoundTable, GeneTable as ReferenceGenes, OntologyTerms, ReferenceTables,
    unzstd,
};

use crate::error::BuildError;
use crate::files::{Files, InputFile};
use crate::fit::conditions::{Assembly, SexSplit, profile_sex, trim};
use crate::fit::dispersion::{self, Technical};
use crate::fit::math::{median, pearson, ranks};
use crate::fit::profiles::{Completed, complete, normalise, tpm_to_cpm};
use crate::fit::universe::Universe;
use crate::fit::{atlas, latent, perturb, sex, vocabulary};
use crate::read::counts::{Missing, SampleMatrix, read_matrix, read_text_table};
use crate::read::gct::read_gct;
use crate::read::k562::parse_runs;
use crate::read::lincs::{read_cell_genders, read_consensus, read_overexpression};
use crate::read::mapping::{self, A375_COMPOUNDS, BLOOD_CELLS, CELL_LINES, TISSUES};
use crate::read::summary::{SummaryTable, read_long, read_wide};
use crate::read::tsv::unversioned;

/// A source of tissue profiles; earlier sources win when two give the same UBERON id
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TissueSource {
    /// HPA consensus (HPA + GTEx), nTPM
    Consensus,
    /// GTEx v8 as processed by HPA, TPM
    HpaGtex,
    /// GTEx median TPM (TissueEnrich)
    GtexMedian,
    /// HPA's own RNA-seq, TPM (independent of GTEx: keep it out to test against it)
    HpaRnaseq,
}

impl TissueSource {
    /// The file, the name in the mapping table and the label used in context names
    fn table(self) -> (&'static str, &'static str, &'static str) {
        match self {
            TissueSource::Consensus => (
                "bulk/hpa_consensus_tissue.tsv.gz",
                "consensus",
                "HPA consensus",
            ),
            TissueSource::HpaGtex => ("bulk/hpa_gtex_tissue.tsv.gz", "hpa_gtex", "GTEx (HPA)"),
            TissueSource::GtexMedian => {
                ("bulk/gtex_median_tpm.tsv.gz", "gtex_median", "GTEx median")
            }
            TissueSource::HpaRnaseq => {
                ("bulk/hpa_rnaseq_tissue.tsv.gz", "hpa_rnaseq", "HPA RNA-seq")
            }
        }
    }
}

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

/// Tissues sampled from one sex only
const MALE_TISSUES: [&str; 4] = [
    "UBERON:0000473",
    "UBERON:0002367",
    "UBERON:0000998",
    "UBERON:0001301",
];
/// Tissues sampled from one sex only
const FEMALE_TISSUES: [&str; 6] = [
    "UBERON:0000992",
    "UBERON:0001295",
    "UBERON:0000995",
    "UBERON:0000002",
    "UBERON:0000996",
    "UBERON:0003889",
];
/// Blood, the tissue of the sorted blood cell types
const BLOOD: &str = "UBERON:0000178";
/// The GEUVADIS lymphoblastoid lines as a cell type
const LYMPHOBLASTOID: &str = "CL:0000236";

/// Builds the bulk model from `data_dir` (the layout of shared/data)
pub fn build_bulk(data_dir: &Path, options: &BuildOptions) -> Result<BuildOutput, BuildError> {
    let mut files = Files::new(data_dir);
    let mut report = Vec::new();
    let tables = reference_tables(&mut files, &mut report)?;
    let genes = &tables.genes;

    // Summary tables
    let mut tissue_tables: Vec<(TissueSource, SummaryTable)> = Vec::new();
    for &source in &options.tissue_sources {
        let (file, _, _) = source.table();
        if !files.exists(file) {
            report.push(format!("tissues: {file} absent, skipped"));
            continue;
        }
        let bytes = files.bytes(file)?;
        let table = match source {
            TissueSource::Consensus => read_long(bytes.as_slice(), file, "Gene", "Tissue", "nTPM")?,
            TissueSource::HpaGtex | TissueSource::HpaRnaseq => {
                read_long(bytes.as_slice(), file, "Gene", "Tissue", "TPM")?
            }
            TissueSource::GtexMedian => read_wide(bytes.as_slice(), file)?,
        };
        tissue_tables.push((source, table));
    }
    let blood = optional_wide(&mut files, "bulk/hpa_blood_cell_types.tsv.gz")?;
    let lines = optional_wide(&mut files, "bulk/hpa_cell_lines_and_tissues.tsv.gz")?;
    let geuvadis = if files.exists("bulk/geuvadis_lcl_counts.tsv.gz") {
        let mut counts = read_matrix(
            files.bytes("bulk/geuvadis_lcl_counts.tsv.gz")?.as_slice(),
            "geuvadis_lcl_counts",
            Missing::Error,
        )?;
        counts.retain_samples(|s| !options.exclude_samples.contains(s));
        let samples = read_text_table(
            files.bytes("bulk/geuvadis_lcl_samples.tsv")?.as_slice(),
            "geuvadis_lcl_samples",
        )?;
        Some((counts, samples))
    } else {
        None
    };

    // Universe
    let mut candidates: Vec<&str> = Vec::new();
    for (_, table) in &tissue_tables {
        candidates.extend(table.genes.iter().map(String::as_str));
    }
    for table in [&blood, &lines].into_iter().flatten() {
        candidates.extend(table.genes.iter().map(String::as_str));
    }
    if let Some((counts, _)) = &geuvadis {
        candidates.extend(counts.genes.iter().map(|g| unversioned(g)));
    }
    let universe = Universe::new(candidates, genes);
    if universe.len() == 0 {
        return Err(BuildError::Missing(
            "no gene of the atlas tables is in GENCODE: nothing to model".to_owned(),
        ));
    }
    report.push(format!(
        "genes: {} (atlas table genes known to GENCODE v48)",
        universe.len()
    ));
    let n_genes = universe.len();
    let mut assembly = Assembly::default();

    // Tissues
    let tissue_map = mapping::rows(TISSUES, "mappings/tissues.tsv", 3)?;
    let mut seen_tissues: BTreeSet<String> = BTreeSet::new();
    for (source, table) in &tissue_tables {
        let (_, key, label) = source.table();
        let mut added = 0;
        for row in tissue_map.iter().filter(|row| row[0] == key) {
            let (name, uberon) = (&row[1], &row[2]);
            let Some(column) = table.column(name) else {
                continue;
            };
            if !seen_tissues.insert(uberon.clone()) {
                continue;
            }
            let split = if MALE_TISSUES.contains(&uberon.as_str()) {
                SexSplit::Only("male")
            } else if FEMALE_TISSUES.contains(&uberon.as_str()) {
                SexSplit::Only("female")
            } else {
                SexSplit::Even
            };
            let cpm = tpm_to_cpm(&table.genes, column, &universe);
            let context =
                assembly.add_context(format!("{label}: {name}"), &cpm, profile_sex(split));
            let fields = vec![
                (MetadataKey::SampleType, "primary tissue".to_owned()),
                (MetadataKey::TissueOntologyId, uberon.clone()),
            ];
            assembly.add_baseline(context, &fields, split, 1.0);
            added += 1;
        }
        report.push(format!("tissues: {added} from {label}"));
    }

    // Blood cell types (kept for completing partial profiles too)
    let mut references: Vec<(String, Vec<f64>)> = Vec::new();
    if let Some(table) = &blood {
        let mut added = 0;
        for row in mapping::rows(BLOOD_CELLS, "mappings/blood_cells.tsv", 2)? {
            let Some(column) = table.column(&row[0]) else {
                continue;
            };
            let cpm = tpm_to_cpm(&table.genes, column, &universe);
            let context =
                assembly.add_context(format!("HPA blood: {}", row[0]), &cpm, ProfileSex::Mixed);
            let fields = vec![
                (MetadataKey::CellTypeOntologyId, row[1].clone()),
                (MetadataKey::SampleType, "primary cells".to_owned()),
                (MetadataKey::TissueOntologyId, BLOOD.to_owned()),
            ];
            assembly.add_baseline(context, &fields, SexSplit::Even, 1.0);
            references.push((format!("HPA blood {}", row[0]), cpm));
            added += 1;
        }
        report.push(format!("blood cell types: {added}"));
    }
    let mut line_profiles: Vec<(String, String, Vec<f64>)> = Vec::new();
    if let Some(table) = &lines {
        for row in mapping::rows(CELL_LINES, "mappings/cell_lines.tsv", 2)? {
            let Some(column) = table.column(&row[0]) else {
                continue;
            };
            let cpm = tpm_to_cpm(&table.genes, column, &universe);
            references.push((format!("HPA cell line {}", row[0]), cpm.clone()));
            line_profiles.push((row[0].clone(), row[1].clone(), cpm));
        }
    }

    // GEUVADIS: sex effect, the LCL context, latent factors and biological dispersion
    let mut sex_half = vec![0.0f32; n_genes];
    let mut sex_known = vec![false; n_genes];
    let mut per_sample: Option<PerSampleFit> = None;
    if let Some((counts, samples)) = &geuvadis {
        let fit = fit_geuvadis(counts, samples, &universe, &references)?;
        for (s, &gene) in fit.genes.iter().enumerate() {
            sex_half[gene] = fit.half[s] as f32;
            sex_known[gene] = true;
        }
        report.push(format!(
            "GEUVADIS: {} lines ({} female, {} male), {} genes; profile completed from {} (r {:.3} on {} genes)",
            fit.n_female + fit.n_male, fit.n_female, fit.n_male, fit.genes.len(), fit.completed.reference, fit.completed.r, fit.completed.measured
        ));
        let context = assembly.add_context(
            "GEUVADIS lymphoblastoid lines (sex-average)",
            &fit.completed.cpm,
            ProfileSex::Mixed,
        );
        let fields = vec![
            (MetadataKey::CellTypeOntologyId, LYMPHOBLASTOID.to_owned()),
            (MetadataKey::LibraryLayout, "PAIRED".to_owned()),
            (MetadataKey::SampleType, "cell line".to_owned()),
            (MetadataKey::Study, "PRJEB3366".to_owned()),
        ];
        assembly.add_baseline(
            context,
            &fields,
            SexSplit::Counts(fit.n_female as f64, fit.n_male as f64),
            (fit.n_female + fit.n_male) as f64,
        );
        per_sample = Some(fit.residuals);
    }
    let markers: Vec<usize> = (0..n_genes)
        .filter(|&g| sex_half[g] > sex::MALE_MARKER_HALF)
        .collect();
    report.push(format!(
        "sex markers (half effect > 1): {}",
        markers
            .iter()
            .map(|&g| universe.symbols[g].as_str())
            .collect::<Vec<_>>()
            .join(", ")
    ));

    // HPA cell lines: sex from the markers, then more sex genes from them
    let mut line_sexes = Vec::new();
    for (name, cvcl, cpm) in &line_profiles {
        let log = crate::fit::profiles::log_cpm(cpm);
        let male = sex::is_male_profile(&log, &markers).unwrap_or(false);
        line_sexes.push(male);
        let split = SexSplit::Only(if male { "male" } else { "female" });
        let context =
            assembly.add_context(format!("HPA cell line: {name}"), cpm, profile_sex(split));
        let fields = vec![
            (MetadataKey::CellLineOntologyId, cvcl.clone()),
            (MetadataKey::SampleType, "cell line".to_owned()),
        ];
        assembly.add_baseline(context, &fields, split, 1.0);
    }
    if !line_profiles.is_empty() {
        report.push(format!(
            "HPA cell lines: {} ({} classified male by the sex markers)",
            line_profiles.len(),
            line_sexes.iter().filter(|&&m| m).count()
        ));
        let logs: Vec<Vec<f32>> = line_profiles
            .iter()
            .map(|(_, _, cpm)| crate::fit::profiles::log_cpm(cpm))
            .collect();
        let views: Vec<&[f32]> = logs.iter().map(Vec::as_slice).collect();
        let added = sex::extend_from_profiles(&mut sex_half, &sex_known, &views, &line_sexes);
        report.push(format!(
            "sex effect from cell lines for genes without per-sample data: {}",
            added
                .iter()
                .map(|&g| format!("{} {:+.2}", universe.symbols[g], sex_half[g]))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let genders = if files.exists("bulk/lincs_cells.tsv.gz") {
        read_cell_genders(
            files.bytes("bulk/lincs_cells.tsv.gz")?.as_slice(),
            "lincs_cells",
        )?
    } else {
        HashMap::new()
    };
    let sex_of = |lincs_id: &str, cpm: &[f64]| -> &'static str {
        match genders.get(lincs_id).map(String::as_str) {
            Some("F") => "female",
            Some("M") => "male",
            _ => {
                if sex::is_male_profile(&crate::fit::profiles::log_cpm(cpm), &markers)
                    .unwrap_or(false)
                {
                    "male"
                } else {
                    "female"
                }
            }
        }
    };

    // K562 shRNA
    let mut technical = Technical { a: 0.02, b: 0.0 };
    if files.exists("bulk/k562_shrna_counts.tsv.gz") {
        let mut counts = read_matrix(
            files.bytes("bulk/k562_shrna_counts.tsv.gz")?.as_slice(),
            "k562_shrna_counts",
            Missing::Error,
        )?;
        let run_table = read_text_table(
            files.bytes("bulk/k562_shrna_samples.tsv.gz")?.as_slice(),
            "k562_shrna_samples",
        )?;
        let runs: Vec<_> = parse_runs(&run_table, "k562_shrna_samples")?
            .into_iter()
            .filter(|run| !options.exclude_samples.contains(&run.run))
            .collect();
        counts.retain_samples(|s| runs.iter().any(|r| r.run == s));
        let runs: Vec<_> = counts
            .samples
            .iter()
            .filter_map(|s| runs.iter().find(|r| &r.run == s).cloned())
            .collect();
        let scale: Vec<f64> = counts
            .values
            .iter()
            .zip(&runs)
            .map(|(column, run)| run.mapped_reads / column.iter().sum::<f64>().max(1.0))
            .collect();
        let set = perturb::to_reads(&counts, &universe, &scale);
        let mut fitted = None;
        let fit = perturb::fit_shrna(&runs, &set, &universe, genes, |pairs| {
            let trend = dispersion::fit_technical(pairs).unwrap_or(Technical { a: 0.02, b: 0.0 });
            fitted = Some(trend);
            trend
        });
        if let Some(trend) = fitted {
            report.push(format!("technical dispersion fitted on K562 replicate pairs ({} pairs): phi = {:.4} + {:.2} / mu; the low-count term is not used (the K562 counts are scaled coverage, not reads)", fit.pairs.len(), trend.a, trend.b));
            technical = Technical { a: trend.a, b: 0.0 };
        }
        let sex = sex_of("K562", &fit.control_cpm);
        let split = SexSplit::Only(sex);
        let context = assembly.add_context(
            "K562 (uninduced shRNA lines, SRP009615)",
            &fit.control_cpm,
            profile_sex(split),
        );
        let fields = vec![
            (MetadataKey::CellLineOntologyId, "CVCL_0004".to_owned()),
            (MetadataKey::LibraryLayout, "SINGLE".to_owned()),
            (MetadataKey::PerturbationType, "control".to_owned()),
            (MetadataKey::SampleType, "cell line".to_owned()),
        ];
        assembly.add_baseline(context, &fields, split, fit.control_runs as f64);
        for (symbol, ensembl, response, runs) in fit.targets {
            let target_change = universe
                .index(&ensembl)
                .and_then(|g| response.genes.iter().position(|&x| x as usize == g))
                .map_or(0.0, |p| response.log_fold_changes[p]);
            report.push(format!(
                "shRNA {symbol}: {} genes changed, target log2 change {:+.2}",
                response.genes.len(),
                f64::from(target_change) / std::f64::consts::LN_2
            ));
            let time = response.time_hours;
            let index = assembly.add_perturbation(
                ensembl,
                PerturbationKind::Shrna,
                Some(context),
                "K562 inducible shRNA (SRP009615)",
                vec![response],
            );
            assembly.add_perturbed(context, &fields, split, index, None, time, runs as f64);
        }
    }

    // Biological dispersion and latent factors: atlas if given, else GEUVADIS
    if let Some(paths) = &options.atlas {
        let counts = read_matrix(
            files.bytes_at(&paths.counts)?.as_slice(),
            "atlas counts",
            Missing::Error,
        )?;
        let mut counts = counts;
        counts.retain_samples(|s| !options.exclude_samples.contains(s));
        let metadata = read_text_table(
            files.bytes_at(&paths.metadata)?.as_slice(),
            "atlas metadata",
        )?;
        let grouped = atlas::group(&counts, &metadata, &universe, "atlas metadata")?;
        let fit = fit_atlas(&grouped, &references, &mut assembly);
        report.push(format!(
            "atlas: {} samples in {} contexts; latent factors fitted on it",
            counts.samples.len(),
            grouped.groups.len()
        ));
        per_sample = Some(fit);
    }
    let (latent_params, biological) = match &per_sample {
        Some(residuals) => {
            let fit = latent::fit(
                &residuals.log,
                residuals.dof,
                &residuals.genes,
                n_genes,
                options.max_factors,
            );
            let total_variance: f64 = fit.total.iter().sum();
            report.push(format!(
                "latent: {} factors on {} samples x {} genes carry {:.1}% of the residual variance; factor variances {}",
                fit.n_factors,
                residuals.log.len(),
                residuals.genes.len(),
                100.0 * fit.factor_variance.iter().sum::<f64>() / total_variance.max(1e-12),
                fit.factor_variance.iter().map(|v| format!("{v:.1}")).collect::<Vec<_>>().join(" ")
            ));
            // The technical part may not exceed what the per-sample data leave after the factors
            let left: Vec<f64> = residuals
                .genes
                .iter()
                .enumerate()
                .filter(|&(s, _)| residuals.mean_reads[s] >= 100.0)
                .map(|(s, _)| fit.total[s] - fit.explained[s] - 1.0 / residuals.mean_reads[s])
                .collect();
            let mut sorted = left.clone();
            sorted.sort_by(f64::total_cmp);
            if let Some(&quartile) = sorted.get(sorted.len() / 4) {
                let capped = technical.a.min(quartile.max(0.0));
                report.push(format!("technical dispersion used: {capped:.4} (K562 {:.4}, capped at the lower quartile of what the per-sample residuals leave)", technical.a));
                technical.a = capped;
            }
            let mut measured_levels = Vec::new();
            let mut measured_values = Vec::new();
            let mut biological = vec![f32::NAN; n_genes];
            for (s, &gene) in residuals.genes.iter().enumerate() {
                let residual = fit.total[s] - fit.explained[s];
                let value = dispersion::biological(residual, residuals.mean_reads[s], technical);
                biological[gene] = value as f32;
                measured_levels.push(residuals.mean_log_cpm[s]);
                measured_values.push(value);
            }
            let steps = dispersion::trend(&measured_levels, &measured_values, 10);
            fill_by_trend(&mut biological, &steps, &assembly);
            report.push(format!(
                "biological dispersion: median {:.3} on measured genes; trend by expression {}",
                median(&measured_values).unwrap_or(0.0),
                steps
                    .iter()
                    .map(|(l, v)| format!("<={l:.1}:{v:.3}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            ));
            (
                Latent {
                    n_factors: fit.n_factors,
                    loadings: fit.loadings,
                },
                biological,
            )
        }
        None => {
            report.push("latent: no per-sample data, no factors".to_owned());
            (
                Latent {
                    n_factors: 0,
                    loadings: Vec::new(),
                },
                vec![0.1; n_genes],
            )
        }
    };

    // PANC-1 FOXA2 knock-out
    if files.exists("bulk/panc1_foxa2_ko_log2.tsv.gz") {
        let mut matrix = read_matrix(
            files.bytes("bulk/panc1_foxa2_ko_log2.tsv.gz")?.as_slice(),
            "panc1_foxa2_ko_log2",
            Missing::Nan,
        )?;
        matrix.retain_samples(|s| !options.exclude_samples.contains(s));
        let design = read_text_table(
            files.bytes("bulk/panc1_foxa2_ko_design.tsv.gz")?.as_slice(),
            "panc1_foxa2_ko_design",
        )?;
        let (sample_at, condition_at) = (
            design.column("sample", "design")?,
            design.column("condition", "design")?,
        );
        let group = |suffix: &str| -> Vec<String> {
            design
                .rows
                .iter()
                .filter(|r| r[condition_at].ends_with(suffix))
                .map(|r| r[sample_at].clone())
                .collect()
        };
        let fit = perturb::fit_log2_groups(&matrix, &group(".WT"), &group("KO"), &universe, genes);
        let line_references: Vec<(String, Vec<f64>)> = references
            .iter()
            .filter(|(name, _)| name.starts_with("HPA cell line"))
            .cloned()
            .collect();
        if let Some(completed) = complete(&fit.control, &line_references) {
            let sex = sex_of("PANC1", &completed.cpm);
            let split = SexSplit::Only(sex);
            let context = assembly.add_context(
                format!(
                    "PANC-1 (wild type; genes outside the 11k completed from {})",
                    completed.reference
                ),
                &completed.cpm,
                profile_sex(split),
            );
            let fields = vec![
                (MetadataKey::CellLineOntologyId, "CVCL_0480".to_owned()),
                (MetadataKey::PerturbationType, "control".to_owned()),
                (MetadataKey::SampleType, "cell line".to_owned()),
            ];
            assembly.add_baseline(context, &fields, split, fit.sizes.0 as f64);
            if let Some(foxa2) = genes.resolve_symbol("FOXA2") {
                let target = universe
                    .index(&foxa2.ensembl_id)
                    .map_or(0.0, |g| fit.changes[g]);
                let response = perturb::sparse(&fit.changes, None, None);
                report.push(format!("PANC-1 FOXA2 KO: {} genes changed; FOXA2 itself log2 {:+.2} (the data show the transcript up); profile r {:.3} with {}", response.genes.len(), target / std::f64::consts::LN_2, completed.r, completed.reference));
                let index = assembly.add_perturbation(
                    foxa2.ensembl_id.clone(),
                    PerturbationKind::Crispr,
                    Some(context),
                    "PANC-1 FOXA2 CRISPR knock-out (progeny vignette data)",
                    vec![response],
                );
                assembly.add_perturbed(
                    context,
                    &fields,
                    split,
                    index,
                    None,
                    None,
                    fit.sizes.1 as f64,
                );
            }
        }
    }

    // A375 plate and LINCS signatures
    let mut z_scale: HashMap<u64, f64> = HashMap::new();
    if files.exists("bulk/l1000_a375_kinase_inhibitors.gct.gz") {
        let gct = read_gct(
            files
                .bytes("bulk/l1000_a375_kinase_inhibitors.gct.gz")?
                .as_slice(),
            "l1000_a375_kinase_inhibitors",
        )?;
        let plate = perturb::fit_plate(&gct, &universe, genes, |id| {
            options.exclude_samples.contains(id)
        });
        z_scale = plate.z_scale.clone();
        if let Some((proxy, rho, cpm)) = nearest_by_rank(&plate.control_level, &line_profiles) {
            let sex = sex_of("A375", &cpm);
            let split = SexSplit::Only(sex);
            let context = assembly.add_context(format!("A375 (profile of the most similar HPA line, {proxy}; no RNA-seq of A375 in the data)"), &cpm, profile_sex(split));
            report.push(format!("A375: proxy profile {proxy} (Spearman {rho:.3} on the landmark genes); {} DMSO wells", plate.control_wells));
            let fields = vec![
                (MetadataKey::CellLineOntologyId, "CVCL_0132".to_owned()),
                (MetadataKey::PerturbationType, "control".to_owned()),
                (MetadataKey::SampleType, "cell line".to_owned()),
            ];
            let mut control_fields = fields.clone();
            if let Some(hours) = plate.hours {
                control_fields.push((
                    MetadataKey::PerturbationTime,
                    format!("{} hours", trim(hours)),
                ));
            }
            assembly.add_baseline(context, &control_fields, split, plate.control_wells as f64);
            let compounds: BTreeMap<String, String> =
                mapping::rows(A375_COMPOUNDS, "mappings/a375_compounds.tsv", 3)?
                    .into_iter()
                    .map(|row| (row[0].clone(), row[2].clone()))
                    .collect();
            let mut by_compound: BTreeMap<String, Vec<(f64, synthome_model::Response, usize)>> =
                BTreeMap::new();
            for (pert_id, dose, response, wells) in plate.responses {
                if let Some(chembl) = compounds.get(&pert_id) {
                    by_compound
                        .entry(chembl.clone())
                        .or_default()
                        .push((dose, response, wells));
                }
            }
            report.push(format!(
                "A375 compounds with a ChEMBL id: {} (others left out)",
                by_compound.len()
            ));
            for (chembl, mut doses) in by_compound {
                doses.sort_by(|a, b| a.0.total_cmp(&b.0));
                let responses: Vec<_> = doses.iter().map(|(_, r, _)| r.clone()).collect();
                let index = assembly.add_perturbation(
                    chembl,
                    PerturbationKind::Compound,
                    Some(context),
                    "LINCS L1000 A375 plate LJP005, 24 h",
                    responses,
                );
                for (dose, _, wells) in &doses {
                    assembly.add_perturbed(
                        context,
                        &fields,
                        split,
                        index,
                        Some(*dose),
                        plate.hours,
                        *wells as f64,
                    );
                }
            }
        }
    }
    let fallback_scale = perturb::median_scale(&z_scale);
    if files.exists("bulk/lincs_consensus_drugbank.tsv.gz") {
        let consensus = read_consensus(
            files
                .bytes("bulk/lincs_consensus_drugbank.tsv.gz")?
                .as_slice(),
            "lincs_consensus_drugbank",
        )?;
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut unmapped = 0;
        for (drugbank, z) in &consensus.compounds {
            let Some(compound) = tables.compounds.by_drugbank(drugbank) else {
                unmapped += 1;
                continue;
            };
            if !seen.insert(compound.chembl_id.clone()) {
                continue;
            }
            let response = perturb::consensus_response(
                &consensus,
                z,
                &universe,
                genes,
                &z_scale,
                fallback_scale,
            );
            assembly.add_perturbation(
                compound.chembl_id.clone(),
                PerturbationKind::Compound,
                None,
                "LINCS L1000 consensus signature (DrugBank compounds)",
                vec![response],
            );
        }
        report.push(format!("LINCS consensus compounds: {} with a ChEMBL id ({unmapped} DrugBank ids without one left out); z scale median {fallback_scale:.3} (A375 plate MAD)", seen.len()));
    }
    if files.exists("bulk/lincs_overexpression_signif.tsv.gz") {
        let hits = read_overexpression(
            files
                .bytes("bulk/lincs_overexpression_signif.tsv.gz")?
                .as_slice(),
            "lincs_overexpression_signif",
        )?;
        let signatures =
            perturb::overexpression_responses(&hits, &universe, genes, &z_scale, fallback_scale);
        let measured = signatures.iter().filter(|(_, _, own)| *own).count();
        report.push(format!("LINCS overexpression: {} genes ({measured} list the gene itself; the others get a +{} log2 prior)", signatures.len(), perturb::OVEREXPRESSION_PRIOR_LOG2));
        for (ensembl, response, _) in signatures {
            assembly.add_perturbation(
                ensembl,
                PerturbationKind::Overexpression,
                None,
                "LINCS L1000 overexpression consensus",
                vec![response],
            );
        }
    }

    // Vocabulary, card, bundle
    let (vocabulary, unlabelled) = vocabulary::build(&assembly, &tables)?;
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
        assembly.contexts.len(),
        assembly.conditions.len(),
        assembly.perturbations.len()
    ));
    let params = BulkParams {
        card: card(),
        genes: GeneTable::new(universe.ids.clone(), universe.symbols.clone())
            .map_err(|e| BuildError::Missing(e.to_string()))?,
        vocabulary,
        contexts: assembly.contexts,
        conditions: assembly.conditions,
        sex_effect: sex_half,
        latent: latent_params,
        noise: Noise {
            technical: technical.a as f32,
            technical_low_count: technical.b as f32,
            biological,
        },
        perturbations: assembly.perturbations,
    };
    BulkModel::new(params.clone())?;
    let bundle = synthome_model::bundle::write(&params);
    let model = synthome_model::bundle::read(&bundle)?;
    let sha256 = synthome_bundle::sha256_hex(&bundle);
    Ok(BuildOutput {
        bundle,
        sha256,
        inputs: files.read,
        report,
        model,
    })
}

/// The model card of synthome-bulk-v1
fn card() -> ModelCard {
    ModelCard {
        id: synthome_model::BULK_MODEL_ID.to_owned(),
        alias: synthome_model::BULK_MODEL_ALIAS.to_owned(),
        version: synthome_model::BULK_MODEL_VERSION.to_owned(),
        summary: "Bulk RNA-seq generator built from per-condition summaries (HPA and GTEx tissues, HPA blood cell types and cell lines) and a few per-sample sets (43 GEUVADIS lymphoblastoid lines, K562 shRNA, PANC-1 FOXA2 knock-out, an A375 L1000 plate), plus LINCS consensus compound and overexpression signatures. Sample-to-sample spread and the sex effect come from the GEUVADIS lines and are applied to every context; count noise is negative binomial with dispersions from K562 replicates. It cannot model disease, age, ethnicity or development, and perturbations measured in one cell line are transferred as-is to others.".to_owned(),
        licence: "CC BY-SA 4.0 (derived from Human Protein Atlas data); LINCS data CC BY 4.0; ontology labels CC BY".to_owned(),
    }
}

/// Reads the reference tables; GENCODE and HGNC are required, the rest label the vocabulary
fn reference_tables(
    files: &mut Files,
    report: &mut Vec<String>,
) -> Result<ReferenceTables, BuildError> {
    let mut genes = ReferenceGenes::from_gencode(
        files
            .bytes("reference/genes_homo_sapiens.csv.gz")?
            .as_slice(),
    )?;
    genes.add_hgnc(files.bytes("reference/hgnc_entries.tsv.gz")?.as_slice())?;
    let mut compounds = CompoundTable::new();
    let mut present = Vec::new();
    for (file, add) in [
        ("reference/chembl_names.csv.gz", 0),
        ("reference/chebi_to_chembl.tsv.gz", 1),
        ("reference/drugbank_mappings.tsv.gz", 2),
        ("reference/lincs_small_molecules.json.gz", 3),
    ] {
        if !files.exists(file) {
            continue;
        }
        let bytes = files.bytes(file)?;
        match add {
            0 => compounds.add_chembl_names(bytes.as_slice())?,
            1 => compounds.add_chebi_to_chembl(bytes.as_slice())?,
            2 => compounds.add_drugbank_mappings(bytes.as_slice())?,
            _ => compounds.add_lincs_small_molecules(bytes.as_slice())?,
        }
        present.push(file);
    }
    let mut ontologies = OntologyTerms::new();
    for (file, table) in [
        (
            "reference/ontologies/UBERON-ontology-v2026-04-01.json.zst",
            "UBERON",
        ),
        (
            "reference/ontologies/CL-ontology-v2026-03-26.json.zst",
            "CL",
        ),
        (
            "reference/ontologies/CVCL-ontology-55.0.json.zst",
            "Cellosaurus",
        ),
    ] {
        if files.exists(file) {
            let raw = files.raw(file)?;
            ontologies.add_json(&unzstd(raw.as_slice(), table)?, table)?;
            present.push(file);
        }
    }
    let cell_lines = if files.exists("reference/cellosaurus_depmap_synonyms.tsv.gz")
        && files.exists("reference/cellosaurus_depmap_mappings.tsv.gz")
    {
        let synonyms = files.bytes("reference/cellosaurus_depmap_synonyms.tsv.gz")?;
        let mappings = files.bytes("reference/cellosaurus_depmap_mappings.tsv.gz")?;
        CellLineNames::new(&ontologies, synonyms.as_slice(), mappings.as_slice())?
    } else {
        CellLineNames::default()
    };
    report.push(format!(
        "reference: {} genes, {} compounds, {} ontology terms, {} optional tables",
        genes.len(),
        compounds.len(),
        ontologies.len(),
        present.len()
    ));
    Ok(ReferenceTables {
        ontologies,
        genes,
        compounds,
        cell_lines,
    })
}

/// A wide summary table, if present
fn optional_wide(files: &mut Files, file: &str) -> Result<Option<SummaryTable>, BuildError> {
    if !files.exists(file) {
        return Ok(None);
    }
    Ok(Some(read_wide(files.bytes(file)?.as_slice(), file)?))
}

/// Per-sample residuals for the latent factors
#[derive(Debug, Clone)]
struct PerSampleFit {
    /// `log[sample][subset gene]` residual log CPM
    log: Vec<Vec<f64>>,
    /// Degrees of freedom of the residuals
    dof: f64,
    /// Universe index per subset gene
    genes: Vec<usize>,
    /// Mean reads per subset gene (at the mean library size)
    mean_reads: Vec<f64>,
    /// Mean log CPM per subset gene
    mean_log_cpm: Vec<f64>,
}

/// What GEUVADIS gives the model
struct GeuvadisFit {
    genes: Vec<usize>,
    half: Vec<f64>,
    completed: Completed,
    n_female: usize,
    n_male: usize,
    residuals: PerSampleFit,
}

fn fit_geuvadis(
    counts: &SampleMatrix,
    samples: &crate::read::counts::TextTable,
    universe: &Universe,
    references: &[(String, Vec<f64>)],
) -> Result<GeuvadisFit, BuildError> {
    let (sample_at, sex_at) = (
        samples.column("sample", "geuvadis_lcl_samples")?,
        samples.column("sex", "geuvadis_lcl_samples")?,
    );
    let mut male = Vec::new();
    for sample in &counts.samples {
        let row = samples
            .rows
            .iter()
            .find(|row| &row[sample_at] == sample)
            .ok_or_else(|| {
                BuildError::parse(
                    "geuvadis_lcl_samples",
                    0,
                    format!("no row for sample {sample:?}"),
                )
            })?;
        male.push(row[sex_at].eq_ignore_ascii_case("male"));
    }
    let rows: Vec<Option<usize>> = counts
        .genes
        .iter()
        .map(|id| universe.index(unversioned(id)))
        .collect();
    let subset: Vec<(usize, usize)> = rows
        .iter()
        .enumerate()
        .filter_map(|(row, gene)| gene.map(|g| (row, g)))
        .collect();
    let libraries: Vec<f64> = counts
        .values
        .iter()
        .map(|c| c.iter().sum::<f64>())
        .collect();
    let log: Vec<Vec<f64>> = counts
        .values
        .iter()
        .zip(&libraries)
        .map(|(column, library)| {
            subset
                .iter()
                .map(|&(row, _)| ((column[row] + 0.5) / library.max(1.0) * 1e6).ln())
                .collect()
        })
        .collect();
    let (half, female_mean, male_mean) = sex::fit_per_sample(&log, &male);
    let n_male = male.iter().filter(|&&m| m).count();
    let n_female = male.len() - n_male;
    let mut partial = vec![None; universe.len()];
    let mean_log: Vec<f64> = female_mean
        .iter()
        .zip(&male_mean)
        .map(|(f, m)| 0.5 * (f + m))
        .collect();
    for (s, &(_, gene)) in subset.iter().enumerate() {
        partial[gene] = Some(mean_log[s].exp());
    }
    let completed = complete(&partial, references).unwrap_or_else(|| {
        let mut cpm: Vec<f64> = partial.iter().map(|v| v.unwrap_or(0.0)).collect();
        normalise(&mut cpm);
        Completed {
            cpm,
            reference: "none".to_owned(),
            r: 0.0,
            measured: subset.len(),
        }
    });
    let residual_log: Vec<Vec<f64>> = log
        .iter()
        .zip(&male)
        .map(|(sample, &is_male)| {
            sample
                .iter()
                .enumerate()
                .map(|(s, v)| {
                    v - if is_male {
                        male_mean[s]
                    } else {
                        female_mean[s]
                    }
                })
                .collect()
        })
        .collect();
    let groups = usize::from(n_male > 0) + usize::from(n_female > 0);
    let mean_library = libraries.iter().sum::<f64>() / libraries.len().max(1) as f64;
    let mean_reads = mean_log
        .iter()
        .map(|v| v.exp() * mean_library / 1e6)
        .collect();
    Ok(GeuvadisFit {
        genes: subset.iter().map(|&(_, g)| g).collect(),
        half,
        completed,
        n_female,
        n_male,
        residuals: PerSampleFit {
            log: residual_log,
            dof: (male.len() - groups) as f64,
            genes: subset.iter().map(|&(_, g)| g).collect(),
            mean_reads,
            mean_log_cpm: mean_log,
        },
    })
}

/// Adds the atlas's contexts and returns its residuals (group and sex means removed)
fn fit_atlas(
    grouped: &atlas::Atlas,
    references: &[(String, Vec<f64>)],
    assembly: &mut Assembly,
) -> PerSampleFit {
    let genes: Vec<usize> = (0..grouped.measured.len())
        .filter(|&g| grouped.measured[g])
        .collect();
    let mut residuals = Vec::new();
    let mut n_means = 0usize;
    let mut sum_log = vec![0.0; genes.len()];
    for group in &grouped.groups {
        let mut by_sex: BTreeMap<Option<bool>, Vec<&Vec<f64>>> = BTreeMap::new();
        for (log, male) in &group.samples {
            by_sex.entry(*male).or_default().push(log);
        }
        let means: BTreeMap<Option<bool>, Vec<f64>> = by_sex
            .iter()
            .map(|(sex, logs)| {
                (
                    *sex,
                    genes
                        .iter()
                        .map(|&g| logs.iter().map(|l| l[g]).sum::<f64>() / logs.len() as f64)
                        .collect(),
                )
            })
            .collect();
        n_means += means.len();
        let average: Vec<f64> = (0..genes.len())
            .map(|s| means.values().map(|m| m[s]).sum::<f64>() / means.len() as f64)
            .collect();
        for (log, male) in &group.samples {
            let mean = &means[male];
            residuals.push(
                genes
                    .iter()
                    .enumerate()
                    .map(|(s, &g)| log[g] - mean[s])
                    .collect::<Vec<f64>>(),
            );
        }
        for (s, value) in average.iter().enumerate() {
            sum_log[s] += value;
        }
        let mut partial = vec![None; grouped.measured.len()];
        for (s, &g) in genes.iter().enumerate() {
            partial[g] = Some(average[s].exp());
        }
        let cpm = complete(&partial, references)
            .map(|c| c.cpm)
            .unwrap_or_else(|| {
                let mut cpm: Vec<f64> = partial.iter().map(|v| v.unwrap_or(0.0)).collect();
                normalise(&mut cpm);
                cpm
            });
        let female = by_sex.get(&Some(false)).map_or(0, Vec::len) as f64;
        let male = by_sex.get(&Some(true)).map_or(0, Vec::len) as f64;
        let unknown = by_sex.get(&None).map_or(0, Vec::len) as f64;
        let split = if female + male > 0.0 {
            SexSplit::Counts(female + unknown / 2.0, male + unknown / 2.0)
        } else {
            SexSplit::Even
        };
        let name = group
            .fields
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(", ");
        let context = assembly.add_context(format!("atlas: {name}"), &cpm, ProfileSex::Mixed);
        assembly.add_baseline(context, &group.fields, split, group.samples.len() as f64);
    }
    let n_groups = grouped.groups.len().max(1) as f64;
    let mean_log_cpm: Vec<f64> = sum_log.iter().map(|v| v / n_groups).collect();
    PerSampleFit {
        dof: (residuals.len().saturating_sub(n_means)).max(1) as f64,
        log: residuals,
        mean_reads: mean_log_cpm
            .iter()
            .map(|v| v.exp() * grouped.mean_library / 1e6)
            .collect(),
        genes,
        mean_log_cpm,
    }
}

/// Genes without per-sample data get the trend value at their median log CPM across contexts
fn fill_by_trend(biological: &mut [f32], steps: &[(f64, f64)], assembly: &Assembly) {
    for (g, value) in biological.iter_mut().enumerate() {
        if value.is_nan() {
            let levels: Vec<f64> = assembly
                .contexts
                .iter()
                .map(|c| f64::from(c.log_cpm[g]))
                .collect();
            let level = median(&levels).unwrap_or(0.0);
            *value = dispersion::at(steps, level) as f32;
        }
    }
}

/// The HPA line whose log CPM ranks best match `levels` (Spearman on the genes with a level)
fn nearest_by_rank(
    levels: &[Option<f64>],
    lines: &[(String, String, Vec<f64>)],
) -> Option<(String, f64, Vec<f64>)> {
    let genes: Vec<usize> = (0..levels.len()).filter(|&g| levels[g].is_some()).collect();
    let own = ranks(
        &genes
            .iter()
            .map(|&g| levels[g].unwrap_or(0.0))
            .collect::<Vec<_>>(),
    );
    let mut best: Option<(usize, f64)> = None;
    for (index, (_, _, cpm)) in lines.iter().enumerate() {
        let theirs = ranks(&genes.iter().map(|&g| cpm[g]).collect::<Vec<_>>());
        let rho = pearson(&own, &theirs);
        if best.is_none_or(|(_, b)| rho > b) {
            best = Some((index, rho));
        }
    }
    best.map(|(index, rho)| (lines[index].0.clone(), rho, lines[index].2.clone()))
}
