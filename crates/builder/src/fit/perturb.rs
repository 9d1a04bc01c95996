//! Perturbation responses as sparse log fold changes, shrunk by their noise
//!
//! Every measured change is multiplied by `d^2 / (d^2 + v)` (v its sampling variance), so
//! changes within the noise fade out; changes below [`MIN_EFFECT`] are dropped.

use std::collections::{BTreeMap, HashMap};

use synthome_analysis::median;
use synthome_model::Response;
use synthome_reference::GeneTable as ReferenceGenes;

use crate::fit::dispersion::Technical;
use crate::fit::universe::Universe;
use crate::read::counts::SampleMatrix;
use crate::read::gct::Gct;
use crate::read::k562::K562Run;
use crate::read::lincs::{Consensus, OverexpressionHit};
use crate::read::tsv::unversioned;

/// Smallest kept |log fold change| (natural log)
pub(crate) const MIN_EFFECT: f64 = 0.05;
/// Smallest |z| of a LINCS consensus signature that is kept
pub(crate) const MIN_CONSENSUS_Z: f64 = 2.0;
/// Prior log2 fold change of an overexpressed gene when LINCS does not list the gene itself
pub(crate) const OVEREXPRESSION_PRIOR_LOG2: f64 = 3.0;
/// Prior degrees of freedom of the moderated variance (PANC-1)
const PRIOR_DOF: f64 = 4.0;

/// `d * d^2 / (d^2 + v)`
fn shrink(change: f64, variance: f64) -> f64 {
    let d2 = change * change;
    if d2 + variance <= 0.0 {
        0.0
    } else {
        change * d2 / (d2 + variance)
    }
}

/// A sparse response from dense per-gene changes (universe order)
pub(crate) fn sparse(changes: &[f64], dose_um: Option<f64>, time_hours: Option<f64>) -> Response {
    let mut genes = Vec::new();
    let mut log_fold_changes = Vec::new();
    for (gene, &change) in changes.iter().enumerate() {
        if change.abs() >= MIN_EFFECT {
            genes.push(gene as u32);
            log_fold_changes.push(change as f32);
        }
    }
    Response {
        dose_um,
        time_hours,
        genes,
        log_fold_changes,
    }
}

/// A per-sample count set on the universe, in read units
#[derive(Debug, Clone)]
pub(crate) struct ReadSet {
    /// Reads per universe gene, per run
    pub reads: Vec<Vec<f64>>,
    /// Library size (all rows of the table, in read units) per run
    pub libraries: Vec<f64>,
}

impl ReadSet {
    /// Log CPM of run `run` (pseudo-count 0.5)
    pub(crate) fn log_cpm(&self, run: usize) -> Vec<f64> {
        let library = self.libraries[run].max(1.0);
        self.reads[run]
            .iter()
            .map(|r| ((r + 0.5) / library * 1e6).ln())
            .collect()
    }
}

/// Maps a count matrix with versioned Ensembl rows onto the universe; `scale[run]` turns
/// table units into reads
pub(crate) fn to_reads(matrix: &SampleMatrix, universe: &Universe, scale: &[f64]) -> ReadSet {
    let rows: Vec<Option<usize>> = matrix
        .genes
        .iter()
        .map(|id| universe.index(unversioned(id)))
        .collect();
    let mut reads = Vec::with_capacity(matrix.samples.len());
    let mut libraries = Vec::with_capacity(matrix.samples.len());
    for (column, &factor) in matrix.values.iter().zip(scale) {
        let mut on_universe = vec![0.0; universe.len()];
        let mut library = 0.0;
        for (value, row) in column.iter().zip(&rows) {
            let value = value * factor;
            library += value;
            if let Some(gene) = row {
                on_universe[*gene] += value;
            }
        }
        reads.push(on_universe);
        libraries.push(library);
    }
    ReadSet { reads, libraries }
}

/// Mean of several log CPM vectors
fn mean_of(vectors: &[Vec<f64>]) -> Vec<f64> {
    let n = vectors.len().max(1) as f64;
    let len = vectors.first().map_or(0, Vec::len);
    (0..len)
        .map(|g| vectors.iter().map(|v| v[g]).sum::<f64>() / n)
        .collect()
}

/// The K562 knock-downs: per target, the response at its measured time
pub(crate) struct ShrnaFit {
    /// CPM of the uninduced runs (the control profile)
    pub control_cpm: Vec<f64>,
    /// Number of uninduced runs
    pub control_runs: usize,
    /// (target symbol, Ensembl id, response, number of induced runs), sorted by symbol
    pub targets: Vec<(String, String, Response, usize)>,
    /// Replicate pairs of uninduced runs, in reads (for the technical dispersion)
    pub pairs: Vec<(Vec<f64>, Vec<f64>)>,
}

