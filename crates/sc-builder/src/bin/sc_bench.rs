//! `sc-bench [BUNDLE]`: times single-cell generation natively and prints a table (cells,
//! genes, strategy, total_count, threads, seconds, non-zeros, CSR bytes per non-zero)
//!
//! Each case runs on one core, and the sample-generation cases again with the cells cut into
//! one consecutive span per core, each on its own thread (as `synthome generate` and the
//! browser's workers split a query; the bytes do not depend on the split). The bundle defaults
//! to `public/models/synthome-sc-v1.bundle`.

use std::process::ExitCode;
use std::time::Instant;

use synthome_matrix::ExpressionValues;
use synthome_query::{Limits, ValidQuery, parse_and_validate};
use synthome_sc_model::{GenerateError, GenerateOutput, ScModel};

/// Runs per case; the fastest is reported
const RUNS: usize = 3;

/// CPU seconds (user + system) this process has used, from `/proc/self/stat` (Linux, 100 Hz
/// ticks); `None` elsewhere. Reported beside wall time because the machine may be shared.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after_name = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let user: f64 = fields.get(11)?.parse().ok()?;
    let system: f64 = fields.get(12)?.parse().ok()?;
    Some((user + system) / 100.0)
}

fn main() -> ExitCode {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "public/models/synthome-sc-v1.bundle".to_owned());
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("error: {path}: {error}");
            return ExitCode::from(1);
        }
    };
    let model = match synthome_sc_model::read(&bytes) {
        Ok(model) => model,
        Err(error) => {
            eprintln!("error: {path}: {error}");
            return ExitCode::from(1);
        }
    };
    println!(
        "bundle {path}: {} bytes, {} genes",
        bytes.len(),
        model.n_genes()
    );
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    println!(
        "| cells | genes | metadata | strategy | total_count | threads | wall seconds (best of {RUNS}) | CPU seconds (best) | non-zeros | non-zeros per cell | CSR bytes per non-zero |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    // any type (drawn over every group: Kang and atlas), one atlas type, one Kang type
    let any = "{}";
    let hepatocyte = r#"{"cell_type_ontology_id": "CL:0000182"}"#;
    let cd4 = r#"{"cell_type_ontology_id": "CL:0000624", "tissue_ontology_id": "UBERON:0000178"}"#;
    let cases = [
        (10_000u32, any, "sample generation", 10_000.0),
        (10_000, hepatocyte, "sample generation", 10_000.0),
        (10_000, cd4, "sample generation", 10_000.0),
        (10_000, any, "sample generation", 1_354.0),
        (1_000, any, "sample generation", 10_000.0),
        (1_000, any, "mean estimation", 10_000.0),
    ];
    for (cells, metadata, strategy, total_count) in cases {
        let json = format!(
            r#"{{"sampling_strategy": "{strategy}", "total_count": {total_count}, "seed": 1,
                "inputs": [{{"metadata": {metadata}, "num_samples": {cells}}}]}}"#
        );
        let query = match parse_and_validate(&json, &model.target(), &Limits::default()) {
            Ok(query) => query,
            Err(errors) => {
                eprintln!("error: {errors}");
                return ExitCode::from(1);
            }
        };
        let mut thread_counts = vec![1];
        if cores > 1 && strategy == "sample generation" {
            thread_counts.push(cores);
        }
        for threads in thread_counts {
            let timing = match time_case(&model, &query, threads) {
                Ok(timing) => timing,
                Err(error) => {
                    eprintln!("error: {error}");
                    return ExitCode::from(1);
                }
            };
            let per_nnz = if timing.csr_bytes > 0 {
                format!("{:.2}", timing.csr_bytes as f64 / timing.nnz.max(1) as f64)
            } else {
                "dense".to_owned()
            };
            println!(
                "| {cells} | {} | `{metadata}` | {strategy} | {total_count} | {threads} | {:.3} | {:.2} | {} | {:.0} | {per_nnz} |",
                model.n_genes(),
                timing.wall,
                timing.cpu,
                timing.nnz,
                timing.nnz as f64 / f64::from(cells)
            );
        }
    }
    ExitCode::SUCCESS
}

/// The best of [`RUNS`] runs of one case.
struct Timing {
    wall: f64,
    cpu: f64,
    nnz: usize,
    csr_bytes: usize,
}

/// Times `query` (one input) generated on `threads` threads, each taking one consecutive
/// span of its cells.
fn time_case(model: &ScModel, query: &ValidQuery, threads: usize) -> Result<Timing, GenerateError> {
    let cells = query.inputs[0].num_samples;
    let per_thread = cells.div_ceil(threads as u32);
    let spans: Vec<ValidQuery> = (0..threads as u32)
        .map(|index| {
            let start = (index * per_thread).min(cells);
            query.part(0, start..((index + 1) * per_thread).min(cells))
        })
        .collect();
    let mut best = Timing {
        wall: f64::INFINITY,
        cpu: f64::INFINITY,
        nnz: 0,
        csr_bytes: 0,
    };
    for _ in 0..RUNS {
        let start = Instant::now();
        let cpu_start = cpu_seconds();
        let outputs: Vec<Result<GenerateOutput, GenerateError>> = std::thread::scope(|scope| {
            let handles: Vec<_> = spans
                .iter()
                .map(|span| scope.spawn(|| model.generate(span, 1, &mut |_, _| {})))
                .collect();
            handles
                .into_iter()
                .map(|handle| {
                    handle
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        });
        best.wall = best.wall.min(start.elapsed().as_secs_f64());
        if let (Some(before), Some(after)) = (cpu_start, cpu_seconds()) {
            best.cpu = best.cpu.min(after - before);
        }
        (best.nnz, best.csr_bytes) = (0, 0);
        for output in outputs {
            match output?.matrix.values() {
                ExpressionValues::SparseCounts(csr) => {
                    best.nnz += csr.nnz();
                    best.csr_bytes += csr.stored_bytes();
                }
                other => best.nnz += other.n_rows() * other.n_cols(),
            }
        }
    }
    Ok(best)
}
