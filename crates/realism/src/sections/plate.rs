//! Section 4, A375 doses: one inner dose per compound is left out of the build; the model's
//! change against DMSO at that dose (interpolated from the other doses) is compared with the
//! measured well, next to the no-change, nearest-dose and neighbour-mean baselines

use synthome_model::BulkModel;
use synthome_query::SamplingStrategy;
use synthome_reference::GeneTable as ReferenceGenes;

use super::{allowed, mix};
use crate::error::RealismError;
use crate::generate::{Request, rows};
use crate::read::plate::Plate;
use crate::split::HeldDose;
use synthome_analysis::median;

/// Error of one predictor of the held-out changes (log2, landmark genes pooled over compounds)
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fit {
    /// Root mean squared error
    pub rmse: f64,
    /// 1 - SSE / total sum of squares around the mean measured change
    pub r2: f64,
}

/// The predictors of one split
#[derive(Debug, Clone)]
pub(crate) struct PlateSplit {
    /// Compounds evaluated
    pub compounds: usize,
    /// Landmark genes the model has
    pub genes: usize,
    /// The model (mean estimation at the held-out dose vs control)
    pub model: Fit,
    /// Predicting no change
    pub no_change: Fit,
    /// The measured change at the nearest other dose (in log dose; ties go to the higher dose)
    pub nearest_dose: Fit,
    /// The mean of the measured changes at the doses just below and above
    pub neighbour_mean: Fit,
}

/// Evaluates the held-out doses of one split on its model
pub(crate) fn evaluate(
    model: &BulkModel,
    plate: &Plate,
    held: &[HeldDose],
    reference: &ReferenceGenes,
    seed: u64,
) -> Result<Option<PlateSplit>, RealismError> {
    let index = super::gene_index(model);
    let genes: Vec<(usize, usize)> = plate
        .entrez
        .iter()
        .enumerate()
        .filter_map(|(row, entrez)| {
            let gene = reference.by_entrez((*entrez)?)?;
            index.get(gene.ensembl_id.as_str()).map(|&g| (row, g))
        })
        .collect();
    let controls = plate.controls();
    let dmso: Vec<f64> = genes
        .iter()
        .map(|&(row, _)| {
            let values: Vec<f64> = controls.iter().map(|&w| plate.values[row][w]).collect();
            median(&values).unwrap_or(0.0)
        })
        .collect();
    let change = |wells: &[usize]| -> Vec<f64> {
        genes
            .iter()
            .zip(&dmso)
            .map(|(&(row, _), centre)| {
                wells.iter().map(|&w| plate.values[row][w]).sum::<f64>() / wells.len().max(1) as f64
                    - centre
            })
            .collect()
    };
    let control_metadata = allowed(
        model,
        &[
            ("cell_line_ontology_id", "CVCL_0132"),
            ("perturbation_type", "control"),
        ],
    );
    let expected = |metadata: &[(&str, String)], what: &str| {
        rows(
            model,
            &Request {
                what,
                metadata,
                samples: 1,
                total_count: 1e7,
                strategy: SamplingStrategy::MeanEstimation,
                deterministic: true,
                seed: mix(seed, 7, 0, 0),
            },
        )
        .map(|r| r.into_iter().next().unwrap_or_default())
    };
    let control = expected(&control_metadata, "the A375 control")?;
    let (mut measured, mut predicted, mut nearest, mut neighbours) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut compounds = 0;
    for dose in held {
        if model
            .vocabulary()
            .resolve("perturbation_ontology_id", &dose.chembl)
            .is_none()
        {
            continue;
        }
        let metadata = allowed(
            model,
            &[
                ("cell_line_ontology_id", "CVCL_0132"),
                ("perturbation_type", "compound"),
                ("perturbation_ontology_id", &dose.chembl),
                ("perturbation_dose", &format!("{} um", dose.dose)),
                ("perturbation_time", "24 hours"),
            ],
        );
        let treated = expected(&metadata, "an A375 compound at a held-out dose")?;
        let below = dose.others.iter().rev().find(|(d, _)| *d < dose.dose);
        let above = dose.others.iter().find(|(d, _)| *d > dose.dose);
        let (Some(below), Some(above)) = (below, above) else {
            continue;
        };
        let (low, high) = (change(&below.1), change(&above.1));
        let near_high = (above.0 / dose.dose).ln() <= (dose.dose / below.0).ln() + 1e-9;
        compounds += 1;
        measured.extend(change(&dose.wells));
        for (i, &(_, g)) in genes.iter().enumerate() {
            predicted.push((treated[g].max(1e-9) / control[g].max(1e-9)).log2());
            nearest.push(if near_high { high[i] } else { low[i] });
            neighbours.push(0.5 * (low[i] + high[i]));
        }
    }
    if compounds == 0 || genes.is_empty() {
        return Ok(None);
    }
    let zeros = vec![0.0; measured.len()];
    Ok(Some(PlateSplit {
        compounds,
        genes: genes.len(),
        model: fit(&measured, &predicted),
        no_change: fit(&measured, &zeros),
        nearest_dose: fit(&measured, &nearest),
        neighbour_mean: fit(&measured, &neighbours),
    }))
}

/// RMSE and R^2 of `predicted` for `measured`
fn fit(measured: &[f64], predicted: &[f64]) -> Fit {
    let n = measured.len().max(1) as f64;
    let centre = measured.iter().sum::<f64>() / n;
    let sse: f64 = measured
        .iter()
        .zip(predicted)
        .map(|(y, p)| (y - p) * (y - p))
        .sum();
    let sst: f64 = measured.iter().map(|y| (y - centre) * (y - centre)).sum();
    Fit {
        rmse: (sse / n).sqrt(),
        r2: if sst > 0.0 { 1.0 - sse / sst } else { 0.0 },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_of_perfect_and_zero_predictions() {
        let y = [1.0, -1.0, 2.0, 0.0];
        let perfect = fit(&y, &y);
        assert!(perfect.rmse.abs() < 1e-12 && (perfect.r2 - 1.0).abs() < 1e-12);
        let zero = fit(&y, &[0.0; 4]);
        assert!((zero.rmse - (6.0f64 / 4.0).sqrt()).abs() < 1e-12);
        assert!(zero.r2 < 0.0);
    }
}
