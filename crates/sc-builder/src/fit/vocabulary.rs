//! The vocabulary: the cell types, blood, primary cells, control or IFN-beta (IFNB1) for 6
//! hours; no other key

use synthome_query::MetadataKey;
use synthome_reference::{ReferenceTables, vocabulary_terms};
use synthome_vocab::{KeyDomain, QuantityUnit, TermIndex, Vocabulary};

use crate::error::BuildError;

/// Blood
pub(crate) const BLOOD: &str = "UBERON:0000178";
/// The sample type of PBMCs
pub(crate) const PRIMARY_CELLS: &str = "primary cells";
/// perturbation_type of control cells
pub(crate) const CONTROL: &str = "control";
/// perturbation_type of IFN-beta
pub(crate) const BIOLOGIC: &str = "peptide or biologic";
/// IFNB1
pub(crate) const IFNB1: &str = "ENSG00000171855";
/// Stimulation time in hours
pub(crate) const HOURS: f64 = 6.0;

/// The vocabulary for these cell type ids, and the ids no table could label
pub(crate) fn build(
    cell_types: &[&str],
    tables: &ReferenceTables,
) -> Result<(Vocabulary, Vec<String>), BuildError> {
    let mut vocabulary = Vocabulary::new();
    let mut unlabelled = Vec::new();
    let term_keys: [(MetadataKey, Vec<&str>); 5] = [
        (MetadataKey::CellTypeOntologyId, cell_types.to_vec()),
        (MetadataKey::TissueOntologyId, vec![BLOOD]),
        (MetadataKey::SampleType, vec![PRIMARY_CELLS]),
        (MetadataKey::PerturbationType, vec![CONTROL, BIOLOGIC]),
        (MetadataKey::PerturbationOntologyId, vec![IFNB1]),
    ];
    for (key, ids) in term_keys {
        let labelled = vocabulary_terms(key, ids, tables);
        unlabelled.extend(labelled.unlabelled.iter().map(|id| format!("{key}: {id}")));
        vocabulary.insert(
            key.as_str(),
            KeyDomain::Terms(TermIndex::new(labelled.terms)?),
        )?;
    }
    vocabulary.insert(
        MetadataKey::PerturbationTime.as_str(),
        KeyDomain::Quantity {
            unit: QuantityUnit::Hours,
            min: HOURS,
            max: HOURS,
            known: vec![HOURS],
        },
    )?;
    Ok((vocabulary, unlabelled))
}
