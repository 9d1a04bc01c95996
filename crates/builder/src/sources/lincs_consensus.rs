//! LINCS L1000 consensus signatures of DrugBank compounds: one compound perturbation (not
//! tied to a context) per compound with a ChEMBL id, z scores scaled by the A375 plate

use std::collections::BTreeSet;

use synthome_model::PerturbationKind;

use crate::assembly::BulkAssembly;
use crate::error::BuildError;
use crate::fit::perturb;
use crate::read::lincs::read_consensus;

/// Reads the consensus signatures if present and adds their compounds
pub(crate) fn add(assembly: &mut BulkAssembly<'_>) -> Result<(), BuildError> {
    let fallback_scale = perturb::median_scale(&assembly.z_scale);
    let Some(bytes) = assembly
        .files
        .bytes_if_present("bulk/lincs_consensus_drugbank.tsv.gz")?
    else {
        return Ok(());
    };
    let consensus = read_consensus(bytes.as_slice(), "lincs_consensus_drugbank")?;
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut unmapped = 0;
    for (drugbank, z) in &consensus.compounds {
        let Some(compound) = assembly.tables.compounds.by_drugbank(drugbank) else {
            unmapped += 1;
            continue;
        };
        if !seen.insert(compound.chembl_id.clone()) {
            continue;
        }
        let response = perturb::consensus_response(
            &consensus,
            z,
            &assembly.universe,
            &assembly.tables.genes,
            &assembly.z_scale,
            fallback_scale,
        );
        assembly.parts.add_perturbation(
            compound.chembl_id.clone(),
            PerturbationKind::Compound,
            None,
            "LINCS L1000 consensus signature (DrugBank compounds)",
            vec![response],
        );
    }
    assembly.report.push(format!("LINCS consensus compounds: {} with a ChEMBL id ({unmapped} DrugBank ids without one left out); z scale median {fallback_scale:.3} (A375 plate MAD)", seen.len()));
    Ok(())
}
