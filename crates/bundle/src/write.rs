//! Writing a bundle: sections, table, checksum

use std::io::Write;

use sha2::Digest;
use synthome_model::BulkParams;

use crate::bytes::Out;
use crate::sections::{NO_CONTEXT, TAGS, kind_code, sex_code};
use crate::{FORMAT_VERSION, LOG_FIXED_BITS, MAGIC};

/// The bundle bytes of `params` (deterministic: same parameters, same bytes)
pub fn write(params: &BulkParams) -> Vec<u8> {
    let sections: Vec<Vec<u8>> = vec![
        card(params),
        genes(params),
        params.vocabulary.encode(),
        contexts(params),
        conditions(params),
        sex_effect(params),
        latent(params),
        noise(params),
        perturbations(params),
    ];
    let mut out = Out::default();
    out.bytes.extend_from_slice(MAGIC);
    out.u32(FORMAT_VERSION);
    out.len(sections.len());
    let table_len = sections.len() * 20;
    let mut offset = (16 + table_len) as u64;
    for (tag, section) in TAGS.iter().zip(&sections) {
        out.bytes.extend_from_slice(*tag);
        out.u64(offset);
        out.u64(section.len() as u64);
        offset += section.len() as u64;
    }
    for section in &sections {
        out.bytes.extend_from_slice(section);
    }
    let digest = sha2::Sha256::digest(&out.bytes);
    out.bytes.extend_from_slice(&digest);
    out.bytes
}

/// Writes the bundle bytes of `params` into `writer`
pub fn write_to<W: Write>(params: &BulkParams, mut writer: W) -> std::io::Result<()> {
    writer.write_all(&write(params))
}

fn card(params: &BulkParams) -> Vec<u8> {
    let mut out = Out::default();
    let card = &params.card;
    for text in [
        &card.id,
        &card.alias,
        &card.version,
        &card.summary,
        &card.licence,
    ] {
        out.str(text);
    }
    out.bytes
}

fn genes(params: &BulkParams) -> Vec<u8> {
    let mut out = Out::default();
    out.len(params.genes.len());
    for id in params.genes.ids() {
        out.str(id);
    }
    for symbol in params.genes.symbols() {
        out.str(symbol);
    }
    out.bytes
}

fn contexts(params: &BulkParams) -> Vec<u8> {
    let mut out = Out::default();
    out.len(params.contexts.len());
    for context in &params.contexts {
        out.str(&context.name);
        out.u8(sex_code(context.profile_sex));
    }
    for context in &params.contexts {
        out.fixed16(&context.log_cpm, LOG_FIXED_BITS);
    }
    out.bytes
}

fn conditions(params: &BulkParams) -> Vec<u8> {
    let mut out = Out::default();
    out.len(params.conditions.len());
    for condition in &params.conditions {
        out.len(condition.context);
        out.f64(condition.weight);
        out.len(condition.fields.len());
        for (key, value) in &condition.fields {
            out.str(key.as_str());
            out.str(value);
        }
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
    out.bytes
}

fn sex_effect(params: &BulkParams) -> Vec<u8> {
    let mut out = Out::default();
    out.f32s(&params.sex_effect);
    out.bytes
}

fn latent(params: &BulkParams) -> Vec<u8> {
    let mut out = Out::default();
    out.len(params.latent.n_factors);
    out.f32s(&params.latent.loadings);
    out.bytes
}

fn noise(params: &BulkParams) -> Vec<u8> {
    let mut out = Out::default();
    out.f32(params.noise.technical);
    out.f32(params.noise.technical_low_count);
    out.f32s(&params.noise.biological);
    out.bytes
}

fn perturbations(params: &BulkParams) -> Vec<u8> {
    let mut out = Out::default();
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
            for &gene in &response.genes {
                out.u32(gene);
            }
            out.fixed16(&response.log_fold_changes, LOG_FIXED_BITS);
        }
    }
    out.bytes
}
