//! The noise of the contexts with their own per-sample data (blood, colon, brain): latent
//! factors and biological dispersion fitted on each per-sample set, replacing the GEUVADIS
//! ones for its contexts and, for the first healthy set of a family, the family's other
//! contexts
//!
//! The GEUVADIS lymphoblastoid lines vary along their own axes: given to whole blood they make
//! genes vary that do not (and not the neutrophil and erythroid genes that do), and generated
//! samples were told from real ones by the per-gene spread alone (per-gene SD r 0.18-0.24
//! between real and generated COVID-19 blood). Each per-sample set gives its residuals
//! ([`SetResiduals`]: each arm's mean removed; in a disease arm also its severity axis, and
//! scaled by the arm's spread, which the model applies again), fitted exactly as the GEUVADIS
//! lines are (`fit::latent`, `fit::dispersion`), with at most a third of the residual degrees
//! of freedom as factors so that much of the spread is per gene rather than copies of the
//! training samples. Genes the set does not measure keep the GEUVADIS variance at the family's
//! spread, factors folded into dispersion. Sets are not pooled: their spreads differ (HIV+
//! blood varies more than healthy blood) and each has its own context.
//!
//! Which contexts a family covers is `sources::healthy::family_of`: blood for whole blood
//! (not sorted blood cells), brain for brain regions, colon for every other tissue (the only
//! solid tissue biopsy with per-sample data); cell lines and blood cell types keep the
//! GEUVADIS noise.

use synthome_model::FamilyNoise;

use crate::assembly::BulkAssembly;
use crate::fit::disease::{EXPRESSED_LOG_CPM, median};
use crate::fit::{dispersion, latent};
use crate::noise::NoiseFit;
use crate::sources::healthy::{FAMILIES, family_of};

/// One arm of a per-sample set (normal or disease samples), as its residuals are taken
#[derive(Debug, Clone, Copy)]
pub(crate) struct Arm<'a> {
    /// The arm's samples
    pub members: &'a [usize],
    /// What its residuals are divided by (the disease arm's spread; 1 for the normal arm)
    pub scale: f64,
    /// A direction projected out of its residuals (the disease arm's severity axis)
    pub axis: Option<&'a [f64]>,
}

impl<'a> Arm<'a> {
    /// An arm with nothing rescaled or projected out
    pub(crate) fn plain(members: &'a [usize]) -> Arm<'a> {
        Arm {
            members,
            scale: 1.0,
            axis: None,
        }
    }
}

/// A per-sample set's samples, as its residuals are taken from them
#[derive(Debug, Clone, Copy)]
pub(crate) struct SetSamples<'a> {
    /// `log[sample][row]` log CPM
    pub log: &'a [Vec<f64>],
    /// Universe gene per row
    pub genes: &'a [usize],
    /// Library size per sample
    pub libraries: &'a [f64],
    /// Each sample's sex (`female` or another value), if known
    pub sexes: Option<&'a [String]>,
    /// Half the male-minus-female log effect per universe gene (the model's sex effect)
    pub sex_half: &'a [f32],
}

/// Genes whose half sex effect exceeds this (natural log; males and females 2.7-fold apart)
/// are centred per sex within each arm; the others per arm
const SEX_CENTRED_HALF: f32 = 0.5;

/// One per-sample set's residuals for its family's noise fit
#[derive(Debug, Clone)]
pub(crate) struct SetResiduals {
    /// The context family (`blood`, `colon`, `brain`)
    pub family: &'static str,
    /// The set, for the report
    pub source: &'static str,
    /// Universe gene per row
    pub genes: Vec<usize>,
    /// `log[sample][row]` residual log CPM
    pub log: Vec<Vec<f64>>,
    /// Residual degrees of freedom (samples less the means removed)
    pub dof: f64,
    /// Mean log CPM per row
    pub mean_log_cpm: Vec<f64>,
    /// Mean library size of the set
    pub mean_library: f64,
    /// The contexts the set was measured on (they take its noise)
    pub contexts: Vec<usize>,
    /// Whether its normal arm is healthy (then the family's other contexts may take its noise)
    pub healthy: bool,
    /// For a disease arm's own residuals: the disease (index into the model's diseases) that
    /// takes the noise, and the arm's spread (the variance of genes the set does not measure
    /// is the family's times its square)
    pub disease: Option<(usize, f64)>,
}

