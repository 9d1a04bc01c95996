//! The atlas cell types: nearest-profile accuracy of generated cells
//!
//! A key is a cell type in one context (tissue, developmental stage, disease); its reference
//! profile is the mean of its groups' profiles. For every key, [`CELLS_PER_KEY`] cells are
//! generated through the query path and labelled by the reference profile they correlate
//! best with (Pearson r of `ln(1 + 10^4 x share)` over the [`N_GENES`] genes that vary most
//! between the candidate profiles):
//! - self-consistency: candidates are the keys of the cell's own context;
//! - across atlases of one tissue: cells of one context labelled among the keys of another
//!   context of the same tissue (adult vs fetal, healthy vs COVID-19), for the types both
//!   have.
//!
//! The confusions between close types (CD4/CD8 T cells, type 1/2 pneumocytes, ...) are listed.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::{Value, json};
use synthome_analysis::pearson;
use synthome_query::MetadataKey;
use synthome_sc_builder::{Cells, generate_query};
use synthome_sc_model::ScModel;

use crate::error::RealismError;

/// Cells generated per key
pub(crate) const CELLS_PER_KEY: usize = 30;
/// Genes compared (most variable between the candidate profiles)
pub(crate) const N_GENES: usize = 2000;
/// Depth of the generated cells
const TOTAL_COUNT: f64 = 5000.0;
/// Pairs of close types whose confusion is shown on its own
const CLOSE_PAIRS: [(&str, &str); 3] = [
    ("CL:0000624", "CL:0000625"),
    ("CL:0002062", "CL:0002063"),
    ("CL:0000623", "CL:0000625"),
];

/// One key: cell type and context, with its reference profile
struct Key {
    cell_type: String,
    context: Context,
    profile: Vec<f64>,
}

/// Tissue, stage, disease
type Context = (String, String, String);

/// Accuracy of one set of generated cells against one set of candidates
#[derive(Debug, Clone)]
pub(crate) struct Score {
    /// Context of the generated cells
    from: Context,
    /// Context of the candidate profiles
    against: Context,
    /// Cells labelled
    cells: usize,
    /// Share labelled with their own cell type
    accuracy: f64,
    /// (true, predicted) -> cells, mistakes only
    confusions: BTreeMap<(String, String), usize>,
}

/// The atlas part of the report
pub(crate) struct AtlasReport {
    within: Vec<Score>,
    across: Vec<Score>,
    labels: BTreeMap<String, String>,
}

/// Generates and labels the cells of every key of `model`
pub(crate) fn report(model: &ScModel, seed: u64) -> Result<AtlasReport, RealismError> {
    let keys = keys(model);
    let mut contexts: BTreeMap<Context, Vec<usize>> = BTreeMap::new();
    for (index, key) in keys.iter().enumerate() {
        contexts.entry(key.context.clone()).or_default().push(index);
    }
    let mut cells: Vec<Cells> = Vec::with_capacity(keys.len());
    for (index, key) in keys.iter().enumerate() {
        cells.push(generate(model, key, seed + index as u64)?);
    }
    let mut within = Vec::new();
    for (context, members) in &contexts {
        if members.len() < 2 {
            continue;
        }
        within.push(score(&keys, &cells, members, members, context, context));
    }
    let mut across = Vec::new();
    for (from, from_members) in &contexts {
        for (against, against_members) in &contexts {
            if from == against || from.0 != against.0 || against_members.len() < 2 {
                continue;
            }
            let shared: Vec<usize> = from_members
                .iter()
                .copied()
                .filter(|&k| {
                    against_members
                        .iter()
                        .any(|&a| keys[a].cell_type == keys[k].cell_type)
                })
                .collect();
            if shared.is_empty() {
                continue;
            }
            across.push(score(
                &keys,
                &cells,
                &shared,
                against_members,
                from,
                against,
            ));
        }
    }
    let labels = model
        .params()
        .cell_types
        .iter()
        .map(|t| (t.id.clone(), t.label.clone()))
        .collect();
    Ok(AtlasReport {
        within,
        across,
        labels,
    })
}

