//! A query run a part at a time (an input, or a run of its samples: about 800 bulk samples)
//! into the result JSON ([`JsonStream`]) or the CSV/TSV tables ([`ExpressionStream`]; the small
//! metadata rows are kept and written after), so that memory is bounded by the part, not by
//! the query. The bytes are those of a single run: each sample's randomness depends only on
//! the seed, its input and its index ([`ValidQuery::part`](synthome_query::ValidQuery::part)),
//! and the warnings are merged in the order a single run raises them. The parts are made on
//! several threads and written in order ([`in_order`]): `synthome generate` uses every core
//! (`--threads`), a server job one. Used by `synthome generate --format json|csv|tsv` and
//! (JSON) by the server's jobs; the other formats (`in_parts_files.rs`, `parquet_out.rs`) run
//! on [`run_in_parts`] too.

use std::io::Write;
use std::ops::Range;

use crate::in_order::in_order;

use synthome_engine::{GenerateError, ModelEntry, Prepared, run};
use synthome_formats::FormatError;
use synthome_formats::csv::{Delimiter, ExpressionStream, write_metadata_rows};
use synthome_formats::json::{JsonStream, Shape};
use synthome_formats::provenance::{values_kind, write_summary};
use synthome_matrix::{ExpressionMatrix, Provenance, merge_part_warnings};

