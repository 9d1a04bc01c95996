//! K562 inducible shRNA (SRP009615): the technical dispersion from replicate pairs, the
//! uninduced K562 context and one shRNA perturbation per target

use synthome_model::PerturbationKind;
use synthome_query::MetadataKey;

use crate::assembly::BulkAssembly;
use crate::error::BuildError;
use crate::fit::conditions::{SexSplit, profile_sex};
use crate::fit::dispersion::{self, Technical};
use crate::fit::perturb;
use crate::read::counts::{Missing, read_matrix, read_text_table};
use crate::read::k562::{K562Run, parse_runs};

/// Reads the K562 counts and runs if present and adds what they give
pub(crate) fn add(assembly: &mut BulkAssembly<'_>) -> Result<(), BuildError> {
    let files = &mut assembly.files;
    let Some(bytes) = files.bytes_if_present("bulk/k562_shrna_counts.tsv.gz")? else {
        return Ok(());
    };
    let mut counts = read_matrix(bytes.as_slice(), "k562_shrna_counts", Missing::Error)?;
    let run_table = read_text_table(
        files.bytes("bulk/k562_shrna_samples.tsv.gz")?.as_slice(),
        "k562_shrna_samples",
    )?;
    let runs: Vec<K562Run> = parse_runs(&run_table, "k562_shrna_samples")?
        .into_iter()
        .filter(|run| !assembly.excluded(&run.run))
        .collect();
    counts.retain_samples(|s| runs.iter().any(|r| r.run == s));
    let runs: Vec<K562Run> = counts
        .samples
        .iter()
        .filter_map(|s| runs.iter().find(|r| &r.run == s).cloned())
        .collect();
    let scale: Vec<f64> = counts
        .values
        .iter()
        .zip(&runs)
        .map(|(column, run)| run.mapped_reads / column.iter().sum::<f64>().max(1.0))
        .collect();
    let universe = &assembly.universe;
    let set = perturb::to_reads(&counts, universe, &scale);
    let mut fitted = None;
    let fit = perturb::fit_shrna(&runs, &set, universe, &assembly.tables.genes, |pairs| {
        let trend = dispersion::fit_technical(pairs).unwrap_or(Technical { a: 0.02, b: 0.0 });
        fitted = Some(trend);
        trend
    });
    if let Some(trend) = fitted {
        assembly.report.push(format!("technical dispersion fitted on K562 replicate pairs ({} pairs): phi = {:.4} + {:.2} / mu; the low-count term is not used (the K562 counts are scaled coverage, not reads)", fit.pairs.len(), trend.a, trend.b));
        assembly.technical = Technical { a: trend.a, b: 0.0 };
    }
    let split = SexSplit::Only(assembly.cell_line_sex("K562", &fit.control_cpm));
    let context = assembly.parts.add_context(
        "K562 (uninduced shRNA lines, SRP009615)",
        &fit.control_cpm,
        profile_sex(split),
    );
    let fields = vec![
        (MetadataKey::CellLineOntologyId, "CVCL_0004".to_owned()),
        (MetadataKey::LibraryLayout, "SINGLE".to_owned()),
        (MetadataKey::PerturbationType, "control".to_owned()),
        (MetadataKey::SampleType, "cell line".to_owned()),
    ];
    assembly
        .parts
        .add_baseline(context, &fields, split, fit.control_runs as f64);
    for (symbol, ensembl, response, runs) in fit.targets {
        let target_change = assembly
            .universe
            .index(&ensembl)
            .and_then(|g| response.genes.iter().position(|&x| x as usize == g))
            .map_or(0.0, |p| response.log_fold_changes[p]);
        assembly.report.push(format!(
            "shRNA {symbol}: {} genes changed, target log2 change {:+.2}",
            response.genes.len(),
            f64::from(target_change) / std::f64::consts::LN_2
        ));
        let time = response.time_hours;
        let index = assembly.parts.add_perturbation(
            ensembl,
            PerturbationKind::Shrna,
            Some(context),
            "K562 inducible shRNA (SRP009615)",
            vec![response],
        );
        assembly
            .parts
            .add_perturbed(context, &fields, split, index, None, time, runs as f64);
    }
    Ok(())
}
