//! LINCS L1000 overexpression consensus: one overexpression perturbation (not tied to a
//! context) per gene, with a prior for genes whose own change is not listed

use synthome_model::PerturbationKind;

use crate::assembly::BulkAssembly;
use crate::error::BuildError;
use crate::fit::perturb;
use crate::read::lincs::read_overexpression;

/// Reads the overexpression hits if present and adds their genes
pub(crate) fn add(assembly: &mut BulkAssembly<'_>) -> Result<(), BuildError> {
    let Some(bytes) = assembly
        .files
        .bytes_if_present("bulk/lincs_overexpression_signif.tsv.gz")?
    else {
        return Ok(());
    };
    let hits = read_overexpression(bytes.as_slice(), "lincs_overexpression_signif")?;
    let signatures = perturb::overexpression_responses(
        &hits,
        &assembly.universe,
        &assembly.tables.genes,
        &assembly.z_scale,
        perturb::median_scale(&assembly.z_scale),
    );
    let measured = signatures.iter().filter(|(_, _, own)| *own).count();
    assembly.report.push(format!("LINCS overexpression: {} genes ({measured} list the gene itself; the others get a +{} log2 prior)", signatures.len(), perturb::OVEREXPRESSION_PRIOR_LOG2));
    for (ensembl, response, _) in signatures {
        assembly.parts.add_perturbation(
            ensembl,
            PerturbationKind::Overexpression,
            None,
            "LINCS L1000 overexpression consensus",
            vec![response],
        );
    }
    Ok(())
}
