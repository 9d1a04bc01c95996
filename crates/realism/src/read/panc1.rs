//! PANC-1 FOXA2 knock-out: the observed log2 change of a gene, knock-out vs wild type

use super::folder::{Folder, PANC1_DESIGN, PANC1_LOG2, column, number};
use crate::error::RealismError;

/// Mean log2 value in knock-out samples minus wild type for the gene `symbol`; `None` when
/// the table lacks it
pub(crate) fn observed_log2_change(
    folder: &Folder,
    symbol: &str,
) -> Result<Option<f64>, RealismError> {
    let design = folder.text(PANC1_DESIGN)?;
    let mut rows = design.lines();
    let header: Vec<&str> = rows.next().unwrap_or_default().split('\t').collect();
    let (sample_at, condition_at) = (
        column(&header, "sample", PANC1_DESIGN)?,
        column(&header, "condition", PANC1_DESIGN)?,
    );
    let mut knocked_out: Vec<String> = Vec::new();
    let mut wild_type: Vec<String> = Vec::new();
    for row in rows {
        let fields: Vec<&str> = row.split('\t').collect();
        let (Some(sample), Some(condition)) = (fields.get(sample_at), fields.get(condition_at))
        else {
            continue;
        };
        if condition.ends_with("KO") {
            knocked_out.push((*sample).to_owned());
        } else if condition.ends_with(".WT") {
            wild_type.push((*sample).to_owned());
        }
    }
    let text = folder.text(PANC1_LOG2)?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    for (index, line) in lines.enumerate() {
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.first() != Some(&symbol) {
            continue;
        }
        let mean = |samples: &[String]| -> Result<Option<f64>, RealismError> {
            let mut values = Vec::new();
            for sample in samples {
                if let Some(c) = header.iter().position(|h| h == sample)
                    && let Some(field) = fields.get(c)
                {
                    values.push(number(field, PANC1_LOG2, index + 2)?);
                }
            }
            Ok((!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64))
        };
        return Ok(match (mean(&knocked_out)?, mean(&wild_type)?) {
            (Some(ko), Some(wt)) => Some(ko - wt),
            _ => None,
        });
    }
    Ok(None)
}
