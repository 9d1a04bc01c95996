//! COVID-19 blood (GSE152641, per-sample counts): a whole-blood context from the healthy
//! donors, the shrunk COVID-19 effect on it and the blood family's latent spread

use crate::assembly::BulkAssembly;
use crate::error::BuildError;
use crate::read::sample_counts::GeneIds;
use crate::sources::per_sample_disease::{Base, DiseaseSet, add_set};

/// The set
const SET: DiseaseSet = DiseaseSet {
    source: "GSE152641 COVID-19 blood",
    family: "blood",
    disease: ("MONDO:0100096", "COVID-19"),
    normal: synthome_model::HEALTHY,
    tissue: "UBERON:0000178",
    base: Base::NormalArm("whole blood (GSE152641 healthy donors)"),
};

/// Adds the set when its files are present
pub(crate) fn add(assembly: &mut BulkAssembly<'_>) -> Result<(), BuildError> {
    let Some(data) = assembly.read_set(
        "disease/covid19_blood_samples.tsv",
        "disease/covid19_blood_counts.tsv.gz",
        GeneIds::Entrez,
    )?
    else {
        return Ok(());
    };
    let disease: Vec<bool> = data
        .column("disease_ontology_id", "covid19_blood_samples")?
        .iter()
        .map(|id| id == SET.disease.0)
        .collect();
    let sexes = assembly.sexes_from_markers(&data.counts.log_cpm(), &data.counts.genes);
    add_set(assembly, SET, &data, &disease, sexes.as_deref());
    Ok(())
}
