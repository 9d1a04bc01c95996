//! The optional `FNOI` section: the latent factors and biological dispersion of each context
//! family with its own per-sample data
//!
//! n families: name (string), n contexts and their indices (u32), number of factors K (u32),
//! loadings K x genes (i16 fixed point in steps of 2^-8, factor-major), the square root of the
//! biological dispersion per gene (i16 fixed point in steps of 2^-12; bundles written before
//! 2026-12-03 stored the dispersion as f32, and still read). A bundle without the section
//! decodes every context with the GEUVADIS factors (the bundles written before it existed).
//!
//! The optional `DNOI` section says which disease arms have their own noise: n pairs of a
//! disease index (u32, into `STAT`'s diseases) and a family index (u32, into `FNOI`). Without
//! it every disease arm scales its context's noise by its spread.

use synthome_bundle::container::{ContainerError, FieldReader, FieldWriter};

use super::LOADING_BITS;
use crate::states::{DiseaseEffect, FamilyNoise};

/// The section's tag
pub(crate) const TAG: &[u8; 4] = b"FNOI";

/// The tag of the disease arms' noise section
pub(crate) const DISEASE_TAG: &[u8; 4] = b"DNOI";

/// Fixed-point bits of the square root of the biological dispersion: steps of 2^-12 (a
/// dispersion of 0.01 is kept to 0.5 %), up to a dispersion of 64
const DISPERSION_ROOT_BITS: i32 = 12;

/// The section bytes of `families`
pub(crate) fn write(families: &[FamilyNoise]) -> Vec<u8> {
    let mut out = FieldWriter::default();
    out.len(families.len());
    for family in families {
        out.str(&family.name);
        out.len(family.contexts.len());
        out.u32s(&family.contexts);
        out.len(family.n_factors);
        out.fixed16(&family.loadings, LOADING_BITS);
        let roots: Vec<f32> = family.biological.iter().map(|phi| phi.sqrt()).collect();
        out.fixed16(&roots, DISPERSION_ROOT_BITS);
    }
    out.into_bytes()
}

/// How a section stores the families' biological dispersions
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dispersions {
    /// Square roots, fixed point (the layout written now)
    FixedRoots,
    /// f32 values (bundles written before 2026-12-03)
    Floats,
}

/// The families in the section bytes of a model of `n_genes` genes, in either layout (an
/// error names what the current layout found wrong)
pub(crate) fn read(bytes: &[u8], n_genes: usize) -> Result<Vec<FamilyNoise>, ContainerError> {
    read_as(bytes, n_genes, Dispersions::FixedRoots)
        .or_else(|error| read_as(bytes, n_genes, Dispersions::Floats).map_err(|_| error))
}

fn read_as(
    bytes: &[u8],
    n_genes: usize,
    layout: Dispersions,
) -> Result<Vec<FamilyNoise>, ContainerError> {
    let mut input = FieldReader::new(bytes, "FNOI");
    let n = input.len(12)?;
    let mut families = Vec::with_capacity(n);
    for _ in 0..n {
        let name = input.str()?;
        let n_contexts = input.len(4)?;
        let contexts = input.u32s(n_contexts)?;
        let n_factors = input.len(2 * n_genes)?;
        let loadings = input.fixed16(n_factors * n_genes, LOADING_BITS)?;
        let biological = match layout {
            Dispersions::FixedRoots => input
                .fixed16(n_genes, DISPERSION_ROOT_BITS)?
                .into_iter()
                .map(|root| root * root)
                .collect(),
            Dispersions::Floats => input.f32s(n_genes)?,
        };
        families.push(FamilyNoise {
            name,
            contexts,
            n_factors,
            loadings,
            biological,
        });
    }
    input.finish()?;
    Ok(families)
}

/// The `DNOI` section bytes of `diseases`' own noise (empty when none has any)
pub(crate) fn write_disease_noise(diseases: &[DiseaseEffect]) -> Option<Vec<u8>> {
    let pairs: Vec<(usize, usize)> = diseases
        .iter()
        .enumerate()
        .filter_map(|(index, disease)| Some((index, disease.noise?)))
        .collect();
    if pairs.is_empty() {
        return None;
    }
    let mut out = FieldWriter::default();
    out.len(pairs.len());
    for (disease, family) in pairs {
        out.u32(disease as u32);
        out.u32(family as u32);
    }
    Some(out.into_bytes())
}

/// Sets each disease's own noise from the `DNOI` section bytes (indices are checked with the
/// rest of the states, `States::check`)
pub(crate) fn read_disease_noise(
    bytes: &[u8],
    diseases: &mut [DiseaseEffect],
) -> Result<(), ContainerError> {
    let mut input = FieldReader::new(bytes, "DNOI");
    let n = input.len(8)?;
    for _ in 0..n {
        let disease = input.u32()? as usize;
        let family = input.u32()? as usize;
        let n_diseases = diseases.len();
        let Some(effect) = diseases.get_mut(disease) else {
            return Err(input.corrupt(format!(
                "disease {disease} has its own noise but the model has {n_diseases} diseases"
            )));
        };
        effect.noise = Some(family);
    }
    input.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn family() -> FamilyNoise {
        FamilyNoise {
            name: "blood".into(),
            contexts: vec![2, 5],
            n_factors: 1,
            loadings: vec![0.5, -0.25, 0.125],
            biological: vec![0.25, 0.0625, 1.0],
        }
    }

    #[test]
    fn families_round_trip_and_the_earlier_float_layout_still_reads() {
        assert_eq!(
            read(&write(&[family()]), 3).expect("current layout"),
            [family()]
        );
        // The layout of bundles written before dispersions became fixed-point roots
        let mut old = FieldWriter::default();
        old.len(1);
        old.str("blood");
        old.len(2);
        old.u32s(&[2, 5]);
        old.len(1);
        old.fixed16(&family().loadings, LOADING_BITS);
        old.f32s(&family().biological);
        assert_eq!(
            read(&old.into_bytes(), 3).expect("earlier layout"),
            [family()]
        );
        // Neither: the error is the current layout's
        let error = read(&[1, 0, 0, 0], 3).expect_err("truncated");
        assert!(error.to_string().contains("FNOI"), "{error}");
    }
}