/// Fits the K562 shRNA responses
pub(crate) fn fit_shrna(
    runs: &[K562Run],
    set: &ReadSet,
    universe: &Universe,
    reference: &ReferenceGenes,
    technical_for: impl FnOnce(&[(Vec<f64>, Vec<f64>)]) -> Technical,
) -> ShrnaFit {
    let logs: Vec<Vec<f64>> = (0..runs.len()).map(|r| set.log_cpm(r)).collect();
    let controls: Vec<usize> = (0..runs.len())
        .filter(|&r| runs[r].induced_hours.is_none())
        .collect();
    let control_log = mean_of(
        &controls
            .iter()
            .map(|&r| logs[r].clone())
            .collect::<Vec<_>>(),
    );
    let mut control_cpm: Vec<f64> = control_log.iter().map(|v| v.exp()).collect();
    crate::fit::profiles::normalise(&mut control_cpm);
    let mut by_target: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (r, run) in runs.iter().enumerate() {
        by_target.entry(run.target.as_str()).or_default().push(r);
    }
    let mut pairs = Vec::new();
    for members in by_target.values() {
        let uninduced: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&r| runs[r].induced_hours.is_none())
            .collect();
        if uninduced.len() >= 2 {
            pairs.push((
                set.reads[uninduced[0]].clone(),
                set.reads[uninduced[1]].clone(),
            ));
        }
    }
    let technical = technical_for(&pairs);
    let mut targets = Vec::new();
    for (symbol, members) in &by_target {
        let uninduced: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&r| runs[r].induced_hours.is_none())
            .collect();
        let induced: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&r| runs[r].induced_hours.is_some())
            .collect();
        let Some(gene) = reference.resolve_symbol(symbol) else {
            continue;
        };
        if uninduced.is_empty() || induced.is_empty() {
            continue;
        }
        let hours = runs[induced[0]].induced_hours;
        let arm = |set_runs: &[usize]| -> (Vec<f64>, Vec<f64>) {
            let log = mean_of(
                &set_runs
                    .iter()
                    .map(|&r| logs[r].clone())
                    .collect::<Vec<_>>(),
            );
            let reads = (0..universe.len())
                .map(|g| {
                    set_runs.iter().map(|&r| set.reads[r][g]).sum::<f64>() / set_runs.len() as f64
                })
                .collect();
            (log, reads)
        };
        let (log_on, reads_on) = arm(&induced);
        let (log_off, reads_off) = arm(&uninduced);
        let changes: Vec<f64> = (0..universe.len())
            .map(|g| {
                let variance = technical.log_variance(reads_on[g]) / induced.len() as f64
                    + technical.log_variance(reads_off[g]) / uninduced.len() as f64;
                shrink(log_on[g] - log_off[g], variance)
            })
            .collect();
        targets.push((
            (*symbol).to_owned(),
            gene.ensembl_id.clone(),
            sparse(&changes, None, hours),
            induced.len(),
        ));
    }
    ShrnaFit {
        control_cpm,
        control_runs: controls.len(),
        targets,
        pairs,
    }
}

/// A two-group comparison of log2 values (PANC-1 wild type vs knock-out)
pub(crate) struct GroupFit {
    /// Relative expression of the control group per universe gene (`None`: not measured)
    pub control: Vec<Option<f64>>,
    /// Shrunk log fold changes per universe gene
    pub changes: Vec<f64>,
    /// Samples per group (control, treated)
    pub sizes: (usize, usize),
}

