//! The A375 L1000 plate (kinase inhibitors, LJP005): the A375 context (the profile of the
//! most similar HPA line, A375 has no RNA-seq in the data), one compound perturbation per
//! ChEMBL-mapped compound with its doses, and the per-gene z scale the LINCS signatures use

use std::collections::BTreeMap;

use synthome_analysis::{pearson, ranks};
use synthome_model::{PerturbationKind, Response};
use synthome_query::MetadataKey;

use crate::assembly::{BulkAssembly, LineProfile};
use crate::error::BuildError;
use crate::fit::conditions::{SexSplit, profile_sex, trim};
use crate::fit::perturb::{self, PlateFit};
use crate::read::gct::read_gct;
use crate::read::mapping::{self, A375_COMPOUNDS};

/// Reads the plate if present and adds what it gives
pub(crate) fn add(assembly: &mut BulkAssembly<'_>) -> Result<(), BuildError> {
    let Some(bytes) = assembly
        .files
        .bytes_if_present("bulk/l1000_a375_kinase_inhibitors.gct.gz")?
    else {
        return Ok(());
    };
    let gct = read_gct(bytes.as_slice(), "l1000_a375_kinase_inhibitors")?;
    let plate = perturb::fit_plate(&gct, &assembly.universe, &assembly.tables.genes, |id| {
        assembly.options.exclude_samples.contains(id)
    });
    assembly.z_scale = plate.z_scale.clone();
    if let Some((proxy, rho, cpm)) = nearest_by_rank(&plate.control_level, &assembly.line_profiles)
    {
        add_plate(assembly, plate, &proxy, rho, &cpm)?;
    }
    Ok(())
}

/// Adds the A375 context, its DMSO baseline and the compounds with their doses
fn add_plate(
    assembly: &mut BulkAssembly<'_>,
    plate: PlateFit,
    proxy: &str,
    rho: f64,
    cpm: &[f64],
) -> Result<(), BuildError> {
    let split = SexSplit::Only(assembly.cell_line_sex("A375", cpm));
    let context = assembly.parts.add_context(
        format!(
            "A375 (profile of the most similar HPA line, {proxy}; no RNA-seq of A375 in the data)"
        ),
        cpm,
        profile_sex(split),
    );
    assembly.report.push(format!(
        "A375: proxy profile {proxy} (Spearman {rho:.3} on the landmark genes); {} DMSO wells",
        plate.control_wells
    ));
    let fields = vec![
        (MetadataKey::CellLineOntologyId, "CVCL_0132".to_owned()),
        (MetadataKey::PerturbationType, "control".to_owned()),
        (MetadataKey::SampleType, "cell line".to_owned()),
    ];
    let mut control_fields = fields.clone();
    if let Some(hours) = plate.hours {
        control_fields.push((
            MetadataKey::PerturbationTime,
            format!("{} hours", trim(hours)),
        ));
    }
    assembly
        .parts
        .add_baseline(context, &control_fields, split, plate.control_wells as f64);
    let compounds: BTreeMap<String, String> =
        mapping::rows(A375_COMPOUNDS, "mappings/a375_compounds.tsv", 3)?
            .into_iter()
            .map(|row| (row[0].clone(), row[2].clone()))
            .collect();
    let mut by_compound: BTreeMap<String, Vec<(f64, Response, usize)>> = BTreeMap::new();
    for (pert_id, dose, response, wells) in plate.responses {
        if let Some(chembl) = compounds.get(&pert_id) {
            by_compound
                .entry(chembl.clone())
                .or_default()
                .push((dose, response, wells));
        }
    }
    assembly.report.push(format!(
        "A375 compounds with a ChEMBL id: {} (others left out)",
        by_compound.len()
    ));
    for (chembl, mut doses) in by_compound {
        doses.sort_by(|a, b| a.0.total_cmp(&b.0));
        let responses: Vec<_> = doses.iter().map(|(_, r, _)| r.clone()).collect();
        let index = assembly.parts.add_perturbation(
            chembl,
            PerturbationKind::Compound,
            Some(context),
            "LINCS L1000 A375 plate LJP005, 24 h",
            responses,
        );
        for (dose, _, wells) in &doses {
            assembly.parts.add_perturbed(
                context,
                &fields,
                split,
                index,
                Some(*dose),
                plate.hours,
                *wells as f64,
            );
        }
    }
    Ok(())
}

/// The HPA line whose log CPM ranks best match `levels` (Spearman on the genes with a level)
fn nearest_by_rank(
    levels: &[Option<f64>],
    lines: &[LineProfile],
) -> Option<(String, f64, Vec<f64>)> {
    let genes: Vec<usize> = (0..levels.len()).filter(|&g| levels[g].is_some()).collect();
    let own = ranks(
        &genes
            .iter()
            .map(|&g| levels[g].unwrap_or(0.0))
            .collect::<Vec<_>>(),
    );
    let mut best: Option<(usize, f64)> = None;
    for (index, line) in lines.iter().enumerate() {
        let theirs = ranks(&genes.iter().map(|&g| line.cpm[g]).collect::<Vec<_>>());
        let rho = pearson(&own, &theirs).unwrap_or(0.0);
        if best.is_none_or(|(_, b)| rho > b) {
            best = Some((index, rho));
        }
    }
    best.map(|(index, rho)| (lines[index].name.clone(), rho, lines[index].cpm.clone()))
}
