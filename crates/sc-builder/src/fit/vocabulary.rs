//! The vocabulary: the cell types with the tissues that have them, the tissues, developmental
//! stages and diseases of the training groups, primary cells, control or IFN-beta (IFNB1) for
//! 6 hours; no other key

use std::collections::{BTreeMap, BTreeSet};

use synthome_query::MetadataKey;
use synthome_reference::{ReferenceTables, vocabulary_terms};
use synthome_sc_model::Group;
use synthome_vocab::{KeyDomain, QuantityUnit, TermIndex, Vocabulary};

use crate::error::BuildError;

/// Blood
pub const BLOOD: &str = "UBERON:0000178";
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
/// HsapDv adult stage (the Kang donors)
pub(crate) const ADULT: &str = "HsapDv:0000258";
/// PATO normal (healthy)
pub const HEALTHY: &str = "PATO:0000461";

/// The keys whose values are the groups' own (cell type, tissue, stage, disease)
const GROUP_KEYS: [MetadataKey; 4] = [
    MetadataKey::CellTypeOntologyId,
    MetadataKey::TissueOntologyId,
    MetadataKey::DevelopmentalStage,
    MetadataKey::DiseaseOntologyId,
];

/// The vocabulary of these groups, and the ids no table could label; every cell type gets a
/// synonym `tissues: ...` naming the tissues (and stages) that have it
pub(crate) fn build(
    groups: &[Group],
    tables: &ReferenceTables,
) -> Result<(Vocabulary, Vec<String>), BuildError> {
    let mut vocabulary = Vocabulary::new();
    let mut unlabelled = Vec::new();
    let mut values: Vec<(MetadataKey, Vec<String>)> = Vec::new();
    for key in GROUP_KEYS {
        let mut seen = BTreeSet::new();
        let list: Vec<String> = groups
            .iter()
            .filter_map(|group| group.field(key))
            .filter(|value| seen.insert(value.to_owned()))
            .map(str::to_owned)
            .collect();
        values.push((key, list));
    }
    let where_found = tissues_by_type(groups, tables);
    let fixed: [(MetadataKey, Vec<String>); 3] = [
        (MetadataKey::SampleType, vec![PRIMARY_CELLS.to_owned()]),
        (
            MetadataKey::PerturbationType,
            vec![CONTROL.to_owned(), BIOLOGIC.to_owned()],
        ),
        (MetadataKey::PerturbationOntologyId, vec![IFNB1.to_owned()]),
    ];
    for (key, ids) in values.into_iter().chain(fixed) {
        if ids.is_empty() {
            continue;
        }
        let mut labelled = vocabulary_terms(key, ids.iter().map(String::as_str), tables);
        unlabelled.extend(labelled.unlabelled.iter().map(|id| format!("{key}: {id}")));
        if key == MetadataKey::CellTypeOntologyId {
            for term in &mut labelled.terms {
                if let Some(tissues) = where_found.get(&term.id) {
                    term.synonyms.push(format!(
                        "{}{}",
                        synthome_vocab::TISSUES_PREFIX,
                        tissues.join(", ")
                    ));
                }
            }
        }
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

/// Per cell type, the labels of the tissues that have it (`liver`, `liver (fetal stage)`)
fn tissues_by_type(groups: &[Group], tables: &ReferenceTables) -> BTreeMap<String, Vec<String>> {
    let mut found: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for group in groups {
        let (Some(cell_type), Some(tissue)) = (
            group.field(MetadataKey::CellTypeOntologyId),
            group.field(MetadataKey::TissueOntologyId),
        ) else {
            continue;
        };
        let label = |id: &str| tables.ontologies.label(id).unwrap_or(id).to_owned();
        let mut name = label(tissue);
        if let Some(stage) = group.field(MetadataKey::DevelopmentalStage)
            && stage != ADULT
        {
            name = format!("{name} ({})", label(stage));
        }
        found.entry(cell_type.to_owned()).or_default().insert(name);
    }
    found
        .into_iter()
        .map(|(id, names)| (id, names.into_iter().collect()))
        .collect()
}
