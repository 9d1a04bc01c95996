//! Writing a bulk bundle: its sections, in a container

use std::io::Write;

use synthome_bundle::container::{FieldWriter, Writer};
use synthome_bundle::{BundleKind, KIND_TAG, shared};

use super::sections::{NO_CONTEXT, TAGS, kind_code, sex_code};
use super::{LOADING_BITS, LOG_FIXED_BITS, stored_values};
use super::{family_noise, states};
use crate::params::BulkParams;
use crate::states::States;

/// The bundle bytes of `params` (deterministic: same parameters, same bytes)
pub fn write(params: &BulkParams) -> Vec<u8> {
    write_with_states(params, &States::default())
}

/// The bundle bytes of `params` with disease, age and spread effects (the `STAT` section) and
/// the families' own noise (`FNOI`) and the disease arms' (`DNOI`), each left out when empty
pub fn write_with_states(params: &BulkParams, states: &States) -> Vec<u8> {
    let sections: [Vec<u8>; TAGS.len()] = [
        shared::write_card(&params.card),
        shared::write_genes(&params.genes),
        params.vocabulary.encode(),
        contexts(params),
        conditions(params),
        sex_effect(params),
        latent(params),
        noise(params),
        perturbations(params),
    ];
    let mut writer = Writer::new();
    writer.section(KIND_TAG, BundleKind::Bulk.section());
    for (tag, section) in TAGS.into_iter().zip(sections) {
        writer.section(tag, section);
    }
    let without_noise = States {
        diseases: states.diseases.clone(),
        ages: states.ages.clone(),
        spread: states.spread.clone(),
        noise: Vec::new(),
    };
    if without_noise != States::default() {
        writer.section(states::TAG, states::write(&without_noise));
    }
    if !states.noise.is_empty() {
        writer.section(family_noise::TAG, family_noise::write(&states.noise));
    }
    if let Some(section) = family_noise::write_disease_noise(&states.diseases) {
        writer.section(family_noise::DISEASE_TAG, section);
    }
    writer.finish()
}

/// Writes the bundle bytes of `params` into `writer`
pub fn write_to<W: Write>(params: &BulkParams, mut writer: W) -> std::io::Result<()> {
    writer.write_all(&write(params))
}

fn contexts(params: &BulkParams) -> Vec<u8> {
    let mut out = FieldWriter::default();
    out.len(params.contexts.len());
    for context in &params.contexts {
        out.str(&context.name);
        out.u8(sex_code(context.profile_sex));
    }
    for context in &params.contexts {
        out.fixed16(&stored_values(&context.log_cpm), LOG_FIXED_BITS);
    }
    out.into_bytes()
}

fn conditions(params: &BulkParams) -> Vec<u8> {
    let mut out = FieldWriter::default();
    out.len(params.conditions.len());
    for condition in &params.conditions {
        out.len(condition.context);
        out.f64(condition.weight);
        shared::write_fields(&mut out, &condition.fields);
        match condition.perturbation {
            Some(applied) => {
                out.u8(1);
                out.len(applied.index);
                out.f64(applied.dose_um.unwrap_or(f64::NAN));
                out.f64(applied.time_hours.unwrap_or(f64::NAN));
            }
            None => out.u8(0),
        }
    }
    out.into_bytes()
}

fn sex_effect(params: &BulkParams) -> Vec<u8> {
    let mut out = FieldWriter::default();
    out.f32s(&params.sex_effect);
    out.into_bytes()
}

fn latent(params: &BulkParams) -> Vec<u8> {
    let mut out = FieldWriter::default();
    out.len(params.latent.n_factors);
    out.fixed16(&params.latent.loadings, LOADING_BITS);
    out.into_bytes()
}

fn noise(params: &BulkParams) -> Vec<u8> {
    let mut out = FieldWriter::default();
    out.f32(params.noise.technical);
    out.f32(params.noise.technical_low_count);
    out.f32s(&params.noise.biological);
    out.into_bytes()
}

fn perturbations(params: &BulkParams) -> Vec<u8> {
    let mut out = FieldWriter::default();
    out.len(params.perturbations.len());
    for perturbation in &params.perturbations {
        out.str(&perturbation.id);
        out.u8(kind_code(perturbation.kind));
        match perturbation.measured_in {
            Some(context) => out.len(context),
            None => out.u32(NO_CONTEXT),
        }
        out.str(&perturbation.source);
        out.len(perturbation.responses.len());
        for response in &perturbation.responses {
            out.f64(response.dose_um.unwrap_or(f64::NAN));
            out.f64(response.time_hours.unwrap_or(f64::NAN));
            out.len(response.genes.len());
            out.u32s(&response.genes);
            out.fixed16(&stored_values(&response.log_fold_changes), LOG_FIXED_BITS);
        }
    }
    out.into_bytes()
}
