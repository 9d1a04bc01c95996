//! The K562 shRNA run table: target, doxycycline, hours and replicate parsed from the titles
//! ("K562 cells with shRNA targeting SRF gene cultured with doxycycline for 48 hours (48 hr),
//! rep1.")

use crate::error::BuildError;
use crate::read::counts::TextTable;

/// One K562 run
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct K562Run {
    /// Run id (matrix column)
    pub run: String,
    /// Gene symbol the shRNA targets
    pub target: String,
    /// Hours of doxycycline, `None` when uninduced (the control)
    pub induced_hours: Option<f64>,
    /// Replicate number
    pub replicate: u32,
    /// Mapped reads of the run (to turn scaled coverage back into read counts)
    pub mapped_reads: f64,
}

/// Parses every run of the table
pub(crate) fn parse_runs(table: &TextTable, source_name: &str) -> Result<Vec<K562Run>, BuildError> {
    let run_at = table.column("run", source_name)?;
    let title_at = table.column("title", source_name)?;
    let reads_at = table.column("mapped_read_count", source_name)?;
    table
        .rows
        .iter()
        .enumerate()
        .map(|(index, row)| {
            let line = index + 2;
            let title = &row[title_at];
            let fail = |what: &str| {
                BuildError::parse(source_name, line, format!("title {title:?}: {what}"))
            };
            let target = title
                .split_once("targeting ")
                .and_then(|(_, rest)| rest.split_whitespace().next())
                .ok_or_else(|| fail("no \"targeting GENE\""))?
                .to_owned();
            let induced_hours = if title.contains("no doxycycline") {
                None
            } else {
                let hours = title
                    .split_once("doxycycline for ")
                    .and_then(|(_, rest)| rest.split_whitespace().next())
                    .and_then(|number| number.parse::<f64>().ok())
                    .ok_or_else(|| {
                        fail("neither \"no doxycycline\" nor \"doxycycline for N hours\"")
                    })?;
                Some(hours)
            };
            let replicate = title
                .rsplit_once("rep")
                .and_then(|(_, rest)| rest.trim_end_matches('.').trim().parse::<u32>().ok())
                .ok_or_else(|| fail("no \"repN\""))?;
            let mapped_reads = row[reads_at].parse::<f64>().map_err(|_| {
                BuildError::parse(
                    source_name,
                    line,
                    format!("mapped_read_count {:?} is not a number", row[reads_at]),
                )
            })?;
            Ok(K562Run {
                run: row[run_at].clone(),
                target,
                induced_hours,
                replicate,
                mapped_reads,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_parse_into_target_dox_hours_and_replicate() {
        let table = TextTable {
            columns: vec!["run".into(), "mapped_read_count".into(), "title".into()],
            rows: vec![
                vec!["R1".into(), "100".into(), "K562 cells with shRNA targeting SRF gene cultured with no doxycycline (uninduced - UI), rep1.".into()],
                vec!["R2".into(), "200".into(), "K562 cells with shRNA targeting ATF3 gene cultured with doxycycline for 24 hours (24 hr), rep2.".into()],
            ],
        };
        let runs = parse_runs(&table, "k562").expect("runs");
        assert_eq!(runs[0].target, "SRF");
        assert_eq!(runs[0].induced_hours, None);
        assert_eq!(runs[0].replicate, 1);
        assert_eq!(runs[1].induced_hours, Some(24.0));
        assert_eq!(runs[1].replicate, 2);
        assert_eq!(runs[1].mapped_reads, 200.0);
        let bad = TextTable {
            rows: vec![vec!["R3".into(), "1".into(), "something else".into()]],
            ..table
        };
        assert!(parse_runs(&bad, "k562").is_err());
    }
}
