//! Reading a single-cell bundle: the container, its sections, then the model's own checks

use synthome_bundle::container::{self, ContainerError, FieldReader, Sections};
use synthome_bundle::{BundleKind, shared};
use synthome_matrix::GeneTable;
use synthome_model::family::BundleError;
use synthome_vocab::Vocabulary;

use super::{LOG_FIXED_BITS, SC_FORMAT_VERSION, TAGS};
use crate::model::ScModel;
use crate::params::{CellType, Group, Latent, LibrarySize, ScParams};

/// Reads single-cell bundle bytes into a model
pub fn read(bytes: &[u8]) -> Result<ScModel, BundleError> {
    read_sections(&container::read(bytes)?)
}

/// Reads the sections of a checked container into a model
pub fn read_sections(sections: &Sections<'_>) -> Result<ScModel, BundleError> {
    sections.expect_kind(BundleKind::SingleCell)?;
    let [card, genes, vocabulary, header, cell_types, groups] = sections
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
    Ok(ScModel::new(ScParams {
        card,
        genes,
        vocabulary,
        cell_types,
        groups,
        mean_log_library,
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
        heads.push((
            id,
            label,
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
    for (id, label, latent) in heads {
        let dispersion = input
            .fixed16(n_genes, LOG_FIXED_BITS)?
            .into_iter()
            .map(|log| libm::exp(f64::from(log)) as f32)
            .collect();
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
        heads.push((cell_type, n_cells, library, fields));
    }
    let mut groups = Vec::with_capacity(n);
    for (cell_type, n_cells, library, fields) in heads {
        groups.push(Group {
            cell_type,
            fields,
            n_cells,
            log_profile: input.fixed16(n_genes, LOG_FIXED_BITS)?,
            library,
        });
    }
    input.finish()?;
    Ok(groups)
}
