//! Anchoring the Kang types' mean profiles to the PBMC atlases of the cell-profile library
//!
//! The Kang cells are one study's 2,000 shallow cells (about 1,350 UMIs each, 9,015 genes):
//! their type means carry that study's protocol and donors, and real Kang means correlate
//! with another PBMC atlas's means of the same type at r 0.6-0.8 where two atlases reach
//! 0.81-0.86. Each healthy-blood Kang control group is therefore blended with the mean
//! profile of the same CL type in the PBMC atlases, with weight [`ANCHOR_WEIGHT`] on
//! `ln(1 + 10^4 x share)` (the scale the comparison is made on), over the genes an atlas
//! measured and that are not interferon-responsive (the atlases pool COVID-19 patients, whose
//! strongest signature is interferon; Kang's control cells are the healthy reference there).
//! The stimulated group is blended on the same genes; the interferon-responsive ones are left
//! as fitted in both, so the IFN-beta response is kept.
//! The realism report measures the gain leaving one atlas out.

use synthome_sc_model::ScParams;

use crate::atlas::profiles::AtlasData;
use crate::fit::profiles::MIN_PROPORTION;

/// Atlases of the library that profile peripheral blood mononuclear cells
pub const PBMC_ATLASES: [&str; 2] = [
    "PBMCs_COVID19_cellAtlas",
    "Immunodeficiency_PBMCs_COVID19_cellAtlas",
];
/// Weight of the atlas mean in the blend (0 = Kang only)
pub const ANCHOR_WEIGHT: f64 = 0.4;
/// Scale of the blend: `ln(1 + SCALE x share)`
const SCALE: f64 = 1e4;

/// One Kang type anchored
#[derive(Debug, Clone, PartialEq)]
pub struct Anchored {
    /// CL id of the type
    pub cell_type: String,
    /// Atlases whose profile of the type it was blended with
    pub atlases: Vec<String>,
    /// Genes changed
    pub genes: usize,
}

/// Blends the Kang groups of `params` (those with a log profile) with the mean profile of
/// their cell type in the `atlases` of `atlas` that have it; `skip` marks genes left as they
/// are (interferon-responsive). Returns what was anchored, in cell-type order.
pub(crate) fn anchor(
    params: &mut ScParams,
    atlas: &AtlasData,
    atlases: &[&str],
    skip: &[bool],
) -> Vec<Anchored> {
    let mut anchored = Vec::new();
    for type_index in 0..params.cell_types.len() {
        let cell_type = params.cell_types[type_index].id.clone();
        let Some(reference) = reference_profile(atlas, atlases, &cell_type) else {
            continue;
        };
        let kang: Vec<usize> = (0..params.groups.len())
            .filter(|&g| {
                let group = &params.groups[g];
                group.cell_type == type_index && !group.log_profile.is_empty()
            })
            .collect();
        if kang.is_empty() {
            continue;
        }
        let genes = (0..skip.len())
            .filter(|&g| reference.profile[g].is_some() && !skip[g])
            .count();
        for &group in &kang {
            blend(
                &mut params.groups[group].log_profile,
                &reference.profile,
                skip,
            );
        }
        anchored.push(Anchored {
            cell_type,
            atlases: reference.atlases,
            genes,
        });
    }
    anchored
}

/// Blends a log profile with `target` where it has a value and `skip` does not hold, with
/// weight [`ANCHOR_WEIGHT`] on `ln(1 + SCALE x share)`, and renormalises it to sum to 1
fn blend(log_profile: &mut [f32], target: &[Option<f64>], skip: &[bool]) {
    let blended: Vec<f64> = log_profile
        .iter()
        .zip(target)
        .zip(skip)
        .map(|((&log_share, target), &skip)| {
            let share = f64::from(log_share).exp();
            match target {
                Some(target) if !skip => {
                    let mixed = (1.0 - ANCHOR_WEIGHT) * (SCALE * share).ln_1p()
                        + ANCHOR_WEIGHT * (SCALE * target).ln_1p();
                    mixed.exp_m1() / SCALE
                }
                _ => share,
            }
        })
        .collect();
    let total: f64 = blended.iter().sum();
    for (l, p) in log_profile.iter_mut().zip(blended) {
        *l = (p / total).max(MIN_PROPORTION).ln() as f32;
    }
}

/// A type's profile in the chosen atlases
struct Reference {
    /// Per gene, the mean share over the atlases that measured it
    profile: Vec<Option<f64>>,
    /// The atlases that have the type
    atlases: Vec<String>,
}

/// The mean over `atlases` of each atlas's profile of `cell_type` (genes no atlas with the
/// type measured are `None`); `None` when none has the type
fn reference_profile(atlas: &AtlasData, atlases: &[&str], cell_type: &str) -> Option<Reference> {
    let mut sum: Vec<f64> = Vec::new();
    let mut measured_by: Vec<usize> = Vec::new();
    let mut found = Vec::new();
    for &name in atlases {
        let Some(profile) = atlas.type_profile(name, cell_type) else {
            continue;
        };
        sum.resize(profile.len(), 0.0);
        measured_by.resize(profile.len(), 0);
        for (g, value) in profile.iter().enumerate() {
            if let Some(value) = value {
                sum[g] += value;
                measured_by[g] += 1;
            }
        }
        found.push(name.to_owned());
    }
    (!found.is_empty()).then(|| Reference {
        profile: sum
            .iter()
            .zip(&measured_by)
            .map(|(&s, &n)| (n > 0).then(|| s / n as f64))
            .collect(),
        atlases: found,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blending_moves_anchored_genes_towards_the_target_and_keeps_skipped_ones() {
        let shares = [0.5f64, 0.3, 0.2];
        let mut log_profile: Vec<f32> = shares.iter().map(|p| p.ln() as f32).collect();
        let target = [Some(0.1), None, Some(0.6)];
        blend(&mut log_profile, &target, &[false, false, true]);
        let p: Vec<f64> = log_profile.iter().map(|&l| f64::from(l).exp()).collect();
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-6);
        let expected_first = ((1.0 - ANCHOR_WEIGHT) * (SCALE * 0.5).ln_1p()
            + ANCHOR_WEIGHT * (SCALE * 0.1).ln_1p())
        .exp_m1()
            / SCALE;
        assert!(
            (p[1] / p[0] - 0.3 / expected_first).abs() < 1e-3,
            "the anchored gene moves towards its target, the unanchored one keeps its share: {p:?}"
        );
        assert!(
            (p[2] / p[1] - 0.2 / 0.3).abs() < 1e-4,
            "a skipped gene keeps its ratio to an unanchored one: {p:?}"
        );
    }
}