/// Why a run in parts stopped.
#[derive(Debug, thiserror::Error)]
pub enum PartsError {
    /// The model could not generate the query (the query's to fix).
    #[error("the model cannot generate this query: {0}")]
    Generate(#[from] GenerateError),
    /// The result could not be written.
    #[error("could not write the result: {0}")]
    Write(#[from] FormatError),
}

impl From<std::io::Error> for PartsError {
    fn from(error: std::io::Error) -> Self {
        PartsError::Write(error.into())
    }
}

/// Generates `prepared` a part at a time and writes the result JSON in `shape` to `sink`;
/// `progress(done, total)` counts samples over the whole query. Returns the provenance.
pub fn write_json_in_parts<W: Write>(
    entry: &ModelEntry,
    prepared: &Prepared,
    threads: usize,
    sink: W,
    shape: Shape,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Provenance, PartsError> {
    let mut stream = JsonStream::begin(sink, &prepared.query_json, shape)?;
    let provenance = run_in_parts(entry, prepared, threads, progress, &mut |matrix| {
        stream.part(matrix)
    })?;
    stream.finish(&entry.engine.genes(), &provenance)?;
    Ok(provenance)
}

/// Where the three files of a CSV or TSV result go.
pub struct TableSinks<W: Write> {
    /// The samples x genes expression table.
    pub expression: W,
    /// The sample metadata table.
    pub metadata: W,
    /// `provenance.json`.
    pub provenance: W,
}

/// Generates `prepared` a part at a time and writes the expression table as each part
/// comes, then the metadata table and the provenance (only the samples' metadata is kept);
/// the bytes are those of [`ResultFile::write`](synthome_formats::ResultFile::write) on a
/// single run. Returns the provenance.
pub fn write_tables_in_parts<W: Write>(
    entry: &ModelEntry,
    prepared: &Prepared,
    threads: usize,
    delimiter: Delimiter,
    sinks: TableSinks<W>,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Provenance, PartsError> {
    let genes = entry.engine.genes();
    let mut stream = ExpressionStream::begin(sinks.expression, &genes, delimiter)?;
    let mut samples = Vec::new();
    let mut values = None;
    let provenance = run_in_parts(entry, prepared, threads, progress, &mut |matrix| {
        stream.part(matrix)?;
        samples.extend_from_slice(matrix.samples());
        values.get_or_insert(values_kind(matrix.values()));
        Ok(())
    })?;
    stream.finish()?;
    write_metadata_rows(sinks.metadata, &samples, delimiter)?;
    // Every run has a first part, so `values` is always set.
    let values = values.unwrap_or("counts");
    write_summary(sinks.provenance, &samples, genes.len(), values, &provenance)?;
    Ok(provenance)
}

/// Dense values (samples x genes) a part holds at most on one thread: 16 Mi, 64 MB of counts,
/// so a part of the bulk model is about 800 samples. With `threads` threads the parts are
/// `threads` times smaller, so the `threads + 1` parts in flight take about what one did.
const PART_VALUES: usize = 1 << 24;

/// Samples in a part of a result of `n_genes` genes generated on `threads` threads (at least
/// one).
fn part_samples(n_genes: usize, threads: usize) -> u32 {
    u32::try_from(PART_VALUES / threads.max(1) / n_genes.max(1))
        .unwrap_or(u32::MAX)
        .max(1)
}

/// Runs `prepared` a part at a time (an input, or a run of its samples) on up to `threads`
/// threads, handing each part's matrix to `on_part` in sample order; returns the provenance
/// with the warnings of every part merged in single-run order. `progress(done, total)` is
/// called as each part is handed on.
pub(crate) fn run_in_parts(
    entry: &ModelEntry,
    prepared: &Prepared,
    threads: usize,
    progress: &mut dyn FnMut(u64, u64),
    on_part: &mut dyn FnMut(&ExpressionMatrix) -> Result<(), FormatError>,
) -> Result<Provenance, PartsError> {
    let size = part_samples(entry.engine.genes().len(), threads);
    run_in_parts_of(entry, prepared, size, threads, progress, on_part)
}

/// [`run_in_parts`] with parts of at most `size` samples.
fn run_in_parts_of(
    entry: &ModelEntry,
    prepared: &Prepared,
    size: u32,
    threads: usize,
    progress: &mut dyn FnMut(u64, u64),
    on_part: &mut dyn FnMut(&ExpressionMatrix) -> Result<(), FormatError>,
) -> Result<Provenance, PartsError> {
    let parts = part_spans(prepared, size);
    let total = prepared.valid.total_samples();
    let mut done = 0u64;
    let mut provenance: Option<Provenance> = None;
    let make = |index: usize| -> Result<_, PartsError> {
        let (input, ref samples) = parts[index];
        let part = Prepared {
            valid: prepared.valid.part(input, samples.clone()),
            seed: prepared.seed,
            query_json: prepared.query_json.clone(),
        };
        Ok(run(entry, &part, &mut |_, _| {})?)
    };
    in_order(parts.len(), threads, make, |(matrix, part_provenance)| {
        on_part(&matrix)?;
        done += matrix.samples().len() as u64;
        progress(done, total);
        match provenance.as_mut() {
            None => provenance = Some(part_provenance),
            Some(merged) => merge_part_warnings(&mut merged.warnings, part_provenance.warnings),
        }
        Ok(())
    })?;
    match provenance {
        Some(provenance) => Ok(provenance),
        // A query of no samples: one empty run gives its provenance.
        None => Ok(run(entry, prepared, progress)?.1),
    }
}

/// The parts of at most `size` samples, none across inputs: (input index, its samples).
fn part_spans(prepared: &Prepared, size: u32) -> Vec<(usize, Range<u32>)> {
    let mut spans = Vec::new();
    for (index, input) in prepared.valid.inputs.iter().enumerate() {
        let mut first = 0;
        while first < input.num_samples {
            let end = first.saturating_add(size).min(input.num_samples);
            spans.push((index, first..end));
            first = end;
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use synthome_formats::ResultFile;
    use synthome_query::Limits;

    /// Asserts that the three CSV and TSV files written in parts are those of a single run.
    fn assert_tables_are_those_of_a_single_run(
        entry: &ModelEntry,
        prepared: &Prepared,
        threads: usize,
    ) -> anyhow::Result<()> {
        let (matrix, provenance) = run(entry, prepared, &mut |_, _| {})?;
        for delimiter in [Delimiter::Comma, Delimiter::Tab] {
            let (mut expression, mut metadata, mut written) = (Vec::new(), Vec::new(), Vec::new());
            let sinks = TableSinks {
                expression: &mut expression,
                metadata: &mut metadata,
                provenance: &mut written,
            };
            write_tables_in_parts(entry, prepared, threads, delimiter, sinks, &mut |_, _| {})?;
            for (file, bytes) in [
                (ResultFile::Expression(delimiter), &expression),
                (ResultFile::Metadata(delimiter), &metadata),
                (ResultFile::Provenance, &written),
            ] {
                let single = file.to_bytes(&matrix, &provenance, "")?;
                assert!(*bytes == single, "{} differs", file.suffix());
            }
        }
        Ok(())
    }

    /// The prepared `query`, and the provenance and result JSON of one run of it.
    fn single_run_json(
        entry: &ModelEntry,
        query: &str,
    ) -> anyhow::Result<(Prepared, Provenance, Vec<u8>)> {
        let prepared = synthome_engine::prepare(entry, query, None, || 1, &Limits::default())
            .map_err(|errors| anyhow::anyhow!("{errors}"))?;
        let (matrix, provenance) = run(entry, &prepared, &mut |_, _| {})?;
        let mut whole = Vec::new();
        synthome_formats::json::write(&mut whole, &matrix, &provenance)?;
        Ok((prepared, provenance, whole))
    }

    #[test]
    fn the_json_written_in_parts_is_that_of_a_single_run() -> anyhow::Result<()> {
        let registry = crate::embedded::registry(&[])?;
        let entry = registry.get("gem-1-bulk")?;
        let query = r#"{"sampling_strategy": "sample generation", "seed": 9, "inputs": [
            {"metadata": {"tissue_ontology_id": "UBERON:0002107", "sex": "female"}, "num_samples": 3},
            {"metadata": {}, "num_samples": 17},
            {"metadata": {"sex": "male"}, "num_samples": 2}]}"#;
        let (prepared, provenance, whole) = single_run_json(entry, query)?;
        for threads in [1, 3] {
            let mut seen = Vec::new();
            let mut parts = Vec::new();
            let in_parts = write_json_in_parts(
                entry,
                &prepared,
                threads,
                &mut parts,
                Shape::default(),
                &mut |done, total| seen.push((done, total)),
            )?;
            assert!(parts == whole, "the bytes differ on {threads} threads");
            assert_eq!(in_parts.warnings, provenance.warnings);
            assert_tables_are_those_of_a_single_run(entry, &prepared, threads)?;
            assert_eq!(
                seen.last(),
                Some(&(22, 22)),
                "progress counts the whole query"
            );
        }
        Ok(())
    }

    #[test]
    fn an_input_split_across_parts_gives_the_bytes_of_a_single_run() -> anyhow::Result<()> {
        let registry = crate::embedded::registry(&[])?;
        let entry = registry.get("gem-1-bulk")?;
        let query = r#"{"sampling_strategy": "sample generation", "seed": 4, "inputs": [
            {"metadata": {}, "num_samples": 7},
            {"metadata": {"sex": "male"}, "num_samples": 2}]}"#;
        let (prepared, provenance, whole) = single_run_json(entry, query)?;
        for threads in [1, 2, 4] {
            let mut parts = Vec::new();
            let mut sizes = Vec::new();
            let mut stream = JsonStream::begin(&mut parts, &prepared.query_json, Shape::default())?;
            let in_parts =
                run_in_parts_of(entry, &prepared, 3, threads, &mut |_, _| {}, &mut |part| {
                    sizes.push(part.n_samples());
                    stream.part(part)
                })?;
            stream.finish(&entry.engine.genes(), &in_parts)?;
            assert_eq!(
                sizes,
                [3, 3, 1, 2],
                "parts of at most 3 samples, none across inputs, in order"
            );
            assert!(parts == whole, "the bytes differ on {threads} threads");
            assert_eq!(in_parts.warnings, provenance.warnings);
        }
        Ok(())
    }

    #[test]
    fn single_cell_json_in_parts_is_that_of_a_single_run() -> anyhow::Result<()> {
        let registry = crate::embedded::registry(&[])?;
        let entry = registry.get("gem-1-sc")?;
        let mut query: serde_json::Value = serde_json::from_str(&entry.engine.example_query())?;
        let first = query["inputs"][0].clone();
        let mut second = first.clone();
        second["num_samples"] = 3.into();
        let mut one = first;
        one["num_samples"] = 4.into();
        query["inputs"] = serde_json::json!([one, second]);
        query["seed"] = 4.into();
        let prepared =
            synthome_engine::prepare(entry, &query.to_string(), None, || 1, &Limits::default())
                .map_err(|errors| anyhow::anyhow!("{errors}"))?;
        let (matrix, provenance) = run(entry, &prepared, &mut |_, _| {})?;
        let mut whole = Vec::new();
        synthome_formats::json::write(&mut whole, &matrix, &provenance)?;
        let mut parts = Vec::new();
        write_json_in_parts(
            entry,
            &prepared,
            2,
            &mut parts,
            Shape::default(),
            &mut |_, _| {},
        )?;
        assert!(parts == whole, "the bytes differ");
        assert_tables_are_those_of_a_single_run(entry, &prepared, 2)?;
        Ok(())
    }
}
