//! Reading a single-cell bundle: header, checksum, sections, then the model's own checks

use sha2::Digest;
use synthome_bundle::{FORMAT_VERSION, MAGIC};
use synthome_matrix::GeneTable;
use synthome_model::ModelCard;
use synthome_query::MetadataKey;
use synthome_vocab::Vocabulary;

use super::bytes::In;
use super::{LOG_FIXED_BITS, SC_FORMAT_VERSION, TAGS};
use crate::error::BundleError;
use crate::model::ScModel;
use crate::params::{CellType, Group, Latent, LibrarySize, ScParams};

/// Length of the trailing checksum
const CHECKSUM_LEN: usize = 32;

/// The sections of a container: tag and content
type Sections<'a> = Vec<([u8; 4], &'a [u8])>;

/// Reads single-cell bundle bytes into a model
pub fn read(bytes: &[u8]) -> Result<ScModel, BundleError> {
    let sections = container(bytes)?;
    let section = |tag: &[u8; 4]| -> Result<&[u8], BundleError> {
        sections
            .iter()
            .find(|(found, _)| found == tag)
            .map(|&(_, content)| content)
            .ok_or_else(|| BundleError::MissingSection(String::from_utf8_lossy(tag).into_owned()))
    };
    for tag in TAGS {
        section(tag)?;
    }
    let mut header = In::new(section(b"SCMD")?, "SCMD");
    let version = header.u32()?;
    if version != SC_FORMAT_VERSION {
        return Err(BundleError::UnsupportedVersion {
            what: "single-cell section format".to_owned(),
            found: version,
            supported: SC_FORMAT_VERSION,
        });
    }
    let mean_log_library = header.f32()?;
    header.finish()?;
    let card = read_card(section(b"CARD")?)?;
    let genes = read_genes(section(b"GENE")?)?;
    let n_genes = genes.len();
    let vocabulary = Vocabulary::decode(section(b"VOCB")?)?;
    let cell_types = read_cell_types(section(b"SCTY")?, n_genes)?;
    let groups = read_groups(section(b"SCGR")?, n_genes)?;
    Ok(ScModel::new(ScParams {
        card,
        genes,
        vocabulary,
        cell_types,
        groups,
        mean_log_library,
    })?)
}

/// Checks magic, version, table bounds and checksum; the sections by tag
fn container(bytes: &[u8]) -> Result<Sections<'_>, BundleError> {
    let truncated = |what: &str, needed: usize, offset: usize| BundleError::Truncated {
        what: what.to_owned(),
        needed: needed as u64,
        offset: offset as u64,
        available: bytes.len() as u64,
    };
    if bytes.len() < MAGIC.len() {
        return Err(truncated("the magic", MAGIC.len(), 0));
    }
    if &bytes[..MAGIC.len()] != MAGIC {
        return Err(BundleError::BadMagic {
            found: bytes[..MAGIC.len()].to_vec(),
            expected: MAGIC.to_vec(),
        });
    }
    if bytes.len() < 16 {
        return Err(truncated("the header", 16, 0));
    }
    let version = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
    if version != FORMAT_VERSION {
        return Err(BundleError::UnsupportedVersion {
            what: "bundle format".to_owned(),
            found: version,
            supported: FORMAT_VERSION,
        });
    }
    let n_sections = u32::from_le_bytes([bytes[12], bytes[13], bytes[14], bytes[15]]) as usize;
    let table_end = 16usize.saturating_add(n_sections.saturating_mul(20));
    if bytes.len() < table_end.saturating_add(CHECKSUM_LEN) {
        return Err(truncated(
            "the section table and checksum",
            table_end.saturating_add(CHECKSUM_LEN),
            0,
        ));
    }
    let content_end = bytes.len() - CHECKSUM_LEN;
    let mut sections = Vec::with_capacity(n_sections);
    for index in 0..n_sections {
        let at = 16 + index * 20;
        let mut tag = [0u8; 4];
        tag.copy_from_slice(&bytes[at..at + 4]);
        let word = |start: usize| {
            let mut raw = [0u8; 8];
            raw.copy_from_slice(&bytes[start..start + 8]);
            u64::from_le_bytes(raw)
        };
        let offset = usize::try_from(word(at + 4)).unwrap_or(usize::MAX);
        let length = usize::try_from(word(at + 12)).unwrap_or(usize::MAX);
        let end = offset.saturating_add(length);
        if end > content_end {
            return Err(truncated(
                &format!("section {:?}", String::from_utf8_lossy(&tag)),
                length,
                offset,
            ));
        }
        sections.push((tag, &bytes[offset..end]));
    }
    let computed = sha2::Sha256::digest(&bytes[..content_end]);
    let stored = &bytes[content_end..];
    if computed.as_slice() != stored {
        let hex = |data: &[u8]| data.iter().map(|b| format!("{b:02x}")).collect::<String>();
        return Err(BundleError::Checksum {
            stored: hex(stored),
            computed: hex(&computed),
        });
    }
    Ok(sections)
}

fn read_card(bytes: &[u8]) -> Result<ModelCard, BundleError> {
    let mut input = In::new(bytes, "CARD");
    let card = ModelCard {
        id: input.str()?,
        alias: input.str()?,
        version: input.str()?,
        summary: input.str()?,
        licence: input.str()?,
    };
    input.finish()?;
    Ok(card)
}

fn read_genes(bytes: &[u8]) -> Result<GeneTable, BundleError> {
    let mut input = In::new(bytes, "GENE");
    let n = input.len(8)?;
    let ids = (0..n).map(|_| input.str()).collect::<Result<Vec<_>, _>>()?;
    let symbols = (0..n).map(|_| input.str()).collect::<Result<Vec<_>, _>>()?;
    input.finish()?;
    Ok(GeneTable::new(ids, symbols)?)
}

fn read_cell_types(bytes: &[u8], n_genes: usize) -> Result<Vec<CellType>, BundleError> {
    let mut input = In::new(bytes, "SCTY");
    let n = input.len(16)?;
    let mut heads = Vec::with_capacity(n);
    for _ in 0..n {
        let id = input.str()?;
        let label = input.str()?;
        let n_latent = input.len(4)?;
        let genes = (0..n_latent)
            .map(|_| input.u32())
            .collect::<Result<Vec<_>, _>>()?;
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

fn read_groups(bytes: &[u8], n_genes: usize) -> Result<Vec<Group>, BundleError> {
    let mut input = In::new(bytes, "SCGR");
    let n = input.len(20)?;
    let mut heads = Vec::with_capacity(n);
    for _ in 0..n {
        let cell_type = input.u32()? as usize;
        let n_cells = input.u32()?;
        let library = LibrarySize {
            log_offset: input.f32()?,
            log_sd: input.f32()?,
        };
        let n_fields = input.len(8)?;
        let mut fields = Vec::with_capacity(n_fields);
        for _ in 0..n_fields {
            let key_name = input.str()?;
            let key: MetadataKey = key_name
                .parse()
                .map_err(|_| input.corrupt(format!("{key_name:?} is not a metadata key")))?;
            fields.push((key, input.str()?));
        }
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
