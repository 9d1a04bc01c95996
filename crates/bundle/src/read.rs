//! Reading a bundle: header, checksum, sections, then the model's own consistency checks

use sha2::Digest;
use synthome_matrix::GeneTable;
use synthome_model::{
    AppliedPerturbation, BulkModel, BulkParams, Context, Latent, ModelCard, Noise, Perturbation,
    Response, TrainingCondition,
};
use synthome_query::MetadataKey;
use synthome_vocab::Vocabulary;

use crate::bytes::In;
use crate::error::BundleError;
use crate::sections::{NO_CONTEXT, TAGS, kind_from_code, sex_from_code};
use crate::{FORMAT_VERSION, LOG_FIXED_BITS, MAGIC};

/// Length of the trailing checksum
const CHECKSUM_LEN: usize = 32;

/// Reads bundle bytes into a model
pub fn read(bytes: &[u8]) -> Result<BulkModel, BundleError> {
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
    let mut sections: Vec<([u8; 4], usize, usize)> = Vec::with_capacity(n_sections);
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
        if end > bytes.len() - CHECKSUM_LEN {
            return Err(truncated(
                &format!("section {:?}", String::from_utf8_lossy(&tag)),
                length,
                offset,
            ));
        }
        sections.push((tag, offset, length));
    }
    let content = &bytes[..bytes.len() - CHECKSUM_LEN];
    let computed = sha2::Sha256::digest(content);
    let stored = &bytes[bytes.len() - CHECKSUM_LEN..];
    if computed.as_slice() != stored {
        let hex = |data: &[u8]| data.iter().map(|b| format!("{b:02x}")).collect::<String>();
        return Err(BundleError::Checksum {
            stored: hex(stored),
            computed: hex(&computed),
        });
    }
    let section = |tag: &[u8; 4]| -> Result<&[u8], BundleError> {
        sections
            .iter()
            .find(|(found, _, _)| found == tag)
            .map(|&(_, offset, length)| &bytes[offset..offset + length])
            .ok_or_else(|| BundleError::MissingSection(String::from_utf8_lossy(tag).into_owned()))
    };
    for tag in TAGS {
        section(tag)?;
    }
    let card = read_card(section(b"CARD")?)?;
    let genes = read_genes(section(b"GENE")?)?;
    let n_genes = genes.len();
    let vocabulary = Vocabulary::decode(section(b"VOCB")?)?;
    let contexts = read_contexts(section(b"CTXS")?, n_genes)?;
    let conditions = read_conditions(section(b"CNDS")?)?;
    let mut sex = In::new(section(b"SEXE")?, "SEXE");
    let sex_effect = sex.f32s(n_genes)?;
    sex.finish()?;
    let latent = read_latent(section(b"LATN")?, n_genes)?;
    let noise = read_noise(section(b"NOIS")?, n_genes)?;
    let perturbations = read_perturbations(section(b"PERT")?)?;
    Ok(BulkModel::new(BulkParams {
        card,
        genes,
        vocabulary,
        contexts,
        conditions,
        sex_effect,
        latent,
        noise,
        perturbations,
    })?)
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

fn read_contexts(bytes: &[u8], n_genes: usize) -> Result<Vec<Context>, BundleError> {
    let mut input = In::new(bytes, "CTXS");
    let n = input.len(5)?;
    let mut heads = Vec::with_capacity(n);
    for _ in 0..n {
        let name = input.str()?;
        let code = input.u8()?;
        let sex = sex_from_code(code)
            .ok_or_else(|| input.corrupt(format!("profile sex code {code} is not 0, 1 or 2")))?;
        heads.push((name, sex));
    }
    let mut contexts = Vec::with_capacity(n);
    for (name, profile_sex) in heads {
        contexts.push(Context {
            name,
            log_cpm: input.fixed16(n_genes, LOG_FIXED_BITS)?,
            profile_sex,
        });
    }
    input.finish()?;
    Ok(contexts)
}

/// NaN means "none"
fn optional(value: f64) -> Option<f64> {
    (!value.is_nan()).then_some(value)
}

fn read_conditions(bytes: &[u8]) -> Result<Vec<TrainingCondition>, BundleError> {
    let mut input = In::new(bytes, "CNDS");
    let n = input.len(17)?;
    let mut conditions = Vec::with_capacity(n);
    for _ in 0..n {
        let context = input.u32()? as usize;
        let weight = input.f64()?;
        let n_fields = input.len(8)?;
        let mut fields = Vec::with_capacity(n_fields);
        for _ in 0..n_fields {
            let key_name = input.str()?;
            let key: MetadataKey = key_name
                .parse()
                .map_err(|_| input.corrupt(format!("{key_name:?} is not a metadata key")))?;
            fields.push((key, input.str()?));
        }
        let perturbation = match input.u8()? {
            0 => None,
            1 => Some(AppliedPerturbation {
                index: input.u32()? as usize,
                dose_um: optional(input.f64()?),
                time_hours: optional(input.f64()?),
            }),
            other => return Err(input.corrupt(format!("perturbation flag {other} is not 0 or 1"))),
        };
        conditions.push(TrainingCondition {
            context,
            fields,
            perturbation,
            weight,
        });
    }
    input.finish()?;
    Ok(conditions)
}

fn read_latent(bytes: &[u8], n_genes: usize) -> Result<Latent, BundleError> {
    let mut input = In::new(bytes, "LATN");
    let n_factors = input.u32()? as usize;
    let n = n_factors
        .checked_mul(n_genes)
        .ok_or_else(|| input.corrupt("factor count overflows"))?;
    let loadings = input.f32s(n)?;
    input.finish()?;
    Ok(Latent {
        n_factors,
        loadings,
    })
}

fn read_noise(bytes: &[u8], n_genes: usize) -> Result<Noise, BundleError> {
    let mut input = In::new(bytes, "NOIS");
    let noise = Noise {
        technical: input.f32()?,
        technical_low_count: input.f32()?,
        biological: input.f32s(n_genes)?,
    };
    input.finish()?;
    Ok(noise)
}

fn read_perturbations(bytes: &[u8]) -> Result<Vec<Perturbation>, BundleError> {
    let mut input = In::new(bytes, "PERT");
    let n = input.len(13)?;
    let mut perturbations = Vec::with_capacity(n);
    for _ in 0..n {
        let id = input.str()?;
        let code = input.u8()?;
        let kind = kind_from_code(code)
            .ok_or_else(|| input.corrupt(format!("perturbation kind code {code} is not 0-3")))?;
        let context = input.u32()?;
        let measured_in = (context != NO_CONTEXT).then_some(context as usize);
        let source = input.str()?;
        let n_responses = input.len(20)?;
        let mut responses = Vec::with_capacity(n_responses);
        for _ in 0..n_responses {
            let dose_um = optional(input.f64()?);
            let time_hours = optional(input.f64()?);
            let n_entries = input.len(6)?;
            let genes = (0..n_entries)
                .map(|_| input.u32())
                .collect::<Result<Vec<_>, _>>()?;
            let log_fold_changes = input.fixed16(n_entries, LOG_FIXED_BITS)?;
            responses.push(Response {
                dose_um,
                time_hours,
                genes,
                log_fold_changes,
            });
        }
        perturbations.push(Perturbation {
            id,
            kind,
            measured_in,
            source,
            responses,
        });
    }
    input.finish()?;
    Ok(perturbations)
}
