//! GEUVADIS lymphoblastoid lines: raw counts with the sex of each line

use super::folder::{Folder, GEUVADIS_COUNTS, GEUVADIS_SAMPLES, column, number};
use crate::error::RealismError;

/// The GEUVADIS counts, sample-major
#[derive(Debug, Clone)]
pub(crate) struct Geuvadis {
    /// Unversioned Ensembl ids, one per gene
    pub genes: Vec<String>,
    /// Sample ids
    pub samples: Vec<String>,
    /// Whether each sample is male
    pub male: Vec<bool>,
    /// `counts[sample][gene]`
    pub counts: Vec<Vec<f64>>,
}

/// Reads the counts and the sample table
pub(crate) fn read(folder: &Folder) -> Result<Geuvadis, RealismError> {
    let text = folder.text(GEUVADIS_COUNTS)?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines
        .next()
        .ok_or_else(|| RealismError::parse(GEUVADIS_COUNTS, 1, "the file is empty"))?
        .split('\t')
        .collect();
    let samples: Vec<String> = header.iter().skip(1).map(|s| (*s).to_owned()).collect();
    let mut genes = Vec::new();
    let mut counts = vec![Vec::new(); samples.len()];
    for (index, line) in lines.enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let mut fields = line.split('\t');
        let id = fields.next().unwrap_or_default();
        genes.push(id.split('.').next().unwrap_or(id).to_owned());
        let mut n = 0;
        for (column, field) in counts.iter_mut().zip(fields) {
            column.push(number(field, GEUVADIS_COUNTS, index + 2)?);
            n += 1;
        }
        if n != samples.len() {
            return Err(RealismError::parse(
                GEUVADIS_COUNTS,
                index + 2,
                format!("{n} values; the header names {} samples", samples.len()),
            ));
        }
    }
    let table = folder.text(GEUVADIS_SAMPLES)?;
    let mut rows = table.lines();
    let header: Vec<&str> = rows.next().unwrap_or_default().split('\t').collect();
    let (sample_at, sex_at) = (
        column(&header, "sample", GEUVADIS_SAMPLES)?,
        column(&header, "sex", GEUVADIS_SAMPLES)?,
    );
    let sexes: Vec<(String, String)> = rows
        .map(|row| row.split('\t').collect::<Vec<_>>())
        .filter(|fields| fields.len() > sample_at.max(sex_at))
        .map(|fields| (fields[sample_at].to_owned(), fields[sex_at].to_lowercase()))
        .collect();
    let mut male = Vec::with_capacity(samples.len());
    for sample in &samples {
        let sex = sexes
            .iter()
            .find(|(id, _)| id == sample)
            .map(|(_, sex)| sex.as_str())
            .ok_or_else(|| {
                RealismError::parse(GEUVADIS_SAMPLES, 0, format!("no row for sample {sample:?}"))
            })?;
        match sex {
            "male" => male.push(true),
            "female" => male.push(false),
            other => {
                return Err(RealismError::parse(
                    GEUVADIS_SAMPLES,
                    0,
                    format!("sex {other:?} of {sample:?}; expected male or female"),
                ));
            }
        }
    }
    Ok(Geuvadis {
        genes,
        samples,
        male,
        counts,
    })
}