/// The keys of the control groups, with their mean profiles
fn keys(model: &ScModel) -> Vec<Key> {
    let params = model.params();
    let mut by_key: BTreeMap<(String, Context), Vec<usize>> = BTreeMap::new();
    for (index, group) in params.groups.iter().enumerate() {
        if group.field(MetadataKey::PerturbationOntologyId).is_some() {
            continue;
        }
        let field = |key: MetadataKey| group.field(key).unwrap_or_default().to_owned();
        by_key
            .entry((
                field(MetadataKey::CellTypeOntologyId),
                (
                    field(MetadataKey::TissueOntologyId),
                    field(MetadataKey::DevelopmentalStage),
                    field(MetadataKey::DiseaseOntologyId),
                ),
            ))
            .or_default()
            .push(index);
    }
    by_key
        .into_iter()
        .map(|((cell_type, context), groups)| {
            let mut profile = vec![0.0; model.n_genes()];
            for &group in &groups {
                if let Some(proportions) = model.group_proportions(group) {
                    for (sum, p) in profile.iter_mut().zip(proportions.iter()) {
                        *sum += p / groups.len() as f64;
                    }
                }
            }
            Key {
                cell_type,
                context,
                profile,
            }
        })
        .collect()
}

/// [`CELLS_PER_KEY`] cells of one key
fn generate(model: &ScModel, key: &Key, seed: u64) -> Result<Cells, RealismError> {
    let (tissue, stage, disease) = &key.context;
    let query = json!({
        "sampling_strategy": "sample generation",
        "total_count": TOTAL_COUNT,
        "seed": seed,
        "inputs": [{"metadata": {
            "cell_type_ontology_id": key.cell_type,
            "tissue_ontology_id": tissue,
            "developmental_stage": stage,
            "disease_ontology_id": disease,
            "perturbation_type": "control"
        }, "num_samples": CELLS_PER_KEY}],
    });
    generate_query(model, &query, seed).map_err(|message| RealismError::Query {
        what: format!("{} in {tissue} ({stage}, {disease})", key.cell_type),
        message,
    })
}

/// Labels the cells of `from` keys among the `against` keys
fn score(
    keys: &[Key],
    cells: &[Cells],
    from: &[usize],
    against: &[usize],
    from_context: &Context,
    against_context: &Context,
) -> Score {
    let logged = |p: f64| (1.0 + 1e4 * p).ln();
    let n_genes = keys[against[0]].profile.len();
    let mut variance: Vec<(f64, usize)> = (0..n_genes)
        .map(|g| {
            let values: Vec<f64> = against
                .iter()
                .map(|&k| logged(keys[k].profile[g]))
                .collect();
            let mean = values.iter().sum::<f64>() / values.len() as f64;
            let v = values.iter().map(|x| (x - mean).powi(2)).sum::<f64>();
            (v, g)
        })
        .collect();
    variance.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let genes: Vec<usize> = variance.iter().take(N_GENES).map(|&(_, g)| g).collect();
    let mut column = vec![usize::MAX; n_genes];
    for (position, &gene) in genes.iter().enumerate() {
        column[gene] = position;
    }
    let references: Vec<Vec<f64>> = against
        .iter()
        .map(|&k| genes.iter().map(|&g| logged(keys[k].profile[g])).collect())
        .collect();
    let mut right = 0;
    let mut total = 0;
    let mut confusions = BTreeMap::new();
    for &k in from {
        for cell in &cells[k] {
            let (cell_genes, counts) = cell;
            let library: f64 = counts.iter().map(|&c| f64::from(c)).sum();
            if library <= 0.0 {
                continue;
            }
            let mut x = vec![0.0; genes.len()];
            for (&gene, &count) in cell_genes.iter().zip(counts) {
                let position = column[gene as usize];
                if position != usize::MAX {
                    x[position] = logged(f64::from(count) / library);
                }
            }
            let best = references
                .iter()
                .enumerate()
                .map(|(i, reference)| (pearson(&x, reference).unwrap_or(0.0), i))
                .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
                .map_or(0, |(_, i)| i);
            let predicted = &keys[against[best]].cell_type;
            total += 1;
            if *predicted == keys[k].cell_type {
                right += 1;
            } else {
                *confusions
                    .entry((keys[k].cell_type.clone(), predicted.clone()))
                    .or_insert(0) += 1;
            }
        }
    }
    Score {
        from: from_context.clone(),
        against: against_context.clone(),
        cells: total,
        accuracy: right as f64 / total.max(1) as f64,
        confusions,
    }
}