/// Fits a log2 table with symbol rows: `control` and `treated` are column names
pub(crate) fn fit_log2_groups(
    matrix: &SampleMatrix,
    control: &[String],
    treated: &[String],
    universe: &Universe,
    reference: &ReferenceGenes,
) -> GroupFit {
    let columns = |names: &[String]| -> Vec<&[f64]> {
        names.iter().filter_map(|n| matrix.sample(n)).collect()
    };
    let (wt, ko) = (columns(control), columns(treated));
    let (n_wt, n_ko) = (wt.len() as f64, ko.len() as f64);
    let ln2 = std::f64::consts::LN_2;
    let mut rows: Vec<(usize, f64, f64, f64)> = Vec::new();
    for (row, symbol) in matrix.genes.iter().enumerate() {
        let Some(gene) = reference.resolve_symbol(symbol) else {
            continue;
        };
        let Some(index) = universe.index(&gene.ensembl_id) else {
            continue;
        };
        if wt.iter().chain(&ko).any(|c| c[row].is_nan()) {
            continue;
        }
        let mean =
            |cols: &[&[f64]]| cols.iter().map(|c| c[row]).sum::<f64>() / cols.len().max(1) as f64;
        let (m_wt, m_ko) = (mean(&wt), mean(&ko));
        let ss: f64 = wt.iter().map(|c| (c[row] - m_wt).powi(2)).sum::<f64>()
            + ko.iter().map(|c| (c[row] - m_ko).powi(2)).sum::<f64>();
        let variance = ss / (n_wt + n_ko - 2.0).max(1.0);
        rows.push((index, m_wt, m_ko, variance));
    }
    let prior = median(&rows.iter().map(|r| r.3).collect::<Vec<_>>()).unwrap_or(0.0);
    let dof = (n_wt + n_ko - 2.0).max(1.0);
    let mut control_values = vec![None; universe.len()];
    let mut changes = vec![0.0; universe.len()];
    for (index, m_wt, m_ko, variance) in rows {
        if control_values[index].is_some() {
            continue;
        }
        let moderated = (dof * variance + PRIOR_DOF * prior) / (dof + PRIOR_DOF);
        let change_variance = moderated * (1.0 / n_wt + 1.0 / n_ko) * ln2 * ln2;
        changes[index] = shrink((m_ko - m_wt) * ln2, change_variance);
        control_values[index] = Some(2f64.powf(m_wt));
    }
    GroupFit {
        control: control_values,
        changes,
        sizes: (wt.len(), ko.len()),
    }
}

/// The A375 plate: per compound and dose the shrunk change against DMSO, and the per-gene
/// scale that turns LINCS z-scores into log fold changes
pub(crate) struct PlateFit {
    /// (plate pert_id, dose in micromolar, response, number of wells)
    pub responses: Vec<(String, f64, Response, usize)>,
    /// Number of DMSO wells
    pub control_wells: usize,
    /// Natural-log change per unit z, by Entrez id (1.4826 MAD across the plate x ln 2)
    pub z_scale: HashMap<u64, f64>,
    /// Median DMSO log2 level per universe gene (`None` off the landmark set)
    pub control_level: Vec<Option<f64>>,
    /// Time of the plate in hours
    pub hours: Option<f64>,
}

/// Fits the A375 GCT plate; `excluded(column id)` wells are skipped
pub(crate) fn fit_plate(
    gct: &Gct,
    universe: &Universe,
    reference: &ReferenceGenes,
    excluded: impl Fn(&str) -> bool,
) -> PlateFit {
    let empty = Vec::new();
    let meta = |name: &str| gct.col_meta.get(name).unwrap_or(&empty);
    let (types, ids, doses, times) = (
        meta("pert_type"),
        meta("pert_id"),
        meta("pert_dose"),
        meta("pert_time"),
    );
    let kept: Vec<usize> = (0..gct.col_ids.len())
        .filter(|&c| !excluded(&gct.col_ids[c]))
        .collect();
    let controls: Vec<usize> = kept
        .iter()
        .copied()
        .filter(|&c| types.get(c).is_some_and(|t| t == "ctl_vehicle"))
        .collect();
    let entrez: Vec<Option<u64>> = gct
        .row_meta
        .get("pr_gene_id")
        .map(|ids| ids.iter().map(|id| id.parse().ok()).collect())
        .unwrap_or_default();
    let rows: Vec<Option<usize>> = entrez
        .iter()
        .map(|id| {
            id.and_then(|e| reference.by_entrez(e))
                .and_then(|g| universe.index(&g.ensembl_id))
        })
        .collect();
    let ln2 = std::f64::consts::LN_2;
    let mut control_median = Vec::with_capacity(gct.values.len());
    let mut control_variance = Vec::with_capacity(gct.values.len());
    let mut z_scale = HashMap::new();
    for (row, values) in gct.values.iter().enumerate() {
        let dmso: Vec<f64> = controls.iter().map(|&c| values[c]).collect();
        let centre = median(&dmso).unwrap_or(0.0);
        let variance =
            dmso.iter().map(|v| (v - centre).powi(2)).sum::<f64>() / (dmso.len().max(2) - 1) as f64;
        control_median.push(centre);
        control_variance.push(variance);
        let all: Vec<f64> = kept.iter().map(|&c| values[c]).collect();
        let plate_median = median(&all).unwrap_or(0.0);
        let mad = median(
            &all.iter()
                .map(|v| (v - plate_median).abs())
                .collect::<Vec<_>>(),
        )
        .unwrap_or(0.0);
        if let Some(Some(id)) = entrez.get(row) {
            z_scale.insert(*id, 1.4826 * mad * ln2);
        }
    }
    let mut control_level = vec![None; universe.len()];
    for (row, gene) in rows.iter().enumerate() {
        if let Some(gene) = gene {
            control_level[*gene] = Some(control_median[row]);
        }
    }
    let mut wells: BTreeMap<(String, u64), Vec<usize>> = BTreeMap::new();
    for &c in &kept {
        if types.get(c).is_some_and(|t| t.starts_with("trt_"))
            && let (Some(id), Some(dose)) =
                (ids.get(c), doses.get(c).and_then(|d| d.parse::<f64>().ok()))
        {
            wells
                .entry((id.clone(), dose.to_bits()))
                .or_default()
                .push(c);
        }
    }
    let hours = kept
        .first()
        .and_then(|&c| times.get(c))
        .and_then(|t| t.parse::<f64>().ok());
    let n_control = controls.len().max(1) as f64;
    let mut responses = Vec::new();
    for ((id, dose_bits), columns) in wells {
        let dose = f64::from_bits(dose_bits);
        let mut changes = vec![0.0; universe.len()];
        for (row, gene) in rows.iter().enumerate() {
            let Some(gene) = gene else { continue };
            let mean =
                columns.iter().map(|&c| gct.values[row][c]).sum::<f64>() / columns.len() as f64;
            let variance =
                control_variance[row] * (1.0 / columns.len() as f64 + 1.0 / n_control) * ln2 * ln2;
            changes[*gene] = shrink((mean - control_median[row]) * ln2, variance);
        }
        responses.push((id, dose, sparse(&changes, Some(dose), hours), columns.len()));
    }
    PlateFit {
        responses,
        control_wells: controls.len(),
        z_scale,
        control_level,
        hours,
    }
}

