//! The held-out splits: half of the GEUVADIS lines per sex, and one inner dose per A375
//! compound, left out of the build

use std::collections::{BTreeMap, BTreeSet};

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

use crate::read::geuvadis::Geuvadis;
use crate::read::plate::{Plate, compounds};

/// One A375 compound dose left out of the build
#[derive(Debug, Clone)]
pub(crate) struct HeldDose {
    /// ChEMBL id (what the query names)
    pub chembl: String,
    /// The left-out dose, micromolar
    pub dose: f64,
    /// Its well(s), plate column indices
    pub wells: Vec<usize>,
    /// The compound's other doses with their wells, ascending
    pub others: Vec<(f64, Vec<usize>)>,
}

/// One split
#[derive(Debug, Clone)]
pub(crate) struct Split {
    /// GEUVADIS samples trained on (indices)
    pub train: Vec<usize>,
    /// GEUVADIS samples held out (indices)
    pub held_out: Vec<usize>,
    /// A375 doses held out
    pub plate: Vec<HeldDose>,
    /// Sample and well ids to leave out of the build
    pub exclude: BTreeSet<String>,
}

/// `count` splits; split `index` uses a generator seeded from (`seed`, `index`)
pub(crate) fn make(
    geuvadis: &Geuvadis,
    plate: Option<&Plate>,
    count: usize,
    seed: u64,
) -> Vec<Split> {
    (0..count)
        .map(|index| {
            let mut rng =
                Pcg64::seed_from_u64(seed ^ (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let mut train = Vec::new();
            let mut held_out = Vec::new();
            for male in [false, true] {
                let mut members: Vec<usize> = (0..geuvadis.samples.len())
                    .filter(|&s| geuvadis.male[s] == male)
                    .collect();
                members.shuffle(&mut rng);
                // Odd groups give their extra sample to training and held out in turn
                let held = (members.len() + (index + usize::from(male)) % 2) / 2;
                held_out.extend_from_slice(&members[..held]);
                train.extend_from_slice(&members[held..]);
            }
            train.sort_unstable();
            held_out.sort_unstable();
            let mut exclude: BTreeSet<String> = held_out
                .iter()
                .map(|&s| geuvadis.samples[s].clone())
                .collect();
            let held_doses = plate.map_or_else(Vec::new, |plate| held_doses(plate, &mut rng));
            for held in &held_doses {
                for &w in &held.wells {
                    if let Some(plate) = plate {
                        exclude.insert(plate.wells[w].id.clone());
                    }
                }
            }
            Split {
                train,
                held_out,
                plate: held_doses,
                exclude,
            }
        })
        .collect()
}

/// One inner dose (neither the lowest nor the highest) per compound with a ChEMBL id and at
/// least 3 doses, chosen at random
fn held_doses(plate: &Plate, rng: &mut Pcg64) -> Vec<HeldDose> {
    let mut out = Vec::new();
    for (pert_id, _, chembl) in compounds() {
        let mut by_dose: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
        for (w, well) in plate.wells.iter().enumerate() {
            if well.pert_id == pert_id
                && let Some(dose) = well.dose
            {
                by_dose.entry(dose.to_bits()).or_default().push(w);
            }
        }
        let mut doses: Vec<(f64, Vec<usize>)> = by_dose
            .into_iter()
            .map(|(bits, wells)| (f64::from_bits(bits), wells))
            .collect();
        doses.sort_by(|a, b| a.0.total_cmp(&b.0));
        if doses.len() < 3 {
            continue;
        }
        let pick = rng.random_range(1..doses.len() - 1);
        let (dose, wells) = doses.remove(pick);
        out.push(HeldDose {
            chembl,
            dose,
            wells,
            others: doses,
        });
    }
    out
}
