//! K562 shRNA runs: the observed log2 change of a target gene, induced vs uninduced runs

use super::folder::{Folder, K562_COUNTS, K562_SAMPLES, column, number};
use crate::error::RealismError;

/// log2 of mean CPM in induced over uninduced runs of the shRNA against `symbol`, for the
/// gene `ensembl` (unversioned); `None` when the data lack the runs or the gene
pub(crate) fn observed_log2_change(
    folder: &Folder,
    symbol: &str,
    ensembl: &str,
) -> Result<Option<f64>, RealismError> {
    let runs = folder.text(K562_SAMPLES)?;
    let mut rows = runs.lines();
    let header: Vec<&str> = rows.next().unwrap_or_default().split('\t').collect();
    let (run_at, title_at) = (
        column(&header, "run", K562_SAMPLES)?,
        column(&header, "title", K562_SAMPLES)?,
    );
    let marker = format!("targeting {symbol} ");
    let mut induced: Vec<String> = Vec::new();
    let mut uninduced: Vec<String> = Vec::new();
    for row in rows {
        let fields: Vec<&str> = row.split('\t').collect();
        let (Some(run), Some(title)) = (fields.get(run_at), fields.get(title_at)) else {
            continue;
        };
        if !title.contains(&marker) {
            continue;
        }
        if title.contains("no doxycycline") {
            uninduced.push((*run).to_owned());
        } else {
            induced.push((*run).to_owned());
        }
    }
    if induced.is_empty() || uninduced.is_empty() {
        return Ok(None);
    }
    let text = folder.text(K562_COUNTS)?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let mut totals = vec![0.0; header.len()];
    let mut target: Option<Vec<f64>> = None;
    for (index, line) in lines.enumerate() {
        let fields: Vec<&str> = line.split('\t').collect();
        let mut values = vec![0.0; header.len()];
        for (c, field) in fields.iter().enumerate().skip(1).take(header.len() - 1) {
            values[c] = number(field, K562_COUNTS, index + 2)?;
            totals[c] += values[c];
        }
        let id = fields.first().copied().unwrap_or_default();
        if id.split('.').next() == Some(ensembl) {
            target = Some(values);
        }
    }
    let Some(target) = target else {
        return Ok(None);
    };
    let mean_cpm = |runs: &[String]| -> f64 {
        let columns: Vec<usize> = runs
            .iter()
            .filter_map(|run| header.iter().position(|h| h == run))
            .collect();
        columns
            .iter()
            .map(|&c| target[c] / totals[c].max(1.0) * 1e6)
            .sum::<f64>()
            / columns.len().max(1) as f64
    };
    let (up, down) = (mean_cpm(&induced), mean_cpm(&uninduced));
    Ok((up > 0.0 && down > 0.0).then(|| (up / down).log2()))
}
