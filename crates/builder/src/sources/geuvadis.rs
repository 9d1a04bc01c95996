//! GEUVADIS lymphoblastoid lines (per-sample counts): the per-sample sex effect, the LCL
//! context and the residuals the latent factors and dispersion are fitted on (unless an atlas
//! is given); their genes make part of the gene universe

use synthome_inputs::Inputs;
use synthome_model::ProfileSex;
use synthome_query::MetadataKey;

use crate::assembly::{BulkAssembly, PerSampleFit};
use crate::build::BuildOptions;
use crate::error::BuildError;
use crate::fit::conditions::SexSplit;
use crate::fit::profiles::{Completed, complete, normalise};
use crate::fit::sex;
use crate::fit::universe::Universe;
use crate::read::counts::{Missing, SampleMatrix, TextTable, read_matrix, read_text_table};
use crate::read::tsv::unversioned;

/// The GEUVADIS lymphoblastoid lines as a cell type
const LYMPHOBLASTOID: &str = "CL:0000236";

/// The GEUVADIS counts and sample table, when present
#[derive(Debug)]
pub(crate) struct Geuvadis {
    data: Option<(SampleMatrix, TextTable)>,
}

/// Reads the GEUVADIS counts (held-out samples dropped) and sample table if present
pub(crate) fn read(files: &mut Inputs, options: &BuildOptions) -> Result<Geuvadis, BuildError> {
    let Some(bytes) = files.bytes_if_present("bulk/geuvadis_lcl_counts.tsv.gz")? else {
        return Ok(Geuvadis { data: None });
    };
    let mut counts = read_matrix(bytes.as_slice(), "geuvadis_lcl_counts", Missing::Error)?;
    counts.retain_samples(|s| !options.exclude_samples.contains(s));
    let samples = read_text_table(
        files.bytes("bulk/geuvadis_lcl_samples.tsv")?.as_slice(),
        "geuvadis_lcl_samples",
    )?;
    Ok(Geuvadis {
        data: Some((counts, samples)),
    })
}

impl Geuvadis {
    /// The genes the counts measure (unversioned Ensembl ids)
    pub(crate) fn genes(&self) -> impl Iterator<Item = &str> {
        self.data
            .iter()
            .flat_map(|(counts, _)| counts.genes.iter().map(|g| unversioned(g)))
    }

    /// Sets the measured sex effect, adds the LCL context and keeps the residuals
    pub(crate) fn add(&self, assembly: &mut BulkAssembly<'_>) -> Result<(), BuildError> {
        let Some((counts, samples)) = &self.data else {
            return Ok(());
        };
        let fit = fit_geuvadis(counts, samples, &assembly.universe, &assembly.references)?;
        for (s, &gene) in fit.genes.iter().enumerate() {
            assembly.sex.half[gene] = fit.half[s] as f32;
            assembly.sex.known[gene] = true;
        }
        assembly.report.push(format!(
            "GEUVADIS: {} lines ({} female, {} male), {} genes; profile completed from {} (r {:.3} on {} genes)",
            fit.n_female + fit.n_male, fit.n_female, fit.n_male, fit.genes.len(), fit.completed.reference, fit.completed.r, fit.completed.measured
        ));
        let context = assembly.parts.add_context(
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
        assembly.parts.add_baseline(
            context,
            &fields,
            SexSplit::Counts(fit.n_female as f64, fit.n_male as f64),
            (fit.n_female + fit.n_male) as f64,
        );
        assembly.per_sample = Some(fit.residuals);
        Ok(())
    }
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

/// The per-sample sex effect, the completed sex-average profile and the residuals (sex means
/// removed) of the GEUVADIS lines
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