impl AtlasReport {
    fn label(&self, id: &str) -> String {
        self.labels
            .get(id)
            .map_or_else(|| id.to_owned(), |l| format!("{l} ({id})"))
    }

    fn context(context: &Context) -> String {
        format!("{} / {} / {}", context.0, context.1, context.2)
    }

    /// Cell-weighted accuracy over scores
    fn overall(scores: &[Score]) -> f64 {
        let cells: usize = scores.iter().map(|s| s.cells).sum();
        scores
            .iter()
            .map(|s| s.accuracy * s.cells as f64)
            .sum::<f64>()
            / cells.max(1) as f64
    }

    /// The Markdown section
    pub(crate) fn markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "## Atlas cell types: nearest-profile accuracy\n\nFor every key (a cell type in one tissue, developmental stage and disease) {CELLS_PER_KEY} cells were generated (sample generation, `total_count` {TOTAL_COUNT}) from the committed model and labelled by the reference profile they correlate best with (Pearson r of ln(1 + 10^4 x share) over the {N_GENES} genes most variable between the candidates). A correct label is the cell's own CL type. Self-consistency shows that per-cell noise does not wash out identity; across contexts of one tissue it shows whether one atlas's cells are recognised by another atlas's profiles (different donors, labs, protocols).\n\nSelf-consistency over {} contexts: **{:.3}** of {} cells labelled right.\n\n| tissue / stage / disease | cells | accuracy | most frequent confusions |\n|---|---|---|---|",
            self.within.len(),
            Self::overall(&self.within),
            self.within.iter().map(|s| s.cells).sum::<usize>()
        );
        for score in &self.within {
            let _ = writeln!(
                out,
                "| {} | {} | {:.3} | {} |",
                Self::context(&score.from),
                score.cells,
                score.accuracy,
                self.confusions(score, 3)
            );
        }
        let _ = writeln!(
            out,
            "\nAcross contexts of the same tissue (cells of the first context labelled among the second's profiles, for the types both have): **{:.3}** of {} cells over {} pairs.\n\n| generated from | labelled against | cells | accuracy | most frequent confusions |\n|---|---|---|---|---|",
            Self::overall(&self.across),
            self.across.iter().map(|s| s.cells).sum::<usize>(),
            self.across.len()
        );
        for score in &self.across {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {:.3} | {} |",
                Self::context(&score.from),
                Self::context(&score.against),
                score.cells,
                score.accuracy,
                self.confusions(score, 3)
            );
        }
        out.push_str("\nClose types (all scores pooled): cells of the first type labelled as the second, and the reverse.\n\n| pair | first as second | second as first |\n|---|---|---|\n");
        for (a, b) in CLOSE_PAIRS {
            let count = |x: &str, y: &str| -> usize {
                self.within
                    .iter()
                    .chain(&self.across)
                    .filter_map(|s| s.confusions.get(&(x.to_owned(), y.to_owned())))
                    .sum()
            };
            let _ = writeln!(
                out,
                "| {} / {} | {} | {} |",
                self.label(a),
                self.label(b),
                count(a, b),
                count(b, a)
            );
        }
        out.push('\n');
        out
    }

    fn confusions(&self, score: &Score, n: usize) -> String {
        let mut list: Vec<(&(String, String), &usize)> = score.confusions.iter().collect();
        list.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let shown: Vec<String> = list
            .iter()
            .take(n)
            .map(|((t, p), c)| format!("{} -> {}: {c}", self.label(t), self.label(p)))
            .collect();
        if shown.is_empty() {
            "-".to_owned()
        } else {
            shown.join("; ")
        }
    }

    /// The JSON part
    pub(crate) fn json(&self) -> Value {
        let scores = |scores: &[Score]| -> Vec<Value> {
            scores
                .iter()
                .map(|s| {
                    json!({"from": Self::context(&s.from), "against": Self::context(&s.against),
                           "cells": s.cells, "accuracy": s.accuracy})
                })
                .collect()
        };
        json!({
            "cells_per_key": CELLS_PER_KEY,
            "self_consistency": Self::overall(&self.within),
            "across_contexts": Self::overall(&self.across),
            "within": scores(&self.within),
            "across": scores(&self.across),
        })
    }
}