/// The median of the plate's z scales (for genes off the landmark set)
pub(crate) fn median_scale(scale: &HashMap<u64, f64>) -> f64 {
    let mut values: Vec<f64> = scale.values().copied().collect();
    values.sort_by(f64::total_cmp);
    median(&values).unwrap_or(0.3)
}

/// A consensus signature as a sparse response: z (|z| >= MIN_CONSENSUS_Z) times the scale
pub(crate) fn consensus_response(
    consensus: &Consensus,
    z: &[f64],
    universe: &Universe,
    reference: &ReferenceGenes,
    scale: &HashMap<u64, f64>,
    fallback: f64,
) -> Response {
    let mut changes = vec![0.0; universe.len()];
    for (&entrez, &value) in consensus.entrez.iter().zip(z) {
        if value.abs() < MIN_CONSENSUS_Z {
            continue;
        }
        if let Some(gene) = reference
            .by_entrez(entrez)
            .and_then(|g| universe.index(&g.ensembl_id))
        {
            changes[gene] = value * scale.get(&entrez).copied().unwrap_or(fallback);
        }
    }
    sparse(&changes, None, None)
}

/// Overexpression signatures: (overexpressed gene's universe index, Ensembl id, response)
pub(crate) fn overexpression_responses(
    hits: &[OverexpressionHit],
    universe: &Universe,
    reference: &ReferenceGenes,
    scale: &HashMap<u64, f64>,
    fallback: f64,
) -> Vec<(String, Response, bool)> {
    let mut by_gene: BTreeMap<u64, Vec<&OverexpressionHit>> = BTreeMap::new();
    for hit in hits {
        by_gene.entry(hit.perturbagen).or_default().push(hit);
    }
    let mut out = Vec::new();
    for (entrez, gene_hits) in by_gene {
        let Some(target) = reference.by_entrez(entrez) else {
            continue;
        };
        let Some(target_index) = universe.index(&target.ensembl_id) else {
            continue;
        };
        let mut changes = vec![0.0; universe.len()];
        let mut self_measured = false;
        for hit in gene_hits {
            if let Some(gene) = reference
                .by_entrez(hit.gene)
                .and_then(|g| universe.index(&g.ensembl_id))
            {
                changes[gene] = hit.z * scale.get(&hit.gene).copied().unwrap_or(fallback);
                self_measured |= gene == target_index;
            }
        }
        if !self_measured || changes[target_index] < 0.0 {
            changes[target_index] = OVEREXPRESSION_PRIOR_LOG2 * std::f64::consts::LN_2;
        }
        out.push((
            target.ensembl_id.clone(),
            sparse(&changes, None, None),
            self_measured,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shrinkage_fades_noise_and_keeps_clear_changes() {
        assert!((shrink(2.0, 0.04) - 2.0 * 4.0 / 4.04).abs() < 1e-12);
        assert!(shrink(0.1, 1.0).abs() < 0.001);
        assert_eq!(shrink(0.0, 0.0), 0.0);
        let response = sparse(&[0.0, 0.2, -0.01, -1.0], Some(1.0), None);
        assert_eq!(response.genes, vec![1, 3]);
        assert_eq!(response.log_fold_changes, vec![0.2, -1.0]);
    }
}
