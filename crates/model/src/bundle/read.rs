//! Reading a bulk bundle: the container, its sections, then the model's own consistency checks

use synthome_bundle::container::{self, ContainerError, FieldReader, Sections};
use synthome_bundle::{BundleKind, shared};
use synthome_matrix::GeneTable;
use synthome_vocab::Vocabulary;

use super::sections::{NO_CONTEXT, TAGS, kind_from_code, sex_from_code};
use super::{LOADING_BITS, LOG_FIXED_BITS};
use super::{family_noise, states};
use crate::family::BundleError;
use crate::model::BulkModel;
use crate::params::{
    AppliedPerturbation, BulkParams, Context, Latent, Noise, Perturbation, Response,
    TrainingCondition,
};
use crate::states::States;

/// Reads bundle bytes into a model
pub fn read(bytes: &[u8]) -> Result<BulkModel, BundleError> {
    read_sections(&container::read(bytes)?)
}

/// Reads the sections of a checked container into a model
pub fn read_sections(sections: &Sections<'_>) -> Result<BulkModel, BundleError> {
    sections.expect_kind(BundleKind::Bulk)?;
    let [
        card,
        genes,
        vocabulary,
        contexts,
        conditions,
        sex_effect,
        latent,
        noise,
        perturbations,
    ] = sections
        .all(TAGS)
        .map_err(|tag| BundleError::MissingSection(String::from_utf8_lossy(&tag).into_owned()))?;
    let card = shared::read_card(card)?;
    let (ids, symbols) = shared::read_gene_columns(genes)?;
    let genes = GeneTable::new(ids, symbols)?;
    let n_genes = genes.len();
    let vocabulary = Vocabulary::decode(vocabulary)?;
    let contexts = read_contexts(contexts, n_genes)?;
    let conditions = read_conditions(conditions)?;
    let mut sex = FieldReader::new(sex_effect, "SEXE");
    let sex_effect = sex.f32s(n_genes)?;
    sex.finish()?;
    let latent = read_latent(latent, n_genes)?;
    let noise = read_noise(noise, n_genes)?;
    let perturbations = read_perturbations(perturbations)?;
    let mut states = match sections.get(states::TAG) {
        Some(bytes) => states::read(bytes)?,
        None => States::default(),
    };
    if let Some(bytes) = sections.get(family_noise::TAG) {
        states.noise = family_noise::read(bytes, n_genes)?;
    }
    if let Some(bytes) = sections.get(family_noise::DISEASE_TAG) {
        family_noise::read_disease_noise(bytes, &mut states.diseases)?;
    }
    let model = BulkModel::new(BulkParams {
        card,
        genes,
        vocabulary,
        contexts,
        conditions,
        sex_effect,
        latent,
        noise,
        perturbations,
    })?;
    Ok(model.with_states(states)?)
}

fn read_contexts(bytes: &[u8], n_genes: usize) -> Result<Vec<Context>, ContainerError> {
    let mut input = FieldReader::new(bytes, "CTXS");
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

fn read_conditions(bytes: &[u8]) -> Result<Vec<TrainingCondition>, ContainerError> {
    let mut input = FieldReader::new(bytes, "CNDS");
    let n = input.len(17)?;
    let mut conditions = Vec::with_capacity(n);
    for _ in 0..n {
        let context = input.u32()? as usize;
        let weight = input.f64()?;
        let fields = shared::read_fields(&mut input)?;
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

fn read_latent(bytes: &[u8], n_genes: usize) -> Result<Latent, ContainerError> {
    let mut input = FieldReader::new(bytes, "LATN");
    let n_factors = input.u32()? as usize;
    let n = n_factors
        .checked_mul(n_genes)
        .ok_or_else(|| input.corrupt("factor count overflows"))?;
    // Bundles written before 2026-12-03 stored the loadings as f32: 4 bytes each
    let loadings = if bytes.len() == 4 + 4 * n {
        input.f32s(n)?
    } else {
        input.fixed16(n, LOADING_BITS)?
    };
    input.finish()?;
    Ok(Latent {
        n_factors,
        loadings,
    })
}

fn read_noise(bytes: &[u8], n_genes: usize) -> Result<Noise, ContainerError> {
    let mut input = FieldReader::new(bytes, "NOIS");
    let noise = Noise {
        technical: input.f32()?,
        technical_low_count: input.f32()?,
        biological: input.f32s(n_genes)?,
    };
    input.finish()?;
    Ok(noise)
}

fn read_perturbations(bytes: &[u8]) -> Result<Vec<Perturbation>, ContainerError> {
    let mut input = FieldReader::new(bytes, "PERT");
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
            let genes = input.u32s(n_entries)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use synthome_bundle::container::FieldWriter;

    #[test]
    fn latent_loadings_read_in_fixed_point_and_in_the_earlier_f32_layout() {
        let loadings = [0.5, -0.25, 0.125, 2.0];
        for fixed in [true, false] {
            let mut section = FieldWriter::default();
            section.len(2);
            if fixed {
                section.fixed16(&loadings, LOADING_BITS);
            } else {
                section.f32s(&loadings);
            }
            let latent = read_latent(&section.into_bytes(), 2).expect("readable");
            assert_eq!((latent.n_factors, latent.loadings), (2, loadings.to_vec()));
        }
        // Neither layout's length: corrupt
        assert!(read_latent(&[2, 0, 0, 0, 1, 2, 3], 2).is_err());
    }
}
