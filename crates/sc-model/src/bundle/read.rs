//! Reading a single-cell bundle: the container, its sections, then the model's own checks

use synthome_bundle::container::{self, ContainerError, FieldReader, Sections};
use synthome_bundle::{BundleKind, shared};
use synthome_matrix::GeneTable;
use synthome_model::family::BundleError;
use synthome_vocab::Vocabulary;

use super::{LOG_FIXED_BITS, SC_FORMAT_VERSION, TAGS};
use crate::model::ScModel;
use crate::params::{
    AtlasProfiles, CellType, DispersionTrend, Group, Latent, LibrarySize, ScParams,
};

/// Reads single-cell bundle bytes into a model
pub fn read(bytes: &[u8]) -> Result<ScModel, BundleError> {
    read_sections(&container::read(bytes)?)
}

/// Reads the sections of a checked container into a model
pub fn read_sections(sections: &Sections<'_>) -> Result<ScModel, BundleError> {
    sections.expect_kind(BundleKind::SingleCell)?;
    let [
        card,
        genes,
        vocabulary,
        header,
        cell_types,
        groups,
        trend,
        atlas,
    ] = sections
        .all(TAGS)
        .map_err(|tag| BundleError::MissingSection(String::from_utf8_lossy(&tag).into_owned()))?;
    let mut header = FieldReader::new(header, "SCMD");
    let version = header.u32()?;
    if version != SC_FORMAT_VERSION {
        return Err(BundleError::UnsupportedVersion {
            model: "single-cell",
            found: version,
            supported: SC_FORMAT_VERSION,
        });
    }
    let mean_log_library = header.f32()?;
    header.finish()?;
    let card = shared::read_card(card)?;
    let (ids, symbols) = shared::read_gene_columns(genes)?;
    let genes = GeneTable::new(ids, symbols)?;
    let n_genes = genes.len();
    let vocabulary = Vocabulary::decode(vocabulary)?;
    let cell_types = read_cell_types(cell_types, n_genes)?;
    let groups = read_groups(groups, n_genes)?;
    let dispersion_trend = read_trend(trend)?;
    let n_atlas = groups.iter().filter(|g| g.log_profile.is_empty()).count();
    let atlas = read_atlas(atlas, n_atlas, n_genes)?;
    Ok(ScModel::new(ScParams {
        card,
        genes,
        vocabulary,
        cell_types,
        groups,
        mean_log_library,
        dispersion_trend,
        atlas,
    })?)
}

fn read_cell_types(bytes: &[u8], n_genes: usize) -> Result<Vec<CellType>, ContainerError> {
    let mut input = FieldReader::new(bytes, "SCTY");
    let n = input.len(16)?;
    let mut heads = Vec::with_capacity(n);
    for _ in 0..n {
        let id = input.str()?;
        let label = input.str()?;
        let n_latent = input.len(4)?;
        let genes = input.u32s(n_latent)?;
        let n_factors = input.len(4)?;
        let scales = input.f32s(n_factors)?;
        let n_loadings = n_factors
            .checked_mul(n_latent)
            .ok_or_else(|| input.corrupt("factor count overflows"))?;
        let loadings = input.f32s(n_loadings)?;
        let rows = input.len(4 * n_factors)?;
        let n_bank = rows
            .checked_mul(n_factors)
            .ok_or_else(|| input.corrupt("bank size overflows"))?;
        let bank = input.f32s(n_bank)?;
        let jitter = input.f32()?;
        let has_dispersion = input.u8()? != 0;
        heads.push((
            id,
            label,
            has_dispersion,
            Latent {
                genes,
                n_factors,
                loadings,
                scales,
                bank,
                jitter,
            },
        ));
    }
    let mut cell_types = Vec::with_capacity(n);
    for (id, label, has_dispersion, latent) in heads {
        let dispersion = if has_dispersion {
            input
                .fixed16(n_genes, LOG_FIXED_BITS)?
                .into_iter()
                .map(|log| libm::exp(f64::from(log)) as f32)
                .collect()
        } else {
            Vec::new()
        };
        cell_types.push(CellType {
            id,
            label,
            latent,
            dispersion,
        });
    }
    input.finish()?;
    Ok(cell_types)
}

fn read_groups(bytes: &[u8], n_genes: usize) -> Result<Vec<Group>, ContainerError> {
    let mut input = FieldReader::new(bytes, "SCGR");
    let n = input.len(20)?;
    let mut heads = Vec::with_capacity(n);
    for _ in 0..n {
        let cell_type = input.u32()? as usize;
        let n_cells = input.u32()?;
        let library = LibrarySize {
            log_offset: input.f32()?,
            log_sd: input.f32()?,
        };
        let fields = shared::read_fields(&mut input)?;
        let atlas = input.u8()? != 0;
        heads.push((cell_type, n_cells, library, fields, atlas));
    }
    let mut groups = Vec::with_capacity(n);
    for (cell_type, n_cells, library, fields, atlas) in heads {
        let log_profile = if atlas {
            Vec::new()
        } else {
            input.fixed16(n_genes, LOG_FIXED_BITS)?
        };
        groups.push(Group {
            cell_type,
            fields,
            n_cells,
            log_profile,
            library,
        });
    }
    input.finish()?;
    Ok(groups)
}

fn read_trend(bytes: &[u8]) -> Result<DispersionTrend, ContainerError> {
    let mut input = FieldReader::new(bytes, "SCDT");
    let n = input.len(8)?;
    let log_means = input.f32s(n)?;
    let log_dispersions = input.f32s(n)?;
    input.finish()?;
    Ok(DispersionTrend {
        log_means,
        log_dispersions,
    })
}

fn read_atlas(
    bytes: &[u8],
    n_atlas: usize,
    n_genes: usize,
) -> Result<AtlasProfiles, ContainerError> {
    let mut input = FieldReader::new(bytes, "SCAP");
    let n_columns = input.u32()? as usize;
    if n_columns != n_atlas {
        return Err(input.corrupt(format!(
            "{n_columns} atlas columns stored for {n_atlas} atlas groups"
        )));
    }
    let n_codes = n_columns
        .checked_mul(n_genes)
        .ok_or_else(|| input.corrupt("atlas size overflows"))?;
    let words = input.u32s(n_codes.div_ceil(4))?;
    input.finish()?;
    let mut gene_major: Vec<u8> = words.iter().flat_map(|word| word.to_le_bytes()).collect();
    gene_major.truncate(n_codes);
    Ok(AtlasProfiles::from_gene_major(n_columns, &gene_major))
}
