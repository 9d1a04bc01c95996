//! A per-sample atlas given with [`BuildOptions::atlas`](crate::BuildOptions): one context per
//! metadata group, and its residuals (group and sex means removed) replace GEUVADIS's for the
//! latent factors and dispersion

use std::collections::BTreeMap;

use synthome_model::ProfileSex;

use crate::assembly::{BulkAssembly, PerSampleFit};
use crate::error::BuildError;
use crate::fit::atlas::{self, Atlas};
use crate::fit::conditions::{Assembly, SexSplit};
use crate::fit::profiles::{complete, normalise};
use crate::read::counts::{Missing, read_matrix, read_text_table};

/// Reads the atlas if one is given and adds its contexts
pub(crate) fn add(assembly: &mut BulkAssembly<'_>) -> Result<(), BuildError> {
    let options = assembly.options;
    let Some(paths) = &options.atlas else {
        return Ok(());
    };
    let mut counts = read_matrix(
        assembly.files.bytes_at(&paths.counts)?.as_slice(),
        "atlas counts",
        Missing::Error,
    )?;
    counts.retain_samples(|s| !options.exclude_samples.contains(s));
    let metadata = read_text_table(
        assembly.files.bytes_at(&paths.metadata)?.as_slice(),
        "atlas metadata",
    )?;
    let grouped = atlas::group(&counts, &metadata, &assembly.universe, "atlas metadata")?;
    let fit = fit_atlas(&grouped, &assembly.references, &mut assembly.parts);
    assembly.report.push(format!(
        "atlas: {} samples in {} contexts; latent factors fitted on it",
        counts.samples.len(),
        grouped.groups.len()
    ));
    assembly.per_sample = Some(fit);
    Ok(())
}

/// Adds the atlas's contexts and returns its residuals (group and sex means removed)
fn fit_atlas(
    grouped: &Atlas,
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
