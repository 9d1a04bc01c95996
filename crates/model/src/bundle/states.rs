//! The optional `STAT` section: diseases, age effects and latent spread per context
//!
//! - n diseases: id, label, source (strings), context (u32), per-sample flag (u8), severity
//!   sd and spread (f32), n entries, gene indices (u32), log fold changes (i16, steps of 2^-10)
//! - n age effects: source, n contexts and their indices (u32), min, max and reference years
//!   (f32), n training ages (f32), n entries, gene indices (u32), per-year effects (f32)
//! - n spreads (0 or one per context), f32 each
//!
//! A bundle without the section has no states (the bundles written before it existed).

use synthome_bundle::container::{ContainerError, FieldReader, FieldWriter};

use super::LOG_FIXED_BITS;
use crate::states::{AgeEffect, DiseaseEffect, States};

/// The section's tag
pub(crate) const TAG: &[u8; 4] = b"STAT";

/// The section bytes of `states`
pub(crate) fn write(states: &States) -> Vec<u8> {
    let mut out = FieldWriter::default();
    out.len(states.diseases.len());
    for disease in &states.diseases {
        out.str(&disease.id);
        out.str(&disease.label);
        out.str(&disease.source);
        out.len(disease.context);
        out.u8(u8::from(disease.per_sample));
        out.f32(disease.severity_sd);
        out.f32(disease.spread);
        out.len(disease.genes.len());
        out.u32s(&disease.genes);
        out.fixed16(&disease.log_fold_changes, LOG_FIXED_BITS);
    }
    out.len(states.ages.len());
    for age in &states.ages {
        out.str(&age.source);
        out.len(age.contexts.len());
        out.u32s(&age.contexts);
        out.f32(age.min_years);
        out.f32(age.max_years);
        out.f32(age.reference_years);
        out.len(age.ages.len());
        out.f32s(&age.ages);
        out.len(age.genes.len());
        out.u32s(&age.genes);
        out.f32s(&age.per_year);
    }
    out.len(states.spread.len());
    out.f32s(&states.spread);
    out.into_bytes()
}

/// The states in the section bytes
pub(crate) fn read(bytes: &[u8]) -> Result<States, ContainerError> {
    let mut input = FieldReader::new(bytes, "STAT");
    let n = input.len(30)?;
    let mut diseases = Vec::with_capacity(n);
    for _ in 0..n {
        let id = input.str()?;
        let label = input.str()?;
        let source = input.str()?;
        let context = input.u32()? as usize;
        let per_sample = match input.u8()? {
            0 => false,
            1 => true,
            other => return Err(input.corrupt(format!("per-sample flag {other} is not 0 or 1"))),
        };
        let severity_sd = input.f32()?;
        let spread = input.f32()?;
        let n_entries = input.len(6)?;
        let genes = input.u32s(n_entries)?;
        let log_fold_changes = input.fixed16(n_entries, LOG_FIXED_BITS)?;
        diseases.push(DiseaseEffect {
            id,
            label,
            context,
            source,
            per_sample,
            genes,
            log_fold_changes,
            severity_sd,
            spread,
            noise: None,
        });
    }
    let n = input.len(28)?;
    let mut ages = Vec::with_capacity(n);
    for _ in 0..n {
        let source = input.str()?;
        let n_contexts = input.len(4)?;
        let contexts = input.u32s(n_contexts)?;
        let min_years = input.f32()?;
        let max_years = input.f32()?;
        let reference_years = input.f32()?;
        let n_ages = input.len(4)?;
        let training = input.f32s(n_ages)?;
        let n_entries = input.len(8)?;
        let genes = input.u32s(n_entries)?;
        let per_year = input.f32s(n_entries)?;
        ages.push(AgeEffect {
            contexts,
            source,
            min_years,
            max_years,
            reference_years,
            ages: training,
            genes,
            per_year,
        });
    }
    let n = input.len(4)?;
    let spread = input.f32s(n)?;
    input.finish()?;
    Ok(States {
        diseases,
        ages,
        spread,
        noise: Vec::new(),
    })
}
