//! Tuberculosis in HIV+ blood (Verma 2018, per-sample counts): a whole-blood context of HIV+
//! donors without TB (disease HIV infection; the set has no HIV-negative donors) and the
//! shrunk tuberculosis effect on it

use crate::assembly::BulkAssembly;
use crate::error::BuildError;
use crate::read::sample_counts::GeneIds;
use crate::sources::per_sample_disease::{Base, DiseaseSet, add_set};

/// The set
const SET: DiseaseSet = DiseaseSet {
    source: "Verma 2018 tuberculosis in HIV+ blood",
    family: "blood",
    disease: ("MONDO:0018076", "tuberculosis"),
    normal: "MONDO:0005109",
    tissue: "UBERON:0000178",
    base: Base::NormalArm("whole blood, HIV infection without TB (Verma 2018)"),
};

/// Adds the set when its files are present
pub(crate) fn add(assembly: &mut BulkAssembly<'_>) -> Result<(), BuildError> {
    let Some(data) = assembly.read_set(
        "disease/tb_hiv_blood_samples.tsv",
        "disease/tb_hiv_blood_counts.tsv.gz",
        GeneIds::Symbol,
    )?
    else {
        return Ok(());
    };
    let disease: Vec<bool> = data
        .column("disease_ontology_id", "tb_hiv_blood_samples")?
        .iter()
        .map(|ids| ids.split(';').any(|id| id == SET.disease.0))
        .collect();
    let sexes = assembly.sexes_from_markers(&data.counts.log_cpm(), &data.counts.genes);
    add_set(assembly, SET, &data, &disease, sexes.as_deref());
    Ok(())
}