impl SetResiduals {
    /// The residuals of the set's samples with each arm's mean removed (on the sex genes each
    /// sex's apart when the sexes are known), its axis projected out and divided by its scale
    /// ([`Arm`]); arms of fewer than 2 samples are left out. Only rows expressed over the
    /// arms' samples (mean log CPM above [`EXPRESSED_LOG_CPM`]) are kept.
    pub(crate) fn from_arms(
        (family, source): (&'static str, &'static str),
        contexts: Vec<usize>,
        healthy: bool,
        samples: SetSamples<'_>,
        arms: &[Arm<'_>],
    ) -> SetResiduals {
        let SetSamples {
            log,
            genes,
            libraries,
            sexes,
            sex_half,
        } = samples;
        let n_rows = genes.len();
        let members: Vec<usize> = arms.iter().flat_map(|arm| arm.members.to_vec()).collect();
        let (mean, _) = crate::fit::disease::arm(log, &members);
        let kept: Vec<usize> = (0..n_rows)
            .filter(|&row| mean[row] > EXPRESSED_LOG_CPM)
            .collect();
        // On the sex genes each arm's sexes are centred apart when known: a mixed-sex arm's
        // residuals would otherwise carry the sex difference (the Y genes, XIST) as a factor,
        // and draws along it would switch generated males' Y genes off. Other genes are
        // centred on the arm's mean: in a small arm the sexes differ by chance along its main
        // axes, and centring them apart would remove that real spread (a quarter of the
        // tuberculosis arm's variance).
        let sex_row: Vec<bool> = genes
            .iter()
            .map(|&gene| {
                sex_half
                    .get(gene)
                    .is_some_and(|h| h.abs() > SEX_CENTRED_HALF)
            })
            .collect();
        // Each arm's mean once, however many sex groups it has
        let arm_means: Vec<Vec<f64>> = arms
            .iter()
            .map(|arm| crate::fit::disease::arm(log, arm.members).0)
            .collect();
        let groups: Vec<(Vec<usize>, &Arm<'_>, &[f64])> = arms
            .iter()
            .zip(&arm_means)
            .flat_map(|(arm, arm_mean)| {
                let parts = match sexes {
                    Some(sexes) => {
                        let (female, other): (Vec<usize>, Vec<usize>) = arm
                            .members
                            .iter()
                            .partition(|&&sample| sexes[sample] == "female");
                        vec![female, other]
                    }
                    None => vec![arm.members.to_vec()],
                };
                parts
                    .into_iter()
                    .map(move |part| (part, arm, arm_mean.as_slice()))
            })
            .filter(|(members, arm, _)| !members.is_empty() && arm.members.len() >= 2)
            .collect();
        let mut residuals = Vec::new();
        for (members, arm, arm_mean) in &groups {
            let (sex_mean, _) = crate::fit::disease::arm(log, members);
            let group_mean: Vec<f64> = (0..n_rows)
                .map(|row| {
                    if sex_row[row] {
                        sex_mean[row]
                    } else {
                        arm_mean[row]
                    }
                })
                .collect();
            let axis = arm.axis;
            let norm = axis.map_or(0.0, |axis| axis.iter().map(|e| e * e).sum::<f64>());
            let scale = if arm.scale > 0.0 { arm.scale } else { 1.0 };
            for &sample in members {
                let mut r: Vec<f64> = (0..n_rows)
                    .map(|row| log[sample][row] - group_mean[row])
                    .collect();
                if let Some(axis) = axis
                    && norm > 0.0
                {
                    let along = r.iter().zip(axis).map(|(x, e)| x * e).sum::<f64>() / norm;
                    for (x, e) in r.iter_mut().zip(axis) {
                        *x -= along * e;
                    }
                }
                residuals.push(kept.iter().map(|&row| r[row] / scale).collect());
            }
        }
        let used: usize = groups.iter().map(|(members, ..)| members.len()).sum();
        let means_removed = arms.iter().filter(|arm| arm.members.len() >= 2).count();
        let mean_library = groups
            .iter()
            .flat_map(|(members, ..)| members.iter().map(|&s| libraries[s]))
            .sum::<f64>()
            / used.max(1) as f64;
        SetResiduals {
            family,
            source,
            genes: kept.iter().map(|&row| genes[row]).collect(),
            log: residuals,
            dof: used.saturating_sub(means_removed) as f64,
            mean_log_cpm: kept.iter().map(|&row| mean[row]).collect(),
            mean_library,
            contexts,
            healthy,
            disease: None,
        }
    }
}

/// Fits the noise of every per-sample set in `assembly.family_residuals` and sets it: a set's
/// noise goes to the contexts it was measured on, and the first healthy set of a family also to
/// the family's other contexts; those contexts get latent spread 1 (the set's factors carry
/// its spread). A disease arm's own residuals give that disease its own noise. `global` is the
/// GEUVADIS fit.
pub(crate) fn fit(assembly: &mut BulkAssembly<'_>, global: &NoiseFit) {
    let n_contexts = assembly.parts.contexts.len();
    let mut families: Vec<FamilyNoise> = Vec::new();
    let mut claimed = vec![false; n_contexts];
    let sets = std::mem::take(&mut assembly.family_residuals);
    for set in &sets {
        let contexts: Vec<u32> = set
            .contexts
            .iter()
            .filter(|&&context| !std::mem::replace(&mut claimed[context], true))
            .map(|&context| context as u32)
            .collect();
        if set.log.len() < 3 {
            continue;
        }
        if let Some((disease, _)) = set.disease {
            // Its residuals keep the severity axis: the factors carry the severity
            let effect = &mut assembly.states.diseases[disease];
            effect.noise = Some(families.len());
            let fitted = std::mem::replace(&mut effect.severity_sd, 0.0);
            let line = format!(
                "{} ({}): severity sd {fitted:.2} not stored: the arm's own latent factors carry the severity",
                effect.label, effect.id
            );
            assembly.report.push(line);
        } else if contexts.is_empty() {
            continue;
        }
        families.push(fit_set(assembly, set, contexts, global));
    }
    for family in FAMILIES {
        let Some(at) = sets
            .iter()
            .filter(|set| set.family == family && set.healthy)
            .find_map(|set| {
                let context = *set.contexts.first()? as u32;
                families
                    .iter()
                    .position(|noise| noise.contexts.contains(&context))
            })
        else {
            continue;
        };
        let others: Vec<u32> = (0..n_contexts)
            .filter(|&context| family_of(&assembly.parts, context) == Some(family))
            .filter(|&context| !std::mem::replace(&mut claimed[context], true))
            .map(|context| context as u32)
            .collect();
        assembly.report.push(format!(
            "{family} family: {} more contexts take the noise of {}",
            others.len(),
            families[at].name
        ));
        families[at].contexts.extend(others);
        families[at].contexts.sort_unstable();
    }
    if !assembly.states.spread.is_empty() {
        for family in &families {
            for &context in &family.contexts {
                assembly.states.spread[context as usize] = 1.0;
            }
        }
    }
    assembly.family_residuals = sets;
    assembly.states.noise = families;
}

/// The noise of one set: its factors and per-gene dispersion, the GEUVADIS variance (factors
/// folded into dispersion, at the family's spread) for genes it does not measure
fn fit_set(
    assembly: &mut BulkAssembly<'_>,
    set: &SetResiduals,
    contexts: Vec<u32>,
    global: &NoiseFit,
) -> FamilyNoise {
    let n_genes = assembly.universe.len();
    let technical = assembly.technical;
    let max_factors = assembly
        .options
        .max_factors
        .min(global.latent.n_factors)
        .min((set.dof / 3.0).floor() as usize);
    let fit = latent::fit(&set.log, set.dof, &set.genes, n_genes, max_factors);
    let ratio = median(
        assembly
            .family_spread
            .iter()
            .filter(|(name, _)| *name == set.family)
            .map(|(_, ratio)| *ratio)
            .collect(),
    )
    .unwrap_or(1.0)
        * set.disease.map_or(1.0, |(_, spread)| spread);
    let n_global = global.latent.n_factors;
    let mut biological: Vec<f32> = (0..n_genes)
        .map(|g| {
            let factors: f64 = (0..n_global)
                .map(|k| f64::from(global.latent.loadings[k * n_genes + g]).powi(2))
                .sum();
            let log_variance =
                (1.0 + f64::from(global.biological[g])).ln() + factors * ratio * ratio;
            log_variance.exp_m1() as f32
        })
        .collect();
    let mut measured = Vec::with_capacity(set.genes.len());
    for (row, &gene) in set.genes.iter().enumerate() {
        let mean_reads = set.mean_log_cpm[row].exp() * set.mean_library / 1e6;
        let value =
            dispersion::biological(fit.total[row] - fit.explained[row], mean_reads, technical);
        biological[gene] = value as f32;
        measured.push(value);
    }
    let total: f64 = fit.total.iter().sum();
    let name = match set.disease {
        Some((disease, _)) => format!(
            "{} arm ({})",
            assembly.states.diseases[disease].label, set.source
        ),
        None => format!("{} ({})", set.family, set.source),
    };
    assembly.report.push(format!(
        "noise of {name}: {} samples x {} genes, {} factors carry {:.1}% of the residual variance; biological dispersion median {:.3} (GEUVADIS-based on the {} other genes)",
        set.log.len(),
        set.genes.len(),
        fit.n_factors,
        100.0 * fit.factor_variance.iter().sum::<f64>() / total.max(1e-12),
        median(measured).unwrap_or(0.0),
        n_genes - set.genes.len()
    ));
    FamilyNoise {
        name,
        contexts,
        n_factors: fit.n_factors,
        loadings: fit.loadings,
        biological,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arm_residuals_have_no_arm_mean_no_severity_axis_and_the_arms_scale() {
        // Two arms of 3 samples over 3 genes; the disease arm moves along (1, -1, 0) and is
        // twice as spread on gene 2
        let log = vec![
            vec![1.0, 2.0, 3.0],
            vec![1.2, 2.2, 3.1],
            vec![0.8, 1.8, 2.9],
            vec![2.0, 1.0, 3.2],
            vec![3.0, 0.0, 3.0],
            vec![2.5, 0.5, 2.8],
        ];
        let axis = [1.0, -1.0, 0.0];
        let residuals = SetResiduals::from_arms(
            ("blood", "test"),
            vec![0],
            true,
            SetSamples {
                log: &log,
                genes: &[10, 11, 12],
                libraries: &[1e6; 6],
                sexes: None,
                sex_half: &[],
            },
            &[
                Arm::plain(&[0, 1, 2]),
                Arm {
                    members: &[3, 4, 5],
                    scale: 2.0,
                    axis: Some(&axis),
                },
            ],
        );
        assert_eq!(residuals.genes, vec![10, 11, 12]);
        assert_eq!(residuals.log.len(), 6);
        assert_eq!(residuals.dof, 4.0);
        for arm in [0..3, 3..6] {
            for gene in 0..3 {
                let sum: f64 = residuals.log[arm.clone()].iter().map(|r| r[gene]).sum();
                assert!(sum.abs() < 1e-12, "arm mean left on gene {gene}");
            }
        }
        for r in &residuals.log[3..] {
            let along: f64 = r.iter().zip(&axis).map(|(x, e)| x * e).sum();
            assert!(along.abs() < 1e-12, "severity axis left: {along}");
        }
        // Gene 2 of the disease arm: raw residuals (0.2, 0, -0.2) halved
        assert!((residuals.log[3][2] - 0.1).abs() < 1e-12);
    }

    #[test]
    fn unexpressed_genes_are_left_out() {
        let log = vec![vec![-3.0, 2.0], vec![-2.5, 2.5], vec![-3.5, 1.5]];
        let residuals = SetResiduals::from_arms(
            ("colon", "test"),
            vec![0],
            true,
            SetSamples {
                log: &log,
                genes: &[4, 5],
                libraries: &[1e6; 3],
                sexes: None,
                sex_half: &[],
            },
            &[Arm::plain(&[0, 1, 2])],
        );
        assert_eq!(residuals.genes, vec![5]);
        assert_eq!(residuals.log[1], vec![0.5]);
    }

    #[test]
    fn sexes_are_centred_apart_on_sex_genes_only_so_the_y_genes_leave_no_residual() {
        // Gene 0 is a Y gene (5 in males, 0 in females); gene 1 varies within each sex
        let log = vec![
            vec![5.0, 1.0],
            vec![0.0, 2.0],
            vec![5.0, 3.0],
            vec![0.0, 4.0],
        ];
        let sexes: Vec<String> = ["male", "female", "male", "female"]
            .map(str::to_owned)
            .to_vec();
        let residuals = SetResiduals::from_arms(
            ("blood", "test"),
            vec![0],
            true,
            SetSamples {
                log: &log,
                genes: &[0, 1],
                libraries: &[1e6; 4],
                sexes: Some(&sexes),
                sex_half: &[2.5, 0.0],
            },
            &[Arm::plain(&[0, 1, 2, 3])],
        );
        assert_eq!(residuals.dof, 3.0);
        assert!(residuals.log.iter().all(|r| r[0].abs() < 1e-12));
        // Gene 1 is not a sex gene: centred on the arm (mean 2.5), not per sex, so the spread
        // the sexes share by chance stays (per sex it would be +-1)
        let mut within: Vec<f64> = residuals.log.iter().map(|r| r[1]).collect();
        within.sort_by(f64::total_cmp);
        assert_eq!(within, vec![-1.5, -0.5, 0.5, 1.5]);
        // Without sexes the Y gene is all residual
        let mixed = SetResiduals::from_arms(
            ("blood", "test"),
            vec![0],
            true,
            SetSamples {
                log: &log,
                genes: &[0, 1],
                libraries: &[1e6; 4],
                sexes: None,
                sex_half: &[2.5, 0.0],
            },
            &[Arm::plain(&[0, 1, 2, 3])],
        );
        assert!(mixed.log.iter().all(|r| (r[0].abs() - 2.5).abs() < 1e-12));
    }
}
