//! Writing a single-cell bundle: its sections, in a container

use synthome_bundle::container::{FieldWriter, Writer};
use synthome_bundle::{BundleKind, KIND_TAG, shared};

use super::{LOG_FIXED_BITS, MIN_DISPERSION, SC_FORMAT_VERSION, TAGS};
use crate::params::ScParams;

/// The bundle bytes of `params` (deterministic: same parameters, same bytes)
pub fn write(params: &ScParams) -> Vec<u8> {
    let sections: [Vec<u8>; TAGS.len()] = [
        shared::write_card(&params.card),
        shared::write_genes(&params.genes),
        params.vocabulary.encode(),
        header(params),
        cell_types(params),
        groups(params),
        trend(params),
        atlas(params),
    ];
    let mut writer = Writer::new();
    writer.section(KIND_TAG, BundleKind::SingleCell.section());
    for (tag, section) in TAGS.into_iter().zip(sections) {
        writer.section(tag, section);
    }
    writer.finish()
}

fn header(params: &ScParams) -> Vec<u8> {
    let mut out = FieldWriter::default();
    out.u32(SC_FORMAT_VERSION);
    out.f32(params.mean_log_library);
    out.into_bytes()
}

fn cell_types(params: &ScParams) -> Vec<u8> {
    let mut out = FieldWriter::default();
    out.len(params.cell_types.len());
    for cell_type in &params.cell_types {
        out.str(&cell_type.id);
        out.str(&cell_type.label);
        let latent = &cell_type.latent;
        out.len(latent.genes.len());
        out.u32s(&latent.genes);
        out.len(latent.n_factors);
        out.f32s(&latent.scales);
        out.f32s(&latent.loadings);
        let rows = latent.bank.len().checked_div(latent.n_factors).unwrap_or(0);
        out.len(rows);
        out.f32s(&latent.bank);
        out.f32(latent.jitter);
        out.u8(u8::from(!cell_type.dispersion.is_empty()));
    }
    for cell_type in &params.cell_types {
        if cell_type.dispersion.is_empty() {
            continue;
        }
        let logs: Vec<f32> = cell_type
            .dispersion
            .iter()
            .map(|&phi| libm::log(f64::from(phi.max(MIN_DISPERSION))) as f32)
            .collect();
        out.fixed16(&logs, LOG_FIXED_BITS);
    }
    out.into_bytes()
}

fn groups(params: &ScParams) -> Vec<u8> {
    let mut out = FieldWriter::default();
    out.len(params.groups.len());
    for group in &params.groups {
        out.len(group.cell_type);
        out.u32(group.n_cells);
        out.f32(group.library.log_offset);
        out.f32(group.library.log_sd);
        shared::write_fields(&mut out, &group.fields);
        out.u8(u8::from(group.log_profile.is_empty()));
    }
    for group in params.groups.iter().filter(|g| !g.log_profile.is_empty()) {
        out.fixed16(&group.log_profile, LOG_FIXED_BITS);
    }
    out.into_bytes()
}

fn trend(params: &ScParams) -> Vec<u8> {
    let mut out = FieldWriter::default();
    let trend = &params.dispersion_trend;
    out.len(trend.log_means.len());
    out.f32s(&trend.log_means);
    out.f32s(&trend.log_dispersions);
    out.into_bytes()
}

fn atlas(params: &ScParams) -> Vec<u8> {
    let mut out = FieldWriter::default();
    out.len(params.atlas.n_columns);
    let words: Vec<u32> = params
        .atlas
        .gene_major()
        .chunks(4)
        .map(|chunk| {
            let mut word = [0u8; 4];
            word[..chunk.len()].copy_from_slice(chunk);
            u32::from_le_bytes(word)
        })
        .collect();
    out.u32s(&words);
    out.into_bytes()
}
