//! The deterministic part of a sample's log CPM: base profile + sex effect + perturbation
//!
//! Effects add in log space. Doses between two measured doses are interpolated linearly in
//! log dose; a dose outside the measured range takes the nearest measured dose, and a time
//! the data does not have takes the nearest measured time, both with a warning.

use crate::model::BulkModel;
use crate::params::{AppliedPerturbation, Perturbation, Response};
use crate::resolve::{Plan, format_dose, format_time};

/// Fills `out` with the plan's log CPM before latent variation; returns warnings
pub(crate) fn offset(model: &BulkModel, input: usize, plan: &Plan, out: &mut [f32]) -> Vec<String> {
    let params = model.params();
    let context = &params.contexts[plan.context];
    out.copy_from_slice(&context.log_cpm);
    let sex_coefficient = if plan.sex_sign == 0.0 {
        0.0
    } else {
        plan.sex_sign - context.profile_sex.sign()
    };
    if sex_coefficient != 0.0 {
        for (value, effect) in out.iter_mut().zip(&params.sex_effect) {
            *value += sex_coefficient * effect;
        }
    }
    let states = model.states();
    if let Some((index, weight)) = plan.disease {
        let disease = &states.diseases[index];
        add_sparse(out, &disease.genes, &disease.log_fold_changes, weight);
    }
    if let Some((index, years)) = plan.age {
        let age = &states.ages[index];
        add_sparse(out, &age.genes, &age.per_year, years);
    }
    let mut warnings = Vec::new();
    if let Some(applied) = plan.perturbation {
        let perturbation = &params.perturbations[applied.index];
        for (response, weight) in weighted_responses(perturbation, applied, input, &mut warnings) {
            add_response(out, response, weight);
        }
    }
    warnings
}

/// Adds `weight` times a sparse response
fn add_response(out: &mut [f32], response: &Response, weight: f32) {
    add_sparse(out, &response.genes, &response.log_fold_changes, weight);
}

/// Adds `weight` times sparse changes
fn add_sparse(out: &mut [f32], genes: &[u32], changes: &[f32], weight: f32) {
    for (&gene, &change) in genes.iter().zip(changes) {
        if let Some(value) = out.get_mut(gene as usize) {
            *value += weight * change;
        }
    }
}

/// The responses to add for the requested dose and time, with their weights
fn weighted_responses<'a>(
    perturbation: &'a Perturbation,
    applied: AppliedPerturbation,
    input: usize,
    warnings: &mut Vec<String>,
) -> Vec<(&'a Response, f32)> {
    let responses = &perturbation.responses;
    if responses.is_empty() {
        return Vec::new();
    }
    // Times first: keep the responses at the nearest measured time
    let times: Vec<f64> = responses.iter().filter_map(|r| r.time_hours).collect();
    let mut pool: Vec<&Response> = responses.iter().collect();
    match (applied.time_hours, times.is_empty()) {
        (Some(wanted), false) => {
            let nearest = times
                .iter()
                .copied()
                .min_by(|a, b| (a - wanted).abs().total_cmp(&(b - wanted).abs()))
                .unwrap_or(wanted);
            if (nearest - wanted).abs() > 1e-9 {
                warnings.push(format!(
                    "inputs[{input}]: {} was measured at {} only, not at {}; the nearest measured time was used",
                    perturbation.id,
                    join_times(&times),
                    format_time(wanted)
                ));
            }
            pool.retain(|r| r.time_hours.is_none_or(|t| (t - nearest).abs() < 1e-9));
        }
        (Some(wanted), true) => warnings.push(format!(
            "inputs[{input}]: the data for {} does not resolve time; {} is echoed but the response is time-independent",
            perturbation.id,
            format_time(wanted)
        )),
        (None, _) => {}
    }
    let mut dosed: Vec<(&Response, f64)> = pool
        .iter()
        .filter_map(|r| r.dose_um.map(|dose| (*r, dose)))
        .collect();
    if dosed.is_empty() {
        if let Some(wanted) = applied.dose_um {
            warnings.push(format!(
                "inputs[{input}]: the data for {} does not resolve dose; {} is echoed but the response is dose-independent",
                perturbation.id,
                format_dose(wanted)
            ));
        }
        return pool.first().map(|r| vec![(*r, 1.0)]).unwrap_or_default();
    }
    dosed.sort_by(|a, b| a.1.total_cmp(&b.1));
    let lowest = dosed[0];
    let highest = dosed[dosed.len() - 1];
    let Some(wanted) = applied.dose_um else {
        return vec![(highest.0, 1.0)];
    };
    if wanted <= lowest.1 || wanted >= highest.1 {
        let nearest = if wanted <= lowest.1 { lowest } else { highest };
        if (nearest.1 - wanted).abs() > 1e-9 * wanted.max(1e-12) {
            warnings.push(format!(
                "inputs[{input}]: {} was measured between {} and {}; {} was clamped to {}",
                perturbation.id,
                format_dose(lowest.1),
                format_dose(highest.1),
                format_dose(wanted),
                format_dose(nearest.1)
            ));
        }
        return vec![(nearest.0, 1.0)];
    }
    for pair in dosed.windows(2) {
        let (low, high) = (pair[0], pair[1]);
        if wanted >= low.1 && wanted <= high.1 {
            let span = libm::log(high.1) - libm::log(low.1);
            let t = if span > 0.0 {
                (libm::log(wanted) - libm::log(low.1)) / span
            } else {
                0.0
            };
            return vec![(low.0, (1.0 - t) as f32), (high.0, t as f32)];
        }
    }
    vec![(highest.0, 1.0)]
}

/// "24 hours, 48 hours"
fn join_times(times: &[f64]) -> String {
    let mut sorted = times.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.dedup();
    sorted
        .iter()
        .map(|&t| format_time(t))
        .collect::<Vec<_>>()
        .join(", ")
}
