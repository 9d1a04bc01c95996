//! The last source: the healthy default and the latent spread per context
//!
//! - Every unperturbed or perturbed condition of a tissue or blood context that records no
//!   disease gets `disease_ontology_id: PATO:0000461` (normal): the summaries and the
//!   GEUVADIS-free tissue data are of healthy donors. Cell lines record none (the model
//!   accepts the healthy value with them too).
//! - The latent spread of each context comes from its family (`blood` for blood and blood
//!   cells, `brain` for brain regions, `colon` for every other tissue, the nearest family
//!   measured on a solid tissue biopsy; cell lines keep the GEUVADIS spread, 1), the median of
//!   the ratios the healthy arms of the per-sample sets measured; a context made from a
//!   non-healthy arm (HIV+ blood) keeps the ratio its own samples measured. Without per-sample
//!   sets nothing changes.

use synthome_query::MetadataKey;

use crate::assembly::BulkAssembly;
use crate::error::BuildError;
use crate::fit::conditions::Assembly;
use crate::fit::disease::median;

/// UBERON ids of brain regions among the model's tissues
const BRAIN: [&str; 17] = [
    "UBERON:0000955",
    "UBERON:0000956",
    "UBERON:0001870",
    "UBERON:0009835",
    "UBERON:0001876",
    "UBERON:0002420",
    "UBERON:0002037",
    "UBERON:0002421",
    "UBERON:0001898",
    "UBERON:0001896",
    "UBERON:0001891",
    "UBERON:0000988",
    "UBERON:0001897",
    "UBERON:0002316",
    "UBERON:0001886",
    "UBERON:0000007",
    "UBERON:0002240",
];

/// Blood
const BLOOD: &str = "UBERON:0000178";

/// The context families with their own per-sample data (their noise: `crate::family_noise`)
pub(crate) const FAMILIES: [&str; 3] = ["blood", "colon", "brain"];

/// The tissue of a context: that of its first condition that is not a cell line
fn tissue_of(parts: &Assembly, context: usize) -> Option<&str> {
    parts
        .conditions
        .iter()
        .filter(|c| c.context == context && c.field(MetadataKey::SampleType) != Some("cell line"))
        .find_map(|c| c.field(MetadataKey::TissueOntologyId))
}

/// The family whose noise a context takes: `blood` for whole blood, `brain` for brain
/// regions, `colon` for every other tissue; none for cell lines and for blood cell types
/// (sorted cells do not vary with the blood's cell mix)
pub(crate) fn family_of(parts: &Assembly, context: usize) -> Option<&'static str> {
    let sorted_cells = parts
        .conditions
        .iter()
        .any(|c| c.context == context && c.field(MetadataKey::CellTypeOntologyId).is_some());
    if sorted_cells {
        return None;
    }
    match tissue_of(parts, context)? {
        BLOOD => Some("blood"),
        uberon if BRAIN.contains(&uberon) => Some("brain"),
        _ => Some("colon"),
    }
}

/// Adds the healthy default and sets the spread per context
pub(crate) fn add(assembly: &mut BulkAssembly<'_>) -> Result<(), BuildError> {
    let mut defaulted = 0;
    for condition in &mut assembly.parts.conditions {
        if condition.field(MetadataKey::TissueOntologyId).is_some()
            && condition.field(MetadataKey::DiseaseOntologyId).is_none()
            && condition.field(MetadataKey::SampleType) != Some("cell line")
        {
            condition.fields.push((
                MetadataKey::DiseaseOntologyId,
                synthome_model::HEALTHY.to_owned(),
            ));
            condition.fields.sort_by_key(|(key, _)| *key);
            defaulted += 1;
        }
    }
    assembly.report.push(format!(
        "healthy default (PATO:0000461) filled into {defaulted} tissue conditions"
    ));
    if assembly.family_spread.is_empty() {
        return Ok(());
    }
    let family = |name: &str| -> Option<f64> {
        median(
            assembly
                .family_spread
                .iter()
                .filter(|(family, _)| *family == name)
                .map(|(_, ratio)| *ratio)
                .collect(),
        )
    };
    let (blood, colon, brain) = (family("blood"), family("colon"), family("brain"));
    let solid = colon.or(brain).or(blood);
    let mut spread = vec![1.0f32; assembly.parts.contexts.len()];
    for (context, value) in spread.iter_mut().enumerate() {
        let ratio = match tissue_of(&assembly.parts, context) {
            None => None,
            Some(BLOOD) => blood.or(solid),
            Some(uberon) if BRAIN.contains(&uberon) => brain.or(solid),
            Some(_) => solid,
        };
        if let Some(ratio) = ratio {
            *value = ratio as f32;
        }
    }
    for &(context, ratio) in &assembly.context_spread {
        spread[context] = ratio as f32;
    }
    let show = |v: Option<f64>| v.map_or("-".to_owned(), |v| format!("{v:.2}"));
    assembly.report.push(format!(
        "latent spread per family (x the GEUVADIS lines'): blood {}, colon and other tissues {}, brain {}, cell lines 1",
        show(blood),
        show(solid),
        show(brain)
    ));
    assembly.states.spread = spread;
    Ok(())
}
