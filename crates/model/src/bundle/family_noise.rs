//! The optional `FNOI` section: the latent factors and biological dispersion of each context
//! family with its own per-sample data
//!
//! n families: name (string), n contexts and their indices (u32), number of factors K (u32),
//! loadings K x genes (i16 fixed point in steps of 2^-8, factor-major), biological dispersion
//! per gene (f32). A bundle without the section decodes every context with the GEUVADIS
//! factors (the bundles written before it existed).

use synthome_bundle::container::{ContainerError, FieldReader, FieldWriter};

use crate::states::FamilyNoise;

/// The section's tag
pub(crate) const TAG: &[u8; 4] = b"FNOI";

/// Fixed-point bits of the loadings: steps of 0.004 in natural log (a quantisation variance
/// of about 1e-6 per loading, far below any gene's dispersion), range +-128; coarse steps keep
/// the gzip copy small
const LOADING_BITS: i32 = 8;

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
        out.f32s(&family.biological);
    }
    out.into_bytes()
}

/// The families in the section bytes of a model of `n_genes` genes
pub(crate) fn read(bytes: &[u8], n_genes: usize) -> Result<Vec<FamilyNoise>, ContainerError> {
    let mut input = FieldReader::new(bytes, "FNOI");
    let n = input.len(12)?;
    let mut families = Vec::with_capacity(n);
    for _ in 0..n {
        let name = input.str()?;
        let n_contexts = input.len(4)?;
        let contexts = input.u32s(n_contexts)?;
        let n_factors = input.len(2 * n_genes)?;
        let loadings = input.fixed16(n_factors * n_genes, LOADING_BITS)?;
        let biological = input.f32s(n_genes)?;
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
