//! Writing a single-cell bundle: sections, table, checksum

use sha2::Digest;
use synthome_bundle::{FORMAT_VERSION, MAGIC};

use super::bytes::Out;
use super::{LOG_FIXED_BITS, MIN_DISPERSION, SC_FORMAT_VERSION, TAGS};
use crate::params::ScParams;

/// The bundle bytes of `params` (deterministic: same parameters, same bytes)
pub fn write(params: &ScParams) -> Vec<u8> {
    let sections: Vec<Vec<u8>> = vec![
        card(params),
        genes(params),
        params.vocabulary.encode(),
        header(params),
        cell_types(params),
        groups(params),
    ];
    let mut out = Out::default();
    out.bytes.extend_from_slice(MAGIC);
    out.u32(FORMAT_VERSION);
    out.len(sections.len());
    let mut offset = (16 + sections.len() * 20) as u64;
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

fn card(params: &ScParams) -> Vec<u8> {
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

fn genes(params: &ScParams) -> Vec<u8> {
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

fn header(params: &ScParams) -> Vec<u8> {
    let mut out = Out::default();
    out.u32(SC_FORMAT_VERSION);
    out.f32(params.mean_log_library);
    out.bytes
}

fn cell_types(params: &ScParams) -> Vec<u8> {
    let mut out = Out::default();
    out.len(params.cell_types.len());
    for cell_type in &params.cell_types {
        out.str(&cell_type.id);
        out.str(&cell_type.label);
        let latent = &cell_type.latent;
        out.len(latent.genes.len());
        for &gene in &latent.genes {
            out.u32(gene);
        }
        out.len(latent.n_factors);
        out.f32s(&latent.scales);
        out.f32s(&latent.loadings);
        let rows = latent.bank.len().checked_div(latent.n_factors).unwrap_or(0);
        out.len(rows);
        out.f32s(&latent.bank);
        out.f32(latent.jitter);
    }
    for cell_type in &params.cell_types {
        let logs: Vec<f32> = cell_type
            .dispersion
            .iter()
            .map(|&phi| libm::log(f64::from(phi.max(MIN_DISPERSION))) as f32)
            .collect();
        out.fixed16(&logs, LOG_FIXED_BITS);
    }
    out.bytes
}

fn groups(params: &ScParams) -> Vec<u8> {
    let mut out = Out::default();
    out.len(params.groups.len());
    for group in &params.groups {
        out.len(group.cell_type);
        out.u32(group.n_cells);
        out.f32(group.library.log_offset);
        out.f32(group.library.log_sd);
        out.len(group.fields.len());
        for (key, value) in &group.fields {
            out.str(key.as_str());
            out.str(value);
        }
    }
    for group in &params.groups {
        out.fixed16(&group.log_profile, LOG_FIXED_BITS);
    }
    out.bytes
}
